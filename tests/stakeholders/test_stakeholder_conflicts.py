"""Two people editing the same stakeholder: the first save wins, the second sees the first's change."""
import re

import pytest
from django.test import Client

from stakeholders.models import PlanStakeholder
from tests.factories import UserFactory

HX = {"HTTP_HX_REQUEST": "true"}


def edit_data(member, **overrides):
    person = member.stakeholder
    data = {
        "name": person.name, "organisation": person.organisation, "department": person.department,
        "side": person.side, "role": person.role, "email": person.email, "phone": person.phone,
        "concerns": member.concerns, "modules": member.modules, "relevance": str(member.relevance),
        "influence": str(member.influence), "audience": member.audience, "capacity": str(member.capacity),
        "internal_notes": member.internal_notes,
        "steps": [str(pk) for pk in member.steps.values_list("pk", flat=True)],
        "version": str(member.version), "person_version": str(person.version),
    }
    data.update(overrides)
    return data


def hidden_version(body):
    return int(re.search(r'name="version" value="(\d+)"', body).group(1))


@pytest.fixture
def editor_client(plan):
    user = UserFactory(username="anna", password="anna-pass-123", first_name="Anna", last_name="Li")
    plan.editors.add(user)
    client = Client()
    client.force_login(user)
    return client


def url(plan, member):
    return f"/plans/{plan.pk}/stakeholders/{member.pk}/edit/"


def test_edit_form_carries_the_version(pm_client, plan, partner_lead):
    body = pm_client.get(url(plan, partner_lead), **HX).content.decode()
    assert hidden_version(body) == partner_lead.version


def test_second_save_from_the_same_version_is_refused_with_the_first_change_shown(
        pm_client, editor_client, plan, partner_lead, ops_engineer):
    started = partner_lead.version
    first = editor_client.post(url(plan, partner_lead),
                               edit_data(partner_lead, relevance="2", role="商务总监"), **HX)
    assert first.status_code == 200
    second = pm_client.post(url(plan, partner_lead),
                            edit_data(partner_lead, concerns="我的新关注点", version=str(started)), **HX)
    assert second.status_code == 422
    body = second.content.decode()
    assert "Someone else changed this stakeholder" in body and "Anna Li" in body
    assert "Relevance" in body and ">5<" in body and ">2<" in body  # the plan part they changed
    assert "Position / role" in body and "商务负责人" in body and "商务总监" in body  # and the person
    assert "我的新关注点" in body  # the user's own input is kept
    assert hidden_version(body) == started + 1

    partner_lead.refresh_from_db()
    assert partner_lead.relevance == 2 and partner_lead.concerns == "上架时间\n首月 GMV"
    assert partner_lead.stakeholder.role == "商务总监"
    assert PlanStakeholder.objects.get(pk=ops_engineer.pk).version == ops_engineer.version

    again = pm_client.post(url(plan, partner_lead),
                           edit_data(partner_lead, concerns="我的新关注点", version=str(hidden_version(body))), **HX)
    assert again.status_code == 200
    partner_lead.refresh_from_db()
    assert partner_lead.concerns == "我的新关注点" and partner_lead.relevance == 2


def test_a_save_losing_the_race_after_validation_changes_nothing(pm_client, plan, partner_lead, monkeypatch):
    import stakeholders.services
    from onboarding.versioning import claim

    def someone_else_first(instance, expected):
        PlanStakeholder.objects.filter(pk=instance.pk).update(version=expected + 1)
        return claim(instance, expected)

    monkeypatch.setattr(stakeholders.services, "claim", someone_else_first)
    response = pm_client.post(url(plan, partner_lead), edit_data(partner_lead, concerns="不会保存"), **HX)
    assert response.status_code == 422
    assert "Someone else changed this stakeholder" in response.content.decode()
    partner_lead.refresh_from_db()
    assert partner_lead.concerns == "上架时间\n首月 GMV"


def test_one_edit_is_one_history_entry_even_when_steps_change(pm_client, plan, flow, partner_lead):
    before = partner_lead.history.count()
    step = flow.steps.get(text="启动游戏")
    response = pm_client.post(url(plan, partner_lead), edit_data(partner_lead, steps=[str(step.pk)],
                                                                 concerns="只关心上线"), **HX)
    assert response.status_code == 200
    assert partner_lead.history.count() == before + 1
    latest = partner_lead.history.first()
    assert latest.concerns == "只关心上线" and list(latest.steps.values_list("step_id", flat=True)) == [step.pk]
    assert latest.history_user.username == "pm" and latest.version == partner_lead.version + 1
