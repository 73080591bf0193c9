"""The Gantt page: chart data, options, the click-to-edit panel, safety and query counts."""
import json
import re

import pytest

from schedule import scheduling
from schedule.models import Task
from tests.factories import PhaseFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def tasks(plan):
    phase = PhaseFactory(plan=plan, name="联调测试")
    a = TaskFactory(plan=plan, phase=phase, title="联调环境准备", duration=2, position=0)
    b = TaskFactory(plan=plan, phase=phase, title=HOSTILE, duration=3, position=1)
    TaskLinkFactory(predecessor=a, successor=b)
    scheduling.recompute(plan)
    return a, b


def _figure(body, chart_id="gantt"):
    match = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', body, re.S)
    return json.loads(match.group(1))


def test_page_embeds_the_figure_with_task_ids(pm_client, plan, tasks):
    body = pm_client.get(f"/plans/{plan.pk}/gantt/").content.decode()
    assert "vendor/plotly-basic.min.js" in body
    figure = _figure(body)
    ids = {point[0] for trace in figure["data"] for point in (trace.get("customdata") or []) if point}
    assert {tasks[0].pk, tasks[1].pk} <= ids


def test_hostile_title_is_text_in_page_and_chart(pm_client, plan, tasks):
    body = pm_client.get(f"/plans/{plan.pk}/gantt/").content.decode()
    assert HOSTILE not in body
    figure_text = json.dumps(_figure(body), ensure_ascii=False)
    assert HOSTILE not in figure_text and "&lt;img src=x onerror=alert(1)&gt;" in figure_text
    # The row names beside the chart too (charts.js decodes them into textContent; Chromium shows
    # them as text in tests/browser/test_xss.py).
    assert [row["text"] for row in _figure(body)["rows"] if row["kind"] == "task"] == [
        "联调环境准备", "&lt;img src=x onerror=alert(1)&gt;"]


def test_page_leaves_row_names_and_dependency_lines_to_the_page(pm_client, plan, tasks):
    figure = _figure(pm_client.get(f"/plans/{plan.pk}/gantt/").content.decode())
    assert "yaxis2" not in figure["layout"]  # no tick labels for plotly.js to lay out
    assert [row["kind"] for row in figure["rows"]] == ["header", "task", "task"]
    assert figure["rows"][0]["text"] == "联调测试" and figure["rows"][1]["id"] == tasks[0].pk
    assert [trace.get("uid") for trace in figure["data"]].count("gantt-links") == 1  # legend entry only
    assert len(figure["links"]["heads"]) == 1 and figure["links"]["heads"][0][1] == 2  # into row 2


def test_partial_for_htmx_and_grouping(pm_client, plan, tasks):
    response = pm_client.get(f"/plans/{plan.pk}/gantt/?group=owner&zoom=weeks", HTTP_HX_REQUEST="true",
                             HTTP_HX_TARGET="gantt-chart")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="gantt-chart"' in body


def test_bad_options_fall_back(pm_client, plan, tasks):
    url = f"/plans/{plan.pk}/gantt/?group=<x>&zoom=1&collapsed=notjson&baseline=99&start=2026-99-01&selected=x"
    response = pm_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    # The defaults: grouped by phase, the whole plan, nothing folded, no baseline ghosts.
    figure = _figure(body)
    assert [row["text"] for row in figure["rows"] if row["kind"] == "header"] == ["联调测试"]
    ids = {point[0] for trace in figure["data"] for point in (trace.get("customdata") or []) if point}
    assert {tasks[0].pk, tasks[1].pk} <= ids
    assert '<option value="phase" selected>' in body and "&lt;x&gt;" not in body


@pytest.mark.parametrize("start, end", [("2150-01-01", "2150-01-20"), ("1990-01-01", "1990-01-20"),
                                        ("2100-12-20", "2101-01-10")])
def test_a_window_outside_the_calendar_shades_nothing_there(pm_client, plan, tasks, start, end):
    # The calendar serves 2000–2100; a chart scrolled past it still draws, without day shading there.
    response = pm_client.get(f"/plans/{plan.pk}/gantt/?start={start}&end={end}")
    assert response.status_code == 200 and "gantt" in response.content.decode()


def test_collapsed_group_hides_its_tasks(pm_client, plan, tasks):
    body = pm_client.get(f'/plans/{plan.pk}/gantt/?collapsed=["联调测试"]').content.decode()
    ids = {point[0] for trace in _figure(body)["data"] for point in (trace.get("customdata") or []) if point}
    assert tasks[0].pk not in ids


def test_panel_edit_moves_the_task_and_triggers_redraw(pm_client, plan, tasks):
    a, b = tasks
    b.refresh_from_db()
    before = b.early_start
    response = pm_client.get(f"/plans/{plan.pk}/gantt/tasks/{a.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'name="duration"' in response.content.decode()
    data = {"phase": a.phase_id, "title": a.title, "duration": 5, "status": "not_started", "percent_complete": 0,
            "visibility": "internal", "version": a.version}
    response = pm_client.post(f"/plans/{plan.pk}/gantt/tasks/{a.pk}/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "plan-changed" in json.loads(response["HX-Trigger"])
    b.refresh_from_db()
    assert b.early_start > before


def test_panel_refuses_bad_input(pm_client, plan, tasks):
    a, _ = tasks
    data = {"title": "", "duration": -1, "status": "not_started", "percent_complete": 0, "visibility": "internal",
            "version": a.version}
    response = pm_client.post(f"/plans/{plan.pk}/gantt/tasks/{a.pk}/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    a.refresh_from_db()
    assert a.duration == 2


def test_viewer_gets_read_only_panel_and_cannot_post(client, other_pm, plan, tasks):
    plan.viewers.add(other_pm)
    client.force_login(other_pm)
    body = client.get(f"/plans/{plan.pk}/gantt/tasks/{tasks[0].pk}/").content.decode()
    assert "<form" not in body
    assert client.post(f"/plans/{plan.pk}/gantt/tasks/{tasks[0].pk}/", {"title": "x"}).status_code == 403


def test_other_pm_and_unknown_task_get_404(client, other_pm, pm, plan, tasks):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/gantt/").status_code == 404
    client.force_login(pm)
    assert client.get(f"/plans/{plan.pk}/gantt/tasks/999999/").status_code == 404


def test_query_count_does_not_grow_with_the_plan(pm_client, plan, django_assert_max_num_queries):
    def make(count):
        Task.objects.bulk_create([Task(plan=plan, title=f"任务 {i}", duration=1 + i % 4, position=i) for i in range(count)])
        scheduling.recompute(plan)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        with CaptureQueriesContext(connection) as queries:
            assert pm_client.get(f"/plans/{plan.pk}/gantt/").status_code == 200
        return len(queries)

    pm_client.get("/plans/")  # the header's counts are read once, then kept (notifications/selectors.py)
    small = make(10)
    large = make(150)
    assert large == small


def test_figure_is_built_once_and_rebuilt_after_any_change(pm_client, plan, tasks):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext


    cache.clear()
    url = f"/plans/{plan.pk}/gantt/"

    def get():
        with CaptureQueriesContext(connection) as queries:
            body = pm_client.get(url).content.decode()
        return _figure(body), len(queries)

    first, built = get()
    again, reused = get()
    assert again == first and reused < built  # the second reader skips gathering the tasks
    a = Task.objects.get(pk=tasks[0].pk)
    a.title = "联调环境准备（更新）"
    a.save()
    assert "联调环境准备（更新）" in json.dumps(get()[0], ensure_ascii=False)
    # An owner's name lives outside the task table; it shows up too.
    a.owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="韩梅梅"))
    a.save()
    member = a.owner.stakeholder
    member.name = "李雷"
    member.save()
    assert "李雷" in json.dumps(get()[0], ensure_ascii=False)
    # Each language and each option has its own figure.
    english = _figure(pm_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    chinese = _figure(pm_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert english != chinese
    by_owner = _figure(pm_client.get(url + "?group=owner", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert [r["text"] for r in by_owner["rows"] if r["kind"] == "header"] == ["李雷", "(none)"]
