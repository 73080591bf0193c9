"""The portfolio PDF report is a job like the others (onboarding/jobs.py): a worker killed in the
middle of it (SIGKILL to the real process) leaves it failed once its heartbeat stops, by the
periodic sweep even when nobody is looking, and the page says so with a Retry that works; with
Redis down, the page says the queue is unavailable, with a Retry too. No button stays disabled.

The worker is a real Celery worker on a real Redis; the report's rendering is made slow
(tests/faults/slow_jobs.py) so the kill lands mid-job. JOB_STALE_S is a few seconds here; in
production it is a minute and the sweep runs every minute, so the report fails within 2 minutes.
"""
import time

import pytest

from onboarding.tasks import fail_overdue_jobs
from portfolio.models import PortfolioReport
from tests.workers import RealWorker
from tests.factories import TaskFactory

HX = {"HTTP_HX_REQUEST": "true"}
POLLING = 'hx-trigger="load delay:1s"'
STALE_S = 3


@pytest.fixture
def media(tmp_path, settings):
    # The workers write the PDF where this process reads it.
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def slow_worker(transactional_db, settings, media):
    settings.JOB_STALE_S = STALE_S
    worker = RealWorker(app_module="tests.faults.slow_jobs",
                        env={"JOB_HEARTBEAT_S": "0.5", "MEDIA_ROOT": str(media)}).start()
    yield worker
    worker.stop()


@pytest.fixture
def tasks(plan):
    return [TaskFactory(plan=plan, title=title, duration=2, position=position)
            for position, title in enumerate(["SDK 集成", "控制台集成"])]


def _wait_for(read, condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = read()
        if condition(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"still {value!r} after {seconds} s")


def _state(report):
    return PortfolioReport.objects.get(pk=report.pk).state


def test_report_whose_worker_is_killed_fails_and_its_retry_is_rendered(slow_worker, pm_client, plan, tasks, media):
    response = pm_client.post("/portfolio/report/", {"q": "MTP"}, **HX)
    assert response.status_code == 200 and POLLING in response.content.decode()
    report = PortfolioReport.objects.get()
    url = f"/portfolio/report/{report.pk}/"

    _wait_for(lambda: _state(report), lambda state: state == "running")
    # The heartbeat keeps a report that renders longer than JOB_STALE_S alive while its worker lives.
    time.sleep(STALE_S + 1)
    assert fail_overdue_jobs() == 0
    page = pm_client.get(url, **HX).content.decode()
    assert _state(report) == "running" and POLLING in page

    slow_worker.process.kill()
    slow_worker.process.wait(timeout=10)
    killed = time.monotonic()
    # Nobody polls: the periodic sweep fails it once its heartbeat is JOB_STALE_S old.
    failed = _wait_for(fail_overdue_jobs, lambda count: count == 1, seconds=STALE_S + 10)
    assert failed == 1 and time.monotonic() - killed < STALE_S + 10
    report.refresh_from_db()
    assert report.state == PortfolioReport.State.FAILED and report.finished_at

    page = pm_client.get(url, **HX).content.decode()
    assert "The worker running this job stopped responding. Try again." in page
    assert POLLING not in page and "disabled" not in page
    assert f"/portfolio/report/{report.pk}/retry/" in page and "Retry" in page

    # A worker that lives (beating faster than this test's JOB_STALE_S): the retry renders the same
    # report, which can be downloaded.
    second = RealWorker(env={"JOB_HEARTBEAT_S": "0.5", "MEDIA_ROOT": str(media)}).start()
    try:
        again = pm_client.post(f"/portfolio/report/{report.pk}/retry/", **HX)
        assert again.status_code == 200
        retried = PortfolioReport.objects.exclude(pk=report.pk).get()
        assert retried.query == report.query and f'id="report-{retried.pk}"' in again.content.decode()
        page = _wait_for(lambda: pm_client.get(f"/portfolio/report/{retried.pk}/", **HX).content.decode(),
                         lambda body: POLLING not in body, seconds=90)
    finally:
        second.stop()
    retried.refresh_from_db()
    assert retried.state == PortfolioReport.State.DONE, retried.error
    assert f"/portfolio/report/{retried.pk}/download/" in page
    download = pm_client.get(f"/portfolio/report/{retried.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    report.refresh_from_db()
    assert report.state == PortfolioReport.State.FAILED  # the killed one stays failed


# Committed for real (transactional_db): the report is sent on commit, within the request.
def test_report_says_the_queue_is_unavailable_with_a_retry(transactional_db, redis_down, pm_client, plan, tasks):
    response = pm_client.post("/portfolio/report/", {"q": "MTP"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The report queue is unavailable. Try again in a moment." in body
    assert POLLING not in body and "disabled" not in body
    report = PortfolioReport.objects.get()
    assert report.state == PortfolioReport.State.FAILED
    assert f"/portfolio/report/{report.pk}/retry/" in body
    # Still down: the retry says so again instead of hanging.
    again = pm_client.post(f"/portfolio/report/{report.pk}/retry/", **HX).content.decode()
    assert "The report queue is unavailable" in again and PortfolioReport.objects.filter(state="failed").count() == 2
