"""The iCal feed: milestones and deadlines per audience, in the feed's language, escaped whatever the
text, with SEQUENCE / LAST-MODIFIED that follow the events, rate limited like share pages."""
import datetime
import re
import time

from django.core.cache import cache
from icalendar import Calendar

from schedule import scheduling
from schedule.models import Task, Visibility
from sharing.exchange import ical
from sharing.models import CalendarFeed
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)

HTMX = {"HTTP_HX_REQUEST": "true"}


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


def test_the_deadline_prefix_is_in_the_feeds_language(plan, checklist):  # noqa: F811
    summary = str(events(ical.build_calendar(plan, language="zh-hans"))[
        f"plan-{plan.pk}-task-{checklist['billing'].pk}-deadline@paasport"]["summary"])
    assert summary == "截止：计费配置"


def test_tokens_are_stored_as_hashes_and_revocation_ends_access(plan, pm):
    feed, token = ical.create_feed(plan, pm)
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    assert ical.feed_for_token(token) == feed
    assert ical.feed_for_token(token + "x") is None
    ical.revoke_feed(feed)
    assert ical.feed_for_token(token) is None
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None


def _feed_url(pm_client, plan, **choices):
    response = pm_client.post(f"/plans/{plan.pk}/exchange/feeds/", choices, **HTMX)
    assert response.status_code == 200, response.content.decode()[:500]
    return re.search(r'value="http://testserver(/ical/[^"]+\.ics)"', response.content.decode()).group(1)


def test_any_text_is_escaped_in_the_feed(pm_client, client, plan, checklist):  # noqa: F811
    plan.name = "MTP 接入\n第二行; a,b \\ c"
    plan.save()
    Task.objects.filter(pk=checklist["billing"].pk).update(title="计费\r\n配置;\x07 \"test\"")
    feed = _feed_url(pm_client, plan)
    response = client.get(feed)
    assert response.status_code == 200
    data = response.content
    assert all(line.isprintable() for line in data.decode().split("\r\n"))  # line breaks escaped, none raw
    parsed = Calendar.from_ical(data)
    # The parser keeps an X- property as written; calendar apps unescape it as TEXT (RFC 5545 3.3.11).
    name = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), str(parsed["x-wr-calname"]))
    assert name == "MTP 接入\n第二行; a,b \\ c"
    summary = events(data)[f"plan-{plan.pk}-task-{checklist['billing'].pk}-deadline@paasport"]["summary"]
    assert str(summary) == 'Deadline: 计费\n配置; "test"'


def test_a_partner_feed_carries_only_the_shared_tasks(pm_client, client, plan, checklist):  # noqa: F811
    Task.objects.filter(pk=checklist["launch"].pk).update(visibility=Visibility.SHARED)
    Task.objects.filter(pk=checklist["docs"].pk).update(deadline=datetime.date(2026, 9, 20))
    team = set(events(client.get(_feed_url(pm_client, plan, audience="team")).content))
    partner = set(events(client.get(_feed_url(pm_client, plan, audience="partner")).content))
    launch, docs, billing = (checklist[name].pk for name in ("launch", "docs", "billing"))
    assert partner == {f"plan-{plan.pk}-task-{launch}-milestone@paasport",
                       f"plan-{plan.pk}-task-{launch}-deadline@paasport",
                       f"plan-{plan.pk}-task-{docs}-deadline@paasport"}
    assert team == partner | {f"plan-{plan.pk}-task-{billing}-deadline@paasport"}


def test_sequence_and_last_modified_follow_the_event_and_stay_put_otherwise(plan, checklist):  # noqa: F811
    milestone = f"plan-{plan.pk}-task-{checklist['launch'].pk}-milestone@paasport"
    deadline = f"plan-{plan.pk}-task-{checklist['billing'].pk}-deadline@paasport"
    first = events(ical.build_calendar(plan))
    assert first[milestone]["sequence"] == 0 and first[deadline]["sequence"] == 0
    time.sleep(1.1)  # LAST-MODIFIED has whole seconds
    again = events(ical.build_calendar(plan))
    for uid in (milestone, deadline):
        assert again[uid]["sequence"] == 0
        assert again[uid].decoded("last-modified") == first[uid].decoded("last-modified")
        assert again[uid].decoded("dtstamp") == first[uid].decoded("dtstamp")

    # The milestone moves because its predecessor takes longer.
    Task.objects.filter(pk=checklist["billing"].pk).update(duration=8)
    scheduling.recompute(plan)
    moved = events(ical.build_calendar(plan))
    assert moved[milestone].decoded("dtstart") > first[milestone].decoded("dtstart")
    assert moved[milestone]["sequence"] == 1
    assert moved[milestone].decoded("last-modified") > first[milestone].decoded("last-modified")
    assert moved[deadline]["sequence"] == 0  # the deadline did not move
    assert moved[deadline].decoded("last-modified") == first[deadline].decoded("last-modified")
    assert events(ical.build_calendar(plan))[milestone]["sequence"] == 1

    # A new title is a change but not a new date: LAST-MODIFIED moves, SEQUENCE does not.
    time.sleep(1.1)
    Task.objects.filter(pk=checklist["billing"].pk).update(title="计费与对账")
    renamed = events(ical.build_calendar(plan))
    assert renamed[deadline]["sequence"] == 0
    assert renamed[deadline].decoded("last-modified") > moved[deadline].decoded("last-modified")


def test_a_feeds_language_is_fixed_when_it_is_created(pm_client, client, plan, checklist):  # noqa: F811
    feed = _feed_url(pm_client, plan, language="zh-hans")
    for browser_language in ("en", "zh-hans"):
        text = client.get(feed, HTTP_ACCEPT_LANGUAGE=browser_language).content.decode()
        assert "截止：计费配置" in text and "Deadline:" not in text
    english = _feed_url(pm_client, plan, language="en")
    assert "Deadline: 计费配置" in client.get(english, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_the_panel_shows_each_feeds_audience_and_language(pm_client, plan, checklist):  # noqa: F811
    _feed_url(pm_client, plan, audience="partner", language="en")
    feed = CalendarFeed.objects.get()
    assert (feed.audience, feed.language) == ("partner", "en")
    page = pm_client.get(f"/plans/{plan.pk}/exchange/").content.decode()
    panel = page[page.index('id="feeds"'):]
    assert "Partner (shared tasks only)" in panel and "English" in panel
    assert 'name="audience"' in panel and 'name="language"' in panel


def test_an_unknown_audience_or_language_is_refused(pm_client, plan):
    for choices in ({"audience": "everyone"}, {"language": "fr"}):
        response = pm_client.post(f"/plans/{plan.pk}/exchange/feeds/", choices, **HTMX)
        assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_feed_urls_are_rate_limited_like_share_pages(one_window, client, plan, pm, settings):
    cache.clear()
    settings.SHARE_RATE_LIMIT = 3
    _feed, token = ical.create_feed(plan, pm)
    assert [client.get(f"/ical/{token}.ics").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(f"/ical/{token}.ics")
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert client.get("/ical/guessing.ics").status_code == 429  # guesses count and are limited too
    cache.clear()
