"""manage.py import_holidays: an admin loads a year the holiday packages do not know."""
import datetime

import pytest
from django.core.management import CommandError, call_command

from schedule import scheduling
from schedule.models import OfficialHolidayYear, Task


def test_import_text_file_then_plan_uses_it(tmp_path, plan):
    plan.start_date = datetime.date(2027, 2, 1)
    plan.save()
    task = Task.objects.create(plan=plan, title="春节后联调", duration=5)
    assert scheduling.recompute(plan)["missing_years"] == [2027]
    source = tmp_path / "2027.txt"
    source.write_text("# 2027 春节\n2027-02-03 holiday\n2027-02-04 holiday\n2027-02-06 workday\n", encoding="utf-8")
    call_command("import_holidays", str(source), "--note", "国办发明电〔2026〕X号")
    row = OfficialHolidayYear.objects.get(year=2027)
    assert row.holidays == ["2027-02-03", "2027-02-04"] and row.makeup_workdays == ["2027-02-06"]
    assert scheduling.ensure_fresh(plan)["missing_years"] == []
    task.refresh_from_db()
    # Feb 1, 2, (3, 4 off), 5, Sat 6 worked, 8
    assert task.early_finish == datetime.date(2027, 2, 8)


@pytest.mark.parametrize("content, message", [
    ("2027-02-30 holiday\n", "line 1"),
    ("2027-02-03 maybe\n", "line 1"),
    ("2027-02-03 workday\n", "weekday"),
    ("", "no dates"),
    ('{"year": 2027}', "holidays"),
])
def test_bad_files_change_nothing(tmp_path, db, content, message):
    source = tmp_path / "bad.txt"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_holidays", str(source))
    assert not OfficialHolidayYear.objects.exists()
