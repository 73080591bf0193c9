"""A flow as the swimlane builder's input, and the figure."""
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .figures import SwimlaneLane, SwimlaneMetric, SwimlaneStep, build_swimlane
from .models import Step


def swimlane_labels():
    return {"start": _("Start"), "end": _("End"), "metrics": _("Key metrics"), "stakeholders": _("Stakeholders"),
            "tasks": _("Tasks"), "lane": _("Lane"), "none": "—", "role": _("Role"), "system": _("System")}


def flows_for_charts(plan):
    """The plan's flows with everything the swimlane shows, in a fixed number of queries.

    Stakeholders and tasks reach a step through reverse relations (plan_stakeholders on
    Step, tasks on PlanStakeholder): the apps above onboarding own them, so no import here.
    """
    steps = Step.objects.order_by("position", "id").prefetch_related("plan_stakeholders__stakeholder",
                                                                     "plan_stakeholders__tasks")
    return plan.flows.prefetch_related("lanes", "metrics", Prefetch("steps", queryset=steps))


def swimlane_figure(flow, *, with_people=True):
    """with_people=False leaves out who works on each step (e.g. for partners' eyes)."""
    steps = []
    for step in flow.steps.all():
        people = list(step.plan_stakeholders.all()) if with_people else []
        steps.append(SwimlaneStep(
            id=step.pk, lane_id=step.lane_id, text=step.text,
            stakeholders=[member.stakeholder.name for member in people],
            tasks=[task.title for member in people for task in member.tasks.all() if task.related_flow_id == flow.pk],
        ))
    return build_swimlane(
        [SwimlaneLane(lane.pk, lane.name, lane.kind) for lane in flow.lanes.all()], steps,
        need=flow.need, features=flow.features,
        metrics=[SwimlaneMetric(metric.name, metric.target, metric.unit) for metric in flow.metrics.all()],
        labels=swimlane_labels(),
    )


def flow_for_chart(plan, flow_id):
    return flows_for_charts(plan).filter(pk=flow_id).first()


