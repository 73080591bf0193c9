import datetime
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from schedule.models import Phase, Task, TaskLink, Visibility, WatchOut
from sharing.exchange import ImportFailed, excel
from stakeholders.models import PlanStakeholder, Stakeholder
from tests.factories import PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, WatchOutFactory


@pytest.fixture
def checklist(plan, flow):
    """A small plan: two phases, an owner with concerns, links with lags, watch-outs, a milestone."""
    prepare = PhaseFactory(plan=plan, name="准备", position=0)
    build = PhaseFactory(plan=plan, name="开发联调", position=1)
    owner = PlanStakeholderFactory(
        plan=plan, position=0, stakeholder=StakeholderFactory(name="王工", organisation="MTP 厂商",
                                                      side=Stakeholder.Side.PARTNER),
        concerns="接口稳定性与日活", audience=PlanStakeholder.Audience.PARTNER, relevance=5, influence=4)
    kickoff = TaskFactory(plan=plan, phase=prepare, title="项目启动会", duration=1, position=0, owner=owner,
                                  description="双方对齐目标\n确定节奏")
    docs = TaskFactory(plan=plan, phase=prepare, title="阅读官方文档", duration=2, position=1,
                               related_flow=flow, visibility=Visibility.SHARED,
                               start_no_earlier_than=datetime.date(2026, 9, 3))
    billing = TaskFactory(plan=plan, phase=build, title="计费配置", duration=3, position=0,
                                  deadline=datetime.date(2026, 9, 30), status=Task.Status.IN_PROGRESS,
                                  percent_complete=40, actual_start=datetime.date(2026, 9, 2))
    launch = TaskFactory(plan=plan, title="正式上线", duration=0, is_milestone=True, position=0,
                                 deadline=datetime.date(2026, 10, 15))
    TaskLinkFactory(predecessor=kickoff, successor=billing, type="FS", lag=2)
    TaskLinkFactory(predecessor=docs, successor=billing, type="SS", lag=0)
    TaskLinkFactory(predecessor=billing, successor=launch, type="FF", lag=-1)
    WatchOutFactory(task=billing, text="确认计费口径", done=True, position=0)
    WatchOutFactory(task=billing, text="对账周期", position=1)
    return {"kickoff": kickoff, "docs": docs, "billing": billing, "launch": launch, "owner": owner,
            "prepare": prepare, "build": build}


def snapshot(plan):
    """Everything an import could touch, to assert that a refused file changed nothing."""
    tasks = list(Task.objects.filter(plan=plan).order_by("pk").values(
        "pk", "title", "phase_id", "owner_id", "duration", "is_milestone", "status", "percent_complete",
        "deadline", "visibility", "position", "version", "description"))
    links = list(TaskLink.objects.filter(successor__plan=plan).order_by("pk").values_list(
        "predecessor_id", "successor_id", "type", "lag"))
    watchouts = list(WatchOut.objects.filter(task__plan=plan).order_by("pk").values_list("task_id", "text", "done"))
    phases = list(Phase.objects.filter(plan=plan).order_by("pk").values_list("name", "position"))
    return tasks, links, watchouts, phases


def sheet_rows(data):
    book = load_workbook(io.BytesIO(data))
    return book, [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def workbook_bytes(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(data, edit):
    """The exported workbook with `edit(rows)` applied, as bytes again."""
    _book, rows = sheet_rows(data)
    edit(rows)
    return workbook_bytes(rows)


def col(rows, key):
    return rows[0].index(excel.BY_KEY[key].en)


# ------------------------------------------------------------------ export
def test_export_has_one_row_per_task_with_the_briefs_columns(plan, checklist):
    book, rows = sheet_rows(excel.export_workbook(plan))
    header = rows[0]
    for name in ("Task ID", "Time", "Priority", "Contact", "Contact's concerns", "Business", "Phase", "Title",
                 "Predecessors", "Watch-outs", "Status", "% complete", "Visibility"):
        assert name in header
    assert len(rows) == 5
    by_title = {row[col(rows, "title")]: row for row in rows[1:]}
    assert [row[col(rows, "title")] for row in rows[1:]] == ["项目启动会", "阅读官方文档", "计费配置", "正式上线"]
    kickoff = by_title["项目启动会"]
    assert kickoff[col(rows, "owner")] == "王工"
    assert kickoff[col(rows, "concerns")] == "接口稳定性与日活"
    assert kickoff[col(rows, "phase")] == "准备"
    assert by_title["阅读官方文档"][col(rows, "business")] == "登录防护"
    billing = by_title["计费配置"]
    k, d = checklist["kickoff"].pk, checklist["docs"].pk
    assert billing[col(rows, "predecessors")] == f"{k}FS+2; {d}SS"  # task ids, in id order
    assert billing[col(rows, "watchouts")] == "[x] 确认计费口径\n对账周期"
    assert billing[col(rows, "status")] == "In progress"
    assert billing[col(rows, "deadline")] == datetime.datetime(2026, 9, 30)
    # time comes from the scheduler, priority from the team ranking
    billing_task = Task.objects.get(pk=checklist["billing"].pk)
    assert billing[col(rows, "time")] == f"{billing_task.early_start:%Y-%m-%d} – {billing_task.early_finish:%Y-%m-%d}"
    assert billing[col(rows, "priority")].startswith("#")
    assert by_title["正式上线"][col(rows, "milestone")] == "yes"
    assert "Columns" in book.sheetnames


def test_export_headers_follow_the_language(plan, checklist):
    with translation.override("zh-hans"):
        _book, rows = sheet_rows(excel.export_workbook(plan))
    for name in ("时间", "优先级", "对接人", "对接人关注点", "业务"):
        assert name in rows[0]


def test_a_title_that_looks_like_a_formula_is_written_as_text(plan, checklist):
    Task.objects.filter(pk=checklist["kickoff"].pk).update(title='=HYPERLINK("http://evil.example","x")')
    data = excel.export_workbook(plan)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Title") + 1)
    assert cell.value == '=HYPERLINK("http://evil.example","x")'
    assert cell.data_type == "s"  # a string cell: Excel shows it, never evaluates it
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


# ------------------------------------------------------------------ round trip
def test_export_then_import_changes_nothing(plan, checklist):
    data = excel.export_workbook(plan)
    before = snapshot(plan)
    result = excel.import_workbook(plan, data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert snapshot(plan) == before


def test_chinese_export_imports_under_english_and_back(plan, checklist):
    with translation.override("zh-hans"):
        data = excel.export_workbook(plan)
    before = snapshot(plan)
    result = excel.import_workbook(plan, data)
    assert (result.created, result.updated) == (0, 0)
    assert snapshot(plan) == before


def test_rows_update_by_id_and_create_without_id(plan, checklist):
    data = excel.export_workbook(plan)
    billing = checklist["billing"]

    def edit(rows):
        row = next(r for r in rows if r[0] == billing.pk)
        row[col(rows, "title")] = "计费与结算配置"
        row[col(rows, "duration")] = 5
        row[col(rows, "status")] = "进行中"  # Chinese label
        row[col(rows, "watchouts")] = "[x] 确认计费口径\n[x] 对账周期\n发票"
        new = [None] * len(rows[0])
        new[col(rows, "title")] = "压测"
        new[col(rows, "phase")] = "上线准备"  # a phase the plan does not have yet
        new[col(rows, "owner")] = "王工"
        new[col(rows, "status")] = "blocked"  # stored key
        new[col(rows, "predecessors")] = f"{billing.pk}FS+1"
        rows.append(new)

    result = excel.import_workbook(plan, edited(data, edit))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 3)
    assert result.phases_created == ["上线准备"]
    billing.refresh_from_db()
    assert billing.title == "计费与结算配置" and billing.duration == 5 and billing.version == 2
    assert [(w.text, w.done) for w in billing.watchouts.order_by("position")] == [
        ("确认计费口径", True), ("对账周期", True), ("发票", False)]
    new = Task.objects.get(title="压测")
    assert new.phase.name == "上线准备" and new.owner == checklist["owner"] and new.status == "blocked"
    assert new.predecessor_links.get().predecessor == billing
    assert new.predecessor_links.get().lag == 1


# ------------------------------------------------------------------ refused files change nothing
def assert_refused(plan, data, *expected):
    before = (snapshot(plan), Task.objects.count(), Phase.objects.count())
    with pytest.raises(ImportFailed) as caught:
        excel.import_workbook(plan, data)
    assert (snapshot(plan), Task.objects.count(), Phase.objects.count()) == before
    texts = [str(problem) for problem in caught.value.problems]
    for fragment in expected:
        assert any(fragment in text for text in texts), (fragment, texts)
    return caught.value.problems


def test_every_bad_row_is_reported_with_row_and_column(plan, checklist, other_pm, product):

    other = PlanFactory(name="别人的计划", product=product, owner=other_pm, start_date=datetime.date(2026, 9, 1))
    foreign = TaskFactory(duration=1, plan=other, title="别人的任务")
    data = excel.export_workbook(plan)
    kickoff = checklist["kickoff"]

    def edit(rows):
        rows[1][col(rows, "deadline")] = "2026-13-45"          # row 2: bad date
        rows[1][col(rows, "actual_start")] = "9999-12-31"      # row 2: a date no plan can use
        rows[2][col(rows, "owner")] = "张三"                     # row 3: unknown owner
        rows[3][col(rows, "duration")] = -2                     # row 4: negative duration
        rows[4][col(rows, "status")] = "finished-ish"           # row 5: bad status
        rows[4][col(rows, "visibility")] = "public"             # row 5: bad visibility
        extra = [None] * len(rows[0])
        extra[col(rows, "id")] = foreign.pk                     # row 6: another plan's task
        extra[col(rows, "title")] = "偷梁换柱"
        rows.append(extra)
        dup = list(rows[1])                                     # row 7: duplicate id
        rows.append(dup)
        unknown = [None] * len(rows[0])
        unknown[col(rows, "title")] = "新任务"
        unknown[col(rows, "predecessors")] = "999999FS"          # row 8: unknown predecessor
        rows.append(unknown)

    problems = assert_refused(
        plan, edited(data, edit),
        "Row 2, column “Deadline”", "Row 2, column “Actual start”: 9999-12-31 is outside the dates a plan can use",
        "Row 3, column “Contact”: Unknown contact “张三”",
        "Row 4, column “Duration (working days)”: Must be at least 0", "Row 5, column “Status”",
        "Row 5, column “Visibility”", f"Row 6, column “Task ID”: Task {foreign.pk} belongs to another plan",
        f"Row 7, column “Task ID”: Task {kickoff.pk} appears twice", "Row 8, column “Predecessors”")
    assert len(problems) >= 9
    assert Task.objects.get(pk=foreign.pk).title == "别人的任务"


def test_a_dependency_cycle_names_the_tasks(plan, checklist):
    data = excel.export_workbook(plan)
    launch = checklist["launch"]

    def edit(rows):
        kickoff_row = next(r for r in rows if r[0] == checklist["kickoff"].pk)
        kickoff_row[col(rows, "predecessors")] = f"{launch.pk}FS"

    problems = assert_refused(plan, edited(data, edit), "cycle", "项目启动会", "计费配置", "正式上线")
    assert any(problem.column == "Predecessors" for problem in problems)


def test_missing_and_unknown_columns(plan, checklist):
    data = workbook_bytes([["Task ID", "Colour", "Phase"], [None, "red", "准备"]])
    assert_refused(plan, data, "Row 1, column “Colour”: Unknown column")
    # Without a title column the sheet only updates: a row without id says so.
    data = workbook_bytes([["Task ID", "Phase"], [None, "准备"]])
    assert_refused(plan, data, "Row 2, column “Task ID”: No task id: this sheet has no column “Title”")
    data = workbook_bytes([["Phase", "Status"], ["准备", "Done"]])
    assert_refused(plan, data, "Row 1: The file needs the column “Task ID”")


def test_unknown_phase_is_not_created_when_another_row_is_bad(plan, checklist):
    data = workbook_bytes([["任务", "阶段", "工期（工作日）"], ["新任务", "全新阶段", 2], ["另一个", "全新阶段", "三天"]])
    assert_refused(plan, data, "Row 3, column “工期（工作日）”")
    assert not Phase.objects.filter(name="全新阶段").exists()


def test_milestone_with_duration_and_done_without_100_percent(plan, checklist):
    data = workbook_bytes([["Title", "Milestone", "Duration (working days)", "Status", "% complete"],
                           ["上线", "yes", 3, "Not started", 0], ["验收", "", 1, "Done", 50]])
    assert_refused(plan, data, "Row 2, column “Duration (working days)”: A milestone has a duration of 0",
                   "Row 3, column “% complete”: A done task is 100% complete")


@pytest.mark.parametrize("content", [b"title,duration\nhello,1\n", b"PK\x03\x04 not really a zip", b""])
def test_files_that_are_not_xlsx(plan, checklist, content):
    assert_refused(plan, content, "not an Excel workbook")


def test_a_corrupt_zip_is_refused(plan, checklist):
    data = excel.export_workbook(plan)
    assert_refused(plan, data[: len(data) // 2], "not an Excel workbook")


def test_size_and_row_caps(plan, checklist, monkeypatch):
    assert_refused(plan, b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), "larger than 5 MB")
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    rows = [["Title"]] + [[f"任务 {i}"] for i in range(5)]
    assert_refused(plan, workbook_bytes(rows), "more than 3 rows")


def test_import_accepts_english_and_chinese_values(plan, checklist):
    data = workbook_bytes([["title", "状态", "Visibility", "里程碑", "Start no earlier than", "Watch-outs"],
                           ["一", "已完成", "Shared with partner", "否", "2026/09/10", "[ ] 未勾选\n[x] 已勾选"],
                           ["二", "In progress", "仅内部", "no", datetime.datetime(2026, 9, 11), None]])
    result = excel.import_workbook(plan, data)
    assert result.created == 2
    one, two = Task.objects.get(title="一"), Task.objects.get(title="二")
    assert one.status == "done" and one.percent_complete == 100 and one.visibility == "shared"
    assert one.start_no_earlier_than == datetime.date(2026, 9, 10)
    assert [(w.text, w.done) for w in one.watchouts.order_by("position")] == [("未勾选", False), ("已勾选", True)]
    assert two.status == "in_progress" and two.visibility == "internal"
