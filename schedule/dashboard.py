"""The plan dashboard: launch vs baseline, progress, what is late or at risk, the next milestones."""
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scheduling
from .figures.dashboard import build_burnup, burnup_points_from_tasks
from .models import Task

AT_RISK_FLOAT = 2  # working days of float at or below which an open task is "at risk"


def burnup_labels():
    return {"done": _("Done"), "scope": _("Total scope"), "planned": _("Planned"), "today": _("Today"),
            "tasks": _("Tasks"), "title": ""}


def burnup_figure(plan, tasks, *, today, height=240):
    """Tasks done over time against the scope and the planned finishes."""
    finishes = [task.early_finish for task in tasks if task.early_finish]
    return build_burnup(
        burnup_points_from_tasks([task.actual_finish for task in tasks if task.status == Task.Status.DONE],
                                 total=len(tasks), start=plan.start_date, end=max([today, *finishes])),
        planned_finish_dates=finishes, today=today, labels=burnup_labels(), height=height,
    )


def dashboard(plan, *, today=None):
    today = today or timezone.localdate()
    tasks = list(plan.tasks.only("pk", "title", "status", "is_milestone", "duration", "early_start", "early_finish",
                                 "total_float", "deadline", "actual_finish", "schedule_note"))
    open_tasks = [task for task in tasks if task.status != Task.Status.DONE]
    finishes = [task.early_finish for task in tasks if task.early_finish]
    launch = max(finishes) if finishes else None
    baseline = plan.baselines.first()
    slip = None
    if baseline and baseline.launch_date and launch:
        slip = scheduling.plan_calendar(plan).working_days_between(baseline.launch_date, launch)
    late = [task for task in open_tasks if (task.total_float is not None and task.total_float < 0)
            or (task.deadline and task.deadline < today)]
    late_ids = {task.pk for task in late}
    at_risk = [task for task in open_tasks if task.pk not in late_ids and task.total_float is not None
               and task.total_float <= AT_RISK_FLOAT and task.status != Task.Status.BLOCKED]
    milestones = sorted((task for task in open_tasks if task.is_milestone and task.early_start),
                        key=lambda task: task.early_start)[:5]
    done = len(tasks) - len(open_tasks)
    figure = burnup_figure(plan, tasks, today=today) if tasks else None
    return {
        "launch": launch, "baseline": baseline, "launch_slip": slip, "target": plan.target_launch_date,
        "percent_done": round(100 * done / len(tasks)) if tasks else 0, "done_count": done,
        "late": late, "blocked": [task for task in open_tasks if task.status == Task.Status.BLOCKED],
        "at_risk": at_risk, "next_milestones": milestones,
        "burnup_json": figure.to_json() if figure else "",
    }
