"""The bridge between a plan in the database and the scheduling engine.

Builds the engine's input (working-day calendar, tasks, links) from a plan, runs
the CPM pass or resource levelling, and writes the dates back on the tasks. The
engine itself stays plain Python (schedule/engine/).
"""
import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.services import plan_write

from . import engine, notes
from .bulk import update_rows
from .engine.calendar import FIRST_DATE, LAST_DATE, CalendarRangeError, year_source
from .models import OfficialHolidayYear, ScheduleSettings, Task, TaskLink

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float",
                   "is_critical", "schedule_note"]


def settings_for(plan):
    settings = ScheduleSettings.objects.filter(plan=plan).first()
    if settings is None:
        # Made on first use, with the defaults: nobody changed anything, so nothing for the history.
        settings = ScheduleSettings(plan=plan)
        settings.skip_history_when_saving = True
        try:
            with transaction.atomic():
                settings.save()
        except IntegrityError:  # another request made it first
            return ScheduleSettings.objects.get(plan=plan)
        del settings.skip_history_when_saving
    return settings


def official_years():
    return {
        row.year: ([datetime.date.fromisoformat(d) for d in row.holidays],
                   [datetime.date.fromisoformat(d) for d in row.makeup_workdays])
        for row in OfficialHolidayYear.objects.all()
    }


def plan_calendar(plan, settings=None, *, custom_years=None):
    """The plan's working days. ``custom_years``: official_years(), when the caller read it already."""
    settings = settings or settings_for(plan)
    return engine.WorkCalendar(
        plan.start_date,
        extra_days_off=[datetime.date.fromisoformat(d) for d in settings.extra_days_off],
        extra_working_days=[datetime.date.fromisoformat(d) for d in settings.extra_working_days],
        custom_years=official_years() if custom_years is None else custom_years,
        until=plan.target_launch_date,
    )


class SharedCalendars:
    """Calendars for many plans at once (the portfolio, digests).

    Counting working days between two dates does not depend on a calendar's origin, only on its
    days off, so plans whose extra days off and extra working days are the same share one
    calendar instead of building one each (a few milliseconds apiece). Use only
    ``working_days_between`` and date tests on these; periods are relative to another origin.
    """

    def __init__(self):
        self.custom_years = official_years()
        self._calendars = {}

    def for_plan(self, plan, settings):
        key = (tuple(sorted(settings.extra_days_off)), tuple(sorted(settings.extra_working_days)))
        calendar = self._calendars.get(key)
        if calendar is None:
            calendar = self._calendars[key] = plan_calendar(plan, settings, custom_years=self.custom_years)
        return calendar

    def default(self, first, last):
        """A calendar with the official days off only (no plan's extra days), from ``first`` to ``last``."""
        return engine.WorkCalendar(first, custom_years=self.custom_years, until=last)

    @property
    def entered_years(self):
        return set(self.custom_years)


def launch_task(tasks):
    """(the plan's launch task, how it was chosen) among ``tasks`` (scheduled Task rows).

    "milestone": the milestone marked as the launch; "last_milestone": none is marked, the last
    milestone stands in; "last_finish": there is no milestone, the last task stands in.
    """
    named = [task for task in tasks if task.is_launch]
    if named:
        return named[0], "milestone"
    milestones = [task for task in tasks if task.is_milestone and task.early_finish]
    if milestones:
        return max(milestones, key=lambda task: (task.early_finish, task.position)), "last_milestone"
    dated = [task for task in tasks if task.early_finish]
    if dated:
        return max(dated, key=lambda task: (task.early_finish, task.position)), "last_finish"
    return None, None


def _finish_date(calendar, start, finish):
    """The last working day of work in periods [start, finish); a milestone's own day."""
    return calendar.date_of(finish - 1 if finish > start else start)


def engine_task(task, calendar):
    """One Task as the engine sees it, in periods of the plan's calendar."""
    duration = 0 if task.is_milestone else task.duration
    actual_start = calendar.period_of(task.actual_start) if task.actual_start else None
    actual_finish = None
    if task.actual_finish:
        actual_finish = calendar.period_of(task.actual_finish) + (1 if duration else 0)
    elif task.status == Task.Status.DONE and actual_start is not None:
        actual_finish = actual_start + duration
    return engine.Task(
        id=task.pk,
        duration=duration,
        earliest_start=calendar.start_period(task.start_no_earlier_than) if task.start_no_earlier_than else None,
        fixed_start=calendar.start_period(task.must_start_on) if task.must_start_on else None,
        deadline=calendar.deadline_period(task.deadline, milestone=not duration) if task.deadline else None,
        actual_start=actual_start,
        actual_finish=actual_finish,
        percent_complete=100 if task.status == Task.Status.DONE else task.percent_complete,
    )


def engine_links(links):
    return [engine.Link(link.predecessor_id, link.successor_id, link.type, link.lag) for link in links]


def plan_links(plan):
    return TaskLink.objects.filter(successor__plan=plan).only("predecessor_id", "successor_id", "type", "lag")


def status_period(plan, calendar, today=None):
    today = today or timezone.localdate()
    return calendar.period_of(today) if today > plan.start_date else None


def cycle_for_new_link(plan, predecessor_id, successor_id, replacing=None):
    """The tasks of the cycle a new (or changed) link would close, in order, or None."""
    links = [link for link in plan_links(plan) if link.pk != getattr(replacing, "pk", None)]
    candidate = engine_links(links) + [engine.Link(predecessor_id, successor_id)]
    task_ids = list(plan.tasks.values_list("pk", flat=True))
    return engine.find_cycle(task_ids, candidate)


class ScheduleOutOfRange(ValidationError):
    """The schedule would put dates outside the calendar: the message names the chain of tasks
    that pushes them there. Nothing is stored."""


def out_of_range_message():
    return _("A date would fall outside the calendar (%(first)s to %(last)s): nothing was changed.") % {
        "first": FIRST_DATE, "last": LAST_DATE}


def _chain_text(titles):
    quoted = [f"“{title}”" for title in titles]
    if len(quoted) > 12:  # a message, not the whole plan: both ends say where the chain runs
        quoted = quoted[:5] + [_("… %(count)d more …") % {"count": len(quoted) - 10}] + quoted[-5:]
    return " → ".join(quoted)


def _check_range(result, calendar, by_id):
    """Raise ScheduleOutOfRange when a computed date would fall outside the calendar."""
    scheduled = result.tasks.values()
    if not scheduled:
        return
    last = max(scheduled, key=lambda s: max(s.early_start, s.early_finish - 1, s.late_finish - 1))
    try:
        calendar.date_of(max(last.early_start, last.early_finish - 1, last.late_finish - 1))
    except CalendarRangeError:
        titles = [by_id[task_id].title for task_id in result.driving_chain(last.id)]
        raise ScheduleOutOfRange(
            _("%(chain)s would end after %(last)s, the last date the calendar serves. "
              "Shorten the work or the lags of this chain.") % {"chain": _chain_text(titles), "last": LAST_DATE},
            code="schedule_after_calendar") from None
    first = min(scheduled, key=lambda s: min(s.early_start, s.late_start))
    try:
        calendar.date_of(min(first.early_start, first.late_start))
    except CalendarRangeError:
        titles = [by_id[task_id].title for task_id in result.late_chain(first.id)]
        raise ScheduleOutOfRange(
            _("%(chain)s would have to start before %(first)s, the first date the calendar serves, "
              "to meet its deadline. Move the deadline or shorten this chain.")
            % {"chain": _chain_text(titles), "first": FIRST_DATE},
            code="schedule_before_calendar") from None


@transaction.atomic
def recompute(plan, *, today=None):
    """Run the CPM pass and store every task's dates, float and critical flag.

    Done work keeps its actual dates; the rest is scheduled from today.
    Returns the summary stored on the plan's schedule settings, plus "moved":
    the ids of the tasks whose schedule changed (pages refresh just those).
    Raises ScheduleOutOfRange (a ValidationError) when a chain of tasks would push dates
    outside the calendar (after 2100-12-31); nothing is stored then.
    """
    settings = settings_for(plan)
    calendar = plan_calendar(plan, settings)
    tasks = list(plan.tasks.all())
    by_id = {task.pk: task for task in tasks}
    summary = {"error": "", "finish": None, "missing_years": [], "provisional_years": [], "critical": 0, "late": 0}
    try:
        result = engine.compute_schedule(
            [engine_task(task, calendar) for task in tasks],
            engine_links(plan_links(plan)),
            status_period=status_period(plan, calendar, today),
        )
    except engine.EngineError as error:
        # Links are checked for cycles when added, so this only guards against
        # data changed outside the app (admin, imports); the old dates stay.
        logger.warning("schedule of plan %s not computed: %s", plan.pk, error)
        summary["error"] = str(error)
        settings.summary = summary
        settings.save(update_fields=["summary"])
        return {**summary, "moved": []}
    _check_range(result, calendar, by_id)

    misses = {miss.task_id: miss for miss in result.deadline_misses}
    conflicts = {conflict.task_id: conflict for conflict in result.fixed_start_conflicts}
    before = {task.pk: tuple(getattr(task, name) for name in SCHEDULE_FIELDS) for task in tasks}
    for task_id, scheduled in result.tasks.items():
        task = by_id[task_id]
        task.early_start = calendar.date_of(scheduled.early_start)
        task.early_finish = _finish_date(calendar, scheduled.early_start, scheduled.early_finish)
        task.late_start = calendar.date_of(scheduled.late_start)
        task.late_finish = _finish_date(calendar, scheduled.late_start, scheduled.late_finish)
        task.total_float = scheduled.total_float
        task.free_float = scheduled.free_float
        task.is_critical = scheduled.critical
        miss = misses.get(task_id)
        conflict = conflicts.get(task_id)
        if conflict:  # a fixed start is kept: what would push it is the news
            task.schedule_note = notes.fixed_start_note(conflict.periods)
        else:
            task.schedule_note = _deadline_note(miss, by_id) if miss else ""
    moved = [task.pk for task in tasks if tuple(getattr(task, name) for name in SCHEDULE_FIELDS) != before[task.pk]]
    moved_ids = set(moved)
    # One UPDATE per moved task in the driver's loop: bulk_update's CASE expressions cost ~5 s of
    # CPU for 5,000 tasks (schedule/bulk.py). Computed fields: no history, as before.
    update_rows(Task, [task for task in tasks if task.pk in moved_ids], SCHEDULE_FIELDS)

    if tasks:
        finish = max(task.early_finish for task in tasks)
        summary["finish"] = finish.isoformat()
        summary["missing_years"] = sorted(calendar.missing_years(plan.start_date, finish))
        summary["provisional_years"] = sorted(calendar.provisional_years(plan.start_date, finish))
        summary["critical"] = sum(task.is_critical for task in tasks)
        summary["late"] = len(misses.keys() | conflicts.keys())
    settings.summary = summary
    settings.computed_at = timezone.now()
    settings.save(update_fields=["summary", "computed_at"])
    # Where the moved tasks were before (the inbox tells their owners "from … to …").
    moved_from = {pk: (before[pk][0], before[pk][1]) for pk in moved}
    return {**summary, "moved": moved, "moved_from": moved_from}


def _deadline_note(miss, by_id):
    days = -miss.total_float
    deadline_task = by_id.get(miss.deadline_task)
    if miss.kind == "fixed_start" and deadline_task is not None:
        return notes.fixed_start_note(days, task_title=deadline_task.title)
    if deadline_task is None:
        return notes.deadline_note(days)
    if deadline_task.pk == miss.task_id:
        return notes.deadline_note(days, own=True)
    return notes.deadline_note(days, task_title=deadline_task.title)


# ------------------------------------------------------------------ holiday notes
@dataclass(frozen=True)
class HolidayNote:
    """Years of a plan whose days off are not the official schedule. ``text`` is translated when
    read, so an email built for one recipient renders in that recipient's language."""

    state: str  # "provisional" or "missing"
    years: tuple

    @property
    def text(self):
        years = ", ".join(str(year) for year in self.years)
        if self.state == "provisional":
            return ngettext(
                "Holidays in %(years)s are provisional — no 调休 make-up days yet (statutory days off only, "
                "until the official schedule is entered).",
                "Holidays in %(years)s are provisional — no 调休 make-up days yet (statutory days off only, "
                "until the official schedules are entered).",
                len(self.years)) % {"years": years}
        return ngettext(
            "No holiday data for %(years)s: only weekends are days off.",
            "No holiday data for %(years)s: only weekends are days off.", len(self.years)) % {"years": years}

    def __str__(self):
        return self.text


def year_span(start_date, target_launch_date, summary):
    """(first year, last year) whose days off a plan's dates depend on: from its start to its
    computed finish or its target launch, whichever is later."""
    finish = summary.get("finish") if summary else None
    days = [start_date, target_launch_date, datetime.date.fromisoformat(finish) if finish else None]
    days = [day for day in days if day]
    return min(days).year, max(days).year


def holiday_notes(plan, summary=None, *, entered=None):
    """What a page or export showing the plan's dates must say about its holidays: a note for the
    years counted with provisional holidays and one for the years with none (usually empty).

    ``summary``: the plan's stored schedule summary, when the caller has it already;
    ``entered``: the years staff entered (a set), when the caller read them for many plans.
    """
    if summary is None:
        summary = settings_for(plan).summary or {}
    return spans_holiday_notes([year_span(plan.start_date, plan.target_launch_date, summary)], entered=entered)


def spans_holiday_notes(spans, *, entered=None):
    """``holiday_notes`` of several plans at once (the portfolio, My work): each year any of
    ``spans`` — (first year, last year) pairs, see ``year_span`` — crosses, named once.
    Reads the entered years in one query unless ``entered`` is given."""
    years = sorted({year for first, last in spans if first and last for year in range(first, last + 1)})
    if not years:
        return []
    if entered is None:
        entered = set(OfficialHolidayYear.objects.filter(year__range=(years[0], years[-1]))
                      .values_list("year", flat=True))
    by_state = {}
    for year in years:
        by_state.setdefault(year_source(year, entered), []).append(year)
    return [HolidayNote(state, tuple(by_state[state])) for state in ("provisional", "missing") if state in by_state]


def provisional_years_of(notes):
    """The years of ``notes`` (HolidayNote) counted with provisional holidays."""
    return {year for note in notes if note.state == "provisional" for year in note.years}


# ------------------------------------------------------------------ baselines
def baseline_variance(plan, baseline, calendar=None):
    """Per task: working days its finish moved against the baseline (positive = later)."""
    calendar = calendar or plan_calendar(plan)
    variance = {}
    for entry in baseline.tasks.select_related("task"):
        task = entry.task
        if task is None or not entry.finish or not task.early_finish:
            continue
        variance[task.pk] = calendar.working_days_between(entry.finish, task.early_finish)
    return variance


# ------------------------------------------------------------------ levelling
def _owner_resource(task):
    return f"owner-{task.owner_id}" if task.owner_id else None


@dataclass
class LevellingOutcome:
    """What a levelling run computed, before it is applied (schedule/services.py: levelling_apply)."""

    fingerprint: str
    today: datetime.date | None  # the day the plan was levelled as of (None: the real today)
    dates: dict  # task id -> (levelled start, levelled finish, note)
    method: str
    finish_before: datetime.date | None
    finish_after: datetime.date | None
    result: dict


def levelling_inputs(plan, *, today=None):
    """Everything levelling reads, and a fingerprint of it: if the fingerprint is the same when
    the result is applied, nothing the result depends on changed meanwhile."""
    settings = settings_for(plan)
    calendar = plan_calendar(plan, settings)
    tasks = list(plan.tasks.select_related("owner__stakeholder").order_by("pk"))
    links = list(plan_links(plan).order_by("pk"))
    data_date = status_period(plan, calendar, today)
    cpm_tasks = [engine_task(task, calendar) for task in tasks]
    capacities = {_owner_resource(task): task.owner.capacity for task in tasks if task.owner_id}
    fingerprint = hashlib.sha256(repr((
        plan.start_date, data_date, [(t.id, t.duration, t.earliest_start, t.deadline, t.actual_start,
                                      t.actual_finish, t.percent_complete, t.fixed_start) for t in cpm_tasks],
        [task.owner_id for task in tasks], sorted(capacities.items()),
        [(link.predecessor_id, link.successor_id, link.type, link.lag) for link in links],
        settings.extra_days_off, settings.extra_working_days, sorted(official_years().items()),
    )).encode()).hexdigest()
    return calendar, tasks, engine_links(links), cpm_tasks, capacities, data_date, fingerprint


def compute_levelling(plan, *, time_limit_s, progress=lambda percent: None, today=None):
    """Level the plan against its owners' capacities, without writing anything (no locks held
    while the solver runs: edits go on meanwhile, and levelling_apply checks for them).

    Done and started work stays where it is, spanning what the CPM pass gives
    it (a started task's remaining work from today); the rest may move later
    so that no owner has more tasks at once than their capacity.
    """
    from .engine.levelling import level  # pulls in OR-Tools and numba: only when a plan is levelled

    calendar, tasks, links, cpm_tasks, capacities, data_date, fingerprint = levelling_inputs(plan, today=today)
    by_id = {task.pk: task for task in tasks}
    now = data_date or 0
    cpm = engine.compute_schedule(cpm_tasks, links, status_period=data_date)
    level_tasks = []
    started_ids = set()
    for task, cpm_task in zip(tasks, cpm_tasks):
        started = cpm_task.actual_start is not None or cpm_task.actual_finish is not None
        if started:
            # Work already done is a fact: pin it where the CPM pass puts it (up to the end of
            # its remaining work), and let it hold no capacity; links into it no longer move it.
            span = cpm.tasks[task.pk]
            level_tasks.append(engine.Task(id=task.pk, duration=span.early_finish - span.early_start,
                                           earliest_start=span.early_start))
            started_ids.add(task.pk)
            continue
        resource = _owner_resource(task)
        level_tasks.append(engine.Task(
            id=task.pk, duration=cpm_task.duration,
            resources={resource: 1} if resource and cpm_task.duration else {},
            earliest_start=max(now, cpm_task.earliest_start or 0),
            # a fixed start is not levelled (as in MS Project): it stays where the CPM pass has it
            fixed_start=cpm.tasks[task.pk].early_start if cpm_task.fixed_start is not None else None,
        ))
    progress(10)
    links = [link for link in links if link.successor not in started_ids]
    result = level(level_tasks, links, capacities, time_limit_s=time_limit_s)
    progress(90)

    owner_names = {_owner_resource(task): task.owner.stakeholder.name for task in tasks if task.owner_id}
    durations = {task.id: task.duration for task in level_tasks}
    dates = {}
    conflicts = {conflict.task_id: conflict for conflict in result.conflicts}
    for task in tasks:
        start = result.starts[task.pk]
        delay = result.delays.get(task.pk)
        conflict = conflicts.get(task.pk)
        note = (notes.fixed_start_note(conflict.periods) if conflict
                else _delay_note(delay, owner_names, by_id) if delay else "")
        dates[task.pk] = (calendar.date_of(start), _finish_date(calendar, start, start + durations[task.pk]), note)
    cpm_finishes = [calendar.date_of(cpm.tasks[task.pk].early_finish - 1) if cpm.tasks[task.pk].early_finish
                    > cpm.tasks[task.pk].early_start else calendar.date_of(cpm.tasks[task.pk].early_start)
                    for task in tasks]
    return LevellingOutcome(
        fingerprint=fingerprint, today=today, dates=dates, method=result.method,
        finish_before=max(cpm_finishes) if cpm_finishes else None,
        finish_after=max((finish for _start, finish, _note in dates.values()), default=None),
        result={"makespan": result.finish, "lower_bound": result.lower_bound,
                "delayed": len(result.delays),
                "fixed_start_conflicts": len(result.conflicts)},
    )


def _delay_note(delay, owner_names, by_id):
    return notes.levelling_note(
        delay.periods,
        owners=[owner_names.get(resource, resource) for resource in delay.resources],
        blockers=[by_id[task_id].title for ids in delay.blockers.values() for task_id in ids if task_id in by_id],
        predecessors=[by_id[task_id].title for task_id in delay.predecessors if task_id in by_id],
    )


# ------------------------------------------------------------------ priorities
def priority_inputs(plan, *, baseline=None, today=None, calendar=None):
    """The engine's view of each task for ranking: float, due date, status, who it touches."""
    today = today or timezone.localdate()
    calendar = calendar or plan_calendar(plan)
    variance = baseline_variance(plan, baseline, calendar) if baseline else {}
    rows = list(plan.tasks.values_list(
        "pk", "title", "total_float", "deadline", "late_finish", "early_finish", "status", "is_milestone",
        "visibility", "priority_override", "owner_id", "owner__audience", "owner__relevance", "owner__influence",
        "owner__stakeholder__name"))
    launch, _how = launch_task(list(plan.tasks.only("pk", "plan_id", "is_launch", "is_milestone", "early_finish",
                                                    "position")))
    today_period = calendar.period_of(today)
    inputs = []
    for (pk, title, total_float, deadline, late_finish, early_finish, status, is_milestone, visibility,
         override, owner_id, audience, relevance, influence, owner_name) in rows:
        due = deadline or late_finish
        touches = [engine.Touch(audience, relevance, influence, owner_name)] if owner_id else []
        inputs.append(engine.PriorityInput(
            id=pk, title=title, total_float=total_float,
            days_until_due=calendar.period_of(due) - today_period if due else None,
            status=status, is_milestone=is_milestone, visibility=visibility, priority_override=override,
            overdue=bool(due and due < today and status != Task.Status.DONE),
            slipped_days=variance.get(pk), stakeholders=touches,
            is_launch=launch is not None and pk == launch.pk,
        ))
    return inputs


def weights_for(plan):
    return {**engine.DEFAULT_WEIGHTS, **(settings_for(plan).weights or {})}


def rankings(plan, audience, *, baseline=None):
    return engine.rank(priority_inputs(plan, baseline=baseline), audience, weights_for(plan))


def ensure_fresh(plan, *, today=None):
    """Recompute when the stored dates were computed before today.

    Dates depend on "today" (unfinished work is rescheduled from it), so a plan
    nobody edited still needs a new pass each day; pages call this before showing dates.
    """
    today = today or timezone.localdate()
    settings = settings_for(plan)
    if not _stale(settings, today):
        return settings.summary
    with plan_write(plan):
        # Another reader may have rescheduled while this one waited for the lock.
        settings.refresh_from_db(fields=["computed_at", "summary"])
        if not _stale(settings, today):
            return settings.summary
        try:
            return recompute(plan, today=today)
        except ScheduleOutOfRange as refused:
            return keep_refused(plan, refused)


def _stale(settings, today):
    return settings.computed_at is None or timezone.localtime(settings.computed_at).date() < today


def keep_refused(plan, refused):
    """A reschedule nobody asked for (a new day, a new holiday year) was refused: the old dates
    stay and the schedule page says why, instead of the page failing."""
    settings = settings_for(plan)
    summary = {**(settings.summary or {}), "error": " ".join(refused.messages)}
    settings.summary = summary
    settings.save(update_fields=["summary"])
    return summary
