"""The Webhooks page: PMs and admins of the workspace add hooks (the secret shown once), see the
delivery log and redeliver; another workspace's hooks are 404; viewers and managers cannot manage."""
from django.utils import timezone

from onboarding.models import WorkspaceMember
from tests.factories import UserFactory, WebhookDeliveryFactory, WorkspaceFactory
from webhooks.models import Webhook

from .conftest import make_hook


def _login(client, user):
    client.force_login(user)
    return client


def test_a_pm_adds_a_hook_and_sees_its_secret_once(client, plan, pm):
    _login(client, pm)
    response = client.post("/settings/webhooks/", {
        "name": "Jira sync", "url": "https://jira.example.com/hook", "format": "json", "language": "en",
        "events": ["task.status_changed", "milestone.reached"], "active": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    hook = Webhook.objects.get()
    assert hook.workspace == plan.workspace and hook.created_by == pm
    assert hook.events == ["task.status_changed", "milestone.reached"]
    assert hook.secret.startswith("whsec_") and hook.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    page = client.get("/settings/webhooks/").content.decode()
    assert "Jira sync" in page and hook.secret not in page
    detail = client.get(f"/settings/webhooks/{hook.pk}/").content.decode()
    assert hook.secret not in detail and hook.secret_hint in detail


def test_bad_input_is_refused_with_the_reason(client, plan, pm):
    _login(client, pm)
    response = client.post("/settings/webhooks/", {"name": "x", "url": "not a url", "format": "json",
                                                   "language": "en", "events": []})
    assert response.status_code == 422
    assert "Enter a valid URL." in response.content.decode()
    assert not Webhook.objects.exists()


def test_a_robot_hook_keeps_the_pasted_secret(client, plan, pm):
    _login(client, pm)
    client.post("/settings/webhooks/", {"name": "群", "url": "https://open.feishu.cn/open-apis/bot/v2/hook/x",
                                        "format": "feishu", "language": "zh-hans", "new_secret": "robot-secret",
                                        "events": ["plan.health_changed"]})
    hook = Webhook.objects.get()
    assert hook.secret == "robot-secret"
    client.post(f"/settings/webhooks/{hook.pk}/", {"name": "群 2", "url": hook.url, "format": "feishu",
                                                  "language": "zh-hans", "events": ["plan.health_changed"]})
    hook.refresh_from_db()
    assert (hook.name, hook.secret) == ("群 2", "robot-secret")


def test_the_log_shows_deliveries_and_redeliver_sends_again(client, plan, pm, receiver, eager,
                                                            django_capture_on_commit_callbacks):
    hook = make_hook(plan, receiver.url)
    delivery = WebhookDeliveryFactory(
        webhook=hook, event_type="task.status_changed", payload={"id": "e1", "type": "task.status_changed"},
        status="failed", attempts=5, response_code=500, last_error="HTTP 500")
    _login(client, pm)
    page = client.get(f"/settings/webhooks/{hook.pk}/").content.decode()
    assert "HTTP 500" in page and "Redeliver" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/",
                               HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)
    assert len(receiver.requests) == 1


def test_another_workspace_cannot_see_or_change_hooks(client, plan, pm):
    hook = make_hook(plan, "https://partner.example.com/hook")
    delivery = WebhookDeliveryFactory(webhook=hook, event_type="task.status_changed",
                                              payload={"id": "e1"}, next_try_at=timezone.now())
    stranger = UserFactory(username="stranger", workspace=WorkspaceFactory(name="Other team"),
                           role=WorkspaceMember.Role.ADMIN)
    _login(client, stranger)
    assert "Partner" not in client.get("/settings/webhooks/").content.decode()
    for url in (f"/settings/webhooks/{hook.pk}/", f"/settings/webhooks/{hook.pk}/delete/",
                f"/settings/webhooks/{hook.pk}/deliveries/{delivery.pk}/redeliver/"):
        assert client.post(url, {"name": "mine", "url": "https://evil.example.com", "format": "json",
                                 "language": "en", "events": ["task.status_changed"]}).status_code == 404
    assert client.get(f"/settings/webhooks/{hook.pk}/").status_code == 404
    hook.refresh_from_db()
    assert hook.name == "Partner"


def test_a_manager_of_the_workspace_cannot_manage_hooks(client, plan, manager):
    hook = make_hook(plan, "https://partner.example.com/hook")
    _login(client, manager)
    assert client.get("/settings/webhooks/").status_code == 403
    assert client.get(f"/settings/webhooks/{hook.pk}/").status_code == 404


def test_deleting_a_hook(client, plan, pm):
    hook = make_hook(plan, "https://partner.example.com/hook")
    _login(client, pm)
    response = client.post(f"/settings/webhooks/{hook.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/settings/webhooks/"
    assert not Webhook.objects.exists()


def test_only_http_and_https_addresses(client, plan, pm):
    _login(client, pm)
    response = client.post("/settings/webhooks/", {"name": "x", "url": "ftp://files.example.com/hook",
                                                   "format": "json", "language": "en",
                                                   "events": ["task.status_changed"]})
    assert response.status_code == 422 and "Enter a valid URL." in response.content.decode()
    assert not Webhook.objects.exists()
