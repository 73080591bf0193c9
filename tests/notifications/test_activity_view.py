"""Activity: who changed what and when, per plan (a tab) and across the workspace (/activity/)."""
from tests.factories import PlanFactory, UserFactory, WorkspaceFactory

from .conftest import task

URL = "/activity/"
BULK = "/plans/{}/checklist/bulk/"


def test_needs_a_login(client, db):
    assert client.get(URL).status_code == 302


def test_the_workspace_feed_names_who_changed_what_where(pm_client, plan, manager):
    t = task(plan, "提供测试账号")
    pm_client.post(BULK.format(plan.pk), {"action": "status", "status": "done", "task": [f"{t.pk}:{t.version}"]})
    pm_client.force_login(manager)
    page = pm_client.get(URL).content.decode()
    assert "提供测试账号" in page and "Pat" in page and "MTP 接入" in page
    assert "<del>Not started</del> → <ins>Done</ins>" in page
    assert f'href="/plans/{plan.pk}/activity/"' in page


def test_the_plan_feed_is_a_tab(pm_client, plan):
    task(plan, "提供测试账号")
    page = pm_client.get(f"/plans/{plan.pk}/activity/").content.decode()
    assert 'class="active">Activity<' in page and "提供测试账号" in page


def test_only_plans_i_may_read(client, plan, product, scenario, pm):
    hidden = PlanFactory(name="不公开的计划", product=product, scenario=scenario, owner=pm)
    task(hidden, "隐藏的任务")
    reader = UserFactory(username="reader")
    plan.viewers.add(reader)
    client.force_login(reader)
    page = client.get(URL).content.decode()
    assert "隐藏的任务" not in page and "不公开的计划" not in page
    assert client.get(f"/plans/{hidden.pk}/activity/").status_code == 404


def test_another_workspace_gets_404_and_no_names(client, plan):
    task(plan, "秘密任务")
    spy = UserFactory(username="spy", workspace=WorkspaceFactory(name="别的团队"))
    client.force_login(spy)
    assert client.get(f"/plans/{plan.pk}/activity/").status_code == 404
    page = client.get(URL).content.decode()
    assert "秘密任务" not in page and "MTP 接入" not in page


def test_pages(pm_client, plan):
    for n in range(35):
        task(plan, f"任务 {n}")
    page = pm_client.get(URL).content.decode()
    assert "Page 1 of 2" in page and "任务 34" in page and "任务 0<" not in page
    second = pm_client.get(URL + "?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="activity-list")
    assert "<html" not in second.content.decode() and "任务 0<" in second.content.decode()


def test_page_in_chinese(pm_client, plan):
    assert "动态" in pm_client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
