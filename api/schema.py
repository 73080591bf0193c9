"""The error answers every operation can give, added to the OpenAPI schema in one place.

drf-spectacular describes what a view returns on success; the errors come from DRF and
api/concurrency.py for every operation alike (authentication, scope, throttle, unknown id,
invalid filter or body, If-Match), so they are written here once rather than on each view.
schemathesis (tests/api/test_api_schemathesis.py) holds every answer to this description.
"""
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field (or non_field_errors) with what is wrong with it, in words.",
    "additionalProperties": {},
}
ERRORS = {
    "400": ("Invalid input: the fields (or filters) and what is wrong with each.", "FieldErrors"),
    "401": ("No valid token or session.", "ErrorDetail"),
    "403": ("A read-only token, or a user who may read but not change this.", "ErrorDetail"),
    "404": ("Not found, or not in your workspaces.", "ErrorDetail"),
    "405": ("This method is not allowed here.", "ErrorDetail"),
    "406": ("The Accept header names no format this API answers in (JSON).", "ErrorDetail"),
    "409": ("Someone else is saving a change to this plan right now: try again in a moment.", "ErrorDetail"),
    "412": ("If-Match names an older version: nothing changed.", "ErrorDetail"),
    "415": ("The body's content type is not JSON, form or multipart.", "ErrorDetail"),
    "428": ("If-Match is missing.", "ErrorDetail"),
    "429": ("Too many requests for this token: wait the seconds in Retry-After.", "ErrorDetail"),
}
ALWAYS = ("401", "405", "406", "429")
WRITES = ("400", "403", "409", "415")


def _codes(path, method, operation):
    codes = list(ALWAYS)
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    if "{" in path or "cursor" in query:
        codes.append("404")  # an unknown id, or a cursor that is not one this API gave out
    if method == "get" and query - {"cursor"}:
        codes.append("400")  # a filter or page size that is not a valid value
    if method in ("post", "put", "patch", "delete"):
        codes.extend(WRITES)
    if any(p["in"] == "header" and p["name"] == "If-Match" for p in operation.get("parameters", [])):
        codes.extend(["412", "428"])
    return codes


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS POSTPROCESSING_HOOKS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = DETAIL
    schemas["FieldErrors"] = FIELD_ERRORS
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes(path, method, operation):
                description, component = ERRORS[code]
                answer = responses.setdefault(code, {"description": description})
                answer.setdefault("content", {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{component}"}}})
    return result
