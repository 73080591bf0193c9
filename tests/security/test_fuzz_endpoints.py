"""Random form data sent to every write endpoint, as the plan's owner: never a 500, and a refused
request (4xx) changes nothing at all.

Endpoints come from the URL configuration (every URL whose POST the expectation table in
test_authorization_matrix.py gives to writers or creators); field names from the endpoint's own
form when it has one, plus every field name any form of the app uses. Values: unicode and huge
text, numbers far out of range, bad dates, wrong choices, missing fields, ids of another team's
objects, random bytes as uploaded files. Each example runs in a savepoint that is rolled back, so
every example starts from the same plan.

Imports also get real files of the plan (its checklist workbook, MS Project XML and JSON export)
with a few values replaced by hostile ones: NUL characters, NaN and Infinity, huge numbers, dates
0001-01-01 / 9999-12-31 / 2101-01-01, very long strings, values of the wrong type. Staff-only
forms (the holidays page) are fuzzed as staff. Runs on SQLite and on PostgreSQL (CI), which
refuses NUL in text: a NUL must be refused or stripped by the form, never reach the database.
"""
import datetime
import hashlib
import io
import json
import os
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing import exports
from tests.security.conftest import PASSWORD, build_world, value_for
from tests.security.test_authorization_matrix import expectation
from tests.security.urls import fill, key_of, walk

APPS = ("auth", "onboarding", "stakeholders", "schedule", "sharing", "notifications", "interfaces", "collab")
# Every field name the app's forms use, so that endpoints without a GET form get them too.
KNOWN_FIELDS = [
    "name", "title", "text", "description", "duration", "deadline", "start_no_earlier_than", "must_start_on",
    "status",
    "percent_complete", "priority_override", "visibility", "phase", "owner", "related_flow", "is_milestone",
    "predecessor", "type", "lag", "lane", "kind", "target", "unit", "need", "features", "relevance", "influence",
    "capacity", "audience", "side", "email", "phone", "organisation", "concerns", "modules", "internal_notes",
    "stakeholder", "steps", "label", "expires_on", "extra_days_off", "extra_working_days", "weights", "version",
    "product", "scenario", "start_date", "target_launch_date", "official_url", "editors", "viewers", "summary",
    "done", "paper", "scale", "group_by", "language", "template", "channel_chain", "vendor_kind",
    "method", "path", "operation_id", "auth_scheme", "error_responses", "platform_owner", "partner_owner", "notes",
    "direction", "scenario_kind", "category", "severity", "requires_auth", "requires_error_responses",
    "request_id", "note", "evidence", "tester", "tested_on", "cell", "row", "task", "action", "plan",
    "body", "shared_with_partner",
]
WRITE_RULES = ("writer", "creator", "owner", "staff", "interface-keeper", "author")
# Writes by the workspace's catalogue keepers fuzzed too (a product's files).
CATALOGUE_WRITES = {"collab:product_attachments"}
SKIP = {"logout", "login", "set_language"}


def endpoints():
    found = []
    for route, name in walk():
        rules = expectation(route, name)
        if rules is None or key_of(route, name) in SKIP or (
                rules["post"] not in WRITE_RULES and key_of(route, name) not in CATALOGUE_WRITES):
            continue
        found.append((route, key_of(route, name)))
    return found


def snapshot():
    """Row count and a checksum of every row of every table the app writes to."""
    digest, counts = hashlib.sha256(), {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        counts[model._meta.label] = len(rows)
        digest.update(repr(rows).encode())
    return counts, digest.hexdigest()


huge = st.integers(min_value=5_000, max_value=200_000).map(lambda n: "长" * n)
numbers = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(str),
                    st.sampled_from(["-1", "0", "101", "2001", "32768", "1e400", "NaN", "nan", "Infinity", "-inf",
                                     "9" * 5000, "1e308", "0x10", "١٢"]))
#: Dates at and past the ends of what a plan can use (2000-01-01 to 2100-12-31) and of Python's.
EDGE_DATES = ["0001-01-01", "9999-12-31", "2101-01-01", "1999-12-31", "2100-12-31"]
dates = st.one_of(st.sampled_from(EDGE_DATES), st.sampled_from(
    ["2026-02-30", "2026-13-01", "0000-00-00", "1-1-1", "yesterday", "2026/09/01", "2026-09-01T25:00",
     "[\"2026-99-01\"]", "{}", "[1,2]"]),
    st.lists(st.sampled_from(EDGE_DATES + ["2026-10-01"]), min_size=1, max_size=3).map("\n".join))
texts = st.text(max_size=300)  # any unicode, NUL and lone surrogates included
nul = st.sampled_from(["\x00", "a\x00b", "任务\x00", "\x00" * 300])


def field_values(other_ids):
    return st.one_of(texts, huge, numbers, dates, nul, st.just(""), st.sampled_from([str(i) for i in other_ids]),
                     st.sampled_from(["up", "done", "fs", "zz", "partner", "<script>", "null", "true"]))


# ---------------------------------------------------------------- real import files, made hostile
HOSTILE_JSON = [float("nan"), float("inf"), -float("inf"), 10**30, -(10**30), 1e308, 2**63, "\x00", "a\x00b",
                "0001-01-01", "9999-12-31", "2101-01-01", "1999-12-31", "x" * 100_000, "长" * 30_000, [], {}, True,
                None, -1, 0, "", "NaN", 3.5]
HOSTILE_CELLS = [datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31), datetime.datetime(2101, 1, 1),
                 "0001-01-01", "9999-12-31", "2101-01-01", 10**30, 1e308, -1e308, "NaN", "Infinity", 99999999,
                 -5, 2.5, "x" * 40_000, "长" * 20_000, True, "#999999 FS+99999", "#1 FS+99999d", "", None]
HOSTILE_XML = ["\x00", "&#0;", "NaN", "INF", "-1", "99999999999999999999", "0001-01-01T00:00:00",
               "9999-12-31T00:00:00", "2101-01-01T08:00:00", "PT99999999H0M0S", "PT1e400H0M0S", "P9999999D",
               "x" * 100_000, "", "2026-09-01", "长" * 20_000]


def _json_paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_paths(item, path + (index,))


def _json_with(document, changes):
    document = json.loads(json.dumps(document))
    for path, value in changes:
        if not path:
            document = value
            continue
        target = document
        try:  # an earlier change may have replaced a parent of this path: then it no longer applies
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(document, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


def _xlsx_with(data, changes):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    for (row, column), value in changes:
        sheet.cell(row=2 + row % max(1, sheet.max_row - 1), column=1 + column % sheet.max_column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xml_with(data, changes):
    text = data.decode()
    elements = list(re.finditer(r"<(\w+)>([^<]*)</\1>", text))
    for index, value in sorted(changes, key=lambda change: -(change[0] % len(elements))):
        match = elements[index % len(elements)]
        text = text[:match.start(2)] + value + text[match.end(2):]
    return text.encode("utf-8", "surrogatepass")


def import_files(world):
    """Strategies of hostile variants of the plan's own export files, by import kind."""
    from sharing.exchange import excel, json_backup, mspdi

    plan = world["plan"]
    document = json_backup.export_document(plan)
    paths = list(_json_paths(document))
    workbook, xml = excel.export_workbook(plan), mspdi.export_xml(plan)
    if isinstance(xml, str):
        xml = xml.encode()
    few = {"max_size": 3, "min_size": 1}
    return {
        "json": st.lists(st.tuples(st.sampled_from(paths), st.sampled_from(HOSTILE_JSON)), **few).map(
            lambda changes: _json_with(document, changes)),
        "xlsx": st.lists(st.tuples(st.tuples(st.integers(0, 50), st.integers(0, 30)), st.sampled_from(HOSTILE_CELLS)),
                         **few).map(lambda changes: _xlsx_with(workbook, changes)),
        "mspdi": st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(HOSTILE_XML)), **few).map(
            lambda changes: _xml_with(xml, changes)),
    }


def uploads():
    noise = st.binary(max_size=4000)
    return st.one_of(
        noise,
        noise.map(lambda b: b"PK\x03\x04" + b),  # a zip header, then garbage: an "xlsx"
        st.text(max_size=500).map(lambda t: f'<?xml version="1.0"?><Project>{t}</Project>'.encode("utf-8", "replace")),
        st.text(max_size=500).map(lambda t: ('{"plan": {"name": "%s"}, "tasks": [' % t).encode("utf-8", "replace")),
        st.just(b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Project>&b;</Project>'),
    )


@pytest.fixture
def fuzz_world(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "render", lambda figure, fmt, width, height, scale=1: b"<svg></svg>")
    world = build_world()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="owner", password=PASSWORD)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.login(username="staffer", password=PASSWORD)
    other = world["other_ids"]
    world["other_values"] = sorted(set(other.values()))
    world["staff_client"] = staff
    return world, client


class Forms(HTMLParser):
    """The fields of every form on a page, with the values the page fills in, by target URL."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = self.forms.setdefault(attrs.get("hx-post") or attrs.get("action") or "", {})
        elif self.current is None or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                self.current.setdefault(attrs["name"], None)
            else:
                self.current[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.current[self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]
            self.current.setdefault(self.select, None)
        elif tag == "option" and self.select and ("selected" in attrs or self.current.get(self.select) is None):
            self.current[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data


def valid_form(client, path, plan_pk):
    """The values a user would submit unchanged: from the endpoint's own form, else from the
    form on one of the plan's pages that posts to it."""
    pages = [path] + [f"/plans/{plan_pk}/{page}" for page in (
        "schedule/", "share/", "exchange/", "checklist/", "exports/", "history/", "edit/", "interfaces/")] + ["/notifications/"]
    for page in pages:
        response = client.get(page, HTTP_HX_REQUEST="true") if page == path else client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode(errors="replace"))
        for target, fields in parser.forms.items():
            if target == path or (page == path and target in ("", path)):
                return {name: value for name, value in fields.items()
                        if value is not None and name not in ("csrfmiddlewaretoken", "next")}
    return {}


ROUTES = {key_of(route, name): route for route, name in walk()}


@pytest.mark.parametrize("route,key", endpoints(), ids=[key for _route, key in endpoints()])
def test_random_input_never_500s_and_refusals_change_nothing(fuzz_world, route, key):
    world, client = fuzz_world
    if expectation(route, key)["post"] == "staff":
        client = world["staff_client"]
    path = fill(route, value_for(world))
    base = valid_form(client, path, world["plan"].pk)
    twin = ROUTES.get(key.replace("_add", "_edit").replace("_new", "_edit"))
    if key.endswith(("_add", "_new")) and twin:
        # A new row is valid with the values of an existing one: start from its edit form.
        base = {**base, **valid_form(client, fill(twin, value_for(world)), world["plan"].pk)}
    own = list(base)
    names = own + [n for n in KNOWN_FIELDS if n not in own]
    with_file = "import" in key or key.endswith("_attachments")
    kind = next((kind for kind in ("json", "xlsx", "mspdi") if key.endswith(kind)), None)
    files = import_files(world)[kind] if kind else None
    has_form = bool(own) or with_file or key.endswith(("_create", "_settings", "_edit", "_add"))
    values = field_values(world["other_values"])
    anything = st.dictionaries(st.sampled_from(names), values, max_size=len(names))
    # Mostly a valid submission with a few fields changed or dropped: the deeper code paths.
    mutated = st.tuples(st.dictionaries(st.sampled_from(names), values, max_size=3),
                        st.sets(st.sampled_from(own or ["-"]), max_size=2)).map(
        lambda change: {**{k: v for k, v in base.items() if k not in change[1]}, **change[0]})
    data_strategy = st.one_of(mutated, mutated, anything)
    statuses = []
    upload_strategy = st.one_of(uploads(), files, files, files) if files is not None else uploads()

    @settings(max_examples=(60 if files is not None else 25) if has_form else 4, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=data_strategy, upload=upload_strategy, htmx=st.booleans())
    def run(data, upload, htmx):
        payload = dict(data)
        if with_file:
            payload["file"] = SimpleUploadedFile("upload.bin", upload)
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():
            before = snapshot()
            response = client.post(path, payload, **headers)
            status = response.status_code
            statuses.append(status)
            assert status < 500, f"{key}: {status} for {payload!r:.400}"
            if 400 <= status < 500:
                assert snapshot() == before, f"{key}: a {status} answer changed data for {payload!r:.400}"
                if status in (400, 409, 422):
                    assert response.content.strip(), f"{key}: {status} with no message"
            transaction.set_rollback(True)

    run()
    assert statuses
    if os.environ.get("FUZZ_REPORT"):
        print(key, dict(Counter(statuses)), own)
