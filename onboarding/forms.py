from django import forms
from django.utils.translation import gettext_lazy as _

from .access import users_of
from .models import CHAIN_SEPARATOR, Flow, Lane, Metric, Plan, Product, Scenario, Step
from .versioning import VersionedForm

# A browser's date input reads only YYYY-MM-DD: without the fixed format Django writes the
# language's own (2026/10/29 in zh-hans), the input shows empty and a save clears the date.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on the fields it names that the form has,
    the rest above the form (a service may name a field the form does not show)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "vendor_kind", "vendor_name", "category", "official_url", "api_docs_url",
                  "console_url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ChainField(forms.CharField):
    """An ordered chain of roles typed as "A → B → C" (also accepts "->" or one role per line)."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return CHAIN_SEPARATOR.join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        for separator in ("->", "\n", "→"):
            text = text.replace(separator, "\x00")
        roles = [role.strip() for role in text.split("\x00")]
        if any(not role for role in roles) and len(roles) > 1:
            raise forms.ValidationError(_("Every role in the chain needs a name."))
        return [role for role in roles if role]


class ScenarioForm(forms.ModelForm):
    channel_chain = ChainField(label=_("agent / channel chain"), required=False,
                               help_text=_("Roles in order, separated by →"))

    class Meta:
        model = Scenario
        fields = ["name", "kind", "business_model", "channel_chain", "channel_development",
                  "products_distributed", "business_model_notes", "pain_points", "service_strategy", "contact"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in (
            "channel_development", "products_distributed", "business_model_notes", "pain_points", "service_strategy")}


class PlanForm(VersionedForm):
    """A plan's own fields; its product, scenario, editors and viewers come from its workspace."""

    class Meta:
        model = Plan
        fields = ["name", "product", "scenario", "start_date", "target_launch_date", "status", "summary", "editors",
                  "viewers"]
        widgets = {
            "start_date": DATE_INPUT,
            "target_launch_date": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workspace = self.instance.workspace
        self.fields["product"].queryset = Product.objects.filter(workspace=workspace)
        self.fields["scenario"].queryset = Scenario.objects.filter(workspace=workspace)
        people = users_of(workspace).order_by("username")
        for name in ("editors", "viewers"):
            self.fields[name].queryset = people


class FlowForm(VersionedForm):
    class Meta:
        model = Flow
        fields = ["name", "need", "features"]
        widgets = {"need": forms.Textarea(attrs={"rows": 2}), "features": forms.Textarea(attrs={"rows": 2})}


class LaneForm(VersionedForm):
    class Meta:
        model = Lane
        fields = ["name", "kind"]


class StepForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        flow = self.instance.flow
        # Lanes of the whole plan are accepted so that model.clean can name the mistake
        # ("belongs to another flow"); only this flow's lanes are offered.
        self.fields["lane"].queryset = Lane.objects.filter(flow__plan=flow.plan_id)
        self.fields["lane"].choices = [("", "---------")] + [(lane.pk, lane.name) for lane in flow.lanes.all()]

    class Meta:
        model = Step
        fields = ["lane", "text"]


class MetricForm(VersionedForm):
    class Meta:
        model = Metric
        fields = ["name", "target", "unit"]
