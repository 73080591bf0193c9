from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onboarding.access import users_of
from onboarding.models import Step
from onboarding.versioning import MISSING_MESSAGE, StaleEdit, VersionedForm, current_version

from .models import PlanStakeholder, Stakeholder
from .selectors import flow_steps_of, people_of_workspace

PERSON_FIELDS = ["name", "organisation", "department", "side", "role", "email", "phone", "user"]
# The side select always posts a value, so only these show that a new person was typed.
PERSON_TYPED_FIELDS = ["name", "organisation", "department", "role", "email", "phone", "user"]
PLAN_FIELDS = ["concerns", "steps", "modules", "relevance", "influence", "audience", "capacity", "internal_notes"]
SCORE_ERROR = _("Scores go from 1 to 5.")
STALE_STAKEHOLDER_MESSAGE = _("Someone else changed this stakeholder while you were editing it. Their change is "
                              "shown below; your input is kept: save again to apply it over theirs.")
STALE_PERSON_MESSAGE = _("Someone else changed this person's details while you were editing them (they are shared "
                         "by every plan the person is in). Their change is shown below; your input is kept: save "
                         "again to apply it over theirs.")


class ScoreField(forms.IntegerField):
    def __init__(self, **kwargs):
        messages = {"min_value": SCORE_ERROR, "max_value": SCORE_ERROR, "invalid": SCORE_ERROR}
        super().__init__(min_value=1, max_value=5, error_messages=messages, **kwargs)


def account_label(user):
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


def step_label(step):
    return f"{step.flow.name} · {step.text}"


class PlanStakeholderForm(VersionedForm):
    """A stakeholder of one plan: the shared person and the plan-specific part in one form."""

    existing = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(), required=False, label=_("Existing person"),
        help_text=_("Pick someone already known to Paasport, or leave empty and type a new person below."),
    )
    stale_message = STALE_STAKEHOLDER_MESSAGE
    # The version of the person (shared by every plan they are in) the form was loaded at: the
    # plan row's own ``version`` does not change when another plan saves the person.
    person_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    relevance = ScoreField(label=_("relevance"), help_text=_("1–5: how much the onboarding matters to them."))
    influence = ScoreField(label=_("influence"), help_text=_("1–5: how much they can change its course."))

    class Meta:
        model = PlanStakeholder
        fields = PLAN_FIELDS
        widgets = {
            "concerns": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "concerns": _("What they care about and the business metrics they watch, one per line."),
            "modules": _("Modules or systems not covered by a flow step."),
            "internal_notes": _("Only people working on this plan see these notes; they are never shared."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.adding = self.instance.pk is None
        person_fields = fields_for_model(Stakeholder, fields=PERSON_FIELDS)
        self.fields.update(person_fields)
        self.fields["name"].widget.attrs["autofocus"] = True
        # Only accounts of the plan's own workspace, by name: another team's are refused as an
        # invalid choice, never listed.
        accounts = users_of(plan.workspace).order_by("first_name", "last_name", "username")
        self.fields["user"].queryset = accounts
        self.fields["user"].label_from_instance = account_label
        self.fields["user"].help_text = _("Link this person to their Paasport account: their tasks then show in "
                                          "their My work, and they are told about changes.")

        if self.adding:
            # The people of the plan's workspace (another team's never: not even their names) are
            # accepted so that clean_existing can say why one is refused; those not yet in the plan
            # are offered.
            people = people_of_workspace(plan.workspace)
            self.fields["existing"].queryset = people
            offered = people.exclude(plan_roles__plan=plan)
            self.fields["existing"].choices = [("", "---------")] + [(p.pk, str(p)) for p in offered]
            self.fields["name"].required = False
            self.fields["name"].help_text = _("Needed for a new person.")
        else:
            del self.fields["existing"]
            self.initial.update(model_to_dict(self.instance.stakeholder, fields=PERSON_FIELDS))
            self.fields["person_version"].initial = self.instance.stakeholder.version
            plans = self.instance.stakeholder.plan_roles.count()
            if plans > 1:
                self.fields["name"].help_text = ngettext(
                    "This person is in %(count)d plan: changes to their details apply there too.",
                    "This person is in %(count)d plans: changes to their details apply to all of them.",
                    plans,
                ) % {"count": plans}
            else:
                self.fields["name"].help_text = _("The person's details are shared by every plan they join.")

        # Steps of every plan are accepted so that clean_steps can name the mistake.
        steps_field = self.fields["steps"]
        steps_field.queryset = Step.objects.select_related("flow")
        steps_field.choices = [(step.pk, step_label(step)) for step in flow_steps_of(plan)]
        if not steps_field.choices:
            steps_field.help_text = _("This plan has no flow steps yet: add them on the Flow tab.")
        self.order_fields(["existing", *PERSON_FIELDS, *PLAN_FIELDS, "version", "person_version"])

    def person_fields(self):
        return [self[name] for name in ("existing", *PERSON_FIELDS) if name in self.fields]

    def plan_fields(self):
        return [self[name] for name in PLAN_FIELDS]

    def clean_existing(self):
        person = self.cleaned_data.get("existing")
        if person and PlanStakeholder.objects.filter(plan=self.plan, stakeholder=person).exists():
            raise forms.ValidationError(_("This person is already a stakeholder of this plan."), code="duplicate")
        return person

    def clean_steps(self):
        steps = self.cleaned_data["steps"]
        if any(step.flow.plan_id != self.plan.pk for step in steps):
            raise forms.ValidationError(_("Only steps of this plan's flows can be chosen."), code="foreign_step")
        return steps

    def clean(self):
        cleaned = super().clean()
        if self.conflict is not None or "existing" in self.errors:
            return cleaned
        if not self.adding:
            person = self.instance.stakeholder
            started, current = cleaned.get("person_version"), current_version(Stakeholder, person.pk)
            if current is not None and started != current:
                self.show_stale(StaleEdit(person, started=started, current=current))
                return cleaned
        if cleaned.get("existing"):
            if any(cleaned.get(name) for name in PERSON_TYPED_FIELDS):
                self.add_error("existing", _(
                    "You chose an existing person: clear the new person's fields, or clear this choice."))
            return cleaned
        name = (cleaned.get("name") or "").strip()
        if not name:
            if "name" not in self.errors:
                self.add_error("name", _("Type the new person's name, or choose an existing person."))
            return cleaned
        same = PlanStakeholder.objects.filter(
            plan=self.plan, stakeholder__name__iexact=name,
            stakeholder__organisation__iexact=(cleaned.get("organisation") or "").strip(),
            stakeholder__department__iexact=(cleaned.get("department") or "").strip(),
        )
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            self.add_error("name", _("%(name)s of this organisation and department is already in this plan.")
                           % {"name": name})
        return cleaned

    def describe_conflict(self, started):
        from .history import member_conflict  # stakeholders.history imports this module

        return member_conflict(self.instance.pk, started)

    def show_stale(self, stale):
        """Refuse the save, showing the other change: to this plan's row (with the person's details
        changed since), or to the person's details from another plan (or the same one)."""
        if not isinstance(stale.instance, Stakeholder):
            super().show_stale(stale)
            # The person may have changed too, and that change is shown: saving again starts from it.
            self._set_hidden("person_version", current_version(Stakeholder, self.instance.stakeholder_id))
            return
        from .history import person_conflict  # stakeholders.history imports this module

        self.conflict = person_conflict(stale.instance.pk, stale.started)
        data = self.data.copy()
        if stale.current is not None:
            data[self.add_prefix("person_version")] = stale.current
        self._take_their_changes(data)
        self.data = data
        message = MISSING_MESSAGE if stale.started is None else STALE_PERSON_MESSAGE
        self.add_error(None, forms.ValidationError(message, code="stale"))

    def _set_hidden(self, name, value):
        if value is not None:
            data = self.data.copy()
            data[self.add_prefix(name)] = value
            self.data = data

    def person_details(self):
        """The typed person's details, or None when an existing person was picked as is."""
        if self.cleaned_data.get("existing"):
            return None
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}
