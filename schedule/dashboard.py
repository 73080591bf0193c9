"""The Overview's burn-up chart: tasks done over time against the scope and the planned finishes."""
from django.utils.translation import gettext as _

from .figures.dashboard import build_burnup, burnup_points_from_tasks
from .models import Task


def burnup_labels():
    return {"done": _("Done"), "scope": _("Total scope"), "planned": _("Planned"), "today": _("Today"),
            "tasks": _("Tasks"), "title": ""}


def burnup_figure(plan, *, today, height=240):
    tasks = list(plan.tasks.only("plan_id", "status", "early_finish", "actual_finish"))
    finishes = [task.early_finish for task in tasks if task.early_finish]
    return build_burnup(
        burnup_points_from_tasks([task.actual_finish for task in tasks if task.status == Task.Status.DONE],
                                 total=len(tasks), start=plan.start_date, end=max([today, *finishes])),
        planned_finish_dates=finishes, today=today, labels=burnup_labels(), height=height,
    )
