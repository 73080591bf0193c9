"""Activity feeds: who changed what and when, per plan and across a workspace's plans.

Both read the plans' recorded history through onboarding/history.py and the history page's own
entry builder (onboarding/selectors.py), so an activity entry and a history entry say the
same thing. A plan's feed has every kind of object the history page shows; the workspace's feed
has the kinds recorded with their plan (plans, phases, tasks, people on plans, flows, schedule
settings), read for every plan the reader may read in one union query.
"""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onboarding.access import current_workspace, get_plan_for_user, plans_readable_by
from onboarding.history import sources
from onboarding.models import Plan
from onboarding.selectors import history_entries, history_union, plans_history_union

PAGE_SIZE = 30
ACTIVITY_PAGE = "notifications/activity.html"


def _page(request, rows):
    page = Paginator(rows if rows is not None else [], PAGE_SIZE).get_page(request.GET.get("page"))
    return page, history_entries(list(page.object_list))


@login_required
@require_GET
def workspace_activity(request):
    workspace = current_workspace(request)
    plans = plans_readable_by(request.user, workspace) if workspace else Plan.objects.none()
    page, entries = _page(request, plans_history_union(Subquery(plans.values("pk"))))
    names = dict(Plan.objects.filter(pk__in={e.plan_id for e in entries if e.plan_id}).values_list("pk", "name"))
    for entry in entries:
        entry.plan_name = names.get(entry.plan_id, "")
    context = {"page": page, "entries": entries, "workspace": workspace, "show_plan": True}
    if request.htmx and request.htmx.target == "activity-list":
        return render(request, f"{ACTIVITY_PAGE}#activity_list", context)
    return render(request, ACTIVITY_PAGE, context)


@login_required
@require_GET
def plan_activity(request, pk):
    plan = get_plan_for_user(request, pk)
    page, entries = _page(request, history_union(plan.pk, sources()))
    context = {"plan": plan, "tab": "activity", "page": page, "entries": entries, "show_plan": False}
    if request.htmx and request.htmx.target == "activity-list":
        return render(request, f"{ACTIVITY_PAGE}#activity_list", context)
    return render(request, ACTIVITY_PAGE, context)
