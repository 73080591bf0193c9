"""The checklist grid at 1366×768: the PM chooses its columns (kept for them, across log-ins) and
moves and edits between cells with the keyboard only, in zh-hans and en."""
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.models import Plan
from schedule.models import ChecklistPreference, Task

VIEWPORT = {"width": 1366, "height": 768}

# Where each row ends, and whether the task column is in view at the left of the grid's box.
GEOMETRY = """() => {
  const box = document.querySelector('#checklist-grid').getBoundingClientRect();
  const rows = [...document.querySelectorAll('tr.task-row')];
  const title = rows[0].querySelector('td.title').getBoundingClientRect();
  return {right: Math.max(...rows.map(r => Math.max(...[...r.cells].filter(c => c.getBoundingClientRect().width > 0)
                                                   .map(c => c.getBoundingClientRect().right)))),
          titleLeft: title.left, boxLeft: box.left, titleWidth: title.width};
}"""


def _open(page, live_server, plan, lang):
    page.goto(f"{live_server.url}/plans/{plan.pk}/checklist/")
    page.evaluate("document.cookie = 'django_language={}; path=/'".format(lang))
    page.reload()


def _header_texts(page):
    return [text.strip() for text in page.locator("table.checklist thead th").evaluate_all(
        "ths => ths.filter(th => th.getBoundingClientRect().width > 0).map(th => th.textContent)")]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_column_chooser_keeps_the_choice_and_the_task_column(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    page.set_viewport_size(VIEWPORT)
    login("pm", "paasport-pm")
    _open(page, live_server, plan, lang)

    # The default set: no row wider than the window.
    assert page.evaluate(GEOMETRY)["right"] <= VIEWPORT["width"]
    phase_header = "Phase" if lang == "en" else "阶段"
    assert phase_header not in _header_texts(page)

    page.locator("#col-chooser summary").click()
    chooser = page.locator("#col-chooser form")
    expect(chooser).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/checklist/columns/")):
        chooser.locator("input[value=phase]").check()
    with page.expect_response(lambda r: r.url.endswith("/checklist/columns/")):
        chooser.locator("input[value=preds]").uncheck()
    headers = _header_texts(page)
    assert phase_header in headers and ("Predecessors" if lang == "en" else "前置任务") not in headers
    page.screenshot(path=f"/tmp/shots-grid/checklist-chooser-{lang}.png")
    saved = ChecklistPreference.objects.get(user__username="pm").columns
    assert "phase" in saved and "preds" not in saved

    # Every column: the grid scrolls sideways and the task column stays in view.
    for box in chooser.locator("input[name=column]").all():
        if not box.is_checked():
            with page.expect_response(lambda r: r.url.endswith("/checklist/columns/")):
                box.check()
    page.locator("#checklist-grid").evaluate("grid => { grid.scrollLeft = grid.scrollWidth; }")
    seen = page.evaluate(GEOMETRY)
    assert page.locator("#checklist-grid").evaluate("grid => grid.scrollLeft") > 0
    assert seen["boxLeft"] <= seen["titleLeft"] <= seen["boxLeft"] + 40 and seen["titleWidth"] > 100

    # Kept across log-ins, on every plan.
    with page.expect_response(lambda r: r.url.endswith("/checklist/columns/")):
        chooser.locator("input[value=float]").uncheck()
    page.context.clear_cookies()
    login("pm", "paasport-pm")
    other = Plan.objects.get(name__startswith="数据安全治理中心 DSGC")
    _open(page, live_server, other, lang)
    headers = _header_texts(page)
    assert phase_header in headers and ("Float" if lang == "en" else "浮动时间") not in headers


def _focused(page):
    return page.evaluate("""() => { const el = document.activeElement;
        const row = el.closest('tr'); return {field: el.dataset.field || el.name || '', row: row ? row.id : '',
        tag: el.tagName}; }""")


def _wait_for_field(page, name):
    page.wait_for_function("(name) => document.activeElement && document.activeElement.name === name", arg=name)


def _wait_for_cell(page, task, field):
    page.wait_for_function("([row, field]) => document.activeElement && document.activeElement.closest('#' + row)"
                           " && document.activeElement.dataset.field === field", arg=[f"task-{task.pk}", field])


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_keyboard_moves_between_cells_edits_and_cancels(page, live_server, login, lang):
    call_command("load_demo", "--today", timezone.localdate().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    tasks = list(Task.objects.filter(plan=plan, status=Task.Status.NOT_STARTED, is_milestone=False).order_by("phase__position",
                                                                                             "position"))
    page.set_viewport_size(VIEWPORT)
    login("pm", "paasport-pm")
    _open(page, live_server, plan, lang)
    page.wait_for_function("() => document.querySelector('table.checklist td[data-field][tabindex=\"0\"]')")

    # From the top of the page, Tab reaches the grid's one tab stop: the first task's title cell.
    for _ in range(80):
        page.keyboard.press("Tab")
        if _focused(page)["field"] == "title" and _focused(page)["tag"] == "TD":
            break
    first_row = page.locator("tr.task-row").first.get_attribute("id")
    assert _focused(page) == {"field": "title", "row": first_row, "tag": "TD"}

    # Arrows and Tab move cell by cell; hidden columns are skipped.
    page.keyboard.press("ArrowRight")
    assert _focused(page)["field"] == "owner"
    page.keyboard.press("Tab")
    assert _focused(page)["field"] == "duration"  # the phase column is hidden by default
    page.keyboard.press("Shift+Tab")
    assert _focused(page)["field"] == "owner"
    page.keyboard.press("ArrowRight")

    # Down to the first task not started yet, in the Days column.
    target = tasks[0]
    for _ in range(40):
        if _focused(page)["row"] == f"task-{target.pk}":
            break
        page.keyboard.press("ArrowDown")
    assert _focused(page) == {"field": "duration", "row": f"task-{target.pk}", "tag": "TD"}

    # Enter opens the cell: its field has the focus; typing and Enter saves; focus comes back.
    page.keyboard.press("Enter")
    editor = page.locator(f"#task-{target.pk}.editing")
    expect(editor).to_be_visible()
    _wait_for_field(page, "duration")
    new_duration = target.duration + 4
    page.keyboard.type(str(new_duration))
    page.keyboard.press("Enter")
    expect(page.locator(f"#task-{target.pk}.task-row td.col-duration")).to_have_text(str(new_duration))
    _wait_for_cell(page, target, "duration")
    assert Task.objects.get(pk=target.pk).duration == new_duration

    # Escape cancels: nothing saved, the row as it was, focus on the same cell.
    page.keyboard.press("Enter")
    _wait_for_field(page, "duration")
    page.keyboard.type("99")
    page.keyboard.press("Escape")
    expect(page.locator(f"#task-{target.pk}.task-row td.col-duration")).to_have_text(str(new_duration))
    _wait_for_cell(page, target, "duration")
    assert Task.objects.get(pk=target.pk).duration == new_duration

    # A select: the status, chosen with the arrow keys and saved with Enter.
    page.keyboard.press("ArrowRight")  # predecessors are not a cell of their own (the side panel edits them)
    assert _focused(page)["field"] == "deadline"
    page.keyboard.press("ArrowRight")
    assert _focused(page)["field"] == "status"
    page.keyboard.press("Enter")
    _wait_for_field(page, "status")
    page.keyboard.press("ArrowDown")  # not started → in progress
    page.keyboard.press("Enter")
    expect(page.locator(f"#task-{target.pk}.task-row td.col-status")).to_contain_text(
        "In progress" if lang == "en" else "进行中")
    assert Task.objects.get(pk=target.pk).status == Task.Status.IN_PROGRESS
    page.screenshot(path=f"/tmp/shots-grid/checklist-keyboard-{lang}.png")
