"""WorkCalendar: China working days (chinesecalendar), fallbacks, custom years, conventions."""
from datetime import date, timedelta

import chinese_calendar
import pytest

from schedule.engine.calendar import (
    LAST_DATE,
    PACKAGE_YEARS,
    CalendarRangeError,
    WorkCalendar,
    year_source,
)
from schedule.engine.model import EngineError

D = date


# 2026 National Day, as published by the State Council and shipped in chinesecalendar 1.11:
# Thu 10-01 .. Wed 10-07 off; make-up working days Sun 09-20 and Sat 10-10. Mid-Autumn
# (Fri 09-25) is off too.
#
#   Sun 09-20  p-5 (make-up)   Mon 09-21 .. Thu 09-24  p-4 .. p-1   Fri 09-25  off (Mid-Autumn)
#   Mon 09-28  p0      Thu 10-08  p3      Sun 10-11  off
#   Tue 09-29  p1      Fri 10-09  p4      Mon 10-12  p6
#   Wed 09-30  p2      Sat 10-10  p5 (调休 make-up working day)
#   Thu 10-01 .. Wed 10-07  off (holiday)
@pytest.fixture
def national_day():
    return WorkCalendar(D(2026, 9, 28))


def test_national_day_2026_holidays_and_makeup_saturday(national_day):
    cal = national_day
    for day in range(1, 8):
        assert not cal.is_working(D(2026, 10, day)), f"2026-10-{day:02d} is a holiday"
    assert cal.is_working(D(2026, 10, 8))  # back to work on Thursday (package data)
    assert cal.is_working(D(2026, 10, 10))  # make-up Saturday
    assert not cal.is_working(D(2026, 10, 11))  # an ordinary Sunday
    assert cal.is_working(D(2026, 9, 20))  # make-up Sunday before the holiday
    assert not cal.is_working(D(2026, 9, 19))  # Saturday


def test_periods_across_national_day(national_day):
    cal = national_day
    expected = {0: D(2026, 9, 28), 1: D(2026, 9, 29), 2: D(2026, 9, 30), 3: D(2026, 10, 8),
                4: D(2026, 10, 9), 5: D(2026, 10, 10), 6: D(2026, 10, 12)}
    for period, day in expected.items():
        assert cal.date_of(period) == day
        assert cal.period_of(day) == period
    # non-working days map to the next working day's period
    assert cal.period_of(D(2026, 10, 1)) == 3
    assert cal.period_of(D(2026, 10, 7)) == 3
    assert cal.period_of(D(2026, 10, 11)) == 6
    # before the origin: Mid-Autumn Fri 09-25 is off, 09-21..09-24 work, make-up Sun 09-20 works
    assert not cal.is_working(D(2026, 9, 25))
    assert cal.date_of(-1) == D(2026, 9, 24)
    assert cal.period_of(D(2026, 9, 25)) == 0
    assert cal.period_of(D(2026, 9, 20)) == -5


def test_add_and_count_working_days(national_day):
    cal = national_day
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert cal.add_working_days(D(2026, 10, 12), -2) == D(2026, 10, 9)
    assert cal.add_working_days(D(2026, 10, 12), -6) == D(2026, 9, 28)
    assert cal.add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)
    # a holiday rolls forward first: +0 is the next working day, -1 the working day before it
    assert cal.add_working_days(D(2026, 10, 4), 0) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 10, 4), -1) == D(2026, 9, 30)
    # [a, b): 09-28, 09-29, 09-30, 10-08, 10-09, 10-10
    assert cal.working_days_between(D(2026, 9, 28), D(2026, 10, 12)) == 6
    assert cal.working_days_between(D(2026, 10, 12), D(2026, 9, 28)) == -6
    assert cal.working_days_between(D(2026, 10, 1), D(2026, 10, 8)) == 0


def test_task_date_conventions(national_day):
    cal = national_day
    # starts Tue 09-29 (p1), 5 working days: 09-29, 09-30, 10-08, 10-09, 10-10
    assert cal.task_dates(1, 5) == (D(2026, 9, 29), D(2026, 10, 10))
    assert cal.finish_date(1, 5) == cal.date_of(1 + 5 - 1)
    # a one-day task finishes the day it starts; a milestone's date is its start period's date
    assert cal.task_dates(3, 1) == (D(2026, 10, 8), D(2026, 10, 8))
    assert cal.task_dates(3, 0) == (D(2026, 10, 8), D(2026, 10, 8))
    # "finish no later than Sat 10-10": a task may finish in period 5 (finish = 6)
    assert cal.deadline_period(D(2026, 10, 10)) == 6
    assert cal.deadline_period(D(2026, 10, 10), milestone=True) == 5
    # "finish no later than Sun 10-04" (a holiday): last allowed working day is 09-30 (p2)
    assert cal.deadline_period(D(2026, 10, 4)) == 3
    assert cal.start_period(D(2026, 10, 3)) == 3


def test_2026_has_248_working_days():
    cal = WorkCalendar(D(2026, 1, 1))
    assert cal.working_days_between(D(2026, 1, 1), D(2027, 1, 1)) == 248


def test_agrees_with_chinesecalendar_every_day_2020_to_2026():
    cal = WorkCalendar(D(2023, 6, 1))
    day = D(2020, 1, 1)
    while day <= D(2026, 12, 31):
        assert cal.is_working(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_2027_counts_provisional_statutory_holidays_and_is_reported():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 1))
    assert 2027 not in PACKAGE_YEARS
    cal = WorkCalendar(D(2026, 12, 1))
    assert cal.year_source(2027) == "provisional"
    assert cal.provisional_years(D(2026, 11, 1), D(2027, 2, 1)) == {2027}
    assert cal.provisional_years(D(2026, 1, 1), D(2026, 12, 31)) == set()
    assert cal.missing_years(D(2026, 11, 1), D(2027, 12, 31)) == set()
    # Spring Festival 2027 (eve Fri 02-05, then 02-06 .. 02-10) is off, not a working week
    for day in (5, 8, 9, 10):
        assert not cal.is_working(D(2027, 2, day)), f"2027-02-{day:02d} is a day off"
    assert cal.is_working(D(2027, 2, 4)) and cal.is_working(D(2027, 2, 11))
    assert not cal.is_working(D(2027, 1, 1))  # New Year's Day, a Friday
    # ... but no 调休: no weekend is a working day in a provisional year
    day = D(2027, 1, 1)
    while day.year == 2027:
        assert not (day.weekday() >= 5 and cal.is_working(day)), day
        day += timedelta(days=1)
    # the week of Spring Festival has two working days (Thu 02-11, Fri 02-12)
    assert cal.working_days_between(D(2027, 2, 8), D(2027, 2, 15)) == 2
    # periods can be given too: 0 .. 300 working days from 2026-12-01 reach 2028
    assert cal.provisional_years(0, 300) == {2027, 2028}


def test_year_sources_official_beats_provisional():
    assert year_source(2026) == "package"
    assert year_source(2027) == "provisional"
    assert year_source(2027, {2027}) == "custom"
    assert year_source(2026, {2026}) == "custom"
    assert year_source(2101) == "missing"  # python-holidays stops at 2100, as does the calendar
    assert year_source(2027, use_official=False) == "missing"


def test_official_custom_year_replaces_provisional_days():
    # An entered 2027 where Spring Festival is 02-06..02-12 with a make-up Saturday 02-20.
    holidays = {D(2027, 2, 6) + timedelta(days=n) for n in range(7)}
    cal = WorkCalendar(D(2027, 1, 4), custom_years={2027: (holidays, {D(2027, 2, 20)})})
    assert cal.provisional_years(D(2027, 1, 1), D(2027, 12, 31)) == set()
    assert cal.is_working(D(2027, 2, 5))  # the provisional eve is a working day in the entered schedule
    assert not cal.is_working(D(2027, 2, 11))
    assert cal.is_working(D(2027, 2, 20))
    assert cal.is_working(D(2027, 1, 1))  # not listed: the entered schedule is the whole year


def test_dates_past_the_calendar_are_refused():
    cal = WorkCalendar(D(2100, 12, 1))
    assert cal.date_of(cal.period_of(LAST_DATE)) <= LAST_DATE
    assert cal.deadline_period(LAST_DATE) > cal.period_of(D(2100, 12, 30))  # the day after still counts
    with pytest.raises(CalendarRangeError, match="after 2100-12-31"):
        cal.date_of(40)
    with pytest.raises(CalendarRangeError):
        WorkCalendar(D(2000, 1, 3)).date_of(-10)
    with pytest.raises(CalendarRangeError):
        WorkCalendar(D(2101, 1, 3))


def test_custom_years_are_honoured():
    holidays = {D(2027, 1, 1), D(2027, 2, 8), D(2027, 2, 9)}
    makeup = {D(2027, 2, 6)}  # a Saturday
    cal = WorkCalendar(D(2027, 1, 4), custom_years={2027: (holidays, makeup)})
    assert cal.missing_years(D(2027, 1, 1), D(2027, 12, 31)) == set()
    assert cal.year_source(2027) == "custom"
    assert not cal.is_working(D(2027, 1, 1))
    assert not cal.is_working(D(2027, 2, 8))
    assert cal.is_working(D(2027, 2, 6))
    assert not cal.is_working(D(2027, 2, 7))  # Sunday, not listed
    # week of 02-08: Mon, Tue off -> Wed..Fri work, plus Sat 02-06 the week before
    assert cal.working_days_between(D(2027, 2, 6), D(2027, 2, 13)) == 4


def test_custom_year_overrides_package_year():
    cal = WorkCalendar(D(2026, 9, 1), custom_years={2026: (set(), set())})
    assert cal.is_working(D(2026, 10, 1))  # the custom 2026 schedule has no holidays
    assert not cal.is_working(D(2026, 10, 10))  # ... and no make-up Saturday


def test_custom_year_rejects_dates_of_other_years():
    with pytest.raises(EngineError, match="another year"):
        WorkCalendar(D(2027, 1, 4), custom_years={2027: ({D(2028, 1, 1)}, set())})


def test_plan_extra_days_off_and_working_days(national_day):
    cal = WorkCalendar(D(2026, 9, 28), extra_days_off={D(2026, 10, 9)},
                       extra_working_days={D(2026, 10, 11), D(2026, 10, 5)})
    assert not cal.is_working(D(2026, 10, 9))
    assert cal.is_working(D(2026, 10, 11))
    assert cal.is_working(D(2026, 10, 5))  # the team works during the holiday
    # 09-28, 09-29, 09-30, 10-05, 10-08, 10-10, 10-11, then Mon 10-12
    assert cal.date_of(3) == D(2026, 10, 5)
    assert cal.period_of(D(2026, 10, 12)) == 7
    with pytest.raises(EngineError, match="both"):
        WorkCalendar(D(2026, 9, 28), extra_days_off={D(2026, 10, 9)}, extra_working_days={D(2026, 10, 9)})


def test_roundtrip_over_a_multi_year_plan():
    cal = WorkCalendar(D(2025, 12, 15))
    previous = None
    for p in range(-400, 1200):  # from 2024 into 2030, growing the index both ways on demand
        day = cal.date_of(p)
        assert cal.period_of(day) == p
        assert cal.is_working(day)
        if previous is not None:
            assert day > previous
            # nothing in between is a working day
            gap = previous + timedelta(days=1)
            while gap < day:
                assert not cal.is_working(gap)
                gap += timedelta(days=1)
        previous = day
    assert cal.provisional_years(cal.date_of(-400), cal.date_of(1199)) == {2027, 2028, 2029, 2030}


def test_origin_on_a_holiday_starts_at_next_working_day():
    cal = WorkCalendar(D(2026, 10, 1))
    assert cal.date_of(0) == D(2026, 10, 8)
    assert cal.period_of(D(2026, 10, 1)) == 0
    assert cal.date_of(-1) == D(2026, 9, 30)


def test_working_dates_lists_inclusive_range(national_day):
    assert national_day.working_dates(D(2026, 10, 7), D(2026, 10, 11)) == [
        D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)]
