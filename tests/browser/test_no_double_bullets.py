"""No list shows a bullet and a marker of its own (the "• ◆" the Overview's milestone list once had):
an item of a bulleted list never starts with ◆ or •, and no text holds "• ◆", on the plan's pages,
the share pages and the portfolio, in zh-hans and en."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.models import Plan
from sharing import links

DOUBLE = """() => {
  const found = [];
  for (const li of document.querySelectorAll('li')) {
    const style = getComputedStyle(li);
    const text = li.textContent.trim();
    if (style.display === 'list-item' && style.listStyleType !== 'none' && /^[◆•·▪●]/.test(text)) found.push(text.slice(0, 40));
  }
  if (/•\\s*◆|◆\\s*•/.test(document.body.innerText)) found.push('• ◆ in the text');
  return found;
}"""


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_no_item_has_two_bullets(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    login("pm", "paasport-pm")
    paths = [f"/plans/{plan.pk}/{tab}" for tab in ("", "checklist/", "priorities/", "schedule/", "gantt/")]
    paths += ["/portfolio/", "/portfolio/timeline/"]
    paths += [f"/s/{links.create_link(plan, audience=audience)[1]}/?lang={lang}" for audience in ("partner", "management")]
    seen = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = page.evaluate(DOUBLE)
        if path == f"/plans/{plan.pk}/":  # the list that had "• ◆": bullets, milestones without a second mark
            assert page.locator("#dash-milestones li").count() >= 2
    assert {path: found for path, found in seen.items() if found} == {}
