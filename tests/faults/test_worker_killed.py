"""A worker killed in the middle of a job (SIGKILL to the real process): the job is failed once its
heartbeat stops, the page says so and offers to run it again; no button stays disabled.

The worker is a real Celery worker on a real Redis running the real jobs, whose middle is made
slow (tests/faults/slow_jobs.py) so the kill lands mid-job. JOB_STALE_S is a few seconds here;
in production it is a minute (config/settings.py).
"""
import time

import pytest

from schedule.models import LevellingRun
from sharing.models import ExportJob
from tests.factories import PlanStakeholderFactory, StakeholderFactory, TaskFactory
from tests.workers import RealWorker

HX = {"HTTP_HX_REQUEST": "true"}
POLLING = 'hx-trigger="load delay:1s"'
STALE_S = 3


@pytest.fixture
def slow_worker(transactional_db, settings):
    settings.JOB_STALE_S = STALE_S
    worker = RealWorker(app_module="tests.faults.slow_jobs", env={"JOB_HEARTBEAT_S": "0.5"}).start()
    yield worker
    worker.stop()


@pytest.fixture
def tasks(plan):
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="韩梅梅"))
    return [TaskFactory(plan=plan, title=title, duration=2, owner=owner, position=position)
            for position, title in enumerate(["SDK 集成", "控制台集成", "计费对接"])]


def _wait_for(read, condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = read()
        if condition(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"still {value!r} after {seconds} s")


def _poll(pm_client, url, seconds=30):
    """The page's own polling, until it stops polling (the job ended)."""
    return _wait_for(lambda: pm_client.get(url, **HX).content.decode(), lambda page: POLLING not in page, seconds)


def _kill_mid_job(worker, pm_client, url, job):
    """Wait for the job's slow middle, check it stays alive there, kill the worker; the page polled
    until it stops polling."""
    _wait_for(lambda: type(job).objects.get(pk=job.pk).progress, lambda progress: progress == 50)
    # The heartbeat keeps a job that runs longer than JOB_STALE_S alive while its worker lives.
    time.sleep(STALE_S + 1)
    page = pm_client.get(url, **HX).content.decode()
    job.refresh_from_db()
    assert job.state == "running" and POLLING in page

    worker.process.kill()
    worker.process.wait(timeout=10)
    page = _poll(pm_client, url)
    job.refresh_from_db()
    return page


def test_levelling_whose_worker_is_killed_fails_and_can_be_run_again(slow_worker, pm_client, plan, tasks):
    response = pm_client.post(f"/plans/{plan.pk}/levelling/start/", **HX)
    assert response.status_code == 200 and "disabled" in response.content.decode()
    run = LevellingRun.objects.get(plan=plan)
    page = _kill_mid_job(slow_worker, pm_client, f"/plans/{plan.pk}/levelling/{run.pk}/", run)
    assert run.state == LevellingRun.State.FAILED
    assert "The worker running this job stopped responding. Try again." in page
    assert "Run again" in page and "disabled" not in page
    schedule = pm_client.get(f"/plans/{plan.pk}/schedule/").content.decode()
    assert "stopped responding" in schedule and "Run again" in schedule

    again = pm_client.post(f"/plans/{plan.pk}/levelling/start/", **HX)
    assert again.status_code == 200 and LevellingRun.objects.filter(plan=plan).count() == 2


def test_export_whose_worker_is_killed_fails_with_a_retry(slow_worker, pm_client, plan, tasks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = {"paper": "a4", "scale": "weeks", "group_by": "phase", "language": "en"}
    assert pm_client.post(f"/plans/{plan.pk}/exports/new/", form, **HX).status_code == 200
    job = ExportJob.objects.get(plan=plan)
    row = _kill_mid_job(slow_worker, pm_client, f"/plans/{plan.pk}/exports/{job.pk}/", job)
    assert job.state == ExportJob.State.FAILED and "stopped responding" in row
    assert f"/exports/{job.pk}/retry/" in row
