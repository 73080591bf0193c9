"""MS Project XML (MSPDI): a plan's tasks and links for MS Project, GanttProject, ProjectLibre...

Export: one summary task per phase (OutlineLevel 1, Summary=1) with its tasks below it
(OutlineLevel 2); tasks without a phase sit at level 1. Owners are resources assigned to their
tasks; status, visibility, business flow and the plan's duration of started work travel in named
custom fields (:data:`FIELDS_OUT`), watch-outs in the notes, and are read back on import. Dates are the scheduler's
(working days 09:00–18:00, 8 hours), durations ``PT{hours}H0M0S``, links
``PredecessorLink`` with MSPDI types (0=FF, 1=FS, 2=SF, 3=SS) and ``LinkLag`` in tenths of
a minute with ``LagFormat`` 7 (days). The plan's calendar (China's holidays and make-up
working days) travels as calendar exceptions, so MS Project computes the same dates.

Import creates the file's tasks and links in an existing plan (nothing is replaced):
level-1 summary tasks become phases (an existing phase of the same name is reused),
deeper summary tasks are flattened into their level-1 phase. The XML is read with
defusedxml, which refuses DTDs and entity expansion ("billion laughs"), as a stream bounded in
depth and element count (bounds.parse_xml).

What the import keeps: durations and lags in the file's own units (``MinutesPerDay``: a
7.5-hour day's 20 days stay 20; elapsed formats are calendar time, 5 working days for 7);
constraints one to one where the plan has them (start no earlier than; must start on, a fixed start;
finish no later than → deadline; must finish on → the fixed start that ends the task's duration on
that day), the others named in the import summary (``ImportResult.notes``); actual dates; the start of a manually scheduled task, or of a task
without predecessors that MS Project starts later than the project, as start no earlier than;
links to and from summary tasks as links to and from each of their tasks. A file without tasks
is refused with a message.
"""
import datetime
import json
import math
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from onboarding.models import validate_plan_date
from onboarding.versioning import bump
from schedule import scheduling
from schedule.engine import cycle_text, find_cycle
from schedule.models import Baseline, BaselineTask, LinkType, Phase, Task, TaskLink, Visibility, WatchOut

from . import MAX_ROWS, MAX_UPLOAD_BYTES, ImportFailed, ImportResult, Problem
from .bounds import UploadTooLarge, parse_xml

NS = "http://schemas.microsoft.com/project"
HOURS_PER_DAY = 8
LAG_UNITS_PER_DAY = HOURS_PER_DAY * 60 * 10  # LinkLag counts tenths of a minute
TYPE_TO_MSPDI = {LinkType.FF: 0, LinkType.FS: 1, LinkType.SF: 2, LinkType.SS: 3}
MSPDI_TO_TYPE = {value: key for key, value in TYPE_TO_MSPDI.items()}
LAG_FORMAT_DAYS = 7
PERCENT_LAG_FORMATS = {19, 20}
CONSTRAINT_ASAP, CONSTRAINT_ALAP, CONSTRAINT_MSO, CONSTRAINT_MFO = 0, 1, 2, 3
CONSTRAINT_SNET, CONSTRAINT_SNLT, CONSTRAINT_FNET, CONSTRAINT_FNLT = 4, 5, 6, 7
# Duration and lag formats counted in calendar time (em, eh, ed, ew, emo, e% and their "?" forms).
ELAPSED_FORMATS = {4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52}
WORKING_DAYS_PER_CALENDAR_DAY = 5 / 7
DAY_START, DAY_FINISH = datetime.time(9), datetime.time(18)
DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")


# =========================================================================== export
def _el(parent, tag, text=None):
    element = ET.SubElement(parent, f"{{{NS}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def _at(day, time):
    return datetime.datetime.combine(day, time).isoformat()


def _duration(days):
    return f"PT{days * HOURS_PER_DAY}H0M0S"


def _calendar(project, plan, first, last):
    calendars = _el(project, "Calendars")
    calendar = _el(calendars, "Calendar")
    _el(calendar, "UID", 1)
    _el(calendar, "Name", "Standard")
    _el(calendar, "IsBaseCalendar", 1)
    _el(calendar, "BaseCalendarUID", -1)
    week_days = _el(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday
        week_day = _el(week_days, "WeekDay")
        _el(week_day, "DayType", day_type)
        working = day_type not in (1, 7)
        _el(week_day, "DayWorking", int(working))
        if working:
            _working_times(week_day)
    # The plan's own days off and make-up working days, as exceptions (DayType 0).
    work_calendar = scheduling.plan_calendar(plan)
    day = first
    while first and last and day <= last:
        weekend = day.weekday() >= 5
        if work_calendar.is_working(day) == weekend:
            exception = _el(week_days, "WeekDay")
            _el(exception, "DayType", 0)
            _el(exception, "DayWorking", int(weekend))
            period = _el(exception, "TimePeriod")
            _el(period, "FromDate", _at(day, datetime.time(0)))
            _el(period, "ToDate", _at(day, datetime.time(23, 59)))
            if weekend:
                _working_times(exception)
        day += datetime.timedelta(days=1)


def _working_times(parent):
    times = _el(parent, "WorkingTimes")
    for start, finish in (("09:00:00", "12:00:00"), ("13:00:00", "18:00:00")):
        slot = _el(times, "WorkingTime")
        _el(slot, "FromTime", start)
        _el(slot, "ToTime", finish)


# Task Flag1 (MS Project's field id), named so that a file from elsewhere whose Flag1 means
# something else is not read as our launch milestone.
LAUNCH_FIELD_ID = "188743752"
LAUNCH_ALIAS = "Paasport launch milestone"


# What MSPDI has no field for travels in named custom fields (read back only when the file defines
# them under these aliases): status (blocked), visibility, business flow, and the plan's own duration
# of a task exported in progress (MS Project's Duration is then the span from the actual start).
FIELDS_OUT = {  # key: (MS Project field id, field name, alias)
    "launch": (LAUNCH_FIELD_ID, "Flag1", LAUNCH_ALIAS),
    "status": ("188743731", "Text1", "Paasport status"),
    "visibility": ("188743734", "Text2", "Paasport visibility"),
    "business": ("188743737", "Text3", "Paasport business"),
    "duration": ("188743767", "Number1", "Paasport duration (working days)"),
    "span": ("188743768", "Number2", "Paasport exported span (working days)"),
    # MS Project's own Priority (0–1000) orders levelling; ours adds points to a ranking score
    "priority": ("188743769", "Number3", "Paasport priority override"),
    # on the project summary task: the names and launch dates of the baselines, by MS Project's number
    "baselines": ("188743740", "Text4", "Paasport baselines"),
}
MAX_BASELINES = 11  # MS Project's Baseline, Baseline1 ... Baseline10
WATCHOUTS_MARK = "[Paasport watch-outs]"


def _extended_attributes(project):
    attributes = _el(project, "ExtendedAttributes")
    for field_id, field_name, alias in FIELDS_OUT.values():
        attribute = _el(attributes, "ExtendedAttribute")
        _el(attribute, "FieldID", field_id)
        _el(attribute, "FieldName", field_name)
        _el(attribute, "Alias", alias)


def _defined_fields(root):
    """{field id: key} of our custom fields that the file defines under our aliases."""
    attributes = _child(root, "ExtendedAttributes")
    ours = {(field_id, alias): key for key, (field_id, _name, alias) in FIELDS_OUT.items()}
    return {_text(el, "FieldID"): ours[(_text(el, "FieldID"), _text(el, "Alias"))]
            for el in (attributes if attributes is not None else [])
            if (_text(el, "FieldID"), _text(el, "Alias")) in ours}


def _assigned_owners(root):
    """{task UID: the name of its first assigned resource} (the owner, in our exports)."""
    resources_el, assignments_el = _child(root, "Resources"), _child(root, "Assignments")
    names = {_int(_text(el, "UID")): _text(el, "Name") for el in (resources_el if resources_el is not None else [])
             if _local(el.tag) == "Resource"}
    owners, others = {}, {}
    for el in assignments_el if assignments_el is not None else []:
        name = names.get(_int(_text(el, "ResourceUID")))
        task_uid = _int(_text(el, "TaskUID"))
        if _local(el.tag) == "Assignment" and name and task_uid is not None:
            if owners.setdefault(task_uid, name) != name:
                others.setdefault(task_uid, []).append(name)
    return owners, others


def _custom(el, key, value):
    attribute = _el(el, "ExtendedAttribute")
    _el(attribute, "FieldID", FIELDS_OUT[key][0])
    _el(attribute, "Value", value)


def _notes_text(task):
    """The description, then the watch-outs after a marker line ("[x] " marks a done one)."""
    watchouts = list(task.watchouts.all())
    if not watchouts:
        return task.description
    lines = [("[x] " if item.done else "[ ] ") + item.text for item in watchouts]
    return "\n".join(filter(None, [task.description, WATCHOUTS_MARK, *lines]))


def _split_notes(notes):
    """(description, [(text, done)] or None when the notes carry no watch-outs)."""
    lines = notes.split("\n")
    if WATCHOUTS_MARK not in [line.strip() for line in lines]:
        return notes, None
    at = [line.strip() for line in lines].index(WATCHOUTS_MARK)
    items = []
    for line in lines[at + 1:]:
        line = line.strip()
        if not line:
            continue
        done = line.lower().startswith("[x]")
        text = re.sub(r"^\[[ xX]?\]\s*", "", line)[:200]
        if text:
            items.append((text, done))
    return "\n".join(lines[:at]).rstrip(), items


def _hours(hours):
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"PT{whole}H{minutes}M0S"


def _task_element(tasks_el, uid, name, level, outline, *, summary=False, start=None, finish=None, days=None,
                  milestone=False, task=None, predecessors=(), own_days=None, baselines=()):
    el = _el(tasks_el, "Task")
    _el(el, "UID", uid)
    if task is not None:
        _el(el, "GUID", task_guid(task))
    _el(el, "ID", uid)
    _el(el, "Name", name)
    _el(el, "Type", 1)  # fixed duration: no resources here
    _el(el, "IsNull", 0)
    _el(el, "OutlineNumber", outline)
    _el(el, "OutlineLevel", level)
    if start:
        _el(el, "Start", _at(start, DAY_START))
    if finish:
        _el(el, "Finish", _at(finish, DAY_START if milestone else DAY_FINISH))
    if days is not None:
        _el(el, "Duration", _duration(days))
        _el(el, "DurationFormat", 7)
    _el(el, "Milestone", int(milestone))
    _el(el, "Summary", int(summary))
    if task is not None:
        _el(el, "Critical", int(task.is_critical))
        percent = 100 if task.status == Task.Status.DONE else task.percent_complete
        _el(el, "PercentComplete", percent)
        if task.actual_start:
            _el(el, "ActualStart", _at(task.actual_start, DAY_START))
        if task.actual_finish:
            _el(el, "ActualFinish", _at(task.actual_finish, DAY_FINISH))
        # MS Project's rule: % complete = actual duration / duration (schedulers refuse files without them).
        actual_hours = round((days or 0) * HOURS_PER_DAY * percent / 100, 2)
        _el(el, "ActualDuration", _hours(actual_hours))
        _el(el, "RemainingDuration", _hours((days or 0) * HOURS_PER_DAY - actual_hours))
        constraint, constraint_date = _constraint_of(task)
        _el(el, "ConstraintType", constraint)
        _el(el, "CalendarUID", -1)
        if constraint_date:
            _el(el, "ConstraintDate", _at(constraint_date, DAY_START))
        if task.deadline:
            _el(el, "Deadline", _at(task.deadline, DAY_FINISH))
        notes = _notes_text(task)
        if notes:
            _el(el, "Notes", notes)
        for pred_uid, link in predecessors:
            link_el = _el(el, "PredecessorLink")
            _el(link_el, "PredecessorUID", pred_uid)
            _el(link_el, "Type", TYPE_TO_MSPDI[link.type])
            _el(link_el, "CrossProject", 0)
            _el(link_el, "LinkLag", link.lag * LAG_UNITS_PER_DAY)
            _el(link_el, "LagFormat", LAG_FORMAT_DAYS)
        if task.is_launch:
            _custom(el, "launch", 1)
        _custom(el, "status", task.status)
        _custom(el, "visibility", task.visibility)
        if task.related_flow_id:
            _custom(el, "business", task.related_flow.name)
        if own_days is not None and own_days != days:
            _custom(el, "duration", own_days)
            _custom(el, "span", days)
        if task.priority_override is not None:
            _custom(el, "priority", task.priority_override)
    for number, base_start, base_finish, base_days in baselines:
        baseline = _el(el, "Baseline")
        _el(baseline, "Number", number)
        if base_start:
            _el(baseline, "Start", _at(base_start, DAY_START))
        if base_finish:
            _el(baseline, "Finish", _at(base_finish, DAY_START if milestone else DAY_FINISH))
        _el(baseline, "Duration", _duration(base_days))
    return el


def _baselines_by_task(plan, calendar):
    """(the plan's newest baselines, newest first = MS Project's Baseline, Baseline1...; {task id:
    [(number, start, finish, working days)]})."""
    baselines = list(plan.baselines.order_by("-created_at", "-id").prefetch_related("tasks")[:MAX_BASELINES])
    by_task = {}
    for number, baseline in enumerate(baselines):
        for entry in baseline.tasks.all():
            if entry.task_id is None:
                continue
            days = 0
            if entry.start and entry.finish and entry.finish >= entry.start:
                days = calendar.working_days_between(entry.start, entry.finish) + (
                    1 if calendar.is_working(entry.finish) else 0)
            by_task.setdefault(entry.task_id, []).append((number, entry.start, entry.finish, days))
    return baselines, by_task


def _constraint_of(task):
    """(MS Project ConstraintType, its date or None): a fixed start is "must start on"."""
    if task.must_start_on:
        return CONSTRAINT_MSO, task.must_start_on
    if task.start_no_earlier_than:
        return CONSTRAINT_SNET, task.start_no_earlier_than
    return CONSTRAINT_ASAP, None


def _resources(project, tasks, uids):
    """Owners as resources, each assigned to its tasks (Units 1: the owner is on the task full time)."""
    owners = {}
    for task in tasks:
        if task.owner_id and task.owner_id not in owners:
            owners[task.owner_id] = (len(owners) + 1, task.owner.stakeholder.name)
    resources = _el(project, "Resources")
    for uid, name in owners.values():
        resource = _el(resources, "Resource")
        _el(resource, "UID", uid)
        _el(resource, "ID", uid)
        _el(resource, "Name", name)
        _el(resource, "Type", 1)  # work
        _el(resource, "IsNull", 0)
        _el(resource, "CalendarUID", 1)
    assignments = _el(project, "Assignments")
    for n, task in enumerate((task for task in tasks if task.owner_id), start=1):
        assignment = _el(assignments, "Assignment")
        _el(assignment, "UID", n)
        _el(assignment, "TaskUID", uids[task.pk])
        _el(assignment, "ResourceUID", owners[task.owner_id][0])
        _el(assignment, "Units", 1)


def export_xml(plan):
    """The plan as MSPDI bytes (UTF-8, default namespace http://schemas.microsoft.com/project)."""
    scheduling.ensure_fresh(plan)
    phases = list(plan.phases.order_by("position", "id"))
    tasks = list(plan.tasks.select_related("owner__stakeholder", "related_flow")
                 .prefetch_related("predecessor_links", "watchouts"))
    rank = {phase.pk: i for i, phase in enumerate(phases)}
    tasks.sort(key=lambda t: (rank.get(t.phase_id, len(rank)), t.position, t.pk))
    by_phase = {}
    for task in tasks:
        by_phase.setdefault(task.phase_id, []).append(task)
    starts = [t.early_start for t in tasks if t.early_start]
    finishes = [t.early_finish for t in tasks if t.early_finish]
    first = min(starts, default=plan.start_date)
    last = max(finishes, default=plan.start_date)
    calendar = scheduling.plan_calendar(plan)

    project = ET.Element(f"{{{NS}}}Project")
    _el(project, "SaveVersion", 14)
    _el(project, "Name", f"{plan.name}.xml")
    _el(project, "Title", plan.name)
    _el(project, "Subject", plan.product.name)
    if plan.scenario_id:
        _el(project, "Category", plan.scenario.name)
    _el(project, "ScheduleFromStart", 1)
    _el(project, "StartDate", _at(plan.start_date, DAY_START))
    _el(project, "FinishDate", _at(last, DAY_FINISH))
    _el(project, "CalendarUID", 1)
    _el(project, "DefaultStartTime", "09:00:00")
    _el(project, "DefaultFinishTime", "18:00:00")
    _el(project, "MinutesPerDay", HOURS_PER_DAY * 60)
    _el(project, "MinutesPerWeek", HOURS_PER_DAY * 60 * 5)
    _el(project, "DaysPerMonth", 20)
    _extended_attributes(project)
    # Whole years, so that MS Project moving a task past the plan's last finish still meets the
    # holidays (official years, or provisional ones where no official list exists yet).
    _calendar(project, plan, datetime.date(min(first, plan.start_date).year, 1, 1),
              datetime.date(max(last, first).year, 12, 31))
    tasks_el = _el(project, "Tasks")
    project_task = _task_element(tasks_el, 0, plan.name, 0, 0, summary=True, start=first, finish=last,
                                 days=calendar.working_days_between(first, last) + 1 if starts else 0)
    baselines, baselines_of = _baselines_by_task(plan, calendar)
    if baselines:
        _custom(project_task, "baselines", json.dumps(
            [{"name": baseline.name, "launch": baseline.launch_date.isoformat() if baseline.launch_date else None}
             for baseline in baselines], ensure_ascii=False))

    # UIDs follow the outline order: phases and tasks numbered 1, 2, 3...
    uids, outline_of, uid = {}, {}, 0
    groups = [(phase, by_phase.get(phase.pk, [])) for phase in phases] + [(None, by_phase.get(None, []))]
    outline_top = 0
    for phase, members in groups:
        if phase is not None:
            uid += 1
            outline_top += 1
            uids[("phase", phase.pk)] = uid
            for n, task in enumerate(members, start=1):
                uid += 1
                uids[task.pk] = uid
                outline_of[task.pk] = (2, f"{outline_top}.{n}")
        else:
            for task in members:
                uid += 1
                outline_top += 1
                uids[task.pk] = uid
                outline_of[task.pk] = (1, str(outline_top))

    outline_top = 0
    for phase, members in groups:
        if phase is not None:
            outline_top += 1
            p_starts = [t.early_start for t in members if t.early_start]
            p_finishes = [t.early_finish for t in members if t.early_finish]
            p_first, p_last = min(p_starts, default=None), max(p_finishes, default=None)
            days = calendar.working_days_between(p_first, p_last) + 1 if p_first and p_last else 0
            _task_element(tasks_el, uids[("phase", phase.pk)], phase.name, 1, outline_top, summary=True,
                          start=p_first, finish=p_last, days=days)
        for task in members:
            level, outline = outline_of[task.pk]
            links = sorted(task.predecessor_links.all(), key=lambda link: uids.get(link.predecessor_id, 0))
            duration = 0 if task.is_milestone else task.duration
            # Started work starts at its actual start; Duration is then the span to the finish, as MS
            # Project reads it (the plan's own duration travels in a custom field).
            start = task.actual_start or task.early_start
            finish = start if task.is_milestone else (task.actual_finish or task.early_finish)
            span = duration
            if not task.is_milestone and start and finish and task.actual_start:
                span = max(calendar.working_days_between(start, finish) + 1, 1)
            _task_element(tasks_el, uids[task.pk], task.title, level, outline, start=start, finish=finish,
                          days=span, milestone=task.is_milestone, task=task, own_days=duration,
                          baselines=baselines_of.get(task.pk, ()),
                          predecessors=[(uids[link.predecessor_id], link) for link in links
                                        if link.predecessor_id in uids])
    _resources(project, tasks, uids)
    ET.indent(project)
    return ET.tostring(project, encoding="utf-8", xml_declaration=True, default_namespace=NS)


# =========================================================================== import
def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element, name):
    child = element.find(f"{{{NS}}}{name}")  # C speed; MS Project files use the namespace
    if child is None:
        child = element.find(name)  # a file written without it
    return child


def _text(element, name):
    child = _child(element, name)
    return child.text.strip() if child is not None and child.text else ""


class _Parsed:
    def __init__(self, uid):
        self.uid = uid
        self.name = ""
        self.level = 1
        self.summary = False
        self.milestone = False
        self.duration = 1
        self.percent = 0
        self.notes = ""
        self.start_no_earlier_than = None
        self.must_start_on = None  # "must start on"; "must finish on" too, once plan_changes knows the calendar
        self.must_finish_on = None
        self.deadline = None
        self.actual_start = None
        self.actual_finish = None
        self.links = []  # (predecessor uid, type, lag days)
        self.phase = ""
        self.launch = False
        self.guid = ""
        self.start = None  # the file's Start (date)
        self.manual = False
        self.own_calendar = False  # MS Project schedules it on a task calendar of its own
        self.baselines = {}  # MS Project's baseline number -> (start, finish)
        self.constraint = CONSTRAINT_ASAP
        self.constraint_date = None
        self.elapsed = False
        self.parent_summaries = []  # UIDs of the summary tasks above it
        self.custom = {}  # our custom fields: status, visibility, business, duration, span, launch
        self.watchouts = None  # [(text, done)] when the notes carry them
        self.owner_name = ""  # the first assigned resource
        self.other_resources = []  # the names of the others: a task has one owner here


def _where(uid):
    return _("Task UID %(uid)s") % {"uid": uid}


def _int(value, default=None):
    try:
        return int(value) if value != "" else default
    except ValueError:
        return None


def _read_date(el, name, problems, uid):
    """The date of child element ``name``, or None (a problem is added when it is not a usable date)."""
    text = _text(el, name)
    if not text:
        return None
    try:
        day = datetime.datetime.fromisoformat(text).date()
    except ValueError:
        problems.append(Problem(_("%(field)s is not a date and time.") % {"field": name}, where=_where(uid)))
        return None
    try:
        validate_plan_date(day)
    except ValidationError as error:
        problems.append(Problem(_("%(field)s: %(problem)s") % {"field": name, "problem": error.messages[0]},
                                where=_where(uid)))
        return None
    return day


class Units:
    """The file's own time units: MSPDI durations count working hours (PT150H0M0S is 20 days of a
    7.5-hour day), elapsed ones calendar hours (PT24H0M0S with format "ed" is one calendar day)."""

    def __init__(self, root=None):
        def number(name, default):
            value = _int(_text(root, name), default) if root is not None else default
            return value if value and value > 0 else default
        self.minutes_per_day = number("MinutesPerDay", HOURS_PER_DAY * 60)
        self.minutes_per_week = number("MinutesPerWeek", self.minutes_per_day * 5)
        self.days_per_month = number("DaysPerMonth", 20)

    def working_days(self, minutes, elapsed=False):
        """Working days (a fraction) in so many minutes of work, or of calendar time when elapsed."""
        if elapsed:
            return minutes / (24 * 60) * WORKING_DAYS_PER_CALENDAR_DAY
        return minutes / self.minutes_per_day


def _parse_duration(value, units=None, elapsed=False):
    """Working days from an ISO duration (PT24H0M0S = 3 days of 8 hours); None when unreadable."""
    units = units or Units()
    match = DURATION.match(value.strip()) if value else None
    if not match:
        return None
    days, hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    day_minutes = 24 * 60 if elapsed else units.minutes_per_day
    total = days * day_minutes + hours * 60 + minutes + seconds / 60
    # Round partial days up: half a day of work still takes a working day here.
    return math.ceil(round(units.working_days(total, elapsed), 6))


def read_xml(data):
    """The file's tasks (summary tasks resolved into phase names), or ImportFailed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFailed([Problem(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})])
    try:
        root = parse_xml(data)
    except UploadTooLarge as error:
        raise ImportFailed([Problem(error.message)]) from None
    except DefusedXmlException:
        raise ImportFailed([Problem(_("The file declares a DTD or entities, which are refused for safety: save "
                                      "it again from MS Project as XML."))]) from None
    except (ET.ParseError, ValueError) as error:
        raise ImportFailed([Problem(_("This is not a readable XML file (%(error)s).") % {"error": error})]) from None
    if _local(root.tag) != "Project":
        raise ImportFailed([Problem(_("This XML is not an MS Project file (expected a <Project> element)."))])
    tasks_el = _child(root, "Tasks")
    elements = [el for el in (tasks_el if tasks_el is not None else []) if _local(el.tag) == "Task"]
    if len(elements) > MAX_ROWS:
        raise ImportFailed([Problem(_("The file has more than %(max)s tasks.") % {"max": MAX_ROWS})])

    problems, parsed, seen = [], [], {}
    baseline_names = []
    defined = _defined_fields(root)
    owners, other_resources = _assigned_owners(root)
    units = Units(root)
    ancestors = []  # (level, uid) of the summary tasks above the current one
    guids = set()
    for index, el in enumerate(elements, start=1):
        raw_uid = _text(el, "UID")
        uid = _int(raw_uid)
        if uid is None:
            problems.append(Problem(_("The task has no valid UID (“%(uid)s”).") % {"uid": raw_uid},
                                    where=_("Task #%(n)s") % {"n": index}))
            continue
        if uid in seen:
            problems.append(Problem(_("This UID is used by two tasks."), where=_where(uid)))
            continue
        seen[uid] = True
        if _text(el, "IsNull") == "1":
            continue
        task = _Parsed(uid)
        task.level = _int(_text(el, "OutlineLevel"), 1)
        if task.level is None or task.level < 0:
            problems.append(Problem(_("OutlineLevel must be a whole number ≥ 0."), where=_where(uid)))
            continue
        task.summary = _text(el, "Summary") == "1"
        if task.level == 0 or (uid == 0 and task.summary):
            # the project summary task: where our export keeps the baselines' names
            baseline_names = _baseline_names(el, defined) or baseline_names
            continue
        task.name = _text(el, "Name")
        if not task.name:
            problems.append(Problem(_("The task has no name."), where=_where(uid)))
        elif len(task.name) > 200:
            problems.append(Problem(_("The name is longer than 200 characters."), where=_where(uid)))
        while ancestors and ancestors[-1][0] >= task.level:
            ancestors.pop()
        task.parent_summaries = [ancestor_uid for _level, ancestor_uid in ancestors]
        if task.summary:
            ancestors.append((task.level, uid))
        task.guid = _text(el, "GUID")[:64].upper()
        if task.guid and task.guid in guids:
            problems.append(Problem(_("This GUID is used by two tasks."), where=_where(uid)))
        guids.add(task.guid)
        task.manual = _text(el, "Manual") == "1"
        for baseline in el:
            if _local(baseline.tag) == "Baseline":
                number = _int(_text(baseline, "Number"))
                dates = (_read_date(baseline, "Start", [], uid), _read_date(baseline, "Finish", [], uid))
                if number is not None and 0 <= number < MAX_BASELINES and any(dates):
                    task.baselines[number] = dates
        task.own_calendar = _int(_text(el, "CalendarUID"), -1) not in (-1, None)
        task.milestone = _text(el, "Milestone") == "1"
        task.elapsed = _int(_text(el, "DurationFormat"), 7) in ELAPSED_FORMATS
        raw_duration = _text(el, "Duration")
        if raw_duration:
            task.duration = _parse_duration(raw_duration, units, task.elapsed)
            if task.duration is None:
                problems.append(Problem(_("“%(value)s” is not a duration (e.g. PT16H0M0S).")
                                        % {"value": raw_duration}, where=_where(uid)))
            elif task.duration > 2000:
                problems.append(Problem(_("The duration is longer than 2000 working days."), where=_where(uid)))
        if task.milestone:
            task.duration = 0
        percent = _int(_text(el, "PercentComplete"), 0)
        if percent is None or not 0 <= percent <= 100:
            problems.append(Problem(_("PercentComplete must be between 0 and 100."), where=_where(uid)))
        else:
            task.percent = percent
        task.notes, task.watchouts = _split_notes(_text(el, "Notes"))
        task.custom = {defined[_text(child, "FieldID")]: _text(child, "Value") for child in el
                       if _local(child.tag) == "ExtendedAttribute" and _text(child, "FieldID") in defined}
        task.launch = task.milestone and task.custom.get("launch") == "1"
        task.owner_name = owners.get(uid, "")
        task.other_resources = other_resources.get(uid, [])
        own, span = _int(task.custom.get("duration", "")), _int(task.custom.get("span", ""))
        if own is not None and span is not None and span == task.duration and 0 <= own <= 2000:
            task.duration = own  # exported in progress from Paasport, not edited in MS Project since
        for name, attr in (("Deadline", "deadline"), ("ActualStart", "actual_start"),
                           ("ActualFinish", "actual_finish"), ("Start", "start")):
            setattr(task, attr, _read_date(el, name, problems, uid))
        task.constraint = _int(_text(el, "ConstraintType"), CONSTRAINT_ASAP)
        if task.constraint not in range(8):
            problems.append(Problem(_("ConstraintType %(type)s is unknown (0 to 7).")
                                    % {"type": _text(el, "ConstraintType")}, where=_where(uid)))
        elif task.constraint not in (CONSTRAINT_ASAP, CONSTRAINT_ALAP):
            task.constraint_date = _read_date(el, "ConstraintDate", problems, uid)
            if task.constraint == CONSTRAINT_MSO:
                task.must_start_on = task.constraint_date  # a fixed start: the schedule never moves it
            elif task.constraint == CONSTRAINT_MFO:
                task.must_finish_on = task.constraint_date
            elif task.constraint == CONSTRAINT_SNET:
                task.start_no_earlier_than = task.constraint_date
            elif task.constraint == CONSTRAINT_FNLT and task.constraint_date:
                # "Finish no later than" is the engine's deadline (the backward pass, negative float).
                task.deadline = min(filter(None, (task.deadline, task.constraint_date)))
        if task.actual_start and task.actual_finish and task.actual_finish < task.actual_start:
            problems.append(Problem(_("ActualFinish is before ActualStart."), where=_where(uid)))
        for link_el in el:
            if _local(link_el.tag) != "PredecessorLink":
                continue
            pred = _int(_text(link_el, "PredecessorUID"))
            link_type = _int(_text(link_el, "Type"), 1)
            lag = _int(_text(link_el, "LinkLag"), 0)
            lag_format = _int(_text(link_el, "LagFormat"), LAG_FORMAT_DAYS)
            if pred is None:
                problems.append(Problem(_("A predecessor link has no valid PredecessorUID."), where=_where(uid)))
            elif _text(link_el, "CrossProject") == "1":
                problems.append(Problem(_("Links to other projects are not supported."), where=_where(uid)))
            elif link_type not in MSPDI_TO_TYPE:
                problems.append(Problem(_("Link type %(type)s is unknown (0=FF, 1=FS, 2=SF, 3=SS).")
                                        % {"type": _text(link_el, "Type")}, where=_where(uid)))
            elif lag is None:
                problems.append(Problem(_("LinkLag is not a whole number."), where=_where(uid)))
            elif lag_format in PERCENT_LAG_FORMATS:
                # a share of the predecessor's duration: counted once every duration is read
                task.links.append((pred, MSPDI_TO_TYPE[link_type], ("%", lag)))
            else:
                days = round(units.working_days(lag / 10, lag_format in ELAPSED_FORMATS))
                if not -500 <= days <= 500:
                    problems.append(Problem(_("The lag must be between -500 and 500 working days."),
                                            where=_where(uid)))
                else:
                    task.links.append((pred, MSPDI_TO_TYPE[link_type], days))
        parsed.append(task)
    if problems:
        raise ImportFailed(problems)
    percent_lags = _percent_lags(parsed, problems)
    if problems:
        raise ImportFailed(problems)

    # Level-1 summaries are phases; their descendants (in document order) belong to them.
    phase = ""
    work, summaries = [], {}
    for task in parsed:
        if task.level <= 1:
            phase = task.name if task.summary else ""
        if task.summary:
            summaries[task.uid] = task
            continue
        task.phase = phase
        work.append(task)
    if not work:
        raise ImportFailed([Problem(_("The file has no tasks (only the project or summary tasks): nothing was "
                                      "imported."))])
    expanded = _expand_summary_links(work, summaries)
    uids = {task.uid for task in work}
    for task in work:
        linked = set()
        for pred, _type, _lag in task.links:
            if pred in linked:
                problems.append(Problem(_("The predecessor UID %(pred)s is listed twice.") % {"pred": pred},
                                        where=_where(task.uid)))
                continue
            linked.add(pred)
            if pred not in uids:
                problems.append(Problem(_("The predecessor UID %(pred)s is not in the file.") % {"pred": pred},
                                        where=_where(task.uid)))
            elif pred == task.uid:
                problems.append(Problem(_("A task cannot depend on itself."), where=_where(task.uid)))
    if not problems:
        cycle = find_cycle([t.uid for t in work], [(pred, t.uid) for t in work for pred, _ty, _la in t.links])
        if cycle:
            problems.append(Problem(_("These links form a cycle: %(cycle)s.")
                                    % {"cycle": cycle_text(cycle, {t.uid: t.name for t in work})},
                                    where=_where(cycle[0])))
    if problems:
        raise ImportFailed(problems)
    content = FileContent(work, expanded, _read_date(root, "StartDate", [], 0),
                          _text(root, "Title") or re.sub(r"\.xml$", "", _text(root, "Name"), flags=re.I))
    content.finish = _read_date(root, "FinishDate", [], 0)
    content.subject, content.category = _text(root, "Subject")[:100], _text(root, "Category")[:100]
    content.percent_lags = percent_lags
    content.baseline_names = baseline_names
    content.calendar = _file_calendar(root)
    return content


def _baseline_names(el, defined):
    """[{"name", "launch"}] by baseline number, from our export's custom field on the project task."""
    values = [_text(child, "Value") for child in el if _local(child.tag) == "ExtendedAttribute"
              and defined.get(_text(child, "FieldID")) == "baselines"]
    try:
        names = json.loads(values[0]) if values else []
    except ValueError:
        return []
    if not isinstance(names, list):
        return []
    out = []
    for item in names[:MAX_BASELINES]:
        item = item if isinstance(item, dict) else {}
        name = item.get("name") if isinstance(item.get("name"), str) else ""
        try:
            launch = datetime.date.fromisoformat(item.get("launch") or "")
            validate_plan_date(launch)
        except (TypeError, ValueError, ValidationError):
            launch = None
        out.append({"name": name.strip()[:120], "launch": launch})
    return out


def _percent_lags(parsed, problems):
    """Lags given as a percentage of the predecessor's duration (MS Project's "50%"), as whole working
    days of that duration; returns how many there were."""
    durations = {task.uid: task.duration or 0 for task in parsed}
    count = 0
    for task in parsed:
        links = []
        for pred, link_type, lag in task.links:
            if isinstance(lag, tuple):
                count += 1
                lag = round(durations.get(pred, 0) * lag[1] / 100)
                if not -500 <= lag <= 500:
                    problems.append(Problem(_("The lag must be between -500 and 500 working days."),
                                            where=_where(task.uid)))
                    continue
            links.append((pred, link_type, lag))
        task.links = links
    return count


def _file_calendar(root):
    """(working weekdays as date.weekday() numbers, {date: working} exceptions) of the project's calendar;
    None when the file defines no working week (then MS Project's standard one applies)."""
    calendars = _child(root, "Calendars")
    uid = _text(root, "CalendarUID") or "1"
    calendar = next((el for el in (calendars if calendars is not None else [])
                     if _local(el.tag) == "Calendar" and _text(el, "UID") == uid), None)
    if calendar is None:
        return None
    week, exceptions = {0, 1, 2, 3, 4}, {}
    week_days = _child(calendar, "WeekDays")
    periods = []
    for day in week_days if week_days is not None else []:
        day_type = _int(_text(day, "DayType"))
        working = _text(day, "DayWorking") == "1"
        if day_type is not None and 1 <= day_type <= 7:
            weekday = (day_type + 5) % 7  # 1 = Sunday -> 6
            week = week | {weekday} if working else week - {weekday}
        elif day_type == 0:
            periods.append((day, working))
    holder = _child(calendar, "Exceptions")  # MS Project 2007 and later
    periods += [(el, _text(el, "DayWorking") == "1") for el in (holder if holder is not None else [])
                if _local(el.tag) == "Exception"]
    for el, working in periods:
        period = _child(el, "TimePeriod")
        first = _read_date(period, "FromDate", [], 0) if period is not None else None
        last = _read_date(period, "ToDate", [], 0) if period is not None else None
        if first and last and (last - first).days <= 3660:
            for n in range((last - first).days + 1):
                exceptions[first + datetime.timedelta(days=n)] = working
    return week, exceptions


def calendar_differences(plan, content, *, limit_days=3 * 366):
    """The days between the file's first start and last finish that the file's calendar and the plan's
    count differently (a holiday MS Project works, a 调休 Saturday it does not...)."""
    if not content.calendar:
        return []
    week, exceptions = content.calendar
    days = [day for item in content for day in (item.start, item.actual_start, item.actual_finish) if day]
    days += [day for day in (content.start, content.finish) if day]
    if not days:
        return []
    first, last = min(days), max(days)
    last = min(last, first + datetime.timedelta(days=limit_days))
    calendar = scheduling.plan_calendar(plan)
    differ, day = [], first
    while day <= last:
        theirs = exceptions.get(day, day.weekday() in week)
        try:
            ours = calendar.is_working(day)
        except ValueError:  # outside the calendar's years
            break
        if theirs != ours:
            differ.append(day)
        day += datetime.timedelta(days=1)
    return differ


class FileContent(list):
    """The file's work tasks, with what reading it decided: links expanded from summaries."""

    def __init__(self, tasks, expanded_links, start=None, title=""):
        super().__init__(tasks)
        self.expanded_links = expanded_links  # how many of the file's links touched a summary task
        self.start = start
        self.title = title
        self.kept_starts = 0  # starts of the file kept as "start no earlier than" (set by plan_changes)
        self.finish = None
        self.subject = self.category = ""  # the product and scenario, in our exports
        self.percent_lags = 0  # lags the file gives as a percentage of the predecessor's duration
        self.baseline_names = []  # [{"name", "launch"}] by baseline number (our exports)
        self.calendar = None  # (working weekdays, {date: working}) of the file's project calendar
        self.calendar_differences = []  # days the plan's calendar counts otherwise (set by plan_changes)


def _expand_summary_links(work, summaries):
    """MS Project allows links to and from summary tasks; the plan links tasks. A link from a summary
    becomes one from each of its tasks (the successor waits for all of them), a link to a summary one
    to each of its tasks. A task keeps its own link where both exist. Returns how many of the file's
    links touched a summary task."""
    leaves = {uid: [] for uid in summaries}
    for task in work:
        for ancestor in task.parent_summaries:
            leaves[ancestor].append(task.uid)
    expanded = sum(len(summary.links) for summary in summaries.values()) + sum(
        1 for task in work for pred, _type, _lag in task.links if pred in summaries)

    def preds(pred):
        return leaves[pred] if pred in summaries else [pred]

    by_uid = {task.uid: task for task in work}
    inherited = {task.uid: [] for task in work}
    for summary in summaries.values():
        for leaf in leaves[summary.uid]:
            inherited[leaf].extend(summary.links)
    for task in work:
        own, seen = [], set()
        for pred, link_type, lag in task.links + inherited[task.uid]:
            for each in preds(pred):
                if each in seen or each == task.uid and pred in summaries or (
                        each in by_uid and pred in task.parent_summaries):
                    continue
                seen.add(each)
                own.append((each, link_type, lag))
        task.links = own
    return expanded


def _first_working_day(plan):
    """Today, or the next working day: where the plan puts unfinished work that nothing holds."""
    calendar, day = scheduling.plan_calendar(plan), timezone.localdate()
    for _attempt in range(40):
        if calendar.is_working(day):
            break
        day += datetime.timedelta(days=1)
    return day


def _kept_start(item, plan_start, file_start, earliest):
    """The file's start kept as "start no earlier than" where nothing else in the plan would hold it:
    a manually scheduled task, or a task without predecessors that MS Project starts later than the
    project's start (e.g. levelled) and later than the plan's; None otherwise. A start up to
    ``earliest`` (today's working day) adds nothing: unfinished work is never scheduled earlier."""
    if (item.actual_start or item.start_no_earlier_than or item.must_start_on or not item.start
            or item.start <= earliest):
        return None
    if item.manual or (not item.links and item.start > max(filter(None, (plan_start, file_start)))):
        return item.start
    return None


NOT_KEPT = {CONSTRAINT_ALAP: gettext_lazy("as late as possible"),
            CONSTRAINT_SNLT: gettext_lazy("start no later than"),
            CONSTRAINT_FNET: gettext_lazy("finish no earlier than")}


def _names(names, limit=5):
    """The first ``limit`` names, "…" when there are more."""
    return "、".join(names[:limit]) + ("…" if len(names) > limit else "")


def _summary_notes(work, kept_starts):
    """Sentences for the import summary: what the plan will do differently from MS Project."""
    notes = []
    dropped = {}
    for item in work:
        if item.constraint in NOT_KEPT:
            dropped.setdefault(item.constraint, []).append(item.name)
    if dropped:
        count = sum(len(names) for names in dropped.values())
        kinds = "; ".join(f"{NOT_KEPT[kind]} ({'、'.join(names[:5])}{'…' if len(names) > 5 else ''})"
                          for kind, names in sorted(dropped.items()))
        notes.append(ngettext("%(count)s constraint of these kinds was not kept: %(kinds)s.",
                              "%(count)s constraints of these kinds were not kept: %(kinds)s.", count)
                     % {"count": count, "kinds": kinds})
    must_start = [item.name for item in work if item.constraint == CONSTRAINT_MSO]
    if must_start:
        notes.append(ngettext("%(count)s “must start on” is kept as a fixed start (a predecessor finishing later "
                              "is reported, never moves it): %(names)s.",
                              "%(count)s “must start on” are kept as fixed starts (a predecessor finishing later "
                              "is reported, never moves them): %(names)s.", len(must_start))
                     % {"count": len(must_start), "names": _names(must_start)})
    must_finish = [item.name for item in work if item.constraint == CONSTRAINT_MFO and item.must_start_on]
    if must_finish:
        notes.append(ngettext("%(count)s “must finish on” became a fixed start, its duration before that finish "
                              "(a longer duration later moves the finish, not the start): %(names)s.",
                              "%(count)s “must finish on” became fixed starts, their durations before those "
                              "finishes (a longer duration later moves the finish, not the start): %(names)s.",
                              len(must_finish))
                     % {"count": len(must_finish), "names": _names(must_finish)})
    finish_by = sum(1 for item in work if item.constraint == CONSTRAINT_FNLT)
    if finish_by:
        notes.append(ngettext("%(count)s “finish no later than” became a deadline.",
                              "%(count)s “finish no later than” became deadlines.", finish_by) % {"count": finish_by})
    if kept_starts:
        notes.append(ngettext("%(count)s task keeps its start in the file as “start no earlier than” (manually "
                              "scheduled, or without predecessors).",
                              "%(count)s tasks keep their start in the file as “start no earlier than” (manually "
                              "scheduled, or without predecessors).", kept_starts) % {"count": kept_starts})
    elapsed = sum(1 for item in work if item.elapsed)
    if elapsed:
        notes.append(ngettext("%(count)s elapsed duration (calendar time) was counted as working days, 5 for 7.",
                              "%(count)s elapsed durations (calendar time) were counted as working days, 5 for 7.",
                              elapsed) % {"count": elapsed})
    crowded = [item.name for item in work if item.other_resources]
    if crowded:
        notes.append(ngettext("%(count)s task has more than one resource in the file; only the first became its "
                              "owner (%(names)s).",
                              "%(count)s tasks have more than one resource in the file; only the first became "
                              "their owner (%(names)s).", len(crowded))
                     % {"count": len(crowded), "names": _names(crowded)})
    unknown = getattr(work, "unknown_owners", [])
    if unknown:
        notes.append(_("Resources that are not stakeholders of this plan were not set as owners: %(names)s.")
                     % {"names": _names(unknown, 8)})
    percent_lags = getattr(work, "percent_lags", 0)
    if percent_lags:
        notes.append(ngettext("%(count)s lag given as a percentage of its predecessor's duration was counted in "
                              "working days of that duration (it no longer follows the duration).",
                              "%(count)s lags given as a percentage of their predecessors' durations were counted "
                              "in working days of those durations (they no longer follow the durations).",
                              percent_lags) % {"count": percent_lags})
    own_calendar = [item.name for item in work if item.own_calendar]
    if own_calendar:
        notes.append(ngettext("%(count)s task has a calendar of its own in MS Project, which was not kept: the "
                              "plan's calendar counts for it (%(names)s).",
                              "%(count)s tasks have calendars of their own in MS Project, which were not kept: "
                              "the plan's calendar counts for them (%(names)s).", len(own_calendar))
                     % {"count": len(own_calendar), "names": _names(own_calendar)})
    differ = getattr(work, "calendar_differences", [])
    if differ:
        shown = "、".join(day.isoformat() for day in differ[:6]) + ("…" if len(differ) > 6 else "")
        notes.append(ngettext("The file's calendar counts %(count)s day otherwise than the plan's (%(days)s): the "
                              "plan's calendar (official holidays and its own days off) counts, so dates around "
                              "it may differ from MS Project.",
                              "The file's calendar counts %(count)s days otherwise than the plan's (%(days)s): the "
                              "plan's calendar (official holidays and its own days off) counts, so dates around "
                              "them may differ from MS Project.", len(differ)) % {"count": len(differ), "days": shown})
    expanded = getattr(work, "expanded_links", 0)
    if expanded:
        notes.append(ngettext("%(count)s link to or from a summary task now links each of its tasks.",
                              "%(count)s links to or from summary tasks now link each of their tasks.",
                              expanded) % {"count": expanded})
    return notes


def task_guid(task):
    """The GUID a task travels with: the one of the MS Project file it came from, else one made from the
    plan and the task (stable, so that our own export imported again into this plan updates it)."""
    return task.msproject_guid or str(uuid.uuid5(uuid.NAMESPACE_URL, f"paasport:plan:{task.plan_id}:task:{task.pk}")
                                      ).upper()


@dataclass
class Change:
    """What importing one task of the file does to the plan (the preview lists these)."""

    item: _Parsed
    task: Task | None  # the plan's task it updates, or None when it creates one
    fields: dict = field(default_factory=dict)  # field name -> (value now, value from the file)
    links: bool = False  # its predecessors change

    @property
    def changed(self):
        return self.task is None or bool(self.fields) or self.links


FIELDS = ("title", "phase", "description", "duration", "is_milestone", "start_no_earlier_than", "must_start_on",
          "deadline", "status", "percent_complete", "actual_start", "actual_finish")


def _wanted(item, task, lookups):
    """The task's values from the file; ``lookups`` = (stakeholders by name, flows by name) of the plan."""
    status = (Task.Status.DONE if item.percent == 100 else
              Task.Status.IN_PROGRESS if item.percent or item.actual_start else Task.Status.NOT_STARTED)
    written = item.custom.get("status")
    if written in Task.Status.values and (written == Task.Status.DONE) == (status == Task.Status.DONE):
        status = written  # our export's status (blocked, in progress without progress yet...)
    elif task is not None and status != Task.Status.DONE and (
            (item.percent, item.actual_start) == (task.percent_complete, task.actual_start)
            or task.status == Task.Status.BLOCKED):
        status = task.status  # the file says nothing new about progress: blocked or in progress stays
    values = {"title": item.name, "phase": item.phase.strip()[:120], "description": item.notes,
              "duration": item.duration, "is_milestone": item.milestone,
              "start_no_earlier_than": item.start_no_earlier_than, "must_start_on": item.must_start_on,
              "deadline": item.deadline, "status": status,
              "percent_complete": item.percent, "actual_start": item.actual_start,
              "actual_finish": item.actual_finish}
    if item.custom.get("visibility") in Visibility.values:
        values["visibility"] = item.custom["visibility"]
    priority = _int(item.custom.get("priority", ""))
    if "priority" in item.custom and (priority is None or -100 <= priority <= 100):
        values["priority_override"] = priority
    owners, flows = lookups
    if item.owner_name in owners:
        values["owner"] = owners[item.owner_name]
    if item.custom.get("business") in flows:
        values["related_flow"] = flows[item.custom["business"]]
    return values


def _lookups(plan):
    owners, flows = {}, {}
    for member in plan.plan_stakeholders.select_related("stakeholder"):
        owners.setdefault(member.stakeholder.name.strip(), member)
    for flow in plan.flows.all():
        flows.setdefault(flow.name.strip(), flow)
    return owners, flows


def _watchouts_of(task):
    return [(item.text, item.done) for item in task.watchouts.all()]


def plan_changes(plan, work):
    """One :class:`Change` per task of the file: a task of the plan with the same GUID is updated,
    the others are created. The file's starts that the plan keeps are set on the items first."""
    tasks = list(Task.objects.filter(plan=plan).select_related("phase", "owner", "related_flow")
                 .prefetch_related("predecessor_links", "watchouts"))
    by_guid = {task_guid(task): task for task in tasks}
    earliest = _first_working_day(plan)
    calendar = scheduling.plan_calendar(plan)
    work.kept_starts = 0
    work.calendar_differences = calendar_differences(plan, work) if isinstance(work, FileContent) else []
    work.lookups = _lookups(plan)
    work.unknown_owners = sorted({item.owner_name for item in work
                                  if item.owner_name and item.owner_name not in work.lookups[0]})
    changes = []
    for item in work:
        if item.must_finish_on and not item.must_start_on:
            item.must_start_on = _start_for_finish(calendar, item.must_finish_on, item.duration)
        kept = _kept_start(item, plan.start_date, getattr(work, "start", None), earliest)
        if kept:
            item.start_no_earlier_than = kept
            work.kept_starts += 1
        task = by_guid.get(item.guid.upper()) if item.guid else None
        change = Change(item, task)
        if task is not None:
            now = {name: getattr(task, name) for name in FIELDS if name != "phase"}
            now["phase"] = task.phase.name if task.phase else ""
            now["visibility"], now["owner"], now["related_flow"] = task.visibility, task.owner, task.related_flow
            now["priority_override"] = task.priority_override
            for name, value in _wanted(item, task, work.lookups).items():
                if now[name] != value:
                    change.fields[name] = (now[name], value)
            if item.watchouts is not None and item.watchouts != _watchouts_of(task):
                change.fields["watchouts"] = (_watchouts_of(task), item.watchouts)
        changes.append(change)
    # The plan's launch is kept as the plan names it (the file's is taken only by a plan naming none), so a
    # file must not turn it into a task: refused, as the task form refuses it.
    unmilestoned = [change for change in changes if change.task is not None and change.task.is_launch
                    and change.fields.get("is_milestone", (True, True))[1] is False]
    if unmilestoned:
        raise ImportFailed([Problem(_("This is the plan's launch milestone, so it stays a milestone: name another "
                                      "launch milestone on the Schedule page first."),
                                    where=f"{_where(change.item.uid)} ({change.task.title})")
                            for change in unmilestoned])
    pk_of = {change.item.uid: change.task.pk for change in changes if change.task}
    in_file = set(pk_of.values())
    for change in changes:
        if change.task is not None:
            current = {(link.predecessor_id, link.type, link.lag) for link in change.task.predecessor_links.all()
                       if link.predecessor_id in in_file}
            wanted = {(pk_of.get(pred, f"new-{pred}"), link_type, lag) for pred, link_type, lag in change.item.links}
            change.links = current != wanted
    return changes


def _start_for_finish(calendar, finish, duration):
    """The fixed start that ends ``duration`` working days of work on ``finish`` (a day off: the
    working day before it), in the plan's calendar."""
    end = calendar.period_of(finish + datetime.timedelta(days=1))  # the first period after the finish
    try:
        return calendar.date_of(end - duration if duration else end - 1)
    except (ValueError, OverflowError):  # before the calendar's first day: keep the finish's own day
        return finish


def _baseline_name(work, number):
    names = work.baseline_names
    if number < len(names) and names[number]["name"]:
        return names[number]["name"]
    return _("MS Project baseline") if number == 0 else _("MS Project baseline %(number)s") % {"number": number}


def _baselines_to_add(plan, work):
    """([(MS Project's number, name)] of the file's baselines the plan gets, oldest first (so that the
    newest stays the newest), [names the plan has already: left as the plan has them])."""
    existing = set(plan.baselines.values_list("name", flat=True))
    added, kept = [], []
    for number in sorted({number for item in work for number in item.baselines}, reverse=True):
        name = _baseline_name(work, number)
        if name in existing:
            kept.append(name)
        else:
            added.append((number, name))
            existing.add(name)
    return added, kept


def _baseline_notes(created, kept):
    notes = []
    if created:
        notes.append(ngettext("%(count)s baseline of the file was added to the plan: %(names)s.",
                              "%(count)s baselines of the file were added to the plan: %(names)s.", len(created))
                     % {"count": len(created), "names": "、".join(created)})
    if kept:
        notes.append(ngettext("%(count)s baseline of the file has the name of one of the plan's and was not "
                              "imported: %(names)s.",
                              "%(count)s baselines of the file have the names of the plan's and were not "
                              "imported: %(names)s.", len(kept)) % {"count": len(kept), "names": "、".join(kept)})
    return notes


def _import_baselines(plan, work, saved):
    """The file's baselines as the plan's. Returns the sentences for the summary."""
    added, kept = _baselines_to_add(plan, work)
    for number, name in added:
        launch = work.baseline_names[number]["launch"] if number < len(work.baseline_names) else None
        if launch is None:
            launch = next((item.baselines[number][1] for item in work if item.launch and number in item.baselines),
                          None)
        baseline = Baseline.objects.create(plan=plan, name=name, launch_date=launch)
        BaselineTask.objects.bulk_create(
            BaselineTask(baseline=baseline, task=saved[item.uid], title=saved[item.uid].title,
                         start=item.baselines[number][0], finish=item.baselines[number][1])
            for item in work if number in item.baselines)
    return _baseline_notes([name for _number, name in added], kept)


def preview_xml(plan, data):
    """What importing the file would do, without writing: (changes, notes)."""
    work = read_xml(data)
    changes = plan_changes(plan, work)
    added, kept = _baselines_to_add(plan, work)
    return changes, _summary_notes(work, work.kept_starts) + _baseline_notes([name for _n, name in added], kept)


def _state(task):
    """What the import reads of a task it updates: its version, and the versions of the rows that carry
    the rest of what it compares (its phase's name, its predecessor links, its watch-outs), none of
    which bumps the task's own version when edited."""
    return (task.version, task.phase.version if task.phase else None,
            tuple(sorted((link.pk, link.version) for link in task.predecessor_links.all())),
            tuple(sorted((item.pk, item.version) for item in task.watchouts.all())))


def seen_in_preview(changes):
    """{task id: (title, state)} of the plan's tasks the file updates, as the preview showed them: kept
    with the preview, so that applying it later can tell whether any of them changed meanwhile."""
    return {change.task.pk: (change.task.title, _state(change.task)) for change in changes if change.task}


class PreviewStale(ImportFailed):
    """Tasks the file updates changed (or went, or appeared) since the preview: the preview no longer
    says what applying it would do, and applying it could write the file's older values over someone's
    edit. Nothing is written; ``tasks`` names them."""

    def __init__(self, tasks):
        self.tasks = tasks
        super().__init__([Problem(ngettext(
            "Nothing was imported: %(count)s task this file updates was changed in Paasport since the "
            "preview (%(names)s).",
            "Nothing was imported: %(count)s tasks this file updates were changed in Paasport since the "
            "preview (%(names)s).", len(tasks)) % {"count": len(tasks), "names": _names(tasks, limit=10)})])


def _check_preview(changes, seen):
    now = seen_in_preview(changes)
    stale = [now[pk][0] if pk in now else seen[pk][0] for pk in sorted(set(now) | set(seen))
             if now.get(pk, (None, None))[1] != seen.get(pk, (None, None))[1]]
    if stale:
        raise PreviewStale(stale)


def import_xml(plan, data, *, seen=None):
    """Create the file's tasks and links in the plan, or update the tasks an earlier import of the same
    file created (matched by the file's task GUIDs). Returns an ImportResult.

    ``seen``: what the preview showed (:func:`seen_in_preview`); any task of it changed since (or a task
    the file now updates that the preview did not show) refuses the import with :class:`PreviewStale`,
    so a confirmed preview never writes the file's values over an edit made after it.
    Called by sharing.services.import_msproject (the plan's lock, one reschedule).
    """
    work = read_xml(data)
    changes = plan_changes(plan, work)
    if seen is not None:
        _check_preview(changes, seen)
    result = ImportResult(plan=plan)
    phases = {phase.name.strip(): phase for phase in plan.phases.order_by("-position", "-id")}
    next_phase = max((phase.position for phase in phases.values()), default=-1) + 1
    positions = {}
    for task in Task.objects.filter(plan=plan).only("phase_id", "position"):
        positions[task.phase_id] = max(positions.get(task.phase_id, -1), task.position)
    saved = {}
    for change in changes:
        item = change.item
        values = _wanted(item, change.task, work.lookups)
        phase = None
        if values["phase"]:
            phase = phases.get(values["phase"])
            if phase is None:
                phase = phases[values["phase"]] = Phase.objects.create(plan=plan, name=values["phase"],
                                                                       position=next_phase)
                next_phase += 1
                result.phases_created.append(phase.name)
        values["phase"] = phase
        task = change.task
        if task is None:
            key = phase.pk if phase else None
            positions[key] = positions.get(key, -1) + 1
            task = Task.objects.create(plan=plan, position=positions[key], msproject_guid=item.guid.upper(),
                                       **values)
            result.created += 1
        elif change.fields or change.links:
            for name in change.fields:
                if name != "watchouts":
                    setattr(task, name, values[name])
            if "phase" in change.fields:
                key = phase.pk if phase else None
                positions[key] = positions.get(key, -1) + 1
                task.position = positions[key]
            bump(task)
            task.save()
            result.updated += 1
        else:
            result.unchanged += 1
        saved[item.uid] = task
        if item.watchouts is not None and (change.task is None or "watchouts" in change.fields):
            WatchOut.objects.filter(task=task).delete()
            WatchOut.objects.bulk_create(WatchOut(task=task, text=text, done=done, position=n)
                                         for n, (text, done) in enumerate(item.watchouts))
    in_file = {task.pk for task in saved.values()}
    TaskLink.objects.filter(successor__in=[change.task for change in changes if change.links],
                            predecessor__in=in_file).delete()
    links = [TaskLink(predecessor=saved[pred], successor=saved[change.item.uid], type=link_type, lag=lag)
             for change in changes if change.task is None or change.links
             for pred, link_type, lag in change.item.links]
    TaskLink.objects.bulk_create(links)
    result.links = len(links)
    result.notes = _summary_notes(work, work.kept_starts) + _import_baselines(plan, work, saved)
    launch = next((saved[item.uid] for item in work if item.launch), None)
    if launch is not None and not Task.objects.filter(plan=plan, is_launch=True).exists():
        launch.is_launch = True
        bump(launch)  # a change of a versioned row: a form open on it must not save over it
        launch.save(update_fields=["is_launch", "version"])
    return result
