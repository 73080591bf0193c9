from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onboarding.access import plans_readable_by

from .models import Event, Webhook


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[value for value, _label in Event.choices])
    new_secret = forms.CharField(
        label=_("Secret"), required=False, max_length=200, strip=True, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("For a Feishu or DingTalk robot with signing on: paste the robot's secret. Empty: a new hook "
                    "gets a generated one, an existing hook keeps its own."))

    class Meta:
        model = Webhook
        fields = ["name", "url", "plan", "format", "language", "events", "active"]

    def __init__(self, *args, user, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans_readable_by(user, workspace).order_by("name")
        self.fields["plan"].empty_label = _("Every plan of the workspace")
        self.fields["plan"].help_text = ""
        if not self.instance.pk:
            self.initial.setdefault("language", get_language())
        self.fields["url"].help_text = _("The address that receives a POST for each event (http or https).")
        self.order_fields(["name", "url", "format", "new_secret", "plan", "language", "events", "active"])

    def clean_name(self):
        return " ".join(self.cleaned_data.get("name", "").split())
