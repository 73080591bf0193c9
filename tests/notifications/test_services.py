"""Who gets which email, with what in it: reminders for task owners, digests for management."""
import datetime
import email

import pytest
from django.utils import translation

from notifications import services
from notifications.models import NotificationLog
from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Task
from stakeholders.models import PlanStakeholder
from tests.factories import NotificationPreferenceFactory, PlanFactory, TaskLinkFactory, UserFactory

from .conftest import WEDNESDAY, member, task

MANAGEMENT = PlanStakeholder.Audience.MANAGEMENT


def body_of(message):
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return message.body, html


# ------------------------------------------------------------------ daily reminders: who, what
def test_owner_with_an_account_gets_overdue_and_soon_due_tasks(plan, lei_owner, mailoutbox):
    task(plan, "SDK 集成", lei_owner, deadline=datetime.date(2026, 10, 9))   # 2 working days away, past the holiday
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))  # 3 working days late
    task(plan, "计费对接", lei_owner, deadline=datetime.date(2026, 10, 12))   # 4 working days away: not yet
    task(plan, "合同签署", lei_owner, deadline=datetime.date(2026, 9, 29), status=Task.Status.DONE,
         percent_complete=100)

    outcome = services.send_daily_reminders(WEDNESDAY)

    assert [address for address, _subject in outcome.sent] == ["lei@example.com"]
    [message] = mailoutbox
    assert message.to == ["lei@example.com"]
    assert message.subject == "[Paasport] 2 tasks are overdue or due soon"
    text, html = body_of(message)
    for body in (text, html):
        assert "SDK 集成" in body and "控制台集成" in body
        assert "计费对接" not in body, "due after the 3-working-day window"
        assert "合同签署" not in body, "done tasks are not reminded"
        assert "MTP 接入" in body
        assert f"http://127.0.0.1:8000/plans/{plan.pk}/checklist/" in body
    assert "3 working days late" in text and "in 2 working days" in text
    assert text.index("控制台集成") < text.index("SDK 集成"), "overdue work comes first"


def test_working_days_follow_the_plans_calendar_across_national_day(plan, lei_owner, mailoutbox):
    # 2026-10-10 is 10 calendar days away but only the 3rd working day (10-08, 10-09, make-up 10-10).
    task(plan, "上线评审", lei_owner, deadline=datetime.date(2026, 10, 10))
    services.send_daily_reminders(WEDNESDAY)
    assert "上线评审" in mailoutbox[0].body and "in 3 working days" in mailoutbox[0].body

    # An extra day off in the plan's own calendar pushes it out of the window.
    settings = scheduling.settings_for(plan)
    settings.extra_days_off = ["2026-10-09"]
    settings.save()
    mailoutbox.clear()
    NotificationLog.objects.all().delete()
    services.send_daily_reminders(WEDNESDAY)
    assert "上线评审" in mailoutbox[0].body, "10-10 is now the 2nd working day"
    assert "in 2 working days" in mailoutbox[0].body


def test_window_length_is_a_setting(plan, lei_owner, mailoutbox, settings):
    task(plan, "上线评审", lei_owner, deadline=datetime.date(2026, 10, 9))
    settings.REMINDER_DAYS_AHEAD = 1
    assert services.send_daily_reminders(WEDNESDAY).sent == []
    settings.REMINDER_DAYS_AHEAD = 2
    assert len(services.send_daily_reminders(WEDNESDAY).sent) == 1


def test_a_task_without_deadline_is_due_on_its_scheduled_finish(plan, lei_owner, mailoutbox):
    task(plan, "接口联调", lei_owner, duration=1)    # scheduled today
    task(plan, "压测", lei_owner, duration=20)      # finishes weeks from now
    services.send_daily_reminders(WEDNESDAY)
    text = mailoutbox[0].body
    assert "接口联调" in text and "scheduled finish 2026-09-30" in text
    assert "压测" not in text


def test_owner_without_an_account_and_inactive_plans_get_nothing(plan, draft_plan, lei, mailoutbox):
    task(plan, "控制台集成", member(plan, "韩梅梅", email="han@example.com"), deadline=datetime.date(2026, 9, 24))
    task(draft_plan, "草稿任务", member(draft_plan, "李雷", user=lei), deadline=datetime.date(2026, 9, 24))
    outcome = services.send_daily_reminders(WEDNESDAY)
    assert outcome.sent == [] and mailoutbox == []


def test_nothing_to_say_sends_nothing(plan, lei_owner, mailoutbox):
    task(plan, "压测", lei_owner, duration=20)
    assert services.send_daily_reminders(WEDNESDAY).sent == []
    assert mailoutbox == [] and not NotificationLog.objects.exists()


def test_no_reminders_on_a_holiday(plan, lei_owner, mailoutbox):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    assert services.send_daily_reminders(datetime.date(2026, 10, 2)).sent == []
    assert services.send_daily_reminders(datetime.date(2026, 10, 10)).sent != [], "a make-up Saturday is a working day"


def test_one_email_per_owner_grouped_by_plan(plan, lei_owner, lei, product, pm, mailoutbox):
    from onboarding.models import Plan

    second = PlanFactory(name="DSGC 接入", product=product, owner=pm, start_date=datetime.date(2026, 9, 1),
                                 status=Plan.Status.ACTIVE)
    task(plan, "SDK 集成", lei_owner, deadline=datetime.date(2026, 10, 9))
    task(second, "数据分类分级", member(second, "李雷", user=lei), deadline=datetime.date(2026, 9, 29))
    services.send_daily_reminders(WEDNESDAY)
    [message] = mailoutbox
    assert message.subject == "[Paasport] 2 tasks are overdue or due soon"
    text = message.body
    assert text.index("DSGC 接入") < text.index("数据分类分级") < text.index("MTP 接入") < text.index("SDK 集成")
    assert f"/plans/{second.pk}/checklist/" in text and f"/plans/{plan.pk}/checklist/" in text


def test_the_account_email_wins_over_the_stakeholder_email(plan, lei, mailoutbox):
    lei.email = ""
    lei.save()
    owner = member(plan, "李雷", user=lei, email="lilei@partner.example")
    task(plan, "SDK 集成", owner, deadline=datetime.date(2026, 10, 9))
    services.send_daily_reminders(WEDNESDAY)
    assert mailoutbox[0].to == ["lilei@partner.example"]


def test_links_use_site_url(plan, lei_owner, mailoutbox, settings):
    settings.SITE_URL = "https://paasport.example.com/"
    sdk = task(plan, "SDK 集成", lei_owner, deadline=datetime.date(2026, 10, 9))
    services.send_daily_reminders(WEDNESDAY)
    text, html = body_of(mailoutbox[0])
    assert f"https://paasport.example.com/plans/{plan.pk}/tasks/{sdk.pk}/detail/" in html
    assert "https://paasport.example.com/notifications/" in text and 'href="https://paasport.example.com/notifications/"' in html
    assert mailoutbox[0].extra_headers["List-Unsubscribe"] == "<https://paasport.example.com/notifications/>"


# ------------------------------------------------------------------ opt-out, once a day, failures
def test_opted_out_owner_gets_no_reminder(plan, lei_owner, lei, mailoutbox):
    NotificationPreferenceFactory(user=lei, daily_reminders=False)
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    outcome = services.send_daily_reminders(WEDNESDAY)
    assert mailoutbox == [] and outcome.opted_out == 1


def test_a_second_run_on_the_same_day_sends_nothing_new(plan, lei_owner, lei, mailoutbox):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    services.send_daily_reminders(WEDNESDAY)
    again = services.send_daily_reminders(WEDNESDAY)
    assert len(mailoutbox) == 1 and again.sent == [] and again.already_sent == 1
    log = NotificationLog.objects.get()
    assert (log.user, log.kind, log.for_date) == (lei, "daily_reminder", WEDNESDAY)
    assert log.subject == mailoutbox[0].subject

    services.send_daily_reminders(datetime.date(2026, 10, 8))
    assert len(mailoutbox) == 2, "the next working day has its own reminder"


def test_one_failing_recipient_does_not_stop_the_others(plan, lei_owner, django_user_model, mailoutbox,
                                                        monkeypatch, caplog):
    han = UserFactory(username="han", email="broken@example.com")
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    task(plan, "计费对接", member(plan, "韩梅梅", user=han), deadline=datetime.date(2026, 9, 24))
    real_send = services.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == ["broken@example.com"]:
            raise ConnectionRefusedError("SMTP server refused the recipient")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(services.EmailMultiAlternatives, "send", send)
    outcome = services.send_daily_reminders(WEDNESDAY)
    assert [message.to for message in mailoutbox] == [["lei@example.com"]]
    assert outcome.failed == 1 and "daily_reminder for user" in caplog.text
    assert not NotificationLog.objects.filter(user=han).exists(), "the next run tries again"

    monkeypatch.setattr(services.EmailMultiAlternatives, "send", real_send)
    retry = services.send_daily_reminders(WEDNESDAY)
    assert [address for address, _ in retry.sent] == ["broken@example.com"] and retry.already_sent == 1


def test_dry_run_sends_and_records_nothing(plan, lei_owner, mailoutbox):
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    outcome = services.send_daily_reminders(WEDNESDAY, dry_run=True)
    assert outcome.sent == [("lei@example.com", "[Paasport] 1 task is overdue or due soon")]
    assert mailoutbox == [] and not NotificationLog.objects.exists()


# ------------------------------------------------------------------ language
def test_each_recipient_reads_their_own_language(plan, lei_owner, django_user_model, mailoutbox):
    han = UserFactory(username="han", email="han@example.com")
    NotificationPreferenceFactory(user=lei_owner.stakeholder.user, language="zh-hans")
    NotificationPreferenceFactory(user=han, language="en")
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    task(plan, "计费对接", member(plan, "韩梅梅", user=han), deadline=datetime.date(2026, 9, 24))

    services.send_daily_reminders(WEDNESDAY)

    by_address = {message.to[0]: message for message in mailoutbox}
    english = by_address["han@example.com"]
    assert english.subject == "[Paasport] 1 task is overdue or due soon"
    assert "working days late" in english.body and '<html lang="en">' in body_of(english)[1]
    chinese = by_address["lei@example.com"]
    with translation.override("zh-hans"):
        expected = translation.ngettext("[Paasport] %(count)d task is overdue or due soon",
                                        "[Paasport] %(count)d tasks are overdue or due soon", 1) % {"count": 1}
    assert chinese.subject == expected
    _text, html = body_of(chinese)
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    assert "控制台集成" in html and "MTP 接入" in html
    # The MIME parts say utf-8, so mail clients show the Chinese as written.
    parsed = email.message_from_bytes(chinese.message().as_bytes())
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert parts["text/html"].get_content_charset() == "utf-8"
    assert "控制台集成" in parts["text/html"].get_payload(decode=True).decode("utf-8")


def test_chinese_subject_and_body_are_chinese(plan, lei_owner, mailoutbox):
    NotificationPreferenceFactory(user=lei_owner.stakeholder.user, language="zh-hans")
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    services.send_daily_reminders(WEDNESDAY)
    message = mailoutbox[0]
    assert "逾期" in message.subject and "逾期" in message.body and "逾期" in body_of(message)[1]
    assert "working day" not in message.body


def test_site_default_language_is_used_without_a_preference(plan, lei_owner, mailoutbox, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    task(plan, "控制台集成", lei_owner, deadline=datetime.date(2026, 9, 24))
    with translation.override("en"):
        services.send_daily_reminders(WEDNESDAY)
        assert translation.get_language() == "en", "the run leaves the caller's language alone"
    assert '<html lang="zh-CN">' in body_of(mailoutbox[0])[1]


# ------------------------------------------------------------------ weekly digest
MONDAY = datetime.date(2026, 9, 14)


@pytest.fixture
def director(django_user_model):
    return UserFactory(username="director", email="director@example.com", first_name="Dana")


@pytest.fixture
def digest_plan(plan, director, lei_owner):
    """A plan a week into its run, with a baseline saved before the SDK work grew by 3 days."""
    member(plan, "王总", user=director, audience=MANAGEMENT)
    kickoff = task(plan, "立项", is_milestone=True, duration=0, status=Task.Status.DONE, percent_complete=100,
                   actual_start=datetime.date(2026, 9, 10), actual_finish=datetime.date(2026, 9, 10))
    task(plan, "合同盖章", is_milestone=True, duration=0, status=Task.Status.DONE, percent_complete=100,
         actual_start=datetime.date(2026, 9, 1), actual_finish=datetime.date(2026, 9, 1))
    sdk = task(plan, "SDK 集成", lei_owner, duration=3)
    joint = task(plan, "联调完成", is_milestone=True, duration=0)
    launch = task(plan, "正式上线", is_milestone=True, duration=0)
    task(plan, "计费对接", lei_owner, duration=2, status=Task.Status.BLOCKED)
    TaskLinkFactory(predecessor=kickoff, successor=sdk)
    TaskLinkFactory(predecessor=sdk, successor=joint)
    TaskLinkFactory(predecessor=joint, successor=launch)
    scheduling.recompute(plan, today=MONDAY)
    schedule_services.baseline_create(plan=plan, name="评审基线").obj
    Task.objects.filter(pk=sdk.pk).update(duration=6)
    task(plan, "安全评估", lei_owner, duration=4, deadline=datetime.date(2026, 9, 16))  # cannot make it
    scheduling.recompute(plan, today=MONDAY)
    return plan


def test_management_gets_launch_against_baseline_risks_and_milestones(digest_plan, mailoutbox):
    outcome = services.send_weekly_digests(MONDAY)

    assert [address for address, _ in outcome.sent] == ["director@example.com"]
    [message] = mailoutbox
    assert message.subject == "[Paasport] Weekly digest: MTP 接入"
    text, html = body_of(message)
    launch = Task.objects.get(title="正式上线").early_finish
    # SDK starts 09-14 and now takes 6 working days, one of them the make-up Sunday 09-20:
    # launch 09-21 against 09-17, three working days (09-17, 09-18, 09-20) later.
    assert launch == datetime.date(2026, 9, 21)
    for body in (text, html):
        assert "Forecast launch" in body and "2026-09-21" in body and "At risk" in body
        assert "3 working days later than baseline “评审基线” (2026-09-17)" in body
        assert "Misses its deadline by 1 working day." in body  # 安全评估's schedule note
        assert "安全评估" in body and "计费对接" in body
        assert "+3 working days" in body  # SDK 集成 and the milestones after it slipped
        assert "立项" in body and "2026-09-10" in body  # done within the last 7 days
        assert "合同盖章" not in body  # done two weeks ago
        assert "联调完成" in body and "正式上线" in body
    risks = text[text.index("Risks"):text.index("Milestones done")]
    assert risks.index("Late") < risks.index("安全评估") < risks.index("Blocked") < risks.index("计费对接")
    slipped = risks[risks.index("Slipped against the baseline"):]
    assert "SDK 集成: +3 working days" in slipped
    assert "计费对接" not in slipped


def test_digest_without_baseline_says_so(plan, director, mailoutbox):
    member(plan, "王总", user=director, audience=MANAGEMENT)
    task(plan, "正式上线", is_milestone=True, duration=0)
    services.send_weekly_digests(MONDAY)
    text, html = body_of(mailoutbox[0])
    assert "No baseline saved yet" in text and "No risks found" in text
    assert 'href="http://127.0.0.1:8000/notifications/"' in html, "every email links to the settings page"


def test_digest_goes_only_to_management_with_accounts_on_active_plans(plan, draft_plan, director, lei,
                                                                     mailoutbox):
    member(plan, "王总", audience=MANAGEMENT, email="wang@example.com")  # no account
    member(plan, "李雷", user=lei)  # team audience
    member(draft_plan, "王总监", user=director, audience=MANAGEMENT)
    task(plan, "正式上线", is_milestone=True, duration=0)
    task(draft_plan, "正式上线", is_milestone=True, duration=0)
    assert services.send_weekly_digests(MONDAY).sent == [] and mailoutbox == []


def test_digest_covers_every_plan_in_one_email_and_respects_opt_out(plan, product, pm, director, mailoutbox):
    from onboarding.models import Plan

    second = PlanFactory(name="DSGC 接入", product=product, owner=pm, start_date=datetime.date(2026, 9, 1),
                                 status=Plan.Status.ACTIVE)
    for each in (plan, second):
        member(each, "王总", user=director, audience=MANAGEMENT)
        task(each, "正式上线", is_milestone=True, duration=0)
    services.send_weekly_digests(MONDAY)
    [message] = mailoutbox
    assert message.subject == "[Paasport] Weekly digest: 2 plans"
    assert "DSGC 接入" in message.body and "MTP 接入" in message.body

    NotificationPreferenceFactory(user=director, weekly_digest=False)
    outcome = services.send_weekly_digests(MONDAY + datetime.timedelta(days=7))
    assert len(mailoutbox) == 1 and outcome.opted_out == 1


def test_digest_is_sent_once_per_day(digest_plan, mailoutbox):
    services.send_weekly_digests(MONDAY)
    assert services.send_weekly_digests(MONDAY).already_sent == 1
    assert len(mailoutbox) == 1
    assert NotificationLog.objects.get().kind == NotificationLog.Kind.WEEKLY_DIGEST


def test_opting_out_of_one_kind_keeps_the_other(digest_plan, director, mailoutbox):
    NotificationPreferenceFactory(user=director, daily_reminders=False)
    assert len(services.send_weekly_digests(MONDAY).sent) == 1
