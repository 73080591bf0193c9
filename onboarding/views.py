from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .access import (
    can_create_plans,
    can_delete_plan,
    can_manage_catalogue,
    get_plan_for_user,
    plans_readable_by,
)
from .forms import PlanForm, ProductForm, ScenarioForm, add_service_errors
from .models import PLAN_RESTORE_DAYS, Lane, Plan, Product, Scenario, Step
from .swimlane import flow_for_chart, swimlane_figure
from .versioning import StaleEdit


@login_required
def product_list(request):
    products = Product.objects.annotate(plan_count=Count("plans"))
    return render(request, "onboarding/product_list.html", {"products": products})


@login_required
def product_detail(request, pk):
    product = get_object_or_404(Product, pk=pk)
    plans = plans_readable_by(request.user).filter(product=product)
    return render(request, "onboarding/product_detail.html", {"product": product, "plans": plans})


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk=None):
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    product = get_object_or_404(Product, pk=pk) if pk else None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST":
        if form.is_valid():
            product = form.save()
            return redirect(product)
        status = 422
    else:
        status = 200
    return render(request, "onboarding/product_form.html", {"form": form, "product": product}, status=status)


@login_required
def scenario_list(request):
    return render(request, "onboarding/scenario_list.html", {"scenarios": Scenario.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request, pk=None):
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    scenario = get_object_or_404(Scenario, pk=pk) if pk else None
    form = ScenarioForm(request.POST or None, instance=scenario)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            return redirect("onboarding:scenario_list")
        status = 422
    return render(request, "onboarding/scenario_form.html", {"form": form, "scenario": scenario}, status=status)


@login_required
def plan_list(request):
    plans = plans_readable_by(request.user).select_related("product", "scenario", "owner")
    status = request.GET.get("status", "")
    product = request.GET.get("product", "")
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    if product.isdigit():
        plans = plans.filter(product_id=int(product))
    context = {
        "plans": plans,
        "statuses": Plan.Status.choices,
        "products": Product.objects.all(),
        "selected_status": status,
        "selected_product": product,
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
        if not can_create_plans(request.user):
            raise PermissionDenied
        plan = Plan(owner=request.user)
    form = PlanForm(request.POST or None, instance=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            members = {"editors": form.cleaned_data["editors"], "viewers": form.cleaned_data["viewers"]}
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
    }, status=status)


@login_required
def flow_swimlane(request, pk, flow_id):
    """The swimlane chart of one flow; the flow tab reloads it after each edit."""
    plan = get_plan_for_user(request, pk)
    flow = flow_for_chart(plan, flow_id)
    if flow is None:
        raise Http404
    return render(request, "onboarding/plan_flow.html#swimlane",
                  {"plan": plan, "flow": flow, "figure_json": swimlane_figure(flow).to_json()})


@login_required
def plan_flow(request, pk):
    plan = get_plan_for_user(request, pk)
    flows = plan.flows.prefetch_related(
        Prefetch("lanes", queryset=Lane.objects.order_by("position", "id")),
        Prefetch("steps", queryset=Step.objects.select_related("lane").order_by("position", "id")),
        "metrics",
    )
    return render(request, "onboarding/plan_flow.html", {"plan": plan, "flows": flows, "tab": "flow"})


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
