"""List filters whose ids are plain numbers: a filter never checks that an id exists, so another
workspace's ids answer an empty list exactly like ids that do not exist (nothing leaks)."""
import django_filters

from onboarding.models import Plan, Product, Scenario
from schedule.models import Baseline, Phase, Task
from sharing.models import ShareLink
from stakeholders.models import PlanStakeholder


def id_filterset(model, ids, fields=()):
    """A FilterSet with a number filter for each foreign key in ``ids`` and the default filters
    for ``fields`` (a list, or a dict of lookups as django-filter takes)."""
    attrs = {name: django_filters.NumberFilter(field_name=name) for name in ids}
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


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
