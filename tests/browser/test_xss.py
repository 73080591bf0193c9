"""In Chromium: script-injection payloads in every text field of a plan run nowhere.

Every page of the plan (and the share page, the Gantt's click panel, the inline edit forms) is
opened with the payloads in every field; no dialog may open, no payload may set window.__xss, and
the payload must be readable on the page as text.
"""
import pytest
from django.core.cache import cache

from tests.security.conftest import PASSWORD, build_world
from tests.security.test_xss import TEXT

VISIBLE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def world(live_server):
    cache.clear()
    return build_world(lambda field: TEXT)


class Guard:
    def __init__(self, page):
        self.page = page
        self.dialogs = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self, where, *, visible=True):
        self.page.wait_for_load_state("networkidle")
        assert not self.dialogs, f"{where}: a payload opened a dialog {self.dialogs}"
        assert self.page.evaluate("window.__xss === undefined"), f"{where}: a payload ran"
        if visible:
            assert VISIBLE in self.page.locator("body").inner_text(), f"{where}: payload not shown as text"


def test_payloads_stay_text_on_every_page(page, live_server, login, world):
    plan, task = world["plan"], world["task"]
    base = f"{live_server.url}/plans/{plan.pk}"
    guard = Guard(page)
    login("owner", PASSWORD)

    for path in ["/", "/flow/", "/stakeholders/", "/checklist/", "/schedule/", "/priorities/", "/share/",
                 "/exchange/", "/history/", "/exports/", "/edit/"]:
        page.goto(f"{base}{path}")
        guard.check(path, visible=path not in ("/exchange/", "/exports/"))
    for url in ["/plans/", "/products/", f"/products/{world['product'].pk}/", "/scenarios/"]:
        page.goto(f"{live_server.url}{url}")
        guard.check(url)

    # Inline forms and details put the payloads into input values and new rows.
    page.goto(f"{base}/checklist/")
    page.locator(f"#task-{task.pk} a[data-toggles]").click()
    page.wait_for_selector(f"#task-detail-{task.pk}")
    page.locator(f"#task-{task.pk} a[href$='/edit/']").click()
    page.wait_for_selector(f"#task-{task.pk}.editing")
    assert page.locator(f"#task-{task.pk}.editing input[name=title]").input_value() == task.title  # the payload, as stored
    guard.check("checklist forms")
    page.goto(f"{base}/stakeholders/")
    page.locator(f"#stakeholder-list-{plan.pk} a[href$='/edit/']").first.click()
    page.wait_for_selector(f"#stakeholder-list-{plan.pk} tr.editing")
    guard.check("stakeholder form")

    # The Gantt: hover labels, then a click on a bar opens the task panel (charts.js → htmx).
    page.goto(f"{base}/gantt/")
    page.wait_for_selector("#gantt[data-drawn='1']")
    page.evaluate("([id]) => document.getElementById('gantt').emit('plotly_click', {points: [{customdata: [id]}]})",
                  [task.pk])
    page.wait_for_selector(f"#task-panel-{task.pk}")
    page.hover("#gantt .bars path", force=True)
    guard.check("gantt panel")

    # The share page, as the partner sees it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/s/{world['tokens']['share']}/")
    page.wait_for_selector("#gantt .plotly-chart[data-drawn='1']")
    page.hover("#gantt .bars path", force=True)
    guard.check("share page")
