"""Reads of a plan's checklist and its status (schedule/selectors.py)."""
import datetime
import zoneinfo

import pytest
import time_machine

from schedule.selectors import (
    Health,
    checklist_groups,
    plan_status,
    plan_steps,
    task_numbers,
)
from schedule.services import baseline_create, plan_reschedule, task_update
from tests.factories import MilestoneFactory, PhaseFactory, TaskFactory, TaskLinkFactory

D = datetime.date
TODAY = D(2026, 9, 1)  # a Tuesday: the plan's start


@pytest.fixture(autouse=True)
def _on_the_plans_first_day():
    # Unfinished work is scheduled from today: these plans are read on their first day.
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def test_task_numbers_follow_the_checklist_order(plan):
    second = PhaseFactory(plan=plan, name="B", position=1)
    first = PhaseFactory(plan=plan, name="A", position=0)
    loose = TaskFactory(plan=plan, title="无阶段", position=0)
    b1 = TaskFactory(plan=plan, phase=second, title="b1", position=0)
    a2 = TaskFactory(plan=plan, phase=first, title="a2", position=1)
    a1 = TaskFactory(plan=plan, phase=first, title="a1", position=0)
    assert task_numbers(plan) == {a1.pk: 1, a2.pk: 2, b1.pk: 3, loose.pk: 4}
    groups = checklist_groups(plan)
    assert [str(group) for group in groups] == ["A", "B", "No phase"]
    assert [group.pk for group in groups] == [first.pk, second.pk, 0]
    assert [[task.number for task in group.tasks] for group in groups] == [[1, 2], [3], [4]]


def test_checklist_groups_summarise_predecessors(plan):
    a, b, c = (TaskFactory(plan=plan, title=title, position=i) for i, title in enumerate("abc"))
    TaskLinkFactory(predecessor=a, successor=c, type="FS", lag=2)
    TaskLinkFactory(predecessor=b, successor=c, type="SS", lag=0)
    (group,) = checklist_groups(plan)
    assert group.phase is None
    assert group.tasks[2].predecessor_summary == "#1 FS+2, #2 SS"


def test_plan_steps_of_an_empty_plan(plan):
    overview = plan_steps(plan)
    assert [step.number for step in overview["steps"]] == [1, 2, 3, 4, 5]
    assert [step.percent for step in overview["steps"]] == [33, 0, 0, 0, 0]
    assert overview["task_total"] == 0
    assert overview["steps"][3].sentence.startswith("No tasks yet")


def _launch_plan(plan):
    """build (5 d) → 上线 (the launch milestone) → 运营 (20 d of work after the launch)."""
    build = TaskFactory(plan=plan, title="build", duration=5)
    launch = MilestoneFactory(plan=plan, title="正式上线", is_launch=True)
    operations = TaskFactory(plan=plan, title="运营", duration=20)
    TaskLinkFactory(predecessor=build, successor=launch)
    TaskLinkFactory(predecessor=launch, successor=operations)
    plan_reschedule(plan=plan)
    return build, launch, operations


def test_forecast_launch_is_the_launch_milestone_not_the_last_finish(plan):
    _build, launch, operations = _launch_plan(plan)
    status = plan_status(plan, today=TODAY)
    launch.refresh_from_db()
    operations.refresh_from_db()
    assert status.launch_source == "milestone" and status.launch_title == "正式上线"
    assert status.forecast_launch == launch.early_finish == D(2026, 9, 8)  # the working day after build
    assert operations.early_finish > status.forecast_launch  # post-launch work does not move the launch


def test_without_a_named_launch_the_last_milestone_stands_in_and_says_so(plan):
    TaskFactory(plan=plan, title="build", duration=5)
    MilestoneFactory(plan=plan, title="验收")
    plan_reschedule(plan=plan)
    status = plan_status(plan, today=TODAY)
    assert status.launch_source == "last_milestone" and status.launch_title == "验收"
    assert any("No launch milestone is named" in note for note in status.notes)


def test_health_is_late_when_the_forecast_is_after_the_target(plan):
    plan.target_launch_date = D(2026, 9, 3)
    plan.save()
    _launch_plan(plan)
    status = plan_status(plan, today=TODAY)
    assert status.target_gap == 3 and status.health == Health.LATE
    assert status.reasons[0] == "Forecast launch 2026-09-08 is 3 working days after the target 2026-09-03."


def test_health_at_risk_with_little_margin_and_on_track_with_more(plan):
    plan.target_launch_date = D(2026, 9, 9)
    plan.save()
    _launch_plan(plan)
    status = plan_status(plan, today=TODAY)
    assert status.health == Health.AT_RISK and status.target_gap == -1
    assert "Only 1 working day of margin before the target launch." in status.reasons
    plan.target_launch_date = D(2026, 9, 8)
    plan.save()
    assert "The forecast launch is on the target date, with no margin." in plan_status(plan, today=TODAY).reasons
    plan.target_launch_date = D(2026, 9, 30)
    plan.save()
    assert plan_status(plan, today=TODAY).health == Health.ON_TRACK


def test_slip_is_measured_on_the_launch_milestone_against_the_baseline(plan):
    build, _launch, _operations = _launch_plan(plan)
    baseline_create(plan=plan, name="v1")
    build.refresh_from_db()
    build.duration = 8
    task_update(plan=plan, task=build, version=build.version)
    status = plan_status(plan, today=TODAY)
    assert status.baseline_launch == D(2026, 9, 8) and status.forecast_launch == D(2026, 9, 11)
    assert status.slip == 3 and status.health == Health.AT_RISK
    assert "Forecast launch is 3 working days later than baseline “v1” (2026-09-08)." in status.reasons


def test_percent_done_counts_working_days(plan):
    TaskFactory(plan=plan, duration=8, status="done", percent_complete=100, actual_start=D(2026, 9, 1),
                actual_finish=D(2026, 9, 10))
    TaskFactory(plan=plan, duration=2, status="in_progress", percent_complete=50, actual_start=D(2026, 9, 11))
    MilestoneFactory(plan=plan)
    plan_reschedule(plan=plan)
    status = plan_status(plan, today=D(2026, 9, 14))
    assert status.percent_done == 90  # (8 + 1) of 10 working days; the milestone weighs nothing
    assert (status.done_count, status.task_count) == (1, 3)


def test_blocked_and_late_tasks_are_listed_with_their_reasons(plan):
    TaskFactory(plan=plan, title="卡住的", status="blocked")
    TaskFactory(plan=plan, title="过期的", deadline=D(2026, 9, 2), duration=1)
    plan_reschedule(plan=plan)
    status = plan_status(plan, today=D(2026, 9, 7))
    assert [(flag.title, flag.reason) for flag in status.blocked] == [("卡住的", "blocked")]
    assert [(flag.title, flag.reason) for flag in status.late] == [("过期的", "deadline 2026-09-02 has passed")]
    assert status.health == Health.AT_RISK
