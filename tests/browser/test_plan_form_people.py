"""Plan form: editors are found by typing a name, and the owner is handed over from a list of names."""
from playwright.sync_api import expect

from onboarding.models import Plan
from tests.factories import PlanFactory, UserFactory


def test_editor_found_by_name_and_owner_handed_over(page, live_server, login):
    pm = UserFactory(username="pm", password="pm-pass-123", first_name="Pat")
    colleague = UserFactory(username="lei", first_name="雷", last_name="韩")
    UserFactory(username="mei", first_name="梅", last_name="李")
    plan = PlanFactory(owner=pm, name="MTP 接入")
    login("pm", "pm-pass-123")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/?lang=en")
    editors = page.locator("#id_editors_list")
    page.fill("input[data-filter-list=id_editors_list]", "韩")
    expect(editors.get_by_text("雷 韩 · lei")).to_be_visible()
    expect(editors.get_by_text("mei", exact=False)).to_be_hidden()
    editors.get_by_text("lei", exact=False).click()
    page.select_option("select[name=owner]", str(colleague.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.owner == colleague
    assert set(plan.editors.values_list("username", flat=True)) == {"pm"}  # lei owns it now; pm stays an editor
