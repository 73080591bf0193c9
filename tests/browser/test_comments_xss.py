"""In Chromium: script in comment bodies and attachment names runs nowhere, and an uploaded SVG is
never shown as a page (it is kept as text and only downloaded)."""
import pytest
from playwright.sync_api import expect

from collab.models import Attachment, Comment
from tests.factories import AttachmentFactory, PASSWORD, PhaseFactory, PlanFactory, TaskFactory, UserFactory

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=\"window.__xss=1;alert(1)\">",
    "[click me](javascript:window.__xss=1;alert(1))",
    "<a href=\"javascript:window.__xss=1\">js link</a>",
    "<svg onload=\"window.__xss=1\"></svg>",
]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1;alert(1)"><script>window.__xss=1</script></svg>'


@pytest.fixture
def setting(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pm = UserFactory(username="pm", first_name="<img src=x onerror=window.__xss=1>")
    plan = PlanFactory(owner=pm, name="XSS 计划")
    task = TaskFactory(plan=plan, phase=PhaseFactory(plan=plan), title="联调测试")
    # A name straight in the database, past the upload's cleaning: the page must still show it as text.
    AttachmentFactory(workspace=plan.workspace, plan=plan, task=task, file="attachments/raw.pdf", size=3,
                              name='<img src=x onerror="window.__xss=1">.pdf', content_type="application/pdf",
                              uploaded_by=pm)
    return plan, task


def _no_script_ran(page, dialogs):
    page.wait_for_load_state("networkidle")
    assert not dialogs, dialogs
    assert page.evaluate("window.__xss === undefined")


def test_payloads_in_comments_and_file_names_stay_text(page, live_server, login, setting):
    plan, task = setting
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login("pm", PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/checklist/")
    page.locator(f"#task-{task.pk} a[data-toggles]").click()
    thread = page.locator(f"#comments-{plan.pk}-{task.pk}")
    thread.wait_for()
    for number, payload in enumerate(PAYLOADS, start=1):
        thread.locator("textarea[name=body]").fill(payload)
        thread.locator("button[type=submit]").last.click()
        expect(page.locator(f"#comments-{plan.pk}-{task.pk} article.comment")).to_have_count(number)
    assert Comment.objects.count() == len(PAYLOADS)
    # Clicking what could have been a script link does nothing either.
    for link in page.locator(f"#comments-{plan.pk}-{task.pk} .comment-body a").all():
        assert link.get_attribute("href").startswith("http")
    assert page.locator(f"#comments-{plan.pk}-{task.pk} .comment-body img, .comment-body svg, .comment-body script").count() == 0
    text = thread.inner_text()
    assert "<script>window.__xss=1;alert(1)</script>" in text and "javascript:window.__xss=1" in text

    # An SVG upload, its name itself a payload.
    attachments = page.locator(f"#attachments-{plan.pk}-{task.pk}")
    attachments.locator("input[type=file]").set_input_files(
        {"name": "<img src=x onerror=alert(1)>.svg", "mimeType": "image/svg+xml", "buffer": SVG})
    attachments.locator("button[type=submit]").last.click()
    expect(page.locator(f"#attachments-{plan.pk}-{task.pk} li.attachment")).to_have_count(2)
    svg = Attachment.objects.get(name__endswith=".svg")
    assert svg.content_type == "text/plain"
    assert page.locator(f"#attachment-{svg.pk} img").count() == 0  # not previewed
    with page.expect_download() as download:
        page.locator(f"#attachment-{svg.pk} a.attachment-name").click()
    assert download.value.suggested_filename.endswith(".svg")
    _no_script_ran(page, dialogs)

    # The whole pages, reloaded: the task's own page, the overview (the owner's name), the history.
    for path in (f"/plans/{plan.pk}/tasks/{task.pk}/detail/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/history/"):
        page.goto(f"{live_server.url}{path}")
        _no_script_ran(page, dialogs)
    page.goto(f"{live_server.url}/plans/{plan.pk}/tasks/{task.pk}/detail/")
    assert '<img src=x onerror="window.__xss=1">.pdf' in page.locator("body").inner_text()
    _no_script_ran(page, dialogs)
