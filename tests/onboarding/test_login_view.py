"""Logging in (site and /admin/login/): locked per account and address together, a spray from many
addresses slows down strangers but never the owner's known address, and it all works with Redis down."""
import datetime
import time

import pytest
from django.contrib.auth.models import User

LIMIT = 5  # LOGIN_FAILURE_LIMIT's default


@pytest.fixture
def staff(db):
    return User.objects.create_user("chief", password="chief-pass-123", is_staff=True, is_superuser=True)


def _login(client, username, password, address="10.0.0.1", path="/accounts/login/", **extra):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _fail(client, username, times, address="10.0.0.1", path="/accounts/login/"):
    """Wrong passwords; the one that reaches the limit already answers 429 with the lockout message."""
    statuses = [_login(client, username, "wrong", address=address, path=path).status_code for _ in range(times)]
    wrong = 200 if path.startswith("/admin/") else 422
    assert statuses == [wrong] * min(times, LIMIT - 1) + [429] * max(0, times - LIMIT + 1)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_good_login_goes_to_plans(client, pm):
    response = _login(client, "pm", "pm-pass-123")
    assert response.status_code == 302 and response["Location"] == "/plans/"


def test_bad_password_shows_error_with_422(client, pm):
    response = _login(client, "pm", "wrong")
    assert response.status_code == 422 and "correct username and password" in response.content.decode()


def test_an_address_is_locked_out_of_an_account_even_with_the_right_password(client, pm):
    _fail(client, "pm", LIMIT, address="10.0.0.1")
    response = _login(client, "pm", "pm-pass-123", address="10.0.0.1")
    assert response.status_code == 429
    assert "Too many failed log-ins. Try again in 15 minutes." in response.content.decode()
    assert not _logged_in(client)
    # The same account from another address is not locked: nobody can lock a colleague out.
    assert _login(client, "pm", "pm-pass-123", address="10.0.0.2").status_code == 302


def test_account_names_are_counted_whatever_their_case(client, pm):
    _fail(client, " PM", LIMIT, address="10.0.0.1")
    assert _login(client, "pm", "pm-pass-123", address="10.0.0.1").status_code == 429


def test_failures_from_rotating_addresses_do_not_lock_the_account(client, pm):
    for attempt in range(LIMIT):
        _fail(client, "pm", 1, address=f"10.0.0.{attempt + 10}")
    assert _login(client, "pm", "pm-pass-123", address="10.9.9.9").status_code == 302


def test_an_address_failing_on_other_accounts_does_not_lock_a_colleague(client, other_pm):
    for name in ("a", "b", "c", "d", "e", "f"):
        _fail(client, name, 1, address="10.1.1.1")
    assert _login(client, "other", "other-pass-123", address="10.1.1.1").status_code == 302


def test_success_clears_the_counter_of_that_account_and_address(client, pm):
    _fail(client, "pm", LIMIT - 1, address="10.0.0.5")
    assert _login(client, "pm", "pm-pass-123", address="10.0.0.5").status_code == 302
    client.logout()
    _fail(client, "pm", LIMIT - 1, address="10.0.0.5")
    assert _login(client, "pm", "pm-pass-123", address="10.0.0.5").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, pm, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=2)
    _fail(client, "pm", LIMIT)
    assert _login(client, "pm", "pm-pass-123").status_code == 429
    time.sleep(2.2)
    assert _login(client, "pm", "pm-pass-123").status_code == 302


def test_admin_login_goes_through_the_same_throttle(client, staff):
    _fail(client, "chief", LIMIT, address="10.3.3.3", path="/admin/login/")
    response = _login(client, "chief", "chief-pass-123", address="10.3.3.3", path="/admin/login/")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert not _logged_in(client)


def test_a_lock_from_the_site_login_holds_on_the_admin_login(client, staff):
    _fail(client, "chief", LIMIT, address="10.4.4.4")
    assert _login(client, "chief", "chief-pass-123", address="10.4.4.4", path="/admin/login/").status_code == 429
    assert not _logged_in(client)
    response = _login(client, "chief", "chief-pass-123", address="10.4.4.5", path="/admin/login/")
    assert response.status_code == 302 and _logged_in(client)


def test_a_spray_slows_strangers_but_never_the_owners_known_address(client, pm, settings):
    settings.LOGIN_SPRAY_THRESHOLD = 6
    settings.LOGIN_SPRAY_DELAY = 2
    # The owner has logged in from the office before.
    assert _login(client, "pm", "pm-pass-123", address="10.5.5.5").status_code == 302
    client.logout()
    # Someone tries the account from many addresses, one guess each: no pair reaches the lockout.
    for host in range(6):
        _fail(client, "pm", 1, address=f"172.16.0.{host + 1}")
    stranger = _login(client, "pm", "pm-pass-123", address="172.16.1.1")
    assert stranger.status_code == 429 and not _logged_in(client)
    assert "many failed log-ins from other addresses" in stranger.content.decode()
    # The owner's known address is not slowed at all.
    assert _login(client, "pm", "pm-pass-123", address="10.5.5.5").status_code == 302
    client.logout()
    # Once the delay has passed, one stranger may try; the next one waits again.
    time.sleep(2.2)
    assert _login(client, "pm", "wrong", address="172.16.2.1").status_code == 422
    assert _login(client, "pm", "wrong", address="172.16.2.2").status_code == 429
    time.sleep(2.2)
    assert _login(client, "pm", "pm-pass-123", address="172.16.2.3").status_code == 302


def test_a_spray_on_one_account_does_not_slow_another(client, pm, other_pm, settings):
    settings.LOGIN_SPRAY_THRESHOLD = 3
    for host in range(3):
        _fail(client, "pm", 1, address=f"172.16.0.{host + 1}")
    assert _login(client, "other", "other-pass-123", address="172.16.9.9").status_code == 302


def test_the_throttle_works_with_redis_down(client, pm, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    assert client.get("/accounts/login/").status_code == 200
    _fail(client, "pm", LIMIT, address="10.6.6.6")
    assert _login(client, "pm", "pm-pass-123", address="10.6.6.6").status_code == 429


def test_an_unreadable_forwarded_address_is_still_throttled(client, pm, settings):
    settings.BEHIND_PROXY = True
    for _ in range(LIMIT - 1):
        assert _login(client, "pm", "wrong", HTTP_X_FORWARDED_FOR="not-an-address").status_code == 422
    assert _login(client, "pm", "wrong", HTTP_X_FORWARDED_FOR="not-an-address").status_code == 429
    assert _login(client, "pm", "pm-pass-123", HTTP_X_FORWARDED_FOR="not-an-address").status_code == 429


def test_the_lockout_messages_are_translated(client, pm, settings):
    settings.LOGIN_SPRAY_THRESHOLD = LIMIT
    _fail(client, "pm", LIMIT, address="10.7.7.7")
    locked = _login(client, "pm", "pm-pass-123", address="10.7.7.7", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "登录失败次数过多" in locked.content.decode()
    sprayed = _login(client, "pm", "pm-pass-123", address="10.7.7.8", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert sprayed.status_code == 429 and "其他地址" in sprayed.content.decode()
