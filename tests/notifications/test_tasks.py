"""The Celery side: tasks callable by beat, the beat schedule itself, and one run on a real worker."""
import datetime
import time

import pytest
from celery.schedules import crontab
from kombu import pools

from config.celery import app
from notifications import tasks
from notifications.models import NotificationLog
from stakeholders.models import PlanStakeholder
from tests.factories import UserFactory

from .conftest import WEDNESDAY, member, task


def test_beat_sends_reminders_every_morning_and_digests_on_monday_beijing_time():
    schedule = app.conf.beat_schedule
    daily = schedule["notifications-daily-reminders"]
    weekly = schedule["notifications-weekly-digests"]
    assert daily["task"] == tasks.send_daily_reminders.name
    assert weekly["task"] == tasks.send_weekly_digests.name
    assert daily["schedule"] == crontab(hour=8, minute=30)
    assert weekly["schedule"] == crontab(hour=9, minute=0, day_of_week="mon")
    assert str(app.timezone) == "Asia/Shanghai"


def test_tasks_take_an_iso_date_or_nothing(plan, lei_owner, mailoutbox, monkeypatch):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    result = tasks.send_daily_reminders.delay("2026-09-30").get()  # eager in the embedded default
    assert result == {"sent": 1, "already_sent": 0, "opted_out": 0, "no_address": 0, "failed": 0}
    assert len(mailoutbox) == 1

    # Without a date the task works for today (here: a Saturday, a day off for the plan).
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2026, 10, 3))
    assert tasks.send_daily_reminders()["sent"] == 0
    assert tasks.send_weekly_digests("2026-10-05") == {"sent": 0, "already_sent": 0, "opted_out": 0,
                                                       "no_address": 0, "failed": 0}


@pytest.fixture
def fresh_broker_pools():
    """Requested before real_worker, so it runs around it: kombu keeps the connection pool that
    a worker's teardown closed in a global registry, and the next real_worker test would get
    that closed pool back ("Acquire on closed pool"), whichever test ran first."""
    pools.reset()
    yield
    pools.reset()


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.3)
    return condition()


def test_daily_reminders_run_on_a_real_worker(fresh_broker_pools, real_worker, plan, lei_owner, lei, django_user_model):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    director = UserFactory(username="director", email="director@example.com")
    member(plan, "王总", user=director, audience=PlanStakeholder.Audience.MANAGEMENT)

    # The worker process sends through the console backend, so the proof is the log row it writes.
    tasks.send_daily_reminders.delay(WEDNESDAY.isoformat())
    assert _wait_for(lambda: NotificationLog.objects.exists()), "the worker sent no reminder"
    log = NotificationLog.objects.get()
    assert (log.user, log.kind, log.for_date) == (lei, NotificationLog.Kind.DAILY_REMINDER, WEDNESDAY)
    # No language preference: the worker writes in the site's default language, Simplified Chinese.
    assert log.subject == "[Paasport] 1 项任务已逾期或即将到期"

    # The same day again, then a digest: the solo worker runs them in order, so once the
    # digest is logged the repeated reminder run is over, and it sent nothing new.
    tasks.send_daily_reminders.delay(WEDNESDAY.isoformat())
    tasks.send_weekly_digests.delay(WEDNESDAY.isoformat())
    assert _wait_for(lambda: NotificationLog.objects.filter(kind=NotificationLog.Kind.WEEKLY_DIGEST).exists())
    assert NotificationLog.objects.filter(kind=NotificationLog.Kind.DAILY_REMINDER).count() == 1
    assert NotificationLog.objects.get(kind=NotificationLog.Kind.WEEKLY_DIGEST).user == director
