"""Files on plans, tasks and products: sniffed, size-limited, served only through the checked view."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from collab.models import Attachment
from tests.collab.conftest import EXE, PDF, PNG, htmx


def _upload(client, url, name, content, **extra):
    return htmx(client, "post", url, {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), **extra})


def _task_url(plan, task):
    return reverse("collab:plan_attachments", args=[plan.pk]) + f"?task={task.pk}"


def test_a_pdf_on_a_task_is_kept_and_downloaded_as_an_attachment(pm_client, plan, task, settings):
    response = _upload(pm_client, _task_url(plan, task), "接口文档 v2.pdf", PDF, description="API docs")
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert (attachment.task, attachment.plan, attachment.name, attachment.size) == (task, plan, "接口文档 v2.pdf", len(PDF))
    assert attachment.content_type == "application/pdf"
    # Kept under a random name, never the uploaded one, and not reachable as a media URL.
    assert "接口文档" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert "接口文档 v2.pdf" in response.content.decode() and settings.MEDIA_URL not in response.content.decode()
    download = pm_client.get(reverse("collab:attachment_file", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    # And the task's details list it.
    detail = pm_client.get(reverse("schedule:task_detail", args=[plan.pk, task.pk])).content.decode()
    assert "接口文档 v2.pdf" in detail


def test_an_image_is_previewed_inline_in_a_sandbox(pm_client, plan):
    _upload(pm_client, reverse("collab:plan_attachments", args=[plan.pk]), "screen.png", PNG)
    attachment = Attachment.objects.get()
    assert attachment.task is None and attachment.content_type == "image/png"
    url = reverse("collab:attachment_file", args=[attachment.pk])
    overview = pm_client.get(reverse("schedule:plan_overview", args=[plan.pk])).content.decode()
    assert f'<img class="thumb" src="{url}"' in overview
    preview = pm_client.get(url)
    assert preview["Content-Type"] == "image/png" and preview["Content-Disposition"].startswith("inline;")
    assert preview["X-Content-Type-Options"] == "nosniff" and "sandbox" in preview["Content-Security-Policy"]
    assert pm_client.get(url, {"download": 1})["Content-Disposition"].startswith("attachment;")


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(pm_client, plan, task, settings):
    response = _upload(pm_client, _task_url(plan, task), "contract.pdf", EXE)
    assert response.status_code == 422
    assert "is not a kind of file that can be attached here" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_an_svg_is_kept_as_text_and_only_ever_downloaded(pm_client, plan, task):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    assert _upload(pm_client, _task_url(plan, task), "logo.svg", svg).status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.content_type == "text/plain"
    served = pm_client.get(reverse("collab:attachment_file", args=[attachment.pk]))
    assert served["Content-Type"] == "text/plain" and served["Content-Disposition"].startswith("attachment;")
    assert "<img" not in pm_client.get(reverse("schedule:task_detail", args=[plan.pk, task.pk])).content.decode().split(
        'id="attachments-')[1].split("</section>")[0]


def test_a_file_over_the_limit_is_refused_before_it_is_stored(pm_client, plan, task, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = _upload(pm_client, _task_url(plan, task), "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 422
    assert "files of at most 1000\xa0bytes can be attached" in response.content.decode()
    assert not Attachment.objects.exists() and not (settings.MEDIA_ROOT / "attachments").exists()
    assert _upload(pm_client, _task_url(plan, task), "small.pdf", PDF).status_code == 200


def test_the_limit_defaults_to_20_mb():
    from django.conf import settings

    assert settings.ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024


def test_names_are_cleaned(pm_client, plan, task):
    _upload(pm_client, _task_url(plan, task), '../../etc/<b>x</b>"\x07.pdf', PDF)
    assert Attachment.objects.get().name == "b__.pdf"  # the last path part, reserved characters replaced, the bell dropped


def test_readers_download_but_cannot_upload_or_delete(client, pm_client, plan, task, colleague, manager):
    _upload(pm_client, _task_url(plan, task), "report.pdf", PDF)
    attachment = Attachment.objects.get()
    for reader in (colleague, manager):
        client.force_login(reader)
        assert client.get(reverse("collab:attachment_file", args=[attachment.pk])).status_code == 200
        page = client.get(_task_url(plan, task)).content.decode()
        assert "report.pdf" in page and 'type="file"' not in page
        assert _upload(client, _task_url(plan, task), "more.pdf", PDF).status_code == 403
        assert htmx(client, "post", reverse("collab:attachment_delete", args=[attachment.pk])).status_code == 403
    assert Attachment.objects.filter(deleted_at__isnull=True).count() == 1


def test_delete_keeps_the_row_the_history_lists_it_and_restore_brings_it_back(pm_client, plan, task):
    _upload(pm_client, _task_url(plan, task), "old-contract.pdf", PDF)
    attachment = Attachment.objects.get()
    response = htmx(pm_client, "post", reverse("collab:attachment_delete", args=[attachment.pk]))
    assert response.status_code == 200 and "1 deleted file" in response.content.decode()
    attachment.refresh_from_db()
    assert attachment.deleted_at is not None and attachment.file.storage.exists(attachment.file.name)
    assert pm_client.get(reverse("collab:attachment_file", args=[attachment.pk])).status_code == 404
    history = pm_client.get(reverse("onboarding:plan_history", args=[plan.pk])).content.decode()
    assert "old-contract.pdf" in history
    htmx(pm_client, "post", reverse("collab:attachment_restore", args=[attachment.pk]))
    attachment.refresh_from_db()
    assert attachment.deleted_at is None
    assert pm_client.get(reverse("collab:attachment_file", args=[attachment.pk])).status_code == 200


def test_a_product_keeps_files_too(pm_client, product, client, manager):
    url = reverse("collab:product_attachments", args=[product.pk])
    assert _upload(pm_client, url, "price-list.xlsx", _xlsx()).status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.product == product and attachment.plan is None
    assert attachment.content_type.endswith("spreadsheetml.sheet")
    page = pm_client.get(reverse("onboarding:product_detail", args=[product.pk])).content.decode()
    assert "price-list.xlsx" in page and 'type="file"' in page
    client.force_login(manager)
    page = client.get(reverse("onboarding:product_detail", args=[product.pk])).content.decode()
    assert "price-list.xlsx" in page and 'type="file"' not in page
    assert _upload(client, url, "x.pdf", PDF).status_code == 403
    assert client.get(reverse("collab:attachment_file", args=[attachment.pk])).status_code == 200


def _xlsx():
    import io

    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()
