"""A plan's tasks as the Gantt builder's input: a fixed number of queries, whatever the plan's size."""
from datetime import timedelta

from django.utils.translation import gettext as _

from . import scheduling
from .engine.calendar import FIRST_DATE, LAST_DATE
from .figures.gantt import GanttTask
from .models import Task, TaskLink, Visibility


def gantt_labels():
    """The builder's words, translated into the active language."""
    return {
        "task": _("Task"), "tasks": _("Tasks"), "owner": _("Owner"), "start": _("Start"), "finish": _("Finish"),
        "float": _("Float"), "status": _("Status"), "priority": _("Priority"), "complete": _("Complete"),
        "baseline": _("Baseline"), "slip": _("slip"), "days": _("d"), "today": _("Today"),
        "critical": _("Critical path"), "milestone": _("Milestone"), "dependencies": _("Dependencies"),
        "done": _("Done"), "group": _("Group"), "none": "—", "no_group": _("(none)"),
        "side_platform": _("Platform"), "side_partner": _("Partner"),
        **{f"status_{value}": label for value, label in Task.Status.choices},
    }


ROW_FIELDS = ("pk", "title", "early_start", "early_finish", "phase__name", "owner__stakeholder__name",
              "owner__stakeholder__organisation", "owner__stakeholder__side", "owner__stakeholder__role",
              "is_critical", "is_milestone", "duration", "status", "percent_complete", "total_float")
# Who sees a Gantt: the plan's own people ("team"), or a share link's audience.
TEAM, PARTNER, MANAGEMENT = "team", "partner", "management"


def person_label(name, organisation, *, side="", role="", audience=TEAM, platform_names=True):
    """How a person is named for an audience: the team sees names; outside it, with the organisation
    ("李雷 · 江南城商行"), and platform-side people by their role unless the share link chose names."""
    if audience == TEAM:
        return name
    if side == "platform" and not platform_names:
        name = role or _("Platform team")
    # Outside the team a name alone says little: with the organisation, "李雷 · 江南城商行".
    return f"{name} · {organisation}" if name and organisation else (name or organisation)


def gantt_tasks(plan, *, audience=TEAM, baseline=None, tasks=None, with_priority=True, platform_names=True):
    """GanttTask rows of the plan's tasks (or the given subset) as ``audience`` may see them, in
    checklist order: phase by phase.

    A partner sees only the tasks shared with them and no float (it tells how much slack the
    platform keeps); management sees every task. Priorities are ranked for the audience. Outside the
    team, platform-side owners appear by role unless ``platform_names``.
    Plain value rows, not model instances: at thousands of tasks building models costs more
    than everything else on the page.
    """
    if tasks is None:
        tasks = plan.tasks.all()
    if audience == PARTNER:
        tasks = tasks.filter(visibility=Visibility.SHARED)
    rows = list(tasks.filter(early_start__isnull=False)
                .order_by("phase__position", "phase_id", "position", "id").values_list(*ROW_FIELDS))
    ids = {row[0] for row in rows}
    predecessors = {}
    for pred, succ, kind in TaskLink.objects.filter(successor__plan=plan).values_list(
            "predecessor_id", "successor_id", "type"):
        if pred in ids and succ in ids:
            predecessors.setdefault(succ, []).append(pred if kind == "FS" else (pred, kind))
    baseline_dates = {}
    if baseline is not None:
        baseline_dates = {entry[0]: entry[1:] for entry in
                          baseline.tasks.values_list("task_id", "start", "finish") if entry[0] in ids}
    priority = {}
    if with_priority:
        priority = {item.id: (f"#{item.rank} · {item.score:.0f}" if audience == TEAM else f"#{item.rank}")
                    for item in scheduling.rankings(plan, audience) if item.id in ids}
    done = Task.Status.DONE
    result = []
    for (pk, title, start, finish, phase, owner, organisation, side, role, critical, milestone, duration, status,
         percent, total_float) in rows:
        base_start, base_finish = baseline_dates.get(pk, (None, None))
        result.append(GanttTask(
            id=pk, title=title, start=start, finish=finish or start, phase=phase,
            owner=person_label(owner, organisation, side=side, role=role, audience=audience,
                               platform_names=platform_names) if owner else None, side=side,
            critical=critical, milestone=milestone or duration == 0,
            percent_complete=100 if status == done else percent,
            total_float=None if audience == PARTNER else total_float, status=status, priority=priority.get(pk),
            baseline_start=base_start, baseline_finish=base_finish, predecessors=predecessors.get(pk, []),
        ))
    return result


def non_working_days(plan, start, end):
    """The days off between start and end, for shading at day zoom (none outside the calendar's
    2000–2100: a chart scrolled there shades nothing rather than failing)."""
    calendar = scheduling.plan_calendar(plan)
    start, end = max(start, FIRST_DATE), min(end, LAST_DATE)
    days, day = [], start
    while day <= end:
        if not calendar.is_working(day):
            days.append(day)
        day += timedelta(days=1)
    return days
