"""The portfolio in a browser at 1366×768, in Chinese and English: filter, sort, click through to
a plan from the table and from the timeline, drill into a workload cell."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.models import Plan
from schedule import scheduling
from schedule.selectors import plan_status
from tests.factories import (
    ManagerFactory,
    MilestoneFactory,
    PASSWORD,
    PlanFactory,
    PlanStakeholderFactory,
    ProductFactory,
    StakeholderFactory,
    TaskFactory,
    TaskLinkFactory,
)

WORDS = {
    "zh-hans": {"health": "健康度", "late": "已延期", "launch": "预计上线", "plans": "2 个计划"},
    "en": {"health": "Health", "late": "Late", "launch": "Forecast launch", "plans": "2 plans"},
}


@pytest.fixture
def plans(db):
    today = timezone.localdate()
    person = StakeholderFactory(name="林峰")
    made = {}
    for name, days, target_in in (("MTP 接入", 5, 60), ("MTP 海外", 40, 20), ("DSGC 城商行", 10, 90)):
        plan = PlanFactory(name=name, product=ProductFactory(name=f"{name} 产品"), start_date=today,
                           target_launch_date=today + datetime.timedelta(days=target_in), status=Plan.Status.ACTIVE)
        work = TaskFactory(plan=plan, duration=days, owner=PlanStakeholderFactory(plan=plan, stakeholder=person))
        TaskLinkFactory(predecessor=work, successor=MilestoneFactory(plan=plan, is_launch=True))
        scheduling.recompute(plan)
        made[name] = plan
    ManagerFactory(username="boss")
    return made


def names(page):
    return page.locator("#portfolio-table a.plan-link").all_inner_texts()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_filter_sort_and_click_through(page, live_server, login, plans, language):
    words = WORDS[language]
    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    login("boss", PASSWORD)
    page.click("#nav-portfolio")
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(3)

    # Filter by health: only the late plan, and the filter is in the address bar.
    page.select_option("select[name=health]", "late")
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"health=late"))
    expect(page.locator("#portfolio-table .health")).to_have_text(words["late"])
    page.select_option("select[name=health]", "")
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(3)

    # Search, then sort by forecast launch both ways (the search stays).
    page.fill("input[name=q]", "MTP")
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(2)
    expect(page.locator("#portfolio-count")).to_have_text(words["plans"])
    expect(page).to_have_url(re.compile(r"q=MTP"))
    page.wait_for_load_state("networkidle")  # the search's request is answered before the next click
    page.locator("#portfolio-table th a", has_text=words["launch"]).click()
    expect(page).to_have_url(re.compile(r"sort=launch"))
    expect(page.locator("#portfolio-table th a.asc")).to_have_text(words["launch"])
    assert names(page) == ["MTP 接入", "MTP 海外"]
    page.locator("#portfolio-table th a", has_text=words["launch"]).click()
    expect(page).to_have_url(re.compile(r"sort=-launch"))
    expect(page.locator("#portfolio-table th a.desc")).to_be_visible()
    assert names(page) == ["MTP 海外", "MTP 接入"]
    assert "q=MTP" in page.url
    # A filter changed after sorting keeps the sort.
    page.select_option("select[name=health]", "on_track")
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(1)
    assert "sort=-launch" in page.url
    page.go_back()
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(2)

    # Click through: the plan's Overview shows the row's forecast launch and health.
    row = page.locator("#portfolio-table tbody tr", has_text="MTP 海外")
    # The cell may end with ⚠ when the dates are counted over provisional holidays.
    launch = re.search(r"\d{4}-\d{2}-\d{2}", row.locator("td.launch").inner_text()).group(0)
    row.locator("a.plan-link").click()
    expect(page.locator("#forecast-launch")).to_have_text(launch)
    expect(page.locator("#plan-health")).to_have_text(words["late"])
    assert launch == plan_status(plans["MTP 海外"]).forecast_launch.isoformat()


def test_timeline_click_opens_the_plan_and_workload_drills_down(page, live_server, login, plans):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login("boss", PASSWORD)
    page.goto(f"{live_server.url}/portfolio/timeline/?group=owner")
    page.wait_for_selector("#timeline-chart[data-drawn='1']")
    target = plans["DSGC 城商行"]
    box = page.evaluate("""([planId]) => {
      const gd = document.getElementById('timeline-chart');
      const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
      const trace = gd._fullData.find(t => t.type === 'bar');
      const i = trace.customdata.findIndex(row => row[0] === planId);
      const middle = xa.l2p(xa.d2c(trace.base[i]) + trace.x[i] / 2);
      const rect = gd.querySelector('.nsewdrag').getBoundingClientRect();
      return {x: rect.left + middle, y: rect.top + ya.l2p(trace.y[i])};
    }""", [target.pk])
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(f"{live_server.url}/plans/{target.pk}/")

    page.goto(f"{live_server.url}/portfolio/workload/")
    cell = page.locator("#heatmap button.over").first
    expect(cell).to_be_visible()  # three plans' tasks at once for one person
    cell.click()
    for name in plans:
        expect(page.locator("#workload-cell")).to_contain_text(name)
