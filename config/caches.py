"""The cache configuration, shared by the settings and the fault tests.

With Redis (``REDIS_URL``) the cache is django-redis with short socket timeouts:

- ``default`` (cached pages, their revision numbers) ignores a Redis that is down or slow: a read
  is a miss, a write or a revision bump is dropped, and a warning is logged (``paasport.cache``,
  one line per kind of error every 10 s per process).
  A save never fails because of the cache, and pages come back to the cache by themselves once
  Redis answers again (redis-py reconnects on the next command).
- ``counters`` (the share and feed rate limit) raises instead, so that ``sharing/ratelimit.py``
  can notice and count in the process's memory meanwhile (see there).

Without Redis both are local memory of the process.
"""
import logging
import sys
import time

from django_redis.cache import RedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry


def redis_caches(url, timeout_s=0.5):
    options = {
        "SOCKET_CONNECT_TIMEOUT": timeout_s,
        "SOCKET_TIMEOUT": timeout_s,
        # redis-py retries a refused connection 3 times with a growing back-off by default: each
        # page would wait seconds for a Redis that is down. One try; the next request tries again.
        "CONNECTION_POOL_KWARGS": {"retry": Retry(NoBackoff(), 0)},
    }
    return {
        "default": {"BACKEND": "config.caches.FailSoftRedisCache", "LOCATION": url,
                    "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True}},
        "counters": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "OPTIONS": options},
    }


def local_caches():
    return {
        # The portfolio keeps a status per plan: room for a few thousand plans (default: 300 keys).
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default",
                    "OPTIONS": {"MAX_ENTRIES": 20000}},
        "counters": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counters"},
    }


class _OneLineWarnings:
    """django-redis logs every ignored error with its traceback; one warning line per kind of
    error every ``EVERY_S`` seconds per process says enough while Redis is down."""

    EVERY_S = 10

    def __init__(self, name):
        self._logger = logging.getLogger(name)
        self._last = {}

    def exception(self, message, *args, **kwargs):
        error = sys.exc_info()[1]
        kind = type(error).__name__
        now = time.monotonic()
        if now - self._last.get(kind, -self.EVERY_S) >= self.EVERY_S:
            self._last[kind] = now
            self._logger.warning("Redis unavailable, cache skipped (pages are built without it): %s", error)


class FailSoftRedisCache(RedisCache):
    """django-redis with IGNORE_EXCEPTIONS, logging a Redis that is down as a short warning."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._log_ignored_exceptions = True
        self.logger = _OneLineWarnings("paasport.cache")
