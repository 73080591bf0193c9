"""Concurrent task saves through the API on a live server (PostgreSQL): each change that took
effect is delivered exactly once, none lost, none duplicated, and a refused save sends nothing.

- two tasks of one plan moved at once (each with its own ETag): both are saved, under the plan's
  lock one after the other, and the receiver gets one task.status_changed per task;
- one task moved to two statuses at once with the same ETag: one save wins (200), the other is
  refused (412, or 409 while the plan is busy), and the receiver gets the winner's change only.

PostgreSQL only, like tests/security/test_races.py (SQLite writes one at a time).
"""
import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings

from api.tokens import token_create
from onboarding.models import Plan
from schedule import services as schedule_services
from schedule.models import Task
from tests.factories import PhaseFactory, PlanFactory, TaskFactory, UserFactory
from tests.security.live import at_once
from webhooks.models import WebhookDelivery

from .conftest import make_hook

pytestmark = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="races on PostgreSQL's row locks: run with DATABASE_URL=postgres://…")
ROUNDS = 3


def call(base, token, method, path, body=None, etag=None):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json", "Accept-Language": "en"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if etag:
        headers["If-Match"] = etag
    request = urllib.request.Request(base + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read().decode(), answer.headers.get("ETag")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), None


@pytest.fixture
def world(live_server, receiver):
    owner = UserFactory(username="racer")
    plan = PlanFactory(name="竞态 Webhook", owner=owner, status=Plan.Status.ACTIVE)
    phase = PhaseFactory(plan=plan)
    tasks = [TaskFactory(plan=plan, phase=phase, title=f"任务 {n}", duration=2) for n in range(2 * ROUNDS)]
    schedule_services.plan_reschedule(plan=plan)
    make_hook(plan, receiver.url, events=["task.status_changed"])
    _row, token = token_create(user=owner, name="race", scope="write")
    return {"base": live_server.url + "/api/v1", "token": token, "plan": plan, "tasks": tasks}


def etag_of(world, task):
    return call(world["base"], world["token"], "GET", f"/tasks/{task.pk}/")[2]


def patch(world, task, status, etag):
    return lambda: call(world["base"], world["token"], "PATCH", f"/tasks/{task.pk}/", {"status": status}, etag)[:2]


def delivered(receiver):
    events = [json.loads(request["body"]) for request in receiver.requests]
    return sorted((event["data"]["task"]["id"], event["data"]["from"], event["data"]["to"]) for event in events)


def test_two_tasks_moved_at_once_are_each_delivered_once(world, receiver):
    expected = []
    for round_ in range(ROUNDS):
        first, second = world["tasks"][2 * round_:2 * round_ + 2]
        answers = at_once({"first": patch(world, first, "in_progress", etag_of(world, first)),
                           "second": patch(world, second, "blocked", etag_of(world, second))})
        assert answers["first"].overlaps(answers["second"]), "one answered before the other was sent"
        statuses = {name: answer.status for name, answer in answers.items()}
        assert set(statuses.values()) <= {200, 409}, {name: a.body[:300] for name, a in answers.items()}
        if statuses["first"] == 200:
            expected.append((first.pk, "not_started", "in_progress"))
        if statuses["second"] == 200:
            expected.append((second.pk, "not_started", "blocked"))
    assert expected, "every save was refused as busy: no race was tried"
    assert delivered(receiver) == sorted(expected)
    assert WebhookDelivery.objects.filter(status="succeeded").count() == len(expected)
    assert WebhookDelivery.objects.count() == len(expected)
    assert len({json.loads(r["body"])["id"] for r in receiver.requests}) == len(expected)


def test_one_task_moved_twice_with_the_same_etag_is_delivered_once(world, receiver):
    expected = []
    for task in world["tasks"][:ROUNDS]:
        etag = etag_of(world, task)
        answers = at_once({"in_progress": patch(world, task, "in_progress", etag),
                           "blocked": patch(world, task, "blocked", etag)})
        assert answers["in_progress"].overlaps(answers["blocked"]), "one answered before the other was sent"
        statuses = {name: answer.status for name, answer in answers.items()}
        assert sorted(statuses.values())[0] == 200 and sorted(statuses.values())[1] in (409, 412), statuses
        winner = next(name for name, status in statuses.items() if status == 200)
        assert Task.objects.get(pk=task.pk).status == winner
        expected.append((task.pk, "not_started", winner))
    assert delivered(receiver) == sorted(expected)
    assert WebhookDelivery.objects.count() == len(expected)
