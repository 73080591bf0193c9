"""Reads of the portfolio: one row per readable plan, and the workload of a workspace's people.

Every figure of a row comes from ``schedule.selectors.plan_statuses`` — the batch form of
``plan_status``, the one definition of launch, slip, health and progress — so a row equals the
plan's Overview. The rows of a set of plans are kept in the cache until anything of one of those
plans, or of what they show, changes (``onboarding.revisions``), on a new day or after a few
minutes, per language (the health reasons are sentences).
"""
import datetime
import functools
import hashlib
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, DateField, F, Max, Q, Sum, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from interfaces.rollup import readiness_of_products
from onboarding import revisions
from onboarding.access import plans_readable_by
from onboarding.models import Plan, Scenario
from schedule import scheduling
from schedule.models import Baseline, ScheduleSettings, Task
from schedule.selectors import Health, plan_statuses
from stakeholders.models import PlanStakeholder, Stakeholder

logger = logging.getLogger(__name__)

ROWS_LIFETIME_S = 300
STATUS_LIFETIME_S = 24 * 3600  # keyed by the plan's state and the day: nothing stale can be read
STATUS_FORMAT = 2  # in the status keys: a part cached by an older release (without holiday_span) is not read
HEALTH_ORDER = {Health.LATE: 0, Health.AT_RISK: 1, Health.ON_TRACK: 2}


@dataclass
class Milestone:
    title: str
    date: datetime.date | None
    done: bool
    is_launch: bool


@dataclass
class PortfolioRow:
    """What the portfolio shows of one plan (plain values: rows are cached and exported)."""

    plan_id: int
    name: str
    url: str
    workspace_id: int
    workspace: str
    product_id: int
    product: str
    scenario: str
    scenario_kind: str
    scenario_kind_label: str
    owner_id: int
    owner: str
    status: str
    status_label: str
    start: datetime.date
    health: str
    health_label: str
    reasons: list
    forecast_launch: datetime.date | None
    launched: bool
    target: datetime.date | None
    target_gap: int | None
    slip: int | None
    baseline_name: str
    percent_done: int
    task_count: int
    next_milestone: Milestone | None
    milestones: list = field(default_factory=list)
    blockers: list = field(default_factory=list)  # titles of the open blocked tasks
    # The product's joint-test matrix (interfaces/rollup.py): cells passed of all, cells blocked.
    interfaces_passed: int = 0
    interfaces_total: int = 0
    interfaces_blocked: int = 0
    # (first, last) year its dates depend on (scheduling.year_span): which holiday notes it needs.
    holiday_span: tuple = ()

    @property
    def slip_days(self):
        return abs(self.slip) if self.slip is not None else None


def _status_part(status):
    """What a row takes from the plan's status (cached per plan, see ``portfolio_rows``)."""
    upcoming = status.next_milestones
    return dict(
        health=status.health, health_label=str(status.health_label), reasons=[str(r) for r in status.reasons],
        forecast_launch=status.forecast_launch, launched=status.launched, target=status.target,
        target_gap=status.target_gap, slip=status.slip,
        baseline_name=status.baseline.name if status.baseline is not None else "",
        percent_done=status.percent_done, task_count=status.task_count,
        next_milestone=Milestone(upcoming[0].title, upcoming[0].date, False, upcoming[0].is_launch) if upcoming else None,
        milestones=[Milestone(m.title, m.date, m.done, m.is_launch) for m in status.milestones],
        blockers=[flag.title for flag in status.blocked],
        holiday_span=tuple(status.holiday_span),
    )


def _row(plan, part, overview_url):
    scenario = plan.scenario
    return PortfolioRow(
        plan_id=plan.pk, name=plan.name, url=overview_url.replace("/0/", f"/{plan.pk}/"),
        workspace_id=plan.workspace_id, workspace=plan.workspace.name,
        product_id=plan.product_id, product=plan.product.name,
        scenario=scenario.name if scenario else "", scenario_kind=scenario.kind if scenario else "",
        scenario_kind_label=str(scenario.get_kind_display()) if scenario else "",
        owner_id=plan.owner_id, owner=plan.owner.get_full_name() or plan.owner.username,
        status=plan.status, status_label=str(plan.get_status_display()), start=plan.start_date, **part)


def _cache_get(keys):
    try:
        return cache.get_many(keys) if isinstance(keys, list) else cache.get(keys)
    except Exception:  # noqa: BLE001 - a cache outage costs speed, never the page
        logger.warning("portfolio cache unavailable", exc_info=True)
        return {} if isinstance(keys, list) else None


def _cache_set(values, lifetime):
    try:
        cache.set_many(values, lifetime)
    except Exception:  # noqa: BLE001
        logger.warning("portfolio cache unavailable", exc_info=True)


def _status_keys(plans, today):
    """{plan id: cache key of its status part}: the key changes with anything the status reads —
    every write reschedules the plan (a new ``computed_at``), levelling sets ``levelled_at``, a
    new or deleted baseline changes the latest one, the plan's own fields its ``updated_at`` —
    with the tasks' count and versions, the day and the language. Plans not rescheduled today are
    rescheduled first."""
    ids = [plan.pk for plan in plans]
    stamps = {pk: (computed, levelled) for pk, computed, levelled in ScheduleSettings.objects.filter(
        plan_id__in=ids).values_list("plan_id", "computed_at", "levelled_at")}
    stale = [plan for plan in plans if plan.pk not in stamps or stamps[plan.pk][0] is None
             or timezone.localtime(stamps[plan.pk][0]).date() < today]
    if stale:
        for plan in stale:
            scheduling.ensure_fresh(plan, today=today)
        stamps.update({pk: (computed, levelled) for pk, computed, levelled in ScheduleSettings.objects.filter(
            plan_id__in=[plan.pk for plan in stale]).values_list("plan_id", "computed_at", "levelled_at")})
    baselines = dict(Baseline.objects.filter(plan_id__in=ids).values("plan_id").annotate(latest=Max("id"))
                     .values_list("plan_id", "latest"))
    # And the tasks themselves (every task write bumps its version), should a write ever skip the reschedule.
    tasks = {pk: (count, versions) for pk, count, versions in Task.objects.filter(plan_id__in=ids).values("plan_id")
             .annotate(count=Count("id"), versions=Sum("version")).values_list("plan_id", "count", "versions")}
    language = translation.get_language()
    return {plan.pk: f"portfolio-status:{STATUS_FORMAT}:" + hashlib.sha256("|".join(map(str, [
        plan.pk, plan.updated_at.isoformat() if plan.updated_at else "", *stamps.get(plan.pk, ("", "")),
        baselines.get(plan.pk, ""), *tasks.get(plan.pk, (0, 0)), today, language])).encode()).hexdigest()
        for plan in plans}


def portfolio_rows(plans, *, today=None):
    """The rows of ``plans`` (a queryset the caller scoped with plans_readable_by), in its order.

    Two caches: the whole set of rows until anything of one of these plans, or of what they show, changes
    (``onboarding.revisions``),
    and under it each plan's status part until that plan changes, so that after one edit only the
    edited plan's status is computed again.
    """
    today = today or timezone.localdate()
    ids = list(plans.values_list("pk", flat=True))
    if not ids:
        return []
    key = "portfolio-rows:" + hashlib.sha256("|".join(map(str, [
        *revisions.revisions_of(ids), today, translation.get_language(), ",".join(map(str, ids))])).encode()).hexdigest()
    cached = _cache_get(key)
    if cached is not None:
        return cached
    plans = list(Plan.objects.filter(pk__in=ids).select_related("workspace", "product", "scenario", "owner"))
    order = {pk: index for index, pk in enumerate(ids)}
    plans.sort(key=lambda plan: order[plan.pk])
    keys = _status_keys(plans, today)
    parts = _cache_get(list(keys.values()))
    missing = [plan for plan in plans if keys[plan.pk] not in parts]
    if missing:
        computed = {keys[pk]: _status_part(status) for pk, status in plan_statuses(missing, today=today).items()}
        _cache_set(computed, STATUS_LIFETIME_S)
        parts.update(computed)
    overview_url = reverse("schedule:plan_overview", args=[0])
    rows = [_row(plan, parts[keys[plan.pk]], overview_url) for plan in plans]
    readiness = readiness_of_products({plan.product_id for plan in plans})
    for row in rows:
        ready = readiness.get(row.product_id)
        if ready is not None:
            row.interfaces_passed, row.interfaces_total, row.interfaces_blocked = ready.passed, ready.total, ready.blocked
    _cache_set({key: rows}, ROWS_LIFETIME_S)
    return rows


def holiday_notes_of_rows(rows):
    """The holiday notes of the plans listed (scheduling.holiday_notes), each year once: one
    query, whatever the number of rows. Read when shown, not cached with the rows, so that
    entering a year's official schedule drops its mark at once."""
    return scheduling.spans_holiday_notes([row.holiday_span for row in rows if row.holiday_span])


def provisional_since(row, day, years):
    """Whether ``day`` of ``row``'s plan is counted across a year with provisional holidays
    (``years``): a date depends on the days off of every year from the plan's start to it."""
    return bool(day and years and any(row.start.year <= year <= day.year for year in years))


# ----------------------------------------------------------------------------- filters and sorting
def filtered_plans(user, *, workspace=None, product=None, kind="", owner=None, q="", **_ignored):
    """The readable plans narrowed by what the database can test."""
    plans = plans_readable_by(user)
    if workspace is not None:
        plans = plans.filter(workspace=workspace)
    if product is not None:
        plans = plans.filter(product=product)
    if kind:
        plans = plans.filter(scenario__kind=kind)
    if owner is not None:
        plans = plans.filter(owner_id=owner)
    if q:
        plans = plans.filter(Q(name__icontains=q) | Q(product__name__icontains=q) | Q(scenario__name__icontains=q))
    return plans.order_by("name", "pk")


def filter_rows(rows, *, health="", launch_from=None, launch_to=None, **_ignored):
    """Narrow rows by what only the plan status knows: health and the forecast launch window."""
    if health:
        rows = [row for row in rows if row.health == health]
    if launch_from:
        rows = [row for row in rows if row.forecast_launch and row.forecast_launch >= launch_from]
    if launch_to:
        rows = [row for row in rows if row.forecast_launch and row.forecast_launch <= launch_to]
    return rows


SORTS = {
    "name": lambda row: row.name.casefold(),
    "product": lambda row: row.product.casefold(),
    "kind": lambda row: row.scenario_kind,
    "owner": lambda row: row.owner.casefold(),
    "status": lambda row: row.status,
    "health": lambda row: HEALTH_ORDER[row.health],
    "launch": lambda row: row.forecast_launch,
    "target": lambda row: row.target,
    "slip": lambda row: row.slip,
    "done": lambda row: row.percent_done,
    "milestone": lambda row: row.next_milestone.date if row.next_milestone else None,
    "blockers": lambda row: len(row.blockers),
    "interfaces": lambda row: (row.interfaces_passed / row.interfaces_total) if row.interfaces_total else None,
}


def sort_rows(rows, sort):
    """Rows by ``sort`` (a key of SORTS, "-" first for descending); a row without the value last."""
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS["name"])
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=lambda row: (key(row), row.name.casefold()), reverse=descending)
    return present + missing


def owners_of(plans):
    """(id, name) of the owners of ``plans``, for the owner filter."""
    seen = {}
    for pk, first, last, username in plans.order_by().values_list(
            "owner_id", "owner__first_name", "owner__last_name", "owner__username").distinct():
        seen[pk] = f"{first} {last}".strip() or username
    return sorted(seen.items(), key=lambda item: item[1].casefold())


KINDS = Scenario.Kind


# ----------------------------------------------------------------------------- workload
@dataclass
class WorkloadCell:
    week: datetime.date
    days: float  # working days assigned in the week
    capacity: float  # working days the person has in the week (capacity x working days)

    @property
    def ratio(self):
        return self.days / self.capacity if self.capacity else (1.0 if self.days else 0.0)

    @property
    def level(self):
        """The heatmap colour: "" free, "low", "busy", "full", "over" (more than capacity)."""
        if not self.days:
            return ""
        if self.days > self.capacity:
            return "over"
        if self.ratio >= 0.999:
            return "full"
        return "busy" if self.ratio >= 0.5 else "low"


    @property
    def text(self):
        return f"{self.days:g}/{self.capacity:g}"


@dataclass
class WorkloadPerson:
    id: int
    name: str
    capacity: int
    cells: list

    @property
    def over_weeks(self):
        return sum(cell.level == "over" for cell in self.cells)

    def cells_html(self, cell_url):
        """The row's heatmap cells: each a button that loads what fills that week (htmx).

        Built here, not in the template: 200 people × 26 weeks are 5,200 cells, and the template
        engine takes seconds for them. Only numbers, dates and the escaped name go in.
        """
        name = escape(self.name)
        out = []
        for cell in self.cells:
            week = cell.week.isoformat()
            out.append(
                f'<td><button type="button" class="{cell.level}" data-week="{week}" title="{name} · {week}: '
                f'{cell.text}" hx-get="{cell_url}&amp;person={self.id}&amp;week={week}" hx-target="#workload-cell" '
                f'hx-swap="innerHTML">{cell.text if cell.days else ""}</button></td>')
        return mark_safe("".join(out))  # noqa: S308 - numbers, ISO dates and the escaped name only


@dataclass
class Workload:
    weeks: list
    people: list


ONE_DAY = datetime.timedelta(days=1)


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def _levelled_plans(plan_ids):
    return {row.plan_id for row in ScheduleSettings.objects.filter(plan_id__in=plan_ids)
            if row.levelled_at and row.computed_at and row.levelled_at >= row.computed_at}


def _assigned_tasks(plans, first, last, *fields, stakeholder=None):
    """``fields`` of the owned, dated work of ``plans`` touching [first, last], as tuples, with
    ``span_start`` / ``span_end``: the days its owner works on it as its plan shows them — the
    levelled dates while the plan's levelling is current, the actual ones of done work, else the
    computed ones. Worked out in SQL: a workspace's 40,000 tasks are two dates each, not eleven
    fields and a model instance."""
    levelled = list(_levelled_plans(plans))
    done = Q(status=Task.Status.DONE, actual_start__isnull=False, actual_finish__isnull=False)
    whens = {"start": [When(done, then=F("actual_start"))], "end": [When(done, then=F("actual_finish"))]}
    if levelled:
        current = Q(plan_id__in=levelled, levelled_start__isnull=False, levelled_finish__isnull=False)
        whens["start"].insert(0, When(current, then=F("levelled_start")))
        whens["end"].insert(0, When(current, then=F("levelled_finish")))
    tasks = (Task.objects.filter(plan_id__in=plans, owner__isnull=False, is_milestone=False, duration__gt=0)
             .annotate(span_start=Case(*whens["start"], default=F("early_start"), output_field=DateField()),
                       span_end=Case(*whens["end"], default=F("early_finish"), output_field=DateField()))
             .filter(span_start__lte=last, span_end__gte=first))
    if stakeholder is not None:
        tasks = tasks.filter(owner__stakeholder_id=stakeholder)
    return tasks.values_list(*fields, "span_start", "span_end")


@functools.lru_cache(maxsize=32)
def _working_dates(first, last, years_key):
    """The working dates in [first, last] by the official calendar (``years_key``: the holiday
    years staff entered, so a new entry makes a new key)."""
    calendar = scheduling.SharedCalendars().default(first, last)
    return frozenset(calendar.working_dates(first, last))


def working_dates(first, last):
    return _working_dates(first, last, repr(sorted(scheduling.official_years().items())))


def workload(user, workspace, *, start, weeks=12):
    """Per person of ``workspace`` on the plans the user reads there (the platform's people all, a
    partner's contacts when they own work in these weeks),
    the working days assigned per week from the scheduled tasks of every such plan, against their
    capacity: how many tasks they can work on at once (their largest capacity on any of those
    plans) times the week's working days."""
    first = week_start(start)
    last = first + datetime.timedelta(days=7 * weeks - 1)
    plans = plans_readable_by(user, workspace)
    week_list = [first + datetime.timedelta(days=7 * i) for i in range(weeks)]
    working = working_dates(first, last)
    week_days = {week: sum((week + datetime.timedelta(days=i)) in working for i in range(7)) for week in week_list}
    week_of = {day: week_start(day) for day in working}

    plan_ids = list(plans.values_list("pk", flat=True))
    load = {}
    for stakeholder_id, span_start, span_end in _assigned_tasks(plan_ids, first, last, "owner__stakeholder_id"):
        person = load.setdefault(stakeholder_id, {})
        day, end = max(span_start, first), min(span_end, last)
        while day <= end:
            week = week_of.get(day)
            if week is not None:
                person[week] = person.get(week, 0) + 1
            day += ONE_DAY

    people = []
    members = (PlanStakeholder.objects.filter(plan_id__in=plan_ids, stakeholder__workspace=workspace)
               .values_list("stakeholder_id", "stakeholder__name", "capacity", "stakeholder__side"))
    capacities, names, platform = {}, {}, set()
    for stakeholder_id, name, capacity, side in members:
        names[stakeholder_id] = name
        capacities[stakeholder_id] = max(capacity, capacities.get(stakeholder_id, 0))
        if side == Stakeholder.Side.PLATFORM:
            platform.add(stakeholder_id)
    for stakeholder_id in sorted(names, key=lambda pk: (names[pk].casefold(), pk)):
        weeks_load = load.get(stakeholder_id, {})
        # The team's own people are listed even when free (who can take more is the question);
        # a partner's contact only when they own work in these weeks.
        if not weeks_load and stakeholder_id not in platform:
            continue
        capacity = capacities[stakeholder_id]
        people.append(WorkloadPerson(stakeholder_id, names[stakeholder_id], capacity, [
            WorkloadCell(week, float(weeks_load.get(week, 0)), float(capacity * week_days[week]))
            for week in week_list]))
    return Workload(week_list, people)


@dataclass
class CellTask:
    plan_id: int
    plan: str
    plan_url: str
    task_id: int
    title: str
    start: datetime.date
    finish: datetime.date
    days: int  # working days of the task inside the week


def workload_cell(user, workspace, *, stakeholder_id, week):
    """The tasks (and their plans) that fill one person's week: what a heatmap cell is made of."""
    first = week_start(week)
    last = first + datetime.timedelta(days=6)
    plans = plans_readable_by(user, workspace)
    plan_ids = list(plans.values_list("pk", flat=True))
    names = dict(Plan.objects.filter(pk__in=plan_ids).values_list("pk", "name"))
    working = working_dates(first, last)
    out = []
    for task_id, title, plan_id, start, finish in _assigned_tasks(plan_ids, first, last, "pk", "title", "plan_id",
                                                                  stakeholder=stakeholder_id):
        days = sum(1 for i in range(7) if start <= first + datetime.timedelta(days=i) <= finish
                   and first + datetime.timedelta(days=i) in working)
        if days:
            out.append(CellTask(plan_id, names[plan_id], reverse("schedule:plan_overview", args=[plan_id]),
                                task_id, title, start, finish, days))
    out.sort(key=lambda item: (item.plan.casefold(), item.start, item.task_id))
    return out
