"""What a hook sends: the generic JSON event, or a WeCom / Feishu / DingTalk group-robot message.

Robot messages are written in the hook's language. Feishu and DingTalk sign with the robot's own
secret as their documentation describes: Feishu a ``timestamp`` and ``sign`` in the body
(base64 of HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing), DingTalk ``timestamp`` and
``sign`` query parameters (base64 of HMAC-SHA256 keyed with the secret over "timestamp\\nsecret",
URL-encoded), timestamps in seconds for Feishu and milliseconds for DingTalk.
"""
import base64
import hashlib
import hmac
import json
from urllib.parse import quote_plus

from django.utils import translation
from django.utils.translation import gettext as _

from schedule.models import Task
from schedule.selectors import Health

from .models import Event, Webhook


def signature(secret, timestamp, body):
    """X-Paasport-Signature: hex HMAC-SHA256 of "timestamp.body" with the hook's secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def feishu_sign(secret, timestamp):
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def dingtalk_sign(secret, timestamp_ms):
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def _status_label(value):
    return str(dict(Task.Status.choices).get(value, value))


def _health_label(value):
    return str(Health.label(value))


def message_lines(payload):
    """A title and the lines of text of an event, in the active language."""
    data, plan = payload["data"], payload["plan"]["name"]
    kind = payload["type"]
    if kind == Event.TASK_STATUS_CHANGED:
        return (_("%(plan)s: task status changed") % {"plan": plan},
                [_("%(task)s: %(old)s → %(new)s") % {"task": data["task"]["title"], "old": _status_label(data["from"]),
                                                      "new": _status_label(data["to"])}])
    if kind == Event.MILESTONE_REACHED:
        return (_("%(plan)s: milestone reached") % {"plan": plan},
                [_("%(task)s is done.") % {"task": data["task"]["title"]}])
    if kind == Event.TASK_RESCHEDULED:
        return (_("%(plan)s: tasks rescheduled") % {"plan": plan},
                [_("%(task)s: finish %(old)s → %(new)s") % {"task": task["title"], "old": task["finish_from"] or "—",
                                                             "new": task["finish_to"] or "—"}
                 for task in data["tasks"][:20]])
    if kind == Event.PLAN_LAUNCH_MOVED:
        return (_("%(plan)s: forecast launch moved") % {"plan": plan},
                [_("Forecast launch: %(old)s → %(new)s") % {"old": data["from"] or "—", "new": data["to"] or "—"}])
    return (_("%(plan)s: health changed") % {"plan": plan},
            [_("Health: %(old)s → %(new)s") % {"old": _health_label(data["from"]), "new": _health_label(data["to"])},
             *data.get("reasons", [])])


def request_for(hook, payload, *, now):
    """(url, body bytes) of the delivery of ``payload`` to ``hook`` at ``now`` (an aware datetime)."""
    if hook.format == Webhook.Format.JSON:
        return hook.url, json.dumps(payload, ensure_ascii=False).encode()
    with translation.override(hook.language):
        title, lines = message_lines(payload)
    url = hook.url
    if hook.format == Webhook.Format.WECOM:
        text = "\n".join([f"**{title}**", *[f"> {line}" for line in lines]])
        message = {"msgtype": "markdown", "markdown": {"content": text}}
    elif hook.format == Webhook.Format.FEISHU:
        timestamp = str(int(now.timestamp()))
        message = {"timestamp": timestamp, "sign": feishu_sign(hook.secret, timestamp),
                   "msg_type": "text", "content": {"text": "\n".join([title, *lines])}}
    else:
        timestamp_ms = str(int(now.timestamp() * 1000))
        separator = "&" if "?" in url else "?"
        url = f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(hook.secret, timestamp_ms)}"
        text = "\n\n".join([f"#### {title}", *[f"> {line}" for line in lines]])
        message = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return url, json.dumps(message, ensure_ascii=False).encode()


def robot_error(hook, body):
    """The robot's own error in a 200 answer (Feishu ``code``, WeCom/DingTalk ``errcode``), or ''."""
    if hook.format == Webhook.Format.JSON:
        return ""
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return ""
    if not isinstance(answer, dict):
        return ""
    code = answer.get("code", answer.get("errcode", answer.get("StatusCode", 0)))
    if code:
        return f"{code}: {answer.get('msg') or answer.get('errmsg') or ''}"[:300]
    return ""
