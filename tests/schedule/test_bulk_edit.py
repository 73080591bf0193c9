"""Checklist bulk edit (schedule/services.py task_bulk_edit): many tasks, one lock, one reschedule,
one history entry per task; a stale task refuses the whole edit."""
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from onboarding.versioning import StaleEdit
from schedule import scheduling, services
from schedule.models import Task
from tests.factories import PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory


@pytest.fixture
def three(plan):
    tasks = [TaskFactory(plan=plan, title=f"任务{i}", duration=2) for i in range(3)]
    TaskLinkFactory(predecessor=tasks[0], successor=tasks[1])
    services.plan_reschedule(plan=plan)
    for task in tasks:
        task.refresh_from_db()
    return tasks


def _versions(tasks):
    return {task.pk: task.version for task in tasks}


def _history_count(tasks):
    return {task.pk: Task.history.filter(id=task.pk).count() for task in tasks}


def test_set_owner_of_many_tasks_one_reschedule_one_history_entry_each(plan, three):
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李雷", side="partner"))
    before = _history_count(three)
    with mock.patch.object(scheduling, "recompute", wraps=scheduling.recompute) as recompute:
        written = services.task_bulk_edit(plan=plan, versions=_versions(three[:2]), action="owner", value=owner)
    assert recompute.call_count == 1
    assert {task.pk for task in written.obj} == {three[0].pk, three[1].pk}
    for task in three[:2]:
        task.refresh_from_db()
        assert task.owner == owner and task.version == 2
        assert Task.history.filter(id=task.pk).count() == before[task.pk] + 1
    three[2].refresh_from_db()
    assert three[2].owner is None and three[2].version == 1


def test_set_status_done_and_phase(plan, three):
    phase = PhaseFactory(plan=plan, name="上线")
    services.task_bulk_edit(plan=plan, versions=_versions(three), action="status", value=Task.Status.DONE)
    assert set(Task.objects.filter(plan=plan).values_list("status", "percent_complete")) == {("done", 100)}
    tasks = list(Task.objects.filter(plan=plan))
    services.task_bulk_edit(plan=plan, versions=_versions(tasks), action="phase", value=phase)
    assert set(Task.objects.filter(plan=plan).values_list("phase__name", flat=True)) == {"上线"}
    assert sorted(Task.objects.filter(plan=plan).values_list("position", flat=True)) == [0, 1, 2]


def test_shift_by_working_days_sets_not_earlier_than_and_moves_successors(plan, three):
    first, second, _third = three
    old_start, old_successor = first.early_start, second.early_start
    written = services.task_bulk_edit(plan=plan, versions=_versions([first]), action="shift", value=5)
    first.refresh_from_db()
    second.refresh_from_db()
    calendar = scheduling.plan_calendar(plan)
    assert first.start_no_earlier_than == calendar.add_working_days(old_start, 5) == first.early_start
    assert calendar.working_days_between(old_successor, second.early_start) == 5
    assert {first.pk, second.pk} <= set(written.moved)


def test_shift_leaves_started_tasks_where_they_are(plan, three):
    started = three[2]
    started.status = Task.Status.IN_PROGRESS
    started.save()
    written = services.task_bulk_edit(plan=plan, versions=_versions([three[0], started]), action="shift", value=2)
    assert [task.pk for task in written.skipped] == [started.pk]
    started.refresh_from_db()
    assert started.start_no_earlier_than is None and started.version == 1


def test_delete_many(plan, three):
    services.task_bulk_edit(plan=plan, versions=_versions(three[:2]), action="delete")
    assert list(Task.objects.filter(plan=plan)) == [three[2]]


def test_one_stale_task_refuses_the_whole_edit(plan, three):
    versions = _versions(three)
    versions[three[1].pk] = 0  # someone else changed it since
    with pytest.raises(StaleEdit):
        services.task_bulk_edit(plan=plan, versions=versions, action="status", value=Task.Status.BLOCKED)
    assert set(Task.objects.filter(plan=plan).values_list("status", "version")) == {("not_started", 1)}


@pytest.mark.parametrize("action, value", [("status", "finished"), ("shift", 0), ("shift", 99999), ("shift", "3"),
                                           ("rename", None)])
def test_bad_input_is_refused_and_nothing_changes(plan, three, action, value):
    with pytest.raises(ValidationError):
        services.task_bulk_edit(plan=plan, versions=_versions(three), action=action, value=value)
    assert set(Task.objects.filter(plan=plan).values_list("version", flat=True)) == {1}


def test_tasks_owners_and_phases_of_another_plan_are_refused(plan, three):
    other = PlanFactory(name="别的计划", workspace=plan.workspace, owner=plan.owner)
    foreign_task = TaskFactory(plan=other)
    foreign_phase = PhaseFactory(plan=other, name="别的阶段")
    with pytest.raises(ValidationError):
        services.task_bulk_edit(plan=plan, versions={foreign_task.pk: 1}, action="delete")
    with pytest.raises(ValidationError):
        services.task_bulk_edit(plan=plan, versions=_versions(three), action="phase", value=foreign_phase)
    assert Task.objects.filter(pk=foreign_task.pk).exists()
    assert Task.objects.filter(plan=plan, phase__isnull=False).count() == 0


# ---------------------------------------------------------------- the checklist's bulk bar
def _post(client, plan, tasks, **data):
    return client.post(f"/plans/{plan.pk}/checklist/bulk/",
                       {"task": [f"{task.pk}:{task.version}" for task in tasks], **data}, HTTP_HX_REQUEST="true")


def test_bulk_bar_sets_status_and_says_so(pm_client, plan, three):
    response = _post(pm_client, plan, three[:2], action="status", status="blocked")
    body = response.content.decode()
    assert response.status_code == 200 and f'id="phase-list-{plan.pk}"' in body
    assert "Status set on 2 tasks." in body
    assert Task.objects.filter(plan=plan, status="blocked").count() == 2


def test_bulk_bar_refuses_a_bad_shift_with_a_message_and_changes_nothing(pm_client, plan, three):
    body = _post(pm_client, plan, three, action="shift", shift_days="soon").content.decode()
    assert "Shift by a whole number of working days, e.g. 3 or -2." in body
    assert set(Task.objects.filter(plan=plan).values_list("version", flat=True)) == {1}


def test_bulk_bar_refuses_a_stale_selection(pm_client, plan, three):
    Task.objects.filter(pk=three[0].pk).update(version=5)
    body = _post(pm_client, plan, three, action="delete").content.decode()
    assert "Someone else changed a selected task" in body
    assert Task.objects.filter(plan=plan).count() == 3


def test_bulk_bar_needs_write_access_and_hides_other_plans(client, other_pm, plan, three):
    client.force_login(other_pm)
    assert _post(client, plan, three, action="delete").status_code == 404
    plan.viewers.add(other_pm)
    assert _post(client, plan, three, action="delete").status_code == 403
    assert Task.objects.filter(plan=plan).count() == 3


def test_owner_of_another_plan_is_refused_by_the_bar(pm_client, plan, three):
    other = PlanFactory(name="别的计划", workspace=plan.workspace, owner=plan.owner)
    stranger = PlanStakeholderFactory(plan=other, stakeholder=StakeholderFactory(name="外人"))
    body = _post(pm_client, plan, three, action="owner", owner=str(stranger.pk)).content.decode()
    assert "This stakeholder is not part of this plan." in body
    assert not Task.objects.filter(plan=plan, owner__isnull=False).exists()


# ---------------------------------------------------------------- typed start and finish
def test_typed_start_sets_not_earlier_than_and_typed_finish_sets_duration(plan, three):
    from schedule.forms import TaskForm

    task = three[2]
    calendar = scheduling.plan_calendar(plan)
    start = calendar.add_working_days(task.early_start, 3)
    finish = calendar.add_working_days(start, 4)  # the 5th working day from the start
    data = {"phase": "", "title": task.title, "duration": task.duration, "status": task.status,
            "percent_complete": 0, "visibility": task.visibility, "version": task.version,
            "typed_start": start.isoformat(), "typed_finish": finish.isoformat()}
    form = TaskForm(data, instance=task, plan=plan)
    assert form.is_valid(), form.errors
    services.task_update(plan=plan, task=form.instance, version=form.cleaned_data["version"])
    task.refresh_from_db()
    assert task.start_no_earlier_than == start == task.early_start
    assert task.duration == 5 and task.early_finish == finish


def test_typed_finish_before_the_start_is_refused(plan, three):
    from schedule.forms import TaskForm

    task = three[2]
    data = {"phase": "", "title": task.title, "duration": task.duration, "status": task.status,
            "percent_complete": 0, "visibility": task.visibility, "version": task.version,
            "typed_finish": "2000-01-03"}
    form = TaskForm(data, instance=task, plan=plan)
    assert not form.is_valid()
    assert "The finish cannot be before the start" in str(form.errors["typed_finish"])


def test_row_says_the_start_is_held_by_not_earlier_than(pm_client, plan, three):
    task = three[2]
    start = scheduling.plan_calendar(plan).add_working_days(task.early_start, 2)
    task.start_no_earlier_than = start
    services.task_update(plan=plan, task=task, version=task.version)
    body = pm_client.get(f"/plans/{plan.pk}/checklist/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cell = body[body.index(f'id="sched-es-{task.pk}"'):][:300]
    assert "Start no earlier than this date (typed)" in cell and start.isoformat() in cell


def test_details_open_in_the_side_panel(pm_client, plan, three):
    body = pm_client.get(f"/plans/{plan.pk}/checklist/").content.decode()
    assert 'id="task-side"' in body and '?panel=1" hx-target="#task-side"' in body
    panel = pm_client.get(f"/plans/{plan.pk}/tasks/{three[0].pk}/detail/?panel=1", HTTP_HX_REQUEST="true",
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="side-panel-body" id="task-detail-' in panel and "<tr class=\"task-detail\"" not in panel
    assert "Watch-outs" in panel and "Predecessors" in panel and three[0].title in panel
