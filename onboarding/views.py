from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from config.query_strings import whole_number

from . import selectors, services
from .access import (
    can_create_plans,
    can_delete_plan,
    can_manage_catalogue,
    choose_workspace,
    current_workspace,
    get_plan_for_user,
    get_product_for_user,
    get_scenario_for_user,
    workspaces_to_move_to,
)
from .forms import PlanForm, ProductForm, ScenarioForm, add_service_errors
from .models import PLAN_RESTORE_DAYS, Plan, Product, Scenario
from .swimlane import swimlane_figure
from .versioning import StaleEdit


@login_required
@require_POST
def workspace_switch(request):
    """The header's switcher: lists and new objects are in this workspace from now on."""
    raw = request.POST.get("workspace", "")
    choose_workspace(request, whole_number(raw))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("onboarding:plan_list")
    return redirect(target)


def _workspace_or_404(request):
    workspace = current_workspace(request)
    if workspace is None:
        raise Http404("You are not in any workspace yet: ask an administrator to add you to one.")
    return workspace


@login_required
def product_list(request):
    workspace = current_workspace(request)
    products = selectors.products_with_plan_counts(request.user, workspace=workspace)
    return render(request, "onboarding/product_list.html", {
        "products": products, "can_add": can_manage_catalogue(request.user, workspace)})


@login_required
def product_detail(request, pk):
    product = get_product_for_user(request, pk)
    plans = selectors.plans_of_product(request.user, product)
    return render(request, "onboarding/product_detail.html", {
        "product": product, "plans": plans, "can_edit": can_manage_catalogue(request.user, product.workspace)})


def _catalogue_workspace(request):
    """The current workspace, where a new product or scenario goes, if the user may add to its catalogue."""
    workspace = _workspace_or_404(request)
    if not can_manage_catalogue(request.user, workspace):
        raise PermissionDenied
    return workspace


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk=None):
    if pk:
        product = get_product_for_user(request, pk, write=True)
    else:
        product = Product(workspace=_catalogue_workspace(request))
    form = ProductForm(request.POST or None, instance=product)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            return redirect(form.save())
        status = 422
    return render(request, "onboarding/product_form.html", {"form": form, "product": product if pk else None},
                  status=status)


@login_required
def scenario_list(request):
    workspace = current_workspace(request)
    return render(request, "onboarding/scenario_list.html", {
        "scenarios": selectors.scenarios_in(request.user, workspace=workspace),
        "can_add": can_manage_catalogue(request.user, workspace)})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request, pk=None):
    if pk:
        scenario = get_scenario_for_user(request, pk, write=True)
    else:
        scenario = Scenario(workspace=_catalogue_workspace(request))
    form = ScenarioForm(request.POST or None, instance=scenario)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            return redirect("onboarding:scenario_list")
        status = 422
    return render(request, "onboarding/scenario_form.html", {"form": form, "scenario": scenario if pk else None},
                  status=status)


@login_required
def plan_list(request):
    workspace = current_workspace(request)
    status = request.GET.get("status", "")
    product = request.GET.get("product", "")
    plans = selectors.plans_listed(request.user, workspace=workspace, status=status, product=product)
    context = {
        "plans": plans,
        "statuses": Plan.Status.choices,
        "products": selectors.products_in(request.user, workspace=workspace),
        "selected_status": status,
        "selected_product": product,
        "can_create": can_create_plans(request.user, workspace) if workspace else False,
    }
    if request.htmx and request.htmx.target == "plan-table":
        return render(request, "onboarding/plan_list.html#plan_table", context)
    return render(request, "onboarding/plan_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk=None):
    if pk:
        plan = get_plan_for_user(request, pk, write=True)
    else:
        workspace = _workspace_or_404(request)
        if not can_create_plans(request.user, workspace):
            raise PermissionDenied
        plan = Plan(owner=request.user, workspace=workspace)
    form = PlanForm(request.POST or None, instance=plan, can_transfer=not pk or can_delete_plan(request.user, plan))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            members = {"editors": form.cleaned_data["editors"], "viewers": form.cleaned_data["viewers"],
                       "owner": form.cleaned_data["owner"]}
            try:
                if pk:
                    services.plan_update(plan=form.instance, version=form.cleaned_data["version"], **members)
                else:
                    services.plan_create(plan=form.instance, **members)
            except StaleEdit as stale:
                form.show_stale(stale)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(form.instance)
        status = 422
    return render(request, "onboarding/plan_form.html", {
        "form": form, "plan": plan if pk else None, "can_delete": bool(pk) and can_delete_plan(request.user, plan),
        "can_move": bool(pk) and workspaces_to_move_to(request.user, plan).exists(),
    }, status=status)


@login_required
def flow_swimlane(request, pk, flow_id):
    """The swimlane chart of one flow; the flow tab reloads it after each edit."""
    plan = get_plan_for_user(request, pk)
    flow = selectors.flow_for_chart(plan, flow_id)
    if flow is None:
        raise Http404
    return render(request, "onboarding/plan_flow.html#swimlane",
                  {"plan": plan, "flow": flow, "figure_json": swimlane_figure(flow).to_json()})


@login_required
def plan_flow(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, "onboarding/plan_flow.html",
                  {"plan": plan, "flows": selectors.flows_with_parts(plan), "tab": "flow"})


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk):
    """Owner only. The plan is marked deleted, not removed: staff can restore it for
    PLAN_RESTORE_DAYS days, then a nightly job purges it (onboarding/tasks.py)."""
    plan = get_plan_for_user(request, pk, write=True)
    if not can_delete_plan(request.user, plan):
        raise PermissionDenied("Only the plan's owner can delete it.")
    if request.method == "POST":
        services.plan_soft_delete(plan=plan, user=request.user)
        messages.success(request, _("Plan “%(name)s” deleted. An administrator can restore it within %(days)d days.")
                         % {"name": plan.name, "days": PLAN_RESTORE_DAYS})
        return redirect("onboarding:plan_list")
    return render(request, "onboarding/plan_confirm_delete.html", {"plan": plan, "days": PLAN_RESTORE_DAYS})
