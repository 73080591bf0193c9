"""A plan from a template is staffed in the same form: its owner (another PM of the workspace; the
creator stays on as an editor), people of the workspace as stakeholders, and the owner of every task.
People of another workspace are refused and nothing is made."""
import pytest

from onboarding.models import Plan
from stakeholders.models import PlanStakeholder, Stakeholder
from tests.factories import StakeholderFactory, UserFactory, WorkspaceFactory
from tests.schedule.test_plan_from_template import form_data, template  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("shipped_templates")


def test_owner_stakeholders_and_task_owner_in_one_form(pm_client, pm, template, product, scenario):  # noqa: F811
    other_pm = UserFactory(username="lina")
    lead = StakeholderFactory(workspace=product.workspace, name="李工", side=Stakeholder.Side.PLATFORM)
    contact = StakeholderFactory(workspace=product.workspace, name="王经理", side=Stakeholder.Side.PARTNER)
    tester = StakeholderFactory(workspace=product.workspace, name="赵测")
    response = pm_client.post("/plans/new/from-template/", form_data(
        template, product, scenario, owner=other_pm.pk, stakeholders=[lead.pk, contact.pk], task_owner=tester.pk))
    assert response.status_code == 302
    plan = Plan.objects.get(name="MTP 二期")
    assert plan.owner == other_pm and list(plan.editors.all()) == [pm]
    members = {m.stakeholder.name: m for m in PlanStakeholder.objects.filter(plan=plan).select_related("stakeholder")}
    assert set(members) == {"李工", "王经理", "赵测"}
    assert members["王经理"].audience == PlanStakeholder.Audience.PARTNER
    assert members["李工"].audience == PlanStakeholder.Audience.TEAM
    assert {task.owner_id for task in plan.tasks.all()} == {members["赵测"].pk}
    assert all(task.early_start for task in plan.tasks.all())  # scheduled as it was made


def test_the_form_offers_the_creator_as_owner_and_the_workspace_people(pm_client, pm, template, product):  # noqa: F811
    StakeholderFactory(workspace=product.workspace, name="李工")
    StakeholderFactory(workspace=WorkspaceFactory(name="别的团队"), name="外人")
    body = pm_client.get("/plans/new/from-template/").content.decode()
    assert "李工" in body and "外人" not in body
    assert f'<option value="{pm.pk}" selected>' in body
    assert 'name="stakeholders"' in body and 'name="task_owner"' in body


@pytest.mark.parametrize("field", ["stakeholders", "task_owner"])
def test_people_of_another_workspace_are_refused(pm_client, template, product, scenario, field):  # noqa: F811
    stranger = StakeholderFactory(workspace=WorkspaceFactory(name="别的团队"), name="外人")
    response = pm_client.post("/plans/new/from-template/", form_data(
        template, product, scenario, **{field: [stranger.pk] if field == "stakeholders" else stranger.pk}),
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.content.decode()
    assert "外人" not in body and ("Choose people of this workspace." in body
                                  or "Choose a person of this workspace." in body)
    assert not Plan.objects.filter(name="MTP 二期").exists()


def test_an_owner_who_is_not_a_pm_of_the_workspace_is_refused(pm_client, template, product, scenario):  # noqa: F811
    viewer = UserFactory(username="guest", role="viewer")
    response = pm_client.post("/plans/new/from-template/", form_data(template, product, scenario, owner=viewer.pk),
                              HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "Choose a PM or an administrator of this workspace." in response.content.decode()
    assert not Plan.objects.filter(name="MTP 二期").exists()


def test_a_template_name_starts_the_form_with_it(pm_client, template):  # noqa: F811
    body = pm_client.get("/plans/new/from-template/").content.decode()
    assert f'href="?template={template.pk}"' in body
    chosen = pm_client.get(f"/plans/new/from-template/?template={template.pk}").content.decode()
    assert f'<option value="{template.pk}" selected>' in chosen
