"""The portfolio's filters (GET): every choice is scoped to what the user may read."""
from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.access import plans_readable_by, products_readable_by, workspaces_of
from onboarding.models import Scenario
from schedule.selectors import Health

from .selectors import SORTS, owners_of

SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    workspace = forms.ModelChoiceField(label=_("Workspace"), queryset=None, required=False, empty_label=_("All"))
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False, empty_label=_("All"))
    kind = forms.ChoiceField(label=_("Scenario kind"), required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    health = forms.ChoiceField(label=_("Health"), required=False)
    launch_from = forms.DateField(label=_("Launch from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    launch_to = forms.DateField(label=_("Launch to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)
    group = forms.ChoiceField(label=_("Group by"), required=False,
                              choices=[("product", _("Product")), ("owner", _("Owner"))],
                              widget=forms.Select)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        self.fields["workspace"].queryset = workspaces_of(user).order_by("name")
        self.fields["product"].queryset = products_readable_by(user).order_by("name")
        self.fields["kind"].choices = [("", _("All")), *Scenario.Kind.choices]
        self.fields["owner"].choices = [("", _("All")), *owners_of(plans_readable_by(user))]
        self.fields["health"].choices = [("", _("All"))] + [
            (value, Health.label(value)) for value in (Health.LATE, Health.AT_RISK, Health.ON_TRACK)]

    def clean(self):
        data = super().clean()
        start, end = data.get("launch_from"), data.get("launch_to")
        if start and end and end < start:
            self.add_error("launch_to", _("The end of the launch window is before its start."))
        return data

    @property
    def filter_fields(self):
        return [self[name] for name in ("workspace", "product", "kind", "owner", "health")]

    def values(self):
        """The filters that are valid (an invalid one is reported and left out, never a 500)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name not in self.errors}
