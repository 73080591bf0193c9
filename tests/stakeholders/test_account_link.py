"""A person can be linked to an account of the plan's workspace (their tasks then reach them)."""
from stakeholders.models import PlanStakeholder
from tests.factories import UserFactory, WorkspaceFactory

from .test_stakeholder_rows import HX, add_url, edit_data, new_person_data


def test_the_form_offers_the_workspace_accounts_by_name(pm_client, plan):
    UserFactory(username="wanglei", first_name="王磊")
    UserFactory(username="spy", first_name="Mallory", workspace=WorkspaceFactory(name="别的团队"))
    body = pm_client.get(add_url(plan), **HX).content.decode()
    assert "Paasport account" in body and "王磊 (wanglei)" in body
    assert "Mallory" not in body and "spy" not in body


def test_linking_an_account_is_saved(pm_client, plan):
    colleague = UserFactory(username="wanglei", first_name="王磊")
    response = pm_client.post(add_url(plan), new_person_data(user=str(colleague.pk)), **HX)
    assert response.status_code == 200
    assert PlanStakeholder.objects.get(plan=plan).stakeholder.user == colleague


def test_an_account_of_another_workspace_is_refused(pm_client, plan, partner_lead):
    spy = UserFactory(username="spy", workspace=WorkspaceFactory(name="别的团队"))
    response = pm_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/edit/",
                              edit_data(partner_lead, user=str(spy.pk)), **HX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    partner_lead.stakeholder.refresh_from_db()
    assert partner_lead.stakeholder.user is None


def test_the_service_refuses_an_outsider_too(plan):
    import pytest
    from django.core.exceptions import ValidationError

    from stakeholders.services import plan_stakeholder_save

    spy = UserFactory(username="spy", workspace=WorkspaceFactory(name="别的团队"))
    with pytest.raises(ValidationError) as error:
        plan_stakeholder_save(plan=plan, membership=PlanStakeholder(),
                              person_details={"name": "间谍", "user_id": spy.pk})
    assert "user" in error.value.message_dict
    assert not PlanStakeholder.objects.filter(plan=plan).exists()
