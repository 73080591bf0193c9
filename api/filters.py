"""List filters whose ids are plain numbers: a filter never checks that an id exists, so another
workspace's ids answer an empty list exactly like ids that do not exist (nothing leaks)."""
import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.query_strings import BIGINT
from onboarding.models import Plan, Product, Scenario
from schedule.models import Baseline, Phase, Task
from sharing.models import ShareLink
from stakeholders.models import PlanStakeholder


class IdField(forms.IntegerField):
    """A whole number no larger than an id column holds: a larger one would reach the database
    (SQLite: OverflowError; PostgreSQL: out of range), a 500 instead of a 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", BIGINT)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number (0.5 or 1e3 is refused with 400, not read as a decimal)."""

    field_class = IdField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0): anything else is refused, where Django's field would ignore the filter."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if str(value).lower() in ("true", "1"):
            return True
        if str(value).lower() in ("false", "0"):
            return False
        raise forms.ValidationError(_("Send true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)  # the select widget reads "null" as no filter
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.FilterSet):
    """A filter sent empty (``?deadline__lte=``) is refused: the schema says what each filter
    takes, and a client that sends nothing by mistake should hear so, not get every row."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not any(str(value).strip() for value in self.data.getlist(name)):
                self.form.add_error(name, _("Send a value, or leave this filter out."))
                valid = False
        return valid


def id_filterset(model, ids, fields=()):
    """A FilterSet with a number filter for each foreign key in ``ids`` and the default filters
    for ``fields`` (a list, or a dict of lookups as django-filter takes)."""
    attrs = {name: IdFilter(field_name=name) for name in ids}
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields, "filter_overrides": {
        models.BooleanField: {"filter_class": StrictBooleanFilter}}})
    return type(f"{model.__name__}Filter", (ApiFilterSet,), attrs)


ProductFilter = id_filterset(Product, ["workspace"], ["vendor_kind"])
ScenarioFilter = id_filterset(Scenario, ["workspace"], ["kind"])
PlanFilter = id_filterset(Plan, ["workspace", "product", "scenario"], ["status"])
PhaseFilter = id_filterset(Phase, ["plan"])
TaskFilter = id_filterset(Task, ["plan", "phase", "owner"], {
    "status": ["exact"], "is_milestone": ["exact"], "is_launch": ["exact"], "is_critical": ["exact"],
    "visibility": ["exact"], "deadline": ["lte", "gte"]})
PlanStakeholderFilter = id_filterset(PlanStakeholder, ["plan"], ["audience"])
BaselineFilter = id_filterset(Baseline, ["plan"])
ShareLinkFilter = id_filterset(ShareLink, ["plan"], ["audience"])
