"""Workspaces: each team's plans, products and people are its own; roles decide what a member does."""
import pytest

from collab.models import Comment
from interfaces.models import Interface, JointTest
from onboarding.access import can_create_plans, can_write_plan, plans_readable_by
from onboarding.models import Plan, Product, WorkspaceMember
from stakeholders.models import PlanStakeholder, Stakeholder
from stakeholders.services import plan_move
from tests.factories import (
    CommentFactory,
    InterfaceFactory,
    JointTestFactory,
    PlanFactory,
    PlanStakeholderFactory,
    ProductFactory,
    ScenarioFactory,
    StakeholderFactory,
    TaskFactory,
    UserFactory,
    WorkspaceFactory,
    WorkspaceMemberFactory,
)


@pytest.fixture
def teams(db):
    return WorkspaceFactory(name="安全产品接入组"), WorkspaceFactory(name="行业云接入组")


def test_roles_decide_what_a_member_reads_and_changes(teams):
    team, _other = teams
    owner = UserFactory(username="owner")
    plan = PlanFactory(owner=owner, product=ProductFactory(workspace=team))
    unlisted_pm = UserFactory(username="pm-b")
    manager = UserFactory(username="boss", role="manager")
    admin = UserFactory(username="lead", role="admin")
    viewer = UserFactory(username="seer", role="viewer")
    plan.editors.add(viewer)  # a viewer role stays read-only even when listed as an editor
    assert list(plans_readable_by(unlisted_pm)) == []  # a PM reads the plans they are on
    assert list(plans_readable_by(manager)) == [plan] and not can_write_plan(manager, plan)
    assert list(plans_readable_by(admin)) == [plan] and can_write_plan(admin, plan)
    assert list(plans_readable_by(viewer)) == [plan] and not can_write_plan(viewer, plan)
    assert can_create_plans(unlisted_pm, team) and not can_create_plans(manager, team)


def test_a_member_of_two_workspaces_switches_between_them(client, teams):
    team, other = teams
    user = UserFactory(username="both")
    WorkspaceMemberFactory(workspace=other, user=user, role="pm")
    PlanFactory(name="甲组计划", owner=user, product=ProductFactory(workspace=team, name="甲产品"))
    PlanFactory(name="乙组计划", owner=user, product=ProductFactory(workspace=other, name="乙产品"))
    client.force_login(user)
    body = client.get("/plans/").content.decode()
    assert 'name="workspace"' in body and "行业云接入组" in body
    assert "甲组计划" in body and "乙组计划" not in body  # the first by name is current
    response = client.post("/workspaces/switch/", {"workspace": other.pk, "next": "/products/"})
    assert response.status_code == 302 and response["Location"] == "/products/"
    products = client.get("/products/").content.decode()
    assert "乙产品" in products and "甲产品" not in products
    assert client.post("/workspaces/switch/", {"workspace": 999999}).status_code == 404


def test_new_objects_go_into_the_current_workspace(client, teams):
    _team, other = teams
    user = UserFactory(username="pm-other", workspace=other)
    client.force_login(user)
    assert client.post("/products/new/", {"name": "短信服务 SMS", "vendor_kind": "internal"}).status_code == 302
    assert Product.objects.get(name="短信服务 SMS").workspace == other


def test_staff_move_a_plan_with_its_product_scenario_and_people(client, teams):
    team, other = teams
    owner = UserFactory(username="owner")
    product = ProductFactory(workspace=team, name="DSGC")
    scenario = ScenarioFactory(workspace=team, name="金融")
    plan = PlanFactory(owner=owner, product=product, scenario=scenario)
    keeper = PlanFactory(product=product, owner=owner)  # the old team keeps a plan on the same product
    only_here = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(workspace=team, name="只在这里"))
    shared = StakeholderFactory(workspace=team, name="两边都有")
    PlanStakeholderFactory(plan=plan, stakeholder=shared)
    PlanStakeholderFactory(plan=keeper, stakeholder=shared)
    staff = UserFactory(username="ops", is_staff=True, role="admin")
    WorkspaceMemberFactory(workspace=other, user=staff, role="admin")
    client.force_login(staff)
    assert client.get(f"/plans/{plan.pk}/edit/").content.decode().count(f"/plans/{plan.pk}/move/") == 1
    response = client.post(f"/plans/{plan.pk}/move/", {"workspace": other.pk}, follow=True)
    assert "moved from “安全产品接入组” to “行业云接入组”" in response.content.decode()
    plan.refresh_from_db()
    assert plan.workspace == other and plan.product.workspace == other and plan.product != product  # copied
    assert Product.objects.get(pk=product.pk).workspace == team  # the old team keeps its product
    assert plan.scenario == scenario and Plan.objects.get(pk=plan.pk).scenario.workspace == other  # moved
    people = {m.stakeholder.name: m.stakeholder for m in PlanStakeholder.objects.filter(plan=plan)}
    assert people["只在这里"].pk == only_here.stakeholder_id and people["只在这里"].workspace == other
    assert people["两边都有"].pk != shared.pk and people["两边都有"].workspace == other
    assert Stakeholder.objects.get(pk=shared.pk).workspace == team
    assert WorkspaceMember.objects.filter(workspace=other, user=owner, role="pm").exists()
    assert plan_move(plan=plan, workspace=other) == []  # already there: nothing to do


def test_a_pm_cannot_move_plans(client, teams):
    owner = UserFactory(username="owner")
    plan = PlanFactory(owner=owner)
    client.force_login(owner)
    assert client.get(f"/plans/{plan.pk}/move/").status_code == 403
    assert f"/plans/{plan.pk}/move/" not in client.get(f"/plans/{plan.pk}/edit/").content.decode()


def _moved_by_staff(client, plan, workspace):
    staff = UserFactory(username="ops", is_staff=True, role="admin")
    WorkspaceMemberFactory(workspace=workspace, user=staff, role="admin")
    client.force_login(staff)
    response = client.post(f"/plans/{plan.pk}/move/", {"workspace": workspace.pk}, follow=True)
    plan.refresh_from_db()
    return staff, response.content.decode()


def test_a_moved_plan_takes_its_comments_files_and_the_products_interfaces(client, teams):
    team, other = teams
    owner = UserFactory(username="owner")
    plan = PlanFactory(owner=owner, product=ProductFactory(workspace=team, name="MTP"))
    tester = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(workspace=team, name="测试负责人"))
    outsider = StakeholderFactory(workspace=team, name="旧组的人")  # on no plan of this product
    callback = InterfaceFactory(product=plan.product, platform_owner=tester.stakeholder, partner_owner=outsider)
    test = JointTestFactory(interface=callback, status="passed")
    comment = CommentFactory(workspace=team, plan=plan, author=owner, body="接口已对齐")
    _staff, body = _moved_by_staff(client, plan, other)
    assert "1 interface came along with its joint tests" in body and "Its comments (1) and files (0) came along" in body
    callback.refresh_from_db()
    assert plan.product.pk == callback.product_id and callback.workspace == other
    assert callback.platform_owner == tester.stakeholder and callback.partner_owner is None
    assert JointTest.objects.get(pk=test.pk).workspace == other
    assert Comment.objects.get(pk=comment.pk).workspace == other
    # The new team's PM reads the inventory; nobody of the old team is named there.
    new_pm = UserFactory(username="new-pm", workspace=other)
    plan.editors.add(new_pm)
    client.force_login(new_pm)
    page = client.get(f"/products/{plan.product.pk}/interfaces/").content.decode()
    assert callback.path in page and "测试负责人" in page and "旧组的人" not in page


def test_a_moved_plan_on_a_product_the_old_team_keeps_gets_a_copy_of_its_interfaces(client, teams):
    team, other = teams
    owner = UserFactory(username="owner")
    product = ProductFactory(workspace=team, name="DSGC")
    plan = PlanFactory(owner=owner, product=product)
    PlanFactory(owner=owner, product=product)  # the old team keeps a plan on the same product
    debug_task = TaskFactory(plan=plan, title="联调测试")
    callback = InterfaceFactory(product=product)
    callback.tasks.add(debug_task)
    JointTestFactory(interface=callback, status="failed")
    _moved_by_staff(client, plan, other)
    assert plan.product.pk != product.pk
    copy = Interface.objects.get(product=plan.product)
    assert (copy.workspace, copy.path, list(copy.tasks.all())) == (other, callback.path, [debug_task])
    assert copy.joint_tests.get().status == "failed" and copy.joint_tests.get().workspace == other
    callback.refresh_from_db()
    # The old team's interface no longer rolls its joint tests into the other team's plan.
    assert callback.workspace == team and list(callback.tasks.all()) == []
