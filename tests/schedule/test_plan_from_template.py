import datetime

import pytest

from onboarding.models import Plan
from schedule.models import Task, TaskLink
from tests.factories import TemplateFactory, TemplateLinkFactory, TemplateTaskFactory, UserFactory

pytestmark = pytest.mark.usefixtures("shipped_templates")

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def template(db):
    template = TemplateFactory(slug="mini", name="迷你模板", description="三步接入")
    docs = TemplateTaskFactory(template=template, key="docs", phase="准备", title="阅读官方文档",
                                       duration=2, offset=3, watchouts=["确认 API 版本", "记录限流"], position=0)
    build = TemplateTaskFactory(template=template, key="build", phase="开发", title="接口开发",
                                        duration=5, offset=4, position=1)
    launch = TemplateTaskFactory(template=template, key="launch", phase="准备", title="上线",
                                         duration=0, is_milestone=True, visibility="shared", position=2)
    TemplateLinkFactory(template=template, predecessor=docs, successor=build, type="FS", lag=1)
    TemplateLinkFactory(template=template, predecessor=build, successor=launch, type="FF", lag=-1)
    return template


def form_data(tpl, product, scenario, **overrides):
    data = {"template": tpl.pk, "name": "MTP 二期", "product": product.pk, "scenario": scenario.pk,
            "start_date": "2026-09-01", "target_launch_date": "2026-10-30"}
    data.update(overrides)
    return data


def test_form_page_lists_templates(pm_client, template):
    response = pm_client.get("/plans/new/from-template/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "迷你模板" in body and "三步接入" in body and 'name="start_date"' in body


def test_create_plan_from_template(pm_client, pm, template, product, scenario):
    response = pm_client.post("/plans/new/from-template/", form_data(template, product, scenario))
    plan = Plan.objects.get(name="MTP 二期")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert plan.owner == pm and plan.product == product and plan.scenario == scenario
    assert plan.start_date == datetime.date(2026, 9, 1) and plan.target_launch_date == datetime.date(2026, 10, 30)
    # Phases in first-seen order, tasks in template order inside them.
    assert list(plan.phases.values_list("name", flat=True)) == ["准备", "开发"]
    assert list(plan.phases.get(name="准备").tasks.order_by("position").values_list("title", flat=True)) == [
        "阅读官方文档", "上线"]
    docs = plan.tasks.get(title="阅读官方文档")
    assert docs.duration == 2 and docs.start_no_earlier_than == datetime.date(2026, 9, 4)  # +3 working days
    assert list(docs.watchouts.values_list("text", flat=True)) == ["确认 API 版本", "记录限流"]
    build = plan.tasks.get(title="接口开发")
    assert build.start_no_earlier_than is None  # it has a predecessor: the link decides
    launch = plan.tasks.get(title="上线")
    assert launch.is_milestone and launch.duration == 0 and launch.visibility == "shared"
    links = {(link.predecessor.title, link.successor.title, link.type, link.lag)
             for link in TaskLink.objects.filter(successor__plan=plan).select_related("predecessor", "successor")}
    assert links == {("阅读官方文档", "接口开发", "FS", 1), ("接口开发", "上线", "FF", -1)}


def test_htmx_post_redirects_the_client(pm_client, template, product, scenario):
    response = pm_client.post("/plans/new/from-template/", form_data(template, product, scenario), **HX)
    plan = Plan.objects.get(name="MTP 二期")
    assert response.status_code == 200 and response["HX-Redirect"] == f"/plans/{plan.pk}/"


@pytest.mark.parametrize("overrides, field", [
    ({"target_launch_date": "2026-08-01"}, "target_launch_date"),
    ({"name": ""}, "name"),
    ({"start_date": "not a date"}, "start_date"),
    ({"start_date": "9999-12-30", "target_launch_date": "9999-12-31"}, "start_date"),  # no plan can use it
    ({"template": "999999"}, "template"),
])
def test_bad_input_is_shown_on_the_field_and_creates_nothing(pm_client, template, product, scenario,
                                                             overrides, field):
    response = pm_client.post("/plans/new/from-template/", form_data(template, product, scenario, **overrides), **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body and "<html" not in body
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_a_template_with_a_cycle_is_refused(pm_client, template, product, scenario):
    launch, docs = template.tasks.get(key="launch"), template.tasks.get(key="docs")
    TemplateLinkFactory(template=template, predecessor=launch, successor=docs)
    response = pm_client.post("/plans/new/from-template/", form_data(template, product, scenario))
    assert response.status_code == 422
    assert "“阅读官方文档” → “接口开发” → “上线” → “阅读官方文档”" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_cycle_is_named_from_its_first_task_in_the_template(pm_client, product, scenario, db):
    template = TemplateFactory(slug="order", name="顺序模板")
    # created (and numbered) in the opposite order of the template's positions
    late = TemplateTaskFactory(template=template, key="late", phase="准备", title="乙", duration=1, position=1)
    early = TemplateTaskFactory(template=template, key="early", phase="准备", title="甲", duration=1, position=0)
    TemplateLinkFactory(template=template, predecessor=early, successor=late)
    TemplateLinkFactory(template=template, predecessor=late, successor=early)
    response = pm_client.post("/plans/new/from-template/", form_data(template, product, scenario))
    assert response.status_code == 422
    assert "“甲” → “乙” → “甲”" in response.content.decode()


def test_manager_who_is_not_staff_cannot_create(client, manager, template, product, scenario):
    client.force_login(manager)
    assert client.get("/plans/new/from-template/").status_code == 403
    assert client.post("/plans/new/from-template/", form_data(template, product, scenario)).status_code == 403
    assert not Plan.objects.exists()


def test_a_workspace_admin_can_create(client, template, product, scenario):
    lead = UserFactory(username="lead", role="admin")
    client.force_login(lead)
    response = client.post("/plans/new/from-template/", form_data(template, product, scenario))
    assert response.status_code == 302 and Plan.objects.get().owner == lead


def test_needs_login(client, db):
    response = client.get("/plans/new/from-template/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_shipped_templates_are_named_and_described_in_the_page_language(pm_client):
    english = pm_client.get("/plans/new/from-template/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Standard PaaS access for toB products" in english
    assert "toB 产品 PaaS 接入标准流程" not in english
    assert "customer POC" in english and "客户 POC" not in english  # one language, not both
    chinese = pm_client.get("/plans/new/from-template/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "toB 产品 PaaS 接入标准流程" in chinese and "customer POC" not in chinese
