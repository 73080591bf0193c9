import pytest

from schedule.models import Task, Visibility
from stakeholders.models import Stakeholder
from tests.factories import PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, UserFactory, WatchOutFactory


@pytest.fixture
def checklist(plan, flow):
    prepare = PhaseFactory(plan=plan, name="准备", position=0)
    build = PhaseFactory(plan=plan, name="开发联调", position=1)
    owner = PlanStakeholderFactory(
        plan=plan, stakeholder=StakeholderFactory(name="王工", side=Stakeholder.Side.PARTNER),
        concerns="接口稳定性与日活")
    kickoff = TaskFactory(plan=plan, phase=prepare, title="项目启动会", duration=1, position=0, owner=owner)
    docs = TaskFactory(plan=plan, phase=prepare, title="阅读官方文档", duration=2, position=1,
                               related_flow=flow, visibility=Visibility.SHARED)
    billing = TaskFactory(plan=plan, phase=build, title="计费配置", duration=3, position=0)
    launch = TaskFactory(plan=plan, title="正式上线", duration=0, is_milestone=True, position=0)
    TaskLinkFactory(predecessor=kickoff, successor=billing, type="FS", lag=2)
    WatchOutFactory(task=billing, text="确认计费口径", done=True)
    WatchOutFactory(task=billing, text="对账周期")
    return {"kickoff": kickoff, "docs": docs, "billing": billing, "launch": launch, "owner": owner}


def test_checklist_groups_tasks_by_phase_with_a_no_phase_group_last(pm_client, plan, checklist):
    response = pm_client.get(f"/plans/{plan.pk}/checklist/")
    assert response.status_code == 200
    body = response.content.decode()
    body = body[body.index('id="phase-list-'):]  # the table (the bulk bar above it names the phases too)
    order = [body.index(text) for text in ("准备", "项目启动会", "阅读官方文档", "开发联调", "计费配置", "No phase", "正式上线")]
    assert order == sorted(order)


def test_checklist_rows_show_owner_concerns_links_and_badges(pm_client, plan, checklist):
    body = pm_client.get(f"/plans/{plan.pk}/checklist/").content.decode()
    assert "王工" in body and "接口稳定性与日活" in body
    assert "#1 FS+2" in body  # 计费配置 waits for task #1 (项目启动会) plus 2 working days
    assert "登录防护" not in body  # the related business flow is in the task's details, not in the dense grid
    task = checklist["billing"] if "billing" in checklist else None
    details = "".join(pm_client.get(f"/plans/{plan.pk}/tasks/{pk}/detail/", HTTP_HX_REQUEST="true").content.decode()
                      for pk in plan.tasks.values_list("pk", flat=True))
    assert "登录防护" in details and task is not None
    assert "Shared with partner" in body and "Milestone" in body
    assert "1/2" in body  # watch-outs ticked off


def test_schedule_columns_show_computed_dates_and_critical_flag(pm_client, plan, checklist):
    body = pm_client.get(f"/plans/{plan.pk}/checklist/").content.decode()
    billing = Task.objects.get(pk=checklist["billing"].pk)
    assert billing.early_start is not None, "opening the checklist schedules the plan"
    row = body[body.index(f'id="task-{billing.pk}"'):]
    row = row[:row.index("</tr>")]
    assert billing.early_start.isoformat() in row and billing.early_finish.isoformat() in row
    assert ("Critical" in row) == billing.is_critical


def test_checklist_needs_login(client, plan):
    response = client.get(f"/plans/{plan.pk}/checklist/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_pm_gets_404(client, other_pm, plan):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/checklist/").status_code == 404


def test_manager_reads_without_edit_buttons(client, manager, plan, checklist):
    client.force_login(manager)
    response = client.get(f"/plans/{plan.pk}/checklist/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "计费配置" in body
    assert "Add task" not in body and f"/tasks/{checklist['billing'].pk}/edit/" not in body


def test_viewer_sees_disabled_watchout_checkboxes(client, plan, checklist):
    viewer = UserFactory(username="viewer")
    plan.viewers.add(viewer)
    client.force_login(viewer)
    body = client.get(f"/plans/{plan.pk}/tasks/{checklist['billing'].pk}/detail/",
                      HTTP_HX_REQUEST="true").content.decode()
    assert "disabled" in body and "hx-post" not in body


def test_task_detail_partial_lists_watchouts_and_predecessors(pm_client, plan, checklist):
    response = pm_client.get(f"/plans/{plan.pk}/tasks/{checklist['billing'].pk}/detail/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith("<tr")
    assert "确认计费口径" in body and "对账周期" in body and "项目启动会" in body


def test_task_detail_without_htmx_is_a_page(pm_client, plan, checklist):
    response = pm_client.get(f"/plans/{plan.pk}/tasks/{checklist['billing'].pk}/detail/")
    assert response.status_code == 200
    assert "<html" in response.content.decode() and "确认计费口径" in response.content.decode()


def test_task_detail_of_another_plan_is_404(pm_client, plan, checklist, product, other_pm):
    other = PlanFactory(name="DSGC", product=product, owner=other_pm, start_date=plan.start_date)
    foreign = TaskFactory(duration=1, plan=other, title="外部任务")
    assert pm_client.get(f"/plans/{plan.pk}/tasks/{foreign.pk}/detail/").status_code == 404


def test_empty_plan_offers_a_no_phase_group_to_add_to(pm_client, plan):
    body = pm_client.get(f"/plans/{plan.pk}/checklist/").content.decode()
    assert "No phase" in body and f"/plans/{plan.pk}/phases/0/tasks/add/" in body
    assert f"/plans/{plan.pk}/phases/add/" in body
