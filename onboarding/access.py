"""Who may see and who may change what: the one place that decides it.

Everything belongs to a workspace (a team). A user sees only what is in the workspaces they are a
member of, with a role there:

* workspace admin — reads and changes every plan of the workspace, manages its catalogue;
* PM — creates plans, products, scenarios and people; reads and changes the plans they own or
  edit, reads the plans they view;
* manager — reads every plan of the workspace and exports;
* viewer — reads the plans they are listed on.

Inside a workspace, a plan's owner, editors and viewers narrow access further for PMs and
viewers. Superusers administer the instance and see every workspace. Another workspace's objects
are 404, never 403, so ids leak nothing; 403 is for a reader who may not change what they see.
Every view reaches its objects through these helpers.
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Plan, Product, Scenario, Workspace, WorkspaceMember

Role = WorkspaceMember.Role
READS_EVERY_PLAN = {Role.ADMIN, Role.MANAGER}
CREATES = {Role.ADMIN, Role.PM}
SESSION_KEY = "workspace"


def roles(user):
    """{workspace id: role} of the user's memberships (every workspace as admin for a superuser)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_paasport_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = dict.fromkeys(Workspace.objects.values_list("pk", flat=True), Role.ADMIN)
        else:
            cached = dict(WorkspaceMember.objects.filter(user=user).values_list("workspace_id", "role"))
        user._paasport_roles = cached
    return cached


def role_in(user, workspace_id):
    return roles(user).get(workspace_id)


def workspaces_of(user):
    return Workspace.objects.filter(pk__in=list(roles(user)))


def is_manager(user):
    """Reads every plan of at least one workspace without creating any (a manager role only)."""
    mine = set(roles(user).values())
    return bool(mine) and mine <= {Role.MANAGER}


# ----------------------------------------------------------------------------- the current workspace
def current_workspace(request):
    """The workspace the user's lists and new objects are in: the one chosen in the header, else
    their first. None for a user in no workspace."""
    mine = roles(request.user)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen in mine:
        return Workspace.objects.filter(pk=chosen).first()
    return workspaces_of(request.user).order_by("name", "pk").first()


def choose_workspace(request, workspace_id):
    if workspace_id not in roles(request.user):
        raise Http404("No such workspace")
    request.session[SESSION_KEY] = workspace_id


# ----------------------------------------------------------------------------- plans
def plans_readable_by(user, workspace=None):
    """The live plans the user may read (in one workspace when given)."""
    if not user.is_authenticated:
        return Plan.objects.none()
    mine = roles(user)
    if workspace is not None:
        mine = {workspace.pk: mine[workspace.pk]} if workspace.pk in mine else {}
    # Deleted plans are gone for everyone until staff restore them in the admin.
    live = Plan.objects.filter(deleted_at__isnull=True)
    every = [pk for pk, role in mine.items() if role in READS_EVERY_PLAN]
    listed = [pk for pk, role in mine.items() if role not in READS_EVERY_PLAN]
    member = Q(owner=user) | Q(editors=user) | Q(viewers=user)
    return live.filter(Q(workspace_id__in=every) | (Q(workspace_id__in=listed) & member)).distinct()


def can_write_plan(user, plan):
    role = role_in(user, plan.workspace_id)
    if role == Role.ADMIN:
        return True
    if role != Role.PM:
        return False
    return plan.owner_id == user.pk or plan.editors.filter(pk=user.pk).exists()


def can_create_plans(user, workspace=None):
    """PMs and workspace admins create plans (in ``workspace``, or in any of theirs)."""
    mine = roles(user)
    if workspace is not None:
        return mine.get(workspace.pk) in CREATES
    return any(role in CREATES for role in mine.values())


def can_manage_catalogue(user, workspace=None):
    """Products, scenarios and people are the workspace's shared reference data: its PMs and
    admins keep them, managers and viewers read them."""
    return can_create_plans(user, workspace)


def can_delete_plan(user, plan):
    return (plan.owner_id == user.pk and role_in(user, plan.workspace_id) in CREATES) or \
        role_in(user, plan.workspace_id) == Role.ADMIN


def reads_a_whole_workspace(user):
    """An administrator or manager of at least one workspace (by membership: a superuser without
    one is not), who reads every plan there rather than the plans they are listed on."""
    return WorkspaceMember.objects.filter(user=user, role__in=READS_EVERY_PLAN).exists()


def can_manage_holidays(user):
    """Official holiday schedules move every plan's dates: staff only."""
    return bool(user.is_authenticated and user.is_staff)


def workspaces_to_move_to(user, plan):
    """Where staff may move a plan: the workspaces (other than the plan's) they administer.
    Only staff move plans between teams, and only as admins of both."""
    if not (user.is_authenticated and user.is_staff) or role_in(user, plan.workspace_id) != Role.ADMIN:
        return Workspace.objects.none()
    mine = [pk for pk, role in roles(user).items() if role == Role.ADMIN and pk != plan.workspace_id]
    return Workspace.objects.filter(pk__in=mine)


def get_plan_for_user(request, plan_id, *, write=False):
    """The plan if the user may see it (404 otherwise, so ids of other teams' plans leak nothing).

    With write=True a reader who may not edit gets 403.
    """
    try:
        plan = (plans_readable_by(request.user).select_related("product", "scenario", "owner", "workspace")
                .get(pk=plan_id))
    except Plan.DoesNotExist:
        raise Http404("No such plan") from None
    plan.user_can_write = can_write_plan(request.user, plan)
    if write and not plan.user_can_write:
        raise PermissionDenied("You may read this plan but not change it.")
    return plan


# ----------------------------------------------------------------------------- comments
# A comment is collab's (an app above this one): these read only its author and workspace ids.
def can_edit_comment(user, comment):
    """Only the author edits a comment's text."""
    return comment.author_id == user.pk


def can_remove_comment(user, comment):
    """The author, or an administrator of the workspace (to take down what should not be there)."""
    return comment.author_id == user.pk or role_in(user, comment.workspace_id) == Role.ADMIN


# ----------------------------------------------------------------------------- a workspace's catalogue
def webhook_workspaces(user):
    """The workspaces whose webhooks the user manages: those where they are a PM or an administrator."""
    return Workspace.objects.filter(pk__in=[pk for pk, role in roles(user).items() if role in CREATES])


def products_readable_by(user):
    return Product.objects.filter(workspace_id__in=list(roles(user)))


def scenarios_readable_by(user):
    return Scenario.objects.filter(workspace_id__in=list(roles(user)))


def _in_workspace(request, queryset, pk, write):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    if write and not can_manage_catalogue(request.user, obj.workspace):
        raise PermissionDenied
    return obj


def get_product_for_user(request, pk, *, write=False):
    return _in_workspace(request, products_readable_by(request.user).select_related("workspace"), pk, write)


def get_scenario_for_user(request, pk, *, write=False):
    return _in_workspace(request, scenarios_readable_by(request.user).select_related("workspace"), pk, write)


def users_of(workspace):
    """The accounts of a workspace's members: the people a plan of it can name as editors or viewers."""
    return get_user_model().objects.filter(workspace_roles__workspace=workspace, is_active=True).distinct()


def owners_of(workspace):
    """The accounts that can own a plan of this workspace: its PMs and administrators."""
    return get_user_model().objects.filter(workspace_roles__workspace=workspace, workspace_roles__role__in=CREATES,
                                           is_active=True).distinct()


def plans_writable_by(user):
    """The live plans the user may change (can_write_plan for a whole list, in one query)."""
    if not user.is_authenticated:
        return Plan.objects.none()
    mine = roles(user)
    admin = [pk for pk, role in mine.items() if role == Role.ADMIN]
    pm = [pk for pk, role in mine.items() if role == Role.PM]
    return plans_readable_by(user).filter(
        Q(workspace_id__in=admin) | (Q(workspace_id__in=pm) & (Q(owner=user) | Q(editors=user)))).distinct()
