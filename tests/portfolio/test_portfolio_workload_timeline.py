"""The workload across plans (heatmap + drill-down) and the portfolio timeline."""
import datetime
import json

import pytest
from django.utils import timezone

from onboarding.models import Plan
from portfolio.figures import TimelinePlan, timeline_spec
from portfolio.selectors import week_start, workload
from schedule import scheduling
from schedule.selectors import plan_status
from tests.factories import (
    ManagerFactory,
    MilestoneFactory,
    PlanFactory,
    PlanStakeholderFactory,
    ProductFactory,
    StakeholderFactory,
    TaskFactory,
    UserFactory,
    WorkspaceFactory,
)


def next_monday():
    today = timezone.localdate()
    return week_start(today) + datetime.timedelta(days=7)


@pytest.fixture
def busy(db):
    """Lin owns a five-day task in each of two plans, in the same week: twice her capacity."""
    boss = ManagerFactory(username="boss")
    monday = next_monday()
    lin = StakeholderFactory(name="Lin Feng")
    idle = StakeholderFactory(name="Idle Person")  # on the team, no task: free in every week
    contact = StakeholderFactory(name="Partner Contact", side="partner")  # a partner's, no task
    plans = []
    for name in ("Alpha onboarding", "Beta onboarding"):
        plan = PlanFactory(name=name, start_date=monday, status=Plan.Status.ACTIVE)
        owner = PlanStakeholderFactory(plan=plan, stakeholder=lin)
        PlanStakeholderFactory(plan=plan, stakeholder=idle)
        PlanStakeholderFactory(plan=plan, stakeholder=contact)
        TaskFactory(plan=plan, title=f"{name} integration", duration=5, owner=owner)
        MilestoneFactory(plan=plan, is_launch=True)
        scheduling.recompute(plan)
        plans.append(plan)
    other = WorkspaceFactory(name="行业云接入组")
    outsider = UserFactory(username="outsider", workspace=other)
    stranger = StakeholderFactory(name="Secret Stranger", workspace=other)
    hidden = PlanFactory(name="Hidden plan", product=ProductFactory(workspace=other), owner=outsider, start_date=monday)
    TaskFactory(plan=hidden, duration=5, owner=PlanStakeholderFactory(plan=hidden, stakeholder=stranger))
    scheduling.recompute(hidden)
    return {"boss": boss, "lin": lin, "plans": plans, "monday": monday, "outsider": outsider, "hidden": hidden,
            "stranger": stranger}


def test_workload_sums_every_plan_and_flags_over_allocation(busy):
    task = busy["plans"][0].tasks.get(duration=5)
    first_week = week_start(task.early_start)
    calendar = scheduling.SharedCalendars().default(first_week, first_week + datetime.timedelta(days=6))
    in_week = sum(1 for day in calendar.working_dates(first_week, first_week + datetime.timedelta(days=6))
                  if task.early_start <= day <= task.early_finish)
    data = workload(busy["boss"], busy["plans"][0].workspace, start=first_week, weeks=8)
    people = {person.name: person for person in data.people}
    # The team's free people are listed (who can take more); a partner's idle contact and the other
    # team's people are not.
    assert set(people) == {"Lin Feng", "Idle Person"}
    assert all(cell.days == 0 and cell.capacity > 0 for cell in people["Idle Person"].cells)
    cell = people["Lin Feng"].cells[0]
    assert cell.week == first_week and cell.days == 2 * in_week
    assert cell.level == "over"


def test_workload_page_and_cell_drill_down(busy, client):
    client.force_login(busy["boss"])
    task = busy["plans"][0].tasks.get(duration=5)
    week = week_start(task.early_start).isoformat()
    body = client.get(f"/portfolio/workload/?start={week}").content.decode()
    assert "Lin Feng" in body and 'class="over"' in body and "Secret Stranger" not in body
    cell = client.get(f"/portfolio/workload/cell/?workspace={busy['plans'][0].workspace_id}"
                      f"&person={busy['lin'].pk}&week={week}", headers={"HX-Request": "true"})
    text = cell.content.decode()
    assert "<html" not in text
    assert "Alpha onboarding" in text and "Beta onboarding" in text
    assert "Alpha onboarding integration" in text and "Beta onboarding integration" in text


def test_workload_of_another_workspace_is_404_and_names_nothing(busy, client):
    client.force_login(busy["boss"])
    hidden = busy["hidden"]
    assert client.get(f"/portfolio/workload/?workspace={hidden.workspace_id}").status_code == 404
    week = week_start(hidden.tasks.first().early_start).isoformat()
    mine = busy["plans"][0].workspace_id
    response = client.get(f"/portfolio/workload/cell/?workspace={mine}&person={busy['stranger'].pk}&week={week}")
    assert response.status_code == 200 and "Hidden plan" not in response.content.decode()
    assert client.get(f"/portfolio/workload/cell/?workspace={hidden.workspace_id}"
                      f"&person={busy['stranger'].pk}&week={week}").status_code == 404


def test_bad_workload_input_is_named_not_a_500(busy, client):
    client.force_login(busy["boss"])
    body = client.get("/portfolio/workload/?start=someday&weeks=99").content.decode()
    assert "The first week is not a date" in body and "Show 8, 12 or 26 weeks" in body
    assert client.get("/portfolio/workload/cell/?person=x&week=y").status_code == 404


def test_timeline_figure_has_a_bar_per_plan_with_milestones_target_and_today():
    today = datetime.date(2026, 12, 5)
    plans = [
        TimelinePlan(1, "Alpha", "MTP", datetime.date(2026, 11, 2), datetime.date(2026, 12, 20),
                     datetime.date(2026, 12, 31), "on_track", "On track", 40,
                     [("Kick-off", datetime.date(2026, 11, 2), True), ("Go live", datetime.date(2026, 12, 20), False)]),
        TimelinePlan(2, "Beta <b>", "DSGC", datetime.date(2026, 10, 1), None, None, "late", "Late", 0),
        TimelinePlan(3, "Gamma", "MTP", datetime.date(2026, 11, 20), datetime.date(2027, 1, 8),
                     datetime.date(2026, 12, 31), "late", "Late", 10),
    ]
    spec = timeline_spec(plans, today=today)
    bars, milestones, targets = spec["data"][:3]
    assert [cd[0] for cd in bars["customdata"]] == [1, 3]  # Beta has no forecast yet: no bar
    assert bars["base"] == ["2026-11-02", "2026-11-20"]
    assert bars["marker"]["color"][1] == "#e03131"  # late in red
    assert [cd[0] for cd in milestones["customdata"]] == [1, 1]
    assert targets["x"] == ["2026-12-31", "2026-12-31"]
    ticks = spec["layout"]["yaxis2"]["ticktext"]
    assert ticks == ["<b>DSGC</b>", "Beta &lt;b&gt;", "<b>MTP</b>", "Alpha", "Gamma"]
    assert any(shape.get("x0") == "2026-12-05" and shape["type"] == "line" for shape in spec["layout"]["shapes"])


def test_timeline_page_groups_by_owner_and_opens_plans(busy, client):
    client.force_login(busy["boss"])
    body = client.get("/portfolio/timeline/?group=owner").content.decode()
    assert 'data-click-open="/plans/0/"' in body
    figure = json.loads(body.split('id="timeline-chart-data">')[1].split("</script>")[0])
    ids = [cd[0] for cd in figure["data"][0]["customdata"]]
    assert sorted(ids) == sorted(plan.pk for plan in busy["plans"])
    assert busy["hidden"].pk not in ids
    launch = plan_status(busy["plans"][0]).forecast_launch
    assert launch.isoformat() in [cd[3] for cd in figure["data"][0]["customdata"]]
