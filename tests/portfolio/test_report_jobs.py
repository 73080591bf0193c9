"""The portfolio PDF report never hangs (onboarding/jobs.py): a report whose worker stopped beating,
or that no worker took, is failed when its page polls it and by the periodic sweep, the page says
why in the reader's language with a Retry; a report failed that way stays failed. (A real worker
killed mid-report: tests/faults/test_report_worker_killed.py.)"""
import datetime

import pytest
from django.utils import timezone, translation

from onboarding.tasks import fail_overdue_jobs
from portfolio import reports
from portfolio.models import PortfolioReport
from tests.factories import PortfolioReportFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}
POLLING = 'hx-trigger="load delay:1s"'


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def deadlines(settings):
    settings.JOB_STALE_S, settings.JOB_QUEUED_S, settings.JOB_DEADLINE_S = 60, 110, 900


def _report(pm, **fields):
    report = PortfolioReportFactory(requested_by=pm, query="q=MTP", celery_id="c", **fields)
    return report


def test_a_report_whose_worker_stopped_beating_is_failed_when_polled_with_a_retry(pm_client, pm, plan, deadlines):
    now = timezone.now()
    beating = _report(pm, state="running", started_at=now - datetime.timedelta(minutes=5), heartbeat_at=now)
    lost = _report(pm, state="running", started_at=now - datetime.timedelta(minutes=2),
                   heartbeat_at=now - datetime.timedelta(seconds=61))

    alive = pm_client.get(f"/portfolio/report/{beating.pk}/", **HX).content.decode()
    assert POLLING in alive and "Rendering" in alive
    page = pm_client.get(f"/portfolio/report/{lost.pk}/", **HX).content.decode()
    lost.refresh_from_db()
    assert lost.state == "failed" and lost.finished_at
    assert "The worker running this job stopped responding. Try again." in page
    assert POLLING not in page and "disabled" not in page
    assert f'hx-post="/portfolio/report/{lost.pk}/retry/"' in page

    with translation.override("zh-hans"):
        assert lost.error_text == "运行这项任务的后台进程已无响应，请重试。"


def test_the_sweep_fails_reports_nobody_is_looking_at(pm, deadlines):
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    never_started = _report(pm)
    PortfolioReport.objects.filter(pk=never_started.pk).update(created_at=long_ago)
    too_long = _report(pm, state="running", started_at=long_ago - datetime.timedelta(minutes=15),
                       heartbeat_at=timezone.now())
    fresh = _report(pm)

    assert fail_overdue_jobs() == 2
    never_started.refresh_from_db()
    too_long.refresh_from_db()
    fresh.refresh_from_db()
    assert never_started.state == "failed" and "No worker started this job" in never_started.error
    assert too_long.state == "failed" and "ran longer than its time limit" in too_long.error
    assert fresh.state == "queued"


def test_a_report_failed_meanwhile_stays_failed(pm, plan, media, monkeypatch):
    redelivered = _report(pm, state="failed", error="lost")
    reports.run_report(redelivered.pk)
    redelivered.refresh_from_db()
    assert (redelivered.state, redelivered.error, redelivered.file.name) == ("failed", "lost", "")

    # The worker was thought lost while it rendered: its late finish leaves the report failed.
    late = _report(pm)

    def given_up_meanwhile(*args):
        PortfolioReport.objects.filter(pk=late.pk).update(state="failed", error="lost")
        return b"%PDF-", 1

    monkeypatch.setattr(reports, "build_report_pdf", given_up_meanwhile)
    reports.run_report(late.pk)
    late.refresh_from_db()
    assert (late.state, late.error, late.pages) == ("failed", "lost", None)


def test_retry_renders_the_same_filters_again(pm_client, pm, plan, media, django_capture_on_commit_callbacks):
    failed = _report(pm, state="failed", error="The worker running this job stopped responding. Try again.")
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/portfolio/report/{failed.pk}/retry/", **HX)
    assert response.status_code == 200
    again = PortfolioReport.objects.exclude(pk=failed.pk).get()
    assert again.query == "q=MTP" and again.state == "done" and again.started_at and again.heartbeat_at
    assert f"/portfolio/report/{again.pk}/download/" in pm_client.get(
        f"/portfolio/report/{again.pk}/", **HX).content.decode()

    # Someone else's report is not theirs to retry.
    pm_client.force_login(UserFactory(username="other-pm"))
    assert pm_client.post(f"/portfolio/report/{failed.pk}/retry/", **HX).status_code == 404
    assert PortfolioReport.objects.count() == 2
