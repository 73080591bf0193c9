from django.contrib import admin

from .models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Staff see every workspace's hooks (never the secret) and can pause one."""

    list_display = ["name", "workspace", "plan", "format", "url", "active", "created_at"]
    list_filter = ["format", "active"]
    search_fields = ["name", "url", "workspace__name"]
    fields = ["workspace", "plan", "name", "url", "format", "language", "events", "active"]
    readonly_fields = ["workspace", "plan"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "webhook", "status", "response_code", "attempts", "next_try_at", "created_at"]
    list_filter = ["status", "event_type"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
