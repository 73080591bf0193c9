"""The platform's interface requirements of the current workspace, per scenario kind: a
settings-like list edited inline with htmx."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from onboarding.access import can_manage_catalogue, current_workspace

from .. import selectors, services
from ..forms_inventory import RequirementForm
from ..models import InterfaceRequirement

PAGE = "interfaces/requirements.html"
LIST_ID = "requirement-list"


def _workspace(request, write=False):
    workspace = current_workspace(request)
    if workspace is None:
        raise Http404("You are not in any workspace yet.")
    workspace.user_can_write = can_manage_catalogue(request.user, workspace)
    if write and not workspace.user_can_write:
        raise PermissionDenied
    return workspace


def _requirement(request, pk, write=False):
    requirement = selectors.requirement_readable_by(request.user, pk)
    if requirement is None:
        raise Http404
    workspace = requirement.workspace
    workspace.user_can_write = can_manage_catalogue(request.user, workspace)
    if write and not workspace.user_can_write:
        raise PermissionDenied
    return requirement, workspace


def _context(workspace, **extra):
    return {"workspace": workspace, "plan": workspace, "list_id": LIST_ID,
            "requirements": selectors.requirements_of(workspace), **extra}


@login_required
@require_GET
def requirement_list(request):
    return render(request, PAGE, _context(_workspace(request)))


@login_required
@require_GET
def requirement_row(request, pk):
    requirement, workspace = _requirement(request, pk)
    return render(request, f"{PAGE}#requirement_row", _context(workspace, object=requirement))


def _form(request, workspace, form, obj, status=200):
    if obj is None:
        action, cancel = reverse("interfaces:requirement_add"), None
    else:
        action = reverse("interfaces:requirement_edit", args=[obj.pk])
        cancel = reverse("interfaces:requirement_row", args=[obj.pk])
    return render(request, f"{PAGE}#requirement_form", _context(
        workspace, form=form, object=obj, action=action, cancel_url=cancel, kind="requirement", colspan=8),
        status=status)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_add(request):
    workspace = _workspace(request, write=True)
    if request.GET.get("cancel"):
        return render(request, f"{PAGE}#requirement_add_row", _context(workspace))
    form = RequirementForm(request.POST or None, instance=InterfaceRequirement(workspace=workspace),
                           initial={"scenario_kind": request.GET.get("kind", "toB")})
    if request.method == "POST":
        if form.is_valid():
            services.requirement_create(obj=form.instance)
            response = render(request, f"{PAGE}#requirement_list", _context(workspace))
            return reswap(retarget(response, f"#{LIST_ID}"), "outerHTML")
        return _form(request, workspace, form, None, status=422)
    return _form(request, workspace, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk):
    requirement, workspace = _requirement(request, pk, write=True)
    form = RequirementForm(request.POST or None, instance=requirement)
    if request.method == "POST":
        if form.is_valid():
            services.requirement_update(obj=form.instance)
            return render(request, f"{PAGE}#requirement_row", _context(workspace, object=form.instance))
        return _form(request, workspace, form, _requirement(request, pk)[0], status=422)
    return _form(request, workspace, form, requirement)


@login_required
@require_POST
def requirement_delete(request, pk):
    requirement, workspace = _requirement(request, pk, write=True)
    services.requirement_delete(obj=requirement)
    return render(request, f"{PAGE}#requirement_list", _context(workspace))
