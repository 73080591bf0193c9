"""A write whose reschedule would run past the calendar (2100-12-31) answers with the chain that
pushes it, changes nothing, and is never a 500 (schedule/middleware.py)."""
import datetime

import pytest

from schedule import scheduling
from schedule.models import Task
from tests.factories import TaskFactory, TaskLinkFactory

HX = {"HTTP_HX_REQUEST": "true"}
TITLES = [f"第 {n} 期建设" for n in range(1, 10)]


@pytest.fixture
def chain(plan):
    """Nine tasks of 2000 working days in a row (about 72 years from 2026), then a short one."""
    tasks = [TaskFactory(plan=plan, title=title, duration=2000, position=i) for i, title in enumerate(TITLES)]
    tasks.append(TaskFactory(plan=plan, title="验收", duration=5, position=9))
    for before, after in zip(tasks, tasks[1:]):
        TaskLinkFactory(predecessor=before, successor=after)
    scheduling.recompute(plan)
    return tasks


def edit(task, **changes):
    data = {"phase": "", "title": task.title, "description": "", "owner": "", "related_flow": "",
            "duration": str(task.duration), "start_no_earlier_than": "", "deadline": "", "status": "not_started",
            "percent_complete": "0", "actual_start": "", "actual_finish": "", "priority_override": "",
            "visibility": "internal", "version": str(task.version)}
    data.update(changes)
    return data


def test_an_inline_edit_past_2100_is_refused_naming_the_chain(pm_client, plan, chain):
    last = chain[-1]
    before = Task.objects.get(pk=last.pk).early_finish
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{last.pk}/edit/", edit(last, duration="2000"), **HX)
    assert response.status_code == 422  # the row's form comes back with the reason above its fields
    message = response.content.decode()
    assert "“第 1 期建设” → “第 2 期建设” → " in message and "“第 9 期建设” → “验收” would end after 2100-12-31" in message
    assert 'name="duration"' in message and 'value="2000"' in message  # the user's input is kept
    last.refresh_from_db()
    assert (last.duration, last.early_finish) == (5, before)  # the edit was rolled back


def test_the_gantt_panel_shows_the_reason_in_its_form(pm_client, plan, chain):
    last = chain[-1]
    response = pm_client.post(f"/plans/{plan.pk}/gantt/tasks/{last.pk}/", edit(last, duration="2000"), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "would end after 2100-12-31" in body and 'value="2000"' in body
    assert Task.objects.get(pk=last.pk).duration == 5


def test_an_edit_that_stays_inside_the_calendar_still_saves(pm_client, plan, chain):
    last = chain[-1]
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{last.pk}/edit/", edit(last, duration="10"), **HX)
    assert response.status_code == 200
    assert Task.objects.get(pk=last.pk).early_finish > datetime.date(2090, 1, 1)
