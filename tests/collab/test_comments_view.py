"""Comments on tasks and plans: add, edit, delete with htmx; Markdown made safe; @mentions."""
from django.urls import reverse

from collab.models import Comment
from notifications.models import Notification
from tests.collab.conftest import htmx


def _add(client, plan, body, task=None, **extra):
    data = {"body": body, **extra}
    if task is not None:
        data["task"] = task.pk
    return htmx(client, "post", reverse("collab:comments", args=[plan.pk]), data)


def test_a_pm_comments_on_a_task_and_the_thread_comes_back_rendered(pm_client, plan, task):
    response = _add(pm_client, plan, "**Ready** for `联调`: see [docs](https://example.com/docs)", task)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>Ready</strong>" in body and "<code>联调</code>" in body
    assert 'href="https://example.com/docs"' in body and 'rel="noopener noreferrer nofollow"' in body
    comment = Comment.objects.get()
    assert comment.task == task and comment.plan == plan and comment.author.username == "pm"
    # The thread is on the task's details, in the side panel and on the task's own page.
    panel = pm_client.get(reverse("schedule:task_detail", args=[plan.pk, task.pk]) + "?panel=1", HTTP_HX_REQUEST="true")
    assert "<strong>Ready</strong>" in panel.content.decode()
    assert "<strong>Ready</strong>" in pm_client.get(reverse("schedule:task_detail", args=[plan.pk, task.pk])).content.decode()


def test_a_plan_comment_shows_on_the_overview_not_on_tasks(pm_client, plan, task):
    _add(pm_client, plan, "Kick-off on Monday")
    assert Comment.objects.get().task is None
    assert "Kick-off on Monday" in pm_client.get(reverse("schedule:plan_overview", args=[plan.pk])).content.decode()
    panel = pm_client.get(reverse("schedule:task_detail", args=[plan.pk, task.pk]))
    assert "Kick-off on Monday" not in panel.content.decode()


def test_html_and_script_links_come_out_as_text(pm_client, plan, task):
    response = _add(pm_client, plan, '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) '
                                     '![i](https://evil.example/i.png)', task)
    body = response.content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body and 'href="javascript:' not in body
    assert "evil.example/i.png" not in body or '<img src="https://evil.example' not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_empty_comment_is_refused_in_the_form(pm_client, plan, task):
    response = _add(pm_client, plan, "   ", task)
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def test_viewers_and_managers_read_but_cannot_comment(client, plan, task, colleague, manager, pm_client):
    _add(pm_client, plan, "Visible to readers", task)
    for reader in (colleague, manager):
        client.force_login(reader)
        page = client.get(reverse("collab:comments", args=[plan.pk]), {"task": task.pk})
        assert page.status_code == 200 and "Visible to readers" in page.content.decode()
        assert 'name="body"' not in page.content.decode()
        assert _add(client, plan, "mine", task).status_code == 403
    assert Comment.objects.count() == 1


def test_a_task_of_another_plan_is_404(pm_client, plan, pm):
    from tests.factories import PlanFactory, TaskFactory

    elsewhere = TaskFactory(plan=PlanFactory(owner=pm))
    assert _add(pm_client, plan, "x", elsewhere).status_code == 404
    assert htmx(pm_client, "post", reverse("collab:comments", args=[plan.pk]), {"body": "x", "task": "abc"}).status_code == 404
    assert not Comment.objects.exists()


# ------------------------------------------------------------------ mentions
def test_a_mention_creates_exactly_one_notification(pm_client, plan, task, colleague):
    response = _add(pm_client, plan, "@lilei please check, @lilei again", task)
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [colleague]
    notes = Notification.objects.filter(recipient=colleague)
    assert notes.count() == 1
    note = notes.get()
    assert note.kind == Notification.Kind.MENTION and note.comment == comment and note.task == task
    assert note.actor.username == "pm"


def test_a_display_name_is_a_mention_too(pm_client, plan, task, colleague, editor):
    _add(pm_client, plan, "@Li Lei and @韩梅梅请看", task)
    assert set(Comment.objects.get().mentions.all()) == {colleague, editor}
    assert Notification.objects.filter(kind="mention").count() == 2


def test_an_email_address_and_unknown_names_are_just_text(pm_client, plan, task, colleague):
    response = _add(pm_client, plan, "mail lilei@example.com, ask @nobody", task)
    assert response.status_code == 200
    assert not Comment.objects.get().mentions.exists() and not Notification.objects.exists()


def test_mentioning_someone_who_cannot_read_the_plan_is_refused(pm_client, plan, task, outsider, colleague):
    response = _add(pm_client, plan, "@zhangsan and @lilei have a look", task)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Zhang San cannot read this plan" in body and "nothing was saved" in body
    assert "@zhangsan and @lilei have a look" in body  # the text stays in the form
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_someone_of_another_workspace_is_not_even_named(pm_client, plan, task, stranger):
    response = _add(pm_client, plan, "@stranger hello", task)
    assert response.status_code == 200  # plain text: their name is not confirmed to exist
    assert not Comment.objects.get().mentions.exists() and not Notification.objects.exists()


def test_the_mention_box_lists_only_readers_of_the_plan(pm_client, plan, colleague, outsider, stranger, manager):
    url = reverse("collab:mention_search", args=[plan.pk])
    names = {row["username"] for row in pm_client.get(url, {"q": ""}).json()["results"]}
    assert {"lilei", "boss", "pm"} <= names and not names & {"zhangsan", "stranger"}
    assert [row["username"] for row in pm_client.get(url, {"q": "li"}).json()["results"]] == ["lilei"]
    assert [row["name"] for row in pm_client.get(url, {"q": "Lei"}).json()["results"]] == ["Li Lei"]


# ------------------------------------------------------------------ edit and delete
def test_the_author_edits_with_history_and_only_new_mentions_are_told(pm_client, plan, task, colleague, editor):
    _add(pm_client, plan, "first @lilei", task)
    comment = Comment.objects.get()
    url = reverse("collab:comment_edit", args=[plan.pk, comment.pk])
    form = htmx(pm_client, "get", url)
    assert form.status_code == 200 and "first @lilei" in form.content.decode()
    response = htmx(pm_client, "post", url, {"body": "second @lilei @hanmei", "version": comment.version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "second" in body and "(edited)" in body
    comment.refresh_from_db()
    assert comment.edited_at is not None and comment.body == "second @lilei @hanmei"
    assert [record.body for record in comment.history.order_by("history_id")] == ["first @lilei", "second @lilei @hanmei"]
    assert Notification.objects.filter(recipient=colleague).count() == 1
    assert Notification.objects.filter(recipient=editor).count() == 1


def test_an_edit_from_an_old_version_is_refused(pm_client, plan, task):
    _add(pm_client, plan, "v1", task)
    comment = Comment.objects.get()
    url = reverse("collab:comment_edit", args=[plan.pk, comment.pk])
    assert htmx(pm_client, "post", url, {"body": "v2", "version": comment.version}).status_code == 200
    stale = htmx(pm_client, "post", url, {"body": "v3", "version": comment.version})
    assert stale.status_code == 422 and "Someone else changed this" in stale.content.decode()
    comment.refresh_from_db()
    assert comment.body == "v2"


def test_an_edit_adding_a_mention_without_access_changes_nothing(pm_client, plan, task, outsider):
    _add(pm_client, plan, "v1", task)
    comment = Comment.objects.get()
    response = htmx(pm_client, "post", reverse("collab:comment_edit", args=[plan.pk, comment.pk]),
                    {"body": "v2 @zhangsan", "version": comment.version})
    assert response.status_code == 422 and "cannot read this plan" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "v1" and comment.edited_at is None and not Notification.objects.exists()


def test_only_the_author_edits_and_the_author_or_an_admin_deletes(client, pm_client, plan, task, editor, team_admin):
    _add(pm_client, plan, "the owner's words", task)
    comment = Comment.objects.get()
    edit = reverse("collab:comment_edit", args=[plan.pk, comment.pk])
    delete = reverse("collab:comment_delete", args=[plan.pk, comment.pk])
    client.force_login(editor)
    assert htmx(client, "get", edit).status_code == 403
    assert htmx(client, "post", edit, {"body": "hijacked", "version": comment.version}).status_code == 403
    assert htmx(client, "post", delete).status_code == 403
    client.force_login(team_admin)
    assert htmx(client, "post", edit, {"body": "hijacked", "version": comment.version}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "the owner's words" and comment.deleted_at is None
    response = htmx(client, "post", delete)
    assert response.status_code == 200 and "Comment deleted" in response.content.decode()


def test_deleting_keeps_the_row_and_hides_the_text(pm_client, plan, task):
    _add(pm_client, plan, "oops, a secret", task)
    comment = Comment.objects.get()
    response = htmx(pm_client, "post", reverse("collab:comment_delete", args=[plan.pk, comment.pk]))
    assert response.status_code == 200 and "oops" not in response.content.decode()
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    thread = pm_client.get(reverse("collab:comments", args=[plan.pk]), {"task": task.pk}).content.decode()
    assert "oops" not in thread and "Comment deleted" in thread
    assert htmx(pm_client, "post", reverse("collab:comment_edit", args=[plan.pk, comment.pk]),
                {"body": "again", "version": comment.version}).status_code == 422


def test_without_htmx_a_comment_is_saved_and_the_page_comes_back(pm_client, plan, task):
    response = pm_client.post(reverse("collab:comments", args=[plan.pk]), {"body": "plain form", "task": task.pk})
    assert response.status_code == 302 and response["Location"] == reverse("schedule:task_detail", args=[plan.pk, task.pk])
