"""Forms of the joint-test matrix: one cell, a bulk change, the filters."""
from django import forms
from django.utils.translation import gettext_lazy as _

from collab.models import Attachment
from onboarding.access import users_of
from onboarding.forms import DATE_INPUT
from onboarding.models import validate_plan_date
from onboarding.versioning import MISSING_MESSAGE, STALE_MESSAGE, find_conflict

from .models import Environment, JointTest
from .rollup import SIDE_CHOICES

NO_TEXT_NUL = "\x00"


def _person(user):
    return user.get_full_name() or user.username


class _People(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class _Files(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _no_nul(value):
    if NO_TEXT_NUL in (value or ""):
        raise forms.ValidationError(_("Remove the NUL characters (\\x00) from this text."))


class JointTestForm(forms.Form):
    """One cell: who tested what, when, with which evidence. ``version`` is the one the form was
    loaded at (0: never saved); a stale save comes back with the other person's change shown."""

    status = forms.ChoiceField(label=_("Status"), choices=JointTest.Status.choices)
    tester = _People(label=_("Tester"), queryset=None, required=False)
    tested_on = forms.DateField(label=_("Tested on"), required=False, widget=DATE_INPUT,
                                validators=[validate_plan_date])
    request_id = forms.CharField(label=_("Request id"), max_length=200, required=False, validators=[_no_nul],
                                 help_text=_("The id of a request that shows the result, e.g. from the gateway log."))
    evidence = _Files(label=_("Evidence"), queryset=None, required=False,
                      help_text=_("A file of this product (a screenshot, a log, a test report)."))
    note = forms.CharField(label=_("Internal note"), required=False, max_length=5000, validators=[_no_nul],
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Seen by your team only, never on the partner's page."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, product, test=None, **kwargs):
        self.test = test
        if test is not None and "initial" not in kwargs:
            kwargs["initial"] = {"status": test.status, "tester": test.tester_id, "tested_on": test.tested_on,
                                 "request_id": test.request_id, "evidence": test.evidence_id, "note": test.note,
                                 "version": test.version}
        super().__init__(*args, **kwargs)
        self.conflict = None
        if test is None:
            self.fields["version"].initial = 0
        self.fields["tester"].queryset = users_of(product.workspace).order_by("first_name", "username")
        self.fields["evidence"].queryset = Attachment.objects.filter(product=product, deleted_at__isnull=True)

    def values(self):
        return {name: self.cleaned_data[name] for name in
                ("status", "tester", "tested_on", "request_id", "evidence", "note")}

    def show_stale(self, stale):
        """The save was refused: show who changed the cell and what, keep the user's input, and
        carry the current version so that saving again applies it deliberately."""
        pk = stale.instance.pk
        self.conflict = find_conflict(JointTest, pk, stale.started) if pk else None
        data = self.data.copy()
        data["version"] = stale.current or 0
        self.data = data
        self.add_error(None, forms.ValidationError(MISSING_MESSAGE if stale.started is None else STALE_MESSAGE,
                                                   code="stale"))


KEEP = ""
NOBODY = "none"


class BulkForm(forms.Form):
    """What to set on every selected cell: empty means "leave as it is"."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[(KEEP, _("— keep —")), *JointTest.Status.choices])
    tester = forms.ChoiceField(label=_("Tester"), required=False)
    tested_on = forms.DateField(label=_("Tested on"), required=False, widget=DATE_INPUT,
                                validators=[validate_plan_date])

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in users_of(product.workspace).order_by("first_name", "username")}
        self.fields["tester"].choices = [(KEEP, _("— keep —")), (NOBODY, _("(nobody)")),
                                         *[(pk, _person(u)) for pk, u in self.people.items()]]


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *JointTest.Status.choices])
    environment = forms.ChoiceField(label=_("Environment"), required=False,
                                    choices=[("", _("Any environment")), *Environment.choices])
    side = forms.ChoiceField(label=_("Side"), required=False, choices=SIDE_CHOICES)

    def values(self):
        if not self.is_valid():
            return {"status": "", "environment": "", "side": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("status", "environment", "side")}
