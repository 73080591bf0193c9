"""The nightly purge of plans deleted more than 30 days ago."""
import datetime

import pytest
from django.utils import timezone

from config.celery import app
from onboarding.models import Flow, Lane, Plan
from onboarding.tasks import purge_deleted_plans
from schedule.models import Task, WatchOut
from stakeholders.models import PlanStakeholder, Stakeholder
from tests.factories import PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, WatchOutFactory


def deleted(plan, days):
    plan.deleted_at = timezone.now() - datetime.timedelta(days=days)
    plan.save()
    return plan


@pytest.fixture
def full_plan(plan, flow):
    task = TaskFactory(duration=1, plan=plan, title="启动会")
    WatchOutFactory(task=task, text="订会议室")
    person = StakeholderFactory(name="李雷")
    PlanStakeholderFactory(plan=plan, stakeholder=person)
    return plan


def test_purges_only_plans_deleted_over_30_days_ago(full_plan, product, pm):
    recent = deleted(PlanFactory(name="刚删除", product=product, owner=pm,
                                         start_date=datetime.date(2026, 1, 5)), days=29)
    live = PlanFactory(name="还在用", product=product, owner=pm, start_date=datetime.date(2026, 1, 5))
    old = deleted(full_plan, days=31)
    flow_ids = list(old.flows.values_list("pk", flat=True))

    assert purge_deleted_plans.delay().get() == 1

    assert not Plan.objects.filter(pk=old.pk).exists()
    assert Plan.objects.filter(pk__in=[recent.pk, live.pk]).count() == 2
    assert not Task.objects.filter(plan_id=old.pk).exists()
    # Its history goes with it …
    assert not Plan.history.filter(id=old.pk).exists()
    assert not Task.history.filter(plan_id=old.pk).exists()
    assert not Lane.history.filter(flow_id__in=flow_ids).exists()
    assert not Flow.history.filter(plan_id=old.pk).exists()
    assert not WatchOut.history.exists()
    assert not PlanStakeholder.history.filter(plan_id=old.pk).exists()
    # … but people are shared between plans: they and their history stay.
    person = Stakeholder.objects.get(name="李雷")
    assert person.history.exists()
    assert Plan.history.filter(id=recent.pk).exists()


def test_nothing_to_purge(plan):
    assert purge_deleted_plans() == 0
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_beat_runs_it_every_night(db):
    entries = [entry for entry in app.conf.beat_schedule.values()
               if entry["task"] == "onboarding.tasks.purge_deleted_plans"]
    assert len(entries) == 1
    assert "onboarding.tasks.purge_deleted_plans" in app.tasks
