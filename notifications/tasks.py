"""Celery tasks run by beat (config/celery.py): each sends one kind of email for one day."""
import datetime

from celery import shared_task

from . import services


def _day(for_date):
    if for_date is None or isinstance(for_date, datetime.date):
        return for_date
    return datetime.date.fromisoformat(for_date)


@shared_task
def send_daily_reminders(for_date=None):
    """for_date: an ISO date (YYYY-MM-DD) to send that day's reminders; default today."""
    return services.send_daily_reminders(_day(for_date)).as_dict()


@shared_task
def send_weekly_digests(for_date=None):
    """for_date: an ISO date (YYYY-MM-DD) to send that day's digests; default today."""
    return services.send_weekly_digests(_day(for_date)).as_dict()


@shared_task
def send_notification_email(payload):
    """One inbox item by email (notifications/services.py notification_create queues it)."""
    return services.notification_email_send(payload)
