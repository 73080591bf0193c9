from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PortfolioReport(models.Model):
    """The boss's weekly report as a PDF (one page per workspace): queued from the portfolio page
    with its filters, rendered by a Celery worker for the user who asked, kept for a while. A job
    of onboarding/jobs.py: heartbeat and deadline, failed with a retry when its worker is gone."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=1000, blank=True)  # the portfolio's filters, as in its URL
    language = models.CharField(max_length=10, default="zh-hans")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    celery_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Stamped by the worker while it renders: a report whose stamps stop lost its worker (onboarding/jobs.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    @property
    def error_text(self):
        """``error`` (stored untranslated when the app wrote it) in the reader's language."""
        return gettext(self.error) if self.error else ""

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("portfolio report")
        verbose_name_plural = _("portfolio reports")
