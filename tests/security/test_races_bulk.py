"""Bulk edits at the same moment as other edits, as real concurrent requests against a live server
on PostgreSQL: every change is either saved whole or refused whole, and none is lost."""
import pytest

from schedule import scheduling
from schedule.models import Task
from tests.factories import PhaseFactory, PlanStakeholderFactory, TaskFactory
from tests.security.live import at_once
from tests.security.test_races import assert_no_database_text, task_form

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = {"status": "Status set on", "owner": "Owner set on", "shift": "tasks shifted"}
REFUSED = "Someone else changed a selected task while you were choosing: nothing was changed."


@pytest.fixture
def rows(team):
    phase = PhaseFactory(plan=team.plan, name="联调")
    tasks = [TaskFactory(plan=team.plan, phase=phase, title=f"任务 {i:02d}", duration=2, position=i)
             for i in range(12)]
    scheduling.recompute(team.plan)
    return tasks


def bulk(browser, plan, tasks, action, **value):
    form = {"action": action, "task": [f"{task.pk}:{task.version}" for task in tasks], **value}
    return lambda: browser.htmx(f"/plans/{plan.pk}/checklist/bulk/", form)


def outcome(answer):
    assert answer.status == 200, answer.body[:1500]
    assert_no_database_text(answer.body)
    if REFUSED in answer.body:
        return "refused"
    assert any(text in answer.body for text in SAVED.values()), answer.body[:1500]
    return "saved"


def test_two_bulk_edits_of_different_rows_at_once_are_both_saved(team, rows):
    plan = team.plan
    owner = PlanStakeholderFactory(plan=plan, stakeholder__name="王磊")
    answers = at_once({
        "anna": bulk(team.browsers["anna"], plan, rows[:6], "status", status=Task.Status.DONE),
        "bo": bulk(team.browsers["bo"], plan, rows[6:], "owner", owner=str(owner.pk)),
    })
    assert {name: outcome(answer) for name, answer in answers.items()} == {"anna": "saved", "bo": "saved"}
    assert answers["anna"].overlaps(answers["bo"])
    stored = {task.pk: task for task in Task.objects.filter(plan=plan)}
    assert all(stored[task.pk].status == Task.Status.DONE for task in rows[:6])
    assert all(stored[task.pk].owner_id == owner.pk for task in rows[6:])
    # and neither bulk edit touched the other's rows
    assert all(stored[task.pk].owner_id is None for task in rows[:6])
    assert all(stored[task.pk].status == Task.Status.NOT_STARTED for task in rows[6:])


def test_two_bulk_edits_sharing_rows_one_is_saved_the_other_changes_nothing(team, rows):
    plan = team.plan
    before = {task.pk: scheduling_dates(task) for task in Task.objects.filter(plan=plan)}
    answers = at_once({
        "anna": bulk(team.browsers["anna"], plan, rows[:8], "status", status=Task.Status.IN_PROGRESS),
        "bo": bulk(team.browsers["bo"], plan, rows[4:], "shift", shift_days="3"),
    })
    results = {name: outcome(answer) for name, answer in answers.items()}
    assert sorted(results.values()) == ["refused", "saved"], results
    stored = {task.pk: task for task in Task.objects.filter(plan=plan)}
    if results["anna"] == "saved":
        assert all(stored[task.pk].status == Task.Status.IN_PROGRESS for task in rows[:8])
        # Bo's shift changed nothing, not even his rows Anna did not select
        assert all(stored[task.pk].start_no_earlier_than is None for task in rows[8:])
    else:
        assert all(stored[task.pk].status == Task.Status.NOT_STARTED for task in rows)
        assert all(stored[task.pk].start_no_earlier_than is not None for task in rows[4:])
        assert all(scheduling_dates(stored[task.pk]) == before[task.pk] for task in rows[:4])


def test_a_bulk_edit_and_a_row_edit_of_one_of_its_tasks_at_once_one_is_refused(team, rows):
    plan, target = team.plan, rows[3]
    form = task_form(team.browsers["chen"], plan, target)
    form["title"] = "陈改过的标题"
    answers = at_once({
        "anna": bulk(team.browsers["anna"], plan, rows[:6], "status", status=Task.Status.DONE),
        "chen": lambda: team.browsers["chen"].htmx(f"/plans/{plan.pk}/tasks/{target.pk}/edit/", form),
    })
    assert_no_database_text(answers["chen"].body)
    bulk_result, row_status = outcome(answers["anna"]), answers["chen"].status
    assert (bulk_result, row_status) in {("saved", 422), ("refused", 200)}, (bulk_result, row_status)
    target.refresh_from_db()
    if bulk_result == "saved":
        assert target.status == Task.Status.DONE and target.title == "任务 03"
        assert "Someone else changed this task" in answers["chen"].body
    else:
        assert target.title == "陈改过的标题" and target.status == Task.Status.NOT_STARTED
        assert not Task.objects.filter(plan=plan, status=Task.Status.DONE).exists()


def scheduling_dates(task):
    return (task.early_start, task.early_finish)

