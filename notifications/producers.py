"""The inbox items task writes produce: a task given to someone, and someone's tasks moved.

schedule/services.py sends ``tasks_written`` from inside each task write (create, update, bulk
edit), after rescheduling, with the owners before the write and the tasks whose dates moved
(recompute's "moved", not a comparison of our own). The item goes to the owner's linked
account; whoever made the change (the request's user, as the history records it) is never told
about their own change. A write with no request (a job, an import command) has no actor.

Every plan write also forgets the header's counts of the plan's linked people (a task of theirs
may have been given, closed or deleted).
"""
import logging

from django.db import transaction
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from onboarding.services import plan_write_started
from schedule.models import Task
from schedule.services import tasks_written
from stakeholders.models import PlanStakeholder

from .models import Notification
from .services import badges_changed, notification_create

logger = logging.getLogger(__name__)


def current_actor():
    """The user of the request being served (simple_history's middleware keeps it), or None."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _linked_users(owner_ids):
    """{plan stakeholder id: user} for the owners linked to an active account."""
    rows = (PlanStakeholder.objects.filter(pk__in=[pk for pk in owner_ids if pk], stakeholder__user__is_active=True)
            .select_related("stakeholder__user"))
    return {row.pk: row.stakeholder.user for row in rows}


@receiver(tasks_written, dispatch_uid="notifications-tasks-written")
def _tasks_written(sender, plan, tasks, owners_before, moved, moved_from, **kwargs):
    try:
        with transaction.atomic():  # a savepoint: the write goes on whatever happens here
            tell_owners(plan, tasks, owners_before, moved, moved_from)
    except Exception:  # noqa: BLE001 - an inbox item never fails the write that caused it
        logger.exception("inbox items for plan %s not made", plan.pk)


def tell_owners(plan, tasks, owners_before, moved, moved_from):
    actor = current_actor()
    given = [task for task in tasks if task.owner_id and task.owner_id != owners_before.get(task.pk)]
    moved_tasks = []
    if moved:
        moved_tasks = list(Task.objects.filter(pk__in=moved, plan=plan, owner__isnull=False)
                           .exclude(status=Task.Status.DONE).order_by("early_start", "position", "pk"))
    linked = _linked_users({task.owner_id for task in given} | {task.owner_id for task in moved_tasks})
    if not linked:
        return
    base = {"plan": plan.name, "actor": (actor.get_full_name() or actor.username) if actor else ""}

    by_user = {}
    for task in given:
        if task.owner_id in linked:
            by_user.setdefault(linked[task.owner_id], []).append(task)
    given_ids = {task.pk for task in given}
    for user, theirs in by_user.items():
        notification_create(recipient=user, kind=Notification.Kind.ASSIGNED, workspace=plan.workspace, actor=actor,
                            plan=plan, task=theirs[0] if len(theirs) == 1 else None,
                            params={**base, "tasks": [{"id": t.pk, "title": t.title} for t in theirs]})

    by_user = {}
    for task in moved_tasks:
        if task.owner_id not in linked or task.pk in given_ids:
            continue  # a task just given is news enough: its dates are on it
        old_start, old_finish = moved_from.get(task.pk, (None, None))
        if (old_start, old_finish) == (task.early_start, task.early_finish):
            continue  # only its float or critical flag changed: its dates did not move
        if old_start is None and old_finish is None:
            continue  # scheduled for the first time (a new plan, the demo): nothing of theirs moved
        by_user.setdefault(linked[task.owner_id], []).append({
            "id": task.pk, "title": task.title,
            "from": [_iso(old_start), _iso(old_finish)], "to": [_iso(task.early_start), _iso(task.early_finish)]})
    for user, theirs in by_user.items():
        notification_create(recipient=user, kind=Notification.Kind.RESCHEDULED, workspace=plan.workspace,
                            actor=actor, plan=plan,
                            task=Task(pk=theirs[0]["id"], plan=plan) if len(theirs) == 1 else None,
                            params={**base, "tasks": theirs})


def _iso(day):
    return day.isoformat() if day else ""


@receiver(plan_write_started, dispatch_uid="notifications-plan-write-started")
def _plan_write_started(sender, plan, **kwargs):
    def done(ok):
        if not ok:
            return
        try:
            with transaction.atomic():
                users = list(PlanStakeholder.objects.filter(plan_id=plan.pk, stakeholder__user__isnull=False)
                             .values_list("stakeholder__user_id", flat=True).distinct())
            badges_changed(users)
        except Exception:  # noqa: BLE001 - a count is at worst BADGES_S old
            logger.exception("badges of plan %s not refreshed", plan.pk)

    return done
