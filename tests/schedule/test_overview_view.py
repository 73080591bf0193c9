import re

from schedule.models import Task
from stakeholders.models import Stakeholder
from tests.factories import MetricFactory, PhaseFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, WatchOutFactory


def card(body, number):
    start = body.index(f'id="step-{number}"')
    return body[start:body.index("</div>\n  </div>", start)]


def percent(body, number):
    return int(re.search(r'aria-valuenow="(\d+)"', card(body, number)).group(1))


def test_overview_walks_the_five_steps(pm_client, plan, flow):
    response = pm_client.get(f"/plans/{plan.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    for title in ("Official site and docs", "Business flow", "Stakeholders", "Task checklist",
                  "Priorities and schedule"):
        assert title in body
    # The product has its official site only.
    assert percent(body, 1) == 33 and "1 of 3 links filled; missing: API docs, console." in card(body, 1)
    assert f'href="/products/{plan.product.pk}/"' in card(body, 1)
    # The flow has 2 lanes and 3 steps but no metric yet.
    assert percent(body, 2) == 0 and "The flow is not complete yet" in card(body, 2)
    assert f'href="/plans/{plan.pk}/flow/"' in card(body, 2)
    assert f'href="/plans/{plan.pk}/stakeholders/"' in card(body, 3)
    assert f'href="/plans/{plan.pk}/checklist/"' in card(body, 4)


def test_flow_with_a_metric_completes_step_two(pm_client, plan, flow):
    MetricFactory(flow=flow, name="外挂拦截率", target="99%")
    body = pm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert percent(body, 2) == 100 and "The flow is complete" in card(body, 2)


def test_stakeholders_need_both_sides_and_concerns(pm_client, plan):
    PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="张三"), concerns="稳定性")
    body = pm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "1 stakeholder (1 platform, 0 partner)." in card(body, 3) and "Both sides" in card(body, 3)
    assert percent(body, 3) == 75
    PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(
        name="王工", side=Stakeholder.Side.PARTNER), concerns="日活")
    assert percent(pm_client.get(f"/plans/{plan.pk}/").content.decode(), 3) == 100


def test_checklist_step_counts_tasks_phases_owners_and_watchouts(pm_client, plan):
    prepare = PhaseFactory(plan=plan, name="准备")
    PhaseFactory(plan=plan, name="上线")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="张三"))
    task = TaskFactory(duration=1, plan=plan, phase=prepare, title="启动会", owner=owner)
    TaskFactory(duration=1, plan=plan, phase=prepare, title="读文档", status=Task.Status.DONE, percent_complete=100)
    WatchOutFactory(task=task, text="会议纪要", done=True)
    body = pm_client.get(f"/plans/{plan.pk}/").content.decode()
    step = card(body, 4)
    assert "2 tasks in 2 phases." in step and "1 of 2 have an owner." in step
    assert "1 phase has no tasks." in step and "1 of 1 watch-outs ticked off." in step
    assert percent(body, 4) == round(100 * (1 + 0.5 + 0.5) / 3)
    assert 'id="status-done"' in body and "Done: 1" in body and "Not started: 1" in body


def test_schedule_step_counts_computed_dates(pm_client, plan):
    TaskFactory(duration=1, plan=plan, title="启动会", early_start="2026-09-01", total_float=0, is_critical=True)
    body = pm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "1 of 1 tasks have a duration, 0 are linked, 1 have computed dates (1 critical)." in card(body, 5)


def test_plan_facts_show_the_channel_chain(pm_client, plan):
    body = pm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "手游出海" in body and '<span class="role">平台</span>' in body and '<span class="role">开发者</span>' in body
    assert "Pat" in body  # the owner


def test_overview_needs_login(client, plan):
    response = client.get(f"/plans/{plan.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_overview_of_another_pms_plan_is_404(client, other_pm, plan):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/").status_code == 404


def test_manager_reads_the_overview(client, manager, plan):
    client.force_login(manager)
    assert client.get(f"/plans/{plan.pk}/").status_code == 200
