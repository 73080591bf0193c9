"""ETag / If-Match on versioned rows (tasks, plans, plan stakeholders) and the API's error answers.

A versioned row's ETag is its version, quoted: ``"7"``. A write (PUT, PATCH, DELETE) must send
``If-Match`` with the ETag it read: missing, it is refused with 428; stale, with 412 and nothing
changes. The write services claim the version under the plan's lock (onboarding/versioning.py),
so a change that lands between the check and the write is refused as well.
"""
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler

from config.query_strings import whole_number
from onboarding.services import PlanBusy
from onboarding.versioning import StaleEdit
from schedule.engine.calendar import CalendarRangeError
from schedule.scheduling import ScheduleOutOfRange, out_of_range_message


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = gettext_lazy("Send If-Match with the ETag you read (e.g. If-Match: \"3\"), so that this "
                                  "change cannot overwrite someone else's.")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = gettext_lazy("Someone else changed this since you read it: read it again (its ETag is "
                                  "current) and retry. Nothing was changed.")


class PlanBusyError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "plan_busy"
    default_detail = gettext_lazy("Someone else is saving a change to this plan right now. Nothing was saved: "
                                  "try again in a moment.")


def etag_of(obj):
    return f'"{obj.version}"'


def if_match_version(request):
    """The version named by If-Match: 428 without one, 412 when it names no version."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired()
    for part in raw.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tag = tag.strip('"')
        if whole_number(tag) is not None:
            return whole_number(tag)
    raise PreconditionFailed()


def with_etag(response, obj):
    if obj is not None and getattr(obj, "version", None) is not None:
        response["ETag"] = etag_of(obj)
    return response


def _messages(error):
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if key == NON_FIELD_ERRORS else key): [str(m) for m in messages]
                for key, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def api_exception_handler(exc, context):
    """DRF's handler, plus the domain's exceptions as clear 4xx answers (never a 500)."""
    if isinstance(exc, StaleEdit):
        exc = PreconditionFailed()
    elif isinstance(exc, PlanBusy):
        exc = PlanBusyError()
    elif isinstance(exc, CalendarRangeError):
        exc = ValidationError({"non_field_errors": [out_of_range_message()]})
    elif isinstance(exc, ScheduleOutOfRange):
        exc = ValidationError({"non_field_errors": [" ".join(exc.messages)]})
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(_messages(exc))
    elif isinstance(exc, DjangoPermissionDenied) and not exc.args:
        exc = DjangoPermissionDenied(_("You may read this plan but not change it."))
    return exception_handler(exc, context)
