"""The plan's History tab: who changed what and when, across the plan and all its parts."""
import datetime
import re

import pytest

from onboarding.models import Lane
from schedule.models import Task
from schedule.services import plan_reschedule
from tests.factories import FlowFactory, LaneFactory, PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, UserFactory, WatchOutFactory

HX = {"HTTP_HX_REQUEST": "true"}


def history_url(plan, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/plans/{plan.pk}/history/" + (f"?{query}" if query else "")


def entries(body):
    return re.findall(r'<tr class="history-entry history-(\w+)">', body)


@pytest.fixture
def task(plan):
    return TaskFactory(plan=plan, title="启动会", duration=2)


def test_readers_see_the_tab_and_strangers_get_404(client, plan, other_pm, pm_client):
    body = pm_client.get(f"/plans/{plan.pk}/flow/").content.decode()
    assert history_url(plan) in body and ">History<" in body
    viewer = UserFactory(username="viewer", password="viewer-pass-1")
    plan.viewers.add(viewer)
    client.force_login(viewer)
    assert client.get(history_url(plan)).status_code == 200
    client.force_login(other_pm)
    assert client.get(history_url(plan)).status_code == 404
    client.logout()
    assert client.get(history_url(plan)).status_code == 302


def test_an_edit_shows_who_when_what_and_the_field_diff(pm_client, plan, task):
    task_form = {"phase": "", "title": "启动会（改期）", "description": "", "owner": "", "related_flow": "",
                 "duration": "5", "start_no_earlier_than": "", "deadline": "2026-09-30", "status": "in_progress",
                 "percent_complete": "10", "actual_start": "", "actual_finish": "", "priority_override": "",
                 "visibility": "internal", "version": "1"}
    assert pm_client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", task_form, **HX).status_code == 200
    body = pm_client.get(history_url(plan)).content.decode()
    first = body.index('<tr class="history-entry')
    newest = body[first:body.index("</tr>", first)]
    assert "Pat" in newest and "Task" in newest and "changed" in newest
    assert "Title" in newest and "<del>启动会</del> → <ins>启动会（改期）</ins>" in newest
    assert "Duration (working days)" in newest and "<del>2</del> → <ins>5</ins>" in newest
    assert "Status" in newest and "<del>Not started</del> → <ins>In progress</ins>" in newest
    assert "Deadline" in newest and "2026-09-30" in newest
    # The scheduler's own fields and bookkeeping never show as changes.
    assert "early" not in newest.lower() and "Version" not in newest
    # Creation of the task by code (no request) is by "system", older, further down.
    assert "system" in body[body.index("</tr>", first):]


def test_field_names_and_values_are_translated(pm_client, plan, task):
    task.status = Task.Status.DONE
    task.percent_complete = 100
    task.save()
    body = pm_client.get(history_url(plan), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    first = body.index('<tr class="history-entry')
    newest = body[first:body.index("</tr>", first)]
    assert "状态" in newest and "<del>未开始</del> → <ins>已完成</ins>" in newest


def test_changes_across_the_plan_newest_first_and_filter_by_type(pm_client, plan, flow, task):
    phase = PhaseFactory(plan=plan, name="准备")
    person = StakeholderFactory(name="李雷")
    member = PlanStakeholderFactory(plan=plan, stakeholder=person)
    WatchOutFactory(task=task, text="订会议室")
    other = TaskFactory(duration=1, plan=plan, title="联调")
    TaskLinkFactory(predecessor=task, successor=other)
    plan.editors.add(UserFactory(username="anna", first_name="Anna"))
    body = pm_client.get(history_url(plan)).content.decode()
    kinds = entries(body)
    assert kinds[0] == "plan"  # the newest: editors added
    assert {"plan", "flow", "lane", "step", "phase", "task", "watchout", "tasklink", "planstakeholder",
            "stakeholder"} <= set(kinds)
    assert "启动会 → 联调" in body and "李雷" in body and "Editors" in body and "Anna" in body

    only_tasks = pm_client.get(history_url(plan, type="task")).content.decode()
    assert set(entries(only_tasks)) == {"task"}
    partial = pm_client.get(history_url(plan, type="lane"), HTTP_HX_TARGET="history-list", **HX).content.decode()
    assert "<html" not in partial and set(entries(partial)) == {"lane"}
    assert phase.pk and member.pk


def test_deleted_objects_are_named_and_marked(pm_client, plan, flow):
    lane = LaneFactory(flow=flow, name="风控系统")
    lane.delete()
    body = pm_client.get(history_url(plan, type="lane")).content.decode()
    first = body.index('<tr class="history-entry')
    assert "风控系统" in body[first:body.index("</tr>", first)] and "deleted" in body[first:body.index("</tr>", first)]


def test_other_plans_changes_are_not_shown(pm_client, plan, product, other_pm):
    other = PlanFactory(name="别人的计划", product=product, owner=other_pm, start_date=datetime.date(2026, 1, 5))
    FlowFactory(plan=other, name="别人的流程")
    TaskFactory(duration=1, plan=other, title="别人的任务")
    body = pm_client.get(history_url(plan)).content.decode()
    assert "别人的" not in body


def test_reordering_and_rescheduling_leave_no_history(plan, flow, task):
    second = TaskFactory(plan=plan, title="联调", duration=3)
    TaskLinkFactory(predecessor=task, successor=second)
    counts = Task.history.count(), Lane.history.count()
    plan_reschedule(plan=plan)  # bulk_update of the computed dates: no signals, no records
    assert Task.objects.get(pk=second.pk).early_start is not None
    lane = flow.lanes.first()
    lane.position = 7
    lane.save(update_fields=["position"])
    assert (Task.history.count(), Lane.history.count()) == counts


def test_moving_a_row_through_the_page_leaves_no_history(pm_client, plan, flow):
    lane = flow.lanes.order_by("position").first()
    before = Lane.history.count()
    assert pm_client.post(f"/plans/{plan.pk}/lanes/{lane.pk}/move/down/", **HX).status_code == 200
    assert Lane.history.count() == before


def test_pagination_fifty_per_page(pm_client, plan, task):
    for i in range(60):
        task.title = f"标题 {i}"
        task.save()
    first = pm_client.get(history_url(plan)).content.decode()
    assert len(entries(first)) == 50 and "标题 59" in first and "Page 1 of 2" in first
    second = pm_client.get(history_url(plan, page=2)).content.decode()
    assert len(entries(second)) == 12  # 10 more edits, the task's creation and the plan's
    assert "Older" in first and "Newer" in second


def test_query_count_does_not_grow_with_entries(pm_client, plan, flow, task, django_assert_max_num_queries):
    person = StakeholderFactory(name="李雷")
    member = PlanStakeholderFactory(plan=plan, stakeholder=person)
    member.steps.add(*flow.steps.all())
    pm_client.get(history_url(plan))  # warm up sessions, content types

    with django_assert_max_num_queries(45) as few:
        pm_client.get(history_url(plan))
    phase = PhaseFactory(plan=plan, name="准备")
    for i in range(40):
        extra = TaskFactory(duration=1, plan=plan, phase=phase, title=f"任务 {i}", owner=member)
        WatchOutFactory(task=extra, text=f"注意 {i}")
        TaskLinkFactory(predecessor=task, successor=extra)
        LaneFactory(flow=flow, name=f"泳道 {i}")
    with django_assert_max_num_queries(len(few.captured_queries) + 6):
        body = pm_client.get(history_url(plan)).content.decode()
    assert len(entries(body)) == 50
