"""A plan's history: every recorded change to the plan and its parts, newest first.

The records come from django-simple-history. Each app says which of its historical
records belong to a plan by registering a ``HistorySource`` in its ``history`` module
(stakeholders/history.py, schedule/history.py), so this app never imports the apps
built on it. The page reads one page of entries with a fixed number of queries, however
many entries it shows: one union query for the page, then a few per kind of object.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import CharField, Max, OuterRef, Subquery, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import Truncator
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from .access import get_plan_for_user
from .models import Flow, Lane, Metric, Plan, Step

PAGE_SIZE = 50
# Bookkeeping, not content: never shown as a change.
HIDDEN_FIELDS = {"id", "version", "position", "created_at", "updated_at"}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
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


def _flows_of(plan_id):
    return Flow.history.filter(plan_id=plan_id).values("id")


register(
    HistorySource("plan", Plan, lambda plan_id: Plan.history.filter(id=plan_id),
                  skip_on_create=("owner",), purge=True),
    HistorySource("flow", Flow, lambda plan_id: Flow.history.filter(plan_id=plan_id)),
    HistorySource("lane", Lane, lambda plan_id: Lane.history.filter(flow_id__in=Subquery(_flows_of(plan_id))),
                  skip_on_create=("flow",)),
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

def _user_name(user):
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
        return {u.pk: _user_name(u) for u in User.objects.filter(pk__in=ids)}
    queryset = model._default_manager.filter(pk__in=ids)
    related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name == "stakeholder"]
    labels = {obj.pk: str(obj) for obj in queryset.select_related(*related)}
    missing = ids - labels.keys()
    source = _source_for_model(model)
    if missing and source is not None and source.describe is None:
        # The last record of each deleted object, newest first per id.
        for record in source.history_model.objects.filter(id__in=missing).order_by("id", "-history_id"):
            labels.setdefault(record.id, _("%(name)s (deleted)") % {"name": getattr(record, source.name_field)})
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


# --- stale-edit conflicts -----------------------------------------------------------------------

@dataclass
class Conflict:
    """Another person's change, between the version a form started from and the current one."""

    people: list = field(default_factory=list)
    when: object = None
    changes: list = field(default_factory=list)


def claim_version(model, pk, expected):
    """Atomically take version ``expected`` of a row and make it ``expected + 1``.

    One ``UPDATE … WHERE version = expected``: of two saves that started from the same version,
    the database lets exactly one through; the other updates no row and gets False.
    """
    return model._default_manager.filter(pk=pk, version=expected).update(version=expected + 1) == 1


def find_conflict(model, pk, started_version, extra=None):
    """What changed since ``started_version`` of one row, read from its history.

    ``extra(start_record, current_record)`` may add changes of related rows (e.g. the person).
    """
    history_model = model.history.model
    records = list(history_model.objects.filter(id=pk).select_related("history_user").order_by("history_id"))
    conflict = Conflict()
    if not records:
        return conflict
    start = next((r for r in reversed(records) if r.version == started_version), None)
    current = records[-1]
    later = [r for r in records if start is None or r.history_id > start.history_id]
    later = later or [current]
    seen = []
    for record in later:
        name = _user_name(record.history_user) if record.history_user else _gettext("system")
        if name not in seen:
            seen.append(name)
    conflict.people = seen
    conflict.when = later[-1].history_date
    if start is not None:
        values = m2m_values_of(history_model, [start.history_id, current.history_id])
        changes = raw_changes(history_model, start, current, values)
        if extra is not None:
            changes += extra(start, current)
        conflict.changes = display_changes([changes])[0]
    return conflict


def refresh_hidden_version(form, current):
    """Let a refused form carry the current version, so saving it again applies the user's input."""
    if current is None:
        return
    data = form.data.copy()
    data[form.add_prefix("version")] = current
    form.data = data


# --- the page -----------------------------------------------------------------------------------

@dataclass
class Entry:
    when: object
    who: str
    kind: str
    kind_label: str
    name: str
    action: str
    history_type: str
    changes: list
    restore_url: str = ""
    restore_label: str = ""
    restore_confirm: str = ""


def history_union(plan_id, selected):
    union = None
    for source in selected:
        qs = (source.scope(plan_id).order_by()
              .annotate(history_kind=Value(source.key, output_field=CharField()))
              .values_list("history_date", "history_id", "history_kind"))
        union = qs if union is None else union.union(qs, all=True)
    return union.order_by("-history_date", "-history_id")


def _entries(plan, rows, can_write):
    by_kind = defaultdict(list)
    for _when, history_id, kind in rows:
        by_kind[kind].append(history_id)
    built = {}
    change_lists = []
    for kind, ids in by_kind.items():
        source = source_for(kind)
        hist = source.history_model
        previous = (hist.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                    .order_by("-history_id").values("history_id")[:1])
        records = list(hist.objects.filter(history_id__in=ids).select_related("history_user")
                       .annotate(previous_id=Subquery(previous)))
        prev_ids = [r.previous_id for r in records if r.previous_id]
        prevs = {r.history_id: r for r in hist.objects.filter(history_id__in=prev_ids)}
        m2m = m2m_values_of(hist, ids + prev_ids)
        names = source.names(records)
        restorable = _restorable(source, records) if (can_write and source.restore) else {}
        for record in records:
            old = prevs.get(record.previous_id)
            if record.history_type == "-":
                changes = []
            else:
                changes = raw_changes(hist, old, record, m2m, source.skip_on_create)
            change_lists.append(changes)
            entry = Entry(
                when=record.history_date,
                who=_user_name(record.history_user) if record.history_user else _gettext("system"),
                kind=kind, kind_label=source.label, name=names.get(record.history_id, ""),
                action=ACTIONS.get(record.history_type, record.history_type), history_type=record.history_type,
                changes=changes,
            )
            how = restorable.get(record.history_id)
            if how:
                entry.restore_url = reverse("onboarding:plan_history_restore", args=[plan.pk, kind, record.history_id])
                if how == "deleted":
                    entry.restore_label = _("Restore")
                    entry.restore_confirm = _("Restore the deleted %(kind)s “%(name)s”?") % {
                        "kind": source.label, "name": entry.name}
                else:
                    entry.restore_label = _("Restore this version")
                    entry.restore_confirm = _("Restore “%(name)s” as it was after this change?") % {
                        "name": entry.name}
            built[(kind, record.history_id)] = entry
    display_changes(change_lists)
    entries = [built[(kind, history_id)] for _when, history_id, kind in rows if (kind, history_id) in built]
    # Saving a row and then its many-to-many choices records twice; an entry with nothing to
    # show adds only noise.
    return [e for e in entries if e.changes or e.history_type != "~"]


def _restorable(source, records):
    """{history_id: "version" | "deleted"} for the records an editor may restore."""
    ids = {r.id for r in records}
    existing = set(source.model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    latest = dict(source.history_model.objects.filter(id__in=ids).values("id")
                  .annotate(last=Max("history_id")).values_list("id", "last"))
    result = {}
    for record in records:
        is_latest = latest.get(record.id) == record.history_id
        if record.history_type == "-":
            if is_latest and record.id not in existing:
                result[record.history_id] = "deleted"
        elif record.id in existing and not is_latest:
            result[record.history_id] = "version"
    return result


@login_required
def plan_history(request, pk):
    plan = get_plan_for_user(request, pk)
    all_sources = sources()
    kind = request.GET.get("type", "")
    selected = [s for s in all_sources if s.key == kind] or all_sources
    if not any(s.key == kind for s in all_sources):
        kind = ""
    page = Paginator(history_union(plan.pk, selected), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = _entries(plan, list(page.object_list), plan.user_can_write)
    context = {
        "plan": plan, "tab": "history", "page": page, "entries": entries, "kind": kind,
        "kinds": [(s.key, s.label) for s in all_sources],
    }
    if request.htmx and request.htmx.target == "history-list":
        return render(request, "onboarding/plan_history.html#history_list", context)
    return render(request, "onboarding/plan_history.html", context)


@login_required
@require_POST
def plan_history_restore(request, pk, kind, history_id):
    plan = get_plan_for_user(request, pk, write=True)
    source = source_for(kind)
    if source.restore is None:
        raise Http404("This kind of object cannot be restored")
    record = source.scope(plan.pk).filter(history_id=history_id).first()
    if record is None:
        raise Http404("No such version")
    try:
        with transaction.atomic():
            message = source.restore(plan, record, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    url = reverse("onboarding:plan_history", args=[plan.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


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


__all__ = [
    "HistorySource", "register", "sources", "Conflict", "claim_version", "find_conflict",
    "refresh_hidden_version", "raw_changes", "display_changes", "purge_plan_history", "history_fields_of",
]
