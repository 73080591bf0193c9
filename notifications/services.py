"""Daily reminders and weekly digests: who gets what, built and sent one email per recipient.

Reminders go to task owners whose stakeholder record is linked to an active account. Digests go
to each active plan's management-audience stakeholders with an account, and to no one else:
members of the "managers" group can read every plan, and mailing them all about every plan
would be noise; a manager who wants a plan's digest is added to it as a management stakeholder.

Both runs read only active plans, refresh each plan's schedule first (dates depend on
"today"), and count working days with the plan's own calendar. Every email is rendered in its
recipient's language, as plain text with an HTML alternative, and is recorded in
NotificationLog: a second run for the same day skips whoever already got theirs.
"""
import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.access import READS_EVERY_PLAN, plans_readable_by, reads_a_whole_workspace
from onboarding.models import Plan, WorkspaceMember
from portfolio.selectors import portfolio_rows
from schedule import scheduling
from schedule.models import Task
from schedule.selectors import plan_status
from stakeholders.models import PlanStakeholder

from .inbox import describe, item_url
from .models import Notification, NotificationLog, NotificationPreference
from .selectors import forget_badges

logger = logging.getLogger(__name__)

# Longer lists end with "and N more": the email points to the plan, it does not replace it.
MAX_ITEMS = 8


def absolute_url(path):
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def preference_for(user):
    """The user's saved choices, or the defaults (everything on, site language) without saving them."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def language_for(user):
    language = preference_for(user).language
    if language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


def address_for(user):
    """The account's email address, else one from the user's stakeholder records."""
    if user.email:
        return user.email
    return user.stakeholder_profiles.exclude(email="").order_by("pk").values_list("email", flat=True).first() or ""


def active_plans():
    return (Plan.objects.filter(status=Plan.Status.ACTIVE, deleted_at__isnull=True)
            .select_related("product", "workspace").order_by("name", "pk"))


@dataclass
class Outcome:
    """What a run did: (address, subject) of each email sent (or, in a dry run, that would be)."""

    sent: list = field(default_factory=list)
    already_sent: int = 0
    opted_out: int = 0
    no_address: int = 0
    failed: int = 0

    def as_dict(self):
        return {"sent": len(self.sent), "already_sent": self.already_sent, "opted_out": self.opted_out,
                "no_address": self.no_address, "failed": self.failed}


# ------------------------------------------------------------------ daily reminders
@dataclass
class DueItem:
    task: Task
    due: datetime.date
    by_deadline: bool  # False: the scheduled finish, for a task without a deadline
    days: int  # working days overdue, or left until due (0 = due today)
    url: str


@dataclass
class PlanReminder:
    plan: Plan
    url: str
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    holiday_notes: list = field(default_factory=list)  # years with provisional holidays

    @property
    def count(self):
        return len(self.overdue) + len(self.due_soon)


def due_date(task):
    """A task is due on its deadline, or on its scheduled finish when it has none."""
    return task.deadline or task.early_finish


def reminders_by_user(today, days_ahead=None):
    """{user: [PlanReminder, ...]} for every task owner with an account who has something due.

    "Due soon" is at most `days_ahead` working days away in the plan's calendar, so a deadline
    just after a holiday week is still "in 3 working days". A plan sends nothing on a day that
    is not one of its working days (no reminders on weekends and holidays).
    """
    days_ahead = settings.REMINDER_DAYS_AHEAD if days_ahead is None else days_ahead
    by_user = {}
    for plan in active_plans():
        try:
            _collect_reminders(plan, today, days_ahead, by_user)
        except Exception:  # noqa: BLE001 - one broken plan must not stop everyone's reminders
            logger.exception("reminders for plan %s not gathered", plan.pk)
    result = {}
    for user, groups in by_user.items():
        for group in groups.values():
            group.overdue.sort(key=lambda item: (item.due, item.task.position))
            group.due_soon.sort(key=lambda item: (item.due, item.task.position))
        result[user] = list(groups.values())
    return result


def _collect_reminders(plan, today, days_ahead, by_user):
    owned = Task.objects.filter(plan=plan, owner__stakeholder__user__is_active=True).exclude(status=Task.Status.DONE)
    if not owned.exists():
        return
    scheduling.ensure_fresh(plan, today=today)
    calendar = scheduling.plan_calendar(plan)
    if not calendar.is_working(today):
        return
    checklist_url = absolute_url(reverse("schedule:plan_checklist", args=[plan.pk]))
    one_day = datetime.timedelta(days=1)
    holiday_notes = scheduling.holiday_notes(plan)

    for task in owned.select_related("owner__stakeholder__user").order_by("position", "pk"):
        due = due_date(task)
        if due is None:
            continue
        overdue = due < today
        # Working days in (due, today] late, or in (today, due] left: a deadline on a holiday
        # counts from the last working day before it.
        if overdue:
            days = calendar.working_days_between(due + one_day, today + one_day)
        else:
            days = calendar.working_days_between(today + one_day, due + one_day)
            if days > days_ahead:
                continue
        item = DueItem(task=task, due=due, by_deadline=bool(task.deadline), days=days,
                       url=absolute_url(reverse("schedule:task_detail", args=[plan.pk, task.pk])))
        user = task.owner.stakeholder.user
        group = by_user.setdefault(user, {}).setdefault(
            plan.pk, PlanReminder(plan=plan, url=checklist_url, holiday_notes=holiday_notes))
        (group.overdue if overdue else group.due_soon).append(item)


def build_daily_reminder(user, groups, today):
    count = sum(group.count for group in groups)
    context = {
        "user": user, "groups": groups, "today": today, "count": count,
        "overdue": sum(len(group.overdue) for group in groups),
        "days_ahead": settings.REMINDER_DAYS_AHEAD,
        "settings_url": absolute_url(reverse("notifications:settings")),
    }
    subject = ngettext("[Paasport] %(count)d task is overdue or due soon",
                       "[Paasport] %(count)d tasks are overdue or due soon", count) % {"count": count}
    return subject, context


def send_daily_reminders(today=None, *, dry_run=False, days_ahead=None):
    today = today or timezone.localdate()
    outcome = Outcome()
    for user, groups in reminders_by_user(today, days_ahead).items():
        if not dry_run:
            _inbox_due_items(user, groups, today)
        if not preference_for(user).daily_reminders:
            outcome.opted_out += 1
            continue
        _deliver(outcome, user, NotificationLog.Kind.DAILY_REMINDER, today, "daily_reminder",
                 lambda user=user, groups=groups: build_daily_reminder(user, groups, today),
                 dry_run=dry_run)
    return outcome


def _inbox_due_items(user, groups, today):
    """One inbox item per task due soon or overdue, once a day (the email is the daily reminder)."""
    for group in groups:
        plan = group.plan
        for kind, items in ((Notification.Kind.OVERDUE, group.overdue), (Notification.Kind.DUE_SOON, group.due_soon)):
            for item in items:
                try:
                    notification_create(
                        recipient=user, kind=kind, workspace=plan.workspace, plan=plan, task=item.task,
                        params={"plan": plan.name, "task": item.task.title, "due": item.due.isoformat(),
                                "days": item.days},
                        dedupe_key=f"{kind}:{item.task.pk}:{today.isoformat()}", email=False)
                except Exception:  # noqa: BLE001 - one item must not stop everyone's reminders
                    logger.exception("inbox item for task %s not made", item.task.pk)


# ------------------------------------------------------------------ weekly digest
@dataclass
class PlanDigest:
    """One plan's week. Launch, slip, health and what is late or blocked come from plan_status,
    the same as on the plan's pages."""

    plan: Plan
    url: str
    schedule_url: str
    status: object
    late: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    slipped: list = field(default_factory=list)
    done_milestones: list = field(default_factory=list)
    next_milestones: list = field(default_factory=list)
    more: dict = field(default_factory=dict)
    holiday_notes: list = field(default_factory=list)  # years with provisional holidays

    @property
    def finish(self):
        return self.status.forecast_launch

    @property
    def baseline(self):
        return self.status.baseline

    @property
    def slip(self):
        return self.status.slip

    @property
    def slip_days(self):
        return self.status.slip_days

    @property
    def has_risks(self):
        return bool(self.late or self.blocked or self.slipped)


def _capped(digest, name, items):
    digest.more[name] = max(0, len(items) - MAX_ITEMS)
    return items[:MAX_ITEMS]


def _task_url(plan, task_id):
    return absolute_url(reverse("schedule:task_detail", args=[plan.pk, task_id]))


def plan_digest(plan, today):
    """One plan's week: launch date against the target and the latest baseline, risks, milestones."""
    status = plan_status(plan, today=today)
    if not status.task_count:
        return None
    digest = PlanDigest(
        plan=plan, url=absolute_url(plan.get_absolute_url()),
        schedule_url=absolute_url(reverse("schedule:plan_checklist", args=[plan.pk])), status=status,
        holiday_notes=status.holiday_notes,
    )
    for flag in status.late + status.blocked:
        flag.url = _task_url(plan, flag.id)
    digest.late = _capped(digest, "late", status.late)
    digest.blocked = _capped(digest, "blocked", status.blocked)
    if status.baseline:
        variance = scheduling.baseline_variance(plan, status.baseline, scheduling.plan_calendar(plan))
        open_tasks = {task.pk: task for task in plan.tasks.exclude(status=Task.Status.DONE)}
        slipped = sorted(((open_tasks[pk], days) for pk, days in variance.items() if days > 0 and pk in open_tasks),
                         key=lambda pair: (-pair[1], pair[0].position))
        for task, _days in slipped:
            task.url = _task_url(plan, task.pk)
        digest.slipped = _capped(digest, "slipped", slipped)

    week_ago = today - datetime.timedelta(days=7)
    done = [milestone for milestone in status.milestones
            if milestone.done and milestone.date and week_ago < milestone.date <= today]
    for milestone in status.milestones:
        milestone.url = _task_url(plan, milestone.id)
    digest.done_milestones = _capped(digest, "done_milestones", done)
    digest.next_milestones = status.next_milestones[:3]
    return digest


def digests_by_user(today):
    """{user: [PlanDigest, ...]}: management-audience stakeholders with an account, per active plan."""
    memberships = (PlanStakeholder.objects
                   .filter(audience=PlanStakeholder.Audience.MANAGEMENT, plan__status=Plan.Status.ACTIVE,
                           stakeholder__user__is_active=True)
                   .select_related("plan__product", "stakeholder__user")
                   .order_by("plan__name", "plan__pk"))
    digests = {}
    by_user = {}
    for membership in memberships:
        plan = membership.plan
        if plan.pk not in digests:
            digests[plan.pk] = plan_digest(plan, today)
        if digests[plan.pk] is None:
            continue
        user = membership.stakeholder.user
        by_user.setdefault(user, []).append(digests[plan.pk])
    # Workspace managers and admins get the portfolio of their active plans (the boss's week),
    # with a plan's full digest only where they are in its management audience.
    for member in (WorkspaceMember.objects.filter(role__in=READS_EVERY_PLAN, user__is_active=True)
                   .select_related("user").order_by("user_id")):
        by_user.setdefault(member.user, [])
    return by_user


def digest_portfolio(user, digests, today):
    """The portfolio rows the digest opens with (portfolio/selectors.py, the rows of /portfolio/):
    every active plan the user reads when they read a whole workspace, else their digests' plans."""
    if reads_a_whole_workspace(user):
        plans = plans_readable_by(user).filter(status=Plan.Status.ACTIVE)
    else:
        plans = Plan.objects.filter(pk__in=[digest.plan.pk for digest in digests])
    return sorted(portfolio_rows(plans, today=today), key=lambda row: (row.workspace, row.name))


def build_weekly_digest(user, digests, today):
    portfolio = digest_portfolio(user, digests, today)
    context = {
        "user": user, "digests": digests, "today": today, "portfolio": portfolio,
        "portfolio_url": absolute_url(reverse("portfolio:portfolio")),
        "week_start": today - datetime.timedelta(days=today.weekday()),
        "settings_url": absolute_url(reverse("notifications:settings")),
    }
    if not digests:
        subject = ngettext("[Paasport] Weekly portfolio: %(count)d plan", "[Paasport] Weekly portfolio: %(count)d plans",
                           len(portfolio)) % {"count": len(portfolio)}
    elif len(digests) == 1:
        subject = _("[Paasport] Weekly digest: %(plan)s") % {"plan": digests[0].plan.name}
    else:
        subject = ngettext("[Paasport] Weekly digest: %(count)d plan", "[Paasport] Weekly digest: %(count)d plans",
                           len(digests)) % {"count": len(digests)}
    return subject, context


def send_weekly_digests(today=None, *, dry_run=False):
    today = today or timezone.localdate()
    outcome = Outcome()
    for user, digests in digests_by_user(today).items():
        if not digests and not digest_portfolio(user, digests, today):
            continue  # a manager with no active plan: nothing to report
        if not preference_for(user).weekly_digest:
            outcome.opted_out += 1
            continue
        _deliver(outcome, user, NotificationLog.Kind.WEEKLY_DIGEST, today, "weekly_digest",
                 lambda user=user, digests=digests: build_weekly_digest(user, digests, today),
                 dry_run=dry_run)
    return outcome


# ------------------------------------------------------------------ sending
def render_email(template, subject, context, language):
    """(subject, text, html) rendered in `language`."""
    with translation.override(language):
        context = {**context, "subject": subject, "language": language}
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    return text, html


def _deliver(outcome, user, kind, today, template, build, *, dry_run=False):
    """Send one recipient's email; a failure is logged and counted, and the run goes on."""
    address = address_for(user)
    if not address:
        logger.warning("no email address for user %s: %s not sent", user.pk, kind)
        outcome.no_address += 1
        return
    if NotificationLog.objects.filter(user=user, kind=kind, for_date=today).exists():
        outcome.already_sent += 1
        return
    language = language_for(user)
    try:
        with translation.override(language):
            subject, context = build()
        text, html = render_email(template, subject, context, language)
        if dry_run:
            outcome.sent.append((address, subject))
            return
        message = EmailMultiAlternatives(subject, text, to=[address],
                                         headers={"List-Unsubscribe": f"<{context['settings_url']}>"})
        message.attach_alternative(html, "text/html")
        with transaction.atomic():
            # The row goes in first: its unique key stops a run racing this one, and it is
            # rolled back if sending fails, so the next run tries again.
            NotificationLog.objects.create(user=user, kind=kind, for_date=today, subject=subject[:255])
            message.send()
    except IntegrityError:
        outcome.already_sent += 1
        return
    except Exception:  # noqa: BLE001 - one bad address or template must not stop everyone else's email
        logger.exception("%s for user %s not sent", kind, user.pk)
        outcome.failed += 1
        return
    outcome.sent.append((address, subject))


# Kinds told by email one by one, as they happen (due soon and overdue go in the daily reminder).
EMAILED_KINDS = {Notification.Kind.MENTION, Notification.Kind.ASSIGNED, Notification.Kind.RESCHEDULED}


def notification_create(*, recipient, kind, workspace, actor=None, plan=None, task=None, comment=None,
                        params=None, dedupe_key="", email=True):
    """Put one item in recipient's inbox; None when it does not belong there.

    Nobody is told about their own change, an inactive account gets nothing, and a plan's item goes
    only to someone who may read the plan (a mention never leaks a plan's name). With a
    ``dedupe_key`` a second call for the same recipient and key returns None instead of a copy.
    The recipient's preferences decide: a kind turned off in the app makes no item; a mention,
    assignment or reschedule with its email on is emailed (a Celery task, once the write has
    committed) unless ``email`` is False.
    """
    if recipient is None or not recipient.is_active or (actor is not None and recipient.pk == actor.pk):
        return None
    if plan is not None and not plans_readable_by(recipient).filter(pk=plan.pk).exists():
        return None
    preference = preference_for(recipient)
    fields = dict(recipient=recipient, kind=kind, workspace=workspace, actor=actor, plan=plan, task=task,
                  comment=comment, params=params or {}, dedupe_key=dedupe_key)
    item = None
    if preference.wants(kind, "app"):
        if not dedupe_key:
            item = Notification.objects.create(**fields)
        else:
            try:
                with transaction.atomic():
                    item = Notification.objects.create(**fields)
            except IntegrityError:
                return None
        badges_changed([recipient.pk])
    if email and kind in EMAILED_KINDS and preference.wants(kind, "email") and address_for(recipient):
        payload = {"recipient": recipient.pk, "kind": kind, "workspace": workspace.pk,
                   "actor": actor.pk if actor else None, "plan": plan.pk if plan else None,
                   "task": task.pk if task else None, "comment": comment.pk if comment else None,
                   "params": params or {}, "item": item.pk if item else None}
        transaction.on_commit(lambda: _queue_email(payload))
    return item


def _queue_email(payload):
    from .tasks import send_notification_email  # tasks.py imports this module

    try:
        send_notification_email.delay(payload)
    except Exception:  # noqa: BLE001 - a broker outage loses an email, never the write that caused it
        logger.exception("notification email for user %s not queued", payload["recipient"])


def notification_email_send(payload):
    """Email one inbox item (the payload notification_create queued) in its recipient's language."""
    recipient = get_user_model().objects.filter(pk=payload["recipient"], is_active=True).first()
    if recipient is None:
        return False
    address = address_for(recipient)
    if not address:
        return False
    item = Notification(recipient=recipient, kind=payload["kind"], workspace_id=payload["workspace"],
                        actor_id=payload["actor"], plan_id=payload["plan"], task_id=payload["task"],
                        comment_id=payload["comment"], params=payload["params"])
    if item.plan_id and not plans_readable_by(recipient).filter(pk=item.plan_id).exists():
        return False  # lost access meanwhile
    language = language_for(recipient)
    with translation.override(language):
        text = describe(item)
        subject = "[Paasport] " + text
        context = {"user": recipient, "text": text, "url": absolute_url(item_url(item)),
                   "inbox_url": absolute_url(reverse("notifications:inbox")),
                   "settings_url": absolute_url(reverse("notifications:settings")),
                   "excerpt": (item.params or {}).get("excerpt", "")}
    body, html = render_email("item", subject, context, language)
    message = EmailMultiAlternatives(subject[:255], body, to=[address],
                                     headers={"List-Unsubscribe": f"<{context['settings_url']}>"})
    message.attach_alternative(html, "text/html")
    message.send()
    if payload.get("item"):
        Notification.objects.filter(pk=payload["item"]).update(emailed_at=timezone.now())
    return True


# ------------------------------------------------------------------ the inbox
def notification_mark_read(*, user, ids=None):
    """Mark the user's items read (``ids``: only these; None: every unread one). Returns how many."""
    items = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        items = items.filter(pk__in=ids)
    count = items.update(read_at=timezone.now())
    if count:
        badges_changed([user.pk])
    return count


def badges_changed(user_ids):
    """Forget the header's cached counts of these users once the write has committed."""
    ids = list(user_ids)
    if ids:
        forget_badges(ids)
        transaction.on_commit(lambda: forget_badges(ids))
