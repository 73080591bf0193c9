"""Share links for partners and management, export jobs, and calendar feeds.

Sits above onboarding, stakeholders and schedule; nothing depends on it.
"""
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.models import Plan

TOKEN_BYTES = 24  # 192 bits


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token):
    """Tokens are stored only as SHA-256 hashes: a database leak reveals no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLink(models.Model):
    class Audience(models.TextChoices):
        PARTNER = "partner", _("Customer / partner")
        MANAGEMENT = "management", _("Management")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="share_links", verbose_name=_("plan"))
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.PARTNER)
    label = models.CharField(_("label"), max_length=120, blank=True)
    # Platform-side people (tasks' owners, the plan owner, the Gantt hover) appear by their role
    # unless the link's creator chose names.
    platform_names = models.BooleanField(_("platform people by name"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False, help_text="first characters, to recognise a link")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return self.label or f"{self.get_audience_display()} · {self.token_hint}…"

    @classmethod
    def create(cls, *, plan, audience, created_by=None, expires_on=None, label="", platform_names=False):
        """Returns (link, token): the full token exists only in this return value."""
        token = new_token()
        link = cls.objects.create(plan=plan, audience=audience, created_by=created_by, expires_on=expires_on,
                                  label=label, platform_names=platform_names, token_hash=hash_token(token),
                                  token_hint=token[:6])
        return link, token

    @property
    def is_active(self):
        if self.revoked_at:
            return False
        return not (self.expires_on and self.expires_on < timezone.localdate())


class CalendarFeed(models.Model):
    """A tokenised, revocable iCal feed of a plan's milestones and deadlines, for one audience in one
    language (both fixed at creation: a subscriber's calendar does not follow anyone's browser)."""

    class Audience(models.TextChoices):
        TEAM = "team", _("Team (every task)")
        PARTNER = "partner", _("Partner (shared tasks only)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="calendar_feeds")
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices, default=Audience.TEAM)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @classmethod
    def create(cls, *, plan, created_by=None, audience=Audience.TEAM, language="zh-hans"):
        token = new_token()
        feed = cls.objects.create(plan=plan, created_by=created_by, audience=audience, language=language,
                                  token_hash=hash_token(token), token_hint=token[:6])
        return feed, token


class CalendarEventState(models.Model):
    """What a feed last said about one event, so that SEQUENCE and LAST-MODIFIED change when the
    event does and stay put while it does not (calendar apps keep an old date otherwise).

    Kept per plan and event UID, shared by the plan's feeds: the date is the same in all of them.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    uid = models.CharField(max_length=120)
    day = models.DateField()
    fingerprint = models.CharField(max_length=64, help_text="hash of the date, title and phase")
    sequence = models.PositiveIntegerField(default=0)
    last_modified = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "uid"], name="calendar_event_state_unique")]


class ExportJob(models.Model):
    """A Gantt PDF export: queued from the page, rendered by a Celery worker, kept for a while."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Paper(models.TextChoices):
        A4 = "a4", "A4"
        A3 = "a3", "A3"

    class Scale(models.TextChoices):
        WEEKS = "weeks", _("Weeks")
        MONTHS = "months", _("Months")

    class Fit(models.TextChoices):
        TILES = "tiles", _("Pages at full size")
        WIDTH = "width", _("Fit to width")
        PAGE = "page", _("Fit to one page")

    class GroupBy(models.TextChoices):
        PHASE = "phase", _("Phase")
        OWNER = "owner", _("Owner")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    paper = models.CharField(_("paper"), max_length=2, choices=Paper.choices, default=Paper.A4)
    scale = models.CharField(_("scale"), max_length=6, choices=Scale.choices, default=Scale.WEEKS)
    fit = models.CharField(_("fit"), max_length=5, choices=Fit.choices, default=Fit.TILES)
    group_by = models.CharField(_("group by"), max_length=5, choices=GroupBy.choices, default=GroupBy.PHASE)
    language = models.CharField(max_length=10, default="zh-hans")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    celery_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Stamped by the worker while it renders: a job whose stamps stop lost its worker (onboarding/jobs.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    @property
    def error_text(self):
        """``error`` (stored untranslated when the app wrote it) in the reader's language."""
        return gettext(self.error) if self.error else ""

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
