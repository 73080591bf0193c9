"""A plan's milestones and deadlines as an iCalendar feed, and the feed tokens behind its URL.

The URL carries a random token; only its hash is stored (see sharing.models), so the
page can show the full URL once, at creation, and a revoked feed answers 404.
"""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from schedule import scheduling

from ..models import CalendarFeed, hash_token

PRODID = "-//Paasport//Plan milestones and deadlines//EN"
UID_DOMAIN = "paasport"


def feed_for_token(token):
    """The active feed of this token, or None (unknown and revoked tokens look the same)."""
    if not token or len(token) > 100:
        return None
    return (CalendarFeed.objects.select_related("plan")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, plan__deleted_at__isnull=True).first())


def create_feed(plan, user):
    """(feed, token): the token exists only in this return value."""
    return CalendarFeed.create(plan=plan, created_by=user)


@transaction.atomic
def revoke_feed(feed):
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def _all_day(uid, day, summary, stamp, description=""):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a date to remember, not a busy day
    if description:
        event.add("description", description)
    return event


def build_calendar(plan):
    """The feed's bytes: one all-day event per milestone (its scheduled date) and per task deadline.

    UIDs derive from the task id, so a calendar app updates an event when its date moves
    instead of adding a new one. DTSTAMP is the plan's last change.
    """
    scheduling.ensure_fresh(plan)
    plan.refresh_from_db(fields=["updated_at"])
    stamp = plan.updated_at.astimezone(datetime.timezone.utc)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", plan.name)
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    tasks = plan.tasks.select_related("phase").order_by("early_start", "position", "pk")
    for task in tasks:
        context = task.phase.name if task.phase else ""
        if task.is_milestone and (task.early_start or task.early_finish):
            day = task.early_finish or task.early_start
            cal.add_component(_all_day(f"plan-{plan.pk}-task-{task.pk}-milestone@{UID_DOMAIN}", day,
                                       f"◆ {task.title}", stamp, context))
        if task.deadline:
            cal.add_component(_all_day(f"plan-{plan.pk}-task-{task.pk}-deadline@{UID_DOMAIN}", task.deadline,
                                       _("Deadline: %(title)s") % {"title": task.title}, stamp, context))
    return cal.to_ical()
