import datetime

import pytest

from onboarding.models import Plan
from schedule.models import Task
from stakeholders.models import PlanStakeholder
from tests.factories import PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, UserFactory

# A Wednesday just before China's National Day week (2026-10-01 … 10-07 off, 10-10 a make-up Saturday).
WEDNESDAY = datetime.date(2026, 9, 30)


def member(plan, name, *, user=None, audience=PlanStakeholder.Audience.TEAM, email=""):
    person = StakeholderFactory(name=name, user=user, email=email)
    return PlanStakeholderFactory(plan=plan, stakeholder=person, audience=audience)


def task(plan, title, owner=None, **fields):
    fields.setdefault("duration", 1)
    fields.setdefault("position", Task.objects.filter(plan=plan).count())
    return TaskFactory(plan=plan, title=title, owner=owner, **fields)


@pytest.fixture
def lei(db):
    return UserFactory(username="lei", email="lei@example.com", first_name="Lei", password="lei-pass-123")


@pytest.fixture
def lei_owner(plan, lei):
    return member(plan, "李雷", user=lei)


@pytest.fixture
def draft_plan(pm, product, scenario):
    return PlanFactory(name="草稿计划", product=product, scenario=scenario, owner=pm,
                               start_date=datetime.date(2026, 9, 1), status=Plan.Status.DRAFT)
