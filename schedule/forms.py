from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onboarding.forms import DATE_INPUT
from onboarding.history_views import claim_version, refresh_hidden_version
from onboarding.models import Flow, Plan, Product, Scenario, validate_plan_date
from stakeholders.models import PlanStakeholder

from .engine.cpm import find_cycle
from .history import task_conflict
from .models import Phase, Task, TaskLink, Template, WatchOut
from .services import task_numbers

STALE_TASK_MESSAGE = _("Someone else changed this task while you were editing it. Their change is shown "
                       "below; your input is kept: save again to apply it over theirs.")


class StaleEdit(Exception):
    """A save lost the race for a version: show the form again with the other person's change."""

    def __init__(self, form):
        super().__init__()
        self.form = form


EMPTY_CHOICE = [("", "---------")]


def _offer_only(field, queryset, label=str):
    """Offer only `queryset` in the select, but validate against the field's wider queryset.

    Posting an id from another plan then reaches model.clean, which names the mistake
    ("belongs to another plan") instead of the generic "select a valid choice".
    """
    field.choices = EMPTY_CHOICE + [(obj.pk, label(obj)) for obj in queryset]


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name"]


class TaskForm(forms.ModelForm):
    # Optimistic locking: the version the user started editing; another save in between is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = ["phase", "title", "description", "owner", "related_flow", "duration", "is_milestone",
                  "start_no_earlier_than", "deadline", "status", "percent_complete", "actual_start",
                  "actual_finish", "priority_override", "visibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "start_no_earlier_than": DATE_INPUT, "deadline": DATE_INPUT,
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
        self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if self.instance.pk and version is not None:
            current = Task.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != version:
                self.mark_stale(version, current)
        return cleaned

    def mark_stale(self, started, current, *, raising=True):
        """Refuse the save and show what the other person changed; the user's input stays in the form."""
        self.conflict = task_conflict(self.instance.pk, started)
        refresh_hidden_version(self, current)
        error = forms.ValidationError(STALE_TASK_MESSAGE, code="stale")
        if raising:
            raise error
        self.add_error(None, error)

    def save(self, commit=True):
        task = super().save(commit=False)
        if task.pk:
            expected = self.cleaned_data.get("version")
            if expected is None:
                expected = Task.objects.filter(pk=task.pk).values_list("version", flat=True).first() or 0
            if not claim_version(Task, task.pk, expected):
                # Another save got in between the check in clean() and this write.
                current = Task.objects.filter(pk=task.pk).values_list("version", flat=True).first()
                self.mark_stale(expected, current, raising=False)
                raise StaleEdit(self)
            task.version = expected + 1
        if commit:
            task.save()
        return task


def cycle_names(tasks_by_id, cycle):
    titles = [tasks_by_id[task_id].title for task_id in cycle]
    return " → ".join(titles + titles[:1])


class TaskLinkForm(forms.ModelForm):
    """A predecessor of one task (the instance's successor)."""

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

    def clean(self):
        cleaned = super().clean()
        predecessor = cleaned.get("predecessor")
        successor = self.instance.successor
        if predecessor is None or self.has_error("predecessor"):
            return cleaned
        if predecessor.pk == successor.pk:
            self.add_error("predecessor", _("A task cannot depend on itself."))
            return cleaned
        if predecessor.plan_id != self.plan.pk:
            self.add_error("predecessor", _("Both tasks of a link must belong to the same plan."))
            return cleaned
        duplicate = TaskLink.objects.filter(predecessor=predecessor, successor=successor).exclude(pk=self.instance.pk)
        if duplicate.exists():
            self.add_error("predecessor", _("This task is already a predecessor of this task."))
            return cleaned
        if transaction.get_connection().in_atomic_block:
            # Two links saved at once could close a cycle neither check saw: serialise on the plan.
            list(Plan.objects.select_for_update().filter(pk=self.plan.pk).values_list("pk"))
        tasks_by_id = {task.pk: task for task in self.plan.tasks.only("pk", "title")}
        links = [(p, s) for p, s in TaskLink.objects.filter(successor__plan=self.plan)
                 .exclude(pk=self.instance.pk).values_list("predecessor_id", "successor_id")]
        links.append((predecessor.pk, successor.pk))
        cycle = find_cycle(tasks_by_id.keys(), links)
        if cycle:
            self.add_error("predecessor", _("This link would create a cycle: %(cycle)s")
                           % {"cycle": cycle_names(tasks_by_id, cycle)})
        return cleaned


class WatchOutForm(forms.ModelForm):
    class Meta:
        model = WatchOut
        fields = ["text"]


class PlanFromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(Template.objects.all(), label=_("Template"))
    name = forms.CharField(label=_("Plan name"), max_length=Plan._meta.get_field("name").max_length)
    product = forms.ModelChoiceField(Product.objects.all(), label=_("Product"))
    scenario = forms.ModelChoiceField(Scenario.objects.all(), label=_("Scenario"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT, validators=[validate_plan_date])
    target_launch_date = forms.DateField(label=_("Target launch date"), widget=DATE_INPUT, required=False,
                                         validators=[validate_plan_date])

    def clean(self):
        cleaned = super().clean()
        start, target = cleaned.get("start_date"), cleaned.get("target_launch_date")
        if start and target and target < start:
            self.add_error("target_launch_date", _("The target launch date cannot be before the start date."))
        return cleaned
