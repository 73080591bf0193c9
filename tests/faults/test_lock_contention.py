"""Another write holds the plan's lock (PostgreSQL: its row lock; SQLite: the database's write lock)
for longer than a save waits: the save answers 409 with a message saying so, never a 500, and
nothing of it is written."""
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from onboarding.services import lock_plan
from tests.factories import TaskFactory

HX = {"HTTP_HX_REQUEST": "true"}
BUSY = "Nothing was saved: try again in a moment."


@pytest.fixture
def short_waits(settings):
    """A second, not 10 (PostgreSQL) or 30 (SQLite), before a save gives up: the test stays quick."""
    settings.PLAN_LOCK_TIMEOUT_S = 1
    options = connection.settings_dict.setdefault("OPTIONS", {})
    saved = options.get("timeout")
    if connection.vendor == "sqlite":
        options["timeout"] = 1
        connection.close()  # the next connection (this test's and the holder's) waits 1 s
    yield
    if connection.vendor == "sqlite":
        options["timeout"] = saved
        connection.close()


@contextmanager
def plan_lock_held_elsewhere(plan):
    """A write of the plan in another connection, holding its lock until the block ends."""
    held, release, failure = threading.Event(), threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                lock_plan(plan.pk)
                held.set()
                release.wait(60)
        except Exception as error:  # noqa: BLE001 - shown by the test
            failure.append(error)
            held.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(30) and not failure, failure
    try:
        yield
    finally:
        release.set()
        holder.join(30)


def test_a_task_edit_behind_a_held_plan_lock_answers_409_and_saves_nothing(transactional_db, short_waits, pm,
                                                                           plan, client):
    task = TaskFactory(plan=plan, title="联调测试", duration=2)
    client.force_login(pm)
    data = {"title": "联调测试（改）", "description": "", "owner": "", "related_flow": "", "duration": "5",
            "start_no_earlier_than": "", "deadline": "", "status": "not_started", "percent_complete": "0",
            "actual_start": "", "actual_finish": "", "priority_override": "", "visibility": "internal",
            "phase": "", "version": task.version}
    with plan_lock_held_elsewhere(plan):
        response = client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", data, **HX)
    assert response.status_code == 409 and "Someone else is saving a change" in response.content.decode()
    assert BUSY in response.content.decode()
    task.refresh_from_db()
    assert task.title == "联调测试" and task.duration == 2
    # once the other write is done, the same save goes through
    assert client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", data, **HX).status_code == 200
    task.refresh_from_db()
    assert task.title == "联调测试（改）"
