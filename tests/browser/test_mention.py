"""In Chromium: a PM mentions a colleague on a task through the @ dropdown; the colleague, who can
read the plan and owns the task, sees the mention in the inbox and in My work."""
from collab.models import Comment
from notifications.models import Notification
from tests.factories import PASSWORD, PhaseFactory, PlanFactory, PlanStakeholderFactory, TaskFactory, UserFactory


def test_a_pm_mentions_a_colleague_who_then_has_the_notification(page, live_server, login):
    pm = UserFactory(username="pm", first_name="Pat")
    colleague = UserFactory(username="lilei", first_name="李雷")
    UserFactory(username="lisi", first_name="李四")  # of the team, not on the plan: not offered
    plan = PlanFactory(owner=pm, name="MTP 接入")
    plan.viewers.add(colleague)
    owner = PlanStakeholderFactory(plan=plan, stakeholder__name="李雷", stakeholder__user=colleague)
    task = TaskFactory(plan=plan, phase=PhaseFactory(plan=plan), title="联调测试", owner=owner)

    login("pm", PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/checklist/")
    page.locator(f"#task-{task.pk} a[data-toggles]").click()
    box = page.locator(f"#comments-{plan.pk}-{task.pk} textarea[name=body]")
    box.click()
    box.type("请 @li", delay=50)
    menu = page.locator(".tribute-container li")
    menu.first.wait_for()
    assert menu.count() == 1 and "李雷" in menu.first.inner_text()
    menu.first.click()
    assert box.input_value().startswith("请 @lilei")
    box.type("看一下接口文档")
    page.locator(f"#comments-{plan.pk}-{task.pk} button[type=submit]").last.click()
    page.locator(f"#comments-{plan.pk}-{task.pk} article.comment").wait_for()
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [colleague]

    page.context.clear_cookies()
    login("lilei", PASSWORD)
    note = Notification.objects.get(recipient=colleague)
    assert note.kind == Notification.Kind.MENTION and note.task == task and note.comment == comment
    assert note.actor == pm and note.read_at is None
    page.goto(f"{live_server.url}/plans/{plan.pk}/tasks/{task.pk}/detail/")
    assert "看一下接口文档" in page.locator(f"#comments-{plan.pk}-{task.pk}").inner_text()

    said = "Pat 在「MTP 接入」的任务「联调测试」中提到了你"  # the colleague reads the site's default language
    page.goto(f"{live_server.url}/inbox/")
    inbox = page.locator("main").inner_text()
    assert said in inbox and "看一下接口文档" in inbox
    page.goto(f"{live_server.url}/my-work/")
    mentions = page.locator("#my-work-mentions")
    assert said in mentions.inner_text() and "看一下接口文档" in mentions.inner_text()
    assert page.locator(f"#my-task-{task.pk}").is_visible()  # and the task itself, which is theirs
    mentions.get_by_role("link", name=said).click()
    page.wait_for_url(f"**/plans/{plan.pk}/**")
