import datetime

from django.utils import translation
from icalendar import Calendar

from schedule.models import Task
from sharing.exchange import ical
from sharing.models import CalendarFeed
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)


def events(data):
    return {str(event["uid"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


def test_feed_has_milestones_and_deadlines_as_all_day_events(plan, checklist):  # noqa: F811
    data = ical.build_calendar(plan)
    found = events(data)
    launch = Task.objects.get(pk=checklist["launch"].pk)
    milestone = found[f"plan-{plan.pk}-task-{launch.pk}-milestone@paasport"]
    assert milestone["summary"] == "◆ 正式上线"
    assert milestone.decoded("dtstart") == launch.early_finish
    assert milestone.decoded("dtend") == launch.early_finish + datetime.timedelta(days=1)
    deadline = found[f"plan-{plan.pk}-task-{checklist['billing'].pk}-deadline@paasport"]
    assert deadline["summary"] == "Deadline: 计费配置"
    assert deadline.decoded("dtstart") == datetime.date(2026, 9, 30)
    assert "DTSTAMP" in milestone
    assert len(found) == 3  # one milestone, two deadlines; tasks without either are left out


def test_uids_are_stable_between_fetches(plan, checklist):  # noqa: F811
    assert set(events(ical.build_calendar(plan))) == set(events(ical.build_calendar(plan)))


def test_the_deadline_prefix_is_translated(plan, checklist):  # noqa: F811
    with translation.override("zh-hans"):
        summary = str(events(ical.build_calendar(plan))[
            f"plan-{plan.pk}-task-{checklist['billing'].pk}-deadline@paasport"]["summary"])
    assert summary.endswith("计费配置")


def test_tokens_are_stored_as_hashes_and_revocation_ends_access(plan, pm):
    feed, token = ical.create_feed(plan, pm)
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    assert ical.feed_for_token(token) == feed
    assert ical.feed_for_token(token + "x") is None
    ical.revoke_feed(feed)
    assert ical.feed_for_token(token) is None
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None
