"""Share-token requests are limited per client address, in one-minute windows."""
import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sharing import ratelimit
from sharing.models import ShareLink


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_over_the_limit_gets_429_with_retry_after(one_window, client, plan, settings):
    settings.SHARE_RATE_LIMIT = 3
    _link, token = ShareLink.create(plan=plan, audience="partner")
    statuses = [client.get(f"/s/{token}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.content.decode()
    chinese = client.get(f"/s/{token}/gantt/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 429


def test_wrong_tokens_count_too(one_window, client, plan, settings):
    settings.SHARE_RATE_LIMIT = 2
    _link, token = ShareLink.create(plan=plan, audience="partner")
    assert client.get("/s/guess-one/").status_code == 404
    assert client.get("/s/guess-two/").status_code == 404
    assert client.get(f"/s/{token}/").status_code == 429


def test_limit_is_per_address(one_window, client, plan, settings):
    settings.SHARE_RATE_LIMIT = 1
    _link, token = ShareLink.create(plan=plan, audience="partner")
    assert client.get(f"/s/{token}/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(f"/s/{token}/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(f"/s/{token}/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forwarded_for_is_ignored_unless_behind_proxy(one_window, client, plan, settings):
    settings.SHARE_RATE_LIMIT = 1
    settings.BEHIND_PROXY = False
    _link, token = ShareLink.create(plan=plan, audience="partner")
    assert client.get(f"/s/{token}/", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    # A forged header does not buy a fresh allowance.
    assert client.get(f"/s/{token}/", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_behind_proxy_the_address_the_proxy_saw_counts(plan, settings):
    settings.BEHIND_PROXY = True
    request = RequestFactory().get("/s/x/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert ratelimit.client_address(request) == "203.0.113.9"
    settings.BEHIND_PROXY = False
    assert ratelimit.client_address(request) == "127.0.0.1"


def test_a_new_window_starts_a_new_count(settings):
    settings.SHARE_RATE_LIMIT = 1
    request = RequestFactory().get("/s/x/", REMOTE_ADDR="10.9.9.9")
    assert ratelimit.check(request, now=600.0) is None
    assert ratelimit.check(request, now=630.0) == 30
    assert ratelimit.check(request, now=660.0) is None


def test_other_pages_are_not_limited(pm_client, plan, settings):
    settings.SHARE_RATE_LIMIT = 1
    for _ in range(3):
        assert pm_client.get(f"/plans/{plan.pk}/").status_code == 200


def test_zero_turns_the_limit_off(client, plan, settings):
    settings.SHARE_RATE_LIMIT = 0
    _link, token = ShareLink.create(plan=plan, audience="partner")
    assert all(client.get("/s/nope/").status_code == 404 for _ in range(5))


def test_429_is_not_indexed_either(client, plan, settings):
    settings.SHARE_RATE_LIMIT = 1
    client.get("/s/whatever/")
    response = client.get("/s/whatever/")
    assert response.status_code == 429 and response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
