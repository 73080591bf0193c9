"""Notification settings: each user turns the emails on or off and picks their language."""
import pytest

from notifications.models import NotificationPreference
from tests.factories import NotificationPreferenceFactory, UserFactory

URL = "/notifications/"


def test_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_header_user_name_links_to_the_settings(pm_client):
    page = pm_client.get("/plans/").content.decode()
    assert f'href="{URL}"' in page and ">Pat<" in page


def test_defaults_are_everything_on_in_the_site_language(pm_client, pm):
    page = pm_client.get(URL).content.decode()
    assert "Notification settings" in page
    assert 'id="id_daily_reminders" checked' in page and 'id="id_weekly_digest" checked' in page
    assert '<option value="" selected>Site default</option>' in page
    assert "no email address" in page, "pm has no address, so the page says no email can reach them"
    assert not NotificationPreference.objects.filter(user=pm).exists(), "looking saves nothing"


def test_saving_turns_emails_off_and_sets_the_language(pm_client, pm):
    response = pm_client.post(URL, {"weekly_digest": "on", "language": "zh-hans"}, follow=True)
    assert response.status_code == 200
    assert "Your notification settings are saved." in response.content.decode()
    preference = NotificationPreference.objects.get(user=pm)
    assert (preference.daily_reminders, preference.weekly_digest, preference.language) == (False, True, "zh-hans")

    pm_client.post(URL, {"daily_reminders": "on", "weekly_digest": "on", "language": ""})
    preference.refresh_from_db()
    assert (preference.daily_reminders, preference.language) == (True, "")
    assert NotificationPreference.objects.filter(user=pm).count() == 1


def test_an_unknown_language_is_refused_on_the_field(pm_client, pm):
    response = pm_client.post(URL, {"daily_reminders": "on", "language": "fr"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_language_errors"' in page and "Select a valid choice" in page
    assert not NotificationPreference.objects.filter(user=pm).exists()


def test_shows_where_emails_go(client, django_user_model):
    user = UserFactory(username="lei", email="lei@example.com")
    client.force_login(user)
    assert "lei@example.com" in client.get(URL).content.decode()


def test_each_user_edits_only_their_own(pm_client, pm, other_pm):
    NotificationPreferenceFactory(user=other_pm, daily_reminders=True)
    pm_client.post(URL, {"language": "en"})
    assert NotificationPreference.objects.get(user=other_pm).daily_reminders is True
    assert NotificationPreference.objects.get(user=pm).daily_reminders is False


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(pm_client, method):
    assert getattr(pm_client, method)(URL).status_code == 405


def test_page_in_chinese(pm_client):
    page = pm_client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-CN">' in page


def test_each_kind_is_on_or_off_in_the_app_and_by_email(pm_client, pm):
    page = pm_client.get(URL).content.decode()
    for name in ("app_mention", "email_mention", "app_assigned", "email_assigned", "app_rescheduled",
                 "email_rescheduled", "app_due", "daily_reminders", "weekly_digest"):
        assert f'id="id_{name}" checked' in page, name
    assert 'id="id_app_weekly_digest"' not in page, "the digest is an email only"
    pm_client.post(URL, {"app_mention": "on", "email_assigned": "on", "daily_reminders": "on", "language": ""})
    preference = NotificationPreference.objects.get(user=pm)
    assert preference.wants("mention", "app") and not preference.wants("mention", "email")
    assert preference.wants("assigned", "email") and not preference.wants("assigned", "app")
    assert preference.wants("overdue", "email") and not preference.wants("due_soon", "app")
    assert not preference.weekly_digest
