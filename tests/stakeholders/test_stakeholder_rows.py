import json

from stakeholders.models import PlanStakeholder, Stakeholder
from tests.factories import PlanStakeholderFactory, StakeholderFactory

HX = {"HTTP_HX_REQUEST": "true"}


def new_person_data(**overrides):
    data = {
        "existing": "", "name": "王芳", "organisation": "MTP 厂商", "department": "研发", "side": "partner",
        "role": "技术负责人", "email": "wangfang@example.com", "phone": "13800000000",
        "concerns": "SDK 接入成本", "modules": "SDK", "relevance": "4", "influence": "3",
        "audience": "partner", "capacity": "2", "internal_notes": "",
    }
    data.update(overrides)
    return data


def edit_data(member, **overrides):
    person = member.stakeholder
    data = {
        "name": person.name, "organisation": person.organisation, "department": person.department,
        "side": person.side, "role": person.role, "email": person.email, "phone": person.phone,
        "concerns": member.concerns, "modules": member.modules, "relevance": str(member.relevance),
        "influence": str(member.influence), "audience": member.audience, "capacity": str(member.capacity),
        "internal_notes": member.internal_notes,
        "steps": [str(pk) for pk in member.steps.values_list("pk", flat=True)], "version": str(member.version),
        "person_version": str(person.version),
    }
    data.update(overrides)
    return data


def add_url(plan):
    return f"/plans/{plan.pk}/stakeholders/add/"


def test_add_form_offers_people_not_yet_in_plan_and_only_own_steps(pm_client, plan, flow, partner_lead,
                                                                   other_plan, foreign_step):
    outsider = StakeholderFactory(name="张三", organisation="渠道商")
    response = pm_client.get(add_url(plan), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'value="{outsider.pk}"' in body and "张三" in body
    assert f'<option value="{partner_lead.stakeholder.pk}">{partner_lead.stakeholder}' not in body
    assert "登录防护 · 启动游戏" in body and "扫描数据库" not in body


def test_add_new_person(pm_client, plan, flow):
    step = flow.steps.get(text="启动游戏")
    response = pm_client.post(add_url(plan), new_person_data(steps=[step.pk]), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "王芳" in body
    assert response["HX-Retarget"] == f"#stakeholder-list-{plan.pk}"
    assert "plan-changed" in json.loads(response["HX-Trigger"])
    member = PlanStakeholder.objects.get(plan=plan)
    assert member.stakeholder.email == "wangfang@example.com"
    assert member.stakeholder.side == Stakeholder.Side.PARTNER
    assert (member.relevance, member.influence, member.capacity) == (4, 3, 2)
    assert list(member.steps.all()) == [step]


def test_add_existing_person_goes_last(pm_client, plan, partner_lead, other_plan):
    person = StakeholderFactory(name="张三", organisation="渠道商")
    PlanStakeholderFactory(plan=other_plan, stakeholder=person)
    data = new_person_data(existing=person.pk, name="", organisation="", department="", role="", email="",
                           phone="")
    response = pm_client.post(add_url(plan), data, **HX)
    assert response.status_code == 200
    member = PlanStakeholder.objects.get(plan=plan, stakeholder=person)
    assert member.position == partner_lead.position + 1
    assert Stakeholder.objects.filter(name="张三").count() == 1


def test_existing_person_and_typed_details_together_are_refused(pm_client, plan):
    person = StakeholderFactory(name="张三")
    response = pm_client.post(add_url(plan), new_person_data(existing=person.pk), **HX)
    assert response.status_code == 422
    assert "You chose an existing person" in response.content.decode()
    assert not PlanStakeholder.objects.exists()


def test_missing_name_is_refused(pm_client, plan):
    response = pm_client.post(add_url(plan), new_person_data(name=""), **HX)
    assert response.status_code == 422
    assert "Type the new person&#x27;s name" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_bad_email_is_refused(pm_client, plan):
    response = pm_client.post(add_url(plan), new_person_data(email="not-an-email"), **HX)
    assert response.status_code == 422
    assert 'id="id_email_errors"' in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_invalid_score_is_refused_with_message_and_nothing_saved(pm_client, plan, partner_lead):
    response = pm_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/edit/",
                              edit_data(partner_lead, influence="7", name="改名"), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Scores go from 1 to 5." in body and 'id="id_influence_errors"' in body
    partner_lead.refresh_from_db()
    assert partner_lead.influence == 5 and partner_lead.stakeholder.name == "李雷"


def test_invalid_score_on_add_saves_no_person(pm_client, plan):
    response = pm_client.post(add_url(plan), new_person_data(relevance="0"), **HX)
    assert response.status_code == 422
    assert "Scores go from 1 to 5." in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_step_of_another_plan_is_refused(pm_client, plan, flow, foreign_step):
    response = pm_client.post(add_url(plan), new_person_data(steps=[foreign_step.pk]), **HX)
    assert response.status_code == 422
    assert "Only steps of this plan" in response.content.decode()
    assert not PlanStakeholder.objects.exists() and not Stakeholder.objects.exists()


def test_same_person_twice_is_refused(pm_client, plan, partner_lead):
    data = new_person_data(existing=partner_lead.stakeholder.pk, name="", organisation="", department="",
                           role="", email="", phone="")
    response = pm_client.post(add_url(plan), data, **HX)
    assert response.status_code == 422
    assert "already a stakeholder of this plan" in response.content.decode()
    assert PlanStakeholder.objects.filter(plan=plan).count() == 1


def test_same_name_and_organisation_twice_is_refused(pm_client, plan, partner_lead):
    data = new_person_data(name="李雷", organisation="MTP 厂商", department="商务")
    response = pm_client.post(add_url(plan), data, **HX)
    assert response.status_code == 422
    assert "already in this plan" in response.content.decode()
    assert Stakeholder.objects.count() == 1


def test_edit_scores_updates_row_and_quadrant(pm_client, plan, ops_engineer):
    edit_url = f"/plans/{plan.pk}/stakeholders/{ops_engineer.pk}/edit/"
    form = pm_client.get(edit_url, **HX).content.decode()
    assert 'value="韩梅梅"' in form and "shared by every plan" in form
    response = pm_client.post(edit_url, edit_data(ops_engineer, relevance="5", influence="4"), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Manage closely" in body and '<strong class="score">20</strong>' in body
    ops_engineer.refresh_from_db()
    assert (ops_engineer.relevance, ops_engineer.influence) == (5, 4)


def test_edit_form_warns_person_is_shared_and_updates_everywhere(pm_client, plan, other_plan, partner_lead):
    PlanStakeholderFactory(plan=other_plan, stakeholder=partner_lead.stakeholder)
    edit_url = f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/edit/"
    assert "is in 2 plans" in pm_client.get(edit_url, **HX).content.decode()
    response = pm_client.post(edit_url, edit_data(partner_lead, role="VP"), **HX)
    assert response.status_code == 200
    assert PlanStakeholder.objects.get(plan=other_plan).stakeholder.role == "VP"


def test_manager_cannot_write(manager_client, plan, partner_lead):
    response = manager_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/edit/",
                                   edit_data(partner_lead, relevance="1"), **HX)
    assert response.status_code == 403
    assert manager_client.post(add_url(plan), new_person_data(), **HX).status_code == 403
    assert manager_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/delete/", **HX).status_code == 403
    partner_lead.refresh_from_db()
    assert partner_lead.relevance == 5


def test_other_pm_cannot_reach_rows(client, other_pm, plan, partner_lead):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/", **HX).status_code == 404


def test_row_of_another_plan_is_404(pm_client, plan, other_plan):
    person = StakeholderFactory(name="外人")
    foreign = PlanStakeholderFactory(plan=other_plan, stakeholder=person)
    assert pm_client.get(f"/plans/{plan.pk}/stakeholders/{foreign.pk}/edit/", **HX).status_code == 404


def test_delete_keeps_the_person(pm_client, plan, partner_lead, ops_engineer):
    response = pm_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/delete/",
                              {"version": partner_lead.version}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "李雷" not in body and "韩梅梅" in body
    assert list(PlanStakeholder.objects.filter(plan=plan)) == [ops_engineer]
    # The person stays known, so they can be picked again later.
    assert Stakeholder.objects.filter(name="李雷").exists()


def test_move_down(pm_client, plan, partner_lead, ops_engineer):
    response = pm_client.post(f"/plans/{plan.pk}/stakeholders/{partner_lead.pk}/move/down/", **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("韩梅梅") < body.index("李雷")
    order = list(PlanStakeholder.objects.filter(plan=plan).order_by("position")
                 .values_list("stakeholder__name", flat=True))
    assert order == ["韩梅梅", "李雷"]


def test_cancel_add_gives_back_the_add_button(pm_client, plan):
    response = pm_client.get(add_url(plan) + "?cancel=1", **HX)
    assert response.status_code == 200
    assert "Add stakeholder" in response.content.decode()


def test_refusal_by_the_service_shows_the_form_not_a_500(pm_client, plan, partner_lead, monkeypatch):
    # As when two PMs add the same person at the same moment: the form saw no duplicate.
    from stakeholders.forms import PlanStakeholderForm
    monkeypatch.setattr(PlanStakeholderForm, "clean_existing", lambda form: form.cleaned_data.get("existing"))
    data = new_person_data(existing=partner_lead.stakeholder.pk, name="", organisation="", department="",
                           role="", email="", phone="")
    response = pm_client.post(add_url(plan), data, **HX)
    assert response.status_code == 422
    assert "already a stakeholder of this plan" in response.content.decode()
    assert PlanStakeholder.objects.filter(plan=plan).count() == 1
