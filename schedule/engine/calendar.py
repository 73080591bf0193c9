"""Working-day calendar: maps integer periods to dates and back.

Which days are working days, in order of precedence (later rules win):

1. Monday–Friday work, Saturday and Sunday are off.
2. For each year, the schedule of statutory holidays and 调休 make-up working days
   (:func:`year_source` names where it comes from):
   - "custom": ``custom_years[year]`` when given (entered by staff; also overrides the package),
   - "package": the ``chinesecalendar`` package (import name ``chinese_calendar``; knows
     2004–2026), both official, else
   - "provisional": the statutory holidays python-holidays' ``CN`` computes (the lunar dates are
     right) but NO make-up working days: the State Council publishes those each autumn, so a
     year ahead of its notice is a guess the app marks as such, else
   - "missing": weekends only (a year neither source knows).
   :meth:`WorkCalendar.provisional_years` and :meth:`WorkCalendar.missing_years` report them.
3. The plan's own ``extra_days_off`` and ``extra_working_days``.

Range
-----
Dates run from :data:`FIRST_DATE` to :data:`LAST_DATE` (the years holiday data exists for). A
period whose date would fall outside raises :class:`CalendarRangeError`, so a chain of work that
runs past 2100 is refused instead of counted with made-up years.

Periods
-------
Periods count working days from the ``origin`` (the plan's start date). Period 0 is the first
working day on or after the origin, period 1 the next working day, and so on; periods before
the origin are negative. A task that starts at period ``s`` with duration ``d`` occupies the
working days ``s, s+1, ..., s+d-1`` (the engine's half-open interval ``[s, s+d)``).

Date conventions for the app (see :meth:`task_dates`, :meth:`start_period`,
:meth:`deadline_period`):

* start date   = ``date_of(s)``              -- the task starts in the morning of that day.
* finish date  = ``date_of(s + d - 1)``      -- for ``d > 0``: its last working day (inclusive,
  work ends that evening). Equivalently ``date_of(finish - 1)`` with ``finish = s + d``.
* milestone (``d == 0``) date = ``date_of(s)`` -- it happens at the start of that working day.
* "start no earlier than" date D  -> ``earliest_start = period_of(D)``.
* "finish no later than" date D   -> ``deadline = period_of(D + 1 day)`` for a task (its last
  working day is D or earlier), and ``period_of(D + 1 day) - 1`` for a milestone (its date is D
  or earlier). :meth:`deadline_period` does this.
* A non-working date maps (``period_of``) to the NEXT working day's period.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import lru_cache
from typing import Container, Iterable, Mapping

from .model import EngineError

try:  # the package is a runtime dependency, but keep the engine importable without it
    from chinese_calendar import constants as _cc_constants
except ImportError:  # pragma: no cover - exercised only when the package is missing
    _cc_constants = None

try:
    import holidays as _python_holidays
except ImportError:  # pragma: no cover - exercised only when the package is missing
    _python_holidays = None

#: the first and last dates the calendar serves (entered plan dates use the same range)
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)

#: where a year's days off come from, see :func:`year_source`
OFFICIAL_SOURCES = ("custom", "package")


class CalendarRangeError(EngineError):
    """A date the calendar does not serve: before FIRST_DATE or after LAST_DATE."""


def _package_data():
    """Return (first_year, last_year, holidays:set[date], workdays:set[date]) from the package."""
    if _cc_constants is None:  # pragma: no cover
        return None
    holidays = set(_cc_constants.holidays.keys())
    workdays = set(_cc_constants.workdays.keys())
    if not holidays:  # pragma: no cover
        return None
    # chinese_calendar validates years exactly like this (it raises NotImplementedError outside)
    return min(holidays).year, max(holidays).year, holidays, workdays


_PACKAGE = _package_data()

#: years known by the installed chinesecalendar package, e.g. range(2004, 2027)
PACKAGE_YEARS = range(_PACKAGE[0], _PACKAGE[1] + 1) if _PACKAGE else range(0)

# The index may hold one year either side of the range: a deadline of LAST_DATE is the period of
# the day after it, and a plan starting on FIRST_DATE builds the year before it.
_MIN_YEAR = FIRST_DATE.year - 1
_MAX_YEAR = LAST_DATE.year + 1


@lru_cache(maxsize=None)
def provisional_holidays(year: int) -> frozenset | None:
    """The statutory days off of ``year`` as python-holidays' ``CN`` computes them (lunar dates
    included, 调休 make-up days not), or None when it has nothing for the year."""
    if _python_holidays is None or not FIRST_DATE.year <= year <= LAST_DATE.year:
        return None
    try:
        days = _python_holidays.country_holidays("CN", years=year)
    except NotImplementedError:  # pragma: no cover - a year the library refuses
        return None
    found = frozenset(day for day in days if day.year == year)
    return found or None


def year_source(year: int, custom_years: Container[int] = (), *, use_official: bool = True) -> str:
    """Where ``year``'s days off come from: "custom" or "package" (both official),
    "provisional" (statutory days only, no make-up working days yet) or "missing" (weekends)."""
    if year in custom_years:
        return "custom"
    if not use_official:
        return "missing"
    if year in PACKAGE_YEARS:
        return "package"
    if provisional_holidays(year) is not None:
        return "provisional"
    return "missing"


class WorkCalendar:
    """Working days for one plan, with fast period <-> date conversion.

    Build one per plan (cheap: about a millisecond per year covered). The working-day index is
    precomputed for whole years around the origin and grows on demand (both directions) when a
    date or period outside it is asked for, so plans spanning several years just work.

    ``custom_years`` maps a year to ``(holidays, makeup_workdays)``: the dates off on weekdays
    (weekend dates listed there are harmless) and the weekend dates that are working days.
    """

    def __init__(
        self,
        origin: date,
        *,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        custom_years: Mapping[int, tuple[Iterable[date], Iterable[date]]] | None = None,
        use_official: bool = True,
        until: date | None = None,
    ):
        if not isinstance(origin, date):
            raise EngineError("the calendar origin must be a date")
        self.origin = _as_date(origin)
        _check_range(self.origin)
        self.extra_days_off = frozenset(_as_date(d) for d in extra_days_off)
        self.extra_working_days = frozenset(_as_date(d) for d in extra_working_days)
        both = self.extra_days_off & self.extra_working_days
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise EngineError(f"a date cannot be both an extra day off and an extra working day: {listed}")
        self.custom_years = {}
        for year, pair in (custom_years or {}).items():
            try:
                holidays, makeup = pair
            except (TypeError, ValueError):
                raise EngineError(f"custom schedule for {year} must be (holidays, make-up working days)") from None
            holidays = frozenset(_as_date(d) for d in holidays)
            makeup = frozenset(_as_date(d) for d in makeup)
            stray = [d for d in holidays | makeup if d.year != int(year)]
            if stray:
                raise EngineError(
                    f"custom schedule for {year} lists a date of another year: {min(stray).isoformat()}"
                )
            self.custom_years[int(year)] = (holidays, makeup)
        self.use_official = use_official
        self._year_cache: dict[int, list[int]] = {}
        self._lo = self._hi = self.origin.year  # years covered, inclusive
        self._work: list[int] = []  # ordinals of working days in [lo-01-01, hi-12-31], ascending
        self._origin_idx = 0
        last = _as_date(until).year if until is not None else self.origin.year + 1
        self._rebuild(self.origin.year - 1, max(last, self.origin.year) + 1)

    # ---------------------------------------------------------------- year data
    def year_source(self, year: int) -> str:
        """Where ``year``'s days off come from: "custom", "package", "provisional" or "missing"."""
        return year_source(year, self.custom_years, use_official=self.use_official)

    def _years_from(self, start: date | int, end: date | int, source: str) -> set[int]:
        a, b = self._to_date(start), self._to_date(end)
        if a > b:
            a, b = b, a
        return {y for y in range(a.year, b.year + 1) if self.year_source(y) == source}

    def provisional_years(self, start: date | int, end: date | int) -> set[int]:
        """Years between ``start`` and ``end`` (dates or periods, inclusive) counted with the
        statutory holidays only: their 调休 make-up working days are not known yet."""
        return self._years_from(start, end, "provisional")

    def missing_years(self, start: date | int, end: date | int) -> set[int]:
        """Years between ``start`` and ``end`` (dates or periods, inclusive) with no holiday data
        at all, so that only weekends (and the plan's own days) are used."""
        return self._years_from(start, end, "missing")

    def _year_workdays(self, year: int) -> list[int]:
        cached = self._year_cache.get(year)
        if cached is not None:
            return cached
        source = self.year_source(year)
        if source == "custom":
            holidays, makeup = self.custom_years[year]
        elif source == "package":
            holidays = {d for d in _PACKAGE[2] if d.year == year}
            makeup = {d for d in _PACKAGE[3] if d.year == year}
        elif source == "provisional":
            holidays, makeup = provisional_holidays(year), ()
        else:
            holidays = makeup = ()
        off = {d.toordinal() for d in holidays} | {d.toordinal() for d in self.extra_days_off if d.year == year}
        on = {d.toordinal() for d in makeup} - {d.toordinal() for d in self.extra_days_off if d.year == year}
        on |= {d.toordinal() for d in self.extra_working_days if d.year == year}
        off -= {d.toordinal() for d in self.extra_working_days if d.year == year}
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        wd = date(year, 1, 1).weekday()  # Monday == 0
        days = []
        for o in range(first, last + 1):
            if (o in on) or (wd < 5 and o not in off):
                days.append(o)
            wd = wd + 1 if wd < 6 else 0
        self._year_cache[year] = days
        return days

    def _rebuild(self, lo: int, hi: int) -> None:
        lo = max(lo, _MIN_YEAR)
        hi = min(hi, _MAX_YEAR)
        work: list[int] = []
        for y in range(lo, hi + 1):
            work.extend(self._year_workdays(y))
        self._lo, self._hi, self._work = lo, hi, work
        self._origin_idx = bisect_left(work, self.origin.toordinal())

    def _grow(self, *, down: int = 0, up: int = 0) -> None:
        lo, hi = self._lo - down, self._hi + up
        if down and self._lo <= _MIN_YEAR:
            raise CalendarRangeError(f"a date before {FIRST_DATE.isoformat()}, the first date the calendar serves")
        if up and self._hi >= _MAX_YEAR:
            raise CalendarRangeError(f"a date after {LAST_DATE.isoformat()}, the last date the calendar serves")
        self._rebuild(lo, hi)

    def _cover_ordinal(self, o: int) -> None:
        """Make sure the index covers ordinal ``o`` and has a working day after it."""
        while o < self._first_ord():
            self._grow(down=max(2, self._lo - date.fromordinal(o).year))
        while o > self._last_ord() or bisect_right(self._work, o) >= len(self._work):
            self._grow(up=max(2, date.fromordinal(o).year - self._hi + 1))

    def _first_ord(self) -> int:
        return date(self._lo, 1, 1).toordinal()

    def _last_ord(self) -> int:
        return date(self._hi, 12, 31).toordinal()

    def _to_date(self, value: date | int) -> date:
        if isinstance(value, date):
            return _as_date(value)
        return self.date_of(int(value))

    # ---------------------------------------------------------------- queries
    def is_working(self, day: date) -> bool:
        o = _as_date(day).toordinal()
        self._cover_ordinal(o)
        work = self._work
        i = bisect_left(work, o)
        return i < len(work) and work[i] == o

    def period_of(self, day: date) -> int:
        """The period of ``day``; for a non-working day, the period of the next working day."""
        o = _as_date(day).toordinal()
        if not (self._work and self._work[0] <= o < self._work[-1]):
            self._cover_ordinal(o)
        return bisect_left(self._work, o) - self._origin_idx

    def date_of(self, period: int) -> date:
        """The working date of ``period`` (period 0 = first working day on/after the origin)."""
        i = period + self._origin_idx
        while i < 0:
            self._grow(down=max(2, -i // 240 + 1))
            i = period + self._origin_idx
        while i >= len(self._work):
            self._grow(up=max(2, (i - len(self._work)) // 240 + 1))
        return _check_range(date.fromordinal(self._work[i]))

    def add_working_days(self, day: date, n: int) -> date:
        """``n`` working days after (``n`` < 0: before) ``day``.

        A working day plus 0 is itself. A non-working day is first rolled forward to the next
        working day (like ``numpy.busday_offset(roll="forward")``): Saturday + 0 and Saturday + 1
        are Monday and Tuesday, Saturday - 1 is Friday (with Mon–Fri working).
        """
        return self.date_of(self.period_of(day) + n)

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in the half-open range [a, b); negative when b < a."""
        return self.period_of(b) - self.period_of(a)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day."""
        return self.date_of(self.period_of(day))

    # ---------------------------------------------------------------- conventions
    def start_date(self, start: int) -> date:
        return self.date_of(start)

    def finish_date(self, start: int, duration: int) -> date:
        """Last working day of a task (``duration`` > 0), or the milestone's date (== 0)."""
        return self.date_of(start + duration - 1 if duration > 0 else start)

    def task_dates(self, start: int, duration: int) -> tuple[date, date]:
        """(start date, finish date) of a task starting at period ``start``."""
        return self.date_of(start), self.finish_date(start, duration)

    def start_period(self, day: date) -> int:
        """Period for "start no earlier than ``day``" (a non-working day rolls forward)."""
        return self.period_of(day)

    def deadline_period(self, day: date, *, milestone: bool = False) -> int:
        """Engine ``deadline`` (a finish period) for "finish no later than ``day``"."""
        p = self.period_of(_as_date(day) + timedelta(days=1))
        return p - 1 if milestone else p

    def working_dates(self, start: date, end: date) -> list[date]:
        """All working dates in [start, end] (inclusive), e.g. to shade a Gantt chart."""
        a, b = self.period_of(start), self.period_of(_as_date(end) + timedelta(days=1))
        return [self.date_of(p) for p in range(a, b)]

    def __repr__(self) -> str:
        return f"WorkCalendar(origin={self.origin.isoformat()}, years={self._lo}-{self._hi})"


def _check_range(day: date) -> date:
    if day > LAST_DATE:
        raise CalendarRangeError(f"{day.isoformat()} is after {LAST_DATE.isoformat()}, "
                                 "the last date the calendar serves")
    if day < FIRST_DATE:
        raise CalendarRangeError(f"{day.isoformat()} is before {FIRST_DATE.isoformat()}, "
                                 "the first date the calendar serves")
    return day


def _as_date(value) -> date:
    if hasattr(value, "date") and callable(value.date):  # datetime -> date
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise EngineError(f"not a date: {value!r}")
