"""Celery tasks: they take ids, call a service, and are queued on commit."""
import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def level_plan(run_id):
    try:
        services.levelling_run(run_id=run_id)
    except Exception:  # noqa: BLE001 - the page must show every failure (in words, not database text), not hang
        logger.exception("levelling run %s failed", run_id)
        services.levelling_failed(run_id=run_id)
