"""Reads for My work, the inbox and the header's badges, scoped through onboarding/access.py."""
import datetime
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from onboarding.access import plans_readable_by, roles
from onboarding.models import Workspace
from schedule import scheduling
from schedule.models import Task

from .models import Notification

logger = logging.getLogger(__name__)
BADGES_S = 300  # a count is forgotten on every change it depends on; this bounds a missed one
THIS_WEEK_DAYS = 5  # working days, in each plan's own calendar


def _badge_key(user_id):
    return f"notifications:badges:{user_id}"


# ------------------------------------------------------------------ My work
def my_tasks(user, workspace):
    """The tasks the user owns (through a linked stakeholder) in the plans they read in ``workspace``."""
    if workspace is None:
        return Task.objects.none()
    return Task.objects.filter(plan__in=plans_readable_by(user, workspace), owner__stakeholder__user=user)


def my_open_tasks(user, workspace):
    return my_tasks(user, workspace).exclude(status=Task.Status.DONE)


@dataclass
class MyTask:
    task: Task
    due: datetime.date = None
    days: int = 0  # working days overdue, or left (0: due today)


@dataclass
class MyWork:
    overdue: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    later: list = field(default_factory=list)
    holiday_notes: list = field(default_factory=list)  # the years of these tasks' plans with provisional holidays

    @property
    def count(self):
        return len(self.overdue) + len(self.this_week) + len(self.later)

    @property
    def groups(self):
        return [("overdue", self.overdue), ("this_week", self.this_week), ("later", self.later)]


def _settings(plan):
    try:
        return plan.schedule_settings  # read with the tasks
    except ObjectDoesNotExist:
        return scheduling.settings_for(plan)


def my_work(user, workspace, today=None):
    """The user's open tasks grouped overdue / this week (due within THIS_WEEK_DAYS working days of
    the plan's calendar) / later (or no date), each group by due date."""
    today = today or timezone.localdate()
    tasks = list(my_open_tasks(user, workspace).select_related("plan", "phase", "plan__schedule_settings")
                 .order_by("plan__name", "plan_id", "position", "pk"))
    calendars = scheduling.SharedCalendars()
    one_day = datetime.timedelta(days=1)
    work = MyWork()
    for task in tasks:
        due = task.deadline or task.early_finish
        item = MyTask(task=task, due=due)
        if due is None:
            work.later.append(item)
            continue
        calendar = calendars.for_plan(task.plan, _settings(task.plan))
        if due < today:
            item.days = calendar.working_days_between(due + one_day, today + one_day)
            work.overdue.append(item)
            continue
        item.days = calendar.working_days_between(today + one_day, due + one_day)
        (work.this_week if item.days < THIS_WEEK_DAYS else work.later).append(item)
    for _name, items in work.groups:
        items.sort(key=lambda item: (item.due or datetime.date.max, item.task.plan.name, item.task.position))
    plans = {task.plan_id: task.plan for task in tasks}.values()
    work.holiday_notes = scheduling.spans_holiday_notes(
        [scheduling.year_span(plan.start_date, plan.target_launch_date, _settings(plan).summary) for plan in plans],
        entered=calendars.entered_years)
    return work


# ------------------------------------------------------------------ the inbox
def inbox_of(user, workspace):
    """The user's items about ``workspace``, newest first: only while they may read the item's plan."""
    if workspace is None or workspace.pk not in roles(user):
        return Notification.objects.none()
    return (Notification.objects.filter(recipient=user, workspace=workspace)
            .filter(Q(plan__isnull=True) | Q(plan__in=plans_readable_by(user, workspace)))
            .select_related("actor", "plan", "task"))


def unread_mentions(user, workspace, limit=10):
    """Where someone mentioned the user and they have not read it yet, newest first (My work's top)."""
    return list(inbox_of(user, workspace).filter(kind=Notification.Kind.MENTION, read_at__isnull=True)
                .select_related("comment")[:limit])


# ------------------------------------------------------------------ the header's badges
def badges(user, workspace_id):
    """{"my_work": open tasks I own, "unread": unread items} in the workspace, cached until either changes."""
    if workspace_id is None or workspace_id not in roles(user):
        return {"my_work": 0, "unread": 0}
    key = _badge_key(user.pk)
    try:
        known = cache.get(key) or {}
    except Exception:  # noqa: BLE001 - a cache outage costs two queries, never the page
        logger.warning("badge cache unavailable", exc_info=True)
        known = {}
    if workspace_id in known:
        return known[workspace_id]
    workspace = Workspace(pk=workspace_id)
    counts = {"my_work": my_open_tasks(user, workspace).count(),
              "unread": inbox_of(user, workspace).filter(read_at__isnull=True).count()}
    try:
        cache.set(key, {**known, workspace_id: counts}, BADGES_S)
    except Exception:  # noqa: BLE001
        logger.warning("badge cache unavailable", exc_info=True)
    return counts


def forget_badges(user_ids):
    try:
        cache.delete_many([_badge_key(pk) for pk in user_ids])
    except Exception:  # noqa: BLE001
        logger.warning("badge cache unavailable", exc_info=True)
