"""One number that changes whenever anything a plan's pages show may have changed, and
:func:`cached`, which keeps what a page costs to build until then.

Pages that are costly to build (the share page, a big plan's Gantt figure) are cached under keys
that include this generation. Invalidation is deliberately coarse: one number for all plans, bumped
on every write to a model of the apps plans are made of. Writes are rare next to views, and a
coarse key cannot miss a dependency that a fine one would have to list (a renamed phase, an
owner's new organisation, a holiday year). Bulk writes that bypass model signals are all followed
by a signalled save (``recompute`` saves the plan's ScheduleSettings). Keys also carry the plan's
``updated_at`` and the day (dates move with "today"), and values live a short time at most.
"""
import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GENERATION_KEY = "plans:generation"
LIFETIME_S = 300
# Apps whose rows appear on plan pages ("auth": the owner's name).
WATCHED_APPS = {"onboarding", "stakeholders", "schedule", "auth"}


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value makes every old key unreachable
        cache.set(GENERATION_KEY, generation() + 1, None)


def cached(kind: str, plan, parts, build, lifetime: int = LIFETIME_S):
    """``build()``'s value for this plan and these ``parts`` (what the reader chose: options,
    language…), built again after any change to any plan, on a new day, or after ``lifetime`` s."""
    stamp = plan.updated_at.isoformat() if plan.updated_at else ""
    key_parts = [generation(), plan.pk, stamp, timezone.localdate(), *parts]
    key = f"{kind}:" + hashlib.sha256("|".join(map(str, key_parts)).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, lifetime)
    return value


def _changed(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        bump()
        # Again after the commit: a page built from the old rows meanwhile must not be kept.
        transaction.on_commit(bump)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"plan-revisions-{signal!r}")
