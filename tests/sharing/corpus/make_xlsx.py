"""Writes the xlsx files of this corpus the way LibreOffice Calc and Excel store what a PM typed:
percentages as fractions with a "0%" number format, dates as day numbers with a date format
(ISO, "YYYY/M/D", Chinese "YYYY年M月D日"), dates typed as text. Run from the repository root:

    .venv/bin/python tests/sharing/corpus/make_xlsx.py

The files are committed; this script documents how they were made (no LibreOffice on CI).
"""
import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def pm_typed():
    """New tasks, every cell as typed in Calc (Chinese headers, some short: 工期, 完成率)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["任务", "工期", "最早开始", "截止日期", "完成率", "实际开始", "状态"])
    rows = [
        # title, duration, SNET, deadline, percent (cell value, number format), actual start, status
        ("百分比单元格", 3, "2027/1/6", datetime.date(2027, 1, 29), (0.5, "0%"), "2027-1-6", "进行中"),
        ("两位小数百分比", 2, "2027年1月8日", "1月29日", (0.25, "0.00%"), datetime.date(2027, 1, 7), "进行中"),
        ("文字百分比", 1, "2027-1-6", "2027.2.3", ("75%", None), "2027/01/06", "进行中"),
        ("日期格式单元格", 4, datetime.date(2027, 1, 11), datetime.date(2027, 2, 26), (1, "0%"),
         datetime.date(2027, 1, 4), "已完成"),
    ]
    formats = {2: "YYYY/M/D", 3: 'YYYY"年"M"月"D"日"', 5: "YYYY-MM-DD"}
    for title, duration, snet, deadline, (percent, percent_format), actual, status in rows:
        sheet.append([title, duration, snet, deadline, percent, actual, status])
        row = sheet.max_row
        for index, value in enumerate([title, duration, snet, deadline, percent, actual, status]):
            cell = sheet.cell(row=row, column=index + 1)
            if isinstance(value, datetime.date):
                cell.number_format = formats.get(index, "YYYY-MM-DD")
            if index == 4 and percent_format:
                cell.number_format = percent_format
    book.save(HERE / "pm_typed.xlsx")


def pm_refused():
    """Cells no reading can take: each refusal must name row, column, value and the accepted forms."""
    book = Workbook()
    sheet = book.active
    sheet.append(["任务", "工期", "截止日期", "完成率", "里程碑"])
    sheet.append(["坏日期", 2, "下周三", 0.5, ""])
    sheet.append(["坏工期", "两天", "2027/2/30", "一半", "也许"])
    sheet.cell(row=2, column=4).number_format = "0%"
    book.save(HERE / "pm_refused.xlsx")


if __name__ == "__main__":
    pm_typed()
    pm_refused()
