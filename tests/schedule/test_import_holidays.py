"""manage.py import_holidays: an admin loads a year the holiday packages do not know."""
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from schedule import scheduling
from schedule.models import OfficialHolidayYear
from tests.factories import TaskFactory


def test_import_text_file_then_plan_uses_it(tmp_path, plan):
    plan.start_date = datetime.date(2027, 2, 1)
    plan.save()
    task = TaskFactory(plan=plan, title="春节后联调", duration=5)
    assert scheduling.recompute(plan)["provisional_years"] == [2027]
    source = tmp_path / "2027.txt"
    source.write_text("# 2027 春节\n2027-02-03 holiday\n2027-02-04 holiday\n2027-02-06 workday\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_holidays", str(source), "--note", "国办发明电〔2026〕X号", stdout=out)
    assert "2027: 2 holidays, 1 make-up working days; 1 plan(s) rescheduled" in out.getvalue()
    row = OfficialHolidayYear.objects.get(year=2027)
    assert row.holidays == ["2027-02-03", "2027-02-04"] and row.makeup_workdays == ["2027-02-06"]
    # rescheduled by the import itself, not on the next view
    assert scheduling.settings_for(plan).summary["provisional_years"] == []
    task.refresh_from_db()
    # Feb 1, 2, (3, 4 off), 5, Sat 6 worked, 8
    assert task.early_finish == datetime.date(2027, 2, 8)


def test_the_notice_text_with_a_year(tmp_path, db):
    source = tmp_path / "notice.txt"
    source.write_text("二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月20日（周六）上班。\n", encoding="utf-8")
    call_command("import_holidays", str(source), "--year", "2027", stdout=io.StringIO())
    row = OfficialHolidayYear.objects.get(year=2027)
    assert len(row.holidays) == 7 and row.makeup_workdays == ["2027-02-20"]


@pytest.mark.parametrize("content, message", [
    ("2027-02-30 holiday\n", "Line 1: “2027-02-30” is not a date"),
    ("2027-02-03 maybe\n", "Line 1: 2027-02-03: are these days off"),
    ("2027-02-03 workday\n", "Line 1: 2027-02-03 is a Wednesday"),
    ("", "no dates"),
    ('{"year": 2027}', "holidays"),
])
def test_bad_files_change_nothing(tmp_path, db, content, message):
    source = tmp_path / "bad.txt"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_holidays", str(source))
    assert not OfficialHolidayYear.objects.exists()
