"""A plan's history page: every recorded change to the plan and its parts, newest first.

The page reads one page of entries with a fixed number of queries, however many entries it
shows: one union query for the page, then a few per kind of object (see onboarding/history.py
for what a plan's history is made of).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from .access import get_plan_for_user
from .history import source_for, sources
from .selectors import history_entries, history_union
from .services import plan_write

PAGE_SIZE = 50


@login_required
def plan_history(request, pk):
    plan = get_plan_for_user(request, pk)
    all_sources = sources()
    kind = request.GET.get("type", "")
    selected = [s for s in all_sources if s.key == kind] or all_sources
    if not any(s.key == kind for s in all_sources):
        kind = ""
    page = Paginator(history_union(plan.pk, selected), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = history_entries(list(page.object_list), plan=plan, can_write=plan.user_can_write)
    context = {
        "plan": plan, "tab": "history", "page": page, "entries": entries, "kind": kind,
        "kinds": [(s.key, s.label) for s in all_sources],
    }
    if request.htmx and request.htmx.target == "history-list":
        return render(request, "onboarding/plan_history.html#history_list", context)
    return render(request, "onboarding/plan_history.html", context)


@login_required
@require_POST
def plan_history_restore(request, pk, kind, history_id):
    plan = get_plan_for_user(request, pk, write=True)
    source = source_for(kind)
    if source.restore is None:
        raise Http404("This kind of object cannot be restored")
    record = source.scope(plan.pk).filter(history_id=history_id).first()
    if record is None:
        raise Http404("No such version")
    try:
        # The plan's lock first (the one lock order), then whatever rows the restore touches.
        with plan_write(plan):
            message = source.restore(plan, record, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    url = reverse("onboarding:plan_history", args=[plan.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


