"""A year's official holiday schedule: reading it as a person pastes it, where each year's days off
come from, and saving one (which reschedules every plan whose dates run through that year).

The State Council publishes next year's schedule each autumn; until it is entered here the
calendar counts that year's statutory holidays as python-holidays computes them, with no 调休
make-up working days, and every page says so (``scheduling.holiday_notes``).

One parser serves the staff page and ``manage.py import_holidays``. It reads, line by line:

* the notice's own sentences: "二、春节：2月6日（农历除夕、周六）至12日（农历正月初七、周五）放假调休，
  共7天。2月20日（周六）上班。" — dates take the kind of the keyword after them (放假/休 = off,
  上班/班 = working day), or before them when none follows ("上班：2月20日");
* one date a line: "2027-01-01 holiday", "2027-02-20 workday", "2027年2月20日 班";
* ranges with 至 / 到 / ~ / – ("2月6日至12日", "2027-02-06 ~ 2027-02-12");
* a JSON document {"year": 2027, "holidays": [...], "makeup_workdays": [...]} (or a list of them).

Dates without a year take the year being entered. A line with dates but no keyword, a date that
does not exist, or a make-up day on a weekday is an error naming its line.
"""
import datetime
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from onboarding.models import Plan
from onboarding.services import plan_write

from . import scheduling
from .engine.calendar import FIRST_DATE, LAST_DATE, provisional_holidays, year_source
from .models import OfficialHolidayYear
from .services import rescheduled

OFF, WORK = "off", "work"
# Longest run a range may span: the longest official holiday is 8–9 days; more is surely a typo.
MAX_RANGE_DAYS = 15

_DATE = re.compile(
    r"(?P<iso>(?P<iy>\d{4})\s*[-/.]\s*(?P<im>\d{1,2})\s*[-/.]\s*(?P<id>\d{1,2}))(?!\d)"
    r"|(?P<cn>(?:(?P<cy>\d{4})\s*年\s*)?(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号])"
    r"|(?<![\d月])(?P<day>(?P<dd>\d{1,2})\s*[日号])"
)
# Longer words first: "workday" before "work", "上班" before "班".
_KEYWORD = re.compile(
    r"(?P<work>调休上班|上班|补班|班|\bworkdays?\b|\bworking\s+days?\b|\bwork\b)"
    r"|(?P<off>放假|休息|休|\bholidays?\b|\bdays?\s+off\b|\boff\b)",
    re.IGNORECASE,
)
_RANGE = {"至", "到", "~", "-", "–", "—", "－", "～"}
_CLAUSES = re.compile(r"[。;,]")
_BRACKETS = re.compile(r"\([^)]*\)")
_YEAR_HINT = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月)")


@dataclass
class ParsedLine:
    """A line that gave dates: what it said and what was understood."""

    number: int
    text: str
    off: list = field(default_factory=list)
    work: list = field(default_factory=list)

    def runs(self):
        """[(kind, first, last, count)]: days off, then make-up working days, consecutive days merged."""
        out = []
        for kind, days in ((OFF, self.off), (WORK, self.work)):
            for day in sorted(set(days)):
                if out and out[-1][0] == kind and out[-1][2] + datetime.timedelta(days=1) == day:
                    out[-1] = (kind, out[-1][1], day, out[-1][3] + 1)
                else:
                    out.append((kind, day, day, 1))
        return out


@dataclass
class ParsedSchedule:
    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # [(line number or 0, message)]

    @property
    def errors(self):
        """The messages, in line order ("Line 3: …")."""
        return [message for _number, message in sorted(self.problems, key=lambda problem: problem[0])]

    def problem(self, number, message):
        self.problems.append((number, _line_error(number, message) if number else message))

    def years(self):
        """{year: {"holidays": [YYYY-MM-DD, ...], "makeup_workdays": [...]}}, sorted."""
        years = {}
        for line in self.lines:
            for kind, days in (("holidays", line.off), ("makeup_workdays", line.work)):
                for day in days:
                    entry = years.setdefault(day.year, {"holidays": set(), "makeup_workdays": set()})
                    entry[kind].add(day)
        return {year: {kind: [day.isoformat() for day in sorted(days)] for kind, days in entry.items()}
                for year, entry in sorted(years.items())}

    def counts(self):
        days = self.years()
        return (sum(len(entry["holidays"]) for entry in days.values()),
                sum(len(entry["makeup_workdays"]) for entry in days.values()))


def _line_error(number, message):
    return _("Line %(number)d: %(message)s") % {"number": number, "message": message}


def parse_holidays(text, *, year=None):
    """Read a pasted schedule. ``year``: the year being entered (dates without one take it, and
    every date must be in it); without it, a "2027年" in the text gives the default year."""
    text = text or ""
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        parsed = _parse_json(stripped)
    else:
        default_year = year
        if default_year is None:
            hint = _YEAR_HINT.search(unicodedata.normalize("NFKC", text))
            default_year = int(hint.group(1)) if hint else None
        parsed = ParsedSchedule()
        for number, raw in enumerate(text.splitlines(), start=1):
            _parse_line(parsed, number, raw, default_year)
    _check(parsed, year)
    return parsed


def _parse_line(parsed, number, raw, default_year):
    # Full-width digits and punctuation (１２月，（周六）) read like their ASCII forms.
    line = _BRACKETS.sub(" ", unicodedata.normalize("NFKC", raw).split("#", 1)[0])
    if not line.strip():
        return
    understood = ParsedLine(number=number, text=raw.strip())
    context = {"year": None, "previous": None}
    errors = []
    for clause in _CLAUSES.split(line):
        _parse_clause(clause, understood, context, default_year, errors)
    if errors:
        for message in errors:
            parsed.problem(number, message)
    elif understood.off or understood.work:
        parsed.lines.append(understood)


def _parse_clause(clause, understood, context, default_year, errors):
    tokens = sorted([("date", m) for m in _DATE.finditer(clause)] + [("kind", m) for m in _KEYWORD.finditer(clause)],
                    key=lambda token: token[1].start())
    pending, last_kind = [], None
    previous_end, previous_match = None, None
    for what, match in tokens:
        if what == "kind":
            last_kind = OFF if match.group("off") else WORK
            for day in pending:
                (understood.off if last_kind == OFF else understood.work).append(day)
            pending = []
            previous_end = None
            continue
        joined = previous_end is not None and clause[previous_match.end():match.start()].strip() in _RANGE
        day = _token_date(match, context, default_year, errors, range_start=previous_end if joined else None)
        if day is None:
            return
        if joined:
            span = (day - previous_end).days
            if span < 0:
                errors.append(_("the range “%(text)s” ends before it starts.")
                              % {"text": clause[previous_match.start():match.end()].strip()})
                return
            if span >= MAX_RANGE_DAYS:
                errors.append(_("the range “%(text)s” spans %(days)d days: a holiday is shorter.")
                              % {"text": clause[previous_match.start():match.end()].strip(), "days": span + 1})
                return
            pending.extend(previous_end + datetime.timedelta(days=n) for n in range(1, span + 1))
            previous_end, previous_match = None, None
            continue
        pending.append(day)
        previous_end, previous_match = day, match
    if pending:
        if last_kind is None:
            listed = "、".join(day.isoformat() for day in pending[:3]) + ("…" if len(pending) > 3 else "")
            errors.append(_("%(dates)s: are these days off (放假 / holiday) or make-up working days "
                            "(上班 / workday)? Say which, or remove the line.") % {"dates": listed})
            return
        (understood.off if last_kind == OFF else understood.work).extend(pending)


def _token_date(match, context, default_year, errors, range_start=None):
    """The date a token names; None (with an error) when it names none."""
    text = match.group(0).strip()
    if match.group("iso"):
        year, month, day = int(match.group("iy")), int(match.group("im")), int(match.group("id"))
    elif match.group("cn"):
        year = int(match.group("cy")) if match.group("cy") else (context["year"] or default_year)
        month, day = int(match.group("cm")), int(match.group("cd"))
    else:  # "12日": the month (and year) of the range's start or of the date before it
        anchor = range_start or context["previous"]
        if anchor is None:
            errors.append(_("“%(text)s” has no month.") % {"text": text})
            return None
        year, month, day = anchor.year, anchor.month, int(match.group("dd"))
        if range_start is not None and day < range_start.day:  # "1月30日至2日" runs into February
            month = month % 12 + 1
            year += month == 1
    if year is None:
        errors.append(_("“%(text)s” has no year: write it as 2027年%(text)s, or enter the year above.")
                      % {"text": text})
        return None
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        errors.append(_("“%(text)s” is not a date.") % {"text": text})
        return None
    if match.group("iso") or match.group("cy"):
        context["year"] = year
    context["previous"] = found
    return found


def _parse_json(text):
    parsed = ParsedSchedule()
    try:
        documents = json.loads(text)
    except json.JSONDecodeError as error:
        parsed.problem(0, _("Not valid JSON: %(error)s") % {"error": error})
        return parsed
    for document in documents if isinstance(documents, list) else [documents]:
        try:
            year = int(document["year"])
            holidays = [datetime.date.fromisoformat(str(d)) for d in document.get("holidays", [])]
            makeup = [datetime.date.fromisoformat(str(d)) for d in document.get("makeup_workdays", [])]
        except (KeyError, TypeError, ValueError, AttributeError):
            parsed.problem(0, _('Each JSON document needs "year", "holidays" and "makeup_workdays" '
                                "(dates as YYYY-MM-DD)."))
            continue
        if not holidays and not makeup:
            parsed.problem(0, _("%(year)s: the document lists no holidays and no make-up working days.")
                           % {"year": year})
            continue
        stray = [day for day in holidays + makeup if day.year != year]
        if stray:
            parsed.problem(0, _("%(date)s is not in %(year)s.") % {"date": stray[0], "year": year})
            continue
        parsed.lines.append(ParsedLine(number=0, text=f"JSON {year}", off=holidays, work=makeup))
    return parsed


def _check(parsed, year):
    """Errors no single line shows: a date both off and worked, a make-up weekday, a wrong year."""
    if not parsed.lines:
        if not parsed.problems:
            parsed.problem(0, _("The text lists no dates."))
        return
    off_lines = {}
    for line in parsed.lines:
        for day in line.off:
            off_lines.setdefault(day, line.number)
    for line in parsed.lines:
        for day in sorted(set(line.off) | set(line.work)):
            if year is not None and day.year != year:
                parsed.problem(line.number, _("%(date)s is not in %(year)s.") % {"date": day, "year": year})
            elif not FIRST_DATE <= day <= LAST_DATE:
                parsed.problem(line.number, _("%(date)s is outside the years the calendar serves (%(first)s to "
                                              "%(last)s).") % {"date": day, "first": FIRST_DATE.year,
                                                               "last": LAST_DATE.year})
        for day in sorted(set(line.work)):
            if day in off_lines:
                parsed.problem(line.number, _("%(date)s is a make-up working day here and a day off on line "
                                              "%(other)d.") % {"date": day, "other": off_lines[day]})
            elif day.weekday() < 5:
                parsed.problem(line.number, _("%(date)s is a %(weekday)s: a make-up working day (调休上班) is a "
                                              "Saturday or Sunday.") % {"date": day, "weekday": WEEKDAYS[day.weekday()]})


# ------------------------------------------------------------------ where each year comes from
STATES = {
    "package": "official_package",
    "custom": "official_entered",
    "provisional": "provisional",
    "missing": "missing",
}


def state_label(source):
    return {
        "package": _("Official (chinesecalendar package)"),
        "custom": _("Official (entered)"),
        "provisional": _("Provisional — no 调休 make-up days yet"),
        "missing": _("Missing — weekends only"),
    }[source]


def live_plan_spans():
    """{plan id: (first year, last year)} of every plan not deleted."""
    rows = Plan.objects.filter(deleted_at__isnull=True).values_list(
        "pk", "start_date", "target_launch_date", "schedule_settings__summary")
    return {pk: scheduling.year_span(start, target, summary or {}) for pk, start, target, summary in rows}


@dataclass
class YearRow:
    year: int
    source: str
    plans: int
    holidays: int
    makeup_workdays: int
    note: str = ""

    @property
    def state(self):
        return STATES[self.source]

    @property
    def label(self):
        return state_label(self.source)


def year_rows(today=None):
    """Every year live plans run through (and this year and the next), with its state."""
    today = today or datetime.date.today()
    spans = live_plan_spans().values()
    entered = {row.year: row for row in OfficialHolidayYear.objects.all()}
    years = set(entered) | {today.year, today.year + 1}
    for first, last in spans:
        years.update(range(first, last + 1))
    rows = []
    for year in sorted(y for y in years if FIRST_DATE.year <= y <= LAST_DATE.year):
        source = year_source(year, entered)
        holidays, makeup = _year_days(year, source, entered.get(year))
        rows.append(YearRow(year=year, source=source, plans=sum(first <= year <= last for first, last in spans),
                            holidays=len(holidays), makeup_workdays=len(makeup),
                            note=entered[year].note if year in entered else ""))
    return rows


def _year_days(year, source, row):
    if source == "custom":
        return row.holidays, row.makeup_workdays
    if source == "package":
        from chinese_calendar import constants  # optional at import, as in engine/calendar.py

        return ([d for d in constants.holidays if d.year == year], [d for d in constants.workdays if d.year == year])
    if source == "provisional":
        return sorted(provisional_holidays(year)), []
    return [], []


def year_detail(year):
    """(source, days off, make-up working days) of ``year`` as the calendar counts it now."""
    row = OfficialHolidayYear.objects.filter(year=year).first()
    source = year_source(year, {year} if row else ())
    holidays, makeup = _year_days(year, source, row)
    as_dates = lambda days: sorted(d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d)  # noqa: E731
                                   for d in days)
    return source, as_dates(holidays), as_dates(makeup)


def schedule_text(year):
    """An entered year in the paste format, to edit it again."""
    row = OfficialHolidayYear.objects.filter(year=year).first()
    if row is None:
        return ""
    return "\n".join([f"{day} holiday" for day in row.holidays] + [f"{day} workday" for day in row.makeup_workdays])


def plans_crossing(year):
    """Live plans whose dates run through ``year``, in id order (the order they are locked in)."""
    ids = [pk for pk, (first, last) in live_plan_spans().items() if first <= year <= last]
    return list(Plan.objects.filter(pk__in=ids).order_by("pk"))


# ------------------------------------------------------------------ writes
@dataclass
class Rescheduled:
    year: int
    rescheduled: int = 0
    refused: list = field(default_factory=list)  # [(plan, message)]


def reschedule_plans_crossing(year):
    """Reschedule every live plan running through ``year`` now, each under its plan lock.

    A plan the new days would push out of the calendar keeps its dates and says why."""
    outcome = Rescheduled(year=year)
    for plan in plans_crossing(year):
        try:
            with plan_write(plan):
                rescheduled(plan)
        except scheduling.ScheduleOutOfRange as refused:
            scheduling.keep_refused(plan, refused)
            outcome.refused.append((plan, " ".join(refused.messages)))
        else:
            outcome.rescheduled += 1
    return outcome


@transaction.atomic
def holiday_year_save(*, year, holidays, makeup_workdays, note=""):
    """Store ``year``'s official schedule (replacing an entered one) and reschedule the plans
    running through it. Raises ValidationError when the schedule is not consistent."""
    row = OfficialHolidayYear.objects.select_for_update().filter(year=year).first() or OfficialHolidayYear(year=year)
    row.holidays = sorted({str(day) for day in holidays})
    row.makeup_workdays = sorted({str(day) for day in makeup_workdays})
    row.note = note or row.note
    row.full_clean()
    row.save()
    return row, reschedule_plans_crossing(year)


@transaction.atomic
def holiday_year_delete(*, year):
    """Forget an entered year: the package's or the provisional days count again."""
    deleted, _rows = OfficialHolidayYear.objects.filter(year=year).delete()
    if not deleted:
        raise ValidationError(_("No official schedule was entered for %(year)s.") % {"year": year})
    return reschedule_plans_crossing(year)
