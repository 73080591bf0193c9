"""Creating and editing a plan's own fields."""
from onboarding.models import Plan


def _data(product, scenario, **extra):
    return {"name": "MTP 接入二期", "product": product.pk, "scenario": scenario.pk, "start_date": "2026-12-01",
            "target_launch_date": "2027-02-01", "status": "draft", "summary": "", **extra}


def test_pm_creates_plan_and_owns_it(pm_client, pm, product, scenario):
    response = pm_client.post("/plans/new/", _data(product, scenario))
    plan = Plan.objects.get(name="MTP 接入二期")
    assert plan.owner == pm and response["Location"] == f"/plans/{plan.pk}/"


def test_launch_before_start_is_refused(pm_client, product, scenario):
    response = pm_client.post("/plans/new/", _data(product, scenario, target_launch_date="2026-11-01"))
    assert response.status_code == 422
    assert "The target launch date cannot be before the start date." in response.content.decode()
    assert not Plan.objects.filter(name="MTP 接入二期").exists()


def test_editor_may_edit_viewer_may_not(client, other_pm, plan, product, scenario):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/edit/").status_code == 404
    plan.viewers.add(other_pm)
    assert client.get(f"/plans/{plan.pk}/edit/").status_code == 403
    plan.editors.add(other_pm)
    response = client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, name="改名", version=plan.version))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "改名"


def test_manager_cannot_create_plans(client, manager):
    client.force_login(manager)
    assert client.get("/plans/new/").status_code == 403


def test_two_saves_of_the_plan_form_from_the_same_version_the_second_is_shown_the_first(
        pm_client, other_pm, plan, product, scenario):
    from django.test import Client

    plan.editors.add(other_pm)
    editor = Client()
    editor.force_login(other_pm)
    first = editor.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, name="对方改的名字", version=1,
                                                         editors=[other_pm.pk]))
    assert first.status_code == 302
    second = pm_client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, summary="我的摘要", version=1))
    assert second.status_code == 422
    body = second.content.decode()
    assert "Someone else changed this while you were editing it" in body
    assert "对方改的名字" in body and "我的摘要" in body  # their change beside the user's input
    plan.refresh_from_db()
    assert (plan.name, plan.summary, plan.version) == ("对方改的名字", "", 2)


def test_a_plan_form_without_its_version_is_refused(pm_client, plan, product, scenario):
    response = pm_client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, name="没带版本"))
    assert response.status_code == 422
    plan.refresh_from_db()
    assert plan.name == "MTP 接入"


def test_a_new_start_date_reschedules_the_plan(pm_client, plan, product, scenario):
    from schedule.services import plan_reschedule
    from tests.factories import TaskFactory

    task = TaskFactory(plan=plan, duration=3)
    plan_reschedule(plan=plan)
    response = pm_client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, start_date="2027-03-01",
                                                                target_launch_date="2027-04-01", version=1))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.early_start == __import__("datetime").date(2027, 3, 1)


# ---------------------------------------------------------------- owner, editors and viewers
def _member(user, workspace, role="pm"):
    from tests.factories import WorkspaceMemberFactory

    WorkspaceMemberFactory(workspace=workspace, user=user, role=role)
    return user


def test_owner_hands_the_plan_to_another_pm_who_keeps_the_old_owner_as_editor(pm_client, pm, plan, product,
                                                                              scenario):
    from tests.factories import UserFactory

    new_owner = _member(UserFactory(username="lei", first_name="Lei", last_name="Han", role=None), plan.workspace)
    page = pm_client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert "Lei Han · lei" in page and 'data-filter-list="id_editors_list"' in page
    response = pm_client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, owner=new_owner.pk,
                                                               version=plan.version))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.owner == new_owner
    assert list(plan.editors.all()) == [pm]  # the previous owner can still work on it


def test_owner_must_be_a_pm_of_the_plans_workspace(pm_client, plan, product, scenario):
    from tests.factories import UserFactory, WorkspaceFactory

    outsider = _member(UserFactory(username="outsider", role=None), WorkspaceFactory(name="另一个团队"))
    reader = _member(UserFactory(username="reader", role=None), plan.workspace, role="viewer")
    for user in (outsider, reader):
        response = pm_client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, owner=user.pk,
                                                                   version=plan.version))
        assert response.status_code == 422
        assert "Choose a PM or an administrator of this workspace." in response.content.decode()
        assert "outsider" not in response.content.decode()  # another workspace's users are never listed
    plan.refresh_from_db()
    assert plan.owner.username == "pm"


def test_an_editor_cannot_take_or_give_away_the_plan(client, other_pm, pm, plan, product, scenario):
    plan.editors.add(other_pm)
    client.force_login(other_pm)
    page = client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert "Only the owner or a workspace administrator can hand the plan over." in page
    response = client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, owner=other_pm.pk,
                                                            editors=[other_pm.pk], version=plan.version))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.owner == pm


def test_editors_and_viewers_are_the_workspaces_users_by_name(pm_client, plan, product, scenario, other_pm):
    from tests.factories import UserFactory, WorkspaceFactory

    _member(UserFactory(username="elsewhere", first_name="Else", role=None), WorkspaceFactory(name="另一个团队"))
    page = pm_client.get(f"/plans/{plan.pk}/edit/").content.decode()
    editors = page[page.index('id="id_editors_list"'):page.index('id="id_viewers_list"')]
    assert "elsewhere" not in editors and other_pm.username in editors
    response = pm_client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, editors=[other_pm.pk],
                                                               viewers=[other_pm.pk], version=plan.version))
    assert response.status_code == 302
    assert list(plan.editors.all()) == [other_pm]


def test_service_refuses_an_owner_from_another_workspace(plan):
    import pytest
    from django.core.exceptions import ValidationError

    from onboarding import services
    from tests.factories import UserFactory, WorkspaceFactory

    outsider = _member(UserFactory(username="outsider", role=None), WorkspaceFactory(name="另一个团队"))
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, version=plan.version, owner=outsider)
    plan.refresh_from_db()
    assert plan.owner.username == "pm" and plan.version == 1
