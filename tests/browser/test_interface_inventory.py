"""A PM imports an OpenAPI document, reviews the diff, then adds and edits a row inline (htmx, no reload)."""
from playwright.sync_api import expect

from interfaces.demo import HERE
from interfaces.models import Interface


def test_import_review_and_inline_edit(page, live_server, login, pm, product):
    login("pm", "pm-pass-123")
    page.goto(f"{live_server.url}/products/{product.pk}/interfaces/")
    page.set_input_files("input[name=file]", str(HERE / "dsgc_openapi.json"))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#diff-added")).to_contain_text("POST /api/v1/instances")
    page.locator("form[action$='accept/'] button").click()
    expect(page.locator("#interface-list")).to_contain_text("/api/v1/instances/{instanceId}/renew")
    assert Interface.objects.filter(product=product).count() == 8

    page.evaluate("window.__same_page = true")
    page.locator("#interface-list a.btn", has_text="添加接口").click()
    form = page.locator("#interface-list tr.editing")
    form.locator("select[name=method]").select_option("POST")
    form.locator("input[name=path]").fill("/api/v1/metering/report")
    form.locator("select[name=direction]").select_option("platform")
    form.locator("input[name=error_responses]").fill("400, 5XX")
    form.locator("button[type=submit]").click()
    expect(page.locator("#interface-list")).to_contain_text("/api/v1/metering/report")
    row = Interface.objects.get(product=product, path="/api/v1/metering/report")
    assert row.error_responses == ["400", "5XX"] and row.direction == "platform"

    page.locator(f"#interface-{row.pk} a[href$='/edit/']").click()
    page.locator(f"#interface-{row.pk}.editing input[name=summary]").fill("按小时上报用量")
    page.locator(f"#interface-{row.pk}.editing button[type=submit]").click()
    expect(page.locator(f"#interface-{row.pk}")).to_contain_text("按小时上报用量")
    assert page.evaluate("window.__same_page") is True  # no reload
