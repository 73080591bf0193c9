"""Celery tasks: they take ids, call a service, and are queued on commit."""
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import LevellingRun
from .scheduling import run_levelling

logger = logging.getLogger(__name__)


@shared_task
def level_plan(run_id):
    run = LevellingRun.objects.select_related("plan").get(pk=run_id)
    run.state = LevellingRun.State.RUNNING
    run.progress = 5
    run.save(update_fields=["state", "progress"])

    def progress(percent):
        LevellingRun.objects.filter(pk=run_id).update(progress=percent)

    try:
        with transaction.atomic():
            run_levelling(run, progress=progress)
    except Exception as error:  # noqa: BLE001 - the page must show every failure, not hang
        logger.exception("levelling run %s failed", run_id)
        LevellingRun.objects.filter(pk=run_id).update(
            state=LevellingRun.State.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        return
    run.state = LevellingRun.State.DONE
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "progress", "finished_at", "method", "finish_before", "finish_after",
                            "result"])
