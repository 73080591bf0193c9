import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.models import FIRST_PLAN_DATE, LAST_PLAN_DATE
from onboarding.versioning import VersionedForm

from .engine import DEFAULT_WEIGHTS
from .models import Baseline, ScheduleSettings

# What each weight means, shown beside its field.
WEIGHT_HELP = {
    "criticality": _("Points for a task on the critical path (no float); fewer as float grows."),
    "urgency": _("Points for a task due now or overdue; fewer as the due date is further away."),
    "stakeholder": _("Points for touching stakeholders with high relevance × influence."),
    "status": _("Points for blocked tasks (all) and tasks in progress (60 %)."),
    "override": _("Multiplier for the priority points set by hand on a task."),
    "milestone": _("Points for a milestone (partner and management views)."),
    "launch": _("Extra points for the launch milestone (management view)."),
    "risk": _("Points per risk: behind schedule, blocked, slipped against the baseline (management view)."),
    "float_horizon": _("Working days of float at which the critical-path points reach 0."),
    "due_horizon": _("Working days until due at which the due-soon points reach 0."),
    "slip_horizon": _("Working days of slip at which the slip risk counts in full."),
}
WEIGHT_LABELS = {
    "criticality": _("Critical path"), "urgency": _("Due soon"), "stakeholder": _("Stakeholders"),
    "status": _("Status"), "override": _("Manual override"), "milestone": _("Milestone"),
    "launch": _("Launch milestone"), "risk": _("Risk"), "float_horizon": _("Float horizon (days)"),
    "due_horizon": _("Due horizon (days)"), "slip_horizon": _("Slip horizon (days)"),
}


class DateListField(forms.CharField):
    """Dates typed one per line (or separated by commas) as YYYY-MM-DD."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-24"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        dates = []
        for line_number, item in enumerate(text.replace(",", "\n").splitlines(), start=1):
            item = item.strip()
            if not item:
                continue
            try:
                day = datetime.date.fromisoformat(item)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(line)s: “%(value)s” is not a date in the form YYYY-MM-DD."),
                    params={"line": line_number, "value": item[:40]},
                ) from None
            if not FIRST_PLAN_DATE <= day <= LAST_PLAN_DATE:
                # Also a date stored before this check (an old import) and posted back unchanged.
                raise forms.ValidationError(
                    _("Line %(line)s: %(value)s is outside the dates a plan can use (%(first)s to %(last)s)."),
                    params={"line": line_number, "value": day, "first": FIRST_PLAN_DATE, "last": LAST_PLAN_DATE})
            dates.append(day.isoformat())
        return sorted(set(dates))


class ScheduleSettingsForm(VersionedForm):
    """A plan's calendar exceptions, launch milestone, owners' capacities and priority weights
    (the instance is the plan's ScheduleSettings)."""

    extra_days_off = DateListField(label=_("Extra days off"), required=False,
                                   help_text=_("Days this plan's team does not work, one per line."))
    extra_working_days = DateListField(label=_("Extra working days"), required=False,
                                       help_text=_("Weekend or holiday dates this team works, one per line."))
    launch = forms.TypedChoiceField(
        label=_("Launch milestone"), coerce=int, required=False, empty_value=None,
        help_text=_("Its forecast date is the plan's forecast launch on every page, share link, export and email."))

    class Meta:
        model = ScheduleSettings
        fields = ["extra_days_off", "extra_working_days"]

    def __init__(self, *args, plan_stakeholders=(), weights=None, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        milestones = list(milestones)
        self.fields["launch"].choices = [("", _("— none named: the last milestone stands in —"))] + [
            (task.pk, task.title) for task in milestones]
        self.fields["launch"].initial = next((task.pk for task in milestones if task.is_launch), None)
        weights = weights or DEFAULT_WEIGHTS
        for key, default in DEFAULT_WEIGHTS.items():
            self.fields[f"weight_{key}"] = forms.FloatField(
                label=WEIGHT_LABELS.get(key, key), min_value=0, max_value=1000,
                initial=weights.get(key, default), help_text=WEIGHT_HELP.get(key, ""),
                widget=forms.NumberInput(attrs={"step": "any"}))
        self.plan_stakeholders = list(plan_stakeholders)
        for member in self.plan_stakeholders:
            self.fields[f"capacity_{member.pk}"] = forms.IntegerField(
                label=member.stakeholder.name, min_value=1, max_value=50, initial=member.capacity)

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("extra_days_off") or []) & set(cleaned.get("extra_working_days") or [])
        if both:
            self.add_error("extra_working_days",
                           _("%(date)s is also listed as an extra day off.") % {"date": sorted(both)[0]})
        return cleaned

    def weight_fields(self):
        return [self[f"weight_{key}"] for key in DEFAULT_WEIGHTS]

    def capacity_fields(self):
        return [self[f"capacity_{member.pk}"] for member in self.plan_stakeholders]

    def weights(self):
        return {key: self.cleaned_data[f"weight_{key}"] for key in DEFAULT_WEIGHTS}

    def capacities(self):
        return {member.pk: self.cleaned_data[f"capacity_{member.pk}"] for member in self.plan_stakeholders}


class BaselineForm(forms.ModelForm):
    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    class Meta:
        model = Baseline
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Baseline.objects.filter(plan=self.plan, name=name).exists():
            raise forms.ValidationError(_("This plan already has a baseline named “%(name)s”."), params={"name": name})
        return name
