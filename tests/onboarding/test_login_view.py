"""Logging in: throttled after repeated failures, per account and per address."""
import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_good_login_goes_to_plans(client, pm):
    response = _login(client, "pm", "pm-pass-123")
    assert response.status_code == 302 and response["Location"] == "/plans/"


def test_bad_password_shows_error_with_422(client, pm):
    response = _login(client, "pm", "wrong")
    assert response.status_code == 422 and "correct username and password" in response.content.decode()


def test_account_locked_after_limit_even_with_right_password(client, pm, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for attempt in range(3):
        _login(client, "pm", "wrong", address=f"10.0.0.{attempt}")
    response = _login(client, "pm", "pm-pass-123", address="10.9.9.9")
    assert response.status_code == 429 and "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_address_locked_for_every_account(client, pm, other_pm, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for name in ("a", "b", "c"):
        _login(client, name, "x", address="10.1.1.1")
    assert _login(client, "other", "other-pass-123", address="10.1.1.1").status_code == 429
    assert _login(client, "other", "other-pass-123", address="10.2.2.2").status_code == 302


def test_success_clears_the_account_counter(client, pm, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    _login(client, "pm", "wrong", address="10.0.0.5")
    _login(client, "pm", "wrong", address="10.0.0.6")
    assert _login(client, "pm", "pm-pass-123", address="10.0.0.7").status_code == 302
    client.logout()
    _login(client, "pm", "wrong", address="10.0.0.8")
    assert _login(client, "pm", "pm-pass-123", address="10.0.0.9").status_code == 302
