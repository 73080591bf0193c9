"""manage.py share_link create / revoke."""
import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sharing.models import ShareLink, hash_token


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("share_link", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_create_prints_the_full_url_once(plan):
    url = run("create", str(plan.pk), "--audience", "partner", "--expires", "2030-06-30", "--label", "示例游戏公司",
              "--base-url", "https://paasport.example.com/")
    assert url.startswith("https://paasport.example.com/s/") and url.endswith("/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert link.expires_on == datetime.date(2030, 6, 30) and link.label == "示例游戏公司" and link.audience == "partner"


def test_created_url_starts_with_site_url_and_opens_the_shared_page(client, plan, settings):
    settings.SITE_URL = "https://paasport.example.com"
    url = run("create", str(plan.pk), "--audience", "management")
    assert url.startswith("https://paasport.example.com/s/")
    assert client.get(url.removeprefix("https://paasport.example.com")).status_code == 200


def test_revoke_accepts_the_url_or_the_bare_token(plan):
    url = run("create", str(plan.pk), "--audience", "partner", "--base-url", "https://x.example")
    assert "Revoked" in run("revoke", url)
    assert ShareLink.objects.get().revoked_at is not None
    second = run("create", str(plan.pk), "--audience", "partner")
    token = second.rstrip("/").rsplit("/", 1)[1]
    run("revoke", token)
    assert not ShareLink.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.parametrize("args, message", [
    (["create", "999999", "--audience", "partner"], "No plan with id"),
    (["create", "abc", "--audience", "partner"], "No plan with id"),
    (["create", "{plan}", "--audience", "partner", "--expires", "2030-02-30"], "not a date"),
    (["create", "{plan}", "--audience", "partner", "--expires", "2020-01-01"], "in the past"),
    (["create", "{plan}", "--audience", "partner", "--base-url", "example.com"], "must start with http"),
    (["revoke", "not-a-real-token"], "No share link matches"),
    (["revoke", "https://x.example/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"], "No share link matches"),
    (["revoke", "https://x.example/plans/1/"], "No share link matches"),
])
def test_clear_errors(plan, args, message):
    args = [arg.replace("{plan}", str(plan.pk)) for arg in args]
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ShareLink.objects.exists()


def test_unknown_audience_is_refused(plan):
    with pytest.raises(CommandError, match="invalid choice"):
        run("create", str(plan.pk), "--audience", "everyone")


def test_revoking_twice_says_so(plan):
    url = run("create", str(plan.pk), "--audience", "partner")
    run("revoke", url)
    first = ShareLink.objects.get().revoked_at
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", url)
    assert ShareLink.objects.get().revoked_at == first


def test_expiry_today_is_allowed(plan):
    run("create", str(plan.pk), "--audience", "partner", "--expires", timezone.localdate().isoformat())
    assert ShareLink.objects.get().is_active


def test_platform_people_by_role_unless_platform_names_is_given(plan):
    run("create", str(plan.pk))
    run("create", str(plan.pk), "--platform-names")
    assert sorted(ShareLink.objects.values_list("platform_names", flat=True)) == [False, True]
