"""Restoring a plan stakeholder (their part in the plan and the person's details) from the history."""
import pytest

from stakeholders.models import PlanStakeholder
from tests.factories import PlanStakeholderFactory, TaskFactory

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


def edit(client, plan, member, **changes):
    member.refresh_from_db()
    response = client.post(f"/plans/{plan.pk}/stakeholders/{member.pk}/edit/", edit_data(member, **changes), **HX)
    assert response.status_code == 200, response.content.decode()[:400]
    member.refresh_from_db()


def restore_url(plan, record):
    return f"/plans/{plan.pk}/history/planstakeholder/{record.history_id}/restore/"


@pytest.fixture
def edited(pm_client, plan, flow, partner_lead):
    """Two edits through the page: the first is the version to go back to."""
    edit(pm_client, plan, partner_lead, concerns="版本一", role="商务经理")
    version_one = partner_lead.history.first()
    other_step = flow.steps.get(text="进入对局")
    edit(pm_client, plan, partner_lead, concerns="版本二", role="商务总监", relevance="1",
         steps=[str(other_step.pk)])
    return version_one


def test_restore_brings_back_the_plan_part_the_steps_and_the_person(pm_client, plan, flow, partner_lead, edited):
    page = pm_client.get(f"/plans/{plan.pk}/history/?type=planstakeholder").content.decode()
    assert restore_url(plan, edited) in page

    response = pm_client.post(restore_url(plan, edited), follow=True)
    assert "Stakeholder “李雷” restored." in response.content.decode()
    partner_lead.refresh_from_db()
    assert partner_lead.concerns == "版本一" and partner_lead.relevance == 5
    assert partner_lead.stakeholder.role == "商务经理"
    assert [s.text for s in partner_lead.steps.all()] == ["校验设备"]
    latest = partner_lead.history.first()
    assert latest.concerns == "版本一" and latest.history_user.username == "pm"
    assert latest.version == partner_lead.version


def test_deleted_steps_are_left_out_and_the_message_says_so(pm_client, plan, flow, partner_lead, edited):
    flow.steps.get(text="校验设备").delete()
    response = pm_client.post(restore_url(plan, edited), follow=True)
    body = response.content.decode()
    assert "restored" in body and "1 flow step it was involved in no longer exists" in body
    partner_lead.refresh_from_db()
    assert partner_lead.concerns == "版本一" and partner_lead.steps.count() == 0


def test_a_removed_stakeholder_can_be_restored(pm_client, plan, partner_lead):
    member_id = partner_lead.pk
    response = pm_client.post(f"/plans/{plan.pk}/stakeholders/{member_id}/delete/",
                              {"version": partner_lead.version}, **HX)
    assert response.status_code == 200 and not PlanStakeholder.objects.filter(pk=member_id).exists()
    deletion = PlanStakeholder.history.filter(id=member_id, history_type="-").get()
    response = pm_client.post(restore_url(plan, deletion), follow=True)
    assert "restored" in response.content.decode()
    member = PlanStakeholder.objects.get(pk=member_id)
    assert member.concerns == "上架时间\n首月 GMV" and member.stakeholder.name == "李雷"


def test_restoring_over_a_person_back_in_the_plan_is_refused(pm_client, plan, partner_lead):
    member_id, person = partner_lead.pk, partner_lead.stakeholder
    partner_lead.delete()
    PlanStakeholderFactory(plan=plan, stakeholder=person)
    deletion = PlanStakeholder.history.filter(id=member_id, history_type="-").get()
    response = pm_client.post(restore_url(plan, deletion), follow=True)
    assert "This person is in the plan again" in response.content.decode()
    assert PlanStakeholder.objects.filter(plan=plan).count() == 1


def test_removing_a_stakeholder_says_which_tasks_lose_their_owner_and_restoring_gives_them_back(
        pm_client, plan, partner_lead):
    from schedule.models import Task

    owned = [TaskFactory(duration=1, plan=plan, title=title, owner=partner_lead, position=i)
             for i, title in enumerate(["提供测试账号", "签署合同"])]
    page = pm_client.get(f"/plans/{plan.pk}/stakeholders/").content.decode()
    assert ("Remove “李雷” from this plan? The person stays in Paasport. 2 tasks lose their owner "
            "(提供测试账号、签署合同); restoring the stakeholder from History gives them back.") in page
    response = pm_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/delete/",
                              {"version": partner_lead.version}, **HX)
    assert response.status_code == 200
    assert [Task.objects.get(pk=task.pk).owner_id for task in owned] == [None, None]
    history = pm_client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert "<del>李雷" in history  # each task's owner change is in the history
    deletion = PlanStakeholder.history.filter(id=partner_lead.pk, history_type="-").get()
    body = pm_client.post(restore_url(plan, deletion), follow=True).content.decode()
    assert "2 tasks they owned have them as their owner again." in body
    assert [Task.objects.get(pk=task.pk).owner_id for task in owned] == [partner_lead.pk, partner_lead.pk]
