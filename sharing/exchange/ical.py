"""A plan's milestones and deadlines as an iCalendar feed per audience, and the feed tokens behind its URL.

The URL carries a random token; only its hash is stored (see sharing.models), so the
page can show the full URL once, at creation, and a revoked feed answers 404.
"""
import datetime
import hashlib

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from schedule import scheduling
from schedule.models import Visibility

from ..models import CalendarEventState, CalendarFeed, hash_token

PRODID = "-//Paasport//Plan milestones and deadlines//EN"
UID_DOMAIN = "paasport"


def feed_for_token(token):
    """The active feed of this token, or None (unknown and revoked tokens look the same)."""
    if not token or len(token) > 100:
        return None
    return (CalendarFeed.objects.select_related("plan")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, plan__deleted_at__isnull=True).first())


def create_feed(plan, user, *, audience=CalendarFeed.Audience.TEAM, language="zh-hans"):
    """(feed, token): the token exists only in this return value."""
    return CalendarFeed.create(plan=plan, created_by=user, audience=audience, language=language)


@transaction.atomic
def revoke_feed(feed):
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


_CONTROL = dict.fromkeys(code for code in [*range(0x00, 0x20), 0x7F] if chr(code) not in "\n\t")


def _text(value):
    """Plain text as iCalendar TEXT: control characters other than line breaks and tabs dropped
    (RFC 5545 allows none), the rest escaped by icalendar (line breaks, commas, semicolons)."""
    return vText(str(value).replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL))


def _events(plan, audience):
    """(uid, day, summary, description, fingerprint) for each event of the feed's audience."""
    tasks = plan.tasks.select_related("phase").order_by("early_start", "position", "pk")
    if audience == CalendarFeed.Audience.PARTNER:
        tasks = tasks.filter(visibility=Visibility.SHARED)
    for task in tasks:
        context = task.phase.name if task.phase else ""
        if task.is_milestone and (task.early_start or task.early_finish):
            day = task.early_finish or task.early_start
            yield (f"plan-{plan.pk}-task-{task.pk}-milestone@{UID_DOMAIN}", day, f"◆ {task.title}", context,
                   _fingerprint(day, task.title, context))
        if task.deadline:
            yield (f"plan-{plan.pk}-task-{task.pk}-deadline@{UID_DOMAIN}", task.deadline,
                   _("Deadline: %(title)s") % {"title": task.title}, context,
                   _fingerprint(task.deadline, task.title, context))


def _fingerprint(day, title, context):
    return hashlib.sha256(f"{day.isoformat()}\x00{title}\x00{context}".encode()).hexdigest()


def _event_states(plan, current):
    """{uid: CalendarEventState} after recording ``current`` ({uid: (day, fingerprint)}).

    A new event starts at SEQUENCE 0; a new date adds one to SEQUENCE, any change (date, title,
    phase) moves LAST-MODIFIED to now. Nothing changes while the event does not.
    """
    now = timezone.now()
    known = {state.uid: state for state in CalendarEventState.objects.filter(plan=plan)}
    CalendarEventState.objects.bulk_create(
        [CalendarEventState(plan=plan, uid=uid, day=day, fingerprint=fingerprint, last_modified=now)
         for uid, (day, fingerprint) in current.items() if uid not in known],
        ignore_conflicts=True)  # a concurrent fetch may have added it
    for uid, (day, fingerprint) in current.items():
        state = known.get(uid)
        if state is None or state.fingerprint == fingerprint:
            continue
        # Conditional on what was read: of two fetches that see the same change, one counts it.
        CalendarEventState.objects.filter(pk=state.pk, fingerprint=state.fingerprint).update(
            day=day, fingerprint=fingerprint, last_modified=now,
            sequence=state.sequence + (1 if state.day != day else 0))
    return {state.uid: state for state in CalendarEventState.objects.filter(plan=plan)}


def _all_day(uid, day, summary, state, description=""):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", state.last_modified)
    event.add("last-modified", state.last_modified)
    event.add("sequence", state.sequence)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", _text(summary))
    event.add("transp", "TRANSPARENT")  # a date to remember, not a busy day
    if description:
        event.add("description", _text(description))
    return event


def build_calendar(plan, *, audience=CalendarFeed.Audience.TEAM, language=None):
    """The feed's bytes: one all-day event per milestone (its scheduled date) and per task deadline;
    for the partner audience only the tasks shared with the partner. Texts in ``language`` (the
    feed's, fixed when it was created), else the active language.

    UIDs derive from the task id, so a calendar app updates an event when its date moves
    instead of adding a new one; SEQUENCE and LAST-MODIFIED tell it that the event changed.
    """
    scheduling.ensure_fresh(plan)
    with translation.override(language or translation.get_language()):
        events = list(_events(plan, audience))
        states = _event_states(plan, {uid: (day, fingerprint) for uid, day, _s, _d, fingerprint in events})
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        # X- properties have no type icalendar knows: without vText a line break is not escaped.
        cal.add("x-wr-calname", _text(plan.name))
        cal.add("x-wr-timezone", timezone.get_current_timezone_name())
        for uid, day, summary, description, _fp in events:
            cal.add_component(_all_day(uid, day, summary, states[uid], description))
    return cal.to_ical()
