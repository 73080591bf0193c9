"""The Overview tab: the five steps of the brief and the dashboard."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding.access import get_plan_for_user

from .. import scheduling
from ..dashboard import dashboard
from ..services import plan_overview as overview_of


@login_required
def plan_overview(request, pk):
    plan = get_plan_for_user(request, pk)
    scheduling.ensure_fresh(plan)
    context = {"plan": plan, "tab": "overview", "editors": plan.editors.all(), **overview_of(plan),
               "dash": dashboard(plan), "holiday_notes": scheduling.holiday_notes(plan)}
    return render(request, "schedule/plan_overview.html", context)


