"""The matrix rolled up into the plan: a 联调 task linked to interfaces follows their cells (passed /
total, blocked if any is blocked, done when all passed), through the task write service, so the
plan's forecast moves like after any edit."""
import pytest
from django.urls import reverse
from django.utils import timezone

from interfaces import rollup, services
from interfaces.models import JointTest
from schedule import services as schedule_services
from schedule.models import Task
from schedule.selectors import plan_status
from tests.factories import InterfaceFactory, JointTestFactory, MilestoneFactory, PlanFactory, TaskFactory, TaskLinkFactory


@pytest.fixture
def debugging(plan):
    """联调 (10 working days) → launch; the task is linked to two interfaces of the plan's product."""
    task = TaskFactory(plan=plan, title="联调测试", duration=10)
    launch = MilestoneFactory(plan=plan, title="上线", is_launch=True)
    TaskLinkFactory(predecessor=task, successor=launch)
    schedule_services.plan_reschedule(plan=plan)
    interfaces = [InterfaceFactory(product=plan.product, path="/v1/instances"),
                  InterfaceFactory(product=plan.product, path="/v1/instances/{id}/renew")]
    task.refresh_from_db()
    services.interface_link_tasks(plan=plan, task=task, interfaces=interfaces)
    return task, interfaces


def _set(interface, env, status, **extra):
    version = JointTest.objects.filter(interface=interface, environment=env).values_list("version", flat=True).first()
    return services.joint_test_update(interface=interface, environment=env, version=version or 0, status=status,
                                      **extra)


def test_a_passed_cell_moves_the_tasks_percent_and_the_plans_forecast(plan, debugging):
    task, interfaces = debugging
    before = plan_status(plan)
    assert task.status == Task.Status.NOT_STARTED and task.percent_complete == 0
    written = _set(interfaces[0], "sandbox", "passed")
    task.refresh_from_db()
    assert written.tasks == [task]
    assert (task.status, task.percent_complete) == (Task.Status.IN_PROGRESS, 16)  # 1 of 6 cells
    assert task.actual_start == timezone.localdate()
    after = plan_status(plan)
    assert after.forecast_launch < before.forecast_launch
    assert after.percent_done > before.percent_done


def test_every_cell_passed_makes_the_task_done_and_a_failed_one_reopens_it(plan, debugging):
    task, interfaces = debugging
    for interface in interfaces:
        for env in ("sandbox", "preprod", "production"):
            _set(interface, env, "passed")
    task.refresh_from_db()
    assert (task.status, task.percent_complete) == (Task.Status.DONE, 100)
    assert task.actual_finish == timezone.localdate()
    assert plan_status(plan).done_count == 1
    _set(interfaces[1], "production", "failed")
    task.refresh_from_db()
    assert (task.status, task.percent_complete, task.actual_finish) == (Task.Status.IN_PROGRESS, 83, None)


def test_one_blocked_cell_blocks_the_task_and_the_plan_says_so(plan, debugging):
    task, interfaces = debugging
    _set(interfaces[0], "sandbox", "passed")
    _set(interfaces[1], "sandbox", "blocked", note="对方网关未开白名单")
    task.refresh_from_db()
    assert (task.status, task.percent_complete) == (Task.Status.BLOCKED, 16)
    assert [flag.title for flag in plan_status(plan).blocked] == ["联调测试"]


def test_each_rollup_is_a_versioned_task_write_with_history(plan, debugging):
    task, interfaces = debugging
    version = task.version
    _set(interfaces[0], "sandbox", "in_progress")
    task.refresh_from_db()
    assert task.version == version + 1
    assert task.history.first().status == Task.Status.IN_PROGRESS
    # A change that does not move the roll-up leaves the task alone.
    _set(interfaces[0], "sandbox", "in_progress", note="still running")
    task.refresh_from_db()
    assert task.version == version + 1


def test_a_bulk_update_rolls_up_once_into_the_task(plan, debugging):
    task, interfaces = debugging
    versions = {(i.pk, env): 0 for i in interfaces for env in ("sandbox", "preprod")}
    written = services.joint_test_bulk_update(product=plan.product, versions=versions, status="passed")
    assert len(written.obj) == 4
    task.refresh_from_db()
    assert (task.status, task.percent_complete) == (Task.Status.IN_PROGRESS, 66)


def test_unlinked_tasks_and_other_plans_are_left_alone(plan, debugging):
    task, interfaces = debugging
    other = TaskFactory(plan=plan, title="文档评审", status=Task.Status.IN_PROGRESS, percent_complete=40)
    _set(interfaces[0], "sandbox", "passed")
    other.refresh_from_db()
    assert (other.status, other.percent_complete) == (Task.Status.IN_PROGRESS, 40)


def test_a_task_linked_in_two_plans_of_the_product_moves_in_both(plan, debugging, pm):
    task, interfaces = debugging
    second_plan = PlanFactory(product=plan.product, owner=pm, name="MTP 二期")
    second = TaskFactory(plan=second_plan, title="二期联调", duration=3)
    services.interface_link_tasks(plan=second_plan, task=second, interfaces=interfaces[:1])
    _set(interfaces[0], "production", "passed")
    task.refresh_from_db()
    second.refresh_from_db()
    assert task.percent_complete == 16 and second.percent_complete == 33


def test_linking_refuses_another_products_interfaces(plan, debugging):
    task, _interfaces = debugging
    foreign = InterfaceFactory(path="/elsewhere")
    with pytest.raises(Exception, match="plan's product"):
        services.interface_link_tasks(plan=plan, task=task, interfaces=[foreign])


def test_a_matrix_edit_updates_the_checklist_in_the_same_request(client, pm, plan, debugging):
    task, interfaces = debugging
    client.force_login(pm)
    response = client.post(reverse("interfaces:joint_test_cell", args=[interfaces[0].pk, "sandbox"]),
                           {"status": "passed", "version": "0"}, HTTP_HX_REQUEST="true")
    assert "“联调测试” is now 16% (In progress)." in response.content.decode()
    checklist = client.get(reverse("schedule:plan_checklist", args=[plan.pk])).content.decode()
    assert "16%" in checklist or ">16<" in checklist


def test_linking_on_the_plan_page_rolls_the_task_up(client, pm, plan):
    task = TaskFactory(plan=plan, title="联调")
    interface = InterfaceFactory(product=plan.product)
    services.joint_test_update(interface=interface, environment="sandbox", version=0, status="passed")
    client.force_login(pm)
    response = client.post(reverse("interfaces:plan_interface_link", args=[plan.pk]), {
        "task": task.pk, "action": "link", "row": [f"{interface.pk}|sandbox=1|preprod=0|production=0"]},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 interface linked to “联调”." in response.content.decode()
    task.refresh_from_db()
    assert task.percent_complete == 33 and list(task.interfaces.all()) == [interface]
    page = client.get(reverse("interfaces:plan_interfaces", args=[plan.pk])).content.decode()
    assert 'class="tasks" title="联调"' in page


def test_task_rollups_are_read_in_a_fixed_number_of_queries(plan, django_assert_num_queries):
    tasks = [TaskFactory(plan=plan) for _ in range(5)]
    for task in tasks:
        interface = InterfaceFactory(product=plan.product)
        interface.tasks.add(task)
        JointTestFactory(workspace=plan.workspace, interface=interface, environment="sandbox",
                                 status="passed")
    with django_assert_num_queries(2):
        found = rollup.task_rollups([t.pk for t in tasks])
    assert {r.percent for r in found.values()} == {33}


def test_the_task_panel_says_the_task_follows_the_matrix(client, pm, plan, debugging):
    task, _interfaces = debugging
    client.force_login(pm)
    body = client.get(reverse("schedule:task_detail", args=[plan.pk, task.pk]), {"panel": "1"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "Follows the joint tests of 2 interfaces" in body
    assert reverse("interfaces:plan_interfaces", args=[plan.pk]) in body
