from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "audience", "label", "token_hint", "created_at", "expires_on", "revoked_at",
                    "last_used_at", "view_count"]
    list_filter = ["audience", "revoked_at"]
    search_fields = ["label", "token_hint", "plan__name"]
    list_select_related = ["plan"]
    # The hash is never shown nor editable; the hint is enough to recognise a link.
    fields = ["plan", "audience", "label", "token_hint", "created_by", "created_at", "expires_on", "revoked_at",
              "last_used_at", "view_count"]
    readonly_fields = ["plan", "audience", "token_hint", "created_by", "created_at", "revoked_at", "last_used_at",
                       "view_count"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # A link made here would have no one to show its token to: create links on the plan's Share tab.
        return False

    @admin.action(description=_("Revoke selected share links"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
                          % {"count": count}, messages.SUCCESS)
