"""The portfolio shows each plan's interface readiness (joint-test cells passed of all, blocked),
read in a fixed number of queries, and follows a matrix change."""
import re
from io import BytesIO

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from interfaces import services
from tests.factories import InterfaceFactory, PlanFactory, ProductFactory


def _cell(body, plan):
    row = re.search(rf'<tr data-plan="{plan.pk}">(.*?)</tr>', body, re.S).group(1)
    return re.search(r'<td class="interfaces[^"]*"[^>]*>(.*?)</td>', row).group(1)


def test_portfolio_shows_passed_of_all_and_blocked_per_plan(client, manager, plan, pm):
    bare = PlanFactory(name="没有接口的计划", product=ProductFactory(name="空产品"), owner=pm)
    first, second = InterfaceFactory(product=plan.product), InterfaceFactory(product=plan.product)
    services.joint_test_update(interface=first, environment="sandbox", version=0, status="passed")
    services.joint_test_update(interface=second, environment="sandbox", version=0, status="blocked")
    client.force_login(manager)
    body = client.get("/portfolio/").content.decode()
    assert ">Interfaces<" in body
    assert _cell(body, plan) == '1/6<div class="small warn">1 blocked</div>'
    assert _cell(body, bare) == "—"
    chinese = client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _cell(chinese, plan) == '1/6<div class="small warn">1 项受阻</div>'
    assert 'title="联调单元格通过数 / 总数"' in chinese
    # A matrix change reaches the (cached) portfolio.
    services.joint_test_update(interface=second, environment="sandbox", version=1, status="passed")
    assert _cell(client.get("/portfolio/").content.decode(), plan) == "2/6"
    sheet = load_workbook(BytesIO(client.get("/portfolio/export.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-3:] == ("Interface tests passed", "Interface tests (all)", "Interface tests blocked")
    assert {row[1]: row[-3:] for row in rows[1:]}[plan.name] == (2, 6, 0)


def test_readiness_costs_the_same_queries_for_more_plans(client, manager, plan, pm):
    InterfaceFactory(product=plan.product)
    client.force_login(manager)

    def count():
        client.get("/portfolio/")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/portfolio/")
        return len(queries)

    few = count()
    for n in range(5):
        product = ProductFactory(name=f"产品 {n}")
        InterfaceFactory(product=product)
        PlanFactory(name=f"计划 {n}", product=product, owner=pm)
    assert count() == few


def test_sorting_by_interface_readiness(client, manager, plan, pm):
    other = PlanFactory(name="B 计划", product=ProductFactory(name="B 产品"), owner=pm)
    services.joint_test_update(interface=InterfaceFactory(product=other.product), environment="sandbox",
                               version=0, status="passed")
    InterfaceFactory(product=plan.product)
    client.force_login(manager)
    body = client.get("/portfolio/?sort=-interfaces").content.decode()
    assert body.index(f'data-plan="{other.pk}"') < body.index(f'data-plan="{plan.pk}"')
