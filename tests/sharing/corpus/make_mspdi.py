"""Writes the MSPDI files of this corpus in the shape MS Project 2003–2019 saves them (header fields
of each version, durations as working hours PT…H…M…S with their display format, elapsed formats,
constraints, links with lags in tenths of a minute). Run from the repository root:

    .venv/bin/python tests/sharing/corpus/make_mspdi.py

The files are committed; the assertions on them are in tests/sharing/test_mspdi_corpus.py.
"""
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
HEADERS = {  # SaveVersion as written by each MS Project version, and fields it adds
    "2003": (9, ""),
    "2007": (12, ""),
    "2010": (14, "<ProjectExternallyEdited>0</ProjectExternallyEdited>"),
    "2016": (14, "<ProjectExternallyEdited>0</ProjectExternallyEdited>"),
    "2019": (21, "<ProjectExternallyEdited>0</ProjectExternallyEdited><StatusDate>NA</StatusDate>"),
}


def task(uid, name, *, level=1, summary=0, duration="PT8H0M0S", fmt=7, start="2027-01-04T08:00:00",
         finish=None, constraint=0, constraint_date=None, milestone=0, manual=0, links=(), percent=0,
         deadline=None, actual_start=None, notes=None):
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"paasport-corpus/{name}/{uid}")
    parts = [f"<UID>{uid}</UID>", f"<GUID>{str(guid).upper()}</GUID>", f"<ID>{uid}</ID>",
             f"<Name>{escape(name)}</Name>", "<Type>1</Type>", "<IsNull>0</IsNull>",
             f"<OutlineLevel>{level}</OutlineLevel>", f"<Manual>{manual}</Manual>", f"<Start>{start}</Start>",
             f"<Finish>{finish or start}</Finish>", f"<Duration>{duration}</Duration>",
             f"<DurationFormat>{fmt}</DurationFormat>", f"<Milestone>{milestone}</Milestone>",
             f"<Summary>{summary}</Summary>", f"<PercentComplete>{percent}</PercentComplete>",
             f"<ConstraintType>{constraint}</ConstraintType>", "<CalendarUID>-1</CalendarUID>"]
    if constraint_date:
        parts.append(f"<ConstraintDate>{constraint_date}</ConstraintDate>")
    if deadline:
        parts.append(f"<Deadline>{deadline}</Deadline>")
    if actual_start:
        parts.append(f"<ActualStart>{actual_start}</ActualStart>")
    if notes:
        parts.append(f"<Notes>{escape(notes)}</Notes>")
    for pred, link_type, lag, lag_format in links:
        parts.append(f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{link_type}</Type>"
                     f"<CrossProject>0</CrossProject><LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat>"
                     "</PredecessorLink>")
    return "<Task>" + "".join(parts) + "</Task>"


def project(version, title, tasks, *, minutes_per_day=480, minutes_per_week=2400, days_per_month=20,
            start="2027-01-04T08:00:00"):
    save_version, extra = HEADERS[version]
    summary = task(0, title, level=0, summary=1, start=start)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Project xmlns="http://schemas.microsoft.com/project">'
            f"<SaveVersion>{save_version}</SaveVersion><Name>{escape(title)}.xml</Name>"
            f"<Title>{escape(title)}</Title>{extra}<ScheduleFromStart>1</ScheduleFromStart>"
            f"<StartDate>{start}</StartDate><CalendarUID>1</CalendarUID>"
            f"<DefaultStartTime>08:00:00</DefaultStartTime><MinutesPerDay>{minutes_per_day}</MinutesPerDay>"
            f"<MinutesPerWeek>{minutes_per_week}</MinutesPerWeek><DaysPerMonth>{days_per_month}</DaysPerMonth>"
            "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
            "</Calendar></Calendars>"
            f"<Tasks>{summary}{''.join(tasks)}</Tasks></Project>\n")


def write(name, text):
    (HERE / name).write_text(text, encoding="utf-8")


def main():
    # A 7.5-hour day (MinutesPerDay 450): 20 days are 150 hours; weeks and months in that day.
    write("msp2003_7.5h_day.xml", project("2003", "七个半小时工作日", [
        task(1, "二十天", duration="PT150H0M0S", fmt=7),
        task(2, "一周", duration="PT37H30M0S", fmt=9, links=[(1, 1, 4500, 7)]),  # FS + 1 day of 450 min
        task(3, "一个月", duration="PT150H0M0S", fmt=11),
        task(4, "两小时", duration="PT2H0M0S", fmt=5),
        task(5, "九十分钟", duration="PT1H30M0S", fmt=3),
        task(6, "三天半", duration="PT26H15M0S", fmt=7),
    ], minutes_per_day=450, minutes_per_week=2250))
    # Elapsed units: calendar time (1 ed = 24 h, 1 ew = 168 h, 1 emo = 30 days).
    write("msp2010_elapsed.xml", project("2010", "日历时间", [
        task(1, "一个日历日", duration="PT24H0M0S", fmt=8),
        task(2, "一个日历周", duration="PT168H0M0S", fmt=10),
        task(3, "一个日历月", duration="PT720H0M0S", fmt=12),
        task(4, "三个日历小时", duration="PT3H0M0S", fmt=6),
        task(5, "隔一个日历日", duration="PT16H0M0S", fmt=7, links=[(1, 1, 14400, 8)]),  # FS + 1 ed
        task(6, "隔一个日历周", duration="PT8H0M0S", fmt=7, links=[(2, 1, 100800, 10)]),  # FS + 1 ew
    ]))
    # Every constraint type (0..7) and an MS Project deadline.
    write("msp2007_constraints.xml", project("2007", "约束", [
        task(1, "尽早", constraint=0),
        task(2, "尽晚", constraint=1),
        task(3, "必须开始于", constraint=2, constraint_date="2027-01-11T08:00:00", start="2027-01-11T08:00:00"),
        task(4, "必须完成于", constraint=3, constraint_date="2027-01-15T17:00:00"),
        task(5, "不得早于开始", constraint=4, constraint_date="2027-01-13T08:00:00", start="2027-01-13T08:00:00"),
        task(6, "不得晚于开始", constraint=5, constraint_date="2027-01-20T08:00:00"),
        task(7, "不得早于完成", constraint=6, constraint_date="2027-01-22T17:00:00"),
        task(8, "不得晚于完成", constraint=7, constraint_date="2027-01-29T17:00:00",
             deadline="2027-02-05T17:00:00"),
        task(9, "有期限", deadline="2027-02-12T17:00:00"),
    ]))
    # All link types and lags, links to and from summary tasks, a manually scheduled task.
    write("msp2019_links.xml", project("2019", "链接", [
        task(1, "准备", summary=1, duration="PT16H0M0S"),
        task(2, "调研", level=2),
        task(3, "方案", level=2, duration="PT16H0M0S", links=[(2, 1, 0, 7)]),
        task(4, "开发", summary=1, duration="PT40H0M0S", links=[(1, 1, 0, 7)]),  # the summary follows 准备
        task(5, "接口", level=2, duration="PT24H0M0S"),
        task(6, "页面", level=2, duration="PT16H0M0S", links=[(5, 3, 4800, 7)]),  # SS + 1 d
        task(7, "联调", level=1, duration="PT16H0M0S", links=[(4, 1, -4800, 7)]),  # FS - 1 d from a summary
        task(8, "文档", level=1, links=[(3, 0, 9600, 7)]),  # FF + 2 d
        task(9, "培训", level=1, links=[(8, 2, 0, 7)]),  # SF
        task(10, "手动排期", level=1, manual=1, start="2027-02-01T08:00:00", finish="2027-02-01T17:00:00"),
        task(11, "上线", level=1, duration="PT0H0M0S", milestone=1, links=[(7, 1, 0, 7), (9, 1, 0, 7)]),
    ]))
    # Fixed dates as MS Project shows them: 发布会 must start on Wed 2027-01-06 although 开发 (5 days
    # from Mon 01-04) finishes on Fri 01-08 -- MS Project keeps the date and shows negative slack; 验收
    # (3 days) must finish on Fri 2027-01-15, so MS Project starts it on Wed 01-13; 复盘 follows 发布会.
    write("msp2016_fixed_dates.xml", project("2016", "固定日期", [
        task(1, "开发", duration="PT40H0M0S", finish="2027-01-08T17:00:00"),
        task(2, "发布会", constraint=2, constraint_date="2027-01-06T08:00:00", start="2027-01-06T08:00:00",
             finish="2027-01-06T17:00:00", links=[(1, 1, 0, 7)]),
        task(3, "验收", duration="PT24H0M0S", constraint=3, constraint_date="2027-01-15T17:00:00",
             start="2027-01-13T08:00:00", finish="2027-01-15T17:00:00"),
        task(4, "复盘", start="2027-01-07T08:00:00", finish="2027-01-07T17:00:00", links=[(2, 1, 0, 7)]),
    ]))
    # Only the project summary task: nothing to import.
    write("msp2007_empty.xml", project("2007", "空项目", []))


if __name__ == "__main__":
    main()
