"""Excel as PMs type it: percent cells, date cells, text dates in Chinese and ISO forms, update-only
sheets (任务编号 + 工期), and refusals that name row, column, value and the accepted forms.
The files under tests/sharing/corpus/ are written the way LibreOffice stores typed cells (make_xlsx.py)."""
import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from schedule.models import Task
from sharing import services
from sharing.exchange import ImportFailed, excel
from tests.factories import PlanFactory, TaskFactory

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture
def plan_2027(pm, product, scenario):
    return PlanFactory(name="2027 接入", product=product, scenario=scenario, owner=pm,
                       start_date=datetime.date(2027, 1, 4))


def xlsx(rows, formats=None):
    """A workbook of ``rows``; ``formats`` maps (row, column) from 1 to a number format."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    for (row, column), number_format in (formats or {}).items():
        book.active.cell(row=row, column=column).number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_as_typed_in_calc_are_read(plan_2027):
    result = services.import_checklist(plan=plan_2027, data=(CORPUS / "pm_typed.xlsx").read_bytes())
    assert result.created == 4
    tasks = {task.title: task for task in Task.objects.filter(plan=plan_2027)}
    percent = tasks["百分比单元格"]
    assert percent.percent_complete == 50  # 0.5 in a "0%" cell
    assert percent.start_no_earlier_than == datetime.date(2027, 1, 6)  # "2027/1/6"
    assert percent.deadline == datetime.date(2027, 1, 29)  # a date cell in 年月日 format
    assert percent.actual_start == datetime.date(2027, 1, 6)  # "2027-1-6"
    two = tasks["两位小数百分比"]
    assert two.percent_complete == 25
    assert two.start_no_earlier_than == datetime.date(2027, 1, 8)  # "2027年1月8日"
    assert two.deadline == datetime.date(2027, 1, 29)  # "1月29日": the plan's year
    text = tasks["文字百分比"]
    assert (text.percent_complete, text.deadline, text.actual_start) == (75, datetime.date(2027, 2, 3),
                                                                         datetime.date(2027, 1, 6))
    done = tasks["日期格式单元格"]
    assert (done.percent_complete, done.status, done.start_no_earlier_than) == (
        100, Task.Status.DONE, datetime.date(2027, 1, 11))


def test_month_day_in_a_plan_across_new_year_is_next_january(pm, product, scenario):
    plan = PlanFactory(product=product, scenario=scenario, owner=pm, start_date=datetime.date(2026, 11, 2),
                       target_launch_date=datetime.date(2027, 3, 1))
    services.import_checklist(plan=plan, data=xlsx([["任务", "截止日期"], ["跨年", "1月8日"], ["年内", "12月1日"]]))
    deadlines = dict(Task.objects.filter(plan=plan).values_list("title", "deadline"))
    assert deadlines == {"跨年": datetime.date(2027, 1, 8), "年内": datetime.date(2026, 12, 1)}


def test_update_only_sheet_changes_just_its_columns(plan_2027):
    keep = dict(title="接口联调", description="与厂商联调", duration=3, percent_complete=20,
                status=Task.Status.IN_PROGRESS, deadline=datetime.date(2027, 2, 1))
    first = TaskFactory(plan=plan_2027, **keep)
    second = TaskFactory(plan=plan_2027, title="验收", duration=1)
    data = xlsx([["任务编号", "工期"], [first.pk, 5], [second.pk, 2]])
    result = services.import_checklist(plan=plan_2027, data=data)
    assert (result.created, result.updated) == (0, 2)
    first.refresh_from_db()
    assert first.duration == 5
    assert (first.title, first.description, first.percent_complete, first.status, first.deadline) == (
        keep["title"], keep["description"], 20, Task.Status.IN_PROGRESS, keep["deadline"])
    second.refresh_from_db()
    assert (second.title, second.duration) == ("验收", 2)

    # A percent cell in an update-only sheet: only the progress moves.
    data = xlsx([["ID", "完成率"], [first.pk, 0.6]], formats={(2, 2): "0%"})
    services.import_checklist(plan=plan_2027, data=data)
    first.refresh_from_db()
    assert (first.percent_complete, first.duration, first.title) == (60, 5, "接口联调")


def test_every_refusal_names_row_column_value_and_the_accepted_forms(plan_2027):
    with pytest.raises(ImportFailed) as caught:
        excel.import_workbook(plan_2027, (CORPUS / "pm_refused.xlsx").read_bytes())
    texts = [str(problem) for problem in caught.value.problems]
    expected = [
        "Row 2, column “截止日期”: “下周三” is not a date; write it as 2027-01-06, 2027/1/6, 2027年1月6日",
        "Row 3, column “工期”: “两天” is not a whole number; write e.g. 3 (working days",
        "Row 3, column “截止日期”: “2027/2/30” is not a date",
        "Row 3, column “完成率”: “一半” is not a whole number; write e.g. 50, 50% or a cell formatted as a percentage",
        "Row 3, column “里程碑”: “也许” is neither yes nor no; write 是 / 否",
    ]
    for fragment in expected:
        assert any(fragment in text for text in texts), (fragment, texts)
    assert len(texts) == len(expected)  # the 0.5 percent cell of row 2 is fine
    assert not Task.objects.filter(plan=plan_2027).exists()


def test_unknown_contact_lists_the_plans_stakeholders(plan_2027):
    with pytest.raises(ImportFailed) as caught:
        excel.import_workbook(plan_2027, xlsx([["任务", "负责人"], ["联调", "张三"]]))
    assert "Row 2, column “负责人”: Unknown contact “张三”: not a stakeholder of this plan (its stakeholders: " \
           "none)" in str(caught.value.problems[0])


def test_date_cell_that_lost_its_format_is_an_excel_day_number(plan_2027):
    services.import_checklist(plan=plan_2027, data=xlsx([["Title", "Deadline"], ["serial", 46393]]))
    assert Task.objects.get(plan=plan_2027).deadline == datetime.date(2027, 1, 6)  # openpyxl.utils.datetime.from_excel(46393)


def test_a_fixed_start_column_sets_and_exports_the_fixed_start(plan_2027):
    task = TaskFactory(plan=plan_2027, title="发布会", duration=1)
    services.import_checklist(plan=plan_2027, data=xlsx([["任务编号", "必须开始于"], [task.pk, "2027/1/8"]]))
    task.refresh_from_db()
    assert task.must_start_on == datetime.date(2027, 1, 8) and task.early_start == datetime.date(2027, 1, 8)
    header = [cell.value for cell in next(load_workbook(io.BytesIO(excel.export_workbook(plan_2027))).active.rows)]
    assert "必须开始于" in header or "Must start on" in header
    # Both start constraints on one task: refused, the row and the column named.
    with pytest.raises(ImportFailed) as caught:
        services.import_checklist(plan=plan_2027, data=xlsx([["ID", "Start no earlier than"], [task.pk, "2027-01-06"]]))
    (problem,) = caught.value.problems
    assert str(problem).startswith("Row 2, column “Start no earlier than”: A task has either a fixed start")
