"""Inline row editing of a plan's stakeholders (see onboarding/inline.py)."""
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onboarding import deletion
from onboarding.inline import RowKind

from . import services
from .forms import PlanStakeholderForm
from .models import PlanStakeholder
from .selectors import owned_task_titles, plan_stakeholders_of

STAKEHOLDERS_PAGE = "stakeholders/plan_stakeholders.html"


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

    def _save(self, plan, form, version=None):
        return services.plan_stakeholder_save(
            plan=plan, membership=form.instance, version=version, person=form.cleaned_data.get("existing"),
            person_details=form.person_details(), person_version=form.cleaned_data.get("person_version"),
            steps=form.cleaned_data["steps"])

    def create(self, plan, parent, form):
        return self._save(plan, form)

    def update(self, plan, form):
        return self._save(plan, form, form.cleaned_data.get("version"))

    def remove(self, plan, obj, version):
        return services.plan_stakeholder_delete(plan=plan, membership=obj, version=version)


def _removal_confirmation(membership):
    titles, total = owned_task_titles(membership)
    question = _gettext("Remove “%(name)s” from this plan? The person stays in Paasport.") % {
        "name": membership.stakeholder.name}
    if not total:
        return question
    shown = "、".join(titles) + ("…" if total > len(titles) else "")
    return " ".join([question, ngettext(
        "%(count)s task loses its owner (%(titles)s); restoring the stakeholder from History gives it back.",
        "%(count)s tasks lose their owner (%(titles)s); restoring the stakeholder from History gives them back.",
        total) % {"count": total, "titles": shown}])


deletion.register(PlanStakeholder, _removal_confirmation)


ROW_KINDS = [StakeholderRows()]
