"""Reads of products, scenarios, plans, flows and a plan's history.

Callers have already reached the workspace, product or plan through onboarding/access.py; these
only narrow and shape what the pages show. Writes are in onboarding/services.py.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, Count, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from config.query_strings import whole_number

from .access import plans_readable_by, products_readable_by, scenarios_readable_by
from .history import display_changes, m2m_values_of, raw_changes, source_for, sources, user_name
from .models import Lane, Plan, Step

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


# ----------------------------------------------------------------------------- catalogue and plans
def products_with_plan_counts(user, *, workspace):
    """The workspace's products the user may read, each with ``plan_count`` (its live plans)."""
    return products_readable_by(user).filter(workspace=workspace).annotate(
        plan_count=Count("plans", filter=Q(plans__deleted_at__isnull=True)))


def products_in(user, *, workspace):
    return products_readable_by(user).filter(workspace=workspace)


def plans_of_product(user, product):
    """The product's plans the user may read."""
    return plans_readable_by(user).filter(product=product)


def scenarios_in(user, *, workspace):
    return scenarios_readable_by(user).filter(workspace=workspace)


def plans_listed(user, *, workspace, status="", product=""):
    """The plan list: the workspace's plans the user may read, narrowed to a status and a product
    id (as the list's filters send them; a value that is neither is ignored)."""
    plans = plans_readable_by(user, workspace).select_related("product", "scenario", "owner")
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    if whole_number(product) is not None:
        plans = plans.filter(product_id=whole_number(product))
    return plans


# ----------------------------------------------------------------------------- flows
def flows_with_parts(plan):
    """The plan's flows with their lanes and steps in order and their metrics (the Flow tab)."""
    return plan.flows.prefetch_related(
        Prefetch("lanes", queryset=Lane.objects.order_by("position", "id")),
        Prefetch("steps", queryset=Step.objects.select_related("lane").order_by("position", "id")),
        "metrics",
    )


def flows_for_charts(plan):
    """The plan's flows with everything the swimlane shows, in a fixed number of queries.

    Stakeholders and tasks reach a step through reverse relations (plan_stakeholders on
    Step, tasks on PlanStakeholder): the apps above onboarding own them, so no import here.
    """
    steps = Step.objects.order_by("position", "id").prefetch_related("plan_stakeholders__stakeholder",
                                                                     "plan_stakeholders__tasks")
    return plan.flows.prefetch_related("lanes", "metrics", Prefetch("steps", queryset=steps))


def flow_for_chart(plan, flow_id):
    return flows_for_charts(plan).filter(pk=flow_id).first()


# ----------------------------------------------------------------------------- a plan's history
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
    """(date, history id, kind) of the plan's recorded changes of the ``selected`` sources, newest first."""
    union = None
    for source in selected:
        qs = (source.scope(plan_id).order_by()
              .annotate(history_kind=Value(source.key, output_field=CharField()))
              .values_list("history_date", "history_id", "history_kind"))
        union = qs if union is None else union.union(qs, all=True)
    return union.order_by("-history_date", "-history_id")


def plans_history_union(plan_ids):
    """(date, history id, kind) of the changes to these plans of every kind recorded with its plan
    (a workspace's activity feed), newest first, or None."""
    union = None
    for source in sources():
        hist = source.history_model
        names = {f.attname for f in hist._meta.concrete_fields}
        if source.model is Plan:
            records = hist.objects.filter(id__in=plan_ids)
        elif "plan_id" in names:
            records = hist.objects.filter(plan_id__in=plan_ids)
        else:
            continue
        qs = (records.order_by().annotate(history_kind=Value(source.key, output_field=CharField()))
              .values_list("history_date", "history_id", "history_kind"))
        union = qs if union is None else union.union(qs, all=True)
    return None if union is None else union.order_by("-history_date", "-history_id")


def history_entries(rows, *, plan=None, can_write=False):
    """The history entries of ``rows`` ((date, history id, kind), as history_union gives them), in
    their order, read with a few queries per kind. With ``can_write`` (and a plan) an entry that
    can be restored carries its restore link."""
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
        restorable = _restorable(source, records) if (can_write and plan is not None and source.restore) else {}
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
