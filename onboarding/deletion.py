"""What deleting a row does to the rest of the plan, said before it happens.

The confirmation of a delete names its consequences ("3 tasks lose their owner"), so nobody
deletes more than they meant to. Each app registers a sentence for the models whose deletion
reaches other rows (stakeholders → task owners, phases → tasks, flows → lanes, steps and
tasks), from its own module, so this app never imports the apps built on it.
"""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Flow, Lane

_describers = {}


def register(model, describe):
    _describers[model] = describe


def confirmation(obj):
    describe = _describers.get(type(obj))
    return describe(obj) if describe else _("Delete this row?")


def _flow(flow):
    lanes, steps, metrics = flow.lanes.count(), flow.steps.count(), flow.metrics.count()
    tasks = flow.tasks.count()  # Task.related_flow (schedule app)
    parts = [_("Delete the flow “%(name)s”") % {"name": flow.name}]
    if lanes or steps or metrics:
        parts.append(_("with its %(lanes)s, %(steps)s and %(metrics)s?") % {
            "lanes": ngettext("%(count)s lane", "%(count)s lanes", lanes) % {"count": lanes},
            "steps": ngettext("%(count)s step", "%(count)s steps", steps) % {"count": steps},
            "metrics": ngettext("%(count)s key metric", "%(count)s key metrics", metrics) % {"count": metrics}})
    else:
        parts[0] += "?"
    if tasks:
        parts.append(ngettext("%(count)s task loses its related business.",
                              "%(count)s tasks lose their related business.", tasks) % {"count": tasks})
    return " ".join(parts)


def _lane(lane):
    steps = lane.steps.count()
    if not steps:
        return _("Delete the lane “%(name)s”?") % {"name": lane.name}
    return ngettext("Delete the lane “%(name)s” and its %(count)s step?",
                    "Delete the lane “%(name)s” and its %(count)s steps?", steps) % {"name": lane.name, "count": steps}


def connect():
    register(Flow, _flow)
    register(Lane, _lane)
