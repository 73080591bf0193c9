"""Test data: one factory per model a plan is made of (factory_boy).

Each builds a valid object with the least a test has to say; a test names only what it is about,
e.g. ``TaskFactory(plan=plan, duration=3, is_milestone=False)``.
"""
import datetime

import factory
from django.contrib.auth.models import User

from onboarding.models import (
    Flow,
    Lane,
    Metric,
    Plan,
    Product,
    Scenario,
    Step,
    Workspace,
    WorkspaceMember,
)
from schedule.models import Phase, Task, TaskLink, WatchOut
from stakeholders.models import PlanStakeholder, Stakeholder

PASSWORD = "secret-pass-123"
TEAM = "安全产品接入组"  # the workspace every factory uses unless told otherwise


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace
        django_get_or_create = ("name",)

    name = TEAM


class UserFactory(factory.django.DjangoModelFactory):
    """A user who is a member of ``workspace`` (the team by default) with ``role`` ("pm" by default;
    None: a member of no workspace)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        workspace = factory.SubFactory(WorkspaceFactory)
        role = WorkspaceMember.Role.PM

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    membership = factory.Maybe(
        "role",
        yes_declaration=factory.RelatedFactory(
            "tests.factories.WorkspaceMemberFactory", factory_related_name="user",
            workspace=factory.SelfAttribute("..workspace"), role=factory.SelfAttribute("..role")),
        no_declaration=None,
    )


class ManagerFactory(UserFactory):
    class Params:
        role = WorkspaceMember.Role.MANAGER


class WorkspaceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkspaceMember
        django_get_or_create = ("workspace", "user")

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory, role=None)
    role = WorkspaceMember.Role.PM


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"产品 {n}")


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"业务线 {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"接入计划 {n}")
    product = factory.SubFactory(ProductFactory)
    workspace = factory.SelfAttribute("product.workspace")
    owner = factory.SubFactory(UserFactory)
    start_date = datetime.date(2026, 9, 1)


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

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"联系人 {n}")


class PlanStakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStakeholder

    plan = factory.SubFactory(PlanFactory)
    stakeholder = factory.SubFactory(StakeholderFactory, workspace=factory.SelfAttribute("..plan.workspace"))
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


# ----------------------------------------------------------------------------- interfaces (issue 17)
class InterfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interfaces.Interface"

    product = factory.SubFactory(ProductFactory)
    workspace = factory.SelfAttribute("product.workspace")
    method = "POST"
    path = factory.Sequence(lambda n: f"/v1/instances/{n}/callback")
    summary = factory.Sequence(lambda n: f"实例回调 {n}")
    direction = "partner"
    position = factory.Sequence(int)


class JointTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interfaces.JointTest"

    interface = factory.SubFactory(InterfaceFactory)
    workspace = factory.SelfAttribute("interface.workspace")
    environment = "sandbox"
    status = "not_started"


class InterfaceSpecFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interfaces.InterfaceSpec"

    product = factory.SubFactory(ProductFactory)
    workspace = factory.SelfAttribute("product.workspace")


class InterfaceRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interfaces.InterfaceRequirement"

    workspace = factory.SubFactory(WorkspaceFactory)
    scenario_kind = "toB"
    name = factory.Sequence(lambda n: f"平台要求 {n}")
    method = "POST"
    path = factory.Sequence(lambda n: f"/v1/required/{n}")


# ----------------------------------------------------------------------------- collaboration
class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "collab.Comment"

    plan = factory.SubFactory(PlanFactory)
    workspace = factory.SelfAttribute("plan.workspace")
    author = factory.SelfAttribute("plan.owner")
    body = factory.Sequence(lambda n: f"评论 {n}")


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.NotificationPreference"

    user = factory.SubFactory(UserFactory)


# ----------------------------------------------------------------------------- templates and holidays
class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schedule.Template"

    slug = factory.Sequence(lambda n: f"team-template-{n}")
    name = factory.Sequence(lambda n: f"团队清单 {n}")


class TemplateTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schedule.TemplateTask"

    template = factory.SubFactory(TemplateFactory)
    key = factory.Sequence(lambda n: f"task-{n}")
    phase = "接口文档"
    title = factory.Sequence(lambda n: f"模板任务 {n}")
    position = factory.Sequence(int)


class TemplateLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schedule.TemplateLink"

    predecessor = factory.SubFactory(TemplateTaskFactory)
    successor = factory.SubFactory(TemplateTaskFactory, template=factory.SelfAttribute("..predecessor.template"))
    template = factory.SelfAttribute("predecessor.template")


class OfficialHolidayYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schedule.OfficialHolidayYear"


# ----------------------------------------------------------------------------- jobs
class LevellingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schedule.LevellingRun"

    plan = factory.SubFactory(PlanFactory)
    requested_by = factory.SelfAttribute("plan.owner")


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sharing.ExportJob"

    plan = factory.SubFactory(PlanFactory)
    requested_by = factory.SelfAttribute("plan.owner")


# ----------------------------------------------------------------------------- webhooks
class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "webhooks.Webhook"

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"群机器人 {n}")
    url = "https://hooks.example.com/paasport"


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "webhooks.WebhookDelivery"

    webhook = factory.SubFactory(WebhookFactory)
    event_type = "task.status_changed"


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A file row as the upload service leaves it (tests that need the bytes upload through the view)."""

    class Meta:
        model = "collab.Attachment"

    plan = factory.SubFactory(PlanFactory)
    workspace = factory.SelfAttribute("plan.workspace")
    file = "attachments/test.pdf"
    name = "test.pdf"
    content_type = "application/pdf"


class BaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "schedule.Baseline"

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"基线 {n}")


class PortfolioReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portfolio.PortfolioReport"

    requested_by = factory.SubFactory(UserFactory)
