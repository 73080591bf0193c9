"""Personal access tokens for the REST API (api/).

A token is shown once, when it is made; only its SHA-256 hash is stored, with its first
characters to recognise it on the settings page. A read token only reads; a write token also
changes what its user may change on the pages. What a token reaches is exactly what its user
reaches (onboarding/access.py).
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is for, e.g. “TAPD sync”."))
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True,
                                  help_text=_("The last day the token works. Empty: until revoked."))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.token_hint}…)"

    @property
    def is_expired(self):
        return bool(self.expires_on and self.expires_on < timezone.localdate())

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE
