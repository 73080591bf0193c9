"""Celery tasks of webhooks: thin wrappers of webhooks/services.py."""
from celery import shared_task

from . import services


@shared_task
def deliver_webhook(delivery_id):
    """Send one delivery; when it fails it waits for its next try, which the sweep sends."""
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None


@shared_task
def sweep_webhook_deliveries():
    """Every minute (config/celery.py): the due retries and the deliveries never queued."""
    return services.deliveries_sweep()
