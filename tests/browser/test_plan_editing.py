"""A PM edits a plan in the browser: task title inline, a new stakeholder, a step moved.

Each change happens without a full page load, and the database holds it.
"""
from playwright.sync_api import expect

from schedule.models import Task
from stakeholders.models import PlanStakeholder
from tests.factories import PhaseFactory, TaskFactory


def _no_full_reload(page):
    page.evaluate("window.__sameDocument = true")
    return lambda: page.evaluate("window.__sameDocument === true")


def test_pm_edits_task_adds_stakeholder_reorders_step(page, live_server, login, plan, flow):
    phase = PhaseFactory(plan=plan, name="联调测试", position=0)
    task = TaskFactory(plan=plan, phase=phase, title="联调测试准备", duration=3)
    login("pm", "pm-pass-123")

    # 1. Task title, inline on the checklist.
    page.goto(f"{live_server.url}/plans/{plan.pk}/checklist/")
    same_document = _no_full_reload(page)
    page.locator(f"#task-{task.pk} a[href$='/edit/']").click()
    editor = page.locator(f"#task-{task.pk}.editing")
    editor.locator("input[name=title]").fill("联调测试环境就绪")
    editor.locator("button[type=submit]").click()
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("联调测试环境就绪")
    assert same_document()
    assert Task.objects.get(pk=task.pk).title == "联调测试环境就绪"

    # 2. A new stakeholder, with a score shown in place.
    page.goto(f"{live_server.url}/plans/{plan.pk}/stakeholders/")
    same_document = _no_full_reload(page)
    page.locator(f"#stakeholder-list-{plan.pk} tr.add-row a").click()
    form = page.locator(f"#stakeholder-list-{plan.pk} tr.editing")
    form.locator("input[name=name]").fill("周敏")
    form.locator("input[name=organisation]").fill("合作方 · 研发部")
    form.locator("select[name=side]").select_option("partner")
    form.locator("input[name=relevance]").fill("5")
    form.locator("input[name=influence]").fill("4")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#stakeholder-list-{plan.pk}")).to_contain_text("周敏")
    assert same_document()
    member = PlanStakeholder.objects.get(plan=plan, stakeholder__name="周敏")
    assert (member.relevance, member.influence, member.stakeholder.side) == (5, 4, "partner")

    # 3. Move the first step down.
    page.goto(f"{live_server.url}/plans/{plan.pk}/flow/")
    same_document = _no_full_reload(page)
    first = flow.steps.order_by("position").first()
    page.locator(f"#step-{first.pk} button[aria-label]").nth(1).click()  # ↓
    expect(page.locator(f"#step-list-{flow.pk} tbody tr").nth(1)).to_contain_text(first.text)
    assert same_document()
    assert list(flow.steps.order_by("position").values_list("text", flat=True)) == ["校验设备", "启动游戏", "进入对局"]
