"""The portfolio page: one row per readable plan whose figures are the plan's own Overview,
filters and sorting kept in the URL, nothing of another workspace."""
import itertools
import re
from io import BytesIO, StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from onboarding.models import Plan, Scenario, Workspace
from portfolio.selectors import portfolio_rows
from schedule import scheduling, services
from schedule.models import Task
from schedule.selectors import Health, plan_status
from tests.factories import (
    ManagerFactory,
    MilestoneFactory,
    PlanFactory,
    ProductFactory,
    ScenarioFactory,
    TaskFactory,
    TaskLinkFactory,
    UserFactory,
    WorkspaceFactory,
)

DATE = r"(\d{4}-\d{2}-\d{2}|—)"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    return Plan.objects.order_by("pk")


def rows_shown(body):
    """{plan id: (forecast launch, health label, % done)} as the portfolio table shows them."""
    shown = {}
    for match in re.finditer(r'<tr data-plan="(\d+)">(.*?)</tr>', body, re.S):
        cells = match.group(2)
        # A forecast counted across a year with provisional holidays carries a mark after the date.
        launch = re.search(rf'<td class="launch">{DATE}(?: <span class="holiday-mark"[^>]*>⚠</span>)?</td>',
                           cells).group(1)
        health = re.search(r'<span class="health [a-z_]+">([^<]+)</span>', cells).group(1)
        done = re.search(r'<td class="done">(\d+)%</td>', cells).group(1)
        shown[int(match.group(1))] = (launch, health, done)
    return shown


def overview_shows(client, plan):
    body = client.get(f"/plans/{plan.pk}/").content.decode()
    launch = re.search(rf'id="forecast-launch">{DATE}<', body).group(1)
    health = re.search(r'id="plan-health">([^<]+)<', body).group(1).strip()
    done = re.search(r'id="dash-done">(\d+)%<', body).group(1)
    return launch, health, done


def test_every_row_equals_the_plans_overview(demo, client):
    manager = Plan.objects.exclude(owner__username="pm2").first().owner  # the demo PM owns the team's plans
    client.force_login(manager)
    plans = list(Plan.objects.filter(owner=manager))
    # A baseline, then a slip, so slip and health have something to show.
    scheduling.ensure_fresh(plans[0])
    services.baseline_create(plan=plans[0], name="Kick-off")
    task = (plans[0].tasks.filter(is_milestone=False).exclude(status=Task.Status.DONE)
            .order_by("total_float", "early_start").first())
    version = task.version
    task.duration += 10
    services.task_update(plan=plans[0], task=task, version=version)
    assert plan_status(plans[0]).slip > 0

    body = client.get("/portfolio/").content.decode()
    shown = rows_shown(body)
    assert set(shown) == {plan.pk for plan in plans}
    for plan in plans:
        assert shown[plan.pk] == overview_shows(client, plan), plan.name
        status = plan_status(plan)
        row = next(row for row in portfolio_rows(Plan.objects.filter(pk=plan.pk)))
        assert (row.forecast_launch, row.health, row.reasons, row.percent_done, row.slip, row.target_gap,
                len(row.blockers)) == (status.forecast_launch, status.health, [str(r) for r in status.reasons],
                                       status.percent_done, status.slip, status.target_gap, len(status.blocked))


def test_another_workspaces_plans_are_absent(demo, client):
    pm2 = Plan.objects.get(owner__username="pm2").owner
    theirs = Plan.objects.exclude(owner=pm2)
    client.force_login(pm2)
    body = client.get("/portfolio/").content.decode()
    assert set(rows_shown(body)) == set(Plan.objects.filter(owner=pm2).values_list("pk", flat=True))
    for plan in theirs.select_related("product", "workspace"):
        assert plan.name not in body and plan.product.name not in body and plan.workspace.name not in body
    # Asking for the other team's workspace or product by id filters nothing in and names nothing.
    other = theirs.first()
    for query in (f"workspace={other.workspace_id}", f"product={other.product_id}", f"owner={other.owner_id}"):
        response = client.get(f"/portfolio/?{query}")
        assert response.status_code == 200
        page = response.content.decode()
        assert other.name not in page and other.product.name not in page
        assert 'id="filter-errors"' in page
    timeline = client.get("/portfolio/timeline/").content.decode()
    assert all(plan.name not in timeline for plan in theirs)
    export = load_workbook(BytesIO(client.get("/portfolio/export.xlsx").content)).active
    names = {row[1] for row in itertools.takewhile(any, export.iter_rows(min_row=2, values_only=True))}
    assert names == set(Plan.objects.filter(owner=pm2).values_list("name", flat=True))


@pytest.fixture
def team(db):
    """A manager's workspace with four plans of known health, and a plan of another team."""
    boss = ManagerFactory(username="boss")
    alice = UserFactory(username="alice", first_name="Alice")
    bob = UserFactory(username="bob", first_name="Bob")
    game = ProductFactory(name="手游安全 MTP")
    data = ProductFactory(name="数据安全 DSGC")
    to_c = ScenarioFactory(name="手游出海", kind=Scenario.Kind.TO_C)
    to_b = ScenarioFactory(name="城商行", kind=Scenario.Kind.TO_B)
    today = scheduling.timezone.localdate()

    def plan(name, product, scenario, owner, *, days, target_in):
        made = PlanFactory(name=name, product=product, scenario=scenario, owner=owner, start_date=today,
                           target_launch_date=today + scheduling.datetime.timedelta(days=target_in),
                           status=Plan.Status.ACTIVE)
        work = TaskFactory(plan=made, duration=days)
        launch = MilestoneFactory(plan=made, title=f"{name} 上线", is_launch=True)
        TaskLinkFactory(predecessor=work, successor=launch)
        scheduling.recompute(made)
        return made

    plans = {
        "mtp": plan("MTP 接入", game, to_c, alice, days=5, target_in=60),  # on track
        "late": plan("MTP 海外", game, to_c, bob, days=40, target_in=20),  # late: after the target
        "dsgc": plan("DSGC 城商行", data, to_b, alice, days=10, target_in=90),  # on track
    }
    other_team = WorkspaceFactory(name="行业云接入组")
    outsider = UserFactory(username="outsider", workspace=other_team)
    hidden = PlanFactory(name="秘密计划", product=ProductFactory(name="秘密产品", workspace=other_team),
                         owner=outsider, start_date=today)
    return {"boss": boss, "alice": alice, "bob": bob, "game": game, "plans": plans, "hidden": hidden}


def names_in(body):
    return re.findall(r'class="plan-link" href="/plans/\d+/">([^<]+)</a>', body)


def test_filters_search_and_sort(team, client):
    client.force_login(team["boss"])
    assert sorted(names_in(client.get("/portfolio/").content.decode())) == ["DSGC 城商行", "MTP 接入", "MTP 海外"]
    assert "秘密计划" not in client.get("/portfolio/").content.decode()
    cases = {
        f"product={team['game'].pk}": {"MTP 接入", "MTP 海外"},
        "kind=toB": {"DSGC 城商行"},
        f"owner={team['alice'].pk}": {"MTP 接入", "DSGC 城商行"},
        "health=late": {"MTP 海外"},
        "health=on_track": {"MTP 接入", "DSGC 城商行"},
        "q=海外": {"MTP 海外"},
        "q=城商行": {"DSGC 城商行"},  # the scenario's name
    }
    for query, expected in cases.items():
        assert set(names_in(client.get(f"/portfolio/?{query}").content.decode())) == expected, query
    # Launch window on the forecast launch.
    late = plan_status(team["plans"]["late"]).forecast_launch
    window = f"launch_from={late.isoformat()}&launch_to={late.isoformat()}"
    assert names_in(client.get(f"/portfolio/?{window}").content.decode()) == ["MTP 海外"]
    # Sorting: by forecast launch, both ways; health puts late first.
    by_launch = names_in(client.get("/portfolio/?sort=launch").content.decode())
    assert by_launch == ["MTP 接入", "DSGC 城商行", "MTP 海外"]
    assert names_in(client.get("/portfolio/?sort=-launch").content.decode()) == by_launch[::-1]
    assert names_in(client.get("/portfolio/?sort=health").content.decode())[0] == "MTP 海外"


def test_htmx_filter_returns_the_table_with_sort_links_keeping_the_filters(team, client):
    client.force_login(team["boss"])
    response = client.get("/portfolio/?kind=toC&sort=name", headers={"HX-Request": "true",
                                                                     "HX-Target": "portfolio-table"})
    body = response.content.decode()
    assert body.lstrip().startswith("<div id=\"portfolio-table\">")
    assert "<html" not in body
    assert 'href="?kind=toC&amp;sort=-name"' in body  # the heading clicked again sorts the other way
    assert 'id="sort-input"' in body and 'hx-swap-oob="true"' in body


def test_bad_filters_are_named_and_ignored(team, client):
    client.force_login(team["boss"])
    response = client.get("/portfolio/?launch_from=soon&health=great&sort=nonsense")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="filter-errors"' in body and "Enter a valid date." in body
    assert len(names_in(body)) == 3  # nothing filtered by the bad values
    backwards = client.get("/portfolio/?launch_from=2030-01-02&launch_to=2030-01-01").content.decode()
    assert "The end of the launch window is before its start." in backwards


def test_queries_do_not_grow_with_the_number_of_plans(team, client):
    client.force_login(team["boss"])

    def count():
        client.get("/portfolio/")  # schedules are fresh today after the first read
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portfolio/").status_code == 200
        return len(queries)

    for plan in team["plans"].values():
        services.baseline_create(plan=plan, name="B1")
    few = count()
    game, alice = team["game"], team["alice"]
    for n in range(6):
        made = PlanFactory(name=f"more {n}", product=game, owner=alice)
        TaskFactory(plan=made)
        MilestoneFactory(plan=made, is_launch=True)
        services.baseline_create(plan=made, name="B1")
    assert count() == few


def test_excel_export_has_the_filtered_rows(team, client):
    client.force_login(team["boss"])
    response = client.get("/portfolio/export.xlsx?kind=toC&sort=-launch")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(itertools.takewhile(any, sheet.iter_rows(values_only=True)))  # the holiday notes come after a blank row
    assert rows[0][:3] == ("Workspace", "Plan", "Product")
    assert [row[1] for row in rows[1:]] == ["MTP 海外", "MTP 接入"]
    late = plan_status(team["plans"]["late"])
    assert rows[1][6] == Health.label(late.health)
    assert rows[1][8].date() == late.forecast_launch


def test_the_header_links_to_the_portfolio_for_members_only(team, client, db):
    client.force_login(team["boss"])
    assert 'id="nav-portfolio"' in client.get("/plans/").content.decode()
    loner = UserFactory(username="loner", role=None)
    client.force_login(loner)
    assert client.get("/portfolio/").status_code == 404
    assert Workspace.objects.count() == 2


def test_the_weekly_digest_gives_the_boss_the_portfolio_rows(team, mailoutbox):
    from notifications.services import send_weekly_digests

    boss = team["boss"]
    boss.email = "boss@example.com"
    boss.save()
    today = scheduling.timezone.localdate()
    outcome = send_weekly_digests(today)
    assert [address for address, _subject in outcome.sent] == ["boss@example.com"]
    [message] = mailoutbox
    assert message.subject == "[Paasport] Weekly portfolio: 3 plans"
    rows = portfolio_rows(Plan.objects.filter(workspace=team["plans"]["mtp"].workspace, status=Plan.Status.ACTIVE))
    assert len(rows) == 3
    for row in rows:
        line = next(line for line in message.body.splitlines() if line.startswith(f"- {row.name} ·"))
        assert row.health_label in line and f"Forecast launch {row.forecast_launch.isoformat()}" in line
        assert f"{row.percent_done}%" in line
    assert "秘密计划" not in message.body
    assert "You get this email because you manage a workspace." in message.body


def test_after_one_edit_only_that_plans_status_is_computed_again(team, client, monkeypatch):
    from portfolio import selectors

    client.force_login(team["boss"])
    client.get("/portfolio/")
    computed = []
    real = selectors.plan_statuses
    monkeypatch.setattr(selectors, "plan_statuses", lambda plans, **kw: computed.append(
        sorted(plan.name for plan in plans)) or real(plans, **kw))
    plan = team["plans"]["mtp"]
    task = plan.tasks.get(is_milestone=False)
    version = task.version
    task.status = Task.Status.BLOCKED
    services.task_update(plan=plan, task=task, version=version)
    body = client.get("/portfolio/").content.decode()
    assert computed == [["MTP 接入"]]
    row = re.search(rf'<tr data-plan="{plan.pk}">(.*?)</tr>', body, re.S).group(1)
    assert "1 task is blocked." in row and task.title in row
    assert rows_shown(body)[plan.pk] == overview_shows(client, plan)
