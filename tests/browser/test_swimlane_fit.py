"""The swimlane fits its box at 1366×768: the last step, the End marker, the key metrics and the
lane names are in view on load, on the Flow tab and on a share page, in both languages."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.models import Plan
from sharing import links

VIEWPORT = {"width": 1366, "height": 768}

# Every step box, marker and lane name of the drawn chart, against the chart's box: nothing right
# of its right edge, nothing hidden by a scrollbar.
OUT_OF_BOX = """(chart) => {
  const box = chart.closest('.swimlane, #flow').getBoundingClientRect();
  const scroller = chart.closest('.swimlane') || chart;
  const out = [];
  for (const el of chart.querySelectorAll('g.annotation, .scatterlayer path.point, g.ytick text')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > box.right + 1 || r.left < box.left - 1)) out.push(el.textContent || el.getAttribute('class'));
  }
  return {out, overflow: scroller.scrollWidth - scroller.clientWidth,
          points: chart.querySelectorAll('.scatterlayer path.point').length,
          steps: chart.querySelectorAll('g.annotation').length};
}"""


def _check(page, selector, lang, name):
    page.wait_for_selector(f"{selector}[data-drawn='1']")
    chart = page.locator(selector).first
    seen = chart.evaluate(OUT_OF_BOX)
    assert seen["steps"] >= 10 and seen["points"] >= 10  # 9-10 steps + metrics + arrows; hover targets + markers
    assert seen["out"] == [] and seen["overflow"] <= 0, seen
    # The End marker, text included, is drawn inside the box.
    end = page.locator(f"{selector} .scatterlayer .trace").nth(1).locator("path.point").last.bounding_box()
    box = chart.bounding_box()
    assert box["x"] <= end["x"] and end["x"] + end["width"] <= box["x"] + box["width"]
    page.screenshot(path=f"/tmp/swimlane-{name}-{lang}.png", full_page=True)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_swimlane_fits_its_box_on_the_flow_tab_and_the_share_page(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    page.set_viewport_size(VIEWPORT)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    login("pm", "paasport-pm")
    page.goto(f"{live_server.url}/plans/{plan.pk}/flow/")
    _check(page, ".plotly-chart[id^='swimlane-chart']", lang, "flow")

    _link, token = links.create_link(plan, audience="partner")
    page.goto(f"{live_server.url}/s/{token}/?lang={lang}")
    page.locator("#flow").scroll_into_view_if_needed()
    _check(page, "#flow .plotly-chart", lang, "share")
