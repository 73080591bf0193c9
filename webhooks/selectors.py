"""Reads of webhooks. Who manages which workspace's hooks is decided in onboarding/access.py
(``webhook_workspaces``); these narrow to what that allows."""
from onboarding.access import webhook_workspaces

from .models import Webhook


def webhooks_manageable_by(user):
    """The webhooks of ``webhook_workspaces`` (any other is 404)."""
    return Webhook.objects.filter(workspace__in=webhook_workspaces(user))
