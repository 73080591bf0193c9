"""Two people editing the same task: the first save wins, the second is shown the first's change."""
import os
import re
import threading

import pytest
from django.db import connection
from django.test import Client

from onboarding.versioning import StaleEdit, claim
from schedule.models import Task
from tests.factories import PhaseFactory, TaskFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}


def task_data(task, **overrides):
    data = {"phase": task.phase_id or "", "title": task.title, "description": task.description, "owner": "",
            "related_flow": "", "duration": str(task.duration), "start_no_earlier_than": "", "deadline": "",
            "status": task.status, "percent_complete": str(task.percent_complete), "actual_start": "",
            "actual_finish": "", "priority_override": "", "visibility": task.visibility}
    data.update(overrides)
    return data


def hidden_version(body):
    return int(re.search(r'name="version" value="(\d+)"', body).group(1))


@pytest.fixture
def editor(plan):
    user = UserFactory(username="anna", password="anna-pass-123", first_name="Anna", last_name="Li")
    plan.editors.add(user)
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def tasks(plan):
    phase = PhaseFactory(plan=plan, name="准备")
    return [TaskFactory(plan=plan, phase=phase, title=title, duration=3, position=i)
            for i, title in enumerate(["启动会", "读文档"])]


def edit_url(plan, task):
    return f"/plans/{plan.pk}/tasks/{task.pk}/edit/"


def test_second_of_two_saves_from_the_same_version_is_refused_and_shown_the_first(
        pm_client, editor_client, plan, tasks):
    task, other = tasks
    # Both open the edit form on the same version.
    form_a = editor_client.get(edit_url(plan, task), **HX).content.decode()
    form_b = pm_client.get(edit_url(plan, task), **HX).content.decode()
    version = hidden_version(form_a)
    assert hidden_version(form_b) == version == 1

    first = editor_client.post(edit_url(plan, task), task_data(task, title="启动会（改期）", duration="5",
                                                              version=version), **HX)
    assert first.status_code == 200
    second = pm_client.post(edit_url(plan, task), task_data(task, description="带上合同模板",
                                                            version=version), **HX)
    assert second.status_code == 422
    body = second.content.decode()
    assert "Someone else changed this task" in body
    # Who, and what they changed (old → new, with the fields' names).
    assert "Anna Li" in body
    assert "Title" in body and "启动会" in body and "启动会（改期）" in body
    assert "Duration (working days)" in body and ">3<" in body and ">5<" in body
    # The user's own input is kept, with the current version so saving again applies it.
    assert "带上合同模板" in body
    assert hidden_version(body) == 2

    task.refresh_from_db()
    assert (task.title, task.duration, task.description, task.version) == ("启动会（改期）", 5, "", 2)
    other_before = Task.objects.get(pk=other.pk)
    assert (other_before.title, other_before.version) == ("读文档", 1)

    again = pm_client.post(edit_url(plan, task), task_data(task, description="带上合同模板",
                                                          version=hidden_version(body)), **HX)
    assert again.status_code == 200
    task.refresh_from_db()
    assert task.description == "带上合同模板" and task.title == "启动会（改期）" and task.version == 3


def test_a_save_losing_the_race_after_validation_is_refused_too(pm_client, plan, tasks, monkeypatch):
    """The version is claimed by the UPDATE itself: a save that passed the form's check but finds
    the row already moved on changes nothing."""
    task = tasks[0]
    import schedule.services

    def someone_else_first(instance, expected):
        Task.objects.filter(pk=instance.pk).update(title="别人抢先", version=expected + 1)
        return claim(instance, expected)

    monkeypatch.setattr(schedule.services, "claim", someone_else_first)
    response = pm_client.post(edit_url(plan, task), task_data(task, title="我的修改", version=1), **HX)
    assert response.status_code == 422
    assert "Someone else changed this task" in response.content.decode()
    task.refresh_from_db()
    # The simulated other write shared this request's transaction, so it rolled back with it;
    # what matters is that the refused input was not written.
    assert task.title != "我的修改"


def test_claim_lets_exactly_one_through(plan, tasks):
    task = tasks[0]
    claim(task, 1)
    with pytest.raises(StaleEdit) as stale:
        claim(Task.objects.get(pk=task.pk), 1)
    assert (stale.value.started, stale.value.current) == (1, 2)
    assert Task.objects.get(pk=task.pk).version == 2


def test_a_post_without_its_version_is_refused_not_a_free_pass(pm_client, plan, tasks):
    task = tasks[0]
    data = task_data(task, title="没带版本号")
    response = pm_client.post(edit_url(plan, task), data, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "did not say which version it was loaded from" in body
    assert hidden_version(body) == 1  # saving again applies the input deliberately
    task.refresh_from_db()
    assert task.title == "启动会" and task.version == 1


def test_conflict_without_recorded_history_still_refuses_clearly(pm_client, plan, tasks):
    task = tasks[0]
    Task.objects.filter(pk=task.pk).update(title="别人改过", version=5)  # no history record
    response = pm_client.post(edit_url(plan, task), task_data(task, title="我的修改", version=1), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Someone else changed this task" in body and "我的修改" in body
    assert hidden_version(body) == 5


def test_conflict_message_in_chinese(pm_client, editor_client, plan, tasks):
    task = tasks[0]
    editor_client.post(edit_url(plan, task), task_data(task, title="新标题", version=1), **HX)
    response = pm_client.post(edit_url(plan, task), task_data(task, title="我的标题", version=1),
                              HTTP_ACCEPT_LANGUAGE="zh-hans", **HX)
    assert response.status_code == 422
    assert "新标题" in response.content.decode()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="real concurrent transactions need PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_at_once_on_postgresql(pm, plan, tasks):
    task, other = tasks
    editors = []
    for name in ("t1", "t2"):
        user = UserFactory(username=name, password="pass-123-x", workspace=plan.workspace)
        plan.editors.add(user)
        editors.append(user)
    barrier = threading.Barrier(2)
    results = {}

    def save(user, title):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            response = client.post(edit_url(plan, task), task_data(task, title=title, version=1), **HX)
            results[title] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user, f"来自 {user.username}")) for user in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results.values()) == [200, 422]
    winner = next(title for title, status in results.items() if status == 200)
    task.refresh_from_db()
    assert task.title == winner and task.version == 2
    assert Task.objects.get(pk=other.pk).version == 1
    assert Task.history.filter(id=task.pk, history_type="~").count() == 1


def test_a_refused_save_takes_their_change_where_you_changed_nothing(pm_client, editor_client, plan, tasks):
    """Saving the refused form again applies what this user changed and keeps the other person's
    change of the fields this user left alone."""
    task = tasks[0]
    version = hidden_version(pm_client.get(edit_url(plan, task), **HX).content.decode())
    assert editor_client.post(edit_url(plan, task), task_data(task, duration="5", version=version),
                              **HX).status_code == 200
    refused = pm_client.post(edit_url(plan, task), task_data(task, title="启动会（线上）", version=version), **HX)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'name="title" value="启动会（线上）"' in body  # mine, kept
    assert re.search(r'name="duration" value="5"', body)  # theirs, where I changed nothing
    again = pm_client.post(edit_url(plan, task), task_data(task, title="启动会（线上）", duration="5",
                                                          version=hidden_version(body)), **HX)
    assert again.status_code == 200
    task.refresh_from_db()
    assert (task.title, task.duration) == ("启动会（线上）", 5)
