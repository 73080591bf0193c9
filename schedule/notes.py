"""Why a task is late or moved, stored as facts and put into words when shown.

The scheduler runs in whatever language the request that triggered it had; storing its
findings as sentences would show a Chinese reason in an English digest. So the task keeps a
small JSON record and each page, email or export renders it in its reader's language.
"""
import json

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TITLE_CHARS = 40
MAX_TITLES = 3


def _short(title):
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def deadline_note(days, *, own=False, task_title=None):
    """A task makes a deadline slip by `days`: its own (own), another task's, or the plan's."""
    record = {"k": "deadline", "d": days}
    if own:
        record["own"] = 1
    elif task_title is not None:
        record["t"] = _short(task_title)
    return json.dumps(record, ensure_ascii=False)


def fixed_start_note(days, *, task_title=None):
    """A fixed start missed by `days`: the task's own (its predecessors finish too late for it), or
    the fixed start of the task `task_title` that this one finishes too late for."""
    record = {"k": "fixed", "d": days}
    if task_title is not None:
        record["t"] = _short(task_title)
    return json.dumps(record, ensure_ascii=False)


def levelling_note(days, *, owners=(), blockers=(), predecessors=()):
    record = {"k": "level", "d": days, "o": list(owners)[:MAX_TITLES],
              "b": [_short(title) for title in blockers][:MAX_TITLES],
              "p": [_short(title) for title in predecessors][:MAX_TITLES]}
    return json.dumps(record, ensure_ascii=False)


def _quoted(titles):
    return "、".join(f"“{title}”" for title in titles)


def render(raw):
    """The note in the active language ('' when there is none)."""
    if not raw:
        return ""
    try:
        record = json.loads(raw)
    except ValueError:
        return raw  # written before notes were records
    days = record.get("d", 0)
    if record.get("k") == "deadline":
        if record.get("own"):
            return ngettext("Misses its deadline by %(days)d working day.",
                            "Misses its deadline by %(days)d working days.", days) % {"days": days}
        if "t" in record:
            return ngettext("Makes “%(task)s” miss its deadline by %(days)d working day.",
                            "Makes “%(task)s” miss its deadline by %(days)d working days.", days) % {
                "task": record["t"], "days": days}
        return ngettext("Misses the plan's deadline by %(days)d working day.",
                        "Misses the plan's deadline by %(days)d working days.", days) % {"days": days}
    if record.get("k") == "fixed":
        if "t" in record:
            return ngettext("Makes “%(task)s” miss its fixed start (must start on) by %(days)d working day.",
                            "Makes “%(task)s” miss its fixed start (must start on) by %(days)d working days.",
                            days) % {"task": record["t"], "days": days}
        return ngettext("Keeps its fixed start (must start on), but its predecessors finish %(days)d working day "
                        "too late for it.",
                        "Keeps its fixed start (must start on), but its predecessors finish %(days)d working days "
                        "too late for it.", days) % {"days": days}
    if record.get("k") == "level":
        if record.get("o"):
            return ngettext(
                "%(days)d working day later: %(owner)s is busy with %(tasks)s.",
                "%(days)d working days later: %(owner)s is busy with %(tasks)s.", days,
            ) % {"days": days, "owner": ", ".join(record["o"]), "tasks": _quoted(record.get("b", []))}
        return ngettext(
            "%(days)d working day later: waits for %(tasks)s, which moved.",
            "%(days)d working days later: waits for %(tasks)s, which moved.", days,
        ) % {"days": days, "tasks": _quoted(record.get("p", []))}
    return _("Schedule note")
