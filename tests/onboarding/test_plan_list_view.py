"""The plan list: only plans the user may read, filters by status and product."""
import datetime

from tests.factories import PlanFactory, ProductFactory


def test_lists_only_readable_plans(client, pm, other_pm, plan, product):
    PlanFactory(name="别人的计划", product=product, owner=other_pm, start_date=datetime.date(2026, 9, 1))
    client.force_login(pm)
    body = client.get("/plans/").content.decode()
    assert plan.name in body and "别人的计划" not in body


def test_manager_sees_every_plan(client, manager, plan):
    client.force_login(manager)
    assert plan.name in client.get("/plans/").content.decode()


def test_filters_by_status_and_product_as_partial(pm_client, pm, plan, product):
    other = ProductFactory(name="DSGC")
    PlanFactory(name="草稿计划", product=other, owner=pm, start_date=datetime.date(2026, 9, 1))
    response = pm_client.get("/plans/?status=active", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="plan-table")
    body = response.content.decode()
    assert plan.name in body and "草稿计划" not in body and "<html" not in body
    body = pm_client.get(f"/plans/?product={other.pk}").content.decode()
    assert "草稿计划" in body and plan.name not in body
    assert pm_client.get("/plans/?status=bogus&product=x").status_code == 200


def test_home_redirects_to_plans(pm_client):
    assert pm_client.get("/")["Location"] == "/plans/"
