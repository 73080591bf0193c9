"""A fixed start ("must start on") in a plan: the task keeps its date whatever its predecessors do,
in the schedule and in levelling; the schedule says who is late for it."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Task
from tests.factories import LevellingRunFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory

D = datetime.date


@pytest.fixture
def fixed(plan):
    """接口开发(5) → 发布会 (fixed start Wed 2026-09-02, 1 day): the predecessor finishes 09-07."""
    plan.start_date = D(2026, 8, 31)
    plan.save()
    person = StakeholderFactory(name="李雷")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=person, capacity=1)
    build = TaskFactory(plan=plan, title="接口开发", duration=5, owner=owner, position=0)
    launch = TaskFactory(plan=plan, title="发布会", duration=1, owner=owner, position=1,
                                 must_start_on=D(2026, 9, 2))
    after = TaskFactory(plan=plan, title="复盘", duration=1, owner=owner, position=2)
    TaskLinkFactory(predecessor=build, successor=launch)
    TaskLinkFactory(predecessor=launch, successor=after)
    return build, launch, after


def test_the_fixed_task_keeps_its_date_and_the_late_predecessor_is_named(plan, fixed):
    build, launch, after = fixed
    summary = scheduling.recompute(plan, today=D(2026, 8, 31))
    for task in fixed:
        task.refresh_from_db()
    assert launch.early_start == D(2026, 9, 2)  # not 09-07, where 接口开发 would push it
    assert after.early_start == D(2026, 9, 3)  # its successor follows the fixed date
    assert launch.schedule_note_text == ("Keeps its fixed start (must start on), but its predecessors finish "
                                         "3 working days too late for it.")
    assert build.total_float == -3
    assert build.schedule_note_text == "Makes “发布会” miss its fixed start (must start on) by 3 working days."
    assert summary["late"] == 2


def test_levelling_leaves_the_fixed_task_where_it_is(plan, fixed):
    build, launch, after = fixed
    scheduling.recompute(plan, today=D(2026, 8, 31))
    run = LevellingRunFactory(plan=plan, time_limit_s=1)
    schedule_services.levelling_run(run_id=run.pk, today=D(2026, 8, 31))
    run.refresh_from_db()
    for task in fixed:
        task.refresh_from_db()
    assert launch.levelled_start == D(2026, 9, 2)
    assert "fixed start" in launch.levelling_note_text
    assert run.result["fixed_start_conflicts"] == 1


def test_a_task_has_one_start_constraint(plan):
    task = Task(plan=plan, title="两个约束", duration=1, must_start_on=D(2026, 9, 2),
                start_no_earlier_than=D(2026, 9, 1))
    with pytest.raises(ValidationError) as caught:
        task.full_clean()
    assert "must start on" in str(caught.value.message_dict["must_start_on"])


def test_shifting_a_fixed_task_moves_its_fixed_start(plan, fixed):
    build, launch, after = fixed
    scheduling.recompute(plan, today=D(2026, 8, 31))
    launch.refresh_from_db()
    schedule_services.task_bulk_edit(plan=plan, versions={launch.pk: launch.version}, action="shift", value=5)
    launch.refresh_from_db()
    # Wed 09-02 + 5 working days = Wed 09-09; still a fixed start, no "start no earlier than" beside it
    assert (launch.must_start_on, launch.start_no_earlier_than) == (D(2026, 9, 9), None)
    assert launch.early_start == D(2026, 9, 9)


def test_the_side_panel_sets_a_fixed_start_and_a_typed_start_moves_it(pm_client, plan, fixed):
    build, launch, after = fixed
    scheduling.recompute(plan, today=D(2026, 8, 31))
    launch.refresh_from_db()
    url = f"/plans/{plan.pk}/gantt/tasks/{launch.pk}/"
    assert 'name="must_start_on"' in pm_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    data = {"phase": "", "title": launch.title, "duration": 1, "status": "not_started", "percent_complete": 0,
            "visibility": "internal", "version": launch.version, "must_start_on": "2026-09-10",
            "shown_start": launch.early_start.isoformat(), "typed_start": launch.early_start.isoformat()}
    assert pm_client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    launch.refresh_from_db()
    assert (launch.must_start_on, launch.early_start) == (D(2026, 9, 10), D(2026, 9, 10))
    # Typing another start on the bar's panel moves the fixed start, never adds a second constraint.
    data.update(version=launch.version, shown_start="2026-09-10", typed_start="2026-09-14")
    assert pm_client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    launch.refresh_from_db()
    assert (launch.must_start_on, launch.start_no_earlier_than) == (D(2026, 9, 14), None)
    # Both constraints at once: refused, nothing changed.
    data.update(version=launch.version, typed_start="2026-09-14", shown_start="2026-09-14",
                start_no_earlier_than="2026-09-01")
    response = pm_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "not both" in response.content.decode()
    launch.refresh_from_db()
    assert launch.start_no_earlier_than is None
