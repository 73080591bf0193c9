from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.access import owners_of
from onboarding.forms import DATE_INPUT, OwnerField, PeoplePicker
from onboarding.models import Flow, Plan, Product, Scenario, validate_plan_date
from onboarding.versioning import VersionedForm
from stakeholders.models import PlanStakeholder, Stakeholder

from . import scheduling
from .models import Phase, Task, TaskLink, Template, WatchOut, templates_for
from .selectors import task_numbers

STALE_TASK_MESSAGE = _("Someone else changed this task while you were editing it. Their change is shown "
                       "below; your input is kept: save again to apply it over theirs.")


EMPTY_CHOICE = [("", "---------")]


def _offer_only(field, queryset, label=str):
    """Offer only `queryset` in the select, but validate against the field's wider queryset.

    Posting an id from another plan then reaches model.clean, which names the mistake
    ("belongs to another plan") instead of the generic "select a valid choice".
    """
    field.choices = EMPTY_CHOICE + [(obj.pk, label(obj)) for obj in queryset]


class PhaseForm(VersionedForm):
    class Meta:
        model = Phase
        fields = ["name"]


class TaskForm(VersionedForm):
    """A task's fields, plus its start and finish typed as dates: a typed start becomes its "start no
    earlier than", a typed finish its duration in working days from the start."""

    stale_message = STALE_TASK_MESSAGE
    typed_start = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT,
                                  validators=[validate_plan_date],
                                  help_text=_("Typing a date sets “start no earlier than” (or moves a fixed start)."))
    typed_finish = forms.DateField(label=_("Finish"), required=False, widget=DATE_INPUT,
                                   validators=[validate_plan_date],
                                   help_text=_("Typing a date sets the duration (working days from the start)."))
    # The dates the form showed: a date counts as typed when it differs from what was shown, not from
    # what is computed now (another person's change may have moved the task meanwhile).
    shown_start = forms.DateField(required=False, widget=forms.HiddenInput)
    shown_finish = forms.DateField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = ["phase", "title", "description", "owner", "related_flow", "duration", "is_milestone", "is_launch",
                  "start_no_earlier_than", "must_start_on", "deadline", "status", "percent_complete",
                  "actual_start", "actual_finish", "priority_override", "visibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "start_no_earlier_than": DATE_INPUT, "must_start_on": DATE_INPUT, "deadline": DATE_INPUT,
            "actual_start": DATE_INPUT, "actual_finish": DATE_INPUT,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if self.instance.pk is None:
            # A new task joins the phase it was added from; editing it later can move it.
            del self.fields["phase"]
        else:
            self.fields["phase"].queryset = Phase.objects.all()
            _offer_only(self.fields["phase"], plan.phases.all())
        self.fields["owner"].queryset = PlanStakeholder.objects.all()
        _offer_only(self.fields["owner"], plan.plan_stakeholders.select_related("stakeholder"),
                    lambda ps: ps.stakeholder.name)
        self.fields["related_flow"].queryset = Flow.objects.all()
        _offer_only(self.fields["related_flow"], plan.flows.all())
        self.fields["typed_start"].initial = self.fields["shown_start"].initial = self.instance.early_start
        self.fields["typed_finish"].initial = self.fields["shown_finish"].initial = self.instance.early_finish

    def _typed(self, end):
        """Whether the user typed this end ("start" or "finish") rather than leaving the shown date."""
        if self.add_prefix(f"shown_{end}") in self.data:
            return self.cleaned_data.get(f"typed_{end}") != self.cleaned_data.get(f"shown_{end}")
        return f"typed_{end}" in self.changed_data

    def show_stale(self, stale):
        super().show_stale(stale)
        # Dates the user left as shown now show the task's current dates, so that saving again does
        # not type the old ones over the other person's change.
        data = self.data.copy()
        cleaned = getattr(self, "cleaned_data", {})
        for end in ("start", "finish"):
            current = getattr(self.instance, f"early_{end}")
            current = current.isoformat() if current else ""
            if not self._typed(end) and "typed_" + end in cleaned:
                data[self.add_prefix(f"typed_{end}")] = current
            data[self.add_prefix(f"shown_{end}")] = current
        self.data = data

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("typed_start")
        if self._typed("start") and start:
            # a fixed start moves to the typed date; otherwise the date becomes "start no earlier than"
            constraint = "must_start_on" if cleaned.get("must_start_on") else "start_no_earlier_than"
            cleaned[constraint] = start
            setattr(self.instance, constraint, start)
        finish = cleaned.get("typed_finish")
        if self._typed("finish") and finish:
            if cleaned.get("is_milestone"):
                self.add_error("typed_finish", _("A milestone has no finish of its own: type its start."))
                return cleaned
            base = start or self.instance.early_start or cleaned.get("start_no_earlier_than") or self.plan.start_date
            if finish < base:
                self.add_error("typed_finish", _("The finish cannot be before the start (%(date)s).")
                               % {"date": base.isoformat()})
                return cleaned
            calendar = scheduling.plan_calendar(self.plan)
            # Both ends count: a task that starts and finishes on the same working day lasts 1 day.
            duration = max(1, calendar.working_days_between(base, finish) + (1 if calendar.is_working(finish) else 0))
            cleaned["duration"] = self.instance.duration = duration
        return cleaned


class TaskLinkForm(VersionedForm):
    """A predecessor of one task (the instance's successor); the rules are checked by the
    link services under the plan's lock (schedule/services.py)."""

    class Meta:
        model = TaskLink
        fields = ["predecessor", "type", "lag"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        successor = self.instance.successor
        self.fields["predecessor"].queryset = Task.objects.all()
        numbers = task_numbers(plan)
        others = sorted((task for task in plan.tasks.all() if task.pk != successor.pk),
                        key=lambda task: numbers.get(task.pk, 0))
        _offer_only(self.fields["predecessor"], others, lambda task: f"#{numbers.get(task.pk, '?')} {task.title}")


class WatchOutForm(VersionedForm):
    class Meta:
        model = WatchOut
        fields = ["text"]


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PlanFromTemplateForm(forms.Form):
    template = TemplateChoiceField(Template.objects.all(), label=_("Template"))
    name = forms.CharField(label=_("Plan name"), max_length=Plan._meta.get_field("name").max_length)
    product = forms.ModelChoiceField(Product.objects.all(), label=_("Product"))
    scenario = forms.ModelChoiceField(Scenario.objects.all(), label=_("Scenario"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT, validators=[validate_plan_date])
    target_launch_date = forms.DateField(label=_("Target launch date"), widget=DATE_INPUT, required=False,
                                         validators=[validate_plan_date])
    # Who runs the plan and who works on it, so that a new plan is staffed in the same step.
    owner = OwnerField(label=_("Owner"), queryset=None, required=False, empty_label=None,
                       help_text=_("The PM who runs the plan (you, unless you choose another PM of this workspace)."),
                       error_messages={"invalid_choice": _("Choose a PM or an administrator of this workspace.")})
    stakeholders = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Stakeholders"), widget=PeoplePicker,
        help_text=_("People of this workspace who join the plan. New people are added on the Stakeholders tab."),
        error_messages={"invalid_choice": _("Choose people of this workspace.")})
    task_owner = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Owner of the tasks"),
        help_text=_("Every task starts with this owner, who joins the plan's stakeholders; the checklist's bulk "
                    "edit hands some tasks to others later."),
        error_messages={"invalid_choice": _("Choose a person of this workspace.")})

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        # The checklists Paasport ships and the workspace's own; its products and scenarios.
        self.fields["template"].queryset = templates_for(workspace)
        self.fields["product"].queryset = Product.objects.filter(workspace=workspace)
        self.fields["scenario"].queryset = Scenario.objects.filter(workspace=workspace)
        self.fields["owner"].queryset = owners_of(workspace).order_by("first_name", "last_name", "username")
        people = Stakeholder.objects.filter(workspace=workspace).order_by("side", "name", "pk")
        self.fields["stakeholders"].queryset = people
        self.fields["task_owner"].queryset = people

    def clean(self):
        cleaned = super().clean()
        start, target = cleaned.get("start_date"), cleaned.get("target_launch_date")
        if start and target and target < start:
            self.add_error("target_launch_date", _("The target launch date cannot be before the start date."))
        return cleaned
