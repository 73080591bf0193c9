"""Per-address rate limit for requests that carry a share token (share pages and iCal feeds).

Counts live in the ``counters`` cache (LocMem per process, or Redis shared by every web process) in
fixed one-minute windows. Wrong tokens count too: that is what makes guessing tokens slow.

While Redis is unreachable the counts are kept in this process's memory instead, with a logged
warning: the limit then holds per web process (so N processes let N times the limit through),
which still makes guessing a 256-bit token hopeless, and share pages and feeds keep answering.
Not the database: every partner's page view would become a write on the main database, exactly
while the system is already degraded. Back on Redis at the next request once it answers again.
"""
import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from onboarding.accounts import client_address

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_local = LocMemCache("share-rate-fallback", {"MAX_ENTRIES": 10000})


def _count(cache, key):
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        return 1


def _hit(key):
    """Count one request under key; returns the count in this window."""
    try:
        return _count(caches["counters"], key)
    except Exception as error:  # noqa: BLE001 - Redis down or slow: count here rather than fail the page
        logger.warning("rate-limit counters unavailable (%s): counting in this process", error)
        return _count(_local, key)


def check(request, now=None):
    """None when the request may go on, else the seconds until the window ends."""
    limit = getattr(settings, "SHARE_RATE_LIMIT", 0)
    if not limit or limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    # Hashed: an IPv6 address or a proxy's odd value stays a valid cache key for any backend.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    if _hit(f"share-rate:{window}:{address}") <= limit:
        return None
    return max(1, int((window + 1) * WINDOW_SECONDS - now))


def too_many_requests(retry_after):
    response = HttpResponse(_("Too many requests from your address. Please wait a minute and try again."),
                            status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def share_rate_limited(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        retry_after = check(request)
        if retry_after is not None:
            return too_many_requests(retry_after)
        return view(request, *args, **kwargs)

    return wrapped
