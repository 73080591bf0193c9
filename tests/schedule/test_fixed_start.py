"""A fixed start ("must start on") in a plan: the task keeps its date whatever its predecessors do,
in the schedule and in levelling; the schedule says who is late for it."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import LevellingRun, Task, TaskLink
from stakeholders.models import PlanStakeholder
from tests.factories import StakeholderFactory

D = datetime.date


@pytest.fixture
def fixed(plan):
    """接口开发(5) → 发布会 (fixed start Wed 2026-09-02, 1 day): the predecessor finishes 09-07."""
    plan.start_date = D(2026, 8, 31)
    plan.save()
    person = StakeholderFactory(name="李雷")
    owner = PlanStakeholder.objects.create(plan=plan, stakeholder=person, capacity=1)
    build = Task.objects.create(plan=plan, title="接口开发", duration=5, owner=owner, position=0)
    launch = Task.objects.create(plan=plan, title="发布会", duration=1, owner=owner, position=1,
                                 must_start_on=D(2026, 9, 2))
    after = Task.objects.create(plan=plan, title="复盘", duration=1, owner=owner, position=2)
    TaskLink.objects.create(predecessor=build, successor=launch)
    TaskLink.objects.create(predecessor=launch, successor=after)
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
    run = LevellingRun.objects.create(plan=plan, time_limit_s=1)
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
