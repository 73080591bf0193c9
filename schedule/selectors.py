"""Reads of a plan's checklist and schedule: what every page, export, email and API response shows.

``plan_status`` is the one source of a plan's forecast launch, slip, health and progress: the
Overview, Schedule, share pages, PDF header, digests (and the portfolio) all read it, so they
cannot disagree.
"""
import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.models import Stakeholder

from . import scheduling
from .models import (CHECKLIST_COLUMNS, Baseline, BaselineTask, ChecklistPreference, ScheduleSettings, Task, TaskLink,
                     WatchOut)


def with_row_data(tasks):
    """Tasks with what a checklist row shows, without a query per row."""
    return tasks.select_related("owner__stakeholder", "related_flow", "phase").prefetch_related(
        Prefetch("predecessor_links", queryset=TaskLink.objects.order_by("id")),
        Prefetch("watchouts", queryset=WatchOut.objects.order_by("position", "id")),
    )


def _display_order(phases, tasks):
    """Tasks in checklist order: phase by phase, then the ones without a phase."""
    rank = {phase.pk: i for i, phase in enumerate(phases)}
    return sorted(tasks, key=lambda t: (rank.get(t.phase_id, len(rank)), t.position, t.pk))


def task_numbers(plan):
    """{task id: its row number (1, 2, ...) in checklist order}: the "#12" of "#12 FS+2"."""
    phases = list(plan.phases.order_by("position", "id").only("pk", "plan_id"))
    tasks = list(Task.objects.filter(plan=plan).only("pk", "phase_id", "position"))
    return {task.pk: i for i, task in enumerate(_display_order(phases, tasks), start=1)}


def link_label(number, link):
    lag = f"{link.lag:+d}" if link.lag else ""
    return f"#{number if number is not None else '?'} {link.type}{lag}"


def decorate(task, numbers):
    """Attach the row's derived values (number, predecessors summary, watch-out counts)."""
    task.number = numbers.get(task.pk)
    links = sorted(task.predecessor_links.all(), key=lambda link: numbers.get(link.predecessor_id) or 0)
    task.predecessor_summary = ", ".join(link_label(numbers.get(link.predecessor_id), link) for link in links)
    watchouts = list(task.watchouts.all())
    task.watchout_count = len(watchouts)
    task.watchout_done = sum(w.done for w in watchouts)
    return task


class TaskGroup:
    """The tasks of one phase (or, with phase None, the tasks without a phase): a parent of task rows."""

    def __init__(self, plan, phase, tasks=None, numbers=None):
        self.plan = plan
        self.phase = phase
        self.pk = phase.pk if phase else 0  # 0 names "no phase" in URLs and DOM ids
        if tasks is not None:
            self.__dict__["tasks"] = tasks
        if numbers is not None:
            self.__dict__["numbers"] = numbers

    @cached_property
    def numbers(self):
        return task_numbers(self.plan)

    @cached_property
    def tasks(self):
        rows = with_row_data(Task.objects.filter(plan=self.plan, phase=self.phase).order_by("position", "id"))
        return [decorate(task, self.numbers) for task in rows]

    def siblings(self):
        return Task.objects.filter(plan=self.plan, phase=self.phase)

    def __str__(self):
        return self.phase.name if self.phase else _("No phase")


def checklist_groups(plan):
    """The checklist: one group per phase in order, then "No phase" when it has tasks (or no phase exists)."""
    phases = list(plan.phases.order_by("position", "id"))
    tasks = _display_order(phases, with_row_data(Task.objects.filter(plan=plan)))
    numbers = {task.pk: i for i, task in enumerate(tasks, start=1)}
    by_phase = {}
    for task in tasks:
        by_phase.setdefault(task.phase_id, []).append(decorate(task, numbers))
    groups = [TaskGroup(plan, phase, by_phase.get(phase.pk, []), numbers) for phase in phases]
    if by_phase.get(None) or not phases:
        groups.append(TaskGroup(plan, None, by_phase.get(None, []), numbers))
    return groups



@dataclass
class ChecklistColumn:
    key: str
    label: str
    shown: bool


def checklist_columns(user):
    """The checklist grid's optional columns for ``user``, each shown or not (their saved choice, else the
    default set)."""
    saved = ChecklistPreference.objects.filter(user_id=user.pk).values_list("columns", flat=True).first()
    chosen = set(saved) if saved is not None else {key for key, _label, default in CHECKLIST_COLUMNS if default}
    return [ChecklistColumn(key, label, key in chosen) for key, label, _default in CHECKLIST_COLUMNS]


@dataclass
class StepProgress:
    number: int
    title: str
    percent: int
    sentence: str
    url: str
    action: str

    @property
    def complete(self):
        return self.percent >= 100


def _percent(parts):
    return round(100 * sum(parts) / len(parts)) if parts else 0


def _fraction(done, total):
    return done / total if total else 0


def _docs_step(plan):
    product = plan.product
    labels = [(product.official_url, _("official site")), (product.api_docs_url, _("API docs")),
              (product.console_url, _("console"))]
    missing = [label for url, label in labels if not url]
    filled = len(labels) - len(missing)
    if missing:
        sentence = _("%(filled)s of 3 links filled; missing: %(missing)s.") % {
            "filled": filled, "missing": ", ".join(missing)}
    else:
        sentence = _("Official site, API docs and console are all linked.")
    return StepProgress(1, _("Official site and docs"), _percent([bool(url) for url, _label in labels]), sentence,
                        product.get_absolute_url(), _("Open the product"))


def _flow_step(plan):
    flows = list(plan.flows.annotate(
        lane_count=Count("lanes", distinct=True), step_count=Count("steps", distinct=True),
        metric_count=Count("metrics", distinct=True)))
    complete = sum(f.lane_count >= 2 and f.step_count >= 2 and f.metric_count >= 1 for f in flows)
    if flows:
        if len(flows) == 1:
            sentence = (_("The flow is complete (at least 2 lanes, 2 steps and 1 key metric).") if complete else
                        _("The flow is not complete yet: it needs at least 2 lanes, 2 steps and 1 key metric."))
        else:
            sentence = _("%(complete)s of %(total)s flows complete (at least 2 lanes, 2 steps and 1 key metric).") % {
                "complete": complete, "total": len(flows)}
    else:
        sentence = _("No business flow yet.")
    return StepProgress(2, _("Business flow"), round(100 * _fraction(complete, len(flows))), sentence,
                        reverse("onboarding:plan_flow", args=[plan.pk]), _("Open the flow"))


def _stakeholder_step(plan):
    people = list(plan.plan_stakeholders.select_related("stakeholder"))
    platform = sum(p.stakeholder.side == Stakeholder.Side.PLATFORM for p in people)
    partner = len(people) - platform
    unscored = sum(not (p.relevance and p.influence) for p in people)
    no_concerns = sum(not p.concerns.strip() for p in people)
    checks = [bool(people), bool(platform and partner), bool(people) and not unscored,
              bool(people) and not no_concerns]
    if not people:
        sentence = _("No stakeholders yet.")
    else:
        parts = [ngettext("%(count)s stakeholder (%(platform)s platform, %(partner)s partner).",
                          "%(count)s stakeholders (%(platform)s platform, %(partner)s partner).", len(people))
                 % {"count": len(people), "platform": platform, "partner": partner}]
        if not (platform and partner):
            parts.append(_("Both sides should be present."))
        if unscored:
            parts.append(ngettext("%(count)s not scored.", "%(count)s not scored.", unscored) % {"count": unscored})
        if no_concerns:
            parts.append(ngettext("%(count)s without concerns noted.", "%(count)s without concerns noted.",
                                  no_concerns) % {"count": no_concerns})
        sentence = " ".join(parts)
    return StepProgress(3, _("Stakeholders"), _percent(checks), sentence,
                        reverse("stakeholders:plan_stakeholders", args=[plan.pk]), _("Open stakeholders"))


def _checklist_step(plan, tasks, watchouts):
    phases = list(plan.phases.annotate(task_count=Count("tasks")))
    empty_phases = sum(not phase.task_count for phase in phases)
    owned = sum(task.owner_id is not None for task in tasks)
    total = len(tasks)
    parts = [1 if total else 0, _fraction(len(phases) - empty_phases, len(phases)) if phases else (1 if total else 0),
             _fraction(owned, total)]
    if total:
        bits = [ngettext("%(count)s task in %(phases)s phases.", "%(count)s tasks in %(phases)s phases.", total)
                % {"count": total, "phases": len(phases)},
                _("%(owned)s of %(total)s have an owner.") % {"owned": owned, "total": total}]
        if empty_phases:
            bits.append(ngettext("%(count)s phase has no tasks.", "%(count)s phases have no tasks.", empty_phases)
                        % {"count": empty_phases})
        bits.append(_("%(done)s of %(total)s watch-outs ticked off.") % watchouts)
        sentence = " ".join(bits)
    else:
        sentence = _("No tasks yet: start from a template or add them phase by phase.")
    return StepProgress(4, _("Task checklist"), _percent(parts), sentence,
                        reverse("schedule:plan_checklist", args=[plan.pk]), _("Open the checklist"))


def _schedule_step(plan, tasks):
    total = len(tasks)
    sized = sum(task.is_milestone or task.duration > 0 for task in tasks)
    linked_ids = set()
    for pred, succ in TaskLink.objects.filter(successor__plan=plan).values_list("predecessor_id", "successor_id"):
        linked_ids.update((pred, succ))
    dated = sum(task.early_start is not None for task in tasks)
    critical = sum(task.is_critical for task in tasks)
    parts = [_fraction(sized, total), _fraction(len(linked_ids), total) if total > 1 else _fraction(sized, total),
             _fraction(dated, total)]
    if total:
        sentence = _("%(sized)s of %(total)s tasks have a duration, %(linked)s are linked, "
                     "%(dated)s have computed dates (%(critical)s critical).") % {
            "sized": sized, "total": total, "linked": len(linked_ids), "dated": dated, "critical": critical}
    else:
        sentence = _("Nothing to schedule yet.")
    return StepProgress(5, _("Priorities and schedule"), _percent(parts), sentence,
                        reverse("schedule:plan_checklist", args=[plan.pk]), _("Open the checklist"))


def plan_steps(plan):
    """The five steps of the brief with how complete each is, and the task status counts."""
    tasks = list(Task.objects.filter(plan=plan).only(
        "pk", "owner_id", "duration", "is_milestone", "early_start", "is_critical", "status", "plan_id"))
    watchouts = WatchOut.objects.filter(task__plan=plan).aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    counts = {value: 0 for value in Task.Status.values}
    for task in tasks:
        counts[task.status] = counts.get(task.status, 0) + 1
    return {
        "steps": [_docs_step(plan), _flow_step(plan), _stakeholder_step(plan),
                  _checklist_step(plan, tasks, watchouts), _schedule_step(plan, tasks)],
        "status_counts": [(value, label, counts[value]) for value, label in Task.Status.choices],
        "task_total": len(tasks),
    }


# --------------------------------------------------------------------------- plan status
AT_RISK_FLOAT = 2  # working days of float (or margin before the target) at or below which it is "at risk"


class Health:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"

    @staticmethod
    def label(value):
        return {Health.ON_TRACK: _("On track"), Health.AT_RISK: _("At risk"), Health.LATE: _("Late")}[value]


@dataclass
class Flagged:
    """An open task that needs attention, and why."""

    id: int
    title: str
    reason: str
    due: datetime.date | None = None
    status: str = ""
    visibility: str = ""
    owner_id: int | None = None


@dataclass
class MilestoneDate:
    id: int
    title: str
    date: datetime.date | None
    done: bool
    status: str
    status_display: str
    is_launch: bool
    visibility: str


@dataclass
class PlanStatus:
    today: datetime.date
    forecast_launch: datetime.date | None = None
    launch_id: int | None = None
    launch_title: str = ""
    # "milestone": the plan's named launch milestone; "last_milestone": none is named, its last
    # milestone stands in; "last_finish": no milestone at all; None: nothing scheduled yet.
    launch_source: str | None = None
    launched: bool = False
    levelled: bool = False
    target: datetime.date | None = None
    target_gap: int | None = None  # working days the forecast is after (+) or before (−) the target
    baseline: object = None
    baseline_launch: datetime.date | None = None
    slip: int | None = None  # working days the forecast moved against the baseline (+ = later)
    percent_done: int = 0
    done_count: int = 0
    task_count: int = 0
    late: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    milestones: list = field(default_factory=list)  # every milestone, by date
    health: str = Health.ON_TRACK
    reasons: list = field(default_factory=list)  # why the health is what it is, in words
    notes: list = field(default_factory=list)  # what the reader should know (e.g. no launch named)
    holiday_notes: list = field(default_factory=list)  # years counted with provisional or no holidays
    holiday_span: tuple = ()  # (first, last) year the plan's dates depend on: scheduling.year_span

    @property
    def health_label(self):
        return Health.label(self.health)

    @property
    def next_milestones(self):
        return [m for m in self.milestones if not m.done]

    @property
    def slip_days(self):
        return abs(self.slip) if self.slip is not None else None

    @property
    def target_gap_days(self):
        return abs(self.target_gap) if self.target_gap is not None else None

    @property
    def has_risks(self):
        return bool(self.late or self.blocked or (self.slip and self.slip > 0))


STATUS_FIELDS = ("pk", "plan_id", "title", "status", "is_milestone", "is_launch", "duration", "percent_complete",
                 "early_start", "early_finish", "levelled_finish", "actual_finish", "total_float", "deadline",
                 "schedule_note", "visibility", "owner_id", "position")


class _StatusTask:
    """A task as ``plan_statuses`` reads it: the STATUS_FIELDS as attributes, without building a
    model instance per task (40,000 of them cost seconds)."""

    __slots__ = STATUS_FIELDS
    schedule_note_text = Task.schedule_note_text

    def __init__(self, values):
        for name, value in zip(STATUS_FIELDS, values):
            setattr(self, name, value)


def _forecast(task, levelled):
    if task.status == Task.Status.DONE and task.actual_finish:
        return task.actual_finish
    if levelled and task.levelled_finish:
        return task.levelled_finish
    return task.early_finish


def _percent_done(tasks):
    """Done share of the plan's working days (a started task counts its % complete)."""
    weights = [(0 if task.is_milestone else task.duration) for task in tasks]
    if not sum(weights):
        done = sum(task.status == Task.Status.DONE for task in tasks)
        return round(100 * done / len(tasks)) if tasks else 0
    done = sum(weight * (1 if task.status == Task.Status.DONE else task.percent_complete / 100)
               for weight, task in zip(weights, tasks))
    return min(100, int(100 * done / sum(weights)))


def plan_status(plan, *, today=None, baseline=None):
    """The plan's forecast launch, slip, progress, what needs attention and its health, with reasons.

    ``baseline``: the one to measure slip against (default: the latest saved).
    """
    today = today or timezone.localdate()
    scheduling.ensure_fresh(plan, today=today)
    settings = scheduling.settings_for(plan)
    tasks = list(plan.tasks.only(*STATUS_FIELDS).order_by("position", "pk"))
    baseline = baseline if baseline is not None else plan.baselines.first()

    def baseline_finish(launch):
        return baseline.tasks.filter(task_id=launch.pk).values_list("finish", flat=True).first()

    return _status(plan, today=today, settings=settings, calendar=scheduling.plan_calendar(plan, settings),
                   tasks=tasks, baseline=baseline, baseline_finish=baseline_finish,
                   holiday_notes=scheduling.holiday_notes(plan, settings.summary))


def plan_statuses(plans, *, today=None):
    """``plan_status`` of many plans at once, {plan id: PlanStatus}, in a fixed number of queries.

    The same figures as ``plan_status`` (the same ``_status`` computes them): only the reads are
    batched — schedule settings, tasks, latest baselines and their launch entries, one query
    each — and plans with the same extra days off share a calendar. A plan not rescheduled
    today is rescheduled first, as its Overview would.
    """
    today = today or timezone.localdate()
    plans = list(plans)
    if not plans:
        return {}
    ids = [plan.pk for plan in plans]
    settings = {row.plan_id: row for row in ScheduleSettings.objects.filter(plan_id__in=ids)}
    stale = [plan for plan in plans if plan.pk not in settings or scheduling._stale(settings[plan.pk], today)]
    for plan in stale:
        scheduling.ensure_fresh(plan, today=today)
    if stale:
        settings.update((row.plan_id, row) for row in
                        ScheduleSettings.objects.filter(plan_id__in=[plan.pk for plan in stale]))
    tasks = {pk: [] for pk in ids}
    for values in Task.objects.filter(plan_id__in=ids).order_by("plan_id", "position", "pk").values_list(*STATUS_FIELDS):
        task = _StatusTask(values)
        tasks[task.plan_id].append(task)
    baselines = {}
    for baseline in Baseline.objects.filter(plan_id__in=ids).order_by(*Baseline._meta.ordering):
        baselines.setdefault(baseline.plan_id, baseline)
    launches = {pk: scheduling.launch_task(plan_tasks)[0] for pk, plan_tasks in tasks.items()}
    entries = dict(((baseline_id, task_id), finish) for baseline_id, task_id, finish in BaselineTask.objects.filter(
        baseline_id__in=[b.pk for b in baselines.values()],
        task_id__in=[t.pk for t in launches.values() if t is not None]).values_list("baseline_id", "task_id", "finish"))
    calendars = scheduling.SharedCalendars()
    statuses = {}
    for plan in plans:
        baseline = baselines.get(plan.pk)
        plan_settings = settings[plan.pk]
        statuses[plan.pk] = _status(
            plan, today=today, settings=plan_settings, calendar=calendars.for_plan(plan, plan_settings),
            tasks=tasks[plan.pk], baseline=baseline,
            baseline_finish=lambda launch, baseline=baseline: entries.get((baseline.pk, launch.pk)),
            holiday_notes=scheduling.holiday_notes(plan, plan_settings.summary, entered=calendars.entered_years))
    return statuses


def _status(plan, *, today, settings, calendar, tasks, baseline, baseline_finish, holiday_notes):
    status = PlanStatus(today=today, target=plan.target_launch_date, task_count=len(tasks))
    status.levelled = bool(settings.levelled_at and settings.computed_at and settings.levelled_at >= settings.computed_at)
    status.holiday_notes = holiday_notes
    status.holiday_span = scheduling.year_span(plan.start_date, plan.target_launch_date, settings.summary)

    launch, status.launch_source = scheduling.launch_task(tasks)
    if launch is not None:
        status.launch_id, status.launch_title = launch.pk, launch.title
        status.forecast_launch = _forecast(launch, status.levelled)
        status.launched = launch.status == Task.Status.DONE
    if status.launch_source in ("last_milestone", "last_finish"):
        status.notes.append(_("No launch milestone is named: the forecast launch is the plan's last %(what)s. "
                              "Mark its launch milestone on the checklist.")
                            % {"what": _("milestone") if status.launch_source == "last_milestone" else _("task")})

    if plan.target_launch_date and status.forecast_launch:
        status.target_gap = calendar.working_days_between(plan.target_launch_date, status.forecast_launch)
    if baseline is not None:
        status.baseline = baseline
        entry = baseline_finish(launch) if launch is not None else None
        status.baseline_launch = entry or baseline.launch_date
        if status.baseline_launch and status.forecast_launch:
            status.slip = calendar.working_days_between(status.baseline_launch, status.forecast_launch)

    status.done_count = sum(task.status == Task.Status.DONE for task in tasks)
    status.percent_done = _percent_done(tasks)
    _flag_tasks(status, tasks, today)
    status.milestones = [
        MilestoneDate(id=task.pk, title=task.title, date=_forecast(task, status.levelled),
                      done=task.status == Task.Status.DONE, status=task.status,
                      status_display=str(Task.Status(task.status).label), is_launch=task.pk == status.launch_id,
                      visibility=task.visibility)
        for task in sorted((t for t in tasks if t.is_milestone),
                           key=lambda t: (_forecast(t, status.levelled) or datetime.date.max, t.position))
    ]
    _judge(status, launch)
    return status


def _flag_tasks(status, tasks, today):
    for task in tasks:
        if task.status == Task.Status.DONE:
            continue
        flag = dict(id=task.pk, title=task.title, due=task.deadline, status=task.status,
                    visibility=task.visibility, owner_id=task.owner_id)
        late = True
        if task.deadline and task.deadline < today:
            status.late.append(Flagged(**flag, reason=_("deadline %(date)s has passed") % {
                "date": task.deadline.isoformat()}))
        elif task.total_float is not None and task.total_float < 0:
            status.late.append(Flagged(**flag, reason=task.schedule_note_text or ngettext(
                "%(days)s working day behind", "%(days)s working days behind", -task.total_float)
                % {"days": -task.total_float}))
        else:
            late = False
        if task.status == Task.Status.BLOCKED:
            status.blocked.append(Flagged(**flag, reason=_("blocked")))
        elif not late and task.total_float is not None and task.total_float <= AT_RISK_FLOAT:
            status.at_risk.append(Flagged(**flag, reason=ngettext(
                "only %(days)s working day of float", "only %(days)s working days of float", task.total_float)
                % {"days": task.total_float}))


def _judge(status, launch):
    """Health: late, at risk or on track, and the sentences that say why."""
    late, risk = [], []
    if status.launched:
        status.health = Health.ON_TRACK
        status.reasons = [_("Launched on %(date)s.") % {"date": status.forecast_launch.isoformat()}]
        return
    if status.target_gap is not None and status.target_gap > 0:
        late.append(ngettext(
            "Forecast launch %(forecast)s is %(days)s working day after the target %(target)s.",
            "Forecast launch %(forecast)s is %(days)s working days after the target %(target)s.", status.target_gap)
            % {"forecast": status.forecast_launch.isoformat(), "days": status.target_gap,
               "target": status.target.isoformat()})
    if launch is not None and any(flag.id == launch.pk for flag in status.late):
        late.append(_("The launch milestone “%(title)s” is behind its deadline.") % {"title": launch.title})
    if status.slip is not None and status.slip > 0:
        risk.append(ngettext(
            "Forecast launch is %(days)s working day later than baseline “%(name)s” (%(date)s).",
            "Forecast launch is %(days)s working days later than baseline “%(name)s” (%(date)s).", status.slip)
            % {"days": status.slip, "name": status.baseline.name, "date": status.baseline_launch.isoformat()})
    if status.target_gap == 0:
        risk.append(_("The forecast launch is on the target date, with no margin."))
    elif status.target_gap is not None and -AT_RISK_FLOAT <= status.target_gap < 0:
        margin = -status.target_gap
        risk.append(ngettext("Only %(days)s working day of margin before the target launch.",
                             "Only %(days)s working days of margin before the target launch.", margin)
                    % {"days": margin})
    others_late = [flag for flag in status.late if launch is None or flag.id != launch.pk]
    if others_late:
        risk.append(ngettext("%(count)s task is late.", "%(count)s tasks are late.", len(others_late))
                    % {"count": len(others_late)})
    if status.blocked:
        risk.append(ngettext("%(count)s task is blocked.", "%(count)s tasks are blocked.", len(status.blocked))
                    % {"count": len(status.blocked)})
    if late:
        status.health, status.reasons = Health.LATE, late + risk
    elif risk:
        status.health, status.reasons = Health.AT_RISK, risk
    else:
        status.health = Health.ON_TRACK
        if status.forecast_launch is None:
            status.reasons = [_("Nothing is scheduled yet.")]
        elif status.target:
            status.reasons = [_("No late or blocked tasks; the forecast launch is on or before the target.")]
        else:
            status.reasons = [_("No late or blocked tasks.")]
