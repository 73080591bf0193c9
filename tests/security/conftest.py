"""A plan with one object of every kind, the people around it, and a second team's plan.

`build_world(text)` fills every user text field with text(field) so the same builder serves the
authorization matrix (marker words) and the XSS corpus (payloads).
"""
import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from onboarding.models import Lane, Plan, Scenario
from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Task
from sharing.models import CalendarFeed, ShareLink
from tests.security.live import Browser
from tests.factories import (  # noqa: F401 - PASSWORD is re-exported for the tests of this folder
    AttachmentFactory,
    CommentFactory,
    ExportJobFactory,
    FlowFactory,
    InterfaceFactory,
    InterfaceRequirementFactory,
    InterfaceSpecFactory,
    JointTestFactory,
    LaneFactory,
    LevellingRunFactory,
    MetricFactory,
    PASSWORD,
    PhaseFactory,
    PlanFactory,
    PlanStakeholderFactory,
    ProductFactory,
    ScenarioFactory,
    StakeholderFactory,
    StepFactory,
    TaskFactory,
    TaskLinkFactory,
    UserFactory,
    WatchOutFactory,
    WebhookDeliveryFactory,
    WebhookFactory,
    WorkspaceFactory,
)

OTHER_TEAM = "其他团队 Other team"
PERSON_EMAIL = "marker-person@example.com"


def _user(username, **extra):
    return UserFactory(username=username, **extra)


def _fitting(text):
    """Clip each value to its column's max_length: PostgreSQL enforces it, SQLite does not."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    models = {model._meta.model_name: model for model in apps.get_models()}

    def fitted(field):
        value = text(field)
        model_name, name = field.split(".", 1)
        try:
            max_length = models[model_name]._meta.get_field(name).max_length
        except (KeyError, FieldDoesNotExist):  # a key that names no column, e.g. one chain role
            max_length = None
        return value[:max_length] if max_length else value

    return fitted


def build_world(text=lambda field: f"MARKER-{field}"):
    text = _fitting(text)
    users = {
        "owner": _user("owner", first_name=text("user.first_name")),
        "editor": _user("editor"),
        "viewer": _user("viewer"),
        # A PM of another workspace: sees nothing of this team's, not even a name.
        "other": _user("otherpm", workspace=WorkspaceFactory(name=OTHER_TEAM)),
        "manager": _user("boss", role="manager"),
        "staff": _user("staffer", is_staff=True, role="admin"),
    }
    product = ProductFactory(name=text("product.name"), vendor_name=text("product.vendor_name"),
                                     category=text("product.category"), description=text("product.description"),
                                     official_url="https://example.com/product")
    scenario = ScenarioFactory(name=text("scenario.name"), kind=Scenario.Kind.TO_C,
                                       business_model=text("scenario.business_model"),
                                       channel_chain=[text("scenario.channel"), "B"],
                                       pain_points=text("scenario.pain_points"), contact=text("scenario.contact"))
    plan = PlanFactory(name=text("plan.name"), product=product, scenario=scenario, owner=users["owner"],
                               start_date=datetime.date(2026, 9, 1), status=Plan.Status.ACTIVE,
                               summary=text("plan.summary"))
    plan.editors.add(users["editor"])
    plan.viewers.add(users["viewer"])
    flow = FlowFactory(plan=plan, name=text("flow.name"), need=text("flow.need"),
                               features=text("flow.features"))
    lane = LaneFactory(flow=flow, name=text("lane.name"), position=0)
    system = LaneFactory(flow=flow, name="System lane", position=1, kind=Lane.Kind.SYSTEM)
    step = StepFactory(flow=flow, lane=lane, text=text("step.text"), position=0)
    StepFactory(flow=flow, lane=system, text="second step", position=1)
    metric = MetricFactory(flow=flow, name=text("metric.name"), target=text("metric.target"),
                                   unit=text("metric.unit"))
    person = StakeholderFactory(name=text("stakeholder.name"), organisation=text("stakeholder.organisation"),
                                        department=text("stakeholder.department"), role=text("stakeholder.role"),
                                        side="partner", phone=text("stakeholder.phone"), email=PERSON_EMAIL)
    member = PlanStakeholderFactory(plan=plan, stakeholder=person, audience="partner",
                                            concerns=text("planstakeholder.concerns"),
                                            modules=text("planstakeholder.modules"),
                                            internal_notes=text("planstakeholder.internal_notes"))
    member.steps.add(step)
    phase = PhaseFactory(plan=plan, name=text("phase.name"))
    task = TaskFactory(plan=plan, phase=phase, title=text("task.title"), description=text("task.description"),
                               duration=3, owner=member, related_flow=flow, visibility="shared")
    second = TaskFactory(plan=plan, phase=phase, title="Second task", duration=2, visibility="shared",
                                 owner=member, position=1)
    milestone = TaskFactory(plan=plan, phase=phase, title="Launch", duration=0, is_milestone=True,
                                    visibility="shared", position=2)
    tasklink = TaskLinkFactory(predecessor=task, successor=second)
    TaskLinkFactory(predecessor=second, successor=milestone)
    watchout = WatchOutFactory(task=task, text=text("watchout.text"))
    scheduling.recompute(plan)
    baseline = schedule_services.baseline_create(plan=plan, name=text("baseline.name"), user=users["owner"]).obj
    run = LevellingRunFactory(plan=plan, requested_by=users["owner"])
    link, token = ShareLink.create(plan=plan, audience="partner", label=text("sharelink.label"),
                                   created_by=users["owner"])
    management_link, management_token = ShareLink.create(plan=plan, audience="management", label="mgmt")
    feed, feed_token = CalendarFeed.create(plan=plan, created_by=users["owner"])
    job = ExportJobFactory(plan=plan, requested_by=users["owner"])
    webhook = WebhookFactory(workspace=plan.workspace, name=text("webhook.name"), secret="s",
                                     url="https://marker.example.com/hook", events=["task.status_changed"])
    delivery = WebhookDeliveryFactory(webhook=webhook, event_type="task.status_changed",
                                              payload={"id": "e", "plan": {"name": text("delivery.plan")}})
    # The interface inventory of the product (interfaces app): a row, a document read but not applied, a requirement.
    interface = InterfaceFactory(workspace=product.workspace, product=product, method="POST", path="/v1/x",
                                         summary=text("interface.summary"), notes=text("interface.notes"),
                                         partner_owner=person)
    pending_spec = InterfaceSpecFactory(workspace=product.workspace, product=product,
                                                title=text("interfacespec.title"), document={
                                                    "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                                                    "paths": {}})
    requirement = InterfaceRequirementFactory(workspace=product.workspace, scenario_kind="toC",
                                                      name=text("interfacerequirement.name"), method="GET",
                                                      path="/sso/login")
    comment = CommentFactory(workspace=plan.workspace, plan=plan, task=task, author=users["owner"],
                                     body=text("comment.body"), shared_with_partner=True)
    # The file itself is written by the fixtures that set MEDIA_ROOT (an attachment is only a row here).
    attachment = AttachmentFactory(workspace=plan.workspace, plan=plan, task=task, name=text("attachment.name"),
                                           file="attachments/world.pdf", size=10, content_type="application/pdf",
                                           uploaded_by=users["owner"])
    # The other team: a plan of their own, on another product.
    other_product = ProductFactory(name="Other product", workspace=WorkspaceFactory(name=OTHER_TEAM))
    other_plan = PlanFactory(name="Other team plan", product=other_product, owner=users["other"],
                                     start_date=datetime.date(2026, 9, 1))
    other_flow = FlowFactory(plan=other_plan, name="Other flow")
    other_lane = LaneFactory(flow=other_flow, name="Other lane")
    other_phase = PhaseFactory(plan=other_plan, name="Other phase")
    other_task = TaskFactory(plan=other_plan, phase=other_phase, title="Other task", duration=1)
    other_member = PlanStakeholderFactory(
        plan=other_plan, stakeholder=StakeholderFactory(name="Other person", workspace=other_plan.workspace))
    # Issue 17: the interface has a joint test and is linked to the plan's first task.
    interface.tasks.add(task)
    JointTestFactory(workspace=product.workspace, interface=interface, environment="sandbox",
                             status="passed", note=text("jointtest.note"), request_id=text("jointtest.request_id"))
    ids = {
        "plans": plan.pk, "products": product.pk, "scenarios": scenario.pk, "flows": flow.pk, "lanes": lane.pk,
        "steps": step.pk, "metrics": metric.pk, "stakeholders": member.pk, "phases": phase.pk, "tasks": task.pk,
        "watchouts": watchout.pk, "tasklinks": tasklink.pk, "baselines": baseline.pk, "levelling": run.pk,
        "share": link.pk, "feeds": feed.pk, "exports": job.pk, "webhooks": webhook.pk, "deliveries": delivery.pk,
        "interfaces": interface.pk, "imports": pending_spec.pk, "interface-requirements": requirement.pk,
        "comments": comment.pk, "attachments": attachment.pk,
    }
    other_ids = {
        "plans": other_plan.pk, "products": other_product.pk, "flows": other_flow.pk, "lanes": other_lane.pk,
        "phases": other_phase.pk, "tasks": other_task.pk, "stakeholders": other_member.pk,
    }
    return {
        "users": users, "plan": plan, "product": product, "scenario": scenario, "flow": flow, "lane": lane,
        "step": step, "metric": metric, "person": person, "member": member, "phase": phase, "task": task,
        "watchout": watchout, "tasklink": tasklink, "comment": comment, "attachment": attachment, "baseline": baseline, "run": run, "link": link, "job": job,
        "feed": feed, "tokens": {"share": token, "management": management_token, "feed": feed_token},
        "ids": ids, "other_plan": other_plan, "other_ids": other_ids, "history_id":
            Task.history.filter(id=task.pk).order_by("history_id").first().history_id,
    }


def value_for(world, ids=None):
    """A function giving each URL parameter a real value of the world's plan (see tests/security/urls.fill)."""
    ids = ids or world["ids"]

    def value(name, converter, before):
        if name == "token":
            return world["tokens"]["feed" if before == "ical" else "share"]
        if name == "direction":
            return "up"
        if name == "kind":
            return "gantt" if before == "charts" else "task"
        if name == "fmt":
            return "svg"
        if name == "history_id":
            return world["history_id"]
        if name == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            return ContentType.objects.get_for_model(Plan).pk
        if name == "app_label":
            return "schedule"
        if name == "url":
            return "anything/"
        if name == "object_id":
            return world["task"].pk
        if name == "year":
            return 2027
        if name == "environment":
            return "sandbox"
        return ids.get(before, ids["plans"])

    return value


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.SHARE_RATE_LIMIT = 0
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def team(live_server):
    """A plan of one workspace, its owner and three editors (all members), each with a browser."""
    people = {name: UserFactory(username=name, first_name=first, last_name="Tester")
              for name, first in [("owner", "Olga"), ("anna", "Anna"), ("bo", "Bo"), ("chen", "Chen")]}
    plan = PlanFactory(name="竞态计划", owner=people["owner"], status=Plan.Status.ACTIVE,
                       start_date=datetime.date(2027, 3, 1))
    plan.editors.add(*[user for name, user in people.items() if name != "owner"])
    browsers = {}
    for name in people:
        browsers[name] = Browser(live_server.url, follow=False)
        status, _body = browsers[name].log_in(name, PASSWORD)
        assert status == 302, f"{name} could not log in"
    return SimpleNamespace(plan=plan, people=people, browsers=browsers, url=live_server.url)
