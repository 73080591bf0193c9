"""A product's joint-test matrix as an .xlsx workbook: one row per interface, for each environment
its status, tester, date and request id (typed cells: dates are dates). Headers and labels in the
reader's language, like the checklist export (sharing/exchange/excel.py)."""
import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Interface, JointTest
from .rollup import ENVIRONMENTS, _tester_name

# Headers are part of the file: fixed English and Chinese texts, one of them per the reader's language.
HEADERS = {
    "method": ("Method", "方法"), "path": ("Path", "路径"), "summary": ("Summary", "说明"),
    "side": ("Provided by", "提供方"), "status": ("status", "状态"), "tester": ("tester", "测试人"),
    "tested_on": ("tested on", "测试日期"), "request_id": ("request id", "请求 ID"), "note": ("internal note", "内部备注"),
}
SHEET = {"en": "Joint tests", "zh": "联调矩阵"}
FILLS = {JointTest.Status.PASSED: "D7F0DD", JointTest.Status.FAILED: "F8D7DA", JointTest.Status.BLOCKED: "FBE3C2",
         JointTest.Status.IN_PROGRESS: "DCE8FA"}


def _lang():
    return "zh" if (translation.get_language() or "zh-hans").startswith("zh") else "en"


def _header(key, lang):
    en, zh = HEADERS[key]
    return zh if lang == "zh" else en


def _text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value or "")


def matrix_workbook(product):
    """The matrix as .xlsx bytes (three queries)."""
    lang = _lang()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET[lang]
    per_env = ("status", "tester", "tested_on", "request_id", "note")
    headers = [_header(key, lang) for key in ("method", "path", "summary", "side")]
    for env in ENVIRONMENTS:
        label = str(env.label)
        headers += [f"{label} · {_header(key, lang)}" if lang == "en" else f"{label}·{_header(key, lang)}"
                    for key in per_env]
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF8")
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col, value=text)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    interfaces = list(Interface.objects.filter(product=product).only(
        "pk", "method", "path", "summary", "direction", "position"))
    tests = {(t.interface_id, t.environment): t for t in JointTest.objects.filter(
        interface__product=product).select_related("tester").only(
        "interface_id", "environment", "status", "tested_on", "request_id", "note",
        "tester__first_name", "tester__last_name", "tester__username")}
    statuses = dict(JointTest.Status.choices)
    for row_number, interface in enumerate(interfaces, start=2):
        values = [interface.method, interface.path, interface.summary, str(interface.get_direction_display())]
        fills = []
        for env in ENVIRONMENTS:
            test = tests.get((interface.pk, env.value))
            status = test.status if test else JointTest.Status.NOT_STARTED
            fills.append((len(values) + 1, FILLS.get(status)))
            tester = _tester_name(test.tester.first_name, test.tester.last_name, test.tester.username) \
                if test and test.tester_id else ""
            values += [str(statuses[status]), tester, test.tested_on if test else None,
                       test.request_id if test else "", test.note if test else ""]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=col)
            if isinstance(value, str):
                cell.value = _text(value)
                cell.data_type = "s"  # "=cmd|…" stays text, never a formula
            else:
                cell.value = value
                if value is not None:
                    cell.number_format = "yyyy-mm-dd"
        for col, colour in fills:
            if colour:
                sheet.cell(row=row_number, column=col).fill = PatternFill("solid", fgColor=colour)
    widths = [9, 38, 30, 14] + [12, 12, 12, 18, 24] * len(ENVIRONMENTS)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
