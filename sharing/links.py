"""Share-link services: create, revoke, record a visit (a token is resolved by sharing/selectors.py).

The full token exists only in the return value of :func:`create_link` (shown once to its
creator); everything else works from its SHA-256 hash.
"""
import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from .models import ShareLink

# Generous upper bound: real tokens are 32 characters; anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 128
TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")


@transaction.atomic
def create_link(plan, *, audience, created_by=None, expires_on=None, label="", platform_names=False):
    """Returns (link, token). ``platform_names``: show platform-side people by name (default: by role)."""
    return ShareLink.create(plan=plan, audience=audience, created_by=created_by, expires_on=expires_on,
                            label=label or "", platform_names=bool(platform_names))


def revoke_link(link):
    """Revoke at once; returns False when the link was already revoked."""
    now = timezone.now()
    # A conditional UPDATE, so two revocations at the same moment keep the first time.
    changed = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now)
    if changed:
        link.revoked_at = now
    else:
        link.refresh_from_db(fields=["revoked_at"])
    return bool(changed)


def is_plausible_token(token):
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH and bool(TOKEN_CHARS.match(token))


def record_view(link):
    # F() so that simultaneous visits each count.
    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_used_at=timezone.now())


def share_path(token):
    return reverse("sharing:shared_plan", args=[token])


def share_url(token, base_url):
    return base_url.rstrip("/") + share_path(token)


def token_from(url_or_token):
    """The token in a full share URL (…/s/<token>/…) or a bare token."""
    text = (url_or_token or "").strip()
    if "/" in text:
        parts = [part for part in urlsplit(text).path.split("/") if part]
        for index, part in enumerate(parts[:-1]):
            if part == "s":
                return parts[index + 1]
        return ""
    return text
