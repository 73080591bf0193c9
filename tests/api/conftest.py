"""Two workspaces for the API tests: ours (a plan with phases, tasks, a link, a stakeholder, a
baseline and a share link; an owner, an editor, a listed viewer, a manager, a read-only token)
and another team's PM with a plan of their own."""
import pytest
from django.test import Client

from api.tokens import token_create
from onboarding.models import WorkspaceMember
from schedule import services as schedule_services
from sharing.links import create_link
from tests.factories import (
    PhaseFactory,
    PlanFactory,
    PlanStakeholderFactory,
    ProductFactory,
    TaskFactory,
    TaskLinkFactory,
    UserFactory,
    WorkspaceFactory,
)

Role = WorkspaceMember.Role


def api_client(user=None, scope="write", token=None):
    """A client that sends ``Authorization: Bearer`` with a new token of ``user`` (or ``token``)."""
    if token is None and user is not None:
        _row, token = token_create(user=user, name="test", scope=scope)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(HTTP_ACCEPT_LANGUAGE="en", **headers)


@pytest.fixture
def api_world(db):
    team = WorkspaceFactory(name="安全产品接入组")
    owner = UserFactory(username="owner", workspace=team, role=Role.PM)
    editor = UserFactory(username="editor", workspace=team, role=Role.PM)
    viewer = UserFactory(username="viewer", workspace=team, role=Role.VIEWER)
    manager = UserFactory(username="manager", workspace=team, role=Role.MANAGER)
    plan = PlanFactory(name="MTP 接入", product=ProductFactory(workspace=team, name="MTP"), owner=owner)
    plan.editors.add(editor)
    plan.viewers.add(viewer)
    phase = PhaseFactory(plan=plan, name="联调")
    member = PlanStakeholderFactory(plan=plan, stakeholder__name="张伟")
    first = TaskFactory(plan=plan, phase=phase, title="接口文档", owner=member)
    second = TaskFactory(plan=plan, phase=phase, title="联调测试")
    TaskLinkFactory(predecessor=first, successor=second)
    schedule_services.plan_reschedule(plan=plan)
    baseline = schedule_services.baseline_create(plan=plan, name="初版").obj
    link, _token = create_link(plan, audience="partner", created_by=owner)

    other_team = WorkspaceFactory(name="数据安全组")
    stranger = UserFactory(username="stranger", workspace=other_team, role=Role.ADMIN)
    other_plan = PlanFactory(name="DSG 接入", product=ProductFactory(workspace=other_team, name="DSG"),
                             owner=stranger)
    other_task = TaskFactory(plan=other_plan, title="他组任务")
    for task in (first, second):
        task.refresh_from_db()
    return {
        "team": team, "owner": owner, "editor": editor, "viewer": viewer, "manager": manager, "plan": plan,
        "phase": phase, "member": member, "tasks": [first, second], "baseline": baseline, "link": link,
        "other_team": other_team, "stranger": stranger, "other_plan": other_plan, "other_task": other_task,
    }
