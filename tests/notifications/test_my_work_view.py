"""My work: my open tasks across the plans I read, grouped by when they are due, updated inline."""
import datetime

import time_machine

from notifications.models import Notification
from schedule.models import Task
from tests.factories import PlanFactory, StakeholderFactory, UserFactory, WorkspaceFactory

from .conftest import WEDNESDAY, member, task

URL = "/my-work/"
HX = {"HTTP_HX_REQUEST": "true"}


def post_url(t):
    return f"/my-work/tasks/{t.pk}/"


def progress(t, status, percent, version=None):
    return {f"t{t.pk}-status": status, f"t{t.pk}-percent_complete": str(percent),
            f"t{t.pk}-version": str(Task.objects.get(pk=t.pk).version if version is None else version)}


def test_needs_a_login(client, db):
    assert client.get(URL).status_code == 302


@time_machine.travel(datetime.datetime(2026, 9, 30, 10, 0), tick=False)
def test_groups_my_open_tasks_by_when_they_are_due(client, plan, lei, lei_owner, pm):
    plan.editors.add(lei)
    task(plan, "逾期的", owner=lei_owner, deadline=WEDNESDAY - datetime.timedelta(days=3))
    # 10-01…10-07 is the National Day holiday: 10-09 is the 3rd working day from here, still "this week".
    task(plan, "假期后", owner=lei_owner, deadline=datetime.date(2026, 10, 9))
    task(plan, "很久以后", owner=lei_owner, deadline=datetime.date(2026, 11, 20))
    task(plan, "已完成", owner=lei_owner, status=Task.Status.DONE, percent_complete=100)
    task(plan, "别人的", owner=member(plan, "韩梅梅"))
    client.force_login(lei)
    page = client.get(URL).content.decode()
    overdue, rest = page.split('id="my-work-overdue"')[1].split('id="my-work-this_week"')
    this_week, later = rest.split('id="my-work-later"')
    assert "逾期的" in overdue and "假期后" in this_week and "很久以后" in later
    assert "已完成" not in page and "别人的" not in page
    assert 'id="badge-my-work"' in page and ">3</span>" in page


def test_another_workspace_sees_none_of_it(client, plan, lei_owner):
    task(plan, "秘密任务", owner=lei_owner)
    spy = UserFactory(username="spy", workspace=WorkspaceFactory(name="别的团队"))
    client.force_login(spy)
    assert "秘密任务" not in client.get(URL).content.decode()
    t = Task.objects.get(title="秘密任务")
    assert client.post(post_url(t), progress(t, "done", 100)).status_code == 404


def test_a_colleagues_task_is_not_mine_to_update_here(client, plan, lei, pm):
    plan.editors.add(lei)
    theirs = task(plan, "Pat 的任务", owner=member(plan, "Pat", user=pm))
    client.force_login(lei)
    assert client.post(post_url(theirs), progress(theirs, "done", 100)).status_code == 404


def test_setting_done_inline_updates_the_row_and_the_badge(client, plan, lei, lei_owner):
    plan.editors.add(lei)
    mine = task(plan, "提供测试账号", owner=lei_owner)
    client.force_login(lei)
    assert ">1</span>" in client.get(URL).content.decode()
    response = client.post(post_url(mine), progress(mine, "done", 0), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Saved." in body
    assert 'id="badge-my-work" class="nav-count" hx-swap-oob="true" hidden' in body, "the count is 0 now"
    mine.refresh_from_db()
    assert (mine.status, mine.percent_complete) == ("done", 100), "done is 100 %"
    assert 'id="badge-my-work" class="nav-count" hidden' in client.get(URL).content.decode()


def test_a_stale_version_is_refused_with_the_other_change_shown(client, plan, lei, lei_owner, pm_client):
    plan.editors.add(lei)
    mine = task(plan, "提供测试账号", owner=lei_owner)
    seen = Task.objects.get(pk=mine.pk).version
    pm_client.post(f"/plans/{plan.pk}/checklist/bulk/", {"action": "status", "status": "blocked",
                                                         "task": [f"{mine.pk}:{seen}"]})
    client.force_login(lei)
    response = client.post(post_url(mine), progress(mine, "in_progress", 40, version=seen), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Someone else changed this" in body and "Changed by Pat" in body and "Blocked" in body
    mine.refresh_from_db()
    assert mine.status == "blocked"


def test_a_reader_who_may_not_change_the_plan_gets_403(client, plan, lei, lei_owner):
    plan.viewers.add(lei)
    mine = task(plan, "提供测试账号", owner=lei_owner)
    client.force_login(lei)
    assert client.post(post_url(mine), progress(mine, "done", 100)).status_code == 403


def test_bad_input_is_refused_on_the_field(client, plan, lei, lei_owner):
    plan.editors.add(lei)
    mine = task(plan, "提供测试账号", owner=lei_owner)
    client.force_login(lei)
    response = client.post(post_url(mine), progress(mine, "finished", 250), **HX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "not_started"


def test_only_plans_i_read(client, pm, lei, product, scenario):
    hidden_plan = PlanFactory(name="别人的计划", product=product, scenario=scenario, owner=pm)
    person = StakeholderFactory(name="李雷", user=lei)
    owner = hidden_plan.plan_stakeholders.create(stakeholder=person)
    task(hidden_plan, "看不到的任务", owner=owner)
    client.force_login(lei)
    assert "看不到的任务" not in client.get(URL).content.decode()
    assert not Notification.objects.exists()


def test_page_in_chinese(client, lei):
    client.force_login(lei)
    assert "我的工作" in client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_the_header_counts_are_read_once_then_kept_until_they_change(client, plan, lei, lei_owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan.editors.add(lei)
    mine = task(plan, "提供测试账号", owner=lei_owner)
    client.force_login(lei)

    def counting_queries():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/plans/").content.decode()
        return page, [q["sql"] for q in queries if "notifications_notification" in q["sql"]
                      or "schedule_task" in q["sql"]]

    page, first = counting_queries()
    assert ">1</span>" in page and first
    page, second = counting_queries()
    assert ">1</span>" in page and not second, "the second page reads the counts from the cache"
    client.post(post_url(mine), progress(mine, "done", 100), HTTP_HX_REQUEST="true")
    page, _third = counting_queries()
    assert 'id="badge-my-work" class="nav-count" hidden' in page, "and the update refreshed it"
