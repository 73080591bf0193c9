"""Events reach a receiver on 127.0.0.1, signed; a receiver answering 500 gets the back-off."""
import hashlib
import hmac
import json
from datetime import timedelta

from django.utils import timezone

from schedule import services as schedule_services
from schedule.models import Task
from webhooks.models import WebhookDelivery
from webhooks.services import BACKOFF, deliveries_sweep, delivery_attempt

from .conftest import make_hook
from tests.factories import WebhookDeliveryFactory


def _set_status(plan, title, status):
    task = Task.objects.get(plan=plan, title=title)
    task.status = status
    task.percent_complete = 100 if status == Task.Status.DONE else task.percent_complete
    return schedule_services.task_update(plan=plan, task=task, version=task.version)


def test_a_status_change_is_delivered_signed(plan, receiver, eager, django_capture_on_commit_callbacks):
    hook = make_hook(plan, receiver.url, events=["task.status_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(plan, "Sign the contract", Task.Status.IN_PROGRESS)

    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    timestamp, body = sent["headers"]["X-Paasport-Timestamp"], sent["body"]
    expected = hmac.new(hook.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(sent["headers"]["X-Paasport-Signature"], expected)
    event = json.loads(body)
    assert event["type"] == "task.status_changed"
    assert event["id"] and event["timestamp"]
    assert event["plan"]["id"] == plan.pk
    assert event["data"]["task"]["title"] == "Sign the contract"
    assert (event["data"]["from"], event["data"]["to"]) == ("not_started", "in_progress")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("succeeded", 200, 1)


def test_milestone_and_rescheduling_events(plan, receiver, eager, django_capture_on_commit_callbacks):
    make_hook(plan, receiver.url, events=["milestone.reached", "task.rescheduled", "plan.launch_moved"])
    task = Task.objects.get(plan=plan, title="Integrate the SDK")
    task.duration = 8
    with django_capture_on_commit_callbacks(execute=True):
        schedule_services.task_update(plan=plan, task=task, version=task.version)
    types = [receiver.json(i)["type"] for i in range(len(receiver.requests))]
    assert sorted(types) == ["plan.launch_moved", "task.rescheduled"]
    moved = next(receiver.json(i) for i in range(len(types)) if types[i] == "task.rescheduled")
    assert {row["title"] for row in moved["data"]["tasks"]} >= {"Integrate the SDK", "Launch"}
    launch = next(receiver.json(i) for i in range(len(types)) if types[i] == "plan.launch_moved")
    assert launch["data"]["from"] < launch["data"]["to"]

    with django_capture_on_commit_callbacks(execute=True):
        _set_status(plan, "Launch", Task.Status.DONE)
    assert receiver.json()["type"] == "milestone.reached"
    assert receiver.json()["data"]["task"]["title"] == "Launch"


def test_health_change_with_reasons_in_the_hook_language(plan, receiver, eager, django_capture_on_commit_callbacks):
    make_hook(plan, receiver.url, events=["plan.health_changed"], language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(plan, "Sign the contract", Task.Status.BLOCKED)
    event = receiver.json()
    assert len(receiver.requests) == 1 and event["type"] == "plan.health_changed"
    assert (event["data"]["from"], event["data"]["to"]) == ("on_track", "at_risk")
    assert event["data"]["reasons"] == ["1 项任务受阻。"]


def test_a_hook_of_another_plan_gets_nothing(plan, receiver, eager, django_capture_on_commit_callbacks):
    from tests.factories import PlanFactory

    make_hook(plan, receiver.url, plan=PlanFactory(owner=plan.owner))
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(plan, "Sign the contract", Task.Status.IN_PROGRESS)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_retried_with_back_off(plan, receiver, eager, django_capture_on_commit_callbacks):
    make_hook(plan, receiver.url, events=["task.status_changed"])
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(plan, "Sign the contract", Task.Status.IN_PROGRESS)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", 500, 1)
    first_try = delivery.last_try_at
    assert delivery.next_try_at == first_try + BACKOFF[0]

    # Not due yet: nothing is sent.
    assert delivery_attempt(delivery_id=delivery.pk, now=first_try + timedelta(seconds=30)) is None
    now = first_try
    for attempt, wait in enumerate(BACKOFF[1:], start=2):
        now = now + BACKOFF[attempt - 2]
        assert deliveries_sweep(now=now) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.next_try_at) == ("pending", attempt, now + wait)
    receiver.status = 200
    assert deliveries_sweep(now=now + BACKOFF[-1]) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 5, 200)
    assert len(receiver.requests) == 5
    assert len({request["body"] for request in receiver.requests}) == 1  # the same event each time


def test_a_delivery_fails_after_the_last_retry(plan, receiver):
    hook = make_hook(plan, receiver.url)
    receiver.status = 503
    now = timezone.now()
    delivery = WebhookDeliveryFactory(webhook=hook, event_type="task.status_changed", next_try_at=now,
                                              payload={"id": "x", "type": "task.status_changed"})
    for wait in [timedelta(0), *BACKOFF]:
        now += wait
        delivery_attempt(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_try_at) == ("failed", 5, None)
    assert deliveries_sweep(now=now + timedelta(days=1)) == 0


def test_an_unreachable_receiver_is_an_error_not_a_crash(plan, settings):
    from tests.faults.conftest import free_port

    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    hook = make_hook(plan, f"http://127.0.0.1:{free_port()}/hook")
    delivery = WebhookDeliveryFactory(webhook=hook, event_type="task.status_changed",
                                              next_try_at=timezone.now(), payload={"id": "x"})
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == "pending" and delivery.response_code is None and delivery.last_error


def test_two_writes_in_one_transaction_report_each_their_own_change(plan, receiver, eager,
                                                                    django_capture_on_commit_callbacks):
    from django.db import transaction

    make_hook(plan, receiver.url, events=["task.status_changed"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _set_status(plan, "Sign the contract", Task.Status.IN_PROGRESS)
        _set_status(plan, "Sign the contract", Task.Status.BLOCKED)
    changes = sorted((receiver.json(i)["data"]["from"], receiver.json(i)["data"]["to"])
                     for i in range(len(receiver.requests)))
    assert changes == [("in_progress", "blocked"), ("not_started", "in_progress")]


def test_a_write_that_fails_reports_nothing(plan, receiver, eager, django_capture_on_commit_callbacks):
    import pytest
    from django.core.exceptions import ValidationError

    make_hook(plan, receiver.url)
    task = Task.objects.get(plan=plan, title="Sign the contract")
    task.status, task.duration = Task.Status.DONE, -5
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        schedule_services.task_update(plan=plan, task=task, version=task.version)
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_paused_hook_fails_its_delivery_and_old_entries_leave_the_log(plan, receiver, settings):
    hook = make_hook(plan, receiver.url, active=False)
    now = timezone.now()
    delivery = WebhookDeliveryFactory(webhook=hook, event_type="task.status_changed", next_try_at=now,
                                              payload={"id": "x", "type": "task.status_changed"})
    delivery = delivery_attempt(delivery_id=delivery.pk, now=now)
    assert (delivery.status, delivery.last_error) == ("failed", "The webhook is paused.")
    assert receiver.requests == []
    settings.WEBHOOK_LOG_DAYS = 30
    deliveries_sweep(now=now + timedelta(days=29))
    assert WebhookDelivery.objects.exists()
    deliveries_sweep(now=now + timedelta(days=31))
    assert not WebhookDelivery.objects.exists()


def test_a_broken_snapshot_never_fails_the_write(plan, receiver, monkeypatch, django_capture_on_commit_callbacks):
    from webhooks import events

    make_hook(plan, receiver.url)

    def broken(plan):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    monkeypatch.setattr(events, "_tasks", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _set_status(plan, "Sign the contract", Task.Status.IN_PROGRESS)
    assert Task.objects.get(plan=plan, title="Sign the contract").status == "in_progress"
    assert not WebhookDelivery.objects.exists()
