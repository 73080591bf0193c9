"""send_reminders and send_digests: the same runs as beat's, for scripts and cron."""
import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.models import NotificationLog
from stakeholders.models import PlanStakeholder
from tests.factories import UserFactory

from .conftest import member, task


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_recipients_and_sends_nothing(plan, lei_owner, mailoutbox):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    out = run("send_reminders", "--date", "2026-09-30", "--dry-run")
    assert "would send: lei@example.com · [Paasport] 1 task is overdue or due soon" in out
    assert "1 daily reminder(s) to send" in out
    assert mailoutbox == [] and not NotificationLog.objects.exists()


def test_send_reminders_for_a_date_then_again(plan, lei_owner, mailoutbox):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    out = run("send_reminders", "--date", "2026-09-30")
    assert "sent: lei@example.com" in out and "1 daily reminder(s) sent" in out
    assert len(mailoutbox) == 1
    again = run("send_reminders", "--date", "2026-09-30")
    assert "0 daily reminder(s) sent, 1 already sent" in again and len(mailoutbox) == 1


def test_send_digests(plan, django_user_model, mailoutbox):
    director = UserFactory(username="director", email="director@example.com")
    member(plan, "王总", user=director, audience=PlanStakeholder.Audience.MANAGEMENT)
    task(plan, "正式上线", is_milestone=True, duration=0)
    out = run("send_digests", "--date", "2026-09-14")
    assert "1 weekly digest(s) sent" in out
    assert mailoutbox[0].to == ["director@example.com"]


def test_a_bad_date_is_an_error(db):
    with pytest.raises(CommandError, match="not a date in the form YYYY-MM-DD"):
        run("send_reminders", "--date", "30/09/2026")


def test_failures_make_the_command_fail_after_sending_the_rest(plan, lei_owner, mailoutbox, monkeypatch):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("notifications.services.EmailMultiAlternatives.send", broken)
    with pytest.raises(CommandError, match="1 daily reminder"):
        run("send_reminders", "--date", "2026-09-30")
    assert not NotificationLog.objects.exists()
