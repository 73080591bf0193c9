"""Redis unreachable: everything but the queued jobs keeps working, and they say why they cannot run.

The app is configured as config/settings.py configures it for a REDIS_URL where nothing listens
(tests/faults/conftest.py), so the cache, the rate limit and the Celery broker all point there.
"""
import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schedule.models import LevellingRun
from sharing.exchange import ical
from sharing.models import ShareLink
from tests.factories import PhaseFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shared_task(plan):
    phase = PhaseFactory(plan=plan, name="联调阶段")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="韩梅梅"))
    return TaskFactory(plan=plan, phase=phase, title="提供测试账号", duration=2, owner=owner,
                               visibility="shared", deadline=datetime.date(2026, 12, 1))


def test_login_works_and_a_wrong_password_is_still_refused(redis_down, client, pm):
    wrong = client.post("/accounts/login/", {"username": "pm", "password": "not-it"})
    assert wrong.status_code == 422 and "_auth_user_id" not in client.session
    right = client.post("/accounts/login/", {"username": "pm", "password": "pm-pass-123"})
    assert right.status_code == 302
    assert client.get(right["Location"], follow=True).status_code == 200


def test_gantt_page_and_checklist_are_shown(redis_down, pm_client, plan, shared_task):
    for _ in range(2):  # the second read is a cache miss again, not an error
        gantt = pm_client.get(f"/plans/{plan.pk}/gantt/")
        body = gantt.content.decode()
        assert gantt.status_code == 200 and ("提供测试账号" in body or json.dumps("提供测试账号")[1:-1] in body)
    assert "提供测试账号" in pm_client.get(f"/plans/{plan.pk}/checklist/").content.decode()


def test_a_task_edit_is_saved(redis_down, pm_client, plan, shared_task):
    data = {"title": "提供测试账号（第二版）", "description": "", "owner": "", "related_flow": "", "duration": "3",
            "start_no_earlier_than": "", "deadline": "", "status": "not_started", "percent_complete": "0",
            "actual_start": "", "actual_finish": "", "priority_override": "", "visibility": "shared",
            "phase": shared_task.phase_id, "version": shared_task.version}
    response = pm_client.post(f"/plans/{plan.pk}/tasks/{shared_task.pk}/edit/", data, **HX)
    assert response.status_code == 200 and "提供测试账号（第二版）" in response.content.decode()
    shared_task.refresh_from_db()
    assert shared_task.title == "提供测试账号（第二版）" and shared_task.duration == 3


def test_levelling_says_the_queue_is_unavailable_and_can_be_run_again(redis_down, pm_client, plan, shared_task):
    response = pm_client.post(f"/plans/{plan.pk}/levelling/start/", **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The job queue is unavailable, so levelling cannot run now." in body
    assert "Run again" in body and "disabled" not in body and 'hx-trigger="load delay:1s"' not in body
    assert LevellingRun.objects.get(plan=plan).state == LevellingRun.State.FAILED
    schedule = pm_client.get(f"/plans/{plan.pk}/schedule/").content.decode()
    assert "The job queue is unavailable" in schedule


def test_share_page_and_calendar_feed_answer_and_are_still_rate_limited(redis_down, client, plan, pm,
                                                                         shared_task, settings):
    _link, token = ShareLink.create(plan=plan, audience="partner")
    _feed, feed_token = ical.create_feed(plan, pm, audience="partner", language="en")
    settings.SHARE_RATE_LIMIT = 4
    # Counts live in one-minute windows: start at a window's start so the five requests (slow while
    # every cache call waits for the dead Redis) share one window.
    start = datetime.datetime.now(datetime.timezone.utc).replace(second=1, microsecond=0) + datetime.timedelta(minutes=1)
    with time_machine.travel(start, tick=True):
        page = client.get(f"/s/{token}/")
        assert page.status_code == 200 and "提供测试账号" in page.content.decode()
        feed = client.get(f"/ical/{feed_token}.ics")
        assert feed.status_code == 200 and "Deadline: 提供测试账号" in feed.content.decode()
        # counted in the web process meanwhile: guessing is still slowed down
        statuses = [client.get(f"/s/{token}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def _share_view(client, token):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/s/{token}/")
    assert response.status_code == 200 and "提供测试账号" in response.content.decode()
    return len(queries)


def test_pages_and_the_queue_come_back_when_redis_returns_without_a_restart(
        configure_redis, redis_server, client, pm, plan, shared_task):
    configure_redis(redis_server.url)
    _link, token = ShareLink.create(plan=plan, audience="partner")
    cold = _share_view(client, token)
    warm = _share_view(client, token)
    assert warm < cold  # served from Redis

    redis_server.stop()
    shared_task.title = "提供测试账号 v2"
    shared_task.save()  # the page-cache bump fails: the save does not
    assert _share_view(client, token) > warm and _share_view(client, token) > warm  # built every time

    client.force_login(pm)
    down = client.post(f"/plans/{plan.pk}/levelling/start/", **HX).content.decode()
    assert "The job queue is unavailable" in down

    redis_server.start()  # the same address: the app reconnects by itself
    client.logout()
    _share_view(client, token)
    assert _share_view(client, token) == warm
    client.force_login(pm)
    queued = client.post(f"/plans/{plan.pk}/levelling/start/", **HX).content.decode()
    assert "unavailable" not in queued and 'hx-trigger="load delay:1s"' in queued
    assert LevellingRun.objects.filter(plan=plan).latest("pk").state == LevellingRun.State.QUEUED
