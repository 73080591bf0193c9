from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding.access import get_plan_for_user


@login_required
def plan_overview(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, "schedule/plan_overview.html", {"plan": plan, "tab": "overview"})


@login_required
def plan_checklist(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, "schedule/plan_checklist.html", {"plan": plan, "tab": "checklist"})


@login_required
def plan_from_template(request):
    return render(request, "schedule/plan_from_template.html", {})
