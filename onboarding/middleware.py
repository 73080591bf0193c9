"""Turn a write that waited too long for another write of the same plan into a clear answer."""
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .services import PlanBusy


class PlanBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PlanBusy):
            return None
        # 409: htmx shows the text in the page's toast; nothing was written.
        return HttpResponse(_("Someone else is saving a change to this plan right now. Nothing was saved: try "
                              "again in a moment."), status=409, content_type="text/plain; charset=utf-8")
