from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see every token (never the token itself: only its first characters) and can revoke one
    by setting "revoked"; tokens are made on the user's own settings page or with manage.py."""

    list_display = ["name", "user", "scope", "token_hint", "created_at", "expires_on", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__username", "token_hint"]
    readonly_fields = ["user", "token_hint", "created_at", "last_used_at"]
    fields = ["user", "name", "scope", "token_hint", "created_at", "expires_on", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False
