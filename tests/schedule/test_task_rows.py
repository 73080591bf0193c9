import datetime

import pytest

from onboarding.models import Plan
from schedule.models import Task, TaskLink
from tests.factories import PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}


def task_data(**overrides):
    data = {"title": "联调测试", "description": "", "owner": "", "related_flow": "", "duration": "3",
            "start_no_earlier_than": "", "deadline": "", "status": "not_started", "percent_complete": "0",
            "actual_start": "", "actual_finish": "", "priority_override": "", "visibility": "internal"}
    data.update(overrides)
    return data



@pytest.fixture
def phases(plan):
    return [PhaseFactory(plan=plan, name="准备", position=0),
            PhaseFactory(plan=plan, name="开发", position=1)]


@pytest.fixture
def tasks(plan, phases):
    return [TaskFactory(duration=1, plan=plan, phase=phases[0], title=title, position=i)
            for i, title in enumerate(["启动会", "读文档", "申请账号"])]


def test_add_task_from_a_phase_puts_it_at_the_end_of_that_phase(pm_client, plan, phases, tasks):
    before = Plan.objects.get(pk=plan.pk).updated_at
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/tasks/add/", task_data(), **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#phase-list-{plan.pk}"
    assert "plan-changed" in response["HX-Trigger"]
    task = Task.objects.get(title="联调测试")
    assert task.phase == phases[0] and task.position == 3
    assert "联调测试" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).updated_at > before  # plan_changed ran


def test_add_form_comes_without_phase_field(pm_client, plan, phases):
    response = pm_client.get(f"/plans/{plan.pk}/phases/{phases[1].pk}/tasks/add/", **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="title"' in body and 'name="phase"' not in body


def test_add_task_without_phase(pm_client, plan, phases):
    response = pm_client.post(f"/plans/{plan.pk}/phases/0/tasks/add/", task_data(title="上线"), **HX)
    assert response.status_code == 200
    assert Task.objects.get(title="上线").phase is None


def test_add_to_phase_of_another_plan_is_404(pm_client, plan, product, other_pm):
    other = PlanFactory(name="X", product=product, owner=other_pm, start_date=plan.start_date)
    foreign = PhaseFactory(plan=other, name="外部")
    response = pm_client.post(f"/plans/{plan.pk}/phases/{foreign.pk}/tasks/add/", task_data(), **HX)
    assert response.status_code == 404
    assert not Task.objects.filter(title="联调测试").exists()


@pytest.mark.parametrize("overrides, field, message", [
    ({"duration": "-2"}, "duration", "greater than or equal to 0"),
    ({"is_milestone": "on", "duration": "3"}, "duration", "A milestone has a duration of 0."),
    ({"title": ""}, "title", "This field is required."),
    ({"status": "done", "percent_complete": "40"}, "percent_complete", "A done task is 100% complete."),
    ({"percent_complete": "140"}, "percent_complete", "less than or equal to 100"),
    # the working-day calendar cannot count to Python's last date: refused, not a server error
    ({"deadline": "9999-12-31"}, "deadline", "outside the dates a plan can use (2000-01-01 to 2100-12-31)"),
    ({"start_no_earlier_than": "1999-12-31"}, "start_no_earlier_than", "outside the dates a plan can use"),
])
def test_invalid_task_is_refused_on_the_field(pm_client, plan, phases, overrides, field, message):
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/tasks/add/", task_data(**overrides), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body and message in body
    assert not Task.objects.exists()


def test_owner_from_another_plan_is_refused(pm_client, plan, phases, product, other_pm):
    other = PlanFactory(name="X", product=product, owner=other_pm, start_date=plan.start_date)
    stranger = PlanStakeholderFactory(plan=other, stakeholder=StakeholderFactory(name="外人"))
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/tasks/add/",
                              task_data(owner=stranger.pk), **HX)
    assert response.status_code == 422
    assert "This stakeholder is not part of this plan." in response.content.decode()
    assert not Task.objects.exists()


def test_owner_choices_are_this_plans_stakeholders(pm_client, plan, tasks, product, other_pm):
    PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李经理"))
    other = PlanFactory(name="X", product=product, owner=other_pm, start_date=plan.start_date)
    PlanStakeholderFactory(plan=other, stakeholder=StakeholderFactory(name="外人"))
    body = pm_client.get(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/edit/", **HX).content.decode()
    assert "李经理" in body and "外人" not in body


def test_edit_task_inline(pm_client, plan, phases, tasks):
    task = tasks[1]
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/",
                              task_data(title="阅读 API 文档", phase=phases[0].pk, duration="2",
                                        deadline="2026-09-10", version=task.version), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "阅读 API 文档" in body and "2026-09-10" in body
    task.refresh_from_db()
    assert task.title == "阅读 API 文档" and task.duration == 2 and task.deadline == datetime.date(2026, 9, 10)
    assert task.version == 2


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_hold_iso_dates_in_every_language(pm_client, plan, tasks, language):
    # a browser's date input shows only YYYY-MM-DD; a zh-hans "2026/10/29" showed empty and was cleared on save
    task = tasks[0]
    task.actual_start = datetime.date(2026, 10, 29)
    task.save()
    pm_client.cookies["django_language"] = language
    body = pm_client.get(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", **HX).content.decode()
    assert 'name="actual_start" value="2026-10-29"' in body


def test_stale_edit_is_refused(pm_client, plan, phases, tasks):
    task = tasks[0]
    Task.objects.filter(pk=task.pk).update(title="别人改过", version=5)
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/",
                              task_data(title="我的修改", phase=phases[0].pk, version=1), **HX)
    assert response.status_code == 422
    assert "Someone else changed this task" in response.content.decode()
    task.refresh_from_db()
    assert task.title == "别人改过"


def test_moving_a_task_to_another_phase_redraws_the_checklist(pm_client, plan, phases, tasks):
    TaskFactory(duration=1, plan=plan, phase=phases[1], title="开发接口", position=0)
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/edit/",
                              task_data(title="启动会", phase=phases[1].pk, version=1), **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#phase-list-{plan.pk}"
    body = response.content.decode()
    assert body.index("开发接口") < body.index("启动会")
    moved = Task.objects.get(pk=tasks[0].pk)
    assert moved.phase == phases[1] and moved.position == 1


def test_move_task_down_within_its_phase(pm_client, plan, tasks):
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/move/down/", **HX)
    assert response.status_code == 200
    order = list(Task.objects.filter(plan=plan).order_by("position").values_list("title", flat=True))
    assert order == ["读文档", "启动会", "申请账号"]
    body = response.content.decode()
    assert body.index("读文档") < body.index("启动会")


def test_delete_task_removes_its_links(pm_client, plan, tasks):
    TaskLinkFactory(predecessor=tasks[0], successor=tasks[1])
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/delete/", {"version": 1}, **HX)
    assert response.status_code == 200
    assert not Task.objects.filter(pk=tasks[0].pk).exists()
    assert not TaskLink.objects.exists()
    assert "启动会" not in response.content.decode()


def test_manager_cannot_write(client, manager, plan, phases, tasks):
    client.force_login(manager)
    assert client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/tasks/add/", task_data(), **HX).status_code == 403
    assert client.post(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/edit/", task_data(), **HX).status_code == 403
    assert client.post(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/delete/", **HX).status_code == 403
    assert client.post(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/move/down/", **HX).status_code == 403
    assert Task.objects.count() == 3


def test_editor_may_write(client, plan, phases, tasks):
    editor = UserFactory(username="editor")
    plan.editors.add(editor)
    client.force_login(editor)
    response = client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/tasks/add/", task_data(title="编辑加的任务"), **HX)
    assert response.status_code == 200
    # The new row is in the redrawn checklist, at the end of its phase, and in the plan.
    body = response.content.decode()
    assert "编辑加的任务" in body and body.index("读文档") < body.index("编辑加的任务")
    added = Task.objects.get(title="编辑加的任务")
    assert added.phase == phases[0] and added.early_start is not None  # scheduled straight away


def test_other_pm_gets_404_on_rows(client, other_pm, plan, tasks):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/tasks/{tasks[0].pk}/edit/", **HX).status_code == 404


def test_add_rename_and_delete_a_phase(pm_client, plan, phases, tasks):
    response = pm_client.post(f"/plans/{plan.pk}/phases/add/", {"name": "上线"}, **HX)
    assert response.status_code == 200 and "上线" in response.content.decode()
    assert list(plan.phases.values_list("name", flat=True)) == ["准备", "开发", "上线"]
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/edit/", {"name": "前期准备", "version": 1},
                              **HX)
    assert response.status_code == 200 and "前期准备" in response.content.decode()
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phases[0].pk}/delete/", {"version": 2}, **HX)
    assert response.status_code == 200
    # Its tasks stay, without a phase.
    assert Task.objects.filter(plan=plan, phase=None).count() == 3
    assert "No phase" in response.content.decode()


def test_move_phase_up(pm_client, plan, phases):
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phases[1].pk}/move/up/", **HX)
    assert response.status_code == 200
    assert list(plan.phases.order_by("position").values_list("name", flat=True)) == ["开发", "准备"]
