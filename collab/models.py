"""Working together inside a plan: comments on plans and tasks, files kept with plans, tasks and
products. Both are internal unless said otherwise; every read goes through onboarding/access.py."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import InWorkspace, Plan, PlanHistory, Product


class Comment(InWorkspace):
    """A comment on a plan, or on one of its tasks when ``task`` is set.

    ``body`` is the Markdown the author typed; it is rendered and sanitized at display time, so a
    change of the allowed subset applies to old comments too. Deleting keeps the row (``deleted_at``)
    so the thread and the history still show that something was said and removed.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan"))
    task = models.ForeignKey("schedule.Task", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="comments", verbose_name=_("task"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="comments", verbose_name=_("author"))
    body = models.TextField(_("comment"), max_length=10000)
    shared_with_partner = models.BooleanField(
        _("shared with the partner"), default=False,
        help_text=_("Shown read-only on the partner's share page."))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in",
                                      verbose_name=_("mentioned"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["plan", "task", "created_at"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]


class Attachment(InWorkspace):
    """A file kept with a plan, a task or a product (API docs, a contract, a test report).

    Stored through the default storage (media folder or S3, as exports are) under a random name and
    served only by an access-checked view, never by a public media URL. ``content_type`` is what the
    content was sniffed to be, not what the browser claimed. Deleting keeps the row and the file
    (``deleted_at``): the history still lists it.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments",
                             verbose_name=_("plan"))
    task = models.ForeignKey("schedule.Task", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="attachments", verbose_name=_("task"))
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="attachments", verbose_name=_("product"))
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="attachments", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    history = PlanHistory()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False) | models.Q(product__isnull=False),
                name="attachment_belongs_to_plan_or_product"),
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name
