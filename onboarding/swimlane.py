"""A flow as the swimlane builder's input, and the figure (its flows are read by
onboarding/selectors.py: flows_for_charts)."""
from django.utils.translation import gettext as _

from .figures import SwimlaneLane, SwimlaneMetric, SwimlaneStep, build_swimlane


def swimlane_labels():
    return {"start": _("Start"), "end": _("End"), "metrics": _("Key metrics"), "stakeholders": _("Stakeholders"),
            "tasks": _("Tasks"), "lane": _("Lane"), "none": "—", "role": _("Role"), "system": _("System")}


def _person(member, audience):
    person = member.stakeholder
    if audience is None or not person.organisation:
        return person.name
    return f"{person.name} · {person.organisation}"


FIT_WIDTH = 1180  # px: the chart's box on the Flow tab and share pages at 1366 px (1,192 px less its border)


def swimlane_figure(flow, *, audience=None, max_width=FIT_WIDTH):
    """The flow's swimlane for the plan's own people (``audience`` None), or for a share link's
    audience: "partner" sees only the partner side's people on each step and no tasks,
    "management" sees everyone (with their organisation) and no tasks.

    A flow wider than ``max_width`` wraps onto further rows (the same figure on the Flow tab,
    share pages and PNG/SVG exports); ``max_width=None`` draws it on one row."""
    steps = []
    for step in flow.steps.all():
        people = list(step.plan_stakeholders.all())
        if audience == "partner":
            # Who works on it inside the platform stays inside.
            people = [member for member in people if member.stakeholder.side == "partner"]
        steps.append(SwimlaneStep(
            id=step.pk, lane_id=step.lane_id, text=step.text,
            stakeholders=[_person(member, audience) for member in people],
            tasks=[] if audience else [task.title for member in people for task in member.tasks.all()
                                       if task.related_flow_id == flow.pk],
        ))
    return build_swimlane(
        [SwimlaneLane(lane.pk, lane.name, lane.kind) for lane in flow.lanes.all()], steps,
        need=flow.need, features=flow.features,
        metrics=[SwimlaneMetric(metric.name, metric.target, metric.unit) for metric in flow.metrics.all()],
        labels=swimlane_labels(), max_width=max_width,
    )

