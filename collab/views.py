"""Comments and attachments: thin adapters between htmx partials and collab/services.py.

Every object is reached through onboarding/access.py: a plan, product or attachment the user may
not read is 404 (another team's ids say nothing), a reader who may not change it gets 403.
"""
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.access import (
    can_edit_comment,
    can_manage_catalogue,
    can_remove_comment,
    can_write_plan,
    get_plan_for_user,
    get_product_for_user,
)
from onboarding.forms import add_service_errors
from onboarding.versioning import StaleEdit

from . import files, markdown, selectors, services
from .forms import AttachmentForm, CommentForm
from .models import Comment

PAGE = "collab/collab.html"
# A file shown in the page (an image preview) may not run anything, even opened on its own.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


# ----------------------------------------------------------------------------- comments
def _task_or_404(plan, raw):
    if raw in (None, ""):
        return None
    task = selectors.task_of(plan, raw)
    if task is None:
        raise Http404
    return task


def decorate_comment(comment, user, plan, html=None):
    if comment.deleted_at is not None:
        comment.html = ""
    else:
        comment.html = html[comment.body] if html is not None else markdown.render_many([comment.body])[comment.body]
    comment.author_name = selectors.display_name(comment.author)
    comment.mine = can_edit_comment(user, comment) and plan.user_can_write
    comment.removable = comment.deleted_at is None and plan.user_can_write and can_remove_comment(user, comment)
    return comment


def thread_context(request, plan, task, form=None):
    if not hasattr(plan, "user_can_write"):
        plan.user_can_write = can_write_plan(request.user, plan)
    comments = list(selectors.comments_of(plan, task))
    html = markdown.render_many(comment.body for comment in comments if comment.deleted_at is None)
    comments = [decorate_comment(comment, request.user, plan, html) for comment in comments]
    mentions_url = reverse("collab:mention_search", args=[plan.pk])
    if form is None and plan.user_can_write:
        form = CommentForm(mentions_url=mentions_url, auto_id=f"comment-{plan.pk}-{task.pk if task else 0}-%s")
    return {"plan": plan, "task": task, "comments": comments, "form": form,
            "thread_id": f"comments-{plan.pk}-{task.pk if task else 'plan'}",
            "comments_url": reverse("collab:comments", args=[plan.pk]) + (f"?task={task.pk}" if task else "")}


def _back(plan, task):
    if task is not None:
        return redirect("schedule:task_detail", plan.pk, task.pk)
    return redirect("schedule:plan_overview", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def comments(request, plan_id):
    """The thread of a plan or of one of its tasks (``task``); POST adds a comment to it."""
    plan = get_plan_for_user(request, plan_id, write=request.method == "POST")
    task = _task_or_404(plan, request.GET.get("task") or request.POST.get("task"))
    if request.method == "GET":
        return render(request, f"{PAGE}#thread", thread_context(request, plan, task))
    mentions_url = reverse("collab:mention_search", args=[plan.pk])
    form = CommentForm(request.POST, instance=Comment(plan=plan, task=task), mentions_url=mentions_url,
                       auto_id=f"comment-{plan.pk}-{task.pk if task else 0}-%s")
    if form.is_valid():
        try:
            services.comment_create(plan=plan, task=task, author=request.user, body=form.cleaned_data["body"],
                                    shared_with_partner=form.cleaned_data["shared_with_partner"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                return _back(plan, task)
            return render(request, f"{PAGE}#thread", thread_context(request, plan, task))
    return render(request, f"{PAGE}#thread", thread_context(request, plan, task, form=form), status=422)


def _comment_or_404(plan, pk):
    comment = selectors.comment_of(plan, pk)
    if comment is None:
        raise Http404
    return comment


def _one(request, plan, comment, status=200, form=None):
    part = "comment_form" if form is not None else "comment"
    return render(request, f"{PAGE}#{part}", {"plan": plan, "comment": decorate_comment(comment, request.user, plan),
                                              "form": form}, status=status)


@login_required
@require_GET
def comment_row(request, plan_id, pk):
    """One comment as the thread shows it (an edit's Cancel)."""
    plan = get_plan_for_user(request, plan_id)
    return _one(request, plan, _comment_or_404(plan, pk))


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, plan_id, pk):
    """The author edits their comment in place; the history keeps every earlier text."""
    plan = get_plan_for_user(request, plan_id, write=True)
    comment = _comment_or_404(plan, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    mentions_url = reverse("collab:mention_search", args=[plan.pk])
    auto_id = f"comment-edit-{comment.pk}-%s"
    if request.method == "GET":
        return _one(request, plan, comment, form=CommentForm(instance=comment, mentions_url=mentions_url,
                                                             auto_id=auto_id))
    form = CommentForm(request.POST, instance=comment, mentions_url=mentions_url, auto_id=auto_id)
    if form.is_valid():
        try:
            services.comment_update(comment=comment, user=request.user, body=form.cleaned_data["body"],
                                    version=form.cleaned_data["version"],
                                    shared_with_partner=form.cleaned_data["shared_with_partner"])
        except StaleEdit as stale:
            form.show_stale(stale)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                return _back(plan, comment.task)
            return _one(request, plan, comment)
    comment = _comment_or_404(plan, pk)  # the saved text, not the refused one
    return _one(request, plan, comment, status=422, form=form)


@login_required
@require_POST
def comment_delete(request, plan_id, pk):
    plan = get_plan_for_user(request, plan_id, write=True)
    comment = _comment_or_404(plan, pk)
    if not can_remove_comment(request.user, comment):
        raise PermissionDenied
    services.comment_delete(comment=comment, user=request.user)
    if not request.htmx:
        return _back(plan, comment.task)
    return _one(request, plan, comment)


@login_required
@require_GET
def mention_search(request, plan_id):
    """People who can read the plan and whose name starts with ``q``: the @ autocomplete's choices."""
    plan = get_plan_for_user(request, plan_id)
    people = selectors.mention_candidates(plan, request.GET.get("q", ""))
    results = [{"username": user.username, "name": selectors.display_name(user)} for user in people]
    # Names are the users' own text: escaped for HTML too, like every JSON this app sends.
    body = json.dumps({"results": results}, ensure_ascii=False).translate(
        {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"})
    return HttpResponse(body, content_type="application/json")


# ----------------------------------------------------------------------------- attachments
def attachments_context(request, *, plan=None, task=None, product=None, form=None):
    if product is not None:
        can_write = can_manage_catalogue(request.user, product.workspace)
        upload_url = reverse("collab:product_attachments", args=[product.pk])
        list_id = f"attachments-product-{product.pk}"
    else:
        can_write = can_write_plan(request.user, plan)
        upload_url = reverse("collab:plan_attachments", args=[plan.pk]) + (f"?task={task.pk}" if task else "")
        list_id = f"attachments-{plan.pk}-{task.pk if task else 'plan'}"
    if form is None and can_write:
        form = AttachmentForm(auto_id=f"{list_id}-%s")
    items = list(selectors.attachments_of(plan=plan, task=task, product=product))
    for item in items:
        item.previewable = item.content_type in files.IMAGES
        item.kind = files.ACCEPTED.get(item.content_type, ("", item.content_type))[1]
        item.uploader_name = selectors.display_name(item.uploaded_by)
    return {"attachments": [item for item in items if item.deleted_at is None],
            "deleted_attachments": [item for item in items if item.deleted_at is not None],
            "can_write": can_write, "upload_url": upload_url, "list_id": list_id, "form": form,
            "max_bytes": settings.ATTACHMENT_MAX_BYTES, "accepted": files.ACCEPTED_LABEL}


def _upload(request, *, plan=None, task=None, product=None):
    form = AttachmentForm(request.POST, request.FILES, auto_id="upload-%s")
    if form.is_valid():
        try:
            services.attachment_create(upload=form.cleaned_data["file"], user=request.user, plan=plan, task=task,
                                       product=product, description=form.cleaned_data["description"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                return redirect("onboarding:product_detail", product.pk) if product else _back(plan, task)
            return render(request, f"{PAGE}#attachments",
                          attachments_context(request, plan=plan, task=task, product=product))
    return render(request, f"{PAGE}#attachments",
                  attachments_context(request, plan=plan, task=task, product=product, form=form), status=422)


@login_required
@require_http_methods(["GET", "POST"])
def plan_attachments(request, plan_id):
    """The files of a plan or of one of its tasks (``task``); POST uploads one."""
    plan = get_plan_for_user(request, plan_id, write=request.method == "POST")
    task = _task_or_404(plan, request.GET.get("task") or request.POST.get("task"))
    if request.method == "POST":
        return _upload(request, plan=plan, task=task)
    return render(request, f"{PAGE}#attachments", attachments_context(request, plan=plan, task=task))


@login_required
@require_http_methods(["GET", "POST"])
def product_attachments(request, product_id):
    product = get_product_for_user(request, product_id, write=request.method == "POST")
    if request.method == "POST":
        return _upload(request, product=product)
    return render(request, f"{PAGE}#attachments", attachments_context(request, product=product))


def _attachment_or_404(request, pk):
    attachment = selectors.attachment_for_user(request.user, pk)
    if attachment is None:
        raise Http404
    return attachment


@login_required
@require_GET
def attachment_file(request, pk):
    """The file itself, to readers of what it belongs to only: images inline (a preview), everything
    else as a download, with the type it was sniffed to be and nothing for the browser to guess."""
    attachment = _attachment_or_404(request, pk)
    if attachment.deleted_at is not None:
        raise Http404
    inline = attachment.content_type in files.IMAGES and not request.GET.get("download")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _writable_attachment(request, pk):
    attachment = _attachment_or_404(request, pk)
    if attachment.plan_id is not None:
        plan = get_plan_for_user(request, attachment.plan_id, write=True)
        return attachment, {"plan": plan, "task": attachment.task}
    if not can_manage_catalogue(request.user, attachment.product.workspace):
        raise PermissionDenied
    return attachment, {"product": attachment.product}


def _after_attachment_change(request, attachment, owner):
    if not request.htmx:
        if "product" in owner:
            return redirect("onboarding:product_detail", owner["product"].pk)
        return _back(owner["plan"], owner["task"])
    return render(request, f"{PAGE}#attachments", attachments_context(request, **owner))


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment, owner = _writable_attachment(request, pk)
    services.attachment_delete(attachment=attachment, user=request.user)
    return _after_attachment_change(request, attachment, owner)


@login_required
@require_POST
def attachment_restore(request, pk):
    attachment, owner = _writable_attachment(request, pk)
    services.attachment_restore(attachment=attachment, user=request.user)
    return _after_attachment_change(request, attachment, owner)
