"""Inline row editing of a plan's stakeholders (see onboarding/inline.py)."""
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from onboarding.history_views import claim_version
from onboarding.inline import RowKind
from onboarding.models import Step

from . import services
from .forms import PlanStakeholderForm
from .history import saved_with_one_record
from .models import PlanStakeholder

STAKEHOLDERS_PAGE = "stakeholders/plan_stakeholders.html"


def plan_stakeholders_of(plan):
    """The plan's stakeholders with what their rows show, in the PM's order."""
    return (PlanStakeholder.objects.filter(plan=plan).select_related("stakeholder")
            .prefetch_related(Prefetch("steps", queryset=Step.objects.select_related("flow")
                                       .order_by("flow__position", "flow_id", "position", "id")))
            .order_by("position", "id"))


class _SaveRefused(Exception):
    """The service refused a form that looked valid (e.g. a race): show the form again."""

    def __init__(self, form):
        super().__init__()
        self.form = form


class StakeholderRows(RowKind):
    name = "stakeholder"
    namespace = "stakeholders"
    model = PlanStakeholder
    form_class = PlanStakeholderForm
    add_label = _("Add stakeholder")
    page_template = STAKEHOLDERS_PAGE

    def scope(self, plan):
        return plan_stakeholders_of(plan)

    def form_kwargs(self, plan):
        return {"plan": plan}

    def context(self, plan, parent):
        return {"members": plan_stakeholders_of(plan)}

    def save(self, form, plan):
        membership = form.instance
        expected = form.cleaned_data.get("version")
        if membership.pk and expected is not None:
            if not claim_version(PlanStakeholder, membership.pk, expected):
                # Another save got in between the form's check and this write.
                current = PlanStakeholder.objects.filter(pk=membership.pk).values_list("version", flat=True).first()
                form.mark_stale(expected, current)
                raise _SaveRefused(form)
            # The service adds one, which is what the claim already wrote.
            membership.version = expected
        try:
            return saved_with_one_record(membership, lambda: services.save_plan_stakeholder(
                plan, membership, person=form.cleaned_data.get("existing"),
                person_details=form.person_details(), steps=form.cleaned_data["steps"],
            ))
        except ValidationError as error:
            form.add_error(None, error)
            raise _SaveRefused(form) from error

    def add_view(self, request, plan_id, parent_id=None):
        try:
            return super().add_view(request, plan_id, parent_id)
        except _SaveRefused as refused:
            return self._render_form(request, refused.form.plan, refused.form.plan, refused.form, None, status=422)

    def edit_view(self, request, plan_id, pk):
        try:
            return super().edit_view(request, plan_id, pk)
        except _SaveRefused as refused:
            form = refused.form
            return self._render_form(request, form.plan, form.plan, form, form.instance, status=422)


ROW_KINDS = [StakeholderRows()]
