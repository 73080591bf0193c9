"""The boss's weekly report: the portfolio as filtered, as an Excel workbook (one sheet, every
readable workspace in it; the Workspace column tells them apart)."""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from sharing.exchange.excel import _write_row


def report_columns():
    """(heading, width, value of a row) of each column, in the current language."""
    return [
        (_("Workspace"), 18, lambda row: row.workspace),
        (_("Plan"), 30, lambda row: row.name),
        (_("Product"), 20, lambda row: row.product),
        (_("Scenario kind"), 10, lambda row: row.scenario_kind),
        (_("Owner"), 14, lambda row: row.owner),
        (_("Status"), 10, lambda row: row.status_label),
        (_("Health"), 10, lambda row: row.health_label),
        (_("Why"), 50, lambda row: "\n".join(row.reasons)),
        (_("Forecast launch"), 14, lambda row: row.forecast_launch),
        (_("Target launch"), 14, lambda row: row.target),
        (_("Slip (working days)"), 12, lambda row: row.slip),
        (_("Done %"), 8, lambda row: row.percent_done),
        (_("Next milestone"), 30, lambda row: (f"{row.next_milestone.date or '—'} {row.next_milestone.title}"
                                               if row.next_milestone else "")),
        (_("Open blockers"), 30, lambda row: "\n".join(row.blockers)),
        (_("Interface tests passed"), 10, lambda row: row.interfaces_passed if row.interfaces_total else None),
        (_("Interface tests (all)"), 10, lambda row: row.interfaces_total or None),
        (_("Interface tests blocked"), 10, lambda row: row.interfaces_blocked if row.interfaces_total else None),
    ]


def portfolio_workbook(rows, *, holiday_notes=()):
    """.xlsx bytes of the rows (user text is always stored as text, never as a formula).
    ``holiday_notes`` (selectors.holiday_notes_of_rows): a note row each under the table, after
    a blank row, so that the table itself stays one block to filter and sort."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Portfolio")[:31]
    columns = report_columns()
    _write_row(sheet, 1, [heading for heading, _width, _value in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF8")
    for col, (_heading, width, _value) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(col)].width = width
    for number, row in enumerate(rows, start=2):
        _write_row(sheet, number, [value(row) for _heading, _width, value in columns])
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
    below = sheet.max_row + 2
    for number, note in enumerate(holiday_notes, start=below):
        _write_row(sheet, number, ["⚠ " + note.text])
        sheet.cell(row=number, column=1).font = Font(italic=True, color="7A5200")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
