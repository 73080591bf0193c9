"""Reading a pasted official holiday schedule, and saving one (schedule/holiday_years.py)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onboarding.models import Plan
from schedule import holiday_years, scheduling
from schedule.holiday_years import parse_holidays
from schedule.models import OfficialHolidayYear
from tests.factories import OfficialHolidayYearFactory, PlanFactory, TaskFactory

D = datetime.date

# The State Council's wording (the dates are made up: 2027's notice is not published yet).
NOTICE = """国务院办公厅关于2027年部分节假日安排的通知
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（农历除夕、周六）至12日（农历正月初七、周五）放假调休，共7天。2月20日（周六）上班。
三、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
四、国庆节：9月30日（周四）至10月7日（周四）放假调休，共8天。9月26日（周日）、10月9日（周六）上班。
"""


def understood(parsed):
    return [(line.number, kind, first, last) for line in parsed.lines for kind, first, last, _n in line.runs()]


def test_the_notice_as_published_is_read_line_by_line():
    parsed = parse_holidays(NOTICE, year=2027)
    assert parsed.errors == []
    assert understood(parsed) == [
        (3, "off", D(2027, 1, 1), D(2027, 1, 3)),
        (4, "off", D(2027, 2, 6), D(2027, 2, 12)), (4, "work", D(2027, 2, 20), D(2027, 2, 20)),
        (5, "off", D(2027, 5, 1), D(2027, 5, 5)),
        (5, "work", D(2027, 4, 25), D(2027, 4, 25)), (5, "work", D(2027, 5, 8), D(2027, 5, 8)),
        (6, "off", D(2027, 9, 30), D(2027, 10, 7)),  # a range across months
        (6, "work", D(2027, 9, 26), D(2027, 9, 26)), (6, "work", D(2027, 10, 9), D(2027, 10, 9)),
    ]
    assert parsed.counts() == (23, 5)
    # Without the year field the notice's title gives it ("关于2027年部分节假日安排").
    assert understood(parse_holidays(NOTICE)) == understood(parsed)


@pytest.mark.parametrize("text, expected", [
    ("2027-01-01 holiday\n2027-02-20 workday", [(1, "off", D(2027, 1, 1), D(2027, 1, 1)),
                                                (2, "work", D(2027, 2, 20), D(2027, 2, 20))]),
    ("2027年2月6日至2027年2月8日 休\n2027年2月20日 班", [(1, "off", D(2027, 2, 6), D(2027, 2, 8)),
                                                  (2, "work", D(2027, 2, 20), D(2027, 2, 20))]),
    ("2027/02/06 ~ 2027/02/08 day off", [(1, "off", D(2027, 2, 6), D(2027, 2, 8))]),
    ("放假：2月6日至8日；上班：2月20日、2月21日", [(1, "off", D(2027, 2, 6), D(2027, 2, 8)),
                                         (1, "work", D(2027, 2, 20), D(2027, 2, 21))]),
    ("２月１４日、２８日上班", [(1, "work", D(2027, 2, 14), D(2027, 2, 14)),
                        (1, "work", D(2027, 2, 28), D(2027, 2, 28))]),  # full-width digits, "28日" = Feb 28
    ("# a comment line\n\n2027-10-01 off  # 国庆", [(3, "off", D(2027, 10, 1), D(2027, 10, 1))]),
])
def test_the_formats_a_person_pastes(text, expected):
    parsed = parse_holidays(text, year=2027)
    assert parsed.errors == []
    assert understood(parsed) == expected


@pytest.mark.parametrize("text, error", [
    ("2027-01-01 holiday\n2月30日 放假", "Line 2: “2月30日” is not a date."),
    ("2027-02-03 maybe", "Line 1: 2027-02-03: are these days off (放假 / holiday) or make-up working days "
                         "(上班 / workday)? Say which, or remove the line."),
    ("国务院办公厅\n2026年11月4日", "Line 2: 2026-11-04: are these days off"),  # the notice's signature line
    ("2027-02-03 workday", "Line 1: 2027-02-03 is a Wednesday: a make-up working day (调休上班) is a Saturday or Sunday."),
    ("2月6日至12日放假\n\n2月6日上班", "Line 3: 2027-02-06 is a make-up working day here and a day off on line 1."),
    ("2028-01-01 holiday", "Line 1: 2028-01-01 is not in 2027."),
    ("12日放假", "Line 1: “12日” has no month."),
    ("2月12日至6日放假", "Line 1: the range “2月12日至6日” spans 23 days: a holiday is shorter."),
    ("2027-02-12 至 2027-02-06 放假", "Line 1: the range “2027-02-12 至 2027-02-06” ends before it starts."),
    ("说明文字，没有日期", "The text lists no dates."),
    ('{"year": 2027, "holidays": ["2027-13-01"]}', 'Each JSON document needs "year", "holidays"'),
])
def test_bad_lines_are_named(text, error):
    parsed = parse_holidays(text, year=2027)
    assert any(message.startswith(error) for message in parsed.errors), parsed.errors


def test_a_date_without_a_year_needs_one():
    [error] = parse_holidays("2月6日放假").errors
    assert error == "Line 1: “2月6日” has no year: write it as 2027年2月6日, or enter the year above."


def test_json_documents_are_read_too():
    parsed = parse_holidays('{"year": 2027, "holidays": ["2027-02-08"], "makeup_workdays": ["2027-02-20"]}', year=2027)
    assert parsed.errors == [] and parsed.years() == {
        2027: {"holidays": ["2027-02-08"], "makeup_workdays": ["2027-02-20"]}}


# ------------------------------------------------------------------ saving
def plan_in(product, owner, name, start, duration):
    plan = PlanFactory(name=name, product=product, owner=owner, start_date=start, status=Plan.Status.ACTIVE)
    TaskFactory(plan=plan, title="春节前后联调", duration=duration)
    scheduling.recompute(plan, today=D(2026, 12, 1))
    return plan


def test_saving_reschedules_only_the_plans_running_through_the_year(product, pm):
    crossing = plan_in(product, pm, "跨春节", D(2027, 2, 1), 10)
    plan_in(product, pm, "年底收尾", D(2026, 9, 1), 10)
    into_2027 = plan_in(product, pm, "跨年", D(2026, 12, 21), 40)
    deleted = plan_in(product, pm, "已删除", D(2027, 2, 1), 10)
    Plan.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    assert [plan.pk for plan in holiday_years.plans_crossing(2027)] == [crossing.pk, into_2027.pk]

    days = parse_holidays(NOTICE, year=2027).years()[2027]
    row, outcome = holiday_years.holiday_year_save(year=2027, note="国办发明电", **days)
    assert (outcome.rescheduled, outcome.refused) == (2, [])
    assert row.makeup_workdays == ["2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09"]
    # Feb 1–5, then the week after the holiday: 02-19 (it was 02-18 with the provisional days).
    assert crossing.tasks.get().early_finish == D(2027, 2, 19)
    assert scheduling.settings_for(crossing).summary["provisional_years"] == []
    assert scheduling.holiday_notes(crossing) == []


def test_an_inconsistent_year_is_refused_and_changes_nothing(db):
    with pytest.raises(ValidationError, match="weekday"):
        holiday_years.holiday_year_save(year=2027, holidays=["2027-02-08"], makeup_workdays=["2027-02-09"])
    assert not OfficialHolidayYear.objects.exists()


def test_removing_an_entered_year_brings_the_provisional_days_back(product, pm):
    plan = plan_in(product, pm, "跨春节", D(2027, 2, 1), 10)
    holiday_years.holiday_year_save(year=2027, holidays=[], makeup_workdays=[])
    assert plan.tasks.get().early_finish == D(2027, 2, 12)  # an entered year with no holidays at all
    outcome = holiday_years.holiday_year_delete(year=2027)
    assert outcome.rescheduled == 1
    assert plan.tasks.get().early_finish == D(2027, 2, 18)
    with pytest.raises(ValidationError):
        holiday_years.holiday_year_delete(year=2027)


def test_year_rows_say_where_each_year_comes_from(product, pm):
    plan_in(product, pm, "跨年", D(2026, 12, 21), 40)
    OfficialHolidayYearFactory(year=2029, holidays=["2029-01-01"])
    rows = {row.year: row for row in holiday_years.year_rows(today=D(2026, 12, 4))}
    assert sorted(rows) == [2026, 2027, 2029]
    assert (rows[2026].source, rows[2026].plans, rows[2026].makeup_workdays) == ("package", 1, 6)
    assert (rows[2027].source, rows[2027].plans, rows[2027].makeup_workdays) == ("provisional", 1, 0)
    assert rows[2027].holidays == 19
    assert (rows[2029].source, rows[2029].plans) == ("custom", 0)
