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

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


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
