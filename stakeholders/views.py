from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from onboarding.access import get_plan_for_user, workspaces_to_move_to

from . import engagement, services
from .charts import grid_figure
from .models import PlanStakeholder, Stakeholder
from .rows import STAKEHOLDERS_PAGE
from .selectors import plan_stakeholders_of

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


class MoveForm(forms.Form):
    workspace = forms.ModelChoiceField(queryset=None, label=_("Move to workspace"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = choices


@login_required
@require_http_methods(["GET", "POST"])
def plan_move(request, pk):
    """Staff move a plan, with its product, scenario and people, to another team's workspace."""
    plan = get_plan_for_user(request, pk)
    choices = workspaces_to_move_to(request.user, plan)
    if not choices.exists():
        raise PermissionDenied("Only staff who administer both workspaces move plans.")
    form = MoveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        for sentence in services.plan_move(plan=plan, workspace=form.cleaned_data["workspace"]):
            messages.success(request, sentence)
        return redirect(plan)
    return render(request, "stakeholders/plan_move.html", {"plan": plan, "form": form},
                  status=422 if request.method == "POST" else 200)
