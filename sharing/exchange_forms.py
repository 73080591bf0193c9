"""Forms of the import / export page: uploads (one file each, checked for size before parsing) and
the calendar feed's audience and language."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .exchange import MAX_UPLOAD_BYTES
from .models import CalendarFeed


class _UploadForm(forms.Form):
    accept = ""
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = self.accept
        self.fields["file"].help_text = _("At most %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.")
                                        % {"size": MAX_UPLOAD_BYTES // 2**20})
        return upload

    def data_bytes(self):
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(MAX_UPLOAD_BYTES + 1)


class XlsxImportForm(_UploadForm):
    accept = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MspdiImportForm(_UploadForm):
    accept = ".xml,application/xml,text/xml"


class JsonImportForm(_UploadForm):
    accept = ".json,application/json"


class CalendarFeedForm(forms.ModelForm):
    class Meta:
        model = CalendarFeed
        fields = ["audience", "language"]
        help_texts = {"language": _("Event titles stay in this language for every subscriber.")}
