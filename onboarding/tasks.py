"""Periodic jobs of the onboarding app (registered in config/celery.py's beat_schedule)."""
import datetime
import logging

from celery import shared_task
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from . import jobs
from .history import purge_plan_history
from .models import PLAN_RESTORE_DAYS, Plan

logger = logging.getLogger(__name__)


@shared_task
def purge_deleted_plans():
    """Remove for good the plans deleted more than PLAN_RESTORE_DAYS days ago, with their history.

    Each plan goes in its own transaction, so one that cannot go (something outside the plan
    still protects it) is logged and the others are purged. Returns the number purged.
    """
    cutoff = timezone.now() - datetime.timedelta(days=PLAN_RESTORE_DAYS)
    purged = 0
    for plan_id in list(Plan.objects.filter(deleted_at__lt=cutoff).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                plan = Plan.objects.select_for_update().get(pk=plan_id, deleted_at__lt=cutoff)
                plan.delete()
                # After the delete, so the "deleted" records the cascade just wrote go too.
                purge_plan_history(plan_id)
        except Plan.DoesNotExist:
            continue  # restored meanwhile
        except ProtectedError:
            logger.exception("Deleted plan %s could not be purged", plan_id)
            continue
        purged += 1
    return purged


@shared_task
def fail_overdue_jobs():
    """Fail the levelling runs and exports whose worker is gone (onboarding/jobs.py): pages do it
    when they read a job too; this catches jobs nobody is looking at. Returns how many."""
    return jobs.sweep()
