"""Comments and files in a plan's history page: a deleted comment or file is still listed there."""
from onboarding.history import HistorySource, register

from .models import Attachment, Comment

register(
    HistorySource("comment", Comment, lambda plan_id: Comment.history.filter(plan_id=plan_id), name_field="body",
                  skip_on_create=("plan", "workspace", "version")),
    HistorySource("attachment", Attachment, lambda plan_id: Attachment.history.filter(plan_id=plan_id),
                  skip_on_create=("plan", "workspace")),
)
