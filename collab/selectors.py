"""Reads of comments and attachments. Callers have already reached the plan or product through
onboarding/access.py; these only narrow to what belongs to it."""
from django.db.models import Q
from django.utils.translation import gettext as _

from onboarding.access import READS_EVERY_PLAN, products_readable_by, plans_readable_by, users_of
from schedule.models import Task

from .markdown import render_many
from .models import Attachment, Comment

MENTION_MATCHES = 8


def display_name(user):
    return (user.get_full_name() or user.username) if user is not None else ""


def comments_of(plan, task=None):
    """The thread of a plan (its own comments) or of one of its tasks, oldest first, deleted ones
    included (shown as "deleted")."""
    return Comment.objects.filter(plan=plan, task=task).select_related("author")


def comment_of(plan, pk):
    return Comment.objects.select_related("author", "task").filter(plan=plan, pk=pk).first()


def task_of(plan, task_id):
    """One task of the plan, or None (a task of another plan, or no such id)."""
    try:
        return Task.objects.filter(plan=plan, pk=int(task_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def plan_readers(plan):
    """The workspace's active accounts who may read the plan: those who can be mentioned on it."""
    return users_of(plan.workspace).filter(
        Q(workspace_roles__workspace=plan.workspace, workspace_roles__role__in=READS_EVERY_PLAN)
        | Q(pk=plan.owner_id) | Q(edited_plans=plan) | Q(viewed_plans=plan)).distinct()


def mention_candidates(plan, prefix):
    """Readers of the plan whose user name or name starts with ``prefix`` (any word of it)."""
    prefix = (prefix or "").strip().lstrip("@")[:60]
    readers = plan_readers(plan)
    if prefix:
        readers = readers.filter(Q(username__istartswith=prefix) | Q(first_name__istartswith=prefix)
                                 | Q(last_name__istartswith=prefix))
    return list(readers.order_by("username")[:MENTION_MATCHES])


def attachments_of(*, plan=None, task=None, product=None):
    """Files of a plan (its own, not its tasks'), of a task, or of a product, newest first."""
    found = Attachment.objects.select_related("uploaded_by")
    if product is not None:
        return found.filter(product=product)
    return found.filter(plan=plan, task=task)


def attachment_for_user(user, pk):
    """The attachment if the user may read what it belongs to; None otherwise (the view's 404)."""
    attachment = Attachment.objects.select_related("plan", "task", "product").filter(pk=pk).first()
    if attachment is None:
        return None
    if attachment.plan_id is not None:
        if not plans_readable_by(user).filter(pk=attachment.plan_id).exists():
            return None
    elif not products_readable_by(user).filter(pk=attachment.product_id).exists():
        return None
    return attachment


def shared_comments(plan, task_ids):
    """Comments marked for the partner, on the plan itself or on the tasks they see, for the share
    page: plain values, without any account detail but the author's name."""
    rows = (Comment.objects.filter(plan=plan, shared_with_partner=True, deleted_at__isnull=True)
            .filter(Q(task__isnull=True) | Q(task_id__in=list(task_ids)))
            .select_related("author", "task").order_by("created_at", "id"))
    return list(rows)


def partner_comments(plan, task_titles, *, platform_names):
    """The share page's "Comments for you": plain rows (task title, author's name or "Platform
    team", when, the rendered text), never an account's email or user name."""
    comments = shared_comments(plan, task_titles)
    html = render_many(comment.body for comment in comments)
    rows = []
    for comment in comments:
        author = (comment.author.get_full_name() if comment.author else "") if platform_names else ""
        rows.append({"task": task_titles.get(comment.task_id, "") if comment.task_id else "",
                     "author": author or _("Platform team"), "when": comment.created_at,
                     "edited": bool(comment.edited_at), "html": html[comment.body]})
    return rows
