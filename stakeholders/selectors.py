"""Reads of a plan's stakeholders. Callers have already reached the plan through
onboarding/access.py; writes are in stakeholders/services.py."""
from django.db.models import Prefetch

from onboarding.models import Step

from .models import PlanStakeholder, Stakeholder


def plan_stakeholders_of(plan):
    """The plan's stakeholders with what their rows show, in the PM's order."""
    return (PlanStakeholder.objects.filter(plan=plan).select_related("stakeholder")
            .prefetch_related(Prefetch("steps", queryset=Step.objects.select_related("flow")
                                       .order_by("flow__position", "flow_id", "position", "id")))
            .order_by("position", "id"))


def owned_task_titles(membership, *, limit=4):
    """(the first ``limit`` titles, how many) of the tasks the plan's stakeholder owns."""
    return list(membership.tasks.values_list("title", flat=True)[:limit]), membership.tasks.count()


def plan_stakeholders_for_grid(plan):
    """The plan's stakeholders with their person: what the power/interest grid draws."""
    return plan.plan_stakeholders.select_related("stakeholder")


def people_of_workspace(workspace):
    """Every person of ``workspace`` (another team's never: not even their names)."""
    return Stakeholder.objects.filter(workspace=workspace)


def flow_steps_of(plan):
    """The steps of the plan's flows in the Flow tab's order: what a stakeholder can be involved in."""
    return (Step.objects.filter(flow__plan=plan).select_related("flow")
            .order_by("flow__position", "flow_id", "position", "id"))
