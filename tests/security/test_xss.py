"""Script-injection payloads in every user text field come back as text on every page, partial,
chart and export, never as markup, template code or a Plotly template.

The browser half (tests/browser/test_xss.py) checks that nothing runs; this half checks the HTML.
"""
import json
import re

import pytest
from django.test import Client

from onboarding.models import Product
from sharing import exports
from tests.security.conftest import PASSWORD, build_world, value_for
from tests.security.test_authorization_matrix import expectation
from tests.security.urls import fill, walk

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus x='",
    "<svg onload=alert(1)>",
    "{{ 7*7 }}",
    "{% debug %}",
    "%{customdata[0]}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=window.__xss=1>",
    "javascript:alert(1)",
]
# Text that may never reach a page as-is: each would be markup, an attribute or a template.
RAW = [
    "<script>alert(1)</script>", "<img src=x onerror=", '" onmouseover="', "' onfocus='", "<svg onload=",
    "</script><script>",
]
TEXT = " ".join(PAYLOADS)
JSON_BLOCK = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


def strings(value, key=""):
    """(key, string) for every string inside a decoded JSON document."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for inner_key, inner in value.items():
            yield from strings(inner, inner_key)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner, key)


def check_html(body, where):
    for raw in RAW:
        assert raw not in body, f"{where} contains {raw!r} unescaped"
    assert "sql_queries" not in body and "{'csrf_token'" not in body, f"{where} ran {{% debug %}}"
    assert 'href="javascript:' not in body.lower(), where
    for chart_id, block in JSON_BLOCK.findall(body):
        figure = json.loads(block)
        for key, text in strings(figure):
            # Plotly reads a subset of HTML in text and hover labels, and %{...} in templates:
            # user text must arrive there entity-escaped.
            for raw in ("<script", "<img", "<svg", "%{customdata[0]}"):
                assert raw not in text, f"{where} chart {chart_id}: {key}={text[:120]!r}"


@pytest.fixture
def xss_world(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "render", lambda figure, fmt, width, height, scale=1: b"<svg></svg>")
    return build_world(lambda field: TEXT)


def _get(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code < 500, path
    if response.streaming:
        return response, b"".join(response.streaming_content).decode(errors="replace")
    return response, response.content.decode(errors="replace")


def test_every_page_partial_and_chart_shows_payloads_as_text(xss_world):
    world = xss_world
    owner = Client(HTTP_ACCEPT_LANGUAGE="en")
    owner.login(username="owner", password=PASSWORD)
    value = value_for(world)
    pages = 0
    for route, name in walk():
        rules = expectation(route, name)
        if rules["get"] not in ("reader", "writer", "login", "creator", "token", "public"):
            continue
        path = fill(route, value)
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            client = owner if rules["get"] != "token" else Client()
            response, body = _get(client, path, **headers)
            content_type = response.get("Content-Type", "")
            if "html" in content_type:
                check_html(body, f"{path} {headers}")
                pages += response.status_code == 200
            elif "svg" in content_type:
                assert "<script" not in body, path
    assert pages > 60
    # The payload is there, as text: escaped once, not dropped.
    body = owner.get(f"/plans/{world['plan'].pk}/checklist/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "{{ 7*7 }}" in body and "{% debug %}" in body


def test_share_page_shows_payloads_as_text(xss_world):
    token = xss_world["tokens"]["share"]
    for path, partial in ((f"/s/{token}/", False), (f"/s/{token}/gantt/?zoom=weeks", True),
                          (f"/s/{token}/flows/{xss_world['flow'].pk}/", True)):
        response, body = _get(Client(), path, **({"HTTP_HX_REQUEST": "true"} if partial else {}))
        assert response.status_code == 200
        check_html(body, path)


def test_a_url_field_refuses_javascript_and_data_urls(client, db):
    world = build_world()
    client.login(username="owner", password=PASSWORD)
    product = world["product"]
    for url in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
                " javascript:alert(1)"):
        response = client.post(f"/products/{product.pk}/edit/", {
            "name": "Renamed", "vendor_kind": "external", "official_url": url, "api_docs_url": url, "console_url": url,
        })
        assert response.status_code in (200, 422), url
        assert "Enter a valid URL" in response.content.decode(), url
        product.refresh_from_db()
        assert product.official_url == "https://example.com/product" and product.name != "Renamed"
    assert not Product.objects.filter(official_url__icontains="javascript").exists()
