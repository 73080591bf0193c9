"""A PM's first plan at 1366×768, counted: log in, a new plan from the toB template with its owner,
two stakeholders and the owner of its tasks, scheduled, and a partner link — at most 15 actions
(clicks, fields filled or chosen, forms submitted), in zh-hans and en."""
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.models import Plan, Product
from schedule.models import Template
from schedule.selectors import plan_status
from sharing.models import ShareLink
from stakeholders.models import Stakeholder

VIEWPORT = {"width": 1366, "height": 768}
MOST_ACTIONS = 15


class Counted:
    """The page's user actions, each counted once: a click, a field filled, an option chosen, a box ticked."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, text):
        self.count += 1
        locator.fill(text)

    def choose(self, locator, value):
        self.count += 1
        locator.select_option(value)

    def tick(self, locator):
        self.count += 1
        locator.check()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_first_plan_from_the_tob_template_takes_at_most_15_actions(page, live_server, shipped_templates, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    template = Template.objects.get(slug="paas-access-tob")
    product = Product.objects.get(name__startswith="数据安全治理中心")
    platform = Stakeholder.objects.filter(workspace=product.workspace, side="platform").order_by("name").first()
    partner = Stakeholder.objects.filter(workspace=product.workspace, side="partner").order_by("name").first()
    owner = User.objects.get(username="pm")
    page.set_viewport_size(VIEWPORT)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    act = Counted(page)

    page.goto(f"{live_server.url}/accounts/login/")
    act.fill(page.locator("input[name=username]"), "pm")
    act.fill(page.locator("input[name=password]"), "paasport-pm")
    act.click(page.locator("main button[type=submit]"))

    # The plan list → the template form: template, name, product, owner, people, task owner.
    act.click(page.locator("a[href$='/plans/new/from-template/']"))
    form = page.locator("#template-form")
    act.choose(form.locator("select[name=template]"), str(template.pk))
    act.fill(form.locator("input[name=name]"), "DSGC · 第一个计划")
    act.choose(form.locator("select[name=product]"), str(product.pk))
    act.choose(form.locator("select[name=owner]"), str(owner.pk))
    act.tick(form.locator(f"input[name=stakeholders][value='{platform.pk}']"))
    act.tick(form.locator(f"input[name=stakeholders][value='{partner.pk}']"))
    act.choose(form.locator("select[name=task_owner]"), str(platform.pk))
    act.click(form.locator("button[type=submit]"))
    page.wait_for_url(lambda url: "/from-template/" not in url)

    plan = Plan.objects.get(name="DSGC · 第一个计划")
    assert plan.owner == owner
    members = {m.stakeholder_id: m for m in plan.plan_stakeholders.all()}
    assert set(members) == {platform.pk, partner.pk}
    tasks = list(plan.tasks.all())
    assert len(tasks) >= 20 and all(task.owner_id == members[platform.pk].pk for task in tasks)
    # Scheduled as it was made: every task has its dates, the overview shows the forecast launch.
    assert all(task.early_start and task.early_finish for task in tasks)
    forecast = plan_status(plan).forecast_launch
    assert forecast is not None
    expect(page.locator("body")).to_contain_text(forecast.isoformat())

    # A partner link from the Share tab.
    act.click(page.locator(f"nav a[href$='/plans/{plan.pk}/share/']"))
    act.click(page.locator("#share-links-panel form button[type=submit]"))
    expect(page.locator("#new-share-url")).to_be_visible()
    link = ShareLink.objects.get(plan=plan)
    assert link.audience == ShareLink.Audience.PARTNER and "/s/" in page.locator("#new-share-url").input_value()
    page.screenshot(path=f"/tmp/shots-grid/first-use-{lang}.png")

    assert act.count <= MOST_ACTIONS, f"{act.count} actions"
