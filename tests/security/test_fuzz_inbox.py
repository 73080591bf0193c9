"""Random form data sent to My work's inline update, the inbox's "mark read" and the notification
settings: never a 500, and a refused request (4xx) changes nothing (see test_fuzz_endpoints.py)."""
import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.models import Notification
from notifications.services import notification_create
from tests.security.conftest import PASSWORD, build_world
from tests.security.test_fuzz_endpoints import field_values, snapshot

PREFERENCE_FIELDS = ["app_mention", "email_mention", "app_assigned", "email_assigned", "app_rescheduled",
                     "email_rescheduled", "app_due", "daily_reminders", "weekly_digest", "language"]


@pytest.fixture
def inbox_world(db):
    world = build_world()
    owner = world["plan"].owner
    task = world["task"]
    person = task.owner.stakeholder
    person.user = owner
    person.save()
    item = notification_create(recipient=owner, kind=Notification.Kind.MENTION, workspace=world["plan"].workspace,
                               plan=world["plan"], task=task)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=owner.username, password=PASSWORD)
    return world, client, task, item


def _fuzz(client, path, names, base, other_values):
    values = field_values(other_values)
    mutated = st.tuples(st.dictionaries(st.sampled_from(names), values, max_size=3),
                        st.sets(st.sampled_from(names), max_size=2)).map(
        lambda change: {**{k: v for k, v in base.items() if k not in change[1]}, **change[0]})
    statuses = []

    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=st.one_of(mutated, st.dictionaries(st.sampled_from(names), values, max_size=len(names))),
           htmx=st.booleans())
    def run(data, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():
            before = snapshot()
            response = client.post(path, data, **headers)
            statuses.append(response.status_code)
            assert response.status_code < 500, f"{path}: {response.status_code} for {data!r:.400}"
            if 400 <= response.status_code < 500:
                assert snapshot() == before, f"{path}: a {response.status_code} answer changed data"
                if response.status_code in (400, 409, 422):
                    assert response.content.strip(), f"{path}: {response.status_code} with no message"
            transaction.set_rollback(True)

    run()
    return statuses


def test_my_work_update(inbox_world):
    world, client, task, _item = inbox_world
    prefix = f"t{task.pk}-"
    base = {prefix + "status": "in_progress", prefix + "percent_complete": "40", prefix + "version": str(task.version)}
    statuses = _fuzz(client, f"/my-work/tasks/{task.pk}/", list(base) + ["status", "version"], base,
                     sorted(set(world["other_ids"].values())))
    assert 200 in statuses and 422 in statuses


def test_mark_read(inbox_world):
    world, client, _task, item = inbox_world
    _fuzz(client, "/inbox/read/", ["item"], {"item": str(item.pk)}, sorted(set(world["other_ids"].values())))


def test_notification_settings(inbox_world):
    world, client, _task, _item = inbox_world
    base = {name: "on" for name in PREFERENCE_FIELDS[:-1]} | {"language": "en"}
    _fuzz(client, "/notifications/", PREFERENCE_FIELDS, base, sorted(set(world["other_ids"].values())))
