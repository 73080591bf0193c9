"""Writes of webhooks and their deliveries, and the delivery itself.

A delivery is recorded first, then queued to Celery (webhooks/tasks.py) once the write that
caused it has committed. When the queue is down the delivery stays pending and the periodic
sweep (``deliveries_sweep``, every minute from beat) sends it. A delivery that fails (no answer
within WEBHOOK_TIMEOUT_S, a non-2xx answer, or a robot's own error code) is tried again after
1 min, 5 min, 30 min and 2 h, then marked failed; Redeliver on the page starts it again. A
receiver inside the server's network (webhooks/addresses.py) or a paused hook fails at once.
"""
import logging
import secrets
import time
import http.client
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from . import addresses, formats
from .models import WebhookDelivery

logger = logging.getLogger(__name__)
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
LEASE = timedelta(minutes=2)  # a delivery being sent is not picked up again meanwhile
SWEEP_BATCH = 100
PAUSED = gettext_noop("The webhook is paused.")  # shown translated in the delivery log


def new_secret():
    return "whsec_" + secrets.token_urlsafe(24)


def webhook_save(*, webhook, secret=""):
    """Create or change a hook; a new one without a secret gets a generated one."""
    if secret:
        webhook.secret = secret
    elif not webhook.secret:
        webhook.secret = new_secret()
    webhook.full_clean()
    webhook.save()
    return webhook


def webhook_delete(*, webhook):
    webhook.delete()


def delivery_create(*, webhook, event_type, payload):
    return WebhookDelivery.objects.create(webhook=webhook, event_type=event_type, payload=payload,
                                          event_id=payload["id"], next_try_at=timezone.now())


def delivery_enqueue(*, delivery):
    """Queue the delivery; with the queue down it stays pending for the sweep (never an error)."""
    from .tasks import deliver_webhook  # tasks.py imports this module

    try:
        deliver_webhook.delay(delivery.pk)
    except Exception as error:  # noqa: BLE001 - broker down: the sweep sends it later
        logger.warning("webhook delivery %s not queued (the sweep will send it): %s", delivery.pk, error)
        return False
    return True


def delivery_redeliver(*, delivery):
    """Send a delivery again now, with a fresh round of retries."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, attempts=0, next_try_at=timezone.now(), last_error="")
    transaction.on_commit(lambda: delivery_enqueue(delivery=delivery))
    delivery.refresh_from_db()
    return delivery


def _post(url, body, headers):
    """(status code, answer body, error text, refused) of one POST, within WEBHOOK_TIMEOUT_S, to the
    address checked by webhooks/addresses.py (refused: it may not be reached, so no retry)."""
    try:
        connection, path = addresses.pinned_connection(url, settings.WEBHOOK_TIMEOUT_S)
    except addresses.Refused as error:
        return None, b"", str(error), True
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        content = answer.read(65536)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, b"", str(error)[:300] or type(error).__name__, False
    finally:
        connection.close()
    if not 200 <= answer.status < 300:
        return answer.status, b"", f"HTTP {answer.status}", False
    return answer.status, content, "", False


def delivery_attempt(*, delivery_id, now=None):
    """Send one pending delivery if it is due at ``now``; the delivery afterwards, or None if not due."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_try_at__lte=now,
    ).update(next_try_at=now + LEASE, last_try_at=now)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    hook = delivery.webhook
    url, body = formats.request_for(hook, delivery.payload, now=now)
    timestamp = str(int(now.timestamp()))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Paasport-Webhooks/1",
               "X-Paasport-Event": delivery.event_type, "X-Paasport-Delivery": str(delivery.event_id),
               "X-Paasport-Timestamp": timestamp,
               "X-Paasport-Signature": formats.signature(hook.secret, timestamp, body)}
    code, answer, error, refused = _post(url, body, headers) if hook.active else (None, b"", PAUSED, True)
    if code is not None and 200 <= code < 300:
        error = formats.robot_error(hook, answer)
    delivery.attempts += 1
    delivery.response_code = code
    delivery.last_error = error
    if not error:
        delivery.status, delivery.next_try_at = WebhookDelivery.Status.SUCCEEDED, None
    elif delivery.attempts > len(BACKOFF) or refused:
        delivery.status, delivery.next_try_at = WebhookDelivery.Status.FAILED, None
    else:
        delivery.next_try_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(update_fields=["attempts", "response_code", "last_error", "status", "next_try_at"])
    return delivery


def deliveries_sweep(*, now=None):
    """Send the pending deliveries that are due (queued while the broker was down, or retries),
    after deleting the finished ones older than WEBHOOK_LOG_DAYS."""
    now = now or timezone.now()
    WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.PENDING).filter(
        created_at__lt=now - timedelta(days=settings.WEBHOOK_LOG_DAYS)).delete()
    due = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_try_at__lte=now)
               .order_by("next_try_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    started = time.monotonic()
    sent = 0
    for pk in due:
        if delivery_attempt(delivery_id=pk, now=now) is not None:
            sent += 1
        if time.monotonic() - started > 50:
            break  # the next sweep goes on
    return sent
