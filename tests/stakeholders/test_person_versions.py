"""One person in two plans: their details are shared, so a save from one plan's form that was
loaded before another plan's save is refused, showing that change, instead of putting the old
details back (the plan row's own version does not change when another plan saves the person)."""
import pytest
from django.contrib.admin.sites import site
from django.test import Client

from onboarding.versioning import StaleEdit
from stakeholders.models import Stakeholder
from stakeholders.services import plan_stakeholder_save
from tests.factories import PlanFactory, PlanStakeholderFactory, StakeholderFactory, UserFactory
from tests.security.live import form_with
from tests.stakeholders.test_stakeholder_conflicts import edit_data, hidden_version

HX = {"HTTP_HX_REQUEST": "true"}
STALE_PERSON = "Someone else changed this person&#x27;s details while you were editing them"


def url(member):
    return f"/plans/{member.plan_id}/stakeholders/{member.pk}/edit/"


def hidden_person_version(body):
    return int(form_with(body, "person_version")["person_version"])


@pytest.fixture
def plan_b(plan, product):
    """A second plan of the same workspace with its own PM, Bo."""
    bo = UserFactory(username="bo", first_name="Bo", last_name="Wang", workspace=plan.workspace)
    return PlanFactory(name="第二个计划", product=product, owner=bo, workspace=plan.workspace)


@pytest.fixture
def bo_client(plan_b):
    client = Client()
    client.force_login(plan_b.owner)
    return client


@pytest.fixture
def shared(plan, plan_b):
    """李雷, a stakeholder of both plans: (his row in plan A, his row in plan B)."""
    person = StakeholderFactory(name="李雷", workspace=plan.workspace, role="商务", phone="111")
    return (PlanStakeholderFactory(plan=plan, stakeholder=person, position=0),
            PlanStakeholderFactory(plan=plan_b, stakeholder=person, position=0))


def test_the_edit_form_carries_the_persons_version(pm_client, shared):
    in_a, _in_b = shared
    Stakeholder.objects.filter(pk=in_a.stakeholder_id).update(version=7)
    assert hidden_person_version(pm_client.get(url(in_a), **HX).content.decode()) == 7


def test_a_save_from_another_plans_form_loaded_earlier_is_refused_showing_the_change(pm_client, bo_client, shared):
    in_a, in_b = shared
    form_b = edit_data(in_b, role="商务总监")  # Bo opened plan B's form while the phone was 111
    saved = pm_client.post(url(in_a), edit_data(in_a, phone="222"), **HX)
    assert saved.status_code == 200
    person = Stakeholder.objects.get(pk=in_a.stakeholder_id)
    assert (person.phone, person.version) == ("222", 2)

    refused = bo_client.post(url(in_b), form_b, **HX)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert STALE_PERSON in body
    assert "Changed by Pat " in body  # plan A's PM, by name
    assert "Phone" in body and "<del>111</del>" in body and "<ins>222</ins>" in body
    person.refresh_from_db()
    assert (person.phone, person.role, person.version) == ("222", "商务", 2)
    in_b.refresh_from_db()
    assert in_b.version == 1  # the plan row's claim was rolled back with the rest

    # Bo's own input is kept, the other change taken in: saving again applies both.
    again = form_with(body, "person_version")
    assert again["role"] == "商务总监" and again["phone"] == "222"
    assert hidden_person_version(body) == 2 and hidden_version(body) == in_b.version
    assert bo_client.post(url(in_b), again, **HX).status_code == 200
    person.refresh_from_db()
    assert (person.phone, person.role, person.version) == ("222", "商务总监", 3)


def test_a_save_without_the_persons_version_is_refused(pm_client, shared):
    in_a, _in_b = shared
    data = edit_data(in_a, phone="999")
    del data["person_version"]
    response = pm_client.post(url(in_a), data, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "This form did not say which version it was loaded from" in body
    person = Stakeholder.objects.get(pk=in_a.stakeholder_id)
    assert (person.phone, person.version) == ("111", 1)
    assert hidden_person_version(body) == 1
    assert pm_client.post(url(in_a), form_with(body, "person_version"), **HX).status_code == 200
    person.refresh_from_db()
    assert (person.phone, person.version) == ("999", 2)


def test_a_save_losing_the_race_for_the_person_after_validation_changes_nothing(pm_client, shared, monkeypatch):
    import stakeholders.services
    from onboarding.versioning import claim

    in_a, _in_b = shared

    def another_plan_first(instance, expected):
        if isinstance(instance, Stakeholder):  # plan B's save lands between the form check and this one
            Stakeholder.objects.filter(pk=instance.pk).update(version=expected + 1)
        return claim(instance, expected)

    monkeypatch.setattr(stakeholders.services, "claim", another_plan_first)
    response = pm_client.post(url(in_a), edit_data(in_a, phone="333", concerns="不会保存"), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert STALE_PERSON in body and hidden_person_version(body) == 2
    in_a.refresh_from_db()
    assert (in_a.concerns, in_a.version, in_a.stakeholder.phone) == ("", 1, "111")


def test_saving_only_ones_own_plans_part_neither_bumps_nor_refuses_the_other_plan(pm_client, bo_client, shared):
    in_a, in_b = shared
    form_b = edit_data(in_b, concerns="B 的关注点")
    assert pm_client.post(url(in_a), edit_data(in_a, concerns="A 的关注点"), **HX).status_code == 200
    assert bo_client.post(url(in_b), form_b, **HX).status_code == 200
    person = Stakeholder.objects.get(pk=in_a.stakeholder_id)
    assert person.version == 1 and person.history.count() == 1


def test_the_service_refuses_person_details_without_or_with_an_old_version(plan, shared):
    in_a, _in_b = shared
    details = {"name": "李雷", "phone": "444"}
    for person_version in (None, 0):
        with pytest.raises(StaleEdit):
            plan_stakeholder_save(plan=plan, membership=in_a, version=in_a.version, person_details=details,
                                  person_version=person_version)
    in_a.refresh_from_db()
    assert (in_a.version, in_a.stakeholder.phone, in_a.stakeholder.version) == (1, "111", 1)


def test_a_restore_overwrites_the_person_deliberately_and_bumps_the_version(pm_client, shared):
    in_a, _in_b = shared
    record = in_a.history.first()
    assert pm_client.post(url(in_a), edit_data(in_a, phone="222"), **HX).status_code == 200
    response = pm_client.post(f"/plans/{in_a.plan_id}/history/planstakeholder/{record.history_id}/restore/",
                              follow=True)
    assert response.status_code == 200
    person = Stakeholder.objects.get(pk=in_a.stakeholder_id)
    assert (person.phone, person.version) == ("111", 3)


def test_an_admin_save_bumps_the_persons_version(rf, shared):
    in_a, _in_b = shared
    person = in_a.stakeholder
    admin = site._registry[Stakeholder]
    request = rf.post("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    person.phone = "555"
    admin.save_model(request, person, None, change=True)
    person.refresh_from_db()
    assert (person.phone, person.version) == ("555", 2)
    assert "version" in admin.get_readonly_fields(request, person)
