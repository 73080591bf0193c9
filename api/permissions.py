"""Who may call what: a token's scope on top of the user's own rights (onboarding/access.py)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class TokenScope(permissions.BasePermission):
    """Logged in (session or token); a read token only reads."""

    message = _("This token may only read: create a token with the “write” scope to change data.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.can_write
