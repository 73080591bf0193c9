"""Forms of the interface inventory, its import and the platform requirements."""
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.versioning import VersionedForm
from stakeholders.models import Stakeholder

from .importer import MAX_BYTES
from .models import Direction, Interface, InterfaceRequirement

CODE = re.compile(r"^(?:[1-5](?:\d\d|XX)|default)$")


class CodesField(forms.CharField):
    """Response codes typed as "400, 401, 5XX, default"."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        codes = [code.strip() for code in re.split(r"[,\s，、]+", text) if code.strip()]
        bad = [code for code in codes if not CODE.match(code)]
        if bad:
            raise forms.ValidationError(_("Not a response code: %(codes)s (e.g. 400, 5XX, default).") % {
                "codes": ", ".join(bad[:5])[:200]})
        return sorted(set(codes), key=codes.index)[:30]


def _clean_path(value):
    value = (value or "").strip()
    if any(character.isspace() for character in value):
        raise forms.ValidationError(_("A path has no spaces."))
    return value


class InterfaceForm(VersionedForm):
    error_responses = CodesField(label=_("Error responses"), required=False, max_length=400,
                                 help_text=_("e.g. 400, 401, 5XX, default"))

    class Meta:
        model = Interface
        fields = ["method", "path", "summary", "operation_id", "direction", "auth_scheme", "error_responses",
                  "platform_owner", "partner_owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        people = Stakeholder.objects.filter(workspace_id=product.workspace_id)
        self.fields["platform_owner"].queryset = people.filter(side=Stakeholder.Side.PLATFORM)
        self.fields["partner_owner"].queryset = people.filter(side=Stakeholder.Side.PARTNER)

    def clean_path(self):
        return _clean_path(self.cleaned_data.get("path"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("OpenAPI or Swagger document (JSON or YAML)"))
    direction = forms.ChoiceField(label=_("Who provides these operations"), choices=Direction.choices,
                                  initial=Direction.PARTNER_PROVIDES,
                                  help_text=_("Callbacks and webhooks in the document go to the other side."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is %(size).1f MB; the limit is 5 MB.") % {
                "size": upload.size / 1024 / 1024})
        return upload


class RequirementForm(forms.ModelForm):
    class Meta:
        model = InterfaceRequirement
        fields = ["scenario_kind", "category", "name", "method", "path", "direction", "severity", "requires_auth",
                  "requires_error_responses", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_path(self):
        return _clean_path(self.cleaned_data.get("path"))
