"""The joint-test matrix at 1366×768, in zh-hans and en: the header stays in view over the rows,
a cell opens beside the grid, a saved status shows in the cell without a reload and moves the
plan's 联调 task; the partner page and the portfolio show the interfaces' state."""
import os

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from interfaces.demo_matrix import demo_joint_tests
from interfaces.models import Interface, JointTest
from onboarding.models import Plan
from schedule.models import Task
from sharing.models import ShareLink
from tests.factories import InterfaceFactory

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = "/tmp/shots-matrix"
WORDS = {"en": {"passed": "Passed", "saved": "Saved."}, "zh-hans": {"passed": "通过", "saved": "已保存。"}}
OPERATIONS = [  # the MTP partner's lifecycle callbacks and what the platform offers it
    ("POST", "/mtp/v1/instances", "创建实例 Create instance", "partner"),
    ("POST", "/mtp/v1/instances/{id}/renew", "续费 Renew", "partner"),
    ("PUT", "/mtp/v1/instances/{id}/spec", "变配 Modify spec", "partner"),
    ("POST", "/mtp/v1/instances/{id}/expire", "到期 Expire", "partner"),
    ("DELETE", "/mtp/v1/instances/{id}", "销毁 Destroy", "partner"),
    ("GET", "/mtp/v1/instances/{id}", "查询实例 Describe", "partner"),
    ("POST", "/mtp/v1/usage", "用量上报 Usage metering", "partner"),
    ("GET", "/mtp/v1/console/embed", "控制台嵌入 Console embedding", "partner"),
    ("GET", "/platform/sso/authorize", "单点登录 SSO", "platform"),
    ("POST", "/platform/sso/token", "换取令牌 SSO token", "platform"),
    ("POST", "/platform/billing/notify", "计费通知 Billing notice", "platform"),
]


def _language(page, lang):
    page.evaluate("document.cookie = 'django_language={}; path=/'".format(lang))
    page.reload()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_editing_the_matrix_at_1366x768(page, live_server, login, lang):
    os.makedirs(SHOTS, exist_ok=True)
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    Interface.objects.filter(product=plan.product).delete()  # the demo's own document: these rows instead
    for n, (method, path, summary, side) in enumerate(OPERATIONS):
        InterfaceFactory(product=plan.product, method=method, path=path, summary=summary, direction=side,
                         position=n)
    for n in range(40):  # a long inventory: the header must stay on screen over the rows
        InterfaceFactory(product=plan.product, method="GET", path=f"/mtp/v1/reports/{n:02d}",
                         summary=f"报表 {n:02d}", direction="platform", position=100 + n)
    demo_joint_tests(plan.product)
    task = Task.objects.get(plan=plan, title__startswith="端到端联调")
    assert task.interfaces.count() == 8 and task.status == Task.Status.BLOCKED

    page.set_viewport_size(VIEWPORT)
    login("pm", "paasport-pm")
    page.goto(f"{live_server.url}/plans/{plan.pk}/interfaces/")
    _language(page, lang)
    table = page.locator("table.matrix")
    expect(table).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    page.screenshot(path=f"{SHOTS}/matrix-{lang}.png")
    page.locator(".matrix-scroll").evaluate("box => box.scrollTop = 900")
    header = page.locator("table.matrix thead th").first.bounding_box()
    box = page.locator(".matrix-scroll").bounding_box()
    assert abs(header["y"] - box["y"]) < 3  # sticky header still at the top of the scrolled box
    page.locator(".matrix-scroll").evaluate("box => box.scrollTop = 0")

    # Open the production cell of the first interface, mark it passed.
    first = plan.product.interfaces.get(path="/mtp/v1/instances")
    cell = page.locator(f"#cell-{first.pk}-production")
    page.evaluate("window.__kept = true")  # gone if the page reloads
    cell.locator("button.open").click()
    panel = page.locator("#cell-editor")
    expect(panel).to_be_visible()
    panel.locator("select[name=status]").select_option("passed")
    panel.locator("input[name=request_id]").fill("req-prod-0001")
    panel.locator("textarea[name=note]").fill("生产环境首单回调成功")
    page.screenshot(path=f"{SHOTS}/matrix-cell-{lang}.png")
    panel.locator("button[type=submit]").click()
    expect(panel.locator(".saved-note")).to_contain_text(WORDS[lang]["saved"])
    expect(cell.locator(".jt")).to_have_text(WORDS[lang]["passed"])
    assert page.evaluate("window.__kept === true")
    saved = JointTest.objects.get(interface=first, environment="production")
    assert (saved.status, saved.request_id) == ("passed", "req-prod-0001")
    before = task.percent_complete
    task.refresh_from_db()
    assert task.percent_complete > before  # one more of its 24 cells passed
    expect(panel.locator(".saved-note")).to_contain_text(f"{task.percent_complete}%")

    # The history of the cell, then bulk: two rows → passed.
    expect(panel.locator(".cell-history li").first).to_contain_text("张伟")
    panel.locator("[data-remove-closest]").click()
    rows = plan.product.interfaces.filter(path__startswith="/mtp/v1/reports/").order_by("position")[:2]
    for interface in rows:
        page.check(f"#pick-{interface.pk} input")
    page.select_option("#bulk-status", "passed")
    page.click("#matrix-bulk button.primary")
    expect(page.locator("#bulk-result")).to_be_visible()
    assert JointTest.objects.filter(interface__in=rows, status="passed").count() == 6

    # The product's own matrix, filtered to what is blocked (no reload: the filter form swaps the table).
    page.goto(f"{live_server.url}/products/{plan.product_id}/interfaces/matrix/")
    page.select_option("#id_status", "blocked")
    expect(page.locator("table.matrix tbody tr")).to_have_count(1)
    page.screenshot(path=f"{SHOTS}/product-matrix-blocked-{lang}.png")

    # The partner's page and the portfolio.
    link, token = ShareLink.create(plan=plan, audience="partner")
    page.goto(f"{live_server.url}/s/{token}/?lang={lang}")
    section = page.locator("#interfaces")
    section.scroll_into_view_if_needed()
    expect(section).to_contain_text("/mtp/v1/instances")
    assert "生产环境首单回调成功" not in page.content() and "req-prod-0001" not in page.content()
    section.screenshot(path=f"{SHOTS}/partner-interfaces-{lang}.png")
    page.goto(f"{live_server.url}/portfolio/")
    expect(page.locator(f'tr[data-plan="{plan.pk}"] td.interfaces')).to_contain_text("/")
    page.screenshot(path=f"{SHOTS}/portfolio-{lang}.png")
