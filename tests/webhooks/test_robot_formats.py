"""WeCom, Feishu and DingTalk robot messages: their JSON shape, their signing, the hook's language."""
import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

from webhooks.services import delivery_attempt

from .conftest import make_hook
from tests.factories import WebhookDeliveryFactory

EVENT = {"id": "5a7c", "type": "task.status_changed", "timestamp": "2026-12-05T03:00:00+00:00",
         "workspace": {"id": 1}, "plan": {"id": 7, "name": "MTP 接入"},
         "data": {"task": {"id": 3, "title": "签合同"}, "from": "not_started", "to": "done"}}


def _deliver(hook, receiver, payload=EVENT):
    delivery = WebhookDeliveryFactory(webhook=hook, event_type=payload["type"], payload=payload,
                                              next_try_at=timezone.now())
    return delivery_attempt(delivery_id=delivery.pk)


def test_wecom_markdown_in_chinese(plan, receiver):
    hook = make_hook(plan, receiver.url + "?key=abc", format="wecom", language="zh-hans")
    receiver.body = b'{"errcode":0,"errmsg":"ok"}'
    assert _deliver(hook, receiver).status == "succeeded"
    message = receiver.json()
    assert message["msgtype"] == "markdown"
    assert "MTP 接入" in message["markdown"]["content"]
    assert "签合同：未开始 → 已完成" in message["markdown"]["content"]
    assert receiver.requests[0]["path"] == "/hook?key=abc"


def test_feishu_text_signed_with_the_robot_secret(plan, receiver):
    hook = make_hook(plan, receiver.url, format="feishu", language="en", secret="feishu-robot-secret")
    receiver.body = b'{"code":0,"msg":"success"}'
    assert _deliver(hook, receiver).status == "succeeded"
    message = receiver.json()
    assert message["msg_type"] == "text"
    assert message["content"]["text"].splitlines() == ["MTP 接入: task status changed", "签合同: Not started → Done"]
    key = f"{message['timestamp']}\nfeishu-robot-secret".encode()
    assert message["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def test_feishu_refusing_the_signature_is_a_failed_try(plan, receiver):
    hook = make_hook(plan, receiver.url, format="feishu", secret="wrong")
    receiver.body = json.dumps({"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}).encode()
    delivery = _deliver(hook, receiver)
    assert delivery.status == "pending" and delivery.response_code == 200
    assert delivery.last_error.startswith("19021: sign match fail")


def test_dingtalk_markdown_with_timestamp_and_sign_in_the_url(plan, receiver):
    hook = make_hook(plan, receiver.url + "?access_token=t0k", format="dingtalk", language="en",
                     secret="SECdingtalk")
    receiver.body = b'{"errcode":0,"errmsg":"ok"}'
    assert _deliver(hook, receiver).status == "succeeded"
    message = receiver.json()
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["title"] == "MTP 接入: task status changed"
    assert "签合同: Not started → Done" in message["markdown"]["text"]
    query = parse_qs(urlsplit(receiver.requests[0]["path"]).query)
    assert query["access_token"] == ["t0k"]
    timestamp = query["timestamp"][0]
    digest = hmac.new(b"SECdingtalk", f"{timestamp}\nSECdingtalk".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(digest).decode()  # parse_qs undid the URL-encoding
    raw_sign = receiver.requests[0]["path"].split("sign=")[1]
    assert "/" not in raw_sign and "+" not in raw_sign and "=" not in raw_sign  # URL-encoded


def test_health_change_reasons_in_the_hook_language(plan, receiver):
    hook = make_hook(plan, receiver.url, format="wecom", language="zh-hans")
    payload = {**EVENT, "type": "plan.health_changed",
               "data": {"from": "on_track", "to": "late", "reasons": ["“签合同”已逾期 2 个工作日。"]}}
    _deliver(hook, receiver, payload)
    content = receiver.json()["markdown"]["content"]
    assert "健康度：正常 → 已延期" in content
    assert "“签合同”已逾期 2 个工作日。" in content
