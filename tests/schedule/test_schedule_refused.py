"""A write whose reschedule would run past the calendar (2100-12-31) answers with the chain that
pushes it, changes nothing, and is never a 500 (schedule/middleware.py)."""
import datetime

import pytest

from schedule import scheduling
from schedule.models import Task, TaskLink

HX = {"HTTP_HX_REQUEST": "true"}
TITLES = [f"第 {n} 期建设" for n in range(1, 10)]


@pytest.fixture
def chain(plan):
    """Nine tasks of 2000 working days in a row (about 72 years from 2026), then a short one."""
    tasks = [Task.objects.create(plan=plan, title=title, duration=2000, position=i) for i, title in enumerate(TITLES)]
    tasks.append(Task.objects.create(plan=plan, title="验收", duration=5, position=9))
    for before, after in zip(tasks, tasks[1:]):
        TaskLink.objects.create(predecessor=before, successor=after)
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
    assert response.status_code == 400  # the htmx error toast shows it; the row keeps its form
    message = response.content.decode()
    assert message.startswith("“第 1 期建设” → “第 2 期建设” → ") and "“第 9 期建设” → “验收” would end after 2100-12-31" in message
    last.refresh_from_db()
    assert (last.duration, last.early_finish) == (5, before)  # the edit was rolled back


def test_the_gantt_panel_without_htmx_comes_back_with_the_message(pm_client, plan, chain):
    last = chain[-1]
    response = pm_client.post(f"/plans/{plan.pk}/gantt/tasks/{last.pk}/", edit(last, duration="2000"),
                              HTTP_REFERER=f"http://testserver/plans/{plan.pk}/gantt/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"http://testserver/plans/{plan.pk}/gantt/"
    assert "would end after 2100-12-31" in response.content.decode()
    assert Task.objects.get(pk=last.pk).duration == 5


def test_an_edit_that_stays_inside_the_calendar_still_saves(pm_client, plan, chain):
    last = chain[-1]
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{last.pk}/edit/", edit(last, duration="10"), **HX)
    assert response.status_code == 200
    assert Task.objects.get(pk=last.pk).early_finish > datetime.date(2090, 1, 1)
