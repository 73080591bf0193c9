"""Who wants which emails, in which language, and which emails went out."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """A user's choices; a user without a row gets every email in the site's default language."""

    class Language(models.TextChoices):
        SITE_DEFAULT = "", _("Site default")
        CHINESE = "zh-hans", _("Simplified Chinese")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("user"))
    daily_reminders = models.BooleanField(
        _("daily reminders"), default=True,
        help_text=_("On working days: your tasks that are overdue or due soon."))
    weekly_digest = models.BooleanField(
        _("weekly digest"), default=True,
        help_text=_("On Mondays, for the plans where you are in the management audience: launch date, risks, "
                    "milestones."))
    language = models.CharField(_("email language"), max_length=10, choices=Language.choices, blank=True,
                                default=Language.SITE_DEFAULT)
    # Each kind of inbox item, in the app and by email. "Due soon or overdue" by email is the
    # daily reminder (daily_reminders, above); the weekly digest is an email only.
    app_mention = models.BooleanField(_("mentions in the app"), default=True)
    app_assigned = models.BooleanField(_("tasks given to me in the app"), default=True)
    app_rescheduled = models.BooleanField(_("my tasks moved, in the app"), default=True)
    app_due = models.BooleanField(_("my tasks due soon or overdue, in the app"), default=True)
    email_mention = models.BooleanField(_("mentions by email"), default=True)
    email_assigned = models.BooleanField(_("tasks given to me by email"), default=True)
    email_rescheduled = models.BooleanField(_("my tasks moved, by email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def wants(self, kind, channel):
        """Whether the user wants items of ``kind`` (Notification.Kind) in ``channel`` ("app" or "email")."""
        field = PREFERENCE_FIELDS.get((kind, channel))
        return bool(field and getattr(self, field))


# (Notification kind, channel) -> the preference field that turns it on.
PREFERENCE_FIELDS = {
    ("mention", "app"): "app_mention", ("mention", "email"): "email_mention",
    ("assigned", "app"): "app_assigned", ("assigned", "email"): "email_assigned",
    ("rescheduled", "app"): "app_rescheduled", ("rescheduled", "email"): "email_rescheduled",
    ("due_soon", "app"): "app_due", ("due_soon", "email"): "daily_reminders",
    ("overdue", "app"): "app_due", ("overdue", "email"): "daily_reminders",
}


class NotificationLog(models.Model):
    """One email sent; also what keeps a second run on the same day from sending it again."""

    class Kind(models.TextChoices):
        DAILY_REMINDER = "daily_reminder", _("Daily reminder")
        WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_logs",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    for_date = models.DateField(_("for date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    subject = models.CharField(_("subject"), max_length=255)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "for_date"], name="one_notification_per_day")]
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.user} · {self.for_date}"


class Notification(models.Model):
    """One item in a user's in-app inbox.

    What it says is rendered from ``kind`` and ``params`` in the reader's language when shown
    (never stored translated), so an inbox reads the same whichever language it was written in.
    ``dedupe_key`` lets a periodic producer (due soon, overdue) run again without a second item.
    """

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mentioned me")
        ASSIGNED = "assigned", _("Gave me a task")
        RESCHEDULED = "rescheduled", _("Moved my task's dates")
        DUE_SOON = "due_soon", _("My task is due soon")
        OVERDUE = "overdue", _("My task is overdue")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    workspace = models.ForeignKey("onboarding.Workspace", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("workspace"))
    plan = models.ForeignKey("onboarding.Plan", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("plan"))
    task = models.ForeignKey("schedule.Task", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("task"))
    comment = models.ForeignKey("collab.Comment", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("comment"))
    params = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                                    name="one_notification_per_dedupe_key"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recipient}"
