"""Revision numbers that change whenever something a plan's pages show may have changed, and
:func:`cached`, which keeps what a page costs to build until then.

Pages that are costly to build (the share page, a big plan's Gantt figure) are cached under keys
that include these numbers:

- one per plan, bumped by every write to a row of that plan (the plan, its flows, lanes, steps,
  metrics, stakeholders on it, phases, tasks, links, watch-outs, settings, baselines, levelling
  runs), so an edit to one plan leaves every other plan's cached pages warm;
- ``people``: people (stakeholders) and user accounts, whose names and organisations any plan
  may show (a login's ``last_login`` update is not a change);
- ``holidays``: a holiday year entered by staff moves the dates of every plan crossing it;
- ``shared``: any other row of these apps (products, scenarios, workspaces, templates…), and any
  row whose plan cannot be told.

A write that bypasses model signals is followed by a signalled save (``recompute`` saves the plan's
ScheduleSettings). Keys also carry the plan's ``updated_at`` and the day (dates move with "today"),
and values live a short time at most.

With Redis down, reads are misses and bumps are dropped (config/caches.py): pages are built each
time, and a page cached before the outage and not bumped meanwhile lives ``LIFETIME_S`` at most;
the plan's ``updated_at`` in the key covers the writes that go through the services.
"""
import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

LIFETIME_S = 300
# Apps whose rows appear on plan pages ("auth": the owner's name).
WATCHED_APPS = {"onboarding", "stakeholders", "schedule", "auth"}
PEOPLE = "people"
HOLIDAYS = "holidays"
SHARED = "shared"
# Rows that are not a plan's own and still show on plan pages, by "app.Model".
SCOPES = {"stakeholders.Stakeholder": PEOPLE, "auth.User": PEOPLE, "auth.Group": PEOPLE,
          "schedule.OfficialHolidayYear": HOLIDAYS}


def _key(scope) -> str:
    return f"plans:revision:{scope}"


def revisions(plan_id) -> list:
    """The revision numbers a page of this plan depends on (one cache round trip)."""
    scopes = [plan_id, PEOPLE, HOLIDAYS, SHARED]
    found = cache.get_many([_key(scope) for scope in scopes])
    return [found.get(_key(scope), 0) for scope in scopes]


def revisions_of(plan_ids) -> list:
    """The revision numbers a page of several plans depends on (the portfolio), in one round trip."""
    scopes = [*plan_ids, PEOPLE, HOLIDAYS, SHARED]
    found = cache.get_many([_key(scope) for scope in scopes])
    return [found.get(_key(scope), 0) for scope in scopes]


def bump(scope) -> None:
    """Make every page cached under ``scope`` (a plan id or one of the shared scopes) unreachable."""
    key = _key(scope)
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): a new value no earlier key can have used
        cache.set(key, time.time_ns(), None)


def cached(kind: str, plan, parts, build, lifetime: int = LIFETIME_S):
    """``build()``'s value for this plan and these ``parts`` (what the reader chose: options,
    language…), built again after a change to this plan or to what it shows, on a new day, or
    after ``lifetime`` s."""
    stamp = plan.updated_at.isoformat() if plan.updated_at else ""
    key_parts = [*revisions(plan.pk), plan.pk, stamp, timezone.localdate(), *parts]
    key = f"{kind}:" + hashlib.sha256("|".join(map(str, key_parts)).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, lifetime)
    return value


# How a row reaches its plan, registered by the app that owns the model (in its AppConfig.ready),
# so this module knows no app above onboarding: a model's own resolver first, then a row's
# ``plan_id``, then its parent keys in the order the apps registered them.
_PLAN_OF = {}  # model → function(row) → plan id or None
_PARENTS = []  # [(field, parent model)]: a row whose field is set belongs to that parent's plan


def register_plan_of(model, resolve):
    """Rows of ``model`` belong to the plan ``resolve(row)`` returns (an id, or None)."""
    _PLAN_OF[model] = resolve


def register_parent(field, model):
    """A row with ``field`` set (e.g. ``task_id``) belongs to the plan of that ``model`` row."""
    if (field, model) not in _PARENTS:
        _PARENTS.append((field, model))


def _plan_id(instance):
    """The plan a row belongs to, or None when it is not one plan's."""
    resolve = _PLAN_OF.get(type(instance))
    if resolve is not None:
        return resolve(instance)
    value = getattr(instance, "plan_id", None)
    if value is not None:
        return value
    for field, model in _PARENTS:
        value = getattr(instance, field, None)
        if value is not None:
            return model.objects.filter(pk=value).values_list("plan_id", flat=True).first()
    return None


def scope_of(instance):
    label = instance._meta.label
    if label in SCOPES:
        return SCOPES[label]
    return _plan_id(instance) or SHARED


def _changed(sender, instance=None, **kwargs):
    if sender._meta.app_label not in WATCHED_APPS or instance is None:
        return
    if hasattr(sender, "instance_type"):
        return  # a history row: written beside the row it records, which bumps
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after: after is enough
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a login, not a change anyone sees
    scope = scope_of(instance)
    bump(scope)
    # Again after the commit: a page built from the old rows meanwhile must not be kept.
    transaction.on_commit(lambda: bump(scope))


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"plan-revisions-{signal!r}")
