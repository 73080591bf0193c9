"""A webhook never reaches into the server's own network: URLs of loopback, private, link-local
(the cloud metadata service), multicast or reserved addresses are refused at save (page and API,
the reason on the URL field), and at delivery a name that resolves to such an address is not
sent to, the log saying why. WEBHOOK_ALLOW_PRIVATE_HOSTS (off by default) allows loopback and
private receivers, as the tests with a receiver on 127.0.0.1 use."""
import pytest
from django.utils import timezone

from tests.api.conftest import api_client
from webhooks.models import Webhook
from webhooks.services import delivery_attempt

from .conftest import make_hook
from tests.factories import WebhookDeliveryFactory

INSIDE = ["http://127.0.0.1:8000/hook", "http://10.1.2.3/hook", "https://192.168.0.10/", "http://172.16.5.4/",
          "http://169.254.169.254/latest/meta-data/", "http://[::1]:9000/", "http://[fd00::1]/",
          "http://[::ffff:10.0.0.1]/", "http://2130706433/", "http://0x7f.1/", "http://0.0.0.0:80/",
          "http://224.0.0.1/", "http://100.64.0.1/", "http://localhost:8000/", "http://api.localhost/"]
MESSAGE = "This address is inside the server's network"


@pytest.mark.parametrize("url", INSIDE)
def test_the_api_refuses_an_address_inside_the_network(plan, pm, url):
    response = api_client(pm).post("/api/v1/webhooks/", {
        "workspace": plan.workspace_id, "name": "内部", "url": url, "events": ["task.status_changed"]},
        content_type="application/json")
    assert response.status_code == 400, response.content
    assert MESSAGE in response.json()["url"][0]
    assert not Webhook.objects.exists()


def test_the_api_refuses_other_schemes_and_a_change_to_an_inside_address(plan, pm):
    client = api_client(pm)
    refused = client.post("/api/v1/webhooks/", {"workspace": plan.workspace_id, "name": "ftp",
                                                "url": "ftp://partner.example.com/hook", "events": []},
                          content_type="application/json")
    assert refused.status_code == 400 and "url" in refused.json()
    hook = make_hook(plan, "https://partner.example.com/hook")
    changed = client.patch(f"/api/v1/webhooks/{hook.pk}/", {"url": "http://169.254.169.254/"},
                           content_type="application/json")
    assert changed.status_code == 400 and MESSAGE in changed.json()["url"][0]
    hook.refresh_from_db()
    assert hook.url == "https://partner.example.com/hook"


def test_the_page_shows_the_reason_on_the_url_field(client, plan, pm):
    client.force_login(pm)
    response = client.post("/settings/webhooks/", {"name": "内部", "url": "http://10.0.0.8/hook", "format": "json",
                                                   "language": "en", "events": ["task.status_changed"]})
    assert response.status_code == 422
    assert "This address is inside the server&#x27;s network" in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_setting_allows_private_receivers_but_never_the_metadata_service(plan, pm, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    client = api_client(pm)
    body = {"workspace": plan.workspace_id, "name": "本机", "events": ["task.status_changed"]}
    assert client.post("/api/v1/webhooks/", {**body, "url": "http://127.0.0.1:9000/"},
                       content_type="application/json").status_code == 201
    metadata = client.post("/api/v1/webhooks/", {**body, "url": "http://169.254.169.254/"},
                           content_type="application/json")
    assert metadata.status_code == 400 and MESSAGE in metadata.json()["url"][0]


def test_a_name_resolving_inside_the_network_is_not_sent_to(plan, receiver, settings):
    """Saved while allowed (or while its name pointed elsewhere): at delivery the name is resolved
    again, and 127.0.0.1 is refused with the setting off. Nothing reaches the receiver."""
    hook = make_hook(plan, receiver.url.replace("127.0.0.1", "localhost"))
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    delivery = WebhookDeliveryFactory(webhook=hook, event_type="task.status_changed",
                                              next_try_at=timezone.now(), payload={"id": "x"})
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert receiver.requests == []
    assert (delivery.status, delivery.response_code, delivery.next_try_at) == ("failed", None, None)
    assert "inside the server's network" in delivery.last_error

    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the same delivery, allowed: it arrives
    delivery.status, delivery.next_try_at = "pending", timezone.now()
    delivery.save()
    assert delivery_attempt(delivery_id=delivery.pk).status == "succeeded"
    assert receiver.requests[0]["headers"]["Host"] == receiver.url.split("/")[2].replace("127.0.0.1", "localhost")


def test_the_log_page_says_why_in_the_users_language(client, plan, pm):
    hook = make_hook(plan, "https://partner.example.com/hook")
    from webhooks.addresses import REFUSED

    WebhookDeliveryFactory(webhook=hook, event_type="task.status_changed", status="failed",
                                   payload={"id": "x"}, attempts=1, last_error=REFUSED)
    client.force_login(pm)
    page = client.get(f"/settings/webhooks/{hook.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Not sent" not in page and "未发送" in page
