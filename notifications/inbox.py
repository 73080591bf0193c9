"""What an inbox item says, in the reader's language, and where it leads.

Items store their kind and parameters, never a translated sentence: the same item reads in
Chinese for one reader and in English for another (and in the email its recipient gets).
Names come from the item's plan and task as they are now (a renamed task reads with its new
name); the parameters keep what only the moment knew (the dates a task moved from and to, the
titles of several tasks).
"""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification

Kind = Notification.Kind
LISTED = 5  # titles named in one item; more are counted


def person_name(user):
    return (user.get_full_name() or user.username) if user is not None else ""


def span(dates):
    """"2026-10-08" or "2026-10-08 – 2026-10-09" from [start, finish] (ISO strings)."""
    start, finish = (list(dates or []) + ["", ""])[:2]
    if not start or start == finish:
        return finish or start or "—"
    return f"{start} – {finish}"


def _titles(tasks):
    names = [task.get("title", "") for task in tasks[:LISTED]]
    more = len(tasks) - LISTED
    text = "、".join(names)
    if more > 0:
        text += " " + ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more}
    return text


def describe(item):
    """The item as one sentence in the active language."""
    params = item.params or {}
    actor = person_name(item.actor) if item.actor_id else (params.get("actor") or _("Someone"))
    plan = item.plan.name if item.plan_id else params.get("plan", "")
    task = item.task.title if item.task_id else params.get("task", "")
    tasks = params.get("tasks") or []
    values = {"actor": actor, "plan": plan, "task": task}
    if item.kind == Kind.MENTION:
        if task:
            return _("%(actor)s mentioned you on %(task)s in %(plan)s") % values
        return _("%(actor)s mentioned you in %(plan)s") % values
    if item.kind == Kind.ASSIGNED:
        if len(tasks) > 1:
            return ngettext("%(actor)s gave you %(count)d task in %(plan)s: %(tasks)s",
                            "%(actor)s gave you %(count)d tasks in %(plan)s: %(tasks)s", len(tasks)) % {
                **values, "count": len(tasks), "tasks": _titles(tasks)}
        return _("%(actor)s gave you the task %(task)s in %(plan)s") % {
            **values, "task": task or (tasks[0]["title"] if tasks else "")}
    if item.kind == Kind.RESCHEDULED:
        if len(tasks) == 1:
            moved = tasks[0]
            return _("%(actor)s moved your task %(task)s from %(old)s to %(new)s in %(plan)s") % {
                **values, "task": task or moved.get("title", ""), "old": span(moved.get("from")),
                "new": span(moved.get("to"))}
        listed = "; ".join(f"{moved.get('title', '')} {span(moved.get('from'))} → {span(moved.get('to'))}"
                           for moved in tasks[:LISTED])
        if len(tasks) > LISTED:
            listed += " " + ngettext("and %(count)d more", "and %(count)d more", len(tasks) - LISTED) % {
                "count": len(tasks) - LISTED}
        return ngettext("%(actor)s moved %(count)d of your tasks in %(plan)s: %(tasks)s",
                        "%(actor)s moved %(count)d of your tasks in %(plan)s: %(tasks)s", len(tasks)) % {
            **values, "count": len(tasks), "tasks": listed}
    days = int(params.get("days") or 0)
    due = params.get("due", "")
    if item.kind == Kind.DUE_SOON:
        if not days:
            return _("Your task %(task)s in %(plan)s is due today (%(due)s)") % {**values, "due": due}
        return ngettext("Your task %(task)s in %(plan)s is due in %(days)d working day (%(due)s)",
                        "Your task %(task)s in %(plan)s is due in %(days)d working days (%(due)s)", days) % {
            **values, "days": days, "due": due}
    if item.kind == Kind.OVERDUE:
        return ngettext("Your task %(task)s in %(plan)s is %(days)d working day overdue (due %(due)s)",
                        "Your task %(task)s in %(plan)s is %(days)d working days overdue (due %(due)s)",
                        max(days, 1)) % {**values, "days": max(days, 1), "due": due}
    return str(item.get_kind_display())


def item_url(item):
    """The task (or the plan, or the plan's checklist for several tasks) the item is about."""
    tasks = (item.params or {}).get("tasks") or []
    if item.task_id and item.plan_id:
        return reverse("schedule:task_detail", args=[item.plan_id, item.task_id])
    if item.plan_id and len(tasks) > 1:
        return reverse("schedule:plan_checklist", args=[item.plan_id])
    if item.plan_id:
        return reverse("schedule:plan_overview", args=[item.plan_id])
    return reverse("notifications:inbox")
