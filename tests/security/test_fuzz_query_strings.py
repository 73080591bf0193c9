"""Hostile query strings sent to every GET URL (issue 13 item 3, "no 500 from any input"):
never a 5xx, never a traceback; every answer is a page, a redirect, or a 400/404 with a message.

test_fuzz_endpoints.py fuzzes what is POSTed; this file fuzzes what is read from the query
string. The URLs come from the URL configuration (tests/security/urls.py) and who may GET each
from the expectation table of test_authorization_matrix.py: a PM of the world's plan for the
pages, staff for the staff-only pages and the admin, an anonymous visitor for the share pages and
the iCal feed. Each URL gets every parameter name any view reads (and the usual generic ones) set
to each hostile value at once, then, for the names its own view reads, each name alone (so that
one refused parameter does not hide another), then repeated keys. The REST API's GET operations
get the same values in each query parameter its schema declares (schemathesis in
tests/api/test_api_schemathesis.py draws only a few random examples per operation).

Runs on SQLite and on PostgreSQL (CI), which refuses NUL in text and numbers past bigint: a NUL
in a query must be answered 400 before it reaches the database.
"""
import pytest
from django.db import transaction
from django.test import Client

from api.tokens import token_create
from config.query_strings import whole_number
from portfolio.forms import PortfolioFilterForm
from tests.security.conftest import PASSWORD, value_for
from tests.security.test_authorization_matrix import expectation
from tests.security.test_fuzz_endpoints import fuzz_world  # noqa: F401  (fixture)
from tests.factories import UserFactory
from tests.security.urls import fill, key_of, walk

HOSTILE = [
    "\x00", "a\x00b", "x" * 10_000, "-1", "0", "99999999999999999999", "NaN", "Infinity", "1e309", "2100-13-45",
    "0000-00-00", "9999-12-31", "0001-01-01", "' OR 1=1 --", "<script>", "%", "../../etc/passwd",
    # Digits that str.isdigit() accepts and int() does not (superscript two), and Arabic-Indic digits.
    "²", "١٢", "9" * 5000, "",
]
# Generic names, plus every name the app's views read from request.GET (grep request.GET).
GENERIC = [
    "q", "page", "page_size", "per_page", "sort", "order", "lang", "week", "weeks", "start", "end", "from", "to",
    "date", "plan", "product", "owner", "health", "workspace", "tab", "zoom", "baseline", "audience", "format",
    "next", "status", "type", "kind", "flow", "person", "year", "template", "task", "panel", "download", "cancel",
    "group", "collapsed", "selected", "deps", "environment", "side", "cursor", "ordering",
]
NAMES = GENERIC + [name for name in PortfolioFilterForm.base_fields if name not in GENERIC]
# What the admin reads: search, sort, page, the filters kept across a form, the autocomplete's
# term and field, and lookups on columns of the app's models.
ADMIN_NAMES = ["q", "o", "p", "all", "e", "_changelist_filters", "term", "app_label", "model_name", "field_name",
               "plan", "status", "workspace", "owner", "created_at__gte", "id__exact", "plan__id__exact"]
# The names each view reads itself, by URL name: each is also sent alone.
READS = {
    "collab:mention_search": ["q"], "collab:comments": ["task"], "collab:plan_attachments": ["task"],
    "collab:attachment_file": ["download"],
    "interfaces:requirement_add": ["cancel", "kind"], "interfaces:requirement_edit": ["cancel"],
    "interfaces:interface_add": ["cancel"], "interfaces:interface_edit": ["cancel"], "interfaces:gaps": ["kind"],
    "interfaces:gaps_pdf": ["kind"],
    "interfaces:matrix": ["per_page", "page", "status", "environment", "side"],
    "interfaces:plan_interfaces": ["per_page", "page", "status", "environment", "side"],
    "interfaces:matrix_export": ["status", "environment", "side"],
    "portfolio:portfolio": list(PortfolioFilterForm.base_fields), "portfolio:timeline": list(PortfolioFilterForm.base_fields),
    "portfolio:export_xlsx": list(PortfolioFilterForm.base_fields),
    "portfolio:workload": ["workspace", "start", "weeks"], "portfolio:workload_cell": ["workspace", "week", "person"],
    "notifications:activity": ["page"], "notifications:plan_activity": ["page"], "notifications:inbox": ["page"],
    "schedule:task_detail": ["panel"], "schedule:holidays": ["year"],
    "schedule:plan_from_template": ["template", "product"],
    "schedule:plan_gantt": ["group", "zoom", "collapsed", "baseline", "selected", "deps", "start", "end"],
    "sharing:chart_image": ["group", "zoom", "collapsed", "baseline", "selected", "deps", "start", "end", "flow"],
    "schedule:plan_schedule": ["baseline"], "schedule:plan_priorities": ["audience"],
    "onboarding:plan_history": ["type", "page"], "onboarding:plan_list": ["status", "product"],
    "sharing:exports": ["flow"], "sharing:shared_plan": ["lang", "zoom", "flow"],
    "sharing:shared_gantt": ["lang", "zoom"], "sharing:shared_flow": ["lang"], "sharing:ical_feed": ["lang"],
}
# GET rules (test_authorization_matrix.RULES) → who asks: the plan's owner, staff, or anyone.
OWNER_RULES = {"public", "login", "reader", "writer", "creator", "owner", "catalogue-reader", "catalogue-writer",
               "interface-keeper", "author", "hook-keeper", "not-found"}
ALLOWED = {200, 301, 302, 303, 400, 404}


def get_urls():
    found = []
    for route, name in walk():
        rules = expectation(route, name)
        key = key_of(route, name)
        if rules is None or key in ("logout",):
            continue
        rule = rules["get"]
        if rule in OWNER_RULES:
            who = "owner"
        elif rule in ("staff", "admin"):
            who = "staff"
        elif rule == "token":
            who = "anonymous"
        else:  # post-only, not-allowed, to-login, mover: no GET to fuzz
            continue
        # Django's admin: the views that read the query (the change lists' search, sort, page and
        # filters; _to_field and _changelist_filters of the add and change forms), as a superuser.
        if rule == "admin":
            if not ((name or "").endswith(("_changelist", ":autocomplete"))
                    or name in ("admin:auth_user_change", "admin:onboarding_plan_change", "admin:schedule_task_add")):
                continue
            who = "superuser"
        found.append((route, key, who))
    return found


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _send(client, path, query, **headers):
    """The answer's (status, body), or the exception's text when the view raised (a 500)."""
    with transaction.atomic():  # a database error must not break the test's own transaction
        try:
            response = client.get(path, query, **headers)
            return response.status_code, _body(response).decode(errors="replace")
        except Exception as error:  # noqa: BLE001 - a 500: reported with the query that caused it
            return 500, f"{type(error).__name__}: {error}"[:300]
        finally:
            transaction.set_rollback(True)


def _queries(key):
    """(label, query dict) of everything this URL is sent."""
    if key.startswith("admin:"):
        # _to_field is refused (400) before the rest is read: it is sent alone.
        for value in HOSTILE:
            yield f"admin={value!r:.30}", {name: value for name in ADMIN_NAMES}
            yield f"_to_field={value!r:.30}", {"_to_field": value, "_popup": value}
        return
    for value in HOSTILE:
        yield f"all={value!r:.30}", {name: value for name in NAMES}
    for name in READS.get(key, []):
        for value in HOSTILE:
            yield f"{name}={value!r:.30}", {name: value}
    yield "repeated", {name: ["1", "\x00", "x"] for name in NAMES}
    yield "repeated-valid-first", {name: ["2026-09-01", "a\x00b"] for name in READS.get(key, NAMES)}


def _check(failures, label, status, body, what, usual=None):
    """Records what is wrong with one answer; ``usual`` is the URL's status without a query."""
    if status >= 500 or status not in ALLOWED | {usual}:
        failures.append(f"{what} {label}: {status} {body[:200]!r}")
    elif "Traceback" in body:
        failures.append(f"{what} {label}: traceback in the answer")
    elif status in (400, 404) and not body.strip():
        failures.append(f"{what} {label}: {status} with no message")


@pytest.fixture
def clients(fuzz_world):  # noqa: F811 - the fixture imported above
    world, owner = fuzz_world
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    UserFactory(username="root", is_staff=True, is_superuser=True)
    superuser = Client(HTTP_ACCEPT_LANGUAGE="en")
    superuser.login(username="root", password=PASSWORD)
    return world, {"owner": owner, "staff": world["staff_client"], "anonymous": anonymous, "superuser": superuser}


def groups():
    """The URLs by app (one world per app: building it is the slow part)."""
    found = {}
    for route, key, who in get_urls():
        found.setdefault(key.split(":")[0] if ":" in key else "site", []).append((route, key, who))
    return found


@pytest.mark.parametrize("group", sorted(groups()))
def test_hostile_query_strings_never_500(clients, group):
    world, by_role = clients
    failures, urls = [], 0
    for route, key, who in groups()[group]:
        client = by_role[who]
        path = fill(route, value_for(world))
        usual, body = _send(client, path, {})
        assert usual < 500, f"GET {path} without a query: {body}"
        urls += 1
        for index, (label, query) in enumerate(_queries(key)):
            # Every other request as htmx: many views answer a fragment of the page to htmx.
            headers = {"HTTP_HX_REQUEST": "true"} if index % 2 else {}
            status, body = _send(client, path, query, **headers)
            _check(failures, label, status, body, f"GET {path}", usual)
    assert urls
    assert not failures, "\n".join(failures)


def test_a_nul_in_the_query_is_a_clear_400(clients):
    world, by_role = clients
    response = by_role["owner"].get(f"/plans/{world['plan'].pk}/mentions/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


# ----------------------------------------------------------------------------- the REST API
def api_get_operations(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        names = [parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"]
        yield path, names


def test_hostile_api_query_parameters_never_500(clients, settings):
    settings.API_RATE = None
    world, _by_role = clients
    _row, token = token_create(user=world["users"]["owner"], name="fuzz", scope="read")
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/json")
    ids = {"plans": world["plan"].pk, "tasks": world["task"].pk, "phases": world["phase"].pk,
           "plan-stakeholders": world["member"].pk, "baselines": world["baseline"].pk, "share-links": world["link"].pk,
           "products": world["product"].pk, "scenarios": world["scenario"].pk, "workspaces": world["plan"].workspace_id,
           "webhooks": world["ids"]["webhooks"]}
    failures, operations = [], 0
    for template, names in api_get_operations(client):
        kind = template.strip("/").split("/")[2]
        path = template.replace("{id}", str(ids.get(kind, 1))).replace("{delivery_id}", str(world["ids"]["deliveries"]))
        operations += 1
        for value in HOSTILE:
            for name in [*names, "format", "page_size", "cursor", "ordering"]:
                status, body = _send(client, path, {name: value})
                _check(failures, f"{name}={value!r:.30}", status, body, f"GET {path}")
            status, body = _send(client, path, dict.fromkeys(names, value))
            _check(failures, f"all={value!r:.30}", status, body, f"GET {path}")
    assert operations > 10
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("raw,expected", [
    ("12", 12), ("0", 0), ("١٢", 12), ("²", None), ("9" * 5000, None), ("-1", None), ("1e3", None), ("", None),
    (None, None), (str(2**63 - 1), 2**63 - 1), (str(2**63), None), (" 1", None)])
def test_whole_number_reads_only_what_int_can(raw, expected):
    assert whole_number(raw) == expected


def test_workload_weeks_past_the_calendar_show_this_week_and_say_why(clients):
    _world, by_role = clients
    response = by_role["owner"].get("/portfolio/workload/", {"start": "2100-12-20", "weeks": "8"})
    assert response.status_code == 200
    assert "The weeks shown must fall from 2000-01-01 to 2100-12-31: this week is shown." in response.content.decode()
    assert by_role["owner"].get("/portfolio/workload/cell/", {"week": "9999-12-31", "person": "1"}).status_code == 404
