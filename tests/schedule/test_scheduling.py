"""The bridge from a plan in the database to the engine and back (schedule/scheduling.py)."""
import datetime

import pytest

from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import OfficialHolidayYear, Task, TaskLink
from stakeholders.models import PlanStakeholder, Stakeholder

D = datetime.date


@pytest.fixture
def chain(plan):
    """A(3) → B(3, deadline) → M (milestone), starting Monday 2026-09-28, before National Day."""
    plan.start_date = D(2026, 9, 28)
    plan.save()
    a = Task.objects.create(plan=plan, title="接口文档", duration=3, position=0)
    b = Task.objects.create(plan=plan, title="联调测试", duration=3, position=1, deadline=D(2026, 10, 9))
    m = Task.objects.create(plan=plan, title="上线", duration=0, is_milestone=True, position=2)
    TaskLink.objects.create(predecessor=a, successor=b)
    TaskLink.objects.create(predecessor=b, successor=m)
    return a, b, m


def test_national_day_and_makeup_saturday(plan, chain):
    a, b, m = chain
    scheduling.recompute(plan, today=D(2026, 9, 1))
    for task in chain:
        task.refresh_from_db()
    assert (a.early_start, a.early_finish) == (D(2026, 9, 28), D(2026, 9, 30))
    # Oct 1–7 are holidays: B starts on the 8th and its third day is the make-up Saturday 10-10.
    assert (b.early_start, b.early_finish) == (D(2026, 10, 8), D(2026, 10, 10))
    assert m.early_start == D(2026, 10, 12)
    assert b.total_float < 0 and b.is_critical
    assert b.schedule_note_text == "Misses its deadline by 1 working day."


def test_deadline_met_gives_zero_float_and_no_note(plan, chain):
    a, b, m = chain
    b.deadline = D(2026, 10, 10)
    b.save()
    scheduling.recompute(plan, today=D(2026, 9, 1))
    b.refresh_from_db()
    assert b.total_float == 0 and b.schedule_note_text == ""


def test_plan_into_2027_warns_and_admin_years_fix_it(plan):
    plan.start_date = D(2026, 12, 28)
    plan.save()
    Task.objects.create(plan=plan, title="长任务", duration=10)
    summary = scheduling.recompute(plan, today=D(2026, 12, 1))
    assert summary["missing_years"] == [2027]
    assert any("2027" in warning for warning in scheduling.missing_year_warnings(plan))
    OfficialHolidayYear.objects.create(year=2027, holidays=["2027-01-01"], makeup_workdays=[])
    summary = scheduling.recompute(plan, today=D(2026, 12, 1))
    assert summary["missing_years"] == []
    task = plan.tasks.get()
    # Dec 28–31 (4 days), Jan 1 is now a holiday, then Jan 4–8 (5) and Jan 11 (1).
    assert task.early_finish == D(2027, 1, 11)


def test_done_work_is_fixed_and_rest_starts_today(plan, chain):
    a, b, m = chain
    a.status = Task.Status.DONE
    a.percent_complete = 100
    a.actual_start, a.actual_finish = D(2026, 9, 28), D(2026, 9, 29)
    a.save()
    scheduling.recompute(plan, today=D(2026, 10, 12))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.early_start, a.early_finish) == (D(2026, 9, 28), D(2026, 9, 29))
    assert b.early_start == D(2026, 10, 12)


def test_cycle_for_new_link_names_the_tasks(plan, chain):
    a, b, m = chain
    assert scheduling.cycle_for_new_link(plan, m.pk, a.pk) == [a.pk, b.pk, m.pk]
    assert scheduling.cycle_for_new_link(plan, a.pk, m.pk) is None


def test_baseline_variance_and_slip(plan, chain):
    a, b, m = chain
    scheduling.recompute(plan, today=D(2026, 9, 1))
    baseline = schedule_services.baseline_create(plan=plan, name="签约版").obj
    assert baseline.launch_date == D(2026, 10, 12)
    a.duration = 5
    a.save()
    scheduling.recompute(plan, today=D(2026, 9, 1))
    variance = scheduling.baseline_variance(plan, baseline)
    assert variance[a.pk] == 2 and variance[m.pk] == 2


def test_levelling_serialises_one_owner(plan):
    person = Stakeholder.objects.create(name="李雷")
    owner = PlanStakeholder.objects.create(plan=plan, stakeholder=person, capacity=1)
    first = Task.objects.create(plan=plan, title="写接口文档", duration=3, owner=owner, position=0)
    second = Task.objects.create(plan=plan, title="写 SDK 示例", duration=2, owner=owner, position=1)
    scheduling.recompute(plan, today=plan.start_date)
    from schedule.models import LevellingRun
    run = LevellingRun.objects.create(plan=plan, time_limit_s=1)
    schedule_services.levelling_run(run_id=run.pk)
    run.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    spans = sorted([(first.levelled_start, first.levelled_finish), (second.levelled_start, second.levelled_finish)])
    assert spans[0][1] < spans[1][0], "one owner with capacity 1 never does two tasks at once"
    moved = first if first.levelling_note else second
    other = second if moved is first else first
    assert "李雷" in moved.levelling_note_text and other.title in moved.levelling_note_text


def test_levelling_keeps_started_work_where_the_schedule_has_it(plan):
    """A task started weeks ago and 20 % done ends when its remaining work, resumed today, ends;
    levelling neither shortens it nor lets its successor start earlier."""
    plan.start_date = D(2026, 8, 3)
    plan.save()
    person = Stakeholder.objects.create(name="韩梅梅")
    owner = PlanStakeholder.objects.create(plan=plan, stakeholder=person, capacity=1)
    sdk = Task.objects.create(plan=plan, title="SDK 集成", duration=10, owner=owner, position=0,
                              status=Task.Status.IN_PROGRESS, actual_start=D(2026, 8, 3), percent_complete=20)
    test = Task.objects.create(plan=plan, title="联调测试", duration=3, owner=owner, position=1)
    docs = Task.objects.create(plan=plan, title="接口文档", duration=4, owner=owner, position=2)
    TaskLink.objects.create(predecessor=sdk, successor=test)
    today = D(2026, 9, 1)
    scheduling.recompute(plan, today=today)
    sdk.refresh_from_db()
    assert sdk.early_finish > D(2026, 9, 1)  # 8 days of work left from today
    from schedule.models import LevellingRun
    run = LevellingRun.objects.create(plan=plan, time_limit_s=1)
    schedule_services.levelling_run(run_id=run.pk, today=today)
    run.refresh_from_db()
    for task in (sdk, test, docs):
        task.refresh_from_db()
    assert (sdk.levelled_start, sdk.levelled_finish) == (D(2026, 8, 3), sdk.early_finish)
    assert test.levelled_start > sdk.levelled_finish
    assert docs.levelled_start >= today
    assert run.finish_after >= run.finish_before


def test_rankings_put_blocked_critical_first_for_team(plan, chain):
    a, b, m = chain
    b.status = Task.Status.BLOCKED
    b.save()
    scheduling.recompute(plan, today=D(2026, 9, 1))
    ranked = scheduling.rankings(plan, "team")
    assert ranked[0].id == b.pk
    assert {part.key for part in ranked[0].parts} >= {"status", "criticality"}


def test_partner_ranking_only_has_shared_tasks(plan, chain):
    a, b, m = chain
    b.visibility = "shared"
    b.save()
    scheduling.recompute(plan, today=D(2026, 9, 1))
    assert [item.id for item in scheduling.rankings(plan, "partner")] == [b.pk]
