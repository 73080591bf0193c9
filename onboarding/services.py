"""Writes to plans and the rows inside them: the one write path every page, import and job uses.

Every write to a plan's rows goes through ``plan_write``: a transaction that first takes the
plan's row lock. One documented lock order — the plan row, then its rows — means two writers of
one plan queue up instead of deadlocking, and a writer that reschedules (rewriting other tasks'
dates) never meets another holding one of those tasks. Versioned rows are claimed
(onboarding/versioning.py) under that lock, so a save that started from an older version is
refused, never applied over someone else's change. Services return what they wrote and the
ids of the tasks whose dates moved, for the page to refresh.

Apps above this one plug their rescheduling into ``plan_dates_changed`` (a plan's start date
moves its tasks), so this app never imports them.
"""
import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .access import owners_of
from .history import m2m_values_of
from .models import Flow, Lane, Metric, Plan, Step
from .versioning import bump, claim


# Sent inside the write's transaction after a plan's own dates changed; receivers return the
# ids of the tasks that moved.
plan_dates_changed = Signal()
# Sent when a write takes a plan's lock; a receiver may return a callable, called with True when
# the write's block ended without an error (False otherwise): webhooks/events.py compares the
# plan before and after it this way.
plan_write_started = Signal()


class PlanBusy(Exception):
    """Another write to the plan held its lock for longer than PLAN_LOCK_TIMEOUT_S (settings)."""


@dataclass
class Written:
    """What a write service did: the saved object and the tasks whose schedule changed."""

    obj: object = None
    moved: list = field(default_factory=list)


def lock_plan(plan_id):
    """Take the plan's row lock for the rest of the current transaction (see the module docstring)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_plan needs a transaction: call it inside plan_write or transaction.atomic")
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{int(settings.PLAN_LOCK_TIMEOUT_S * 1000)}ms'")
        list(Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk", flat=True))
    except OperationalError as error:
        # PostgreSQL: "canceling statement due to lock timeout"; SQLite: "database is locked".
        if "lock" in str(error).lower():
            raise PlanBusy(plan_id) from error
        raise


@contextmanager
def plan_write(plan):
    """A savepoint holding the plan's lock: the frame of every write service."""
    with transaction.atomic():
        lock_plan(plan.pk)
        finishers = [done for _receiver, done in plan_write_started.send(sender=Plan, plan=plan) if done]
        try:
            yield
        except BaseException:
            for done in finishers:
                done(False)
            raise
        for done in finishers:
            done(True)


def touch(plan):
    """Mark the plan as changed now (lists sort by it; cached pages key on it)."""
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(updated_at=now)
    plan.updated_at = now


# ----------------------------------------------------------------------------- plans
def _check_owner(plan, owner):
    """Only a PM or an administrator of the plan's own workspace can own it."""
    if not owners_of(plan.workspace).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("%(name)s cannot own this plan: only a PM or an administrator of "
                                          "its workspace can.") % {"name": owner.get_full_name() or owner.username}})


def plan_create(*, plan, editors=(), viewers=(), owner=None):
    """A new plan (its fields set by the caller; ``owner`` or the one already set), with its members."""
    if owner is not None:
        _check_owner(plan, owner)
        plan.owner = owner
    with transaction.atomic():
        plan.full_clean()
        plan.save()
        plan.editors.set(editors)
        plan.viewers.set(viewers)
    return Written(plan)


def plan_update(*, plan, version, editors=None, viewers=None, owner=None):
    """Save the plan's own fields; a new start date reschedules its tasks.

    ``owner``: hand the plan to another PM or administrator of its workspace; the previous owner
    stays on as an editor.
    """
    with plan_write(plan):
        old_start, old_owner = Plan.objects.filter(pk=plan.pk).values_list("start_date", "owner_id").first()
        claim(plan, version)
        if owner is not None and owner.pk != old_owner:
            _check_owner(plan, owner)
            plan.owner = owner
            editors = list(editors if editors is not None else plan.editors.all())
            if old_owner not in {user.pk for user in editors}:
                editors.append(get_user_model().objects.get(pk=old_owner))
        if editors is not None:
            editors = [user for user in editors if user.pk != plan.owner_id]
        plan.full_clean()
        plan.save()
        if editors is not None:
            plan.editors.set(editors)
        if viewers is not None:
            plan.viewers.set(viewers)
        moved = []
        if old_start != plan.start_date:
            for _receiver, ids in plan_dates_changed.send(sender=Plan, plan=plan):
                moved += ids or []
    return Written(plan, moved)


def plan_soft_delete(*, plan, user):
    with plan_write(plan):
        plan.deleted_at = timezone.now()
        plan.deleted_by = user
        plan.save(update_fields=["deleted_at", "deleted_by"])
    return Written(plan)


# ----------------------------------------------------------------------------- rows of a plan
def row_create(*, plan, obj, siblings):
    """Add a row at the end of its siblings (a lane of a flow, a phase of the plan…)."""
    with plan_write(plan):
        last = siblings.aggregate(Max("position"))["position__max"]
        obj.position = 0 if last is None else last + 1
        obj.full_clean()
        obj.save()
    return Written(obj)


def row_update(*, plan, obj, version):
    with plan_write(plan):
        claim(obj, version)
        obj.full_clean()
        obj.save()
    return Written(obj)


def row_delete(*, plan, obj, version):
    with plan_write(plan):
        claim(obj, version)
        obj.delete()
    return Written(obj)


def row_move(*, plan, obj, siblings, direction):
    """Swap a row with its neighbour above or below (order is not versioned: the last move wins)."""
    with plan_write(plan):
        ordered = list(siblings.order_by("position", "id"))
        index = next(i for i, sibling in enumerate(ordered) if sibling.pk == obj.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
            for position, sibling in enumerate(ordered):
                if sibling.position != position:
                    sibling.position = position
                    sibling.save(update_fields=["position"])
    return Written(obj)


# ----------------------------------------------------------------------------- flows and lanes
# The parts of a flow or lane deleted with it are those whose deletion record is this close to
# its own (one transaction writes them all).
CASCADE_WINDOW_S = 10


def tasks_detach(tasks, *, field, reason):
    """Clear ``field`` (phase, owner, related flow) on each of ``tasks`` of a row being deleted, each
    saved with ``reason`` in its history, so that restoring the row can find and give them back."""
    for task in tasks:
        setattr(task, field, None)
        bump(task)
        task._change_reason = reason
        task.save(update_fields=[field, "version"])


def tasks_reattach(tasks, *, plan, field, value, reason):
    """Give ``value`` back as ``field`` to the tasks of ``plan`` that ``tasks_detach`` cleared with
    ``reason``, unless they have another since. Returns how many."""
    ids = set(tasks.history.filter(history_change_reason=reason).values_list("id", flat=True))
    count = 0
    for task in tasks.objects.filter(pk__in=ids, plan=plan, **{f"{field}__isnull": True}):
        setattr(task, field, value)
        bump(task)
        task.save(update_fields=[field, "version"])
        count += 1
    return count


def restored_row(model, *, found, siblings, record, **parent):
    """(row, recreated): the row a restore writes ``record``'s values onto — the one still there,
    its version claimed (a restore deliberately overwrites it), or a new one with the deleted row's
    id at the end of ``siblings``."""
    if found is not None:
        claim(found, found.version)
        return found, False
    last = siblings.aggregate(Max("position"))["position__max"]
    return model(id=record.id, position=0 if last is None else last + 1, version=record.version + 1, **parent), True


def flow_removal_reason(flow_id):
    """The history's change reason on each task of a deleted flow (restoring the flow gives it back)."""
    return f"related flow {flow_id} deleted"


def flow_delete(*, plan, flow, version):
    """Delete a flow with its lanes, steps and key metrics. Its tasks stay and lose their related
    business, each with a history entry, so that restoring the flow gives it back to them."""
    with plan_write(plan):
        claim(flow, version)
        # Task.related_flow: the schedule app's model, through its relation
        tasks_detach(flow.tasks.all(), field="related_flow", reason=flow_removal_reason(flow.pk))
        flow.delete()
    return Written(flow)


def _deleted_with(model, parent_field, parent_id, deleted_at):
    """The last records of ``model``'s rows under ``parent_id`` deleted together with it and not back since."""
    window = datetime.timedelta(seconds=CASCADE_WINDOW_S)
    records = model.history.filter(**{parent_field: parent_id}, history_type="-",
                                   history_date__range=(deleted_at - window, deleted_at + window)).order_by("id")
    existing = set(model.objects.filter(pk__in=[r.id for r in records]).values_list("pk", flat=True))
    return [r for r in records if r.id not in existing]


def _deletion_time(model, pk):
    record = model.history.filter(id=pk, history_type="-").order_by("-history_date").first()
    return record.history_date if record is not None else None


def _restore_steps(flow, records, lanes):
    """Recreate deleted steps (of lanes that exist) and the stakeholders' involvement in them:
    a stakeholder's last history record still lists the steps they were in when the steps went."""
    steps = []
    last = flow.steps.aggregate(Max("position"))["position__max"]
    for position, record in enumerate(records, start=0 if last is None else last + 1):
        if record.lane_id in lanes:
            step = Step(id=record.id, flow=flow, lane_id=record.lane_id, text=record.text, position=position,
                        version=record.version + 1)
            step.save(force_insert=True)
            steps.append(step)
    if steps:
        members = Step.plan_stakeholders.rel.related_model  # stakeholders.PlanStakeholder, by its relation
        last = dict(members.history.model.objects.filter(plan_id=flow.plan_id).values("id")
                    .annotate(last=Max("history_id")).values_list("id", "last"))
        involved = m2m_values_of(members.history.model, list(last.values()))
        ids = {step.pk for step in steps}
        for membership in members.objects.filter(pk__in=last.keys()):
            wanted = involved[last[membership.pk]].get("steps", set()) & ids
            if wanted:
                membership.steps.add(*wanted)
    return steps


def _restore_message(kind_text, name, counts):
    parts = [kind_text % {"name": name}]
    for text, count in counts:
        if count:
            parts.append(text(count) % {"count": count})
    return " ".join(parts)


def flow_restore(*, plan, record, user=None):
    """Bring back a flow as it was in ``record``: renamed since, or deleted — then with the lanes,
    steps and key metrics deleted with it and its tasks' related business. Returns the message."""
    with plan_write(plan):
        flow, recreated = restored_row(Flow, found=Flow.objects.filter(plan=plan, pk=record.id).first(),
                                       siblings=plan.flows, record=record, plan=plan)
        flow.name, flow.need, flow.features = record.name, record.need, record.features
        flow.full_clean(exclude=["plan"])
        flow.save(force_insert=recreated)
        lanes = steps = metrics = 0
        deleted_at = _deletion_time(Flow, flow.pk) if recreated else None
        if deleted_at is not None:
            for position, lane in enumerate(_deleted_with(Lane, "flow_id", flow.pk, deleted_at)):
                Lane(id=lane.id, flow=flow, name=lane.name, kind=lane.kind, position=position,
                     version=lane.version + 1).save(force_insert=True)
                lanes += 1
            steps = len(_restore_steps(flow, _deleted_with(Step, "flow_id", flow.pk, deleted_at),
                                       set(flow.lanes.values_list("pk", flat=True))))
            for position, metric in enumerate(_deleted_with(Metric, "flow_id", flow.pk, deleted_at)):
                Metric(id=metric.id, flow=flow, name=metric.name, target=metric.target, unit=metric.unit,
                       position=position, version=metric.version + 1).save(force_insert=True)
                metrics += 1
        back = tasks_reattach(flow.tasks.model, plan=plan, field="related_flow", value=flow,
                              reason=flow_removal_reason(record.id))
    return _restore_message(_("Flow “%(name)s” restored."), flow.name, [
        (lambda n: ngettext("%(count)d lane restored.", "%(count)d lanes restored.", n), lanes),
        (lambda n: ngettext("%(count)d step restored.", "%(count)d steps restored.", n), steps),
        (lambda n: ngettext("%(count)d key metric restored.", "%(count)d key metrics restored.", n), metrics),
        (lambda n: ngettext("%(count)d task has it as its related business again.",
                            "%(count)d tasks have it as their related business again.", n), back),
    ])


def lane_restore(*, plan, record, user=None):
    """Bring back a lane as it was in ``record``: renamed since, or deleted — then with the steps
    deleted with it (and the stakeholders' involvement in them). Its flow must exist."""
    with plan_write(plan):
        flow = Flow.objects.filter(plan=plan, pk=record.flow_id).first()
        if flow is None:
            raise ValidationError(_("The flow of this lane no longer exists: restore the flow first."))
        lane, recreated = restored_row(Lane, found=Lane.objects.filter(flow=flow, pk=record.id).first(),
                                       siblings=flow.lanes, record=record, flow=flow)
        lane.name, lane.kind = record.name, record.kind
        lane.full_clean(exclude=["flow"])
        lane.save(force_insert=recreated)
        steps = 0
        deleted_at = _deletion_time(Lane, lane.pk) if recreated else None
        if deleted_at is not None:
            steps = len(_restore_steps(flow, _deleted_with(Step, "lane_id", lane.pk, deleted_at), {lane.pk}))
    return _restore_message(_("Lane “%(name)s” restored."), lane.name, [
        (lambda n: ngettext("%(count)d step restored.", "%(count)d steps restored.", n), steps)])
