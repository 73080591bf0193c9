"""/api/v1/webhooks/: a PM's write token adds a hook (the secret in that answer only); another
workspace's hooks are 404; a read token cannot write; a plan of another workspace is refused."""
from onboarding.models import WorkspaceMember
from tests.api.conftest import api_client
from tests.factories import PlanFactory, ProductFactory, UserFactory, WebhookDeliveryFactory, WorkspaceFactory
from webhooks.models import Webhook

from .conftest import make_hook

BODY = {"name": "Jira", "url": "https://jira.example.com/hook", "events": ["milestone.reached", "task.status_changed"],
        "format": "json", "language": "en"}


def test_a_pm_adds_lists_and_changes_a_hook(plan, pm):
    client = api_client(pm)
    created = client.post("/api/v1/webhooks/", {**BODY, "workspace": plan.workspace_id, "plan": plan.pk},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    hook = Webhook.objects.get()
    assert created.json()["secret"] == hook.secret and created["Cache-Control"] == "no-store"
    assert created.json()["events"] == ["task.status_changed", "milestone.reached"]
    listed = client.get("/api/v1/webhooks/").json()
    assert [row["name"] for row in listed["results"]] == ["Jira"] and "secret" not in listed["results"][0]
    changed = client.patch(f"/api/v1/webhooks/{hook.pk}/", {"active": False}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert client.delete(f"/api/v1/webhooks/{hook.pk}/").status_code == 204
    assert not Webhook.objects.exists()


def test_another_workspace_gets_404_and_cannot_add_to_ours(plan):
    hook = make_hook(plan, "https://partner.example.com/hook")
    team = WorkspaceFactory(name="Other team")
    stranger = UserFactory(username="stranger", workspace=team, role=WorkspaceMember.Role.ADMIN)
    client = api_client(stranger)
    assert client.get("/api/v1/webhooks/").json()["results"] == []
    assert client.get(f"/api/v1/webhooks/{hook.pk}/").status_code == 404
    assert client.patch(f"/api/v1/webhooks/{hook.pk}/", {"name": "x"},
                        content_type="application/json").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook.pk}/").status_code == 404
    refused = client.post("/api/v1/webhooks/", {**BODY, "workspace": plan.workspace_id},
                          content_type="application/json")
    assert refused.status_code == 400 and "workspace" in refused.json()
    other_plan = PlanFactory(product=ProductFactory(workspace=team), owner=stranger)
    mixed = client.post("/api/v1/webhooks/", {**BODY, "workspace": team.pk, "plan": plan.pk},
                        content_type="application/json")
    assert mixed.status_code == 400 and "plan" in mixed.json()
    assert other_plan.webhooks.count() == 0
    hook.refresh_from_db()
    assert hook.name == "Partner"


def test_a_read_token_and_a_manager_cannot_write(plan, pm, manager):
    assert api_client(pm, scope="read").post("/api/v1/webhooks/", {**BODY, "workspace": plan.workspace_id},
                                              content_type="application/json").status_code == 403
    refused = api_client(manager).post("/api/v1/webhooks/", {**BODY, "workspace": plan.workspace_id},
                                       content_type="application/json")
    assert refused.status_code == 400 and not Webhook.objects.exists()


def _deliveries(hook, count):
    from django.utils import timezone


    now = timezone.now()
    return [WebhookDeliveryFactory(
        webhook=hook, event_type="task.status_changed", status="failed", response_code=500, attempts=5,
        payload={"id": str(n), "type": "task.status_changed"}, last_try_at=now) for n in range(count)]


def test_the_delivery_log_newest_first_cursor_paginated(plan, pm):
    hook = make_hook(plan, "https://partner.example.com/hook")
    rows = _deliveries(hook, 3)
    client = api_client(pm, scope="read")
    first = client.get(f"/api/v1/webhooks/{hook.pk}/deliveries/", {"page_size": 2})
    assert first.status_code == 200, first.content
    page = first.json()
    assert [row["id"] for row in page["results"]] == [rows[2].pk, rows[1].pk]
    row = page["results"][0]
    assert (row["status"], row["response_code"], row["attempts"], row["event_type"]) == (
        "failed", 500, 5, "task.status_changed")
    assert {"next_try_at", "last_try_at", "created_at", "last_error", "event_id"} <= set(row)
    rest = client.get(page["next"]).json()
    assert [row["id"] for row in rest["results"]] == [rows[0].pk] and rest["next"] is None


def test_redeliver_sends_again_with_a_write_token_only(plan, pm, receiver, eager, django_capture_on_commit_callbacks):
    hook = make_hook(plan, receiver.url)
    (delivery,) = _deliveries(hook, 1)
    url = f"/api/v1/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/"
    assert api_client(pm, scope="read").post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_client(pm).post(url)
    assert answer.status_code == 200 and answer.json()["status"] == "pending" and answer.json()["attempts"] == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)
    assert len(receiver.requests) == 1


def test_another_workspace_and_a_manager_get_404_for_the_log(plan, pm, manager):
    hook = make_hook(plan, "https://partner.example.com/hook")
    (delivery,) = _deliveries(hook, 1)
    other_hook = make_hook(plan, "https://partner.example.com/other")
    team = WorkspaceFactory(name="Other team")
    stranger = UserFactory(username="stranger", workspace=team, role=WorkspaceMember.Role.ADMIN)
    for client in (api_client(stranger), api_client(manager)):
        assert client.get(f"/api/v1/webhooks/{hook.pk}/deliveries/").status_code == 404
        assert client.post(f"/api/v1/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/").status_code == 404
    # A delivery of another hook through this hook's address: 404 as well.
    assert api_client(pm).post(f"/api/v1/webhooks/{other_hook.pk}/deliveries/{delivery.pk}/redeliver/"
                               ).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_an_empty_string_is_not_an_id_and_bodies_are_json(plan, pm):
    hook = make_hook(plan, "https://partner.example.com/hook", plan=plan)
    client = api_client(pm)
    refused = client.patch(f"/api/v1/webhooks/{hook.pk}/", {"plan": ""}, content_type="application/json")
    assert refused.status_code == 400 and "plan" in refused.json()
    form = client.patch(f"/api/v1/webhooks/{hook.pk}/", "name=x", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415
    hook.refresh_from_db()
    assert (hook.plan, hook.name) == (plan, "Partner")
