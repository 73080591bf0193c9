"""The checklist import's fast paths (issue 13 item 4) keep what the slow ones did: the sheet reader
gives openpyxl's values, and tasks written in bulk get the history records save() wrote."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from bench import upload_bombs
from schedule.models import Task
from sharing.exchange import ImportFailed, excel
from tests.sharing.test_excel import checklist, col, edited  # noqa: F401  (fixture, helpers)


def openpyxl_rows(sheet):
    """What the import read before bounds.SheetRows: openpyxl's read-only cells."""
    rows = []
    for cells in sheet.iter_rows(max_col=len(excel.COLUMNS) + 20, max_row=excel.MAX_ROWS + 2):
        row = []
        for cell in cells:
            value = cell.value
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in cell.number_format:
                value = excel.Percent(value)
            row.append(value)
        rows.append(tuple(row))
    return rows


def assert_same_rows(data):
    for index in range(len(load_workbook(io.BytesIO(data), read_only=True).worksheets)):
        expected = openpyxl_rows(load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[index])
        book, sheets = excel._workbook_parts(data)
        got = excel._sheet_rows(book, sheets[index][1], book.shared_strings)
        assert got == expected
        assert [[type(value) for value in row] for row in got] == [[type(value) for value in row] for row in expected]


def test_the_sheet_reader_gives_openpyxls_values_for_typed_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["任务", "工期", "完成率", "截止", "里程碑", "说明"])
    sheet.append(["甲", 3, 0.5, datetime.date(2027, 1, 6), True, "a\nb"])
    sheet.append(["乙", 2.5, 40, datetime.datetime(2027, 2, 1, 9, 30), False, None])
    sheet["C2"].number_format = "0%"
    sheet["C3"].number_format = "0.0%"
    sheet["B4"] = 7  # a row with a gap before it, and cells left empty
    sheet["F8"] = "后面"
    sheet["AZ2"] = "past the columns read"
    out = io.BytesIO()
    book.save(out)
    assert_same_rows(out.getvalue())


def test_the_sheet_reader_gives_openpyxls_values_for_hand_written_xml():
    rows = ('<row r="2"><c r="A2" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 文本'
            '</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="str"><f>A1</f>'
            '<v>公式</v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2"><v>1E3</v></c><c r="G2"><v></v></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>repeated row</t></is></c></row>'
            '<row><c t="inlineStr"><is><t>no r</t></is></c><c><v>12</v></c></row>'
            '<row r="7"><c r="B7" t="inlineStr"><is><t>gap</t></is></c></row>').encode()
    assert_same_rows(upload_bombs._workbook([upload_bombs.SHEET_HEAD, rows, upload_bombs.SHEET_TAIL]))


def test_an_import_writes_the_history_of_every_task_it_creates_or_changes(pm_client, pm, plan, checklist):  # noqa: F811
    billing = checklist["billing"]

    def edit(rows):
        row = next(row for row in rows[1:] if row[col(rows, "id")] == billing.pk)
        row[col(rows, "duration")] = 9
        new = [None] * len(rows[0])
        new[col(rows, "title")] = "新任务"
        rows.append(new)

    data = edited(excel.export_workbook(plan), edit)
    response = pm_client.post(f"/plans/{plan.pk}/exchange/import/xlsx/",
                              {"file": SimpleUploadedFile("checklist.xlsx", data)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    billing.refresh_from_db()
    assert billing.duration == 9 and billing.version == 2
    record = billing.history.order_by("-history_id").first()
    assert (record.history_type, record.duration, record.version, record.history_user) == ("~", 9, 2, pm)
    new = Task.objects.get(plan=plan, title="新任务")
    assert [(r.history_type, r.title, r.history_user) for r in new.history.all()] == [("+", "新任务", pm)]
    assert checklist["docs"].history.count() == 1  # unchanged rows: no record


def test_a_sheet_declaring_entities_is_refused_unread(plan):
    sheet = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
    with pytest.raises(ImportFailed) as refused:
        excel.import_workbook(plan, upload_bombs._workbook([sheet]))
    assert "not an Excel workbook" in str(refused.value)


def test_a_sheet_of_too_many_rows_is_refused_after_row_5002(plan, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 50)
    with pytest.raises(ImportFailed) as refused:
        excel.import_workbook(plan, upload_bombs.xlsx_many_rows(0.0001))  # 1,500 rows
    assert "more than 50 rows" in str(refused.value)
