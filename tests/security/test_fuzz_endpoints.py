"""Random form data sent to every write endpoint, as the plan's owner: never a 500, and a refused
request (4xx) changes nothing at all.

Endpoints come from the URL configuration (every URL whose POST the expectation table in
test_authorization_matrix.py gives to writers or creators); field names from the endpoint's own
form when it has one, plus every field name any form of the app uses. Values: unicode and huge
text, numbers far out of range, bad dates, wrong choices, missing fields, ids of another team's
objects, random bytes as uploaded files. Each example runs in a savepoint that is rolled back, so
every example starts from the same plan.
"""
import hashlib
import os
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

APPS = ("auth", "onboarding", "stakeholders", "schedule", "sharing", "notifications")
# Every field name the app's forms use, so that endpoints without a GET form get them too.
KNOWN_FIELDS = [
    "name", "title", "text", "description", "duration", "deadline", "start_no_earlier_than", "status",
    "percent_complete", "priority_override", "visibility", "phase", "owner", "related_flow", "is_milestone",
    "predecessor", "type", "lag", "lane", "kind", "target", "unit", "need", "features", "relevance", "influence",
    "capacity", "audience", "side", "email", "phone", "organisation", "concerns", "modules", "internal_notes",
    "stakeholder", "steps", "label", "expires_on", "extra_days_off", "extra_working_days", "weights", "version",
    "product", "scenario", "start_date", "target_launch_date", "official_url", "editors", "viewers", "summary",
    "done", "paper", "scale", "group_by", "language", "template", "channel_chain", "vendor_kind",
]
WRITE_RULES = ("writer", "creator", "owner")
SKIP = {"logout", "login", "set_language"}


def endpoints():
    found = []
    for route, name in walk():
        rules = expectation(route, name)
        if rules is None or key_of(route, name) in SKIP or rules["post"] not in WRITE_RULES:
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
                    st.sampled_from(["-1", "0", "101", "2001", "32768", "1e400", "NaN", "0x10", "١٢"]))
dates = st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "1-1-1", "yesterday",
                         "2026/09/01", "2026-09-01T25:00", "[\"2026-99-01\"]", "{}", "[1,2]"])
texts = st.text(max_size=300)  # any unicode, NUL and lone surrogates included


def field_values(other_ids):
    return st.one_of(texts, huge, numbers, dates, st.just(""), st.sampled_from([str(i) for i in other_ids]),
                     st.sampled_from(["up", "done", "fs", "zz", "partner", "<script>", "null", "true"]))


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
    other = world["other_ids"]
    world["other_values"] = sorted(set(other.values()))
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
        "schedule/", "share/", "exchange/", "checklist/", "exports/", "history/", "edit/")] + ["/notifications/"]
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
    path = fill(route, value_for(world))
    base = valid_form(client, path, world["plan"].pk)
    twin = ROUTES.get(key.replace("_add", "_edit").replace("_new", "_edit"))
    if key.endswith(("_add", "_new")) and twin:
        # A new row is valid with the values of an existing one: start from its edit form.
        base = {**base, **valid_form(client, fill(twin, value_for(world)), world["plan"].pk)}
    own = list(base)
    names = own + [n for n in KNOWN_FIELDS if n not in own]
    with_file = "import" in key
    has_form = bool(own) or with_file or key.endswith(("_create", "_settings", "_edit", "_add"))
    values = field_values(world["other_values"])
    anything = st.dictionaries(st.sampled_from(names), values, max_size=len(names))
    # Mostly a valid submission with a few fields changed or dropped: the deeper code paths.
    mutated = st.tuples(st.dictionaries(st.sampled_from(names), values, max_size=3),
                        st.sets(st.sampled_from(own or ["-"]), max_size=2)).map(
        lambda change: {**{k: v for k, v in base.items() if k not in change[1]}, **change[0]})
    data_strategy = st.one_of(mutated, mutated, anything)
    statuses = []

    @settings(max_examples=25 if has_form else 4, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=data_strategy, upload=uploads(), htmx=st.booleans())
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
