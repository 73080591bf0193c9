"""Test data: one factory per model a plan is made of (factory_boy).

Each builds a valid object with the least a test has to say; a test names only what it is about,
e.g. ``TaskFactory(plan=plan, duration=3, is_milestone=False)``.
"""
import datetime

import factory
from django.contrib.auth.models import Group, User

from onboarding.access import MANAGERS_GROUP
from onboarding.models import Flow, Lane, Metric, Plan, Product, Scenario, Step
from schedule.models import Phase, Task, TaskLink, WatchOut
from stakeholders.models import PlanStakeholder, Stakeholder

PASSWORD = "secret-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class ManagerFactory(UserFactory):
    @factory.post_generation
    def managers_group(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's hook signature
        if create:
            obj.groups.add(Group.objects.get_or_create(name=MANAGERS_GROUP)[0])


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"产品 {n}")
    vendor_name = "腾讯云"


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    name = factory.Sequence(lambda n: f"业务线 {n}")
    kind = Scenario.Kind.TO_B


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"接入计划 {n}")
    product = factory.SubFactory(ProductFactory)
    owner = factory.SubFactory(UserFactory)
    start_date = datetime.date(2026, 9, 1)
    status = Plan.Status.ACTIVE


class FlowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flow

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"流程 {n}")


class LaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lane

    flow = factory.SubFactory(FlowFactory)
    name = factory.Sequence(lambda n: f"泳道 {n}")
    position = factory.Sequence(int)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    lane = factory.SubFactory(LaneFactory)
    flow = factory.SelfAttribute("lane.flow")
    text = factory.Sequence(lambda n: f"步骤 {n}")
    position = factory.Sequence(int)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    flow = factory.SubFactory(FlowFactory)
    name = factory.Sequence(lambda n: f"指标 {n}")


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    name = factory.Sequence(lambda n: f"联系人 {n}")
    side = Stakeholder.Side.PLATFORM


class PlanStakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStakeholder

    plan = factory.SubFactory(PlanFactory)
    stakeholder = factory.SubFactory(StakeholderFactory)
    position = factory.Sequence(int)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"阶段 {n}")
    position = factory.Sequence(int)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"任务 {n}")
    duration = 2
    position = factory.Sequence(int)


class MilestoneFactory(TaskFactory):
    title = factory.Sequence(lambda n: f"里程碑 {n}")
    duration = 0
    is_milestone = True


class TaskLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskLink

    predecessor = factory.SubFactory(TaskFactory)
    successor = factory.SubFactory(TaskFactory, plan=factory.SelfAttribute("..predecessor.plan"))


class WatchOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchOut

    task = factory.SubFactory(TaskFactory)
    text = factory.Sequence(lambda n: f"注意事项 {n}")
    position = factory.Sequence(int)
