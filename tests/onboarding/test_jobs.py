"""Jobs never hang (onboarding/jobs.py): overdue jobs are failed by the periodic sweep too, and a
job failed that way stays failed when its message is delivered again."""
import datetime

from django.utils import timezone

from onboarding.tasks import fail_overdue_jobs
from schedule import services
from sharing import exports
from sharing.models import ExportJob
from tests.factories import ExportJobFactory, LevellingRunFactory, TaskFactory


def test_the_sweep_fails_jobs_nobody_is_looking_at(plan, settings):
    settings.JOB_STALE_S, settings.JOB_QUEUED_S = 60, 110
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    lost = LevellingRunFactory(plan=plan, state="running", started_at=long_ago, heartbeat_at=long_ago)
    alive = LevellingRunFactory(plan=plan, state="running", started_at=long_ago, heartbeat_at=timezone.now())
    never_started = ExportJobFactory(plan=plan, celery_id="x")
    ExportJob.objects.filter(pk=never_started.pk).update(created_at=long_ago)

    assert fail_overdue_jobs() == 2
    lost.refresh_from_db()
    alive.refresh_from_db()
    never_started.refresh_from_db()
    assert lost.state == "failed" and "stopped responding" in lost.error
    assert never_started.state == "failed" and "No worker started this job" in never_started.error
    assert alive.state == "running"


def test_a_failed_job_delivered_again_is_left_failed(plan):
    TaskFactory(plan=plan, title="SDK 集成", duration=2)
    run = LevellingRunFactory(plan=plan, state="failed", error="lost")
    job = ExportJobFactory(plan=plan, celery_id="y", state="failed", error="lost")
    assert services.levelling_run(run_id=run.pk) is False
    exports.run_job(job.pk)
    run.refresh_from_db()
    job.refresh_from_db()
    assert (run.state, run.error, job.state, job.error) == ("failed", "lost", "failed", "lost")
