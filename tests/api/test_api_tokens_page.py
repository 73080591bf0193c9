"""The "API tokens" page under the user's settings, and `manage.py api_token create`."""
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from api.models import ApiToken
from api.tokens import hash_token
from tests.api.conftest import api_client


@pytest.fixture
def browser(api_world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(api_world["owner"])
    return client


def test_a_token_is_shown_once_and_works(browser, api_world):
    response = browser.post("/settings/api-tokens/", {"name": "TAPD 同步", "scope": "write"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    row = ApiToken.objects.get(user=api_world["owner"])
    page = response.content.decode()
    token = page.split('id="new-api-token-value" style="width:48em;max-width:100%" aria-label="API token" '
                       'data-select-on-click', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert hash_token(token) == row.token_hash and row.scope == "write"
    again = browser.get("/settings/api-tokens/").content.decode()
    assert token not in again and row.token_hint in again and "TAPD 同步" in again
    assert api_client(token=token).get("/api/v1/plans/").status_code == 200


def test_bad_input_is_refused_with_the_reason(browser):
    yesterday = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    response = browser.post("/settings/api-tokens/", {"name": "", "scope": "admin", "expires_on": yesterday},
                            HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    text = response.content.decode()
    assert "This field is required." in text and "The expiry date cannot be in the past." in text
    assert not ApiToken.objects.exists()


def test_revoke_stops_the_token_at_once(browser, api_world):
    client = api_client(api_world["owner"])
    row = ApiToken.objects.get(user=api_world["owner"])
    response = browser.post(f"/settings/api-tokens/{row.pk}/revoke/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "revoked" in response.content.decode()
    assert client.get("/api/v1/plans/").status_code == 401


def test_nobody_sees_or_revokes_anothers_token(api_world):
    theirs = api_client(api_world["stranger"])
    row = ApiToken.objects.get(user=api_world["stranger"])
    me = Client()
    me.force_login(api_world["owner"])
    assert row.token_hint not in me.get("/settings/api-tokens/").content.decode()
    assert me.post(f"/settings/api-tokens/{row.pk}/revoke/").status_code == 404
    assert theirs.get("/api/v1/plans/").status_code == 200


def test_the_page_speaks_chinese(api_world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(api_world["owner"])
    text = client.get("/settings/api-tokens/").content.decode()
    assert "API 令牌" in text and "创建令牌" in text


def test_the_command_prints_the_token_alone_on_its_last_line(api_world):
    out = io.StringIO()
    call_command("api_token", "create", "owner", "--scope", "write", "--expires", "2099-12-31", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    row = ApiToken.objects.get(token_hash=hash_token(token))
    assert row.scope == "write" and row.expires_on == datetime.date(2099, 12, 31) and row.user.username == "owner"
    response = api_client(token=token).get("/api/v1/plans/")
    assert response.status_code == 200
    for args, message in ([["nobody"], "No active user"], [["owner", "--expires", "soon"], "is not a date"],
                          [["owner", "--expires", "2001-01-01"], "already passed"]):
        with pytest.raises(CommandError, match=message):
            call_command("api_token", "create", *args, stdout=io.StringIO())
