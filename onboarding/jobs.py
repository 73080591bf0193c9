"""Heartbeats and deadlines of background jobs (levelling runs, Gantt PDF exports, portfolio reports).

A job row is queued by a page, then run by a Celery worker, which marks it running and, while it
works, stamps ``heartbeat_at`` every ``JOB_HEARTBEAT_S`` seconds from a thread beside the job.
A worker that dies (killed, out of memory, the machine restarted) stops beating. Whoever reads
the job (its status poll, the page that lists it, and the periodic sweep) then fails it with a
message and the page offers a retry, instead of a progress bar that never moves and a disabled
button:

- queued, and no worker started it within ``JOB_QUEUED_S`` (the workers are down or the queue is);
- running, and no heartbeat for ``JOB_STALE_S`` (its worker died);
- running for more than ``JOB_DEADLINE_S`` in all (a worker that is alive but stuck).

A job failed this way is never brought back: a late heartbeat, a late finish or a redelivery of
its message (Celery acknowledges late) leaves it failed.
"""
import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop as _

logger = logging.getLogger(__name__)

QUEUED = "queued"
RUNNING = "running"
FAILED = "failed"

NOT_STARTED = _("No worker started this job: the background workers may be down. Try again in a moment.")
WORKER_LOST = _("The worker running this job stopped responding. Try again.")
TOO_LONG = _("This job ran longer than its time limit and was given up. Try again.")


def start(model, pk, **fields) -> bool:
    """Mark a queued job running (and its first heartbeat); False when it is no longer queued
    (done, or failed meanwhile): the worker then leaves it alone."""
    now = timezone.now()
    return bool(model.objects.filter(pk=pk, state=QUEUED).update(
        state=RUNNING, started_at=now, heartbeat_at=now, **fields))


@contextmanager
def heartbeat(model, pk):
    """Stamp the running job's ``heartbeat_at`` every JOB_HEARTBEAT_S s while the body runs."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_S):
                try:
                    model.objects.filter(pk=pk, state=RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # noqa: BLE001 - a missed beat is retried; the job itself goes on
                    logger.warning("heartbeat of %s %s failed", model.__name__, pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, daemon=True, name=f"heartbeat-{model.__name__}-{pk}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=1)


def overdue_reason(job, now=None):
    """Why this queued or running job is to be failed, or None while it is alive."""
    now = now or timezone.now()
    if job.state == QUEUED:
        if now - job.created_at > timedelta(seconds=settings.JOB_QUEUED_S):
            return NOT_STARTED
    elif job.state == RUNNING:
        started = job.started_at or job.created_at
        if now - started > timedelta(seconds=settings.JOB_DEADLINE_S):
            return TOO_LONG
        if now - (job.heartbeat_at or started) > timedelta(seconds=settings.JOB_STALE_S):
            return WORKER_LOST
    return None


def fail_overdue(jobs, now=None, not_started=()):
    """Fail the jobs among ``jobs`` whose worker is gone (see the module), and those whose ids are
    in ``not_started`` (known never sent); updates the objects too, so the page shows them failed
    at once. Returns how many were failed."""
    now = now or timezone.now()
    failed = 0
    for job in jobs:
        reason = NOT_STARTED if job.pk in not_started else overdue_reason(job, now)
        if reason is None:
            continue
        changed = type(job).objects.filter(pk=job.pk, state__in=[QUEUED, RUNNING]).update(
            state=FAILED, error=reason, finished_at=now)
        if changed:
            logger.warning("%s %s failed: %s", type(job).__name__, job.pk, reason)
            job.state, job.error, job.finished_at = FAILED, reason, now
            failed += 1
        else:
            job.refresh_from_db()
    return failed


# The job models (levelling runs, exports), registered by their apps in AppConfig.ready: this
# module sits below them.
JOB_MODELS = []


def register(model):
    """Let the periodic sweep fail ``model``'s overdue jobs (a model with state and heartbeat fields)."""
    if model not in JOB_MODELS:
        JOB_MODELS.append(model)


def sweep():
    """Fail every overdue job of every registered kind (the periodic sweep); returns how many."""
    failed = 0
    for model in JOB_MODELS:
        failed += fail_overdue(list(model.objects.filter(state__in=[QUEUED, RUNNING])))
    return failed
