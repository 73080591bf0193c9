"""A plan's checklist as an .xlsx workbook, one row per task, and back.

File format
-----------
The first worksheet holds the tasks; row 1 is the header. Every column has a stable
key and two fixed header texts, English and Chinese (see :data:`COLUMNS`). Export
writes the header in the current language; import recognises a column by its key, its
English or its Chinese header (case, spaces and full-width brackets do not matter), in
any order. Headers are part of the file format rather than interface text: they stay
fixed, so a file exported in one language imports under the other. A second sheet
("Columns" / "列说明") lists the columns for people editing the file by hand.

Import rules: a row with a task id of this plan updates that task (only the columns
present in the file: a sheet of 任务编号 + 工期 changes durations and nothing else); a row
without id creates a task and needs a title. Cells are read as PMs type them: a
percent-formatted cell (Excel stores 50 % as 0.5), date cells and text dates (2027-01-06,
2027-1-6, 2027/1/6, 2027年1月6日, and 1月6日 in the plan's year). Short headers such as 工期,
负责人 or 完成率 are recognised beside the exported ones (:data:`EXTRA_HEADERS`). Columns marked export-only
(time, priority, contact's concerns) are computed and ignored on import. Status and
visibility accept the stored keys ("in_progress") and the display labels in English or
Chinese ("In progress", "进行中"). Predecessors read "12FS+2; 15SS" with task ids of this
plan. Watch-outs are one per line, "[x] " marking a done one. A phase named in the file
that the plan lacks is created, but only when the whole file is valid.
"""
import datetime
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from onboarding.models import validate_plan_date
from onboarding.versioning import bump
from schedule import scheduling
from schedule.engine import cycle_text, find_cycle
from schedule.bulk import update_rows
from schedule.models import LinkType, Phase, Task, TaskLink, Visibility, WatchOut
from schedule.selectors import with_row_data

from . import MAX_ROWS, MAX_UPLOAD_BYTES, ImportFailed, ImportResult, Problem
from .bounds import SheetRows, UploadTooLarge, check_zip, install_openpyxl_guard


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    zh: str
    width: int
    importable: bool = True

    def header(self, language=None):
        language = language or translation.get_language() or "zh-hans"
        return self.zh if language.startswith("zh") else self.en


COLUMNS = [
    Column("id", "Task ID", "任务编号", 9),
    Column("phase", "Phase", "阶段", 14),
    Column("title", "Title", "任务", 32),
    Column("time", "Time", "时间", 25, importable=False),
    Column("priority", "Priority", "优先级", 13, importable=False),
    Column("owner", "Contact", "对接人", 12),
    Column("concerns", "Contact's concerns", "对接人关注点", 28, importable=False),
    Column("business", "Business", "业务", 16),
    Column("description", "Description", "描述", 36),
    Column("duration", "Duration (working days)", "工期（工作日）", 10),
    Column("milestone", "Milestone", "里程碑", 9),
    Column("start_no_earlier_than", "Start no earlier than", "最早开始", 13),
    Column("must_start_on", "Must start on", "必须开始于", 13),
    Column("deadline", "Deadline", "截止日期", 13),
    Column("status", "Status", "状态", 11),
    Column("percent_complete", "% complete", "完成百分比", 9),
    Column("actual_start", "Actual start", "实际开始", 13),
    Column("actual_finish", "Actual finish", "实际完成", 13),
    Column("visibility", "Visibility", "可见范围", 14),
    Column("predecessors", "Predecessors", "前置任务", 16),
    Column("watchouts", "Watch-outs", "注意事项", 36),
]
BY_KEY = {column.key: column for column in COLUMNS}
DATE_COLUMNS = ("start_no_earlier_than", "must_start_on", "deadline", "actual_start", "actual_finish")
TEXT_COLUMNS = ("id", "phase", "title", "time", "priority", "owner", "concerns", "business", "description",
                "status", "visibility", "predecessors", "watchouts")

# Fixed Chinese labels, accepted whatever the translation catalogue says today.
STATUS_ZH = {"not_started": ["未开始"], "in_progress": ["进行中"], "blocked": ["受阻", "阻塞", "已阻塞"],
             "done": ["已完成", "完成"]}
VISIBILITY_ZH = {"internal": ["仅内部", "内部", "仅内部可见"], "shared": ["对合作方可见", "共享", "与合作方共享"]}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "✓", "√", "是", "◆"}
FALSE_WORDS = {"", "no", "n", "false", "0", "否"}
DONE_MARK = re.compile(r"^\[\s*[xX✓√]\s*\]\s*")
OPEN_MARK = re.compile(r"^\[\s*\]\s*")
# Text dates as PMs type them: 2027-01-06, 2027-1-6, 2027/1/6, 2027.1.6, 2027年1月6日 (a time after it is
# ignored), and 1月6日 / 1-6 within the plan's year.
FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2})?)?$")
MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
EXCEL_SERIALS = (18264, 73051)  # 1950-01-01 .. 2099-12-31 as an Excel day number
PREDECESSOR = re.compile(r"^#?(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+)\s*[dD天]?)?$", re.IGNORECASE)
ZIP_MAGIC = b"PK\x03\x04"
SHEET_TITLE = {"en": "Checklist", "zh": "任务清单"}
SNAPSHOT_TITLE = "_paasport_export"
SNAPSHOT_MARK = "paasport-export-snapshot"
README_TITLE = {"en": "Columns", "zh": "列说明"}

install_openpyxl_guard()  # openpyxl parses sheets with bounds.bounded_iterparse


def _normal(text):
    text = str(text).strip().lower().replace("（", "(").replace("）", ")").replace("％", "%")
    return re.sub(r"\s+", " ", text)


# Short headers PMs type in their own sheets ("任务编号 + 工期"), beside the exported ones.
EXTRA_HEADERS = {
    "id": ("ID", "编号", "Task id", "任务ID"),
    "title": ("任务名称", "名称", "Task", "Task name", "Name"),
    "owner": ("负责人", "Owner"),
    "duration": ("工期", "工期(天)", "工期(工作日)", "Duration", "Duration (days)", "Days", "天数"),
    "milestone": ("是否里程碑",),
    "deadline": ("截止", "截止时间"),
    "must_start_on": ("固定开始", "固定开始日期", "Fixed start"),
    "percent_complete": ("完成率", "完成%", "进度", "% Complete", "Percent complete", "Complete"),
    "status": ("任务状态",),
    "predecessors": ("前置", "紧前任务"),
}


def _header_aliases():
    aliases = {}
    for column in COLUMNS:
        for alias in (column.key, column.en, column.zh, f"{column.zh} / {column.en}", f"{column.en} / {column.zh}",
                      f"{column.zh} ({column.en})", *EXTRA_HEADERS.get(column.key, ())):
            aliases[_normal(alias)] = column.key
    return aliases


HEADER_ALIASES = _header_aliases()


def _choice_aliases(choices, fixed):
    aliases = {}
    for value, label in choices.choices:
        names = [value, *fixed.get(value, [])]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.append(str(label))
        names.append(str(label))
        for name in names:
            aliases[_normal(name)] = value
    return aliases


def _safe_text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _lang():
    return "zh" if (translation.get_language() or "zh-hans").startswith("zh") else "en"


# =========================================================================== export
def _ordered_tasks(plan):
    phases = list(plan.phases.order_by("position", "id"))
    rank = {phase.pk: i for i, phase in enumerate(phases)}
    tasks = with_row_data(Task.objects.filter(plan=plan)).select_related("owner__stakeholder")
    return sorted(tasks, key=lambda t: (rank.get(t.phase_id, len(rank)), t.position, t.pk))


def predecessors_text(links):
    parts = []
    for link in sorted(links, key=lambda link: link.predecessor_id):
        lag = f"{link.lag:+d}" if link.lag else ""
        parts.append(f"{link.predecessor_id}{link.type}{lag}")
    return "; ".join(parts)


def watchouts_text(watchouts):
    return "\n".join(("[x] " if item.done else "") + item.text for item in watchouts)


def _time_text(task):
    if not task.early_start:
        return ""
    if task.early_finish and task.early_finish != task.early_start:
        return f"{task.early_start:%Y-%m-%d} – {task.early_finish:%Y-%m-%d}"
    return f"{task.early_start:%Y-%m-%d}"


def choice_labels():
    """{field: {stored value: label}} for status and visibility, in the current language."""
    return {"status": {value: str(label) for value, label in Task.Status.choices},
            "visibility": {value: str(label) for value, label in Visibility.choices}}


def task_values(task, ranks, lang, labels=None):
    """The row of one task, keyed by column key (``labels``: :func:`choice_labels`, computed once
    for many rows; get_status_display() costs a translation lookup per call)."""
    labels = labels or choice_labels()
    ranked = ranks.get(task.pk)
    owner = task.owner
    return {
        "id": task.pk,
        "phase": task.phase.name if task.phase else "",
        "title": task.title,
        "time": _time_text(task),
        "priority": f"#{ranked.rank} · {ranked.score:.1f}" if ranked else "",
        "owner": owner.stakeholder.name if owner else "",
        "concerns": owner.concerns if owner else "",
        "business": task.related_flow.name if task.related_flow else "",
        "description": task.description,
        "duration": task.duration,
        "milestone": ("是" if lang == "zh" else "yes") if task.is_milestone else "",
        "start_no_earlier_than": task.start_no_earlier_than,
        "must_start_on": task.must_start_on,
        "deadline": task.deadline,
        "status": labels["status"].get(task.status, task.status),
        "percent_complete": task.percent_complete,
        "actual_start": task.actual_start,
        "actual_finish": task.actual_finish,
        "visibility": labels["visibility"].get(task.visibility, task.visibility),
        "predecessors": predecessors_text(task.predecessor_links.all()),
        "watchouts": watchouts_text(task.watchouts.all()),
    }


def _write_row(sheet, row_number, values):
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row_number, column=col)
        if isinstance(value, str):
            cell.value = _safe_text(value)
            # A title such as "=HYPERLINK(...)" must stay text: force the string type so
            # Excel never evaluates it as a formula (openpyxl would otherwise store it as one).
            cell.data_type = "s"
        else:
            cell.value = value
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
        if isinstance(value, str) and "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def export_workbook(plan):
    """The plan's checklist as .xlsx bytes (headers and labels in the current language)."""
    scheduling.ensure_fresh(plan)
    ranks = {item.id: item for item in scheduling.rankings(plan, "team")}
    lang = _lang()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE[lang]
    language = translation.get_language()
    _write_row(sheet, 1, [column.header(language) for column in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF8")
    for col, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    snapshot, labels = [], choice_labels()
    for row_number, task in enumerate(_ordered_tasks(plan), start=2):
        values = task_values(task, ranks, lang, labels)
        _write_row(sheet, row_number, [values[column.key] for column in COLUMNS])
        snapshot.append(values)
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 1)}"
    # The computed dates rest on provisional holidays: say so where they are read (a comment on the
    # "Time" header; row 1 stays the header the import reads) and on the column sheet.
    holiday_notes = [note.text for note in scheduling.holiday_notes(plan)]
    if holiday_notes:
        time_header = sheet.cell(row=1, column=[column.key for column in COLUMNS].index("time") + 1)
        time_header.comment = Comment("\n".join(holiday_notes), "Paasport", width=320, height=110)

    readme = book.create_sheet(README_TITLE[lang])
    notes = {"en": ["Key", "English header", "Chinese header", "Imported"],
             "zh": ["键", "英文表头", "中文表头", "导入时读取"]}[lang]
    _write_row(readme, 1, notes)
    for row_number, column in enumerate(COLUMNS, start=2):
        yes, no = ("是", "否（计算得出）") if lang == "zh" else ("yes", "no (computed)")
        _write_row(readme, row_number, [column.key, column.en, column.zh, yes if column.importable else no])
    for col, width in enumerate((24, 26, 16, 18), start=1):
        readme.column_dimensions[get_column_letter(col)].width = width
        readme.cell(row=1, column=col).font = bold
    for offset, text in enumerate(holiday_notes):
        cell = readme.cell(row=len(COLUMNS) + 3 + offset, column=1, value=f"⚠ {text}")
        cell.font = Font(bold=True, color="8A5A00")
    _write_snapshot(book, plan, snapshot)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_snapshot(book, plan, snapshot):
    """A hidden sheet with every task's values as exported: on import, a cell equal to its
    snapshot was not edited in the file, so it cannot overwrite a newer value in the plan."""
    sheet = book.create_sheet(SNAPSHOT_TITLE)
    sheet.sheet_state = "hidden"
    _write_row(sheet, 1, [SNAPSHOT_MARK, plan.pk, timezone.now().isoformat()])
    keys = [column.key for column in COLUMNS if column.importable]
    _write_row(sheet, 2, keys)
    for row_number, values in enumerate(snapshot, start=3):
        _write_row(sheet, row_number, [values[key] for key in keys])


# =========================================================================== import
class _Row:
    def __init__(self, number):
        self.number = number
        self.values = {}  # key -> parsed value
        self.task = None  # the existing task a row with an id updates
        self.cells = {}  # key -> the cell as read
        self.kept = 0  # cells left as the plan has them (changed there since the export, not in the file)


def _plan_tasks(plan):
    """{id: task} in plan order, with what a row shows (schedule.selectors.with_row_data's joins);
    links and watch-outs are fetched in one query each and grouped here: Django's prefetch builds
    a filtered queryset per task, about 1 s for 5,000 tasks."""
    tasks = {task.pk: task for task in Task.objects.filter(plan=plan).select_related(
        "owner__stakeholder", "related_flow", "phase")}
    links, watchouts = {pk: [] for pk in tasks}, {pk: [] for pk in tasks}
    for link in TaskLink.objects.filter(successor__plan=plan).order_by("id"):
        links[link.successor_id].append(link)
    for item in WatchOut.objects.filter(task__plan=plan).order_by("position", "id"):
        watchouts[item.task_id].append(item)
    for pk, task in tasks.items():
        # What prefetch_related stores: task.predecessor_links.all() and task.watchouts.all() read it.
        task._prefetched_objects_cache = {"predecessor_links": links[pk], "watchouts": watchouts[pk]}
    return tasks


# Examples in a cell's error message: translated when a message needs them, not for every row.
# xgettext:no-python-format
PERCENT_EXAMPLE = gettext_lazy("50, 50% or a cell formatted as a percentage")
DURATION_EXAMPLE = gettext_lazy("3 (working days, a whole number)")


class _Reader:
    """Parses and checks every row, collecting problems instead of stopping at the first."""

    def __init__(self, plan, headers, like=None):
        self.plan = plan
        self.problems = []
        self.headers = headers  # key -> header text as written in the file
        if like is not None:  # another sheet of the same file: the plan's rows are read once
            self.status_aliases, self.visibility_aliases = like.status_aliases, like.visibility_aliases
            self.owners, self.flows, self.tasks = like.owners, like.flows, like.tasks
            return
        self.status_aliases = _choice_aliases(Task.Status, STATUS_ZH)
        self.visibility_aliases = _choice_aliases(Visibility, VISIBILITY_ZH)
        members = plan.plan_stakeholders.select_related("stakeholder")
        self.owners = {}
        for member in members:
            self.owners.setdefault(member.stakeholder.name.strip(), []).append(member)
        self.flows = {}
        for flow in plan.flows.all():
            self.flows.setdefault(flow.name.strip(), []).append(flow)
        self.tasks = _plan_tasks(plan)

    def problem(self, row, key, message):
        self.problems.append(Problem(message, row=row.number if row else None,
                                     column=self.headers.get(key, BY_KEY[key].header() if key else "")))

    def problems_at(self, row, key):
        column = self.headers.get(key, BY_KEY[key].header())
        return [p for p in self.problems if p.row == row.number and p.column == column]

    # ---- cell readers: return the value or record a problem and return None
    def text(self, row, key, value, max_length=None):
        if value is None:
            return ""
        if isinstance(value, Percent):
            value = f"{round(value * 100, 4):g}%"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (datetime.datetime, datetime.date)):
            value = f"{value:%Y-%m-%d}"
        text = str(value)
        if max_length and len(text.strip()) > max_length:
            self.problem(row, key, _("At most %(max)s characters (this one has %(count)s).")
                         % {"max": max_length, "count": len(text.strip())})
        return text

    def integer(self, row, key, value, low, high, accepted=""):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+(?:\.0+)?\s*", value):
            number = int(float(value))
        if number is None:
            self.problem(row, key, _("“%(value)s” is not a whole number; write e.g. %(example)s.")
                         % {"value": _shown(value), "example": accepted or "3"})
            return None
        if number < low:
            self.problem(row, key, _("Must be at least %(min)s (got %(value)s).") % {"min": low, "value": number})
            return None
        if number > high:
            self.problem(row, key, _("Must be at most %(max)s (got %(value)s).") % {"max": high, "value": number})
            return None
        return number

    def percent(self, row, key, value):
        """0–100 from 50, "50", "50%", a percent-formatted cell (0.5) or a fraction typed as 0.5."""
        accepted = PERCENT_EXAMPLE
        if isinstance(value, Percent):
            value = value * 100
        elif isinstance(value, float) and 0 < value < 1:
            value = value * 100
        elif isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*[%％]?\s*", value):
            value = float(value.strip().rstrip("%％"))
        if isinstance(value, float) and not isinstance(value, bool):
            value = round(value)
        return self.integer(row, key, value, 0, 100, accepted)

    def date(self, row, key, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        day = None
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and \
                EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1] and float(value).is_integer():
            # A date cell whose date format was lost: Excel's day number (1900 system).
            day = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        elif isinstance(value, str):
            day = self._text_date(value.strip())
        if day is None:
            self.problem(row, key, _("“%(value)s” is not a date; write it as 2027-01-06, 2027/1/6, 2027年1月6日, "
                                     "1月6日 (the plan's year) or use a date cell.") % {"value": _shown(value)})
            return None
        try:
            validate_plan_date(day)
        except ValidationError as error:
            self.problem(row, key, error.messages[0])
            return None
        return day

    def _text_date(self, text):
        try:
            match = FULL_DATE.match(text)
            if match:
                return datetime.date(*(int(part) for part in match.groups()))
            match = MONTH_DAY.match(text)
            if match:
                month, day = (int(part) for part in match.groups())
                start = self.plan.start_date
                found = datetime.date(start.year, month, day)
                launch = self.plan.target_launch_date
                if found < start and launch and launch.year > start.year:
                    found = datetime.date(start.year + 1, month, day)  # a plan across New Year: January is next year's
                return found
        except ValueError:  # 2027-2-30
            return None
        return None

    def boolean(self, row, key, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        word = _normal(value) if value is not None else ""
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problem(row, key, _("“%(value)s” is neither yes nor no; write 是 / 否, yes / no, x or leave it empty.")
                     % {"value": value})
        return None

    def choice(self, row, key, value, aliases, choices):
        if value is None or not str(value).strip():
            return None
        found = aliases.get(_normal(value))
        if found is None:
            allowed = ", ".join(f"{key_} ({label})" for key_, label in choices.choices)
            self.problem(row, key, _("Unknown value “%(value)s”; use one of: %(allowed)s.")
                         % {"value": value, "allowed": allowed})
        return found

    def predecessors(self, row, key, value):
        links = []
        text = self.text(row, key, value)
        for part in re.split(r"[;,；，\n]+", text):
            part = part.strip()
            if not part:
                continue
            match = PREDECESSOR.match(part)
            if not match:
                self.problem(row, key, _("“%(value)s” is not a predecessor: write a task id, a link type and a "
                                         "lag, e.g. “12FS+2”.") % {"value": part})
                continue
            pred_id, link_type, sign, lag = match.groups()
            lag = int(lag or 0) * (-1 if sign == "-" else 1)
            if not -500 <= lag <= 500:
                self.problem(row, key, _("“%(value)s”: the lag must be between -500 and 500 working days.")
                             % {"value": part})
                continue
            links.append((int(pred_id), (link_type or LinkType.FS).upper(), lag, part))
        return links

    def watchouts(self, row, key, value):
        items = []
        for line in self.text(row, key, value).splitlines():
            if not line.strip():
                continue
            done = bool(DONE_MARK.match(line))
            text = DONE_MARK.sub("", line) if done else OPEN_MARK.sub("", line)
            text = text.strip()
            if len(text) > 200:
                self.problem(row, key, _("Watch-out “%(text)s…” is longer than 200 characters.")
                             % {"text": text[:30]})
                continue
            if text:
                items.append((text, done))
        return items

    # ---- one row
    def read_row(self, row, cells):
        present = self.headers
        v = row.values
        if "id" in present:
            raw = cells.get("id")
            if raw is not None and str(raw).strip():
                v["id"] = self.integer(row, "id", raw, 1, 2**62)
        if "title" in present:
            v["title"] = self.text(row, "title", cells.get("title"), 200).strip()
        if "phase" in present:
            v["phase"] = self.text(row, "phase", cells.get("phase"), 120).strip()
        if "description" in present:
            v["description"] = self.text(row, "description", cells.get("description"))
        if "owner" in present:
            name = self.text(row, "owner", cells.get("owner")).strip()
            v["owner"] = None
            if name:
                matches = self.owners.get(name, [])
                if not matches:
                    self.problem(row, "owner", _("Unknown contact “%(name)s”: not a stakeholder of this plan "
                                                 "(its stakeholders: %(names)s).")
                                 % {"name": name, "names": _listed(self.owners)})
                elif len(matches) > 1:
                    self.problem(row, "owner", _("“%(name)s” names several stakeholders of this plan.")
                                 % {"name": name})
                else:
                    v["owner"] = matches[0]
        if "business" in present:
            name = self.text(row, "business", cells.get("business")).strip()
            v["business"] = None
            if name:
                matches = self.flows.get(name, [])
                if len(matches) != 1:
                    self.problem(row, "business", _("Unknown business flow “%(name)s” in this plan (its flows: "
                                                    "%(names)s).") % {"name": name, "names": _listed(self.flows)}
                                 if not matches else
                                 _("“%(name)s” names several flows of this plan.") % {"name": name})
                else:
                    v["business"] = matches[0]
        if "duration" in present:
            v["duration"] = self.integer(row, "duration", cells.get("duration"), 0, 2000, DURATION_EXAMPLE)
        if "milestone" in present:
            v["milestone"] = self.boolean(row, "milestone", cells.get("milestone"))
        for key in DATE_COLUMNS:
            if key in present:
                v[key] = self.date(row, key, cells.get(key))
        if "status" in present:
            v["status"] = self.choice(row, "status", cells.get("status"), self.status_aliases, Task.Status)
        if "percent_complete" in present:
            v["percent_complete"] = self.percent(row, "percent_complete", cells.get("percent_complete"))
        if "visibility" in present:
            v["visibility"] = self.choice(row, "visibility", cells.get("visibility"), self.visibility_aliases,
                                          Visibility)
        if "predecessors" in present:
            v["predecessors"] = self.predecessors(row, "predecessors", cells.get("predecessors"))
        if "watchouts" in present:
            v["watchouts"] = self.watchouts(row, "watchouts", cells.get("watchouts"))


def _listed(names, limit=12):
    shown = sorted(names)[:limit]
    return "、".join(shown) + ("…" if len(names) > limit else "") if shown else _("none")


def _open_sheet(data):
    """(the first worksheet's rows, the export snapshot's rows or None), or ImportFailed when the
    file is not a readable workbook."""
    not_xlsx = Problem(_("This is not an Excel workbook (.xlsx): export one from Excel, WPS or this page and "
                         "try again."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFailed([Problem(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})])
    if not data.startswith(ZIP_MAGIC):
        raise ImportFailed([not_xlsx])
    check_zip(data)  # what it unpacks to, before openpyxl reads a byte of it
    try:
        book, sheets = _workbook_parts(data)
        rows = _sheet_rows(book, sheets[0][1], book.shared_strings)
        snapshot = next((_sheet_rows(book, path, book.shared_strings) for name, path in sheets
                         if name == SNAPSHOT_TITLE), None)
        book._archive.close()
    except UploadTooLarge as error:
        raise ImportFailed([Problem(error.message)]) from None
    except Exception as error:  # noqa: BLE001 - a damaged zip or workbook raises many kinds (BadZipFile, KeyError...)
        raise ImportFailed([not_xlsx]) from error
    return rows, snapshot


def _workbook_parts(data):
    """(the workbook, [(name, part) of each worksheet]): openpyxl's read-only load_workbook without
    its worksheet objects, whose constructor scans a sheet lacking a <dimension> to its end (400,000
    elements of a hostile sheet) before a row is read."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    book = reader.wb
    book.shared_strings = reader.shared_strings
    sheets = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
              if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    return book, sheets


class Percent(float):
    """A number shown as a percentage in the file (Excel stores 50 % as 0.5 with a "0%" format)."""


def _percent_styles(book):
    """Ids of the cell styles whose number format shows a percentage (openpyxl's read-only cells
    look it up per cell: ``cell.number_format``)."""
    found = set()
    for style_id, style in enumerate(book._cell_styles):
        number_format = (BUILTIN_FORMATS.get(style.numFmtId, "General") if style.numFmtId < BUILTIN_FORMATS_MAX_SIZE
                         else book._number_formats[style.numFmtId - BUILTIN_FORMATS_MAX_SIZE])
        if "%" in (number_format or ""):
            found.add(style_id)
    return found


def _sheet_rows(book, path, shared_strings):
    """The first MAX_ROWS + 2 rows of the worksheet at ``path`` as value tuples (bounds.SheetRows:
    openpyxl's ``iter_rows`` values, read ~4× faster). A number shown as a percentage is a Percent."""
    with book._archive.open(path) as source:
        return SheetRows(source, shared_strings=shared_strings, date_styles=book._date_formats,
                         timedelta_styles=book._timedelta_formats, percent_styles=_percent_styles(book),
                         style_count=len(book._cell_styles), epoch=book.epoch, max_col=len(COLUMNS) + 20,
                         max_row=MAX_ROWS + 2, percent=Percent).read()


def _header_keys(cells, problems):
    """{key: header text}, {key: column index} of a header row; unknown or repeated columns are problems."""
    headers, positions = {}, {}
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        key = HEADER_ALIASES.get(_normal(cell))
        if key is None:
            problems.append(Problem(_("Unknown column. Known columns: %(columns)s.")
                                    % {"columns": ", ".join(c.header() for c in COLUMNS)}, row=1, column=str(cell)))
        elif key in headers:
            problems.append(Problem(_("This column appears twice."), row=1, column=str(cell)))
        else:
            headers[key] = str(cell).strip()
            positions[key] = index
    return headers, positions


def _read_rows(reader, rows, positions, first_number):
    parsed = []
    for number, values in enumerate(rows, start=first_number):
        cells = {key: values[index] if index < len(values) else None for key, index in positions.items()}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in cells.values()):
            continue
        row = _Row(number)
        row.cells = cells
        reader.read_row(row, cells)
        parsed.append(row)
    return parsed


def read_file(data):
    """The file's sheets (checklist rows, snapshot rows or None), or ImportFailed: reading the
    workbook needs no plan, so the import service does it before it takes the plan's lock."""
    return _open_sheet(data)


def read_workbook(plan, data, sheets=None):
    """Parse and check the file (``sheets``: :func:`read_file`'s, when already read) against the plan;
    returns the rows or raises ImportFailed."""
    rows, snapshot = sheets or _open_sheet(data)
    if not rows or not any(cell not in (None, "") for cell in rows[0]):
        raise ImportFailed([Problem(_("The first row must hold the column headers."), row=1)])
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed([Problem(_("The file has more than %(max)s rows: split it into several files.")
                                    % {"max": MAX_ROWS})])
    problems = []
    headers, positions = _header_keys(rows[0], problems)
    if not problems and "id" not in headers and "title" not in headers:
        # An update-only sheet needs the task ids; a sheet of new tasks needs their titles.
        problems.append(Problem(_("The file needs the column “%(id)s” (to update tasks, with only the columns to "
                                  "change beside it) or “%(title)s” (to create tasks).")
                                % {"id": BY_KEY["id"].header(), "title": BY_KEY["title"].header()}, row=1))
    if problems:
        raise ImportFailed(problems)

    reader = _Reader(plan, headers)
    parsed = _read_rows(reader, rows[1:], positions, 2)
    _keep_newer_values(reader, parsed, _snapshot_values(reader, snapshot))
    _check_rows(reader, parsed)
    if reader.problems:
        raise ImportFailed(reader.problems)
    return parsed


def _snapshot_values(file_reader, snapshot):
    """{task id: values as exported} from the file's snapshot sheet, when it is this plan's."""
    plan = file_reader.plan
    if not snapshot or len(snapshot) < 2 or not snapshot[0] or snapshot[0][0] != SNAPSHOT_MARK:
        return {}
    if str(snapshot[0][1] if len(snapshot[0]) > 1 else "") != str(plan.pk):
        return {}
    headers, positions = _header_keys(snapshot[1], [])
    reader = _Reader(plan, headers, like=file_reader)
    return {row.values["id"]: row.values for row in _read_rows(reader, snapshot[2:], positions, 3)
            if row.values.get("id")}


def _comparable(key, value):
    if key == "predecessors":
        return frozenset((pred, kind, lag) for pred, kind, lag, _text in value or [])
    if key == "watchouts":
        return tuple(value or [])
    if key in ("title", "phase", "description"):
        return (value or "").strip()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _keep_newer_values(reader, rows, snapshot):
    """Apply only the cells the file changed: a cell equal to the export's snapshot was not
    edited, so the value stored now (perhaps changed since the export) stays. A cell changed
    both in the file and in Paasport since the export is a conflict: the import is refused."""
    if not snapshot:
        return
    lang = _lang()
    current_reader = _Reader(reader.plan, reader.headers, like=reader)  # its problems are not the file's: dropped
    labels = choice_labels()
    for row in rows:
        task = reader.tasks.get(row.values.get("id"))
        exported = snapshot.get(row.values.get("id"))
        if task is None or exported is None:
            continue
        now = _Row(row.number)
        current_reader.read_row(now, task_values(task, {}, lang, labels))
        row.kept = 0
        for key in [key for key in row.values if key != "id"]:
            mine = _comparable(key, row.values[key])
            then = _comparable(key, exported.get(key))
            current = _comparable(key, now.values.get(key))
            if mine == then:
                del row.values[key]
                row.kept += current != then
            elif current != then and current != mine:
                reader.problem(row, key, _("Changed in Paasport since this file was exported (now “%(now)s”); the "
                                           "file says “%(file)s”. Export again, or set this cell to the current "
                                           "value.") % {"now": _shown(task_values(task, {}, lang)[key]),
                                                        "file": _shown(row.cells.get(key))})


def _shown(value):
    if isinstance(value, Percent):
        return f"{round(value * 100, 4):g}%"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _check_rows(reader, rows):
    plan = reader.plan
    seen_ids = {}
    for row in rows:
        task_id = row.values.get("id")
        if task_id is None:
            if "id" in reader.headers and reader.problems_at(row, "id"):
                continue  # an unreadable id, already said
            if "title" not in reader.headers:
                reader.problem(row, "id", _("No task id: this sheet has no column “%(title)s”, so it only updates "
                                            "tasks; write the id of the task to update.")
                               % {"title": BY_KEY["title"].header()})
            elif not row.values.get("title"):
                reader.problem(row, "title", _("A task needs a title."))
            continue
        if task_id in seen_ids:
            reader.problem(row, "id", _("Task %(id)s appears twice (also row %(row)s).")
                           % {"id": task_id, "row": seen_ids[task_id]})
            continue
        seen_ids[task_id] = row.number
        task = reader.tasks.get(task_id)
        if task is None:
            other = Task.objects.filter(pk=task_id).exclude(plan=plan).exists()
            reader.problem(row, "id", (_("Task %(id)s belongs to another plan.") if other else
                                       _("There is no task %(id)s in this plan; leave the id empty to create "
                                         "a task.")) % {"id": task_id})
            continue
        row.task = task
        if "title" in row.values and not row.values["title"]:
            reader.problem(row, "title", _("A task needs a title."))

    for row in rows:
        _check_row_rules(reader, row)

    # Links: rows with a predecessors column replace their task's predecessors; other links stay.
    if "predecessors" not in reader.headers:
        return
    ids_in_plan = set(reader.tasks)
    replaced = {row.task.pk for row in rows if row.task}
    links = [(link.predecessor_id, link.successor_id) for task in reader.tasks.values()
             for link in task.predecessor_links.all() if link.successor_id not in replaced]
    nodes = list(reader.tasks)  # plan order (not a set's): the cycle is named from its first task
    names = {task.pk: task.title for task in reader.tasks.values()}
    for row in rows:
        node = row.task.pk if row.task else f"row-{row.number}"
        if not row.task:
            nodes.append(node)
        names[node] = row.values.get("title") or (row.task.title if row.task else "")
        seen = set()
        for pred_id, _type, _lag, text in row.values.get("predecessors") or []:
            if row.task and pred_id == row.task.pk:
                reader.problem(row, "predecessors", _("“%(value)s”: a task cannot depend on itself.")
                               % {"value": text})
            elif pred_id not in ids_in_plan:
                reader.problem(row, "predecessors", _("“%(value)s”: there is no task %(id)s in this plan.")
                               % {"value": text, "id": pred_id})
            elif pred_id in seen:
                reader.problem(row, "predecessors", _("Task %(id)s is listed twice.") % {"id": pred_id})
            else:
                seen.add(pred_id)
                links.append((pred_id, node))
    if reader.problems:
        return
    cycle = find_cycle(nodes, links)
    if cycle:
        rows_by_node = {(row.task.pk if row.task else f"row-{row.number}"): row for row in rows}
        first = next((rows_by_node[node] for node in cycle if node in rows_by_node), None)
        reader.problem(first, "predecessors", _("These links form a cycle: %(cycle)s.")
                       % {"cycle": cycle_text(cycle, names)})


def _final(row, key, field):
    if key in row.values:
        return row.values[key]
    return getattr(row.task, field) if row.task else None


def _check_row_rules(reader, row):
    """The rules a task must keep, on the values it will have after the import."""
    v = row.values
    milestone = _final(row, "milestone", "is_milestone") or False
    duration = _final(row, "duration", "duration")
    if milestone and duration and "duration" in v:
        reader.problem(row, "duration", _("A milestone has a duration of 0."))
    if row.task is not None and row.task.is_launch and v.get("milestone") is False:  # an empty cell keeps it
        # The sheet does not carry the launch (an import leaves it as it is): it must not leave the plan
        # with a launch that is no milestone.
        reader.problem(row, "milestone", _("This is the plan's launch milestone, so it stays a milestone: name "
                                           "another launch milestone on the Schedule page first."))
    status = _final(row, "status", "status")
    percent = _final(row, "percent_complete", "percent_complete")
    if status == Task.Status.DONE and "percent_complete" in v and percent not in (None, 100):
        # xgettext:no-python-format
        reader.problem(row, "percent_complete", _("A done task is 100% complete."))
    if _final(row, "must_start_on", "must_start_on") and _final(row, "start_no_earlier_than", "start_no_earlier_than"):
        reader.problem(row, "must_start_on" if "must_start_on" in v else "start_no_earlier_than",
                       _("A task has either a fixed start (“must start on”) or a “start no earlier than”, "
                         "not both: clear one of them."))
    start, finish = _final(row, "actual_start", "actual_start"), _final(row, "actual_finish", "actual_finish")
    if start and finish and finish < start:
        reader.problem(row, "actual_finish", _("The actual finish cannot be before the actual start."))


FIELD_OF = {"title": "title", "description": "description", "owner": "owner", "business": "related_flow",
            "duration": "duration", "milestone": "is_milestone", "start_no_earlier_than": "start_no_earlier_than",
            "must_start_on": "must_start_on",
            "deadline": "deadline", "status": "status", "percent_complete": "percent_complete",
            "actual_start": "actual_start", "actual_finish": "actual_finish", "visibility": "visibility"}
# What an import may change on an existing task (FIELD_OF's fields, its phase and place, its version).
IMPORTED_FIELDS = [*FIELD_OF.values(), "phase", "position", "version"]
DEFAULTS = {"duration": 1, "milestone": False, "status": Task.Status.NOT_STARTED, "percent_complete": 0,
            "visibility": Visibility.INTERNAL}


def _apply(task, row):
    """Set the row's values on the task; True when something changed."""
    changed = False
    for key, field in FIELD_OF.items():
        if key not in row.values:
            continue
        value = row.values[key]
        if value is None and key in DEFAULTS:
            value = DEFAULTS[key] if task.pk is None else getattr(task, field)
        if key == "description" and value is None:
            value = ""
        current = getattr(task, field + "_id") if field in ("owner", "related_flow") else getattr(task, field)
        new = value.pk if field in ("owner", "related_flow") and value is not None else value
        if current != new:
            setattr(task, field, value)
            changed = True
    if task.is_milestone and task.duration:
        task.duration, changed = 0, True
    if task.status == Task.Status.DONE and task.percent_complete != 100:
        task.percent_complete, changed = 100, True
    return changed


def import_workbook(plan, data, sheets=None):
    """Create and update the plan's tasks from the file. Returns an ImportResult.

    Called by sharing.services.import_checklist, which holds the plan's lock from the first read
    to the last write and reschedules once.
    """
    rows = read_workbook(plan, data, sheets)
    result = ImportResult(plan=plan, kept=sum(row.kept for row in rows))
    phases = {phase.name.strip(): phase for phase in plan.phases.order_by("-position", "-id")}
    next_phase_position = (max((p.position for p in phases.values()), default=-1)) + 1
    positions = {}
    for task in Task.objects.filter(plan=plan).only("phase_id", "position"):
        positions[task.phase_id] = max(positions.get(task.phase_id, -1), task.position)

    def phase_for(name):
        nonlocal next_phase_position
        if not name:
            return None
        if name not in phases:
            phases[name] = Phase.objects.create(plan=plan, name=name, position=next_phase_position)
            next_phase_position += 1
            result.phases_created.append(name)
        return phases[name]

    def next_position(phase):
        key = phase.pk if phase else None
        positions[key] = positions.get(key, -1) + 1
        return positions[key]

    created, updated = [], []
    for row in rows:
        task = row.task or Task(plan=plan)
        changed = _apply(task, row)
        if "phase" in row.values:
            phase = phase_for(row.values["phase"])
            if task.phase_id != (phase.pk if phase else None):
                task.phase = phase
                task.position = next_position(phase)
                changed = True
        elif task.pk is None:
            task.position = next_position(None)
        if task.pk is None:
            created.append(task)
        elif changed:
            bump(task)
            updated.append(task)
        row.changed = changed
        row.saved = task
    # One insert and one update for all the rows, each with its history records (what save() writes
    # per row: the request's user, no reason); 5,000 save() calls took ~10 s of CPU.
    bulk_create_with_history(created, Task, batch_size=500, default_change_reason=None)
    update_rows(Task, updated, IMPORTED_FIELDS)
    Task.history.bulk_history_create(updated, batch_size=500, update=True, default_change_reason=None)
    result.created = len(created)

    links_replaced, new_links, watchouts_replaced, new_watchouts, version_only = [], [], [], [], []
    for row in rows:
        task = row.saved
        changed = False
        if "predecessors" in row.values:
            wanted = {(pred_id, link_type, lag) for pred_id, link_type, lag, _text in row.values["predecessors"]}
            current = ({(link.predecessor_id, link.type, link.lag) for link in task.predecessor_links.all()}
                       if row.task else set())
            if wanted != current:
                links_replaced.append(task.pk)
                new_links += [TaskLink(predecessor_id=pred_id, successor=task, type=link_type, lag=lag)
                              for pred_id, link_type, lag in sorted(wanted)]
                changed = True
            result.links += len(wanted)
        if "watchouts" in row.values:
            wanted = row.values["watchouts"]
            current = [(item.text, item.done) for item in task.watchouts.all()] if row.task else []
            if wanted != current:
                watchouts_replaced.append(task.pk)
                new_watchouts += [WatchOut(task=task, text=text, done=done, position=i)
                                  for i, (text, done) in enumerate(wanted)]
                changed = True
        if row.task:
            if changed and not row.changed:
                bump(task)
                version_only.append(task)
            if changed or row.changed:
                result.updated += 1
            else:
                result.unchanged += 1
    for start in range(0, len(links_replaced), 500):
        TaskLink.objects.filter(successor_id__in=links_replaced[start:start + 500]).delete()
    TaskLink.objects.bulk_create(new_links, batch_size=500)
    for start in range(0, len(watchouts_replaced), 500):
        WatchOut.objects.filter(task_id__in=watchouts_replaced[start:start + 500]).delete()
    WatchOut.objects.bulk_create(new_watchouts, batch_size=500)
    update_rows(Task, version_only, ["version"])  # links or watch-outs changed: a form open on it is stale
    return result
