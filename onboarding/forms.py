from django import forms
from django.utils.translation import gettext_lazy as _

from django.utils.html import format_html

from .access import owners_of, users_of
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


def person_name(user):
    """A user as people know them: "Pat Lee · pm" (the username tells two Pat Lees apart)."""
    full = user.get_full_name()
    return f"{full} · {user.username}" if full else user.username


class PeoplePicker(forms.CheckboxSelectMultiple):
    """Workspace users as a list of names with a search box (static/js/app.js filters it as one types)."""

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}_list"
        search = format_html(
            '<input type="search" class="people-search" data-filter-list="{}" placeholder="{}" aria-label="{}">',
            list_id, _("Search by name"), _("Search by name"))
        boxes = super().render(name, value, {**(attrs or {}), "class": "people-list"}, renderer)
        return format_html('<div class="people-picker">{}<div id="{}" class="people-options">{}</div></div>',
                           search, list_id, boxes)


class PeopleField(forms.ModelMultipleChoiceField):
    widget = PeoplePicker

    def label_from_instance(self, obj):
        return person_name(obj)


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PlanForm(VersionedForm):
    """A plan's own fields; its owner, product, scenario, editors and viewers come from its workspace.

    ``can_transfer``: the owner field can be changed (the plan's owner or a workspace admin; anyone
    creating a plan); otherwise it is shown but disabled.
    """

    owner = OwnerField(label=_("Owner"), queryset=None, required=False, empty_label=None,
                       help_text=_("Hand the plan to another PM of this workspace; the previous owner stays on as an "
                                   "editor."),
                       error_messages={"invalid_choice": _("Choose a PM or an administrator of this workspace.")})
    editors = PeopleField(label=_("Editors"), queryset=None, required=False,
                          help_text=_("Can change the plan. Only people of this workspace are listed."))
    viewers = PeopleField(label=_("Viewers"), queryset=None, required=False,
                          help_text=_("Can read the plan."))

    field_order = ["name", "product", "scenario", "owner", "start_date", "target_launch_date", "status", "summary",
                   "editors", "viewers"]

    class Meta:
        model = Plan
        fields = ["name", "product", "scenario", "start_date", "target_launch_date", "status", "summary"]
        widgets = {
            "start_date": DATE_INPUT,
            "target_launch_date": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, can_transfer=True, **kwargs):
        super().__init__(*args, **kwargs)
        workspace = self.instance.workspace
        self.fields["product"].queryset = Product.objects.filter(workspace=workspace)
        self.fields["scenario"].queryset = Scenario.objects.filter(workspace=workspace)
        self.fields["owner"].queryset = owners_of(workspace).order_by("first_name", "last_name", "username")
        self.fields["owner"].initial = self.instance.owner_id
        self.fields["owner"].disabled = not can_transfer
        if not can_transfer:
            self.fields["owner"].help_text = _("Only the owner or a workspace administrator can hand the plan over.")
        people = users_of(workspace).order_by("first_name", "last_name", "username")
        for name in ("editors", "viewers"):
            self.fields[name].queryset = people
            if self.instance.pk:
                self.fields[name].initial = list(getattr(self.instance, name).values_list("pk", flat=True))


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
