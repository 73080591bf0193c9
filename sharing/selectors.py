"""Reads of share links, export jobs and what a share page may show. Callers have already
reached the plan through onboarding/access.py (or the link through its token); writes are in
sharing/services.py and sharing/links.py."""
from schedule.models import Visibility
from stakeholders.models import Stakeholder

from .links import is_plausible_token
from .models import ShareLink, hash_token


def share_links_of(plan):
    """The plan's share links, revoked and expired ones included, with who created them."""
    return plan.share_links.select_related("created_by")


def find_link(token):
    """The link of this token whatever its state (for revoking), or None."""
    if not is_plausible_token(token):
        return None
    return ShareLink.objects.select_related("plan").filter(token_hash=hash_token(token)).first()


def active_link(token):
    """The active link of this token, or None: unknown, expired and revoked look the same."""
    link = find_link(token)
    if link is None or not link.is_active or link.plan.deleted_at is not None:
        return None
    return link


def export_job_of(plan, job_id, *, done=False):
    """One export job of the plan (only a finished one with ``done``), or None."""
    jobs = plan.export_jobs.filter(pk=job_id)
    if done:
        jobs = jobs.filter(state=jobs.model.State.DONE)
    return jobs.first()


def tasks_visible_to(plan, *, audience):
    """The plan's tasks a share link's audience sees (a partner only the shared ones), in plan order,
    with their phase and owner."""
    tasks = plan.tasks.select_related("phase", "owner__stakeholder").order_by(
        "phase__position", "phase_id", "position", "id")
    if audience == ShareLink.Audience.PARTNER:
        tasks = tasks.filter(visibility=Visibility.SHARED)
    return list(tasks)


def owner_profile(plan):
    """{organisation, role, side} of the plan owner's person in the plan's workspace, or {}."""
    return (Stakeholder.objects.filter(user=plan.owner, workspace=plan.workspace)
            .values("organisation", "role", "side").first()) or {}
