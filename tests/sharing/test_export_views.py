"""The Exports page: queueing (eager, broker down), polling, dead workers, retry, downloads,
permissions, and PNG/SVG chart images."""
import datetime
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from config.celery import app
from sharing.models import ExportJob
from tests.sharing.test_pdf_export import add_tasks
from tests.workers import _forget_connections
from tests.factories import ExportJobFactory

FORM = {"paper": "a4", "scale": "weeks", "group_by": "phase", "language": "zh-hans"}


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_eager_export_through_the_view_then_download(media, pm_client, plan, django_capture_on_commit_callbacks):
    add_tasks(plan, 6, phases=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/plans/{plan.pk}/exports/new/", FORM, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    # The Exports list below the form stops saying "No exports yet" (swapped out of band).
    body = response.content.decode()
    assert f'id="export-jobs-empty-{plan.pk}" hx-swap-oob="true"' in body and "No exports yet" not in body
    job = ExportJob.objects.get(plan=plan)
    assert job.state == ExportJob.State.DONE, job.error
    assert job.requested_by.username == "pm" and job.pages == 1 and job.file.name.endswith(".pdf")

    page = pm_client.get(f"/plans/{plan.pk}/exports/").content.decode()
    assert f"/plans/{plan.pk}/exports/{job.pk}/download/" in page and "Ready" in page

    download = pm_client.get(f"/plans/{plan.pk}/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''MTP%20%E6%8E%A5%E5%85%A5" in download["Content-Disposition"]


def test_fit_to_one_page_is_chosen_in_the_form_and_kept_on_retry(media, pm_client, plan,
                                                                 django_capture_on_commit_callbacks):
    add_tasks(plan, 6, phases=2)
    page = pm_client.get(f"/plans/{plan.pk}/exports/").content.decode()
    assert 'name="fit"' in page and "Fit to one page" in page and "Fit to width" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/plans/{plan.pk}/exports/new/", {**FORM, "fit": "page"}, HTTP_HX_REQUEST="true")
    job = ExportJob.objects.get(plan=plan)
    assert job.fit == "page" and job.state == ExportJob.State.DONE and job.pages == 1, job.error
    assert "Fit to one page" in response.content.decode()  # the job row says how it was laid out
    with django_capture_on_commit_callbacks(execute=True):
        pm_client.post(f"/plans/{plan.pk}/exports/{job.pk}/retry/", HTTP_HX_REQUEST="true")
    assert ExportJob.objects.latest("pk").fit == "page"
    bad = pm_client.post(f"/plans/{plan.pk}/exports/new/", {**FORM, "fit": "poster"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "Fit" in bad.content.decode()


def test_queued_job_polls_until_done(pm_client, plan):
    job = ExportJobFactory(plan=plan, celery_id="abc", state=ExportJob.State.RUNNING, progress=40,
                                   started_at=timezone.now())
    row = pm_client.get(f"/plans/{plan.pk}/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="load delay:1s"' in row and "40%" in row and "download" not in row


def test_bad_options_are_refused_on_the_field(pm_client, plan):
    response = pm_client.post(f"/plans/{plan.pk}/exports/new/", {**FORM, "paper": "a0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Paper" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.fixture
def broker_down():
    """Redis is not there: the broker is a closed port and eager mode is off."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = "redis://127.0.0.1:6390/0"
    app.conf.task_always_eager = False
    _forget_connections()
    yield
    for key, value in saved.items():
        app.conf[key] = value
    _forget_connections()


def test_broker_down_answers_fast_with_a_clear_message_and_fails_the_job(transactional_db, broker_down, client, pm,
                                                                          plan):
    client.force_login(pm)
    started = time.monotonic()
    response = client.post(f"/plans/{plan.pk}/exports/new/", FORM, HTTP_HX_REQUEST="true")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 5, f"the view took {elapsed:.1f} s"
    assert "The export queue is unavailable. Try again in a moment." in response.content.decode()
    job = ExportJob.objects.get(plan=plan)
    assert job.state == ExportJob.State.FAILED
    assert f"/exports/{job.pk}/retry/" in response.content.decode()


def test_dead_worker_is_detected_on_the_next_poll_and_retry_queues_a_new_job(
        media, pm_client, plan, django_capture_on_commit_callbacks):
    add_tasks(plan, 3, phases=1)
    job = ExportJobFactory(plan=plan, paper="a3", scale="months", group_by="owner", language="en",
                                   celery_id="lost", state=ExportJob.State.RUNNING,
                                   started_at=timezone.now() - datetime.timedelta(minutes=11))
    row = pm_client.get(f"/plans/{plan.pk}/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and "stopped responding" in row
    assert 'hx-trigger="load delay:1s"' not in row

    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/plans/{plan.pk}/exports/{job.pk}/retry/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    new = ExportJob.objects.exclude(pk=job.pk).get()
    assert (new.paper, new.scale, new.group_by, new.language) == ("a3", "months", "owner", "en")
    assert new.state == ExportJob.State.DONE, new.error


def test_a_job_never_sent_is_failed_after_a_minute(pm_client, plan):
    job = ExportJobFactory(plan=plan, celery_id="")
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    pm_client.get(f"/plans/{plan.pk}/exports/")
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED


def test_permissions(client, plan, other_pm, manager, media, django_capture_on_commit_callbacks):
    url = f"/plans/{plan.pk}/exports/"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{url}new/", FORM).status_code == 302 and not ExportJob.objects.exists()

    client.force_login(other_pm)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}new/", FORM).status_code == 404
    assert client.get(f"/plans/{plan.pk}/charts/gantt.svg").status_code == 404
    job = ExportJobFactory(plan=plan, state=ExportJob.State.DONE)
    job.file.save("x.pdf", ContentFile(b"%PDF-1.7"))
    assert client.get(f"{url}{job.pk}/download/").status_code == 404

    client.force_login(manager)  # read-only on every plan, and may export
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{url}new/", FORM, HTTP_HX_REQUEST="true").status_code == 200
    assert ExportJob.objects.filter(requested_by=manager).exists()
    assert client.get(f"{url}{job.pk}/download/").status_code == 200


@pytest.mark.parametrize("kind", ["gantt", "swimlane", "stakeholders", "burnup"])
def test_chart_images(pm_client, plan, flow, kind):
    add_tasks(plan, 4, phases=1)
    png = pm_client.get(f"/plans/{plan.pk}/charts/{kind}.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = pm_client.get(f"/plans/{plan.pk}/charts/{kind}.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<svg")


def test_chart_images_unknown_kind_or_flow_is_404(pm_client, plan, flow):
    assert pm_client.get(f"/plans/{plan.pk}/charts/pie.png").status_code == 404
    assert pm_client.get(f"/plans/{plan.pk}/charts/gantt.gif").status_code == 404
    assert pm_client.get(f"/plans/{plan.pk}/charts/swimlane.svg?flow=999999").status_code == 404
    assert pm_client.get(f"/plans/{plan.pk}/charts/swimlane.svg?flow={flow.pk}").status_code == 200


def test_chart_renders_one_off_when_the_browser_server_is_unusable(pm_client, plan, monkeypatch):
    from sharing import exports

    monkeypatch.setitem(exports._STATE, "server", False)  # as after a failed start
    add_tasks(plan, 2, phases=1)
    png = pm_client.get(f"/plans/{plan.pk}/charts/gantt.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
