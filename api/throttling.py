"""Requests per token (or per user for the browser) in the shared cache.

When the cache (Redis) is down, the API keeps answering unthrottled and logs it: an outage of the
cache must not turn every API call into a 500.
"""
import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

log = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.API_RATE  # read per request: settings are the one place it is set

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure: serve, unthrottled
            log.warning("API throttle skipped: the cache is unavailable", exc_info=True)
            return True
