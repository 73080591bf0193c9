"""Inline row editing for the parts of a flow (see inline.py)."""
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import FlowForm, LaneForm, MetricForm, StepForm
from .inline import RowKind
from .models import Flow, Lane, Metric, Step

FLOW_PAGE = "onboarding/plan_flow.html"


class FlowRows(RowKind):
    name = "flow"
    model = Flow
    form_class = FlowForm
    add_label = _("Add flow")
    page_template = FLOW_PAGE

    def remove(self, plan, obj, version):
        return services.flow_delete(plan=plan, flow=obj, version=version)


class FlowPartRows(RowKind):
    """Lanes, steps and metrics: rows whose parent is a flow of the plan."""

    page_template = FLOW_PAGE
    parent_name = "flow"
    parent_model = Flow
    parent_field = "flow"

    def scope(self, plan):
        return self.model.objects.filter(flow__plan=plan).select_related("flow")

    def parent_of(self, obj):
        return obj.flow

    def context(self, plan, parent):
        return {"flow": parent}


class LaneRows(FlowPartRows):
    name = "lane"
    model = Lane
    form_class = LaneForm
    add_label = _("Add lane")


class StepRows(FlowPartRows):
    name = "step"
    model = Step
    form_class = StepForm
    add_label = _("Add step")

    def scope(self, plan):
        return super().scope(plan).select_related("lane")


class MetricRows(FlowPartRows):
    name = "metric"
    model = Metric
    form_class = MetricForm
    add_label = _("Add metric")


ROW_KINDS = [FlowRows(), LaneRows(), StepRows(), MetricRows()]
