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
    response = client.post(f"/plans/{plan.pk}/edit/", _data(product, scenario, name="改名"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "改名"


def test_manager_cannot_create_plans(client, manager):
    client.force_login(manager)
    assert client.get("/plans/new/").status_code == 403
