"""MS Project files as MS Project 2003–2019 save them (tests/sharing/corpus/make_mspdi.py): the import
keeps units (a 7.5-hour day, elapsed = calendar time), constraints one to one where the plan has them
and names the others, links of every type and lag, links to and from summary tasks, manual starts."""
import datetime
import xml.etree.ElementTree as ET
import zoneinfo
from pathlib import Path

import pytest
import time_machine

from schedule.models import Task, TaskLink
from sharing import services
from sharing.exchange import ImportFailed, mspdi
from sharing.views.exchange import summary_text
from tests.factories import PlanFactory

CORPUS = Path(__file__).parent / "corpus"
NS = {"p": "http://schemas.microsoft.com/project"}
BEFORE_THE_PLAN = datetime.datetime(2026, 12, 1, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def plan_2027(pm, product, scenario):
    return PlanFactory(name="导入", product=product, scenario=scenario, owner=pm, start_date=datetime.date(2027, 1, 4))


def imported(plan, name):
    with time_machine.travel(BEFORE_THE_PLAN, tick=False):
        result = services.import_msproject(plan=plan, data=(CORPUS / name).read_bytes())
    tasks = {task.title: task for task in Task.objects.filter(plan=plan).select_related("phase")}
    return result, tasks


def links_of(plan):
    return sorted((link.predecessor.title, link.successor.title, link.type, link.lag)
                  for link in TaskLink.objects.filter(successor__plan=plan).select_related("predecessor", "successor"))


def test_a_seven_and_a_half_hour_day_keeps_its_durations(plan_2027):
    result, tasks = imported(plan_2027, "msp2003_7.5h_day.xml")
    assert result.created == 6
    durations = {title: task.duration for title, task in tasks.items()}
    assert durations == {"二十天": 20, "一周": 5, "一个月": 20, "两小时": 1, "九十分钟": 1, "三天半": 4}
    assert links_of(plan_2027) == [("二十天", "一周", "FS", 1)]


def test_elapsed_durations_and_lags_are_calendar_time(plan_2027):
    result, tasks = imported(plan_2027, "msp2010_elapsed.xml")
    durations = {title: task.duration for title, task in tasks.items()}
    assert durations == {"一个日历日": 1, "一个日历周": 5, "一个日历月": 22, "三个日历小时": 1,
                         "隔一个日历日": 2, "隔一个日历周": 1}
    assert links_of(plan_2027) == [("一个日历周", "隔一个日历周", "FS", 5), ("一个日历日", "隔一个日历日", "FS", 1)]
    assert "4 elapsed durations (calendar time) were counted as working days, 5 for 7." in result.notes


def test_constraints_map_one_to_one_and_the_others_are_named(plan_2027):
    result, tasks = imported(plan_2027, "msp2007_constraints.xml")
    assert result.created == 9
    kept = {title: (task.start_no_earlier_than, task.must_start_on, task.deadline) for title, task in tasks.items()}
    day = datetime.date
    assert kept == {
        "尽早": (None, None, None), "尽晚": (None, None, None), "不得晚于开始": (None, None, None),
        "不得早于完成": (None, None, None),
        "必须开始于": (None, day(2027, 1, 11), None),  # a fixed start
        "必须完成于": (None, day(2027, 1, 15), None),  # 1 day that must finish on 01-15: fixed to start then
        "不得早于开始": (day(2027, 1, 13), None, None),
        "不得晚于完成": (None, None, day(2027, 1, 29)),  # FNLT is a deadline; the earlier of it and the file's
        "有期限": (None, None, day(2027, 2, 12)),
    }
    assert tasks["必须开始于"].early_start == day(2027, 1, 11)
    assert tasks["必须完成于"].early_finish == day(2027, 1, 15)
    assert tasks["不得早于开始"].early_start == day(2027, 1, 13)
    assert result.notes[:4] == [
        "3 constraints of these kinds were not kept: as late as possible (尽晚); start no later than (不得晚于开始); "
        "finish no earlier than (不得早于完成).",
        "1 “must start on” is kept as a fixed start (a predecessor finishing later is reported, never moves it): "
        "必须开始于.",
        "1 “must finish on” became a fixed start, its duration before that finish (a longer duration later moves "
        "the finish, not the start): 必须完成于.",
        "1 “finish no later than” became a deadline."]
    assert "3 constraints of these kinds were not kept" in summary_text(result)


def test_fixed_dates_keep_the_dates_ms_project_shows(plan_2027):
    """MS Project keeps a "must start on" task on its date even when its predecessor finishes later
    (negative slack), and starts a 3-day "must finish on" task 3 working days before that finish."""
    result, tasks = imported(plan_2027, "msp2016_fixed_dates.xml")
    day = datetime.date
    shown_by_ms_project = {"开发": (day(2027, 1, 4), day(2027, 1, 8)), "发布会": (day(2027, 1, 6), day(2027, 1, 6)),
                           "验收": (day(2027, 1, 13), day(2027, 1, 15)), "复盘": (day(2027, 1, 7), day(2027, 1, 7))}
    assert {title: (task.early_start, task.early_finish) for title, task in tasks.items()} == shown_by_ms_project
    assert tasks["发布会"].must_start_on == day(2027, 1, 6) and tasks["验收"].must_start_on == day(2027, 1, 13)
    # The conflict is said, as MS Project's negative slack is: on the fixed task and on what pushes it.
    assert tasks["发布会"].schedule_note_text == ("Keeps its fixed start (must start on), but its predecessors "
                                                 "finish 3 working days too late for it.")
    assert tasks["开发"].total_float == -3
    assert tasks["开发"].schedule_note_text == ("Makes “发布会” miss its fixed start (must start on) by 3 working "
                                               "days.")
    # Exported again, both are "must start on" (ConstraintType 2) with their dates.
    root = ET.fromstring(mspdi.export_xml(plan_2027))
    constraints = {el.findtext("p:Name", namespaces=NS): (el.findtext("p:ConstraintType", namespaces=NS),
                                                          (el.findtext("p:ConstraintDate", namespaces=NS) or "")[:10])
                   for el in root.findall("p:Tasks/p:Task", NS)}
    assert constraints["发布会"] == ("2", "2027-01-06") and constraints["验收"] == ("2", "2027-01-13")
    assert constraints["开发"] == ("0", "")


def test_every_link_type_lag_and_summary_link(plan_2027):
    result, tasks = imported(plan_2027, "msp2019_links.xml")
    assert result.created == 9 and result.links == 12
    assert sorted(result.phases_created) == ["准备", "开发"]
    assert {title: task.phase.name if task.phase else None for title, task in tasks.items()} == {
        "调研": "准备", "方案": "准备", "接口": "开发", "页面": "开发", "联调": None, "文档": None, "培训": None,
        "手动排期": None, "上线": None}
    assert links_of(plan_2027) == sorted([
        ("调研", "方案", "FS", 0),
        ("调研", "接口", "FS", 0), ("方案", "接口", "FS", 0),  # 开发 follows 准备: each task of both
        ("调研", "页面", "FS", 0), ("方案", "页面", "FS", 0), ("接口", "页面", "SS", 1),
        ("接口", "联调", "FS", -1), ("页面", "联调", "FS", -1),  # 联调 follows the summary 开发 minus a day
        ("方案", "文档", "FF", 2), ("文档", "培训", "SF", 0),
        ("联调", "上线", "FS", 0), ("培训", "上线", "FS", 0),
    ])
    assert "2 links to or from summary tasks now link each of their tasks." in result.notes
    # The manually scheduled task keeps its start in the file.
    assert tasks["手动排期"].start_no_earlier_than == datetime.date(2027, 2, 1)
    assert tasks["手动排期"].early_start == datetime.date(2027, 2, 1)
    assert any("1 task keeps its start in the file" in note for note in result.notes)
    assert tasks["调研"].early_start == datetime.date(2027, 1, 4)
    assert tasks["接口"].early_start > tasks["方案"].early_finish


def test_a_file_without_tasks_says_so(plan_2027):
    with pytest.raises(ImportFailed) as caught:
        mspdi.import_xml(plan_2027, (CORPUS / "msp2007_empty.xml").read_bytes())
    assert "The file has no tasks" in str(caught.value.problems[0])
    assert not Task.objects.filter(plan=plan_2027).exists()


# ------------------------------------------------------------------ importing the same file again
def test_importing_the_same_file_again_updates_instead_of_duplicating(plan_2027):
    first, tasks = imported(plan_2027, "msp2019_links.xml")
    links_before = links_of(plan_2027)
    interface = tasks["接口"]
    interface.status = Task.Status.BLOCKED  # set in Paasport meanwhile: the file says nothing new about it
    interface.save()
    again, tasks = imported(plan_2027, "msp2019_links.xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert Task.objects.filter(plan=plan_2027).count() == 9
    assert links_of(plan_2027) == links_before
    assert tasks["接口"].status == Task.Status.BLOCKED

    # The file changed in MS Project: a longer task, a new lag, a new task.
    text = (CORPUS / "msp2019_links.xml").read_text(encoding="utf-8")
    text = text.replace("<Name>方案</Name><Type>1</Type><IsNull>0</IsNull><OutlineLevel>2</OutlineLevel><Manual>0"
                        "</Manual><Start>2027-01-04T08:00:00</Start><Finish>2027-01-04T08:00:00</Finish><Duration>"
                        "PT16H0M0S", "<Name>方案</Name><Type>1</Type><IsNull>0</IsNull><OutlineLevel>2</OutlineLevel>"
                        "<Manual>0</Manual><Start>2027-01-04T08:00:00</Start><Finish>2027-01-04T08:00:00</Finish>"
                        "<Duration>PT40H0M0S")
    text = text.replace("<PredecessorUID>3</PredecessorUID><Type>0</Type><CrossProject>0</CrossProject><LinkLag>9600",
                        "<PredecessorUID>3</PredecessorUID><Type>0</Type><CrossProject>0</CrossProject><LinkLag>14400")
    text = text.replace("</Tasks>", "<Task><UID>12</UID><ID>12</ID><Name>复盘</Name><OutlineLevel>1</OutlineLevel>"
                        "<Duration>PT8H0M0S</Duration></Task></Tasks>")
    changes, _notes = mspdi.preview_xml(plan_2027, text.encode())
    shown = {(change.item.name, change.task is None): (sorted(change.fields), change.links)
             for change in changes if change.changed}
    assert shown == {("方案", False): (["duration"], False), ("文档", False): ([], True), ("复盘", True): ([], False)}
    assert changes[1].fields["duration"] == (2, 5)
    with time_machine.travel(BEFORE_THE_PLAN, tick=False):
        result = services.import_msproject(plan=plan_2027, data=text.encode())
    assert (result.created, result.updated, result.unchanged) == (1, 2, 7)
    assert Task.objects.get(plan=plan_2027, title="方案").duration == 5
    assert ("方案", "文档", "FF", 3) in links_of(plan_2027)
    assert Task.objects.filter(plan=plan_2027).count() == 10


def test_our_export_imported_into_the_same_plan_changes_nothing(plan_2027):
    imported(plan_2027, "msp2019_links.xml")
    before = sorted(Task.objects.filter(plan=plan_2027).values_list(
        "pk", "title", "duration", "start_no_earlier_than", "deadline", "status", "percent_complete", "version"))
    links_before = links_of(plan_2027)
    with time_machine.travel(BEFORE_THE_PLAN, tick=False):
        data = mspdi.export_xml(plan_2027)
        result = services.import_msproject(plan=plan_2027, data=data)
    assert (result.created, result.updated) == (0, 0)
    assert sorted(Task.objects.filter(plan=plan_2027).values_list(
        "pk", "title", "duration", "start_no_earlier_than", "deadline", "status", "percent_complete",
        "version")) == before
    assert links_of(plan_2027) == links_before
