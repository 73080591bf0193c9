from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.forms import DATE_INPUT
from onboarding.models import validate_plan_date

from .models import ShareLink


class ShareLinkForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=ShareLink.Audience.choices,
                                 initial=ShareLink.Audience.PARTNER,
                                 help_text=_("Partners see only tasks shared with them; management sees "
                                             "milestones, risks and all dates."))
    expires_on = forms.DateField(label=_("Expires on"), required=False, validators=[validate_plan_date],
                                 widget=DATE_INPUT,
                                 help_text=_("Optional. The link works until the end of this day."))
    platform_names = forms.TypedChoiceField(
        label=_("Platform people appear"), coerce=lambda value: value == "name", initial="role",
        required=False, empty_value=False,
        choices=[("role", _("By role (e.g. “Product manager”)")), ("name", _("By name"))],
        help_text=_("How the page and its Gantt name the platform side's task owners and the plan owner. "
                    "Partner-side people always appear by name."))
    label = forms.CharField(label=_("Label"), max_length=120, required=False,
                            help_text=_("Optional, e.g. who received the link."))

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on < timezone.localdate():
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        return expires_on

    def clean_label(self):
        return " ".join(self.cleaned_data.get("label", "").split())
