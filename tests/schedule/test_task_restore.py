"""Restoring a task from the plan's history: an earlier version, or a deleted task."""
import datetime

import pytest

from schedule.models import Phase, Task, TaskLink
from tests.factories import PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, UserFactory, WatchOutFactory

HX = {"HTTP_HX_REQUEST": "true"}


def task_data(task, **overrides):
    data = {"phase": task.phase_id or "", "title": task.title, "description": task.description,
            "owner": task.owner_id or "", "related_flow": "", "duration": str(task.duration),
            "start_no_earlier_than": "", "deadline": "", "status": task.status,
            "percent_complete": str(task.percent_complete), "actual_start": "", "actual_finish": "",
            "priority_override": "", "visibility": task.visibility, "version": task.version}
    data.update(overrides)
    return data


@pytest.fixture
def phase(plan):
    return PhaseFactory(plan=plan, name="准备")


@pytest.fixture
def task(plan, phase):
    return TaskFactory(plan=plan, phase=phase, title="启动会", duration=2)


def edit(client, plan, task, **changes):
    task.refresh_from_db()
    response = client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", task_data(task, **changes), **HX)
    assert response.status_code == 200, response.content.decode()[:500]
    task.refresh_from_db()


def restore_url(plan, record):
    return f"/plans/{plan.pk}/history/task/{record.history_id}/restore/"


def test_restore_an_earlier_version(pm_client, plan, task):
    edit(pm_client, plan, task, title="启动会（v2）", duration="4")
    edit(pm_client, plan, task, title="启动会（v3）", duration="6", description="加一页议程")
    v2 = task.history.filter(title="启动会（v2）").get()

    page = pm_client.get(f"/plans/{plan.pk}/history/?type=task").content.decode()
    assert restore_url(plan, v2) in page and "Restore this version" in page and "hx-confirm" in page

    response = pm_client.post(restore_url(plan, v2), follow=True)
    assert response.status_code == 200
    assert "Task “启动会（v2）” restored." in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.duration, task.description) == ("启动会（v2）", 4, "")
    assert task.version == 4  # the restore is itself a new version …
    latest = task.history.first()
    assert latest.history_user.username == "pm" and latest.title == "启动会（v2）"  # … and in the history
    assert task.early_start is not None  # the plan was rescheduled


def test_restore_with_htmx_redirects_the_page(pm_client, plan, task):
    edit(pm_client, plan, task, title="改过")
    first = task.history.order_by("history_id").first()
    response = pm_client.post(restore_url(plan, first), **HX)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/plans/{plan.pk}/history/"
    task.refresh_from_db()
    assert task.title == "启动会"


def test_restore_a_deleted_task_with_its_watch_outs_and_links(pm_client, plan, phase, task):
    before = TaskFactory(duration=1, plan=plan, phase=phase, title="立项", position=1)
    after = TaskFactory(duration=1, plan=plan, phase=phase, title="联调", position=2)
    TaskLinkFactory(predecessor=before, successor=task, lag=1)
    TaskLinkFactory(predecessor=task, successor=after)
    WatchOutFactory(task=task, text="提前订会议室", position=0)
    WatchOutFactory(task=task, text="带上合同", done=True, position=1)
    task_id = task.pk

    response = pm_client.post(f"/plans/{plan.pk}/tasks/{task_id}/delete/", {"version": task.version}, **HX)
    assert response.status_code == 200 and not Task.objects.filter(pk=task_id).exists()

    deletion = Task.history.filter(id=task_id, history_type="-").get()
    page = pm_client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert restore_url(plan, deletion) in page

    response = pm_client.post(restore_url(plan, deletion), follow=True)
    body = response.content.decode()
    assert "2 watch-outs restored." in body and "2 links restored." in body
    restored = Task.objects.get(pk=task_id)
    assert restored.title == "启动会" and restored.phase == phase and restored.duration == 2
    assert sorted(restored.watchouts.values_list("text", "done")) == [("带上合同", True), ("提前订会议室", False)]
    assert TaskLink.objects.get(successor=restored).predecessor == before
    assert TaskLink.objects.get(predecessor=restored).successor == after
    assert TaskLink.objects.get(successor=restored).lag == 1
    # Restoring it again is not offered: the latest record is no longer a deletion.
    page = pm_client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert restore_url(plan, deletion) not in page


def test_restore_without_references_that_no_longer_exist(pm_client, plan, phase, task):
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李经理"))
    edit(pm_client, plan, task, owner=owner.pk, title="有负责人")
    with_owner = task.history.filter(title="有负责人").get()
    edit(pm_client, plan, task, owner="", title="没有负责人")
    owner.delete()
    phase.delete()

    response = pm_client.post(restore_url(plan, with_owner), follow=True)
    body = response.content.decode()
    assert "restored" in body and "owner" in body and "phase" in body
    task.refresh_from_db()
    assert task.title == "有负责人" and task.owner is None and task.phase is None


def test_an_invalid_old_version_is_refused_and_nothing_changes(pm_client, plan, task):
    edit(pm_client, plan, task, title="第二版")
    first = task.history.order_by("history_id").first()
    # An old record that would no longer pass validation.
    type(first).objects.filter(pk=first.pk).update(status="done", percent_complete=40)
    response = pm_client.post(restore_url(plan, first), follow=True)
    body = response.content.decode()
    assert "This version cannot be restored" in body and "A done task is 100% complete." in body
    task.refresh_from_db()
    assert task.title == "第二版" and task.version == 2


def test_readers_cannot_restore(client, plan, task, pm_client):
    edit(pm_client, plan, task, title="第二版")
    viewer = UserFactory(username="viewer", password="viewer-pass-1")
    plan.viewers.add(viewer)
    client.force_login(viewer)
    first = task.history.order_by("history_id").first()
    assert restore_url(plan, first) not in client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert client.post(restore_url(plan, first)).status_code == 403
    task.refresh_from_db()
    assert task.title == "第二版"


def test_a_record_of_another_plan_cannot_be_restored_through_this_one(pm_client, plan, task, product, pm):

    mine = PlanFactory(name="另一个", product=product, owner=pm, start_date=datetime.date(2026, 9, 1))
    record = task.history.first()
    assert pm_client.post(restore_url(mine, record)).status_code == 404
    assert pm_client.post(f"/plans/{plan.pk}/history/nosuchkind/{record.history_id}/restore/").status_code == 404


def test_deleting_a_phase_says_what_happens_and_restoring_it_puts_its_tasks_back(pm_client, plan, phase, task):
    second = TaskFactory(duration=1, plan=plan, phase=phase, title="第二个任务", position=1)
    page = pm_client.get(f"/plans/{plan.pk}/checklist/").content.decode()
    assert (f"Delete the phase “{phase.name}”? Its 2 tasks stay in the plan without a phase; restoring the phase "
            "from History puts them back.") in page
    response = pm_client.post(f"/plans/{plan.pk}/phases/{phase.pk}/delete/", {"version": phase.version}, **HX)
    assert response.status_code == 200
    assert list(Task.objects.filter(pk__in=[task.pk, second.pk]).values_list("phase_id", flat=True)) == [None, None]
    deletion = Phase.history.filter(id=phase.pk, history_type="-").get()
    body = pm_client.post(f"/plans/{plan.pk}/history/phase/{deletion.history_id}/restore/",
                          follow=True).content.decode()
    assert f"Phase “{phase.name}” restored. 2 tasks are back in it." in body
    assert set(Task.objects.filter(pk__in=[task.pk, second.pk]).values_list("phase_id", flat=True)) == {phase.pk}
