"""A partner's share link at 1366×768: the first screen answers "when is the launch, what happens
next, what do you need from me" without scrolling, in both languages; the Gantt comes below."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.models import Plan
from schedule.selectors import plan_status
from sharing import links

VIEWPORT = {"width": 1366, "height": 768}
WORDS = {
    "en": {"launch": "Launch", "milestones": "Next milestones", "owes": "What we need from you", "due": "due"},
    "zh-hans": {"launch": "上线", "milestones": "接下来的里程碑", "owes": "需要您完成的事项", "due": "截止"},
}


def _on_first_screen(page, selector):
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"] \
        and box["x"] + box["width"] <= VIEWPORT["width"]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_partner_first_screen_at_1366x768(page, live_server, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    _link, token = links.create_link(plan, audience="partner")
    status = plan_status(plan)

    page.set_viewport_size(VIEWPORT)
    page.goto(f"{live_server.url}/s/{token}/?lang={lang}")
    words = WORDS[lang]
    for selector in ("#forecast-launch", "#target-launch", "#launch-words", "#next-milestones", "#partner-owes"):
        assert _on_first_screen(page, selector), selector
    assert page.locator("#forecast-launch").inner_text() == status.forecast_launch.isoformat()
    assert page.locator("#launch-panel h2").inner_text() == words["launch"]
    assert page.locator("#next-milestones h2").inner_text() == words["milestones"]
    shared = [m.title for m in status.next_milestones if m.visibility == "shared"][:3]
    assert page.locator("#next-milestones li .what").all_inner_texts() == shared
    owes = page.locator("#partner-owes")
    assert words["owes"] in owes.locator("h2").inner_text()
    items = owes.locator("li")
    assert 1 <= items.count() <= 5
    # Only partner-side owners: the demo's platform staff never appear in the list.
    partner_names = set(plan.plan_stakeholders.filter(stakeholder__side="partner")
                        .values_list("stakeholder__name", flat=True))
    platform_names = set(plan.plan_stakeholders.filter(stakeholder__side="platform")
                         .values_list("stakeholder__name", flat=True))
    text = owes.inner_text()
    assert any(name in text for name in partner_names)
    assert not any(name in page.content() for name in platform_names)  # by role: no platform names anywhere
    # The Gantt starts below the first screen's panels.
    gantt_top = page.locator("#gantt").bounding_box()["y"]
    assert gantt_top > page.locator("#partner-owes").bounding_box()["y"]
    page.screenshot(path=f"/tmp/share-first-screen-{lang}.png")


def test_overdue_partner_task_is_listed_first(page, live_server):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    task = plan.tasks.filter(owner__stakeholder__side="partner", visibility="shared").exclude(status="done").last()
    task.deadline = timezone.localdate() - datetime.timedelta(days=20)
    task.save()
    _link, token = links.create_link(plan, audience="partner")
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{live_server.url}/s/{token}/?lang=en")
    first = page.locator("#partner-owes li").first
    assert task.title in first.inner_text()
    assert "overdue" in first.inner_text()
