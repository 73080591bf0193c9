"""A PM gives a task to a colleague; the colleague sees the counts in the header, the item in the
inbox and the task in My work, and sets it to done there (htmx, no reload). At 1366×768 in
zh-hans and en, with screenshots of My work, the inbox and the activity feed."""
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.models import Plan
from schedule.models import Task
from tests.factories import PlanStakeholderFactory, StakeholderFactory, UserFactory

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = "/tmp/shots-inbox"
WORDS = {"en": {"owner_set": "Owner set on 1 task.", "gave": "gave you the task", "saved": "Saved."},
         "zh-hans": {"owner_set": "已为 1 项任务设置负责人。", "gave": "中给了你任务", "saved": "已保存。"}}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_task_given_shows_in_the_inbox_and_my_work_and_is_done_inline(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    colleague = UserFactory(username="wanglei", first_name="王磊", password="wanglei-pass-123",
                            workspace=plan.workspace)
    plan.editors.add(colleague)
    person = StakeholderFactory(workspace=plan.workspace, name="王磊", organisation="平台",
                                        user=colleague)
    owner = PlanStakeholderFactory(plan=plan, stakeholder=person, position=99)
    target = plan.tasks.filter(status=Task.Status.NOT_STARTED).order_by("position").first()

    page.set_viewport_size(VIEWPORT)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    login("pm", "paasport-pm")
    page.goto(f"{live_server.url}/plans/{plan.pk}/checklist/")
    page.check(f"#task-{target.pk} input[name=task]")
    page.select_option("#bulk-owner", str(owner.pk))
    page.click("#bulk-edit button[value=owner]")
    expect(page.locator("#bulk-status")).to_contain_text(WORDS[lang]["owner_set"])

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    login("wanglei", "wanglei-pass-123")
    expect(page.locator("#badge-inbox")).to_have_text("1")
    expect(page.locator("#badge-my-work")).to_have_text("1")
    page.click("#nav-inbox")
    item = page.locator(".inbox-item.unread").first
    expect(item).to_contain_text(target.title)
    expect(item).to_contain_text(WORDS[lang]["gave"])
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    page.screenshot(path=f"{SHOTS}/inbox-{lang}.png")
    item.locator("button").click()
    expect(page.locator(".inbox-item.unread")).to_have_count(0)
    expect(page.locator("#badge-inbox")).to_be_hidden()

    page.click("#nav-my-work")
    row = page.locator(f"#my-task-{target.pk}")
    expect(row).to_contain_text(target.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    page.screenshot(path=f"{SHOTS}/my-work-{lang}.png")
    url = page.url
    row.locator("select").select_option("done")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#my-task-{target.pk}")).to_contain_text(WORDS[lang]["saved"])
    expect(page.locator("#badge-my-work")).to_be_hidden()
    assert page.url == url, "no reload"
    target.refresh_from_db()
    assert (target.status, target.percent_complete) == (Task.Status.DONE, 100)

    page.click("#nav-activity")
    expect(page.locator(".activity-entry").first).to_contain_text(target.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    page.screenshot(path=f"{SHOTS}/activity-{lang}.png")
    page.goto(f"{live_server.url}/plans/{plan.pk}/activity/")
    page.screenshot(path=f"{SHOTS}/plan-activity-{lang}.png")
    page.goto(f"{live_server.url}/notifications/")
    page.screenshot(path=f"{SHOTS}/settings-{lang}.png", full_page=True)
