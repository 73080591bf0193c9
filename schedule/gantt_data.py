"""A plan's tasks as the Gantt builder's input: a fixed number of queries, whatever the plan's size."""
from datetime import timedelta

from django.utils.translation import gettext as _

from . import scheduling
from .figures.gantt import GanttTask
from .models import Task, TaskLink


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


def gantt_tasks(plan, *, baseline=None, tasks=None, with_priority=True):
    """GanttTask rows for the plan's tasks (or the given subset, e.g. partner-visible ones),
    in checklist order: phase by phase."""
    if tasks is None:
        tasks = plan.tasks.all()
    tasks = list(tasks.select_related("owner__stakeholder", "phase").order_by(
        "phase__position", "phase_id", "position", "id"))
    ids = {task.pk for task in tasks}
    predecessors = {}
    for link in TaskLink.objects.filter(successor__plan=plan).values_list("predecessor_id", "successor_id", "type"):
        pred, succ, kind = link
        if pred in ids and succ in ids:
            predecessors.setdefault(succ, []).append(pred if kind == "FS" else (pred, kind))
    baseline_dates = {}
    if baseline is not None:
        baseline_dates = {entry[0]: entry[1:] for entry in
                          baseline.tasks.values_list("task_id", "start", "finish") if entry[0] in ids}
    priority = {}
    if with_priority:
        priority = {item.id: f"#{item.rank} · {item.score:.0f}" for item in scheduling.rankings(plan, "team")}
    result = []
    for task in tasks:
        if task.early_start is None:
            continue
        owner = task.owner
        base_start, base_finish = baseline_dates.get(task.pk, (None, None))
        result.append(GanttTask(
            id=task.pk, title=task.title, start=task.early_start, finish=task.early_finish or task.early_start,
            phase=task.phase.name if task.phase else None,
            owner=owner.stakeholder.name if owner else None,
            side=owner.stakeholder.side if owner else None,
            critical=task.is_critical, milestone=task.is_milestone or task.duration == 0,
            percent_complete=100 if task.status == Task.Status.DONE else task.percent_complete,
            total_float=task.total_float, status=task.status, priority=priority.get(task.pk),
            baseline_start=base_start, baseline_finish=base_finish,
            predecessors=predecessors.get(task.pk, []),
        ))
    return result


def non_working_days(plan, start, end):
    """The days off between start and end, for shading at day zoom."""
    calendar = scheduling.plan_calendar(plan)
    days, day = [], start
    while day <= end:
        if not calendar.is_working(day):
            days.append(day)
        day += timedelta(days=1)
    return days
