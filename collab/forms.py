from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onboarding.versioning import VersionedForm

from . import services
from .models import Comment


class CommentForm(VersionedForm):
    class Meta:
        model = Comment
        fields = ["body", "shared_with_partner"]
        labels = {"body": _("Comment"), "shared_with_partner": _("Shared with the partner (shown read-only on their page)")}
        widgets = {"body": forms.Textarea(attrs={
            "rows": 3, "maxlength": 10000, "placeholder": _("Write a comment… Markdown works; type @ to mention someone")})}

    def __init__(self, *args, mentions_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["data-mentions-url"] = mentions_url
        self.fields["shared_with_partner"].help_text = ""  # the label says it


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            services.check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("file") or error.messages) from None
        return upload
