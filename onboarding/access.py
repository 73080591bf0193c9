"""Who may read and who may write a plan: the one place that decides it.

Every view reaches a plan, and everything inside a plan, through these
helpers, so permission rules are never repeated in views.
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Plan

MANAGERS_GROUP = "managers"


def is_manager(user):
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_paasport_is_manager", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=MANAGERS_GROUP).exists()
        user._paasport_is_manager = cached
    return cached


def plans_readable_by(user):
    if not user.is_authenticated:
        return Plan.objects.none()
    # Deleted plans are gone for everyone, managers included, until staff restore them in the admin.
    live = Plan.objects.filter(deleted_at__isnull=True)
    if is_manager(user):
        return live
    return live.filter(Q(owner=user) | Q(editors=user) | Q(viewers=user)).distinct()


def can_write_plan(user, plan):
    if not user.is_authenticated:
        return False
    if user.is_superuser or plan.owner_id == user.id:
        return True
    return plan.editors.filter(pk=user.pk).exists()


def can_create_plans(user):
    """PMs create plans; managers read them (staff may do both)."""
    return user.is_authenticated and (user.is_staff or not is_manager(user))


def can_manage_catalogue(user):
    """Products and scenarios are shared reference data: any PM may add them, managers only read."""
    return can_create_plans(user)


def can_delete_plan(user, plan):
    return user.is_authenticated and plan.owner_id == user.pk


def get_plan_for_user(request, plan_id, *, write=False):
    """The plan if the user may see it (404 otherwise, so ids of other teams' plans leak nothing).

    With write=True a reader who may not edit gets 403.
    """
    try:
        plan = plans_readable_by(request.user).select_related("product", "scenario", "owner").get(pk=plan_id)
    except Plan.DoesNotExist:
        raise Http404("No such plan") from None
    plan.user_can_write = can_write_plan(request.user, plan)
    if write and not plan.user_can_write:
        raise PermissionDenied("You may read this plan but not change it.")
    return plan
