"""What the history of a plan is made of: which recorded objects belong to a plan, and the
diffs between two records of one object, named for people.

The records come from django-simple-history. Each app says which of its historical records
belong to a plan by registering a ``HistorySource`` in its ``history`` module
(stakeholders/history.py, schedule/history.py), so this app never imports the apps built on it.
The page that shows them is onboarding/history_views.py; stale-edit conflicts use the diffs
(onboarding/versioning.py).
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Subquery
from django.http import Http404
from django.utils import formats, timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import Truncator
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from .models import Flow, Lane, Metric, Plan, Step

# Bookkeeping, not content: never shown as a change.
HIDDEN_FIELDS = {"id", "version", "position", "created_at", "updated_at"}
VALUE_MAX = 120


@dataclass
class HistorySource:
    """One kind of object whose history belongs to a plan."""

    key: str  # in URLs and the type filter, e.g. "task"
    model: type
    scope: object  # scope(plan_id) -> the historical records of this kind in the plan
    name_field: str = "name"
    describe: object = None  # describe(records) -> {history_id: name}, for names needing other rows
    restore: object = None  # restore(plan, record, user) -> message; raises ValidationError to refuse
    skip_on_create: tuple = ("plan",)  # parent links, obvious on a "created" entry
    purge: bool = True  # False for objects shared by several plans (people)

    @property
    def history_model(self):
        return self.model.history.model

    @property
    def label(self):
        return self.model._meta.verbose_name

    def names(self, records):
        if self.describe is not None:
            return self.describe(records)
        return {r.history_id: str(getattr(r, self.name_field)) for r in records}


_registered = []
_discovered = False


def register(*sources):
    for source in sources:
        if all(existing.key != source.key for existing in _registered):
            _registered.append(source)


def _restore_flow(plan, record, user):
    from .services import flow_restore  # services reads this module's m2m snapshots

    return flow_restore(plan=plan, record=record, user=user)


def _restore_lane(plan, record, user):
    from .services import lane_restore

    return lane_restore(plan=plan, record=record, user=user)


def _flows_of(plan_id):
    return Flow.history.filter(plan_id=plan_id).values("id")


register(
    HistorySource("plan", Plan, lambda plan_id: Plan.history.filter(id=plan_id),
                  skip_on_create=("owner",), purge=True),
    HistorySource("flow", Flow, lambda plan_id: Flow.history.filter(plan_id=plan_id), restore=_restore_flow),
    HistorySource("lane", Lane, lambda plan_id: Lane.history.filter(flow_id__in=Subquery(_flows_of(plan_id))),
                  skip_on_create=("flow",), restore=_restore_lane),
    HistorySource("step", Step, lambda plan_id: Step.history.filter(flow_id__in=Subquery(_flows_of(plan_id))),
                  name_field="text", skip_on_create=("flow",)),
    HistorySource("metric", Metric,
                  lambda plan_id: Metric.history.filter(flow_id__in=Subquery(_flows_of(plan_id))),
                  skip_on_create=("flow",)),
)


def sources():
    global _discovered
    if not _discovered:
        # Each app above this one registers its kinds in its own history module.
        autodiscover_modules("history")
        _discovered = True
    return list(_registered)


def source_for(key):
    for source in sources():
        if source.key == key:
            return source
    raise Http404("No such kind of object")


def _source_for_model(model):
    return next((s for s in sources() if s.model is model), None)


# --- values and diffs -------------------------------------------------------------------------

def user_name(user):
    return user.get_full_name() or user.username


def last_known(model, ids, field):
    """{pk: ``field``} of objects of ``model``, from their last history record when they no longer exist."""
    ids = set(ids)
    values = dict(model._default_manager.filter(pk__in=ids).values_list("pk", field))
    missing = ids - values.keys()
    if missing:
        for record in model.history.filter(id__in=missing).order_by("id", "-history_id"):
            values.setdefault(record.id, getattr(record, field))
    return values


def _labels(model, ids):
    """{pk: label} for objects of ``model``; deleted ones are named from their last history record."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    User = get_user_model()
    if model is User:
        return {u.pk: user_name(u) for u in User.objects.filter(pk__in=ids)}
    queryset = model._default_manager.filter(pk__in=ids)
    related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name == "stakeholder"]
    labels = {obj.pk: str(obj) for obj in queryset.select_related(*related)}
    missing = ids - labels.keys()
    source = _source_for_model(model)
    if missing and source is not None:
        # The last record of each deleted object.
        last = {}
        for record in source.history_model.objects.filter(id__in=missing).order_by("id", "-history_id"):
            last.setdefault(record.id, record)
        names = source.names(list(last.values()))
        for pk, record in last.items():
            labels[pk] = _("%(name)s (deleted)") % {"name": names.get(record.history_id, "")}
    for pk in missing - labels.keys():
        labels[pk] = _("#%(id)s (deleted)") % {"id": pk}
    return labels


def _display(field, value, fk_labels, m2m_labels=None):
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field.many_to_many:
        names = sorted(m2m_labels.get(pk, f"#{pk}") for pk in value)
        return ", ".join(names) if names else "—"
    if field.is_relation:
        return fk_labels.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _gettext("yes") if value else _gettext("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return Truncator(str(value)).chars(VALUE_MAX)


@dataclass
class Change:
    field: object
    old: object
    new: object
    label: str = ""
    old_display: str = ""
    new_display: str = ""


def tracked_fields(history_model):
    """The original model's fields recorded in the history and worth showing, with its m2m fields."""
    fields = [f for f in history_model.tracked_fields if f.name not in HIDDEN_FIELDS]
    return fields + list(history_model._history_m2m_fields)


def raw_changes(history_model, old, new, m2m_values=None, skip_on_create=()):
    """Changed fields between two records (old None: a creation) as Change objects, not yet displayed.

    ``m2m_values`` maps history_id -> {field name: set of ids}.
    """
    m2m_values = m2m_values or {}
    changes = []
    for f in tracked_fields(history_model):
        if f.many_to_many:
            new_value = m2m_values.get(new.history_id, {}).get(f.name, set())
            old_value = m2m_values.get(old.history_id, {}).get(f.name, set()) if old is not None else set()
        else:
            new_value = getattr(new, f.attname)
            old_value = getattr(old, f.attname) if old is not None else None
        if old is None:
            if f.name in skip_on_create or new_value in (None, "", [], {}, set()):
                continue
            if not f.many_to_many and f.has_default() and new_value == f.get_default():
                continue
        if old_value != new_value and not (old_value in (None, "") and new_value in (None, "")):
            changes.append(Change(f, old_value, new_value))
    return changes


def m2m_values_of(history_model, history_ids):
    """{history_id: {field name: set of related ids}} for the m2m snapshots of these records."""
    values = defaultdict(dict)
    if not history_model._history_m2m_fields or not history_ids:
        return values
    for f in history_model._history_m2m_fields:
        m2m_model = _m2m_history_model(history_model, f)
        target = f.m2m_reverse_field_name()
        for history_id in history_ids:
            values[history_id].setdefault(f.name, set())
        for history_id, pk in m2m_model.objects.filter(history_id__in=history_ids).values_list(
                "history_id", f"{target}_id"):
            values[history_id][f.name].add(pk)
    return values


def _m2m_history_model(history_model, m2m_field):
    through = m2m_field.remote_field.through
    for rel in history_model._meta.related_objects:
        if getattr(rel.related_model, "instance_type", None) is through:
            return rel.related_model
    raise LookupError(m2m_field)


def display_changes(change_lists):
    """Fill in labels and displayed values for several lists of changes with one query per related model."""
    wanted = defaultdict(set)
    for changes in change_lists:
        for change in changes:
            f = change.field
            if f.is_relation:
                for value in (change.old, change.new):
                    if f.many_to_many:
                        wanted[f.related_model].update(value or ())
                    elif value is not None:
                        wanted[f.related_model].add(value)
    fk_labels = {}
    m2m_labels = {}
    for model, ids in wanted.items():
        for pk, label in _labels(model, ids).items():
            fk_labels[(model, pk)] = label
            m2m_labels.setdefault(model, {})[pk] = label
    for changes in change_lists:
        for change in changes:
            f = change.field
            labels = m2m_labels.get(f.related_model, {}) if f.many_to_many else None
            change.label = str(f.verbose_name)
            change.old_display = _display(f, change.old, fk_labels, labels)
            change.new_display = _display(f, change.new, fk_labels, labels)
    return change_lists


def purge_plan_history(plan_id):
    """Delete the recorded history of a plan's own objects (people, shared between plans, keep theirs)."""
    # Scopes read other kinds' records (a lane's flow, a watch-out's task): collect, then delete.
    doomed = [(source.history_model, list(source.scope(plan_id).values_list("history_id", flat=True)))
              for source in sources() if source.purge]
    for hist, ids in doomed:
        for f in hist._history_m2m_fields:
            _m2m_history_model(hist, f).objects.filter(history_id__in=ids).delete()
        hist.objects.filter(history_id__in=ids).delete()


def history_fields_of(model):
    """Fields a restore copies back from a record: tracked, editable and not the primary key."""
    hist = model.history.model
    return [f for f in hist.tracked_fields if f.name not in HIDDEN_FIELDS and not f.primary_key
            and getattr(model._meta.get_field(f.name), "editable", True)]


