"""The checklist at 1366×768: a dense grid (15+ rows on a screen, nothing off screen to the right)
and bulk edit: tick rows, set their owner, shift them, in zh-hans and en."""
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.models import Plan
from schedule import scheduling
from schedule.models import Task

VIEWPORT = {"width": 1366, "height": 768}
WORDS = {"en": {"owner_set": "Owner set on 3 tasks.", "shifted": "3 tasks shifted"},
         "zh-hans": {"owner_set": "已为 3 项任务设置负责人。", "shifted": "已平移 3 项任务"}}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_dense_checklist_and_bulk_edit_at_1366x768(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    page.set_viewport_size(VIEWPORT)
    login("pm", "paasport-pm")
    page.goto(f"{live_server.url}/plans/{plan.pk}/checklist/")
    page.evaluate("document.cookie = 'django_language={}; path=/'".format(lang))
    page.reload()
    page.evaluate("window.scrollTo(0, document.querySelector('#bulk-edit').getBoundingClientRect().top"
                  " + window.scrollY)")
    rows = page.evaluate("""() => [...document.querySelectorAll('tr.task-row')].map(r => {
        const b = r.getBoundingClientRect(); return {top: b.top, bottom: b.bottom, right: b.right}; })""")
    on_screen = [row for row in rows if row["top"] >= 0 and row["bottom"] <= VIEWPORT["height"]]
    assert len(on_screen) >= 15
    assert max(row["right"] for row in rows) <= VIEWPORT["width"]  # no part of a row off screen
    page.screenshot(path=f"/tmp/checklist-dense-{lang}.png")

    targets = list(plan.tasks.filter(status=Task.Status.NOT_STARTED).order_by("position")[:3])
    owner = plan.plan_stakeholders.select_related("stakeholder").filter(stakeholder__side="partner").first()
    for task in targets:
        page.check(f"#task-{task.pk} input[name=task]")
    page.select_option("#bulk-owner", str(owner.pk))
    page.click("#bulk-edit button[value=owner]")
    expect(page.locator("#bulk-status")).to_contain_text(WORDS[lang]["owner_set"])
    assert all(task.owner_id == owner.pk for task in Plan.objects.get(pk=plan.pk).tasks.filter(
        pk__in=[t.pk for t in targets]))

    before = {task.pk: task.early_start for task in plan.tasks.filter(pk__in=[t.pk for t in targets])}
    for task in targets:  # the grid was redrawn: the boxes carry the new versions
        page.check(f"#task-{task.pk} input[name=task]")
    page.fill("#bulk-shift", "2")
    page.click("#bulk-edit button[value=shift]")
    expect(page.locator("#bulk-status")).to_contain_text(WORDS[lang]["shifted"])
    calendar = scheduling.plan_calendar(plan)
    for task in Task.objects.filter(pk__in=before):
        assert task.start_no_earlier_than == calendar.add_working_days(before[task.pk], 2)
    page.screenshot(path=f"/tmp/checklist-bulk-{lang}.png")
