"""The Overview tab: the five steps of the brief and the dashboard."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding.access import get_plan_for_user

from ..dashboard import burnup_figure
from ..selectors import plan_status, plan_steps


@login_required
def plan_overview(request, pk):
    plan = get_plan_for_user(request, pk)
    status = plan_status(plan)
    context = {"plan": plan, "tab": "overview", "editors": plan.editors.all(), **plan_steps(plan),
               "status": status, "holiday_notes": status.holiday_notes,
               "burnup_json": burnup_figure(plan, today=status.today).to_json() if status.task_count else ""}
    return render(request, "schedule/plan_overview.html", context)


