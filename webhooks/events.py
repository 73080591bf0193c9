"""Plan events for webhooks, found by comparing a plan before and after each write.

Every write service runs in ``plan_write`` (onboarding/services.py), which sends
``plan_write_started``. When the plan has an active hook, the receiver notes the tasks' statuses
and dates (and, for plan events, ``plan_status``'s launch and health); when the write's block ends it
compares them with the plan as the write left it and records one delivery per hook and event in
the write's transaction (so two writes in one request report each its own change, and a write
rolled back reports nothing), queued to Celery once that transaction has committed
(webhooks/services.py). A plan without hooks costs one query per write; nothing here can fail the
write that caused it.
"""
import logging
import threading
import uuid

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone, translation

from onboarding.services import plan_write_started
from schedule.models import Task
from schedule.selectors import plan_status

from .models import Event, Webhook

logger = logging.getLogger(__name__)
_active = threading.local()
PLAN_EVENTS = {Event.PLAN_LAUNCH_MOVED, Event.PLAN_HEALTH_CHANGED}
TASK_FIELDS = ("pk", "title", "status", "is_milestone", "early_start", "early_finish", "levelled_start",
               "levelled_finish")


def hooks_for(plan):
    return list(Webhook.objects.filter(Q(plan__isnull=True) | Q(plan=plan), workspace_id=plan.workspace_id,
                                       active=True))


def _tasks(plan):
    return {row[0]: row for row in Task.objects.filter(plan_id=plan.pk).values_list(*TASK_FIELDS)}


def _status(plan, language=None):
    with translation.override(language or translation.get_language()):
        return plan_status(plan)


@receiver(plan_write_started, dispatch_uid="webhooks-plan-write-started")
def _plan_write_started(sender, plan, **kwargs):
    plans = getattr(_active, "plans", None)
    if plans is None:
        plans = _active.plans = set()
    if plan.pk in plans:
        return None  # a write inside another write of the same plan: the outer one reports
    try:
        with transaction.atomic():  # a savepoint: a failed read here leaves the write's transaction usable
            hooks = hooks_for(plan)
            if not hooks:
                return None
            wanted = {event for hook in hooks for event in hook.events}
            before = {"tasks": _tasks(plan)}
            if wanted & PLAN_EVENTS:
                status = _status(plan)
                before.update(launch=status.forecast_launch, health=status.health)
    except Exception:  # noqa: BLE001 - a webhook never fails the write that caused it
        logger.exception("webhook snapshot of plan %s failed", plan.pk)
        return None
    plans.add(plan.pk)

    def done(ok):
        plans.discard(plan.pk)
        if ok:
            _record_safely(plan, hooks, before)

    return done


def _record_safely(plan, hooks, before):
    """Record the write's deliveries in a savepoint of its transaction (they exist only if it
    commits) and queue them once it has committed."""
    try:
        with transaction.atomic():
            deliveries = emit(plan, hooks, before)
    except Exception:  # noqa: BLE001 - a webhook never fails the write that caused it
        logger.exception("webhook events of plan %s not recorded", plan.pk)
        return
    if deliveries:
        from . import services

        def enqueue():
            for delivery in deliveries:
                services.delivery_enqueue(delivery=delivery)
        transaction.on_commit(enqueue, robust=True)


def _dates(row):
    return (row[6] or row[4], row[7] or row[5])


def changes(plan, before):
    """The events (type, data) between ``before`` and the plan now, data in the active language."""
    after = _tasks(plan)
    found = []
    moved = []
    for pk, row in after.items():
        old = before["tasks"].get(pk)
        if old is None:
            continue
        task = {"id": pk, "title": row[1]}
        if old[2] != row[2]:
            found.append((Event.TASK_STATUS_CHANGED, {"task": task, "from": old[2], "to": row[2]}))
            if row[3] and row[2] == Task.Status.DONE:
                found.append((Event.MILESTONE_REACHED, {"task": task}))
        if _dates(old) != _dates(row):
            (start_from, finish_from), (start_to, finish_to) = _dates(old), _dates(row)
            moved.append({**task, "start_from": _iso(start_from), "start_to": _iso(start_to),
                          "finish_from": _iso(finish_from), "finish_to": _iso(finish_to)})
    if moved:
        found.append((Event.TASK_RESCHEDULED, {"tasks": moved}))
    if "health" in before:
        status = _status(plan)
        if status.forecast_launch != before["launch"]:
            found.append((Event.PLAN_LAUNCH_MOVED, {"from": _iso(before["launch"]),
                                                    "to": _iso(status.forecast_launch),
                                                    "slip_working_days": status.slip}))
        if status.health != before["health"]:
            found.append((Event.PLAN_HEALTH_CHANGED, {"from": before["health"], "to": status.health,
                                                      "reasons": [str(r) for r in status.reasons]}))
    return found


def _iso(day):
    return day.isoformat() if day else None


def emit(plan, hooks, before):
    """Record the deliveries of what changed since ``before``, one per hook and event."""
    from . import services

    by_language = {}
    for hook in hooks:
        if hook.language not in by_language:
            with translation.override(hook.language):
                by_language[hook.language] = changes(plan, before)
    now = timezone.now()
    deliveries = []
    for hook in hooks:
        for event_type, data in by_language[hook.language]:
            if event_type not in hook.events:
                continue
            payload = {"id": str(uuid.uuid4()), "type": str(event_type), "timestamp": now.isoformat(),
                       "workspace": {"id": plan.workspace_id},
                       "plan": {"id": plan.pk, "name": plan.name}, "data": data}
            deliveries.append(services.delivery_create(webhook=hook, event_type=event_type, payload=payload))
    return deliveries
