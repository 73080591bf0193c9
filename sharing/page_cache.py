"""Rendered share pages, reused until anything they show may have changed.

A share page gathers a plan's tasks, rankings, Gantt and swimlane figures: tens of milliseconds
of work that is the same for every visitor of one link in one language. Many partners or
managers opening the same link would otherwise redo it on every view. Keys carry the plans'
generation (``onboarding.revisions``), the plan's ``updated_at`` and what the visitor chose.

Only the page body is cached: the link is resolved, checked (expiry, revocation) and counted on
every request, and the response headers are set by the view each time.
"""
from django.core.cache import cache

from onboarding import revisions

LIFETIME_S = 300


def page_key(link, *parts) -> str:
    plan = link.plan
    stamp = plan.updated_at.isoformat() if plan.updated_at else ""
    return ":".join(["share-page", str(revisions.generation()), str(link.pk), stamp, *map(str, parts)])


def get(key):
    return cache.get(key)


def put(key, content: bytes) -> None:
    cache.set(key, content, LIFETIME_S)
