"""What every view reads from the address: a NUL is refused with 400 before any view sees it, and
``whole_number`` reads ids, versions and counts without a 500."""
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    """Answers 400 with a message to a request whose path or query string holds a NUL (``%00``).

    PostgreSQL refuses NUL in text: a NUL that reaches a query (a search's ``istartswith``, a
    filter, the admin's search box) is a DataError, a 500. No address of the app ever carries one
    (ids, dates, search words, tokens), so one check here covers every view — ours, the admin's,
    the API's and those still to be written — instead of a strip in each view that reads
    request.GET. Forms do their own check on POSTed text (ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
                "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            message = _("The address contains a NUL character, which no page accepts. Remove it and try again.")
            if request.path_info.startswith("/api/"):
                response = JsonResponse({"detail": message}, status=400)
            else:
                response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
            response["Cache-Control"] = "no-store"
            return response
        if request.path_info.startswith("/admin/") and request.GET.get("_to_field", None) == "":
            # Django's admin reads an empty _to_field as a field named "" (FieldDoesNotExist, a
            # 500): empty is no field, as when it is left out.
            query = request.GET.copy()
            del query["_to_field"]
            request.GET = query
        return self.get_response(request)


#: The largest id or version a column holds (bigint).
BIGINT = 2**63 - 1


def whole_number(raw, maximum=BIGINT):
    """``raw`` (a query, form or header value) as an int from 0 to ``maximum``, else None.

    Not ``raw.isdigit()`` then ``int(raw)``: isdigit() accepts "²", which int() refuses, and int()
    refuses more than 4,300 digits — each a ValueError, a 500. isdecimal() is exactly the digits
    int() reads, and a number longer than any column's is none of ours.
    """
    if not isinstance(raw, str) or not raw.isdecimal() or len(raw) > len(str(maximum)):
        return None
    value = int(raw)
    return value if value <= maximum else None
