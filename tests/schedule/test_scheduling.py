"""The bridge from a plan in the database to the engine and back (schedule/scheduling.py)."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Task
from tests.factories import LevellingRunFactory, OfficialHolidayYearFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory

D = datetime.date


@pytest.fixture
def chain(plan):
    """A(3) → B(3, deadline) → M (milestone), starting Monday 2026-09-28, before National Day."""
    plan.start_date = D(2026, 9, 28)
    plan.save()
    a = TaskFactory(plan=plan, title="接口文档", duration=3, position=0)
    b = TaskFactory(plan=plan, title="联调测试", duration=3, position=1, deadline=D(2026, 10, 9))
    m = TaskFactory(plan=plan, title="上线", duration=0, is_milestone=True, position=2)
    TaskLinkFactory(predecessor=a, successor=b)
    TaskLinkFactory(predecessor=b, successor=m)
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


def test_spring_festival_2027_is_off_provisionally_until_the_official_year_is_entered(plan):
    plan.start_date = D(2027, 2, 1)
    plan.save()
    task = TaskFactory(plan=plan, title="春节前后联调", duration=10)
    summary = scheduling.recompute(plan, today=D(2026, 12, 1))
    assert summary["provisional_years"] == [2027] and summary["missing_years"] == []
    task.refresh_from_db()
    # Feb 1–4 (4), eve 02-05 and 02-08..10 off (python-holidays), Feb 11–12 (2), Feb 15–18 (4).
    # Counting weekends only, as before, it ended on 02-12, in the middle of the holiday.
    assert task.early_finish == D(2027, 2, 18)
    [note] = scheduling.holiday_notes(plan)
    assert note.state == "provisional" and note.years == (2027,)
    assert "2027 are provisional — no 调休 make-up days yet" in note.text

    # The official schedule (entered by staff) wins: 02-06..02-12 off, Saturday 02-20 worked.
    OfficialHolidayYearFactory(
        year=2027, holidays=[f"2027-02-{day:02d}" for day in range(6, 13)], makeup_workdays=["2027-02-20"])
    summary = scheduling.recompute(plan, today=D(2026, 12, 1))
    assert summary["provisional_years"] == []
    task.refresh_from_db()
    # Feb 1–5 (5), Feb 15–19 (5): the provisional eve 02-05 is a working day after all.
    assert task.early_finish == D(2027, 2, 19)
    assert scheduling.holiday_notes(plan) == []


def long_chain(plan, titles, duration=2000):
    tasks = [TaskFactory(plan=plan, title=title, duration=duration, position=i)
             for i, title in enumerate(titles)]
    for before, after in zip(tasks, tasks[1:]):
        TaskLinkFactory(predecessor=before, successor=after)
    return tasks


def test_a_chain_past_2100_is_refused_naming_it_and_nothing_is_stored(plan):
    # 10 × 2000 working days from 2026 run to about 2106; a short task beside it does not matter.
    titles = [f"阶段 {n}" for n in range(1, 11)]
    tasks = long_chain(plan, titles)
    side = TaskFactory(plan=plan, title="旁路任务", duration=3, position=20)
    TaskLinkFactory(predecessor=side, successor=tasks[-1])
    with pytest.raises(ValidationError) as info:
        scheduling.recompute(plan, today=D(2026, 9, 1))
    [message] = info.value.messages
    assert message.startswith("“阶段 1” → “阶段 2” → “阶段 3” → “阶段 4” → “阶段 5” → “阶段 6” → “阶段 7” → "
                              "“阶段 8” → “阶段 9” → “阶段 10” would end after 2100-12-31")
    assert "旁路任务" not in message
    assert not Task.objects.filter(plan=plan, early_finish__isnull=False).exists()


def refusal(plan, today):
    with pytest.raises(ValidationError) as info:
        scheduling.recompute(plan, today=today)
    [message] = info.value.messages
    return message


def test_a_long_chain_is_named_by_both_ends(plan):
    long_chain(plan, [f"T{n}" for n in range(1, 41)], duration=500)
    assert refusal(plan, D(2026, 9, 1)).startswith(
        "“T1” → “T2” → “T3” → “T4” → “T5” → … 30 more … → “T36” → “T37” → “T38” → “T39” → “T40” "
        "would end after 2100-12-31")


def test_a_deadline_that_needs_a_start_before_2000_is_refused_naming_the_chain(plan):
    plan.start_date = D(2000, 1, 3)
    plan.save()
    first, second = long_chain(plan, ["需求", "开发"], duration=1500)
    second.deadline = D(2000, 3, 1)
    second.save()
    assert refusal(plan, D(2000, 1, 1)).startswith("“需求” → “开发” would have to start before 2000-01-01")


def test_a_page_view_keeps_the_old_dates_and_says_why(plan, pm_client):
    titles = ["设计", "实现", "验收", "试运行", "推广", "运营 1", "运营 2", "运营 3", "运营 4", "运营 5"]
    long_chain(plan, titles, duration=1)
    scheduling.recompute(plan, today=D(2026, 9, 1))
    before = dict(Task.objects.filter(plan=plan).values_list("title", "early_finish"))
    # The next day's reschedule meets 10 × 2000 working days (changed outside the app): past 2100.
    Task.objects.filter(plan=plan).update(duration=2000)
    scheduling.ScheduleSettings.objects.filter(plan=plan).update(computed_at=None)

    response = pm_client.get(f"/plans/{plan.pk}/schedule/")
    assert response.status_code == 200
    assert "“设计” → “实现” → “验收” → “试运行” → “推广” → “运营 1”" in response.content.decode()
    assert "would end after 2100-12-31" in response.content.decode()
    assert dict(Task.objects.filter(plan=plan).values_list("title", "early_finish")) == before  # old dates stay


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
    person = StakeholderFactory(name="李雷")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=person, capacity=1)
    first = TaskFactory(plan=plan, title="写接口文档", duration=3, owner=owner, position=0)
    second = TaskFactory(plan=plan, title="写 SDK 示例", duration=2, owner=owner, position=1)
    scheduling.recompute(plan, today=plan.start_date)
    run = LevellingRunFactory(plan=plan, time_limit_s=1)
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
    person = StakeholderFactory(name="韩梅梅")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=person, capacity=1)
    sdk = TaskFactory(plan=plan, title="SDK 集成", duration=10, owner=owner, position=0,
                              status=Task.Status.IN_PROGRESS, actual_start=D(2026, 8, 3), percent_complete=20)
    test = TaskFactory(plan=plan, title="联调测试", duration=3, owner=owner, position=1)
    docs = TaskFactory(plan=plan, title="接口文档", duration=4, owner=owner, position=2)
    TaskLinkFactory(predecessor=sdk, successor=test)
    today = D(2026, 9, 1)
    scheduling.recompute(plan, today=today)
    sdk.refresh_from_db()
    assert sdk.early_finish > D(2026, 9, 1)  # 8 days of work left from today
    run = LevellingRunFactory(plan=plan, time_limit_s=1)
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
