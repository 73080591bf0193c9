"""Redis unreachable: a task save that causes a webhook event still saves; the delivery is
recorded pending and the periodic sweep sends it."""
import pytest

from tests.webhooks.conftest import Receiver, make_hook
from webhooks.models import WebhookDelivery
from webhooks.services import deliveries_sweep
from tests.factories import PhaseFactory, TaskFactory


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the receiver is on 127.0.0.1
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_a_task_save_with_a_hook_works_and_the_sweep_delivers(redis_down, pm_client, plan, receiver,
                                                              django_capture_on_commit_callbacks):
    make_hook(plan, receiver.url, events=["task.status_changed"])
    task = TaskFactory(plan=plan, phase=PhaseFactory(plan=plan, name="联调阶段", position=0),
                               title="提供测试账号", duration=2)
    data = {"title": task.title, "description": "", "owner": "", "related_flow": "", "duration": "2",
            "start_no_earlier_than": "", "deadline": "", "status": "in_progress", "percent_complete": "10",
            "actual_start": "", "actual_finish": "", "priority_override": "", "visibility": "internal",
            "phase": task.phase_id, "version": task.version}
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == "in_progress"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 0) and receiver.requests == []

    assert deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert receiver.json()["data"]["to"] == "in_progress"
