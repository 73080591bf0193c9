"""A new plan from a template."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from onboarding.access import can_create_plans, current_workspace
from onboarding.models import Product

from ..forms import PlanFromTemplateForm
from ..models import templates_for
from ..services import plan_create_from_template


@login_required
@require_http_methods(["GET", "POST"])
def plan_from_template(request):
    workspace = current_workspace(request)
    if workspace is None or not can_create_plans(request.user, workspace):
        raise PermissionDenied("Managers read plans; PMs create them.")
    products = list(Product.objects.filter(workspace=workspace).values_list("pk", flat=True)[:2])
    initial = {"template": request.GET.get("template"), "owner": request.user.pk, "start_date": timezone.localdate(),
               "product": products[0] if len(products) == 1 else request.GET.get("product")}
    form = PlanFromTemplateForm(request.POST or None, initial=initial, workspace=workspace)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = plan_create_from_template(
                    data["template"], workspace=workspace, owner=data["owner"] or request.user, name=data["name"],
                    product=data["product"],
                    scenario=data["scenario"], start_date=data["start_date"],
                    target_launch_date=data["target_launch_date"],
                    stakeholders=data["stakeholders"], task_owner=data["task_owner"], creator=request.user)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, messages in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    form.add_error("template", error)
            else:
                if request.htmx:
                    return HttpResponseClientRedirect(plan.get_absolute_url())
                return redirect(plan)
        status = 422
    templates = templates_for(workspace).annotate(task_count=Count("tasks"))
    context = {"form": form, "templates": templates}
    name = "schedule/plan_from_template.html"
    if request.htmx:
        name += "#template_form"
    return render(request, name, context, status=status)
