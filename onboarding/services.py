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

from .access import owners_of
from .models import Plan
from .versioning import claim


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
