"""Writes of comments and attachments: each inside the plan's write frame (its lock), or a plain
transaction for a product's files. Mentions are resolved and checked here, so every way of writing
a comment refuses the same mentions and notifies the same people."""
import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notification_create
from onboarding import revisions
from onboarding.access import can_edit_comment, can_remove_comment, users_of
from onboarding.services import Written, plan_write
from onboarding.versioning import claim

from . import files
from .models import Attachment, Comment
from .selectors import display_name, plan_readers

_AT = re.compile(r"(?<![\w@.])@")
MAX_MENTION_MARKS = 200  # @ signs looked at in one comment: enough for any real thread


def _ends_word(text, end):
    """A name ends where the next character cannot continue a Latin word ("@li" is not "@lily")."""
    if end >= len(text):
        return True
    following = text[end]
    return not (following.isascii() and (following.isalnum() or following == "_"))


def mentioned_users(plan, body):
    """The workspace's people named in ``body`` as ``@username`` or ``@display name`` (the longest
    name that fits wins). A name that is no one's of this workspace is just text."""
    people = {}
    for user in users_of(plan.workspace):
        for key in {user.username, user.get_full_name()}:
            if key.strip():
                people.setdefault(key.strip().lower(), user)
    keys = sorted(people, key=len, reverse=True)
    lowered = (body or "").lower()
    found = {}
    for number, mark in enumerate(_AT.finditer(lowered)):
        if number >= MAX_MENTION_MARKS:
            break
        start = mark.end()
        for key in keys:
            if lowered.startswith(key, start) and _ends_word(lowered, start + len(key)):
                user = people[key]
                found[user.pk] = user
                break
    return list(found.values())


def _checked_mentions(plan, body):
    mentioned = mentioned_users(plan, body)
    if not mentioned:
        return []
    readers = set(plan_readers(plan).filter(pk__in=[user.pk for user in mentioned]).values_list("pk", flat=True))
    refused = [user for user in mentioned if user.pk not in readers]
    if refused:
        names = ", ".join(sorted(display_name(user) for user in refused))
        raise ValidationError({"body": _(
            "%(names)s cannot read this plan, so they cannot be mentioned in it: nothing was saved. Ask the plan's "
            "owner to add them as viewers, or remove the mention.") % {"names": names}})
    return mentioned


def _notify(comment, users, actor):
    for user in users:
        notification_create(recipient=user, kind=Notification.Kind.MENTION, workspace=comment.plan.workspace,
                            actor=actor, plan=comment.plan, task=comment.task, comment=comment,
                            params={"excerpt": _excerpt(comment.body)}, dedupe_key=f"mention:{comment.pk}")


def _excerpt(body, length=140):
    """The start of what was said, as plain text, for the inbox and the email (never rendered as HTML)."""
    text = " ".join(body.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _shown_changed(plan_id):
    """The share page shows shared comments: its cached copies must be built again."""
    revisions.bump(plan_id)
    transaction.on_commit(lambda: revisions.bump(plan_id))


def comment_create(*, plan, author, body, task=None, shared_with_partner=False):
    """A new comment on the plan (or on ``task``, one of its tasks); each person mentioned is told once."""
    if task is not None and task.plan_id != plan.pk:
        raise ValidationError({"task": _("This task is not in this plan.")})
    with plan_write(plan):
        mentioned = _checked_mentions(plan, body)
        comment = Comment(workspace=plan.workspace, plan=plan, task=task, author=author, body=body,
                          shared_with_partner=shared_with_partner)
        comment.full_clean()
        comment.save()
        comment.mentions.set(mentioned)
        _notify(comment, mentioned, author)
        _shown_changed(plan.pk)
    return Written(comment)


def comment_update(*, comment, user, body, version, shared_with_partner):
    """The author's new text; only people mentioned for the first time are told."""
    if not can_edit_comment(user, comment):
        raise PermissionDenied(_("Only the author can edit a comment."))
    if comment.deleted_at is not None:
        raise ValidationError({"body": _("This comment was deleted: it cannot be edited.")})
    plan = comment.plan
    with plan_write(plan):
        claim(comment, version)
        mentioned = _checked_mentions(plan, body)
        before = set(comment.mentions.values_list("pk", flat=True))
        comment.body = body
        comment.shared_with_partner = shared_with_partner
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save()
        comment.mentions.set(mentioned)
        _notify(comment, [person for person in mentioned if person.pk not in before], user)
        _shown_changed(plan.pk)
    return Written(comment)


def comment_delete(*, comment, user):
    """Hide the comment's text; the row stays, so the thread and the history show something was removed."""
    if not can_remove_comment(user, comment):
        raise PermissionDenied(_("Only the author or a workspace administrator can delete a comment."))
    with plan_write(comment.plan):
        if comment.deleted_at is None:
            comment.deleted_at = timezone.now()
            comment.save(update_fields=["deleted_at"])
        _shown_changed(comment.plan_id)
    return Written(comment)


# ----------------------------------------------------------------------------- attachments
def check_upload(upload):
    """(content type, clean name) of an upload, or ValidationError before anything is stored."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if upload.size > limit:
        raise ValidationError({"file": _("“%(name)s” is %(size)s: files of at most %(limit)s can be attached.") % {
            "name": files.clean_name(upload.name), "size": filesizeformat(upload.size),
            "limit": filesizeformat(limit)}})
    if upload.size == 0:
        raise ValidationError({"file": _("“%(name)s” is empty.") % {"name": files.clean_name(upload.name)}})
    content_type = files.sniff(upload)
    if content_type is None:
        raise ValidationError({"file": _("“%(name)s” is not a kind of file that can be attached here (whatever its "
                                         "name says). Accepted: %(accepted)s.") % {
            "name": files.clean_name(upload.name), "accepted": files.ACCEPTED_LABEL}})
    return content_type, files.clean_name(upload.name)


def _store(attachment, upload, content_type):
    extension = files.ACCEPTED[content_type][0]
    # A random name: the stored path says nothing and cannot be guessed or collide.
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    attachment.full_clean()
    attachment.save()


def attachment_create(*, upload, user, plan=None, task=None, product=None, description=""):
    """Keep an uploaded file with a plan (or one of its tasks) or a product."""
    content_type, name = check_upload(upload)
    if task is not None and (plan is None or task.plan_id != plan.pk):
        raise ValidationError({"task": _("This task is not in this plan.")})
    workspace = plan.workspace if plan is not None else product.workspace
    attachment = Attachment(workspace=workspace, plan=plan, task=task, product=product if plan is None else None,
                            name=name, size=upload.size, content_type=content_type,
                            description=description, uploaded_by=user)
    if plan is None:
        with transaction.atomic():
            _store(attachment, upload, content_type)
    else:
        with plan_write(plan):
            _store(attachment, upload, content_type)
    return Written(attachment)


def _in_frame(attachment):
    return plan_write(attachment.plan) if attachment.plan_id else transaction.atomic()


def attachment_delete(*, attachment, user):
    """Take the file off the lists; the row and the stored file stay, so the history still names it
    and it can be restored."""
    with _in_frame(attachment):
        if attachment.deleted_at is None:
            attachment.deleted_at = timezone.now()
            attachment.save(update_fields=["deleted_at"])
    return Written(attachment)


def attachment_restore(*, attachment, user):
    with _in_frame(attachment):
        if attachment.deleted_at is not None:
            attachment.deleted_at = None
            attachment.save(update_fields=["deleted_at"])
    return Written(attachment)


def collab_follow_plan(*, plan, old_product, workspace, **_signal):
    """After ``plan`` moved to ``workspace`` (``stakeholders.signals.plan_moved``): its comments and
    files go with it, and the product's files too when the product itself moved (not when the old
    team kept it)."""
    comments = Comment.objects.filter(plan=plan).update(workspace=workspace)
    files = Attachment.objects.filter(plan=plan).update(workspace=workspace)
    if plan.product.pk == old_product.pk:
        files += Attachment.objects.filter(product=plan.product, plan__isnull=True).update(workspace=workspace)
    if comments or files:
        return _("Its comments (%(comments)d) and files (%(files)d) came along.") % {"comments": comments, "files": files}
    return None
