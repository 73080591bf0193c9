"""Webhooks: a workspace's (or one plan's) subscription to plan events, and each delivery of one.

The secret signs every request (X-Paasport-Signature, HMAC-SHA256 over "timestamp.body"); for a
Feishu or DingTalk robot it is the robot's own signing secret. It is stored as is because signing
needs it, and shown in full only once, to whoever created the hook.
"""
import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import Plan, Workspace

from .addresses import validate_webhook_url


class Event(models.TextChoices):
    TASK_STATUS_CHANGED = "task.status_changed", _("A task's status changed")
    TASK_RESCHEDULED = "task.rescheduled", _("Tasks were rescheduled")
    PLAN_LAUNCH_MOVED = "plan.launch_moved", _("The forecast launch moved")
    MILESTONE_REACHED = "milestone.reached", _("A milestone was reached")
    PLAN_HEALTH_CHANGED = "plan.health_changed", _("The plan's health changed")


class Webhook(models.Model):
    class Format(models.TextChoices):
        JSON = "json", _("Generic JSON")
        WECOM = "wecom", _("WeCom group robot")
        FEISHU = "feishu", _("Feishu group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhooks",
                                  verbose_name=_("workspace"))
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="webhooks",
                             verbose_name=_("plan"), help_text=_("Empty: every plan of the workspace."))
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500,
                          validators=[URLValidator(schemes=["http", "https"]), validate_webhook_url])
    events = models.JSONField(_("events"), default=list)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.JSON)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    secret = models.CharField(_("secret"), max_length=200, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.name

    @property
    def secret_hint(self):
        return self.secret[:8]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_try_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_try_at"])]
