"""Turn a write that waited too long for another write into a clear answer (409), never a 500."""
from django.db import OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .services import PlanBusy

# What the databases say when a wait for a lock ran out (SQLite's busy timeout, PostgreSQL's lock_timeout).
LOCK_WAIT_ERRORS = ("database is locked", "lock timeout")


class PlanBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # 409: htmx shows the text in the page's toast; nothing was written (the request's
        # transaction was rolled back, or never began).
        if isinstance(exception, PlanBusy):
            message = _("Someone else is saving a change to this plan right now. Nothing was saved: try "
                        "again in a moment.")
        elif isinstance(exception, OperationalError) and any(
                text in str(exception).lower() for text in LOCK_WAIT_ERRORS):
            # SQLite: another write (an import, say) held the database longer than SQLITE_TIMEOUT.
            message = _("Someone else is saving a change right now. Nothing was saved: try again in a moment.")
        else:
            return None
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
