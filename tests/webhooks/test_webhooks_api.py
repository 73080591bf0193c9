"""/api/v1/webhooks/: a PM's write token adds a hook (the secret in that answer only); another
workspace's hooks are 404; a read token cannot write; a plan of another workspace is refused."""
from onboarding.models import WorkspaceMember
from tests.api.conftest import api_client
from tests.factories import PlanFactory, ProductFactory, UserFactory, WorkspaceFactory
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
