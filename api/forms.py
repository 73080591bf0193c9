from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.forms import DATE_INPUT

from .models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80,
                           help_text=_("What the token is for, e.g. “TAPD sync”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ,
                              help_text=_("A read token only reads; a write token also changes what you may "
                                          "change."))
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE_INPUT,
                                 help_text=_("Optional. The token works until the end of this day."))

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on < timezone.localdate():
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        return expires_on

    def clean_name(self):
        return " ".join(self.cleaned_data.get("name", "").split())
