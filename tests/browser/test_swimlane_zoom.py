"""The swimlane fits its box, and zooms to read its steps: in, out and back to fit, on the Flow tab
and on a share page at 1366×768; scrolled sideways while zoomed, the lane names stay in view."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.models import Plan
from sharing import links

VIEWPORT = {"width": 1366, "height": 768}
FIT = {"en": "Fit to box", "zh-hans": "适应框宽"}

# The step boxes' size on screen, the chart box, and the lane names visible at its left edge.
SEEN = """(chart) => {
  const box = chart.closest('.chart-zoom-box');
  const step = chart.querySelector('g.annotation rect.bg').getBoundingClientRect();
  const left = box.getBoundingClientRect().left;
  const overlay = box.querySelector('svg.lane-names');
  const names = overlay && overlay.style.display !== 'none'
    ? [...overlay.querySelectorAll('g.ytick text')].filter(t => {
        const r = t.getBoundingClientRect(); return r.width > 0 && r.left >= left - 1 && r.right <= left + 400; })
      .map(t => t.textContent)
    : [];
  return {stepWidth: step.width, scroll: box.scrollWidth - box.clientWidth, names,
          level: document.querySelector('.chart-zoom[data-zoom-for="' + chart.id + '"] .zoom-level').textContent};
}"""


def _zoom(page, selector, lang, name, lanes):
    page.wait_for_selector(f"{selector}[data-drawn='1']")
    chart = page.locator(selector).first
    controls = page.locator(f".chart-zoom[data-zoom-for='{chart.get_attribute('id')}']")
    fitted = chart.evaluate(SEEN)
    assert fitted["scroll"] <= 0 and fitted["level"] == "100%"

    controls.locator("[data-zoom=in]").click()
    controls.locator("[data-zoom=in]").click()
    zoomed = chart.evaluate(SEEN)
    assert zoomed["level"] == "150%"
    assert zoomed["stepWidth"] == pytest.approx(fitted["stepWidth"] * 1.5, rel=0.02)
    assert zoomed["scroll"] > 0  # wider than its box: the box scrolls, the page does not
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]

    chart.locator("xpath=..").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    page.wait_for_timeout(100)
    scrolled = chart.evaluate(SEEN)
    assert set(lanes) <= set(scrolled["names"]), scrolled["names"]
    controls.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/shots-grid/swimlane-zoom-{name}-{lang}.png")

    controls.locator("[data-zoom=out]").click()
    assert chart.evaluate(SEEN)["level"] == "125%"
    controls.get_by_role("button", name=FIT[lang]).click()
    back = chart.evaluate(SEEN)
    assert back["level"] == "100%" and back["scroll"] <= 0 and back["names"] == []
    assert back["stepWidth"] == pytest.approx(fitted["stepWidth"], rel=0.01)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_swimlane_zooms_with_lane_names_in_view(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    lanes = [lane.name for lane in plan.flows.first().lanes.order_by("position")[:3]]
    page.set_viewport_size(VIEWPORT)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    login("pm", "paasport-pm")
    page.goto(f"{live_server.url}/plans/{plan.pk}/flow/")
    _zoom(page, ".plotly-chart[id^='swimlane-chart']", lang, "flow", lanes)

    _link, token = links.create_link(plan, audience="partner")
    page.goto(f"{live_server.url}/s/{token}/?lang={lang}")
    page.locator("#flow").scroll_into_view_if_needed()
    _zoom(page, "#flow .plotly-chart", lang, "share", lanes)
