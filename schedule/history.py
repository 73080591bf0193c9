"""The history of a plan's checklist: what the history page lists, and restoring a task (an
earlier version, or a deleted task with its watch-outs and links: schedule/services.py)."""
from django.db.models import Subquery

from onboarding.history import HistorySource, last_known, register

from . import services
from .models import Phase, ScheduleSettings, Task, TaskLink, WatchOut


def _tasks_of(plan_id):
    return Task.history.filter(plan_id=plan_id).values("id")


def task_titles(ids):
    """{task id: title}, from their last record when they no longer exist."""
    return last_known(Task, ids, "title")


def _describe_links(records):
    titles = task_titles({r.predecessor_id for r in records} | {r.successor_id for r in records})
    return {r.history_id: f"{titles.get(r.predecessor_id, '?')} → {titles.get(r.successor_id, '?')}"
            for r in records}


def _describe_settings(records):
    return {r.history_id: str(ScheduleSettings._meta.verbose_name) for r in records}


def restore_task(plan, record, user):
    return services.task_restore(plan=plan, record=record, user=user)


def restore_phase(plan, record, user):
    return services.phase_restore(plan=plan, record=record, user=user)


register(
    HistorySource("phase", Phase, lambda plan_id: Phase.history.filter(plan_id=plan_id), restore=restore_phase),
    HistorySource("task", Task, lambda plan_id: Task.history.filter(plan_id=plan_id), name_field="title",
                  restore=restore_task),
    HistorySource("watchout", WatchOut,
                  lambda plan_id: WatchOut.history.filter(task_id__in=Subquery(_tasks_of(plan_id))),
                  name_field="text", skip_on_create=("task",)),
    HistorySource("tasklink", TaskLink,
                  lambda plan_id: TaskLink.history.filter(successor_id__in=Subquery(_tasks_of(plan_id))),
                  describe=_describe_links, skip_on_create=()),
    HistorySource("settings", ScheduleSettings, lambda plan_id: ScheduleSettings.history.filter(plan_id=plan_id),
                  describe=_describe_settings),
)
