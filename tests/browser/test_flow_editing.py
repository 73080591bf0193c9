"""A PM edits the flow in the browser; the database holds the change."""
from playwright.sync_api import expect

from onboarding.models import Lane


def test_pm_renames_lane_inline(page, live_server, login, plan, flow):
    login("pm", "pm-pass-123")
    page.goto(f"{live_server.url}/plans/{plan.pk}/flow/")
    lane = flow.lanes.get(name="玩家")
    row = page.locator(f"#lane-{lane.pk}")
    row.locator("a[href$='/edit/']").click()
    form_row = page.locator(f"#lane-{lane.pk}.editing")
    form_row.locator("input[name=name]").fill("手游玩家")
    form_row.locator("button[type=submit]").click()
    expect(page.locator(f"#lane-{lane.pk}")).to_contain_text("手游玩家")
    assert Lane.objects.get(pk=lane.pk).name == "手游玩家"
