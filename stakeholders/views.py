from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onboarding.access import get_plan_for_user

from . import engagement
from .charts import grid_figure
from .models import PlanStakeholder, Stakeholder
from .rows import STAKEHOLDERS_PAGE, plan_stakeholders_of

SUMMARY_ID = "stakeholder-summary"


def summary_context(members):
    people = [
        engagement.Member(name=m.stakeholder.name, audience=m.audience, relevance=m.relevance,
                          influence=m.influence, concerns=m.concerns, side=m.stakeholder.side)
        for m in members
    ]
    return {
        "side_counts": engagement.counts([p.side for p in people], Stakeholder.Side.choices),
        "audience_counts": engagement.counts([p.audience for p in people], PlanStakeholder.Audience.choices),
        "communication_plan": engagement.communication_plan(people, PlanStakeholder.Audience.choices),
        "grid": engagement.grid(people),
        "quadrants": engagement.QUADRANTS,
        "member_count": len(people),
        "figure_json": grid_figure(members).to_json(),
    }


@login_required
@require_GET
def plan_stakeholders(request, pk):
    plan = get_plan_for_user(request, pk)
    members = list(plan_stakeholders_of(plan))
    context = {"plan": plan, "parent": plan, "tab": "stakeholders", "kind": "stakeholder", "members": members,
               **summary_context(members)}
    # The summary refreshes itself after every row change (the plan-changed event).
    if request.htmx and request.htmx.target == SUMMARY_ID:
        return render(request, f"{STAKEHOLDERS_PAGE}#stakeholder_summary", context)
    return render(request, STAKEHOLDERS_PAGE, context)
