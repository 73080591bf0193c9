import pytest

from tests.factories import TaskFactory, WatchOutFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def task(plan):
    task = TaskFactory(duration=1, plan=plan, title="计费配置")
    WatchOutFactory(task=task, text="确认计费口径", position=0)
    WatchOutFactory(task=task, text="对账周期", position=1)
    return task


def test_tick_a_watchout_off_and_on_again(pm_client, plan, task):
    first = task.watchouts.get(text="确认计费口径")
    response = pm_client.post(f"/plans/{plan.pk}/watchouts/{first.pk}/toggle/", {"done": "1"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "checked" in body and "<html" not in body
    # The task's row in the checklist shows the new count.
    assert f'id="task-{task.pk}"' in body and "1/2" in body
    first.refresh_from_db()
    assert first.done
    # Posting again with the box ticked changes nothing (a double click is harmless).
    pm_client.post(f"/plans/{plan.pk}/watchouts/{first.pk}/toggle/", {"done": "1"}, **HX)
    first.refresh_from_db()
    assert first.done
    response = pm_client.post(f"/plans/{plan.pk}/watchouts/{first.pk}/toggle/", {}, **HX)
    first.refresh_from_db()
    assert not first.done and "0/2" in response.content.decode()


def test_tick_without_javascript_returns_to_the_task_page(pm_client, plan, task):
    first = task.watchouts.first()
    response = pm_client.post(f"/plans/{plan.pk}/watchouts/{first.pk}/toggle/", {"done": "on"})
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/tasks/{task.pk}/detail/"
    first.refresh_from_db()
    assert first.done


def test_toggle_needs_post(pm_client, plan, task):
    assert pm_client.get(f"/plans/{plan.pk}/watchouts/{task.watchouts.first().pk}/toggle/").status_code == 405


def test_manager_cannot_tick(client, manager, plan, task):
    client.force_login(manager)
    first = task.watchouts.first()
    assert client.post(f"/plans/{plan.pk}/watchouts/{first.pk}/toggle/", {"done": "1"}, **HX).status_code == 403
    first.refresh_from_db()
    assert not first.done


def test_other_pm_gets_404(client, other_pm, plan, task):
    client.force_login(other_pm)
    first = task.watchouts.first()
    assert client.post(f"/plans/{plan.pk}/watchouts/{first.pk}/toggle/", {"done": "1"}, **HX).status_code == 404


def test_add_edit_move_delete_watchouts(pm_client, plan, task):
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{task.pk}/watchouts/add/", {"text": "灰度开关"}, **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#watchout-list-{task.pk}"
    assert "灰度开关" in response.content.decode() and "0/3" in response.content.decode()
    added = task.watchouts.get(text="灰度开关")
    assert added.position == 2

    response = pm_client.post(f"/plans/{plan.pk}/watchouts/{added.pk}/edit/", {"text": "灰度开关与回滚", "version": 1}, **HX)
    assert response.status_code == 200 and "灰度开关与回滚" in response.content.decode()

    response = pm_client.post(f"/plans/{plan.pk}/watchouts/{added.pk}/move/up/", **HX)
    assert response.status_code == 200
    assert list(task.watchouts.values_list("text", flat=True)) == ["确认计费口径", "灰度开关与回滚", "对账周期"]

    response = pm_client.post(f"/plans/{plan.pk}/watchouts/{added.pk}/delete/", {"version": 2}, **HX)
    assert response.status_code == 200
    assert task.watchouts.count() == 2


def test_empty_watchout_is_refused(pm_client, plan, task):
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{task.pk}/watchouts/add/", {"text": ""}, **HX)
    assert response.status_code == 422
    assert 'id="id_text_errors"' in response.content.decode()
    assert task.watchouts.count() == 2
