"""Celery tasks of the sharing app: they take ids, call the export service, and are queued on commit."""
from celery import shared_task
from django.conf import settings

from . import exports


# ignore_result: the job row is the result; a result backend lookup would add a Redis round trip
# (and a hang when Redis is down) to every send.
@shared_task(ignore_result=True)
def export_gantt_pdf(job_id):
    exports.run_job(job_id)


@shared_task(ignore_result=True)
def purge_old_exports():
    return exports.purge_old(settings.EXPORT_RETENTION_DAYS)
