"""A user of another workspace gets 404 for every comment and attachment URL, whatever the method,
and sees nothing of this team's (not a name, not a file)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from collab import services
from collab.models import Attachment, Comment
from tests.collab.conftest import PDF, PNG


@pytest.fixture
def things(plan, task, pm, product):
    comment = services.comment_create(plan=plan, task=task, author=pm, body="SECRET-comment").obj
    plan_file = services.attachment_create(upload=SimpleUploadedFile("SECRET-plan.pdf", PDF), user=pm, plan=plan).obj
    task_file = services.attachment_create(upload=SimpleUploadedFile("SECRET-task.png", PNG), user=pm, plan=plan,
                                           task=task).obj
    product_file = services.attachment_create(upload=SimpleUploadedFile("SECRET-product.pdf", PDF), user=pm,
                                              product=product).obj
    return {"plan": plan, "task": task, "comment": comment, "files": [plan_file, task_file, product_file],
            "product": product}


def urls(things):
    plan, task, comment = things["plan"], things["task"], things["comment"]
    found = [
        ("get", reverse("collab:comments", args=[plan.pk]), {}),
        ("get", reverse("collab:comments", args=[plan.pk]) + f"?task={task.pk}", {}),
        ("post", reverse("collab:comments", args=[plan.pk]), {"body": "x", "task": task.pk}),
        ("get", reverse("collab:comment_row", args=[plan.pk, comment.pk]), {}),
        ("get", reverse("collab:comment_edit", args=[plan.pk, comment.pk]), {}),
        ("post", reverse("collab:comment_edit", args=[plan.pk, comment.pk]), {"body": "x", "version": 1}),
        ("post", reverse("collab:comment_delete", args=[plan.pk, comment.pk]), {}),
        ("get", reverse("collab:mention_search", args=[plan.pk]) + "?q=", {}),
        ("get", reverse("collab:plan_attachments", args=[plan.pk]), {}),
        ("get", reverse("collab:plan_attachments", args=[plan.pk]) + f"?task={task.pk}", {}),
        ("post", reverse("collab:plan_attachments", args=[plan.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}),
        ("get", reverse("collab:product_attachments", args=[things["product"].pk]), {}),
        ("post", reverse("collab:product_attachments", args=[things["product"].pk]),
         {"file": SimpleUploadedFile("a.pdf", PDF)}),
    ]
    for attachment in things["files"]:
        found += [("get", reverse("collab:attachment_file", args=[attachment.pk]), {}),
                  ("get", reverse("collab:attachment_file", args=[attachment.pk]) + "?download=1", {}),
                  ("post", reverse("collab:attachment_delete", args=[attachment.pk]), {}),
                  ("post", reverse("collab:attachment_restore", args=[attachment.pk]), {})]
    return found


@pytest.mark.parametrize("hx", [False, True])
def test_every_comment_and_attachment_url_is_404_to_another_workspace(client, things, stranger, hx):
    client.force_login(stranger)
    headers = {"HTTP_HX_REQUEST": "true"} if hx else {}
    checked = 0
    for method, url, data in urls(things):
        response = getattr(client, method)(url, data, **headers)
        assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
        assert b"SECRET" not in (b"".join(response.streaming_content) if response.streaming else response.content)
        checked += 1
    assert checked == 25
    assert Comment.objects.count() == 1 and Comment.objects.get().deleted_at is None
    assert Attachment.objects.count() == 3 and not Attachment.objects.filter(deleted_at__isnull=False).exists()


def test_a_team_member_not_on_the_plan_gets_404_too_but_sees_the_product_files(client, things, outsider):
    client.force_login(outsider)
    plan_file, task_file, product_file = things["files"]
    for method, url, _data in urls(things):
        if "/products/" in url or f"/attachments/{product_file.pk}/" in url:
            continue
        response = getattr(client, method)(url, {})
        assert response.status_code == 404, url
    # Products are the workspace's catalogue: every member reads their files.
    assert client.get(reverse("collab:attachment_file", args=[product_file.pk])).status_code == 200
