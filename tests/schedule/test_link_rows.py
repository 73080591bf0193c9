import json

import pytest

from onboarding.models import Plan
from schedule.models import TaskLink
from tests.factories import PhaseFactory, PlanFactory, TaskFactory, TaskLinkFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tasks(plan):
    phase = PhaseFactory(plan=plan, name="联调", position=0)
    return {title: TaskFactory(duration=1, plan=plan, phase=phase, title=title, position=i)
            for i, title in enumerate(["接口开发", "计费配置", "联调测试"])}


def add_link(client, plan, successor, predecessor, type="FS", lag="0"):
    return client.post(f"/plans/{plan.pk}/tasks/{successor.pk}/tasklinks/add/",
                       {"predecessor": predecessor.pk, "type": type, "lag": lag}, **HX)


def test_add_predecessor_with_lag_refreshes_the_task_row(pm_client, plan, tasks):
    before = Plan.objects.get(pk=plan.pk).updated_at
    response = add_link(pm_client, plan, tasks["联调测试"], tasks["计费配置"], lag="2")
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#tasklink-list-{tasks['联调测试'].pk}"
    assert "plan-changed" in json.loads(response["HX-Trigger"])
    link = TaskLink.objects.get()
    assert (link.predecessor, link.successor, link.type, link.lag) == (tasks["计费配置"], tasks["联调测试"], "FS", 2)
    body = response.content.decode()
    assert "计费配置" in body
    # The successor's row in the checklist is swapped out of band with its new summary.
    assert f'id="task-{tasks["联调测试"].pk}"' in body and 'hx-swap-oob="true"' in body and "#2 FS+2" in body
    assert Plan.objects.get(pk=plan.pk).updated_at > before


def test_negative_lag_is_a_lead(pm_client, plan, tasks):
    response = add_link(pm_client, plan, tasks["计费配置"], tasks["接口开发"], type="SS", lag="-3")
    assert response.status_code == 200
    assert TaskLink.objects.get().lag == -3
    assert "#1 SS-3" in response.content.decode()


def test_predecessor_choices_are_the_other_tasks_of_the_plan(pm_client, plan, tasks, product, other_pm):
    other = PlanFactory(name="X", product=product, owner=other_pm, start_date=plan.start_date)
    TaskFactory(duration=1, plan=other, title="外部任务")
    body = pm_client.get(f"/plans/{plan.pk}/tasks/{tasks['联调测试'].pk}/tasklinks/add/", **HX).content.decode()
    assert "#1 接口开发" in body and "#2 计费配置" in body
    assert "外部任务" not in body and "#3 联调测试" not in body


def test_a_task_cannot_depend_on_itself(pm_client, plan, tasks):
    response = add_link(pm_client, plan, tasks["计费配置"], tasks["计费配置"])
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_predecessor_errors"' in body and "A task cannot depend on itself." in body
    assert not TaskLink.objects.exists()


def test_a_cycle_is_refused_and_named(pm_client, plan, tasks):
    TaskLinkFactory(predecessor=tasks["联调测试"], successor=tasks["计费配置"])
    response = add_link(pm_client, plan, tasks["联调测试"], tasks["计费配置"])
    assert response.status_code == 422
    body = response.content.decode()
    assert "This link would create a cycle:" in body
    # Named from its first task in checklist order, whichever link closed it.
    assert "This link would create a cycle: “计费配置” → “联调测试” → “计费配置”" in body
    assert TaskLink.objects.count() == 1


def test_a_longer_cycle_names_every_task(pm_client, plan, tasks):
    TaskLinkFactory(predecessor=tasks["接口开发"], successor=tasks["计费配置"])
    TaskLinkFactory(predecessor=tasks["计费配置"], successor=tasks["联调测试"])
    response = add_link(pm_client, plan, tasks["接口开发"], tasks["联调测试"])
    assert response.status_code == 422
    body = response.content.decode()
    assert "“接口开发” → “计费配置” → “联调测试” → “接口开发”" in body
    assert TaskLink.objects.count() == 2


def test_editing_a_link_into_a_cycle_is_refused(pm_client, plan, tasks):
    first = TaskLinkFactory(predecessor=tasks["接口开发"], successor=tasks["计费配置"])
    TaskLinkFactory(predecessor=tasks["计费配置"], successor=tasks["联调测试"])
    # Changing only the type and lag is fine.
    response = pm_client.post(f"/plans/{plan.pk}/tasklinks/{first.pk}/edit/",
                              {"predecessor": tasks["接口开发"].pk, "type": "FF", "lag": "1", "version": 1}, **HX)
    assert response.status_code == 200
    first.refresh_from_db()
    assert (first.type, first.lag) == ("FF", 1)
    # Making 计费配置 wait for 联调测试, which already waits for 计费配置, is not.
    response = pm_client.post(f"/plans/{plan.pk}/tasklinks/{first.pk}/edit/",
                              {"predecessor": tasks["联调测试"].pk, "type": "FS", "lag": "0", "version": 2}, **HX)
    assert response.status_code == 422
    assert "This link would create a cycle: “计费配置” → “联调测试” → “计费配置”" in response.content.decode()
    first.refresh_from_db()
    assert (first.predecessor, first.type) == (tasks["接口开发"], "FF")


def test_a_link_to_a_task_of_another_plan_is_refused(pm_client, plan, tasks, product, other_pm):
    other = PlanFactory(name="X", product=product, owner=other_pm, start_date=plan.start_date)
    foreign = TaskFactory(duration=1, plan=other, title="外部任务")
    response = add_link(pm_client, plan, tasks["联调测试"], foreign)
    assert response.status_code == 422
    assert "Both tasks of a link must belong to the same plan." in response.content.decode()
    assert not TaskLink.objects.exists()


def test_a_duplicate_link_is_refused(pm_client, plan, tasks):
    TaskLinkFactory(predecessor=tasks["计费配置"], successor=tasks["联调测试"])
    response = add_link(pm_client, plan, tasks["联调测试"], tasks["计费配置"], type="SS")
    assert response.status_code == 422
    assert "already a predecessor" in response.content.decode()
    assert TaskLink.objects.count() == 1


def test_lag_out_of_range_is_refused(pm_client, plan, tasks):
    response = add_link(pm_client, plan, tasks["联调测试"], tasks["计费配置"], lag="9999")
    assert response.status_code == 422
    assert 'id="id_lag_errors"' in response.content.decode()
    assert not TaskLink.objects.exists()


def test_delete_link(pm_client, plan, tasks):
    link = TaskLinkFactory(predecessor=tasks["计费配置"], successor=tasks["联调测试"], lag=2)
    stale = pm_client.post(f"/plans/{plan.pk}/tasklinks/{link.pk}/delete/", **HX)
    assert stale.status_code == 422 and TaskLink.objects.exists()  # a delete without its version
    assert "someone changed this row" in json.loads(stale["HX-Trigger"])["paasport:notice"]["message"]
    response = pm_client.post(f"/plans/{plan.pk}/tasklinks/{link.pk}/delete/", {"version": link.version}, **HX)
    assert response.status_code == 200
    assert not TaskLink.objects.exists()
    assert "#2 FS+2" not in response.content.decode()


def test_links_have_no_order(pm_client, plan, tasks):
    link = TaskLinkFactory(predecessor=tasks["计费配置"], successor=tasks["联调测试"])
    assert pm_client.post(f"/plans/{plan.pk}/tasklinks/{link.pk}/move/up/", **HX).status_code == 404


def test_manager_cannot_add_links(client, manager, plan, tasks):
    client.force_login(manager)
    assert add_link(client, plan, tasks["联调测试"], tasks["计费配置"]).status_code == 403
    assert not TaskLink.objects.exists()


def test_other_pm_cannot_see_links(client, other_pm, plan, tasks):
    link = TaskLinkFactory(predecessor=tasks["计费配置"], successor=tasks["联调测试"])
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/tasklinks/{link.pk}/", **HX).status_code == 404
