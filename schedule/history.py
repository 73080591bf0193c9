"""The history of a plan's checklist: what the history page lists, restoring a task (an earlier
version, or a deleted task with its watch-outs and links), and stale-edit conflicts of tasks.

Restoring never refuses because a reference went away: a phase, owner or related flow deleted
since is left empty and the message names it, because the rest of the task is still worth
having back. It refuses only what would be invalid (full_clean), with the reason.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.history_views import HistorySource, find_conflict, history_fields_of, last_known, register
from onboarding.models import Flow
from stakeholders.models import PlanStakeholder

from .engine.cpm import find_cycle
from .models import Phase, Task, TaskLink, WatchOut
from .services import plan_changed

# A deleted task's watch-outs and links are deleted in the same moment, just before it.
CASCADE_WINDOW = datetime.timedelta(seconds=10)
REFERENCES = [("phase", Phase, "plan"), ("owner", PlanStakeholder, "plan"), ("related_flow", Flow, "plan")]


def _tasks_of(plan_id):
    return Task.history.filter(plan_id=plan_id).values("id")


def task_titles(ids):
    """{task id: title}, from their last record when they no longer exist."""
    return last_known(Task, ids, "title")


def _describe_links(records):
    titles = task_titles({r.predecessor_id for r in records} | {r.successor_id for r in records})
    return {r.history_id: f"{titles.get(r.predecessor_id, '?')} → {titles.get(r.successor_id, '?')}"
            for r in records}


def restore_task(plan, record, user):
    task = Task.objects.select_for_update().filter(plan=plan, pk=record.id).first()
    recreated = task is None
    if recreated:
        task = Task(id=record.id, plan=plan, version=record.version)
    for f in history_fields_of(Task):
        if f.name != "plan":
            setattr(task, f.attname, getattr(record, f.attname))
    dropped = []
    for name, model, plan_field in REFERENCES:
        value = getattr(task, f"{name}_id")
        if value is not None and not model.objects.filter(pk=value, **{plan_field: plan}).exists():
            setattr(task, f"{name}_id", None)
            dropped.append(str(Task._meta.get_field(name).verbose_name))
    if recreated:
        last = Task.objects.filter(plan=plan, phase_id=task.phase_id).aggregate(Max("position"))["position__max"]
        task.position = 0 if last is None else last + 1
    task.version += 1
    try:
        task.full_clean(exclude=["plan"])
    except ValidationError as error:
        raise ValidationError(_("This version cannot be restored: %(reasons)s")
                              % {"reasons": " ".join(error.messages)}) from None
    task.save(force_insert=recreated)

    parts = [_("Task “%(title)s” restored.") % {"title": task.title}]
    if dropped:
        parts.append(_("It was restored without what no longer exists: %(fields)s.")
                     % {"fields": ", ".join(dropped)})
    if recreated:
        watchouts, links, skipped = _restore_parts(plan, task, record.history_date)
        parts.append(ngettext("%(count)d watch-out restored.", "%(count)d watch-outs restored.", watchouts)
                     % {"count": watchouts})
        parts.append(ngettext("%(count)d link restored.", "%(count)d links restored.", links) % {"count": links})
        if skipped:
            parts.append(ngettext(
                "%(count)d link was left out: its other task is gone or it would close a cycle.",
                "%(count)d links were left out: their other task is gone or they would close a cycle.",
                skipped) % {"count": skipped})
    plan_changed(plan)
    return " ".join(parts)


def _restore_parts(plan, task, deleted_at):
    """Bring back the watch-outs and links deleted together with ``task``."""
    window = {"history_type": "-", "history_date__gte": deleted_at - CASCADE_WINDOW,
              "history_date__lte": deleted_at}
    watchouts = 0
    for position, record in enumerate(WatchOut.history.filter(task_id=task.pk, **window).order_by("id")):
        if not WatchOut.objects.filter(pk=record.id).exists():
            WatchOut(id=record.id, task=task, text=record.text, done=record.done, position=position).save(
                force_insert=True)
            watchouts += 1
    links = skipped = 0
    candidates = TaskLink.history.filter(Q(predecessor_id=task.pk) | Q(successor_id=task.pk), **window)
    task_ids = set(Task.objects.filter(plan=plan).values_list("pk", flat=True))
    for record in candidates.order_by("id"):
        if TaskLink.objects.filter(Q(pk=record.id) | Q(predecessor_id=record.predecessor_id,
                                                       successor_id=record.successor_id)).exists():
            continue
        existing = list(TaskLink.objects.filter(successor__plan=plan).values_list("predecessor_id", "successor_id"))
        pair = (record.predecessor_id, record.successor_id)
        if not set(pair) <= task_ids or find_cycle(task_ids, existing + [pair]):
            skipped += 1
            continue
        TaskLink(id=record.id, predecessor_id=record.predecessor_id, successor_id=record.successor_id,
                 type=record.type, lag=record.lag).save(force_insert=True)
        links += 1
    return watchouts, links, skipped


def task_conflict(pk, started_version):
    """Another person's change to a task since ``started_version``."""
    return find_conflict(Task, pk, started_version)


register(
    HistorySource("phase", Phase, lambda plan_id: Phase.history.filter(plan_id=plan_id)),
    HistorySource("task", Task, lambda plan_id: Task.history.filter(plan_id=plan_id), name_field="title",
                  restore=restore_task),
    HistorySource("watchout", WatchOut,
                  lambda plan_id: WatchOut.history.filter(task_id__in=Subquery(_tasks_of(plan_id))),
                  name_field="text", skip_on_create=("task",)),
    HistorySource("tasklink", TaskLink,
                  lambda plan_id: TaskLink.history.filter(successor_id__in=Subquery(_tasks_of(plan_id))),
                  describe=_describe_links, skip_on_create=()),
)
