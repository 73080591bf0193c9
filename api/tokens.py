"""Personal access token services: create (the token is returned once), revoke, authenticate."""
import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

PREFIX = "pp_"
# last_used_at is written at most this often per token, so a busy integration is not a write per call.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name, scope=ApiToken.Scope.READ, expires_on=None):
    """Returns (token row, the token itself): the token exists only in this return value."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("The scope is “read” or “write”.")})
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("The expiry date has already passed.")})
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=(name or "").strip() or _("API token"), scope=scope, expires_on=expires_on,
                   token_hash=hash_token(token), token_hint=token[:10])
    row.full_clean()
    row.save()
    return row, token


def token_revoke(*, token):
    """Revoke at once; False when it was already revoked."""
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return bool(changed)


def token_authenticate(raw):
    """The active token row for ``raw`` (its user loaded), or None. Records the use."""
    if not raw or len(raw) > 200:
        return None
    row = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if row is None or not row.is_active or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
