"""A failed PDF export or portfolio report shows a fixed message, never the exception's text (a database
error's text names tables, values and processes); the exception goes to the server log."""
import logging

import pytest

from portfolio import reports
from portfolio.models import PortfolioReport
from sharing import exports
from sharing.models import ExportJob
from tests.portfolio.test_portfolio_report import media, two_teams  # noqa: F401  (fixtures)

DB_TEXT = 'deadlock detected\nDETAIL: Process 123 waits for ShareLock on transaction 456; blocked by process 789.'


def fail(*args, **kwargs):
    raise RuntimeError(DB_TEXT)  # as psycopg's OperationalError reads; a real deadlock cannot be provoked on cue


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.ERROR)
    return caplog


def test_a_failed_export_shows_the_fixed_message_not_the_database_text(
        media, pm_client, plan, monkeypatch, logged, django_capture_on_commit_callbacks):  # noqa: F811
    monkeypatch.setattr(exports, "build_gantt_pdf", fail)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/plans/{plan.pk}/exports/new/", {
            "paper": "a4", "scale": "weeks", "group_by": "phase", "language": "zh-hans"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = ExportJob.objects.get(plan=plan)
    assert job.state == ExportJob.State.FAILED and job.error == exports.EXPORT_FAILED  # stored untranslated
    for page in (pm_client.get(f"/plans/{plan.pk}/exports/{job.pk}/", HTTP_HX_REQUEST="true"),
                 pm_client.get(f"/plans/{plan.pk}/exports/")):
        text = page.content.decode()
        assert page.status_code == 200
        assert "The PDF could not be made. Try again; if it fails again, tell an administrator" in text
        assert "DETAIL" not in text and "Process 123" not in text and "deadlock" not in text
    assert "DETAIL: Process 123" in logged.text  # the administrator finds it in the log


def test_a_failed_portfolio_report_shows_the_fixed_message_not_the_database_text(
        media, client, two_teams, monkeypatch, logged, django_capture_on_commit_callbacks):  # noqa: F811
    boss, _plans = two_teams
    client.force_login(boss)
    monkeypatch.setattr(reports, "build_report_pdf", fail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portfolio/report/", {"q": "接入"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    report = PortfolioReport.objects.get()
    assert report.state == PortfolioReport.State.FAILED
    page = client.get(f"/portfolio/report/{report.pk}/", HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 200
    assert "The report could not be made. Try again; if it fails again, tell an administrator" in text
    assert "DETAIL" not in text and "Process 123" not in text and "deadlock" not in text
    assert "DETAIL: Process 123" in logged.text
