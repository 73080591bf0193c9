"""A write that would push a plan's dates out of the calendar answers with the reason, not a 500.

``scheduling.recompute`` raises ScheduleOutOfRange (naming the chain of tasks) from deep inside
any write that reschedules: a task or link edit, an import, a restore, a template. The request's
transaction (ATOMIC_REQUESTS) has already rolled the write back when the exception gets here, so
all that is left is to tell the person: the htmx error toast for an inline edit, a message on the
page they came from otherwise. Views that show the error on their own form catch it first.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .engine.calendar import CalendarRangeError
from .scheduling import ScheduleOutOfRange, out_of_range_message


class ScheduleRefusedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ScheduleOutOfRange):
            message = " ".join(exception.messages)
        elif isinstance(exception, CalendarRangeError):
            message = out_of_range_message()
        else:
            return None
        if getattr(request, "htmx", False):
            # 400, not 422: htmx swaps 422 answers into the form; this one goes to the error toast.
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        messages.error(request, message)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = "/"
        return redirect(back)
