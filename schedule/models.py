"""Steps 4–5 of the brief: the task checklist, its templates, and (later) the computed schedule."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from onboarding.models import ORDER_ONLY, Flow, Plan, PlanHistory, Workspace, validate_plan_date
from stakeholders.models import PlanStakeholder

from .notes import render as render_note


class LinkType(models.TextChoices):
    FS = "FS", _("Finish → Start")
    SS = "SS", _("Start → Start")
    FF = "FF", _("Finish → Finish")
    SF = "SF", _("Start → Finish")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal only")
    SHARED = "shared", _("Shared with partner")


# What the scheduler and levelling write on every recompute: not a human change, so not history.
TASK_COMPUTED_FIELDS = [
    "early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float", "is_critical",
    "schedule_note", "levelled_start", "levelled_finish", "levelling_note",
]


class Phase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases", verbose_name=_("plan"))
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=ORDER_ONLY)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.name


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("phase")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        PlanStakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("owner")
    )
    related_flow = models.ForeignKey(
        Flow, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("related business")
    )
    duration = models.IntegerField(
        _("duration (working days)"), default=1, validators=[MinValueValidator(0), MaxValueValidator(2000)]
    )
    is_milestone = models.BooleanField(_("milestone"), default=False)
    # The plan's forecast launch is this milestone's forecast finish (schedule/selectors.py).
    is_launch = models.BooleanField(
        _("launch milestone"), default=False,
        help_text=_("The plan's launch: its forecast date is the plan's forecast launch on every page."))
    start_no_earlier_than = models.DateField(_("start no earlier than"), null=True, blank=True,
                                             validators=[validate_plan_date])
    # A fixed start (MS Project's "must start on"): the schedule never moves the task; predecessors
    # that finish later are reported as making it late, not allowed to push it.
    must_start_on = models.DateField(
        _("must start on"), null=True, blank=True, validators=[validate_plan_date],
        help_text=_("A fixed start: the schedule keeps the task on this date and reports predecessors that "
                    "finish too late."))
    deadline = models.DateField(_("deadline"), null=True, blank=True, validators=[validate_plan_date])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("% complete"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True, validators=[validate_plan_date])
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True, validators=[validate_plan_date])
    priority_override = models.SmallIntegerField(
        _("priority override"), null=True, blank=True, validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_("Points added to the computed priority score (−100 to 100)."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    # The task's GUID in the MS Project file it came from: importing that file again updates the task.
    msproject_guid = models.CharField(max_length=64, blank=True, editable=False)

    # Filled by the scheduler after each change that moves dates.
    early_start = models.DateField(null=True, blank=True, editable=False)
    early_finish = models.DateField(null=True, blank=True, editable=False)
    late_start = models.DateField(null=True, blank=True, editable=False)
    late_finish = models.DateField(null=True, blank=True, editable=False)
    total_float = models.IntegerField(null=True, blank=True, editable=False)
    free_float = models.IntegerField(null=True, blank=True, editable=False)
    is_critical = models.BooleanField(default=False, editable=False)
    schedule_note = models.CharField(max_length=300, blank=True, editable=False)
    # Filled by "level resources": dates that respect owners' capacities, and why a task moved.
    levelled_start = models.DateField(null=True, blank=True, editable=False)
    levelled_finish = models.DateField(null=True, blank=True, editable=False)
    levelling_note = models.CharField(max_length=300, blank=True, editable=False)

    # ``version`` stays in the history: it tells which record a stale form started from.
    history = PlanHistory(excluded_fields=[*TASK_COMPUTED_FIELDS, *ORDER_ONLY])

    @property
    def schedule_note_text(self):
        return render_note(self.schedule_note)

    @property
    def levelling_note_text(self):
        return render_note(self.levelling_note)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan"], condition=models.Q(is_launch=True),
                                               name="one_launch_milestone_per_plan")]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.duration is not None and self.duration < 0:
            errors["duration"] = _("The duration cannot be negative.")
        if self.is_milestone and self.duration:
            errors["duration"] = _("A milestone has a duration of 0.")
        if self.is_launch and not self.is_milestone:
            errors["is_launch"] = _("Only a milestone can be the plan's launch.")
        if self.must_start_on and self.start_no_earlier_than:
            errors["must_start_on"] = _("A task has either a fixed start (“must start on”) or a “start no earlier "
                                        "than”, not both: clear one of them.")
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            errors["actual_finish"] = _("The actual finish cannot be before the actual start.")
        if self.status == self.Status.DONE and self.percent_complete not in (None, 100):
            # xgettext:no-python-format
            errors["percent_complete"] = _("A done task is 100% complete.")
        if self.phase_id and self.plan_id and self.phase.plan_id != self.plan_id:
            errors["phase"] = _("This phase belongs to another plan.")
        if self.owner_id and self.plan_id and self.owner.plan_id != self.plan_id:
            errors["owner"] = _("This stakeholder is not part of this plan.")
        if self.related_flow_id and self.plan_id and self.related_flow.plan_id != self.plan_id:
            errors["related_flow"] = _("This flow belongs to another plan.")
        if errors:
            raise ValidationError(errors)


class TaskLink(models.Model):
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("predecessor"))
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links", verbose_name=_("successor"))
    type = models.CharField(_("type"), max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.IntegerField(
        _("lag (working days)"), default=0, validators=[MinValueValidator(-500), MaxValueValidator(500)],
        help_text=_("Negative for a lead."),
    )
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_task_link")]
        verbose_name = _("task link")
        verbose_name_plural = _("task links")

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.type}{self.lag:+d})"

    def clean(self):
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError({"predecessor": _("A task cannot depend on itself.")})
        if self.predecessor_id and self.successor_id and self.predecessor.plan_id != self.successor.plan_id:
            raise ValidationError({"predecessor": _("Both tasks of a link must belong to the same plan.")})


class WatchOut(models.Model):
    """注意事项: a short item of a task's own checklist, ticked off when handled."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="watchouts", verbose_name=_("task"))
    text = models.CharField(_("text"), max_length=200)
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=ORDER_ONLY)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("watch-out")
        verbose_name_plural = _("watch-outs")

    def __str__(self):
        return self.text


class Template(models.Model):
    """A reusable checklist: phases, tasks with relative offsets, and links."""

    # None: one of the checklists Paasport ships, offered in every workspace; else a team's own.
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("workspace"))
    slug = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self):
        return self.name

    def _builtin(self):
        # A large data module: read the first time a built-in template is, not at every start.
        from .builtin_templates import builtin_text

        return builtin_text().get(self.slug) if self.workspace_id is None else None

    @property
    def display_name(self):
        """The name in the active language (Paasport's own templates); a team's own as it was typed."""
        text = self._builtin()
        return text[0] if text else self.name

    @property
    def display_description(self):
        text = self._builtin()
        return text[1] if text else self.description


def templates_for(workspace):
    """The checklists a workspace's PMs can start a plan from: Paasport's own and the workspace's."""
    return Template.objects.filter(models.Q(workspace__isnull=True) | models.Q(workspace=workspace))


class TemplateTask(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="tasks")
    key = models.SlugField(_("key"), max_length=60)
    phase = models.CharField(_("phase"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    duration = models.PositiveIntegerField(_("duration (working days)"), default=1)
    offset = models.PositiveIntegerField(
        _("offset (working days)"), default=0,
        help_text=_("Earliest start relative to the plan start, for tasks without predecessors."),
    )
    is_milestone = models.BooleanField(_("milestone"), default=False)
    is_launch = models.BooleanField(_("launch milestone"), default=False)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL)
    watchouts = models.JSONField(_("watch-outs"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="unique_template_task_key")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.is_milestone and self.duration:
            raise ValidationError({"duration": _("A milestone has a duration of 0.")})


class TemplateLink(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(TemplateTask, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(TemplateTask, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.IntegerField(default=0)

    def clean(self):
        if self.predecessor_id == self.successor_id:
            raise ValidationError({"predecessor": _("A task cannot depend on itself.")})


def _validate_iso_dates(value):
    """A JSON list of ISO dates (YYYY-MM-DD), as typed in the admin or an import file."""
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of dates."))
    for index, item in enumerate(value, start=1):
        try:
            day = datetime.date.fromisoformat(str(item))
        except ValueError:
            raise ValidationError(
                _("Item %(index)s (%(value)s) is not a date in the form YYYY-MM-DD."),
                params={"index": index, "value": item},
            ) from None
        validate_plan_date(day)


class OfficialHolidayYear(models.Model):
    """A year's official schedule of statutory holidays and 调休 make-up working days.

    The holiday packages stop at 2026; an admin enters later years here (or imports
    them with ``manage.py import_holidays``). A year entered here wins over the package.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    holidays = models.JSONField(_("holidays"), default=list, blank=True, validators=[_validate_iso_dates],
                                help_text=_("Weekdays off, as a list of YYYY-MM-DD dates."))
    makeup_workdays = models.JSONField(_("make-up working days"), default=list, blank=True,
                                       validators=[_validate_iso_dates],
                                       help_text=_("Weekend days that are working days (调休), YYYY-MM-DD."))
    note = models.CharField(_("source / note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("official holiday year")
        verbose_name_plural = _("official holiday years")

    def __str__(self):
        return str(self.year)

    def clean(self):
        stray = [d for d in list(self.holidays or []) + list(self.makeup_workdays or [])
                 if str(d)[:4] != str(self.year)]
        if stray:
            raise ValidationError(_("%(date)s is not in %(year)s.") % {"date": stray[0], "year": self.year})
        overlap = set(map(str, self.holidays or [])) & set(map(str, self.makeup_workdays or []))
        if overlap:
            raise ValidationError(_("%(date)s cannot be both a holiday and a make-up working day.")
                                  % {"date": sorted(overlap)[0]})
        weekday_makeups = [d for d in self.makeup_workdays or []
                           if datetime.date.fromisoformat(str(d)).weekday() < 5]
        if weekday_makeups:
            raise ValidationError({"makeup_workdays": _("%(date)s is a weekday: make-up days are weekend days.")
                                   % {"date": weekday_makeups[0]}})


class ScheduleSettings(models.Model):
    """A plan's scheduling settings: its calendar exceptions and priority weights."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="schedule_settings")
    extra_days_off = models.JSONField(_("extra days off"), default=list, blank=True, validators=[_validate_iso_dates])
    extra_working_days = models.JSONField(_("extra working days"), default=list, blank=True,
                                          validators=[_validate_iso_dates])
    weights = models.JSONField(_("priority weights"), default=dict, blank=True)
    levelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the last computation found, for display: finish date, missing holiday years, errors.
    summary = models.JSONField(default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    # What a person set; the scheduler's own bookkeeping is not a change anyone needs to audit.
    history = PlanHistory(excluded_fields=["levelled_at", "computed_at", "summary"])

    class Meta:
        verbose_name = _("schedule settings")
        verbose_name_plural = _("schedule settings")

    def clean(self):
        overlap = set(map(str, self.extra_days_off or [])) & set(map(str, self.extra_working_days or []))
        if overlap:
            raise ValidationError(_("%(date)s cannot be both an extra day off and an extra working day.")
                                  % {"date": sorted(overlap)[0]})


class Baseline(models.Model):
    """A named snapshot of the plan's dates, to measure slip against."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="baselines")
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    launch_date = models.DateField(_("launch date"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="unique_baseline_name")]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self):
        return self.name


class BaselineTask(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, related_name="baseline_entries")
    title = models.CharField(max_length=200)
    start = models.DateField(null=True)
    finish = models.DateField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["baseline", "task"], name="unique_baseline_task")]


class LevellingRun(models.Model):
    """One "level resources" job: queued from the page, run by Celery, polled for progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="levelling_runs")
    requested_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    time_limit_s = models.FloatField(default=5.0)
    method = models.CharField(max_length=20, blank=True)
    finish_before = models.DateField(null=True, blank=True)
    finish_after = models.DateField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Stamped by the worker while it runs the job: a run whose stamps stop lost its worker (onboarding/jobs.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    METHOD_LABELS = {
        "heuristic": _("priority rules"),
        "genetic": _("genetic search"),
        "cp-sat": _("CP-SAT: shortest found in the time limit"),
        "cp-sat-optimal": _("CP-SAT: proven shortest"),
    }

    @property
    def method_label(self):
        return self.METHOD_LABELS.get(self.method, self.method)

    @property
    def error_text(self):
        """``error`` (stored untranslated, see schedule/services.py) in the reader's language."""
        return gettext(self.error) if self.error else ""

    class Meta:
        ordering = ["-created_at", "-id"]


# The checklist grid's optional columns, in the order they are shown: (key, label, shown by default).
# The default set fits a 1366 px wide window beside the sticky task column and the row actions.
CHECKLIST_COLUMNS = (
    ("owner", _("Owner"), True),
    ("phase", _("Phase"), False),
    ("duration", _("Days"), True),
    ("preds", _("Predecessors"), True),
    ("snet", _("Not before"), False),
    ("deadline", _("Deadline"), True),
    ("status", _("Status"), True),
    ("percent", "%", True),
    ("start", _("Start"), True),
    ("finish", _("Finish"), True),
    ("float", _("Float"), True),
    ("critical", _("Critical"), True),
    ("visibility", _("Visibility"), False),
)


class ChecklistPreference(models.Model):
    """Which optional columns a person shows on the checklist grid (the same on every plan)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="checklist_preference")
    columns = models.JSONField(_("shown columns"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checklist columns")
        verbose_name_plural = _("checklist columns")
