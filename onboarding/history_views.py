"""A plan's history page: every recorded change to the plan and its parts, newest first.

The page reads one page of entries with a fixed number of queries, however many entries it
shows: one union query for the page, then a few per kind of object (see onboarding/history.py
for what a plan's history is made of).
"""
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Max, OuterRef, Subquery, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from .access import get_plan_for_user
from .history import (
    display_changes,
    m2m_values_of,
    raw_changes,
    source_for,
    sources,
    user_name,
)
from .services import plan_write

PAGE_SIZE = 50
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


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
    plan_id: int = None


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
                who=user_name(record.history_user) if record.history_user else _gettext("system"),
                kind=kind, kind_label=source.label, name=names.get(record.history_id, ""),
                action=ACTIONS.get(record.history_type, record.history_type), history_type=record.history_type,
                changes=changes, plan_id=record.id if kind == "plan" else getattr(record, "plan_id", None),
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
        # The plan's lock first (the one lock order), then whatever rows the restore touches.
        with plan_write(plan):
            message = source.restore(plan, record, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    url = reverse("onboarding:plan_history", args=[plan.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


