"""The Gantt of a demo plan: click a bar, edit the task in the panel, see the bar move."""
import datetime

from django.core.management import call_command
from playwright.sync_api import expect

from onboarding.models import Plan
from schedule.models import Task
from tests.factories import PhaseFactory

BAR_OF_TASK = """([taskId]) => {
  const gd = document.getElementById('gantt');
  if (!gd || !gd.data) return null;  // being redrawn
  for (const trace of gd.data) {
    if (trace.type !== 'bar' || !trace.customdata) continue;
    const index = trace.customdata.findIndex(row => row && row[0] === taskId);
    if (index >= 0 && trace.base) return {base: trace.base[index], x: trace.x[index]};
  }
  return null;
}"""


def test_click_bar_edit_task_and_bar_moves(page, live_server):
    call_command("load_demo", "--today", datetime.date.today().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    task = plan.tasks.filter(status=Task.Status.NOT_STARTED, is_milestone=False).order_by("position").first()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", "paasport-pm")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/plans/{plan.pk}/gantt/")
    page.wait_for_selector("#gantt[data-drawn='1']")
    before = page.evaluate(BAR_OF_TASK, [task.pk])
    assert before is not None

    # Click the middle of the task's bar as a user would.
    box = page.evaluate("""([taskId]) => {
      const gd = document.getElementById('gantt');
      const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
      for (const trace of gd._fullData) {
        if (trace.type !== 'bar' || !trace.customdata) continue;
        const i = trace.customdata.findIndex(row => row && row[0] === taskId);
        if (i < 0) continue;
        const start = xa.d2c(trace.base[i]);
        const middle = xa.l2p(start + trace.x[i] / 2);
        const centre = ya.l2p(trace.y[i] + trace.offset + trace.width / 2);
        // Bring the bar into the viewport, then give its position on screen.
        let rect = gd.querySelector('.nsewdrag').getBoundingClientRect();
        window.scrollBy(0, rect.top + centre - window.innerHeight / 2);
        rect = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return {x: rect.left + middle, y: rect.top + centre};
      }
    }""", [task.pk])
    page.mouse.click(box["x"], box["y"])
    panel = page.locator(f"#task-panel-{task.pk}")
    expect(panel).to_be_visible()

    panel.locator("input[name=duration]").fill(str(task.duration + 5))
    panel.locator("button[type=submit]").click()
    expect(panel.locator("[role=status]")).to_be_visible()
    page.wait_for_function(f"""() => {{
      const now = ({BAR_OF_TASK})([{task.pk}]);
      return now && now.x !== {before["x"]};
    }}""")
    after = page.evaluate(BAR_OF_TASK, [task.pk])
    assert after["x"] > before["x"], "the bar grew by five working days"
    assert Task.objects.get(pk=task.pk).duration == task.duration + 5


ROW_AND_BAR = """([taskId]) => {
  const gd = document.getElementById('gantt');
  const label = document.querySelector(`#gantt-rows a[data-task-id="${taskId}"]`).getBoundingClientRect();
  const ya = gd._fullLayout.yaxis;
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  for (const trace of gd._fullData) {
    if (trace.type !== 'bar' || !trace.customdata) continue;
    const i = trace.customdata.findIndex(row => row && row[0] === taskId);
    if (i >= 0) return {label: label.top + label.height / 2, bar: plot.top + ya.l2p(trace.y[i])};
  }
}"""

# The drawn slice of a big Gantt holding a task's bar: {div, trace, i}.
BAR_IN_SLICES = """(taskId) => {
  for (const div of document.querySelectorAll('#gantt .gantt-chunk')) {
    for (const trace of div._fullData || []) {
      if (trace.type !== 'bar' || !trace.customdata) continue;
      const i = trace.customdata.findIndex(row => row && row[0] === taskId);
      if (i >= 0) return {div, trace, i};
    }
  }
}"""

LINK_PATH = "() => document.querySelector('#gantt svg.gantt-links .gantt-link-lines').getAttribute('d')"


def test_row_names_line_up_open_the_editor_and_fold_groups(page, live_server, login):
    call_command("load_demo", "--today", datetime.date.today().isoformat(), verbosity=0)
    plan = Plan.objects.get(name__startswith="手游安全 MTP")
    tasks = list(plan.tasks.order_by("phase__position", "position"))
    login("pm", "paasport-pm")
    page.goto(f"{live_server.url}/plans/{plan.pk}/gantt/")
    page.wait_for_selector("#gantt[data-drawn='1']")

    # Every task's name sits on its bar's row (the names are HTML beside the chart).
    names = page.locator("#gantt-rows a[data-task-id]")
    expect(names).to_have_count(len(tasks))
    for task in (tasks[0], tasks[-1]):
        where = page.evaluate(ROW_AND_BAR, [task.pk])
        assert abs(where["label"] - where["bar"]) <= 2, (task.title, where)
    expect(page.locator(f"#gantt-rows a[data-task-id='{tasks[0].pk}']")).to_have_text(tasks[0].title)

    # The dependency lines: one subpath per link whose tasks are both shown, redrawn on zoom.
    links = sum(1 for task in tasks for _ in task.predecessor_links.all())
    before = page.evaluate(LINK_PATH)
    assert before.count("M") == links
    page.evaluate("""() => Plotly.relayout('gantt', {'xaxis.range': [
        document.getElementById('gantt').layout.xaxis.range[0],
        new Date(Date.parse(document.getElementById('gantt').layout.xaxis.range[0]) + 14 * 86400000)
          .toISOString().slice(0, 10)]})""")
    page.wait_for_function(f"() => ({LINK_PATH})() !== {before!r}")

    # A task's name opens its editor like a click on its bar.
    page.locator(f"#gantt-rows a[data-task-id='{tasks[1].pk}']").click()
    expect(page.locator(f"#task-panel-{tasks[1].pk}")).to_be_visible()

    # A group's name folds the group: its tasks leave the chart and the list.
    phase = tasks[0].phase
    members = [t for t in tasks if t.phase_id == phase.pk]
    page.locator("#gantt-rows button[data-group-key]", has_text=phase.name).click()
    expect(names).to_have_count(len(tasks) - len(members))
    expect(page.locator("#gantt-rows button[data-group-key]", has_text=phase.name)).to_have_attribute(
        "aria-expanded", "false")
    assert page.evaluate(BAR_OF_TASK, [members[0].pk]) is None


def test_big_plan_is_drawn_in_slices_that_line_up_and_zoom_together(page, live_server, login, plan):
    from schedule import scheduling
    from schedule.models import TaskLink

    phase = PhaseFactory(plan=plan, name="联调测试", position=0)
    tasks = Task.objects.bulk_create([Task(plan=plan, phase=phase, title=f"任务 {i:03d}", duration=1 + i % 3,
                                           position=i) for i in range(450)])
    TaskLink.objects.bulk_create([TaskLink(predecessor=tasks[i - 1], successor=tasks[i]) for i in range(1, 450, 3)])
    scheduling.recompute(plan)
    login("pm", "pm-pass-123")
    page.goto(f"{live_server.url}/plans/{plan.pk}/gantt/")
    page.wait_for_selector("#gantt[data-drawn='1']")
    slices = page.locator("#gantt .gantt-chunk")
    expect(slices).to_have_count(3)  # 451 rows in slices of 200
    drawn = "document.querySelectorAll('#gantt .gantt-chunk .js-plotly-plot, #gantt .gantt-chunk.js-plotly-plot').length"
    assert page.evaluate(drawn) < 3  # the last slice waits until it comes near the screen

    # Scroll to a task in the last slice: its slice draws, its name appears on its bar's row.
    task = tasks[430]
    page.locator("#gantt-rows").evaluate("(list, n) => window.scrollTo(0, list.getBoundingClientRect().top"
                                          " + window.scrollY + n * 22 - 300)", 431)
    page.wait_for_selector(f"#gantt-rows a[data-task-id='{task.pk}']")
    page.wait_for_function(f"{drawn} === 3")
    where = page.evaluate(f"""([taskId]) => {{
      const label = document.querySelector(`#gantt-rows a[data-task-id="${{taskId}}"]`).getBoundingClientRect();
      const {{div, trace, i}} = ({BAR_IN_SLICES})(taskId);
      const plot = div.querySelector('.nsewdrag').getBoundingClientRect();
      return {{label: label.top + label.height / 2, bar: plot.top + div._fullLayout.yaxis.l2p(trace.y[i])}};
    }}""", [task.pk])
    assert abs(where["label"] - where["bar"]) <= 2, where

    # Dependency lines cover all slices: one subpath per link.
    assert page.evaluate(LINK_PATH).count("M") == 150

    # A zoom applies to every drawn slice.
    page.evaluate("() => window.paasportCharts.setRange(document.getElementById('gantt'), ['2026-09-01', '2026-10-01'])")
    ranges = page.evaluate("() => Array.from(document.querySelectorAll('#gantt .gantt-chunk'))"
                           ".filter(d => d._fullLayout).map(d => d._fullLayout.xaxis.range.map(v => v.slice(0, 10)))")
    assert ranges == [["2026-09-01", "2026-10-01"]] * 3

    # A bar in the last slice opens its task's editor.
    box = page.evaluate(f"""async ([taskId]) => {{
      const {{div, trace, i}} = ({BAR_IN_SLICES})(taskId);
      const start = Date.parse(trace.base[i]);
      const day = d => new Date(start + d * 86400000).toISOString().slice(0, 10);
      await window.paasportCharts.setRange(document.getElementById('gantt'), [day(-10), day(20)]);
      const xa = div._fullLayout.xaxis, ya = div._fullLayout.yaxis;
      let plot = div.querySelector('.nsewdrag').getBoundingClientRect();
      window.scrollBy(0, plot.top + ya.l2p(trace.y[i]) - window.innerHeight / 2);
      plot = div.querySelector('.nsewdrag').getBoundingClientRect();
      return {{x: plot.left + xa.l2p(xa.d2c(trace.base[i]) + trace.x[i] / 2),
              y: plot.top + ya.l2p(trace.y[i] + trace.offset + trace.width / 2)}};
    }}""", [task.pk])
    page.mouse.click(box["x"], box["y"])
    expect(page.locator(f"#task-panel-{task.pk}")).to_be_visible()
