"""The "Webhooks" page of the current workspace: its PMs and administrators add, change and remove
hooks, see each hook's deliveries and send one again. Another workspace's hooks are 404."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django_htmx.http import HttpResponseClientRedirect
from django.views.decorators.http import require_POST

from onboarding.access import can_manage_catalogue, current_workspace

from . import services
from .selectors import webhooks_manageable_by
from .forms import WebhookForm
from .models import WebhookDelivery

PAGE = "webhooks/list.html"
DETAIL = "webhooks/detail.html"


def _workspace(request):
    workspace = current_workspace(request)
    if workspace is None or not can_manage_catalogue(request.user, workspace):
        raise PermissionDenied("Only the workspace's PMs and administrators manage its webhooks.")
    return workspace


def _hook(request, pk):
    return get_object_or_404(webhooks_manageable_by(request.user).select_related("workspace", "plan"), pk=pk)


@login_required
def webhook_list(request):
    workspace = _workspace(request)
    form = WebhookForm(request.POST or None, user=request.user, workspace=workspace)
    context = {"workspace": workspace, "form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.instance.workspace = workspace
            form.instance.created_by = request.user
            hook = services.webhook_save(webhook=form.instance, secret=form.cleaned_data["new_secret"])
            context.update(new_hook=hook, form=WebhookForm(user=request.user, workspace=workspace))
        else:
            status = 422
    context["hooks"] = list(webhooks_manageable_by(request.user).filter(workspace=workspace).select_related("plan"))
    template = f"{PAGE}#hooks_panel" if request.htmx and request.method == "POST" else PAGE
    response = render(request, template, context, status=status)
    if "new_hook" in context:
        response["Cache-Control"] = "no-store"  # the only page showing the whole secret
    return response


@login_required
def webhook_detail(request, pk):
    hook = _hook(request, pk)
    form = WebhookForm(request.POST or None, instance=hook, user=request.user, workspace=hook.workspace)
    saved = False
    if request.method == "POST":
        if form.is_valid():
            services.webhook_save(webhook=form.instance, secret=form.cleaned_data["new_secret"])
            saved = True
    context = {"hook": hook, "form": form, "saved": saved, "deliveries": hook.deliveries.all()[:50]}
    return render(request, DETAIL, context, status=422 if form.errors else 200)


@login_required
@require_POST
def webhook_delete(request, pk):
    services.webhook_delete(webhook=_hook(request, pk))
    if request.htmx:
        return HttpResponseClientRedirect(reverse("webhooks:list"))
    return redirect("webhooks:list")


@login_required
@require_POST
def delivery_redeliver(request, pk, delivery_id):
    hook = _hook(request, pk)
    delivery = hook.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    with transaction.atomic():
        delivery = services.delivery_redeliver(delivery=delivery)
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    if request.htmx:
        return render(request, f"{DETAIL}#delivery_row", {"hook": hook, "delivery": delivery})
    return redirect("webhooks:detail", pk=hook.pk)


app_name = "webhooks"
urlpatterns = [
    path("settings/webhooks/", webhook_list, name="list"),
    path("settings/webhooks/<int:pk>/", webhook_detail, name="detail"),
    path("settings/webhooks/<int:pk>/delete/", webhook_delete, name="delete"),
    path("settings/webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/", delivery_redeliver,
         name="redeliver"),
]
