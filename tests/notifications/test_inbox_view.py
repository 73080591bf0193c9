"""The inbox: my items newest first in my language, unread in bold, marked read with htmx."""
from notifications.models import Notification
from notifications.services import notification_create
from tests.factories import PlanFactory, UserFactory, WorkspaceFactory

from .conftest import task

URL = "/inbox/"
READ = "/inbox/read/"
HX = {"HTTP_HX_REQUEST": "true"}


def given(plan, pm, user, t):
    return notification_create(recipient=user, kind=Notification.Kind.ASSIGNED, workspace=plan.workspace,
                               actor=pm, plan=plan, task=t, params={"tasks": [{"id": t.pk, "title": t.title}]})


def test_needs_a_login(client, db):
    assert client.get(URL).status_code == 302


def test_lists_my_items_newest_first_in_my_language(client, plan, pm, lei):
    plan.editors.add(lei)
    first = given(plan, pm, lei, task(plan, "官网介绍"))
    given(plan, pm, lei, task(plan, "提供测试账号"))
    client.force_login(lei)
    page = client.get(URL).content.decode()
    assert page.index("Pat gave you the task 提供测试账号 in MTP 接入") < page.index("官网介绍")
    assert f'href="/plans/{plan.pk}/tasks/{first.task_id}/detail/"' in page
    assert page.count('class="inbox-item unread"') == 2
    assert 'id="badge-inbox" class="nav-count unread" title="Unread">2<' in page
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Pat 在「MTP 接入」中给了你任务「提供测试账号」" in chinese


def test_mark_one_read(client, plan, pm, lei):
    plan.editors.add(lei)
    item = given(plan, pm, lei, task(plan, "官网介绍"))
    other = given(plan, pm, lei, task(plan, "接口文档"))
    client.force_login(lei)
    response = client.post(READ, {"item": item.pk}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="inbox-item-{item.pk}" class="inbox-item"' in body
    assert 'id="badge-inbox" class="nav-count unread" hx-swap-oob="true" title="Unread">1<' in body
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.read_at is not None and other.read_at is None


def test_mark_all_read(client, plan, pm, lei):
    plan.editors.add(lei)
    for title in ("官网介绍", "接口文档"):
        given(plan, pm, lei, task(plan, title))
    client.force_login(lei)
    response = client.post(READ, {}, **HX)
    assert response.status_code == 200 and 'class="inbox-item unread"' not in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    response = client.post(READ, {})
    assert response.status_code == 302


def test_another_users_item_is_404_and_stays_unread(client, plan, pm, lei, manager):
    plan.editors.add(lei)
    theirs = given(plan, pm, manager, task(plan, "官网介绍"))
    client.force_login(lei)
    assert client.post(READ, {"item": theirs.pk}, **HX).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bad_input_is_refused(client, lei):
    client.force_login(lei)
    response = client.post(READ, {"item": "abc"}, **HX)
    assert response.status_code == 422 and "Enter a whole number" in response.content.decode()


def test_another_workspace_never_shows_names(client, plan, pm, lei):
    """An item about a plan of a workspace I am in is listed only in that workspace; an item whose
    plan I can no longer read is not listed at all."""
    plan.editors.add(lei)
    given(plan, pm, lei, task(plan, "秘密任务"))
    spy = UserFactory(username="spy", workspace=WorkspaceFactory(name="别的团队"))
    client.force_login(spy)
    page = client.get(URL).content.decode()
    assert "秘密任务" not in page and "MTP 接入" not in page
    plan.editors.remove(lei)
    client.force_login(lei)
    page = client.get(URL).content.decode()
    assert "秘密任务" not in page


def test_an_item_of_another_workspace_of_mine_waits_in_that_workspace(client, pm, lei, product, scenario):
    from onboarding.models import Workspace, WorkspaceMember

    second = WorkspaceFactory(name="第二团队")
    WorkspaceMember.objects.get_or_create(workspace=second, user=lei, defaults={"role": "pm"})
    boss = UserFactory(username="boss2", first_name="Boss", workspace=second)
    other = PlanFactory(name="第二团队的计划", owner=boss, workspace=second, product=product, scenario=scenario)
    other.editors.add(lei)
    given(other, boss, lei, task(other, "第二团队的任务"))
    client.force_login(lei)
    session = client.session
    session["workspace"] = Workspace.objects.get(name="安全产品接入组").pk
    session.save()
    assert "第二团队的任务" not in client.get(URL).content.decode()
    session["workspace"] = second.pk
    session.save()
    assert "第二团队的任务" in client.get(URL).content.decode()
