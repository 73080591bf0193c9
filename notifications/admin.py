from django.contrib import admin

from .models import NotificationLog, NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "daily_reminders", "weekly_digest", "language"]
    list_filter = ["daily_reminders", "weekly_digest", "language"]
    search_fields = ["user__username", "user__email"]


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    list_display = ["for_date", "kind", "user", "subject", "sent_at"]
    list_filter = ["kind", "for_date"]
    search_fields = ["user__username", "subject"]
    date_hierarchy = "for_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
