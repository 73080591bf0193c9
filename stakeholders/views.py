from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding.access import get_plan_for_user


@login_required
def plan_stakeholders(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, "stakeholders/plan_stakeholders.html", {"plan": plan, "tab": "stakeholders"})
