"""Rendered share pages, reused until anything they show may have changed.

A share page gathers a plan's tasks, rankings, Gantt and swimlane figures: tens of milliseconds
of work that is the same for every visitor of one link in one language. Many partners or
managers opening the same link would otherwise redo it on every view.

Invalidation is deliberately coarse: one generation number for all plans, bumped after the commit
of any write to a model of the apps a share page reads (plans, flows, stakeholders, tasks, links,
baselines, calendars, settings). Writes are rare next to views, and a coarse key cannot miss a
dependency that a fine one would have to list. Bulk writes that bypass model signals are all
followed by a signalled save (``recompute`` saves the plan's ScheduleSettings); the plan's
``updated_at``, the day (dates move with "today") and a short lifetime are in the key as well.

Only the page body is cached: the link is resolved, checked (expiry, revocation) and counted on
every request, and the response headers are set by the view each time.
"""
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "share-pages:generation"
LIFETIME_S = 300
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


def page_key(link, *parts) -> str:
    plan = link.plan
    stamp = plan.updated_at.isoformat() if plan.updated_at else ""
    return ":".join(["share-page", str(generation()), str(link.pk), stamp, *map(str, parts)])


def get(key):
    return cache.get(key)


def put(key, content: bytes) -> None:
    cache.set(key, content, LIFETIME_S)


def _changed(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        bump()
        # Again after the commit: a page rendered from the old rows meanwhile must not be kept.
        transaction.on_commit(bump)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"share-page-cache-{signal!r}")
