import pytest
from django.core.exceptions import ValidationError

from stakeholders.models import PlanStakeholder, Stakeholder
from stakeholders.services import plan_stakeholder_save
from tests.factories import PlanStakeholderFactory

PERSON = {"name": "王芳", "organisation": "MTP 厂商", "department": "", "side": "partner", "role": "CTO",
          "email": "wf@example.com", "phone": ""}


def test_new_person_and_membership_are_created_together(plan, flow):
    step = flow.steps.first()
    member = plan_stakeholder_save(plan=plan, membership=PlanStakeholder(relevance=4, influence=5),
                                   person_details=PERSON, steps=[step]).obj
    assert member.plan == plan and member.stakeholder.name == "王芳"
    assert list(member.steps.all()) == [step]


def test_existing_person_joins_a_second_plan(plan, other_plan, partner_lead):
    person = partner_lead.stakeholder
    member = plan_stakeholder_save(plan=other_plan, membership=PlanStakeholder(), person=person).obj
    assert member.stakeholder == person
    assert Stakeholder.objects.count() == 1


def test_editing_updates_the_shared_person(plan, other_plan, partner_lead):
    PlanStakeholderFactory(plan=other_plan, stakeholder=partner_lead.stakeholder)
    plan_stakeholder_save(plan=plan, membership=partner_lead, version=partner_lead.version,
                          person_details={**PERSON, "name": "李雷 (VP)"},
                          person_version=partner_lead.stakeholder.version)
    assert PlanStakeholder.objects.get(plan=other_plan).stakeholder.name == "李雷 (VP)"
    partner_lead.refresh_from_db()
    assert partner_lead.version == 2 and partner_lead.stakeholder.version == 2


def test_same_person_twice_is_refused_and_nothing_saved(plan, partner_lead):
    with pytest.raises(ValidationError) as error:
        plan_stakeholder_save(plan=plan, membership=PlanStakeholder(), person=partner_lead.stakeholder)
    assert "existing" in error.value.message_dict
    assert PlanStakeholder.objects.filter(plan=plan).count() == 1


def test_step_of_another_plan_rolls_back_the_new_person(plan, foreign_step):
    with pytest.raises(ValidationError) as error:
        plan_stakeholder_save(plan=plan, membership=PlanStakeholder(), person_details=PERSON, steps=[foreign_step])
    assert "steps" in error.value.message_dict
    assert not Stakeholder.objects.filter(name="王芳").exists()


def test_score_outside_range_is_refused(plan):
    with pytest.raises(ValidationError) as error:
        plan_stakeholder_save(plan=plan, membership=PlanStakeholder(relevance=6), person_details=PERSON)
    assert "relevance" in error.value.message_dict
    assert not Stakeholder.objects.exists()


def test_new_person_needs_a_name(plan):
    with pytest.raises(ValidationError) as error:
        plan_stakeholder_save(plan=plan, membership=PlanStakeholder(), person_details={**PERSON, "name": "  "})
    assert "name" in error.value.message_dict
