"""The Gantt figure builder: what a PM sees in the chart, and that user text cannot inject markup."""
import json
from datetime import date, timedelta

import pytest

from schedule.figures.gantt import (
    COLOURS,
    DAY_MS,
    GanttTask,
    build_gantt,
    non_working_shapes,
    zoom_presets,
    zoom_range,
)

D = date(2026, 3, 2)  # a Monday
HOSTILE = ['<img src=x onerror=alert(1)>', "<script>", "%{customdata[0]}", '<a href="javascript:alert(1)">x</a>']


def day(n):
    return D + timedelta(days=n)


def ms(d):
    return (d - date(1970, 1, 1)).days * DAY_MS


def plan():
    return [
        GanttTask(1, "需求评审 Review", day(0), day(2), phase="启动", owner="张三", side="platform",
                  critical=True, percent_complete=100, total_float=0, status="done", priority=90,
                  baseline_start=day(0), baseline_finish=day(1)),
        GanttTask(2, "接口联调", day(3), day(7), phase="开发", owner="李四", side="partner",
                  critical=True, percent_complete=50, total_float=0, predecessors=[1]),
        GanttTask(3, "文档编写", day(3), day(3), phase="启动", owner="张三", side="platform",
                  total_float=4, predecessors=[1]),
        GanttTask(4, "上线", day(8), day(8), phase="上线", owner="王五", side="platform", critical=True,
                  milestone=True, predecessors=[2, 3]),
        GanttTask(5, "No phase", day(1), day(1)),
    ]


def trace(fig, name):
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


def bars(fig):
    matches = [t for t in fig.data if t.name == "Task" and t.type == "bar"]
    assert len(matches) == 1
    return matches[0]


def ticks(fig):
    """Row labels, top to bottom: drawn by the overlaid category axis, one per row."""
    labels_axis = fig.layout.yaxis2
    assert labels_axis.overlaying == "y" and list(labels_axis.categoryarray) == list(labels_axis.tickvals)
    assert list(labels_axis.range) == list(fig.layout.yaxis.range)
    return list(labels_axis.ticktext)


def test_one_bar_trace_with_inclusive_dates_in_task_order():
    fig = build_gantt(plan(), group_by=None)
    b = bars(fig)
    assert b.orientation == "h" and fig.layout.xaxis.type == "date"
    assert ticks(fig) == ["需求评审 Review", "接口联调", "文档编写", "上线", "No phase"]
    assert list(fig.layout.yaxis.range) == [4.5, -0.5]  # reversed: the first task on top
    assert list(fig.layout.yaxis2.categoryarray) == ["r0", "r1", "r2", "r3", "r4"]
    # Milestone 4 is not a bar; the other rows keep their index.
    assert list(b.y) == [0, 1, 2, 4]
    assert list(b.base) == ["2026-03-02", "2026-03-05", "2026-03-05", "2026-03-03"]
    assert list(b.x) == [3 * DAY_MS, 5 * DAY_MS, 1 * DAY_MS, 1 * DAY_MS]  # finish is inclusive
    assert [cd[0] for cd in b.customdata] == [1, 2, 3, 5]  # task id for the click handler
    assert sum(1 for t in fig.data if t.type == "bar" and t.name in ("Task",)) == 1


def test_group_by_phase_adds_header_rows_in_order_of_first_appearance_and_no_phase_last():
    fig = build_gantt(plan(), group_by="phase")
    assert ticks(fig) == [
        "<b>▾ 启动</b>", "需求评审 Review", "文档编写",
        "<b>▾ 开发</b>", "接口联调",
        "<b>▾ 上线</b>", "上线",
        "<b>▾ (none)</b>", "No phase",
    ]
    summary = trace(fig, "Group")
    assert list(summary.y) == [0, 3, 5, 7]
    assert list(summary.base)[0] == "2026-03-02" and list(summary.x)[0] == 4 * DAY_MS  # spans day 0..3


def test_group_order_and_grouping_by_owner_and_side():
    fig = build_gantt(plan(), group_by="phase", group_order=["上线", "开发"])
    assert [t for t in ticks(fig) if t.startswith("<b>")] == ["<b>▾ 上线</b>", "<b>▾ 开发</b>", "<b>▾ 启动</b>",
                                                                "<b>▾ (none)</b>"]
    by_owner = build_gantt(plan(), group_by="owner")
    assert [t for t in ticks(by_owner) if t.startswith("<b>")] == ["<b>▾ 张三</b>", "<b>▾ 李四</b>", "<b>▾ 王五</b>",
                                                                    "<b>▾ (none)</b>"]
    by_side = build_gantt(plan(), group_by="side", labels={"side_platform": "平台", "side_partner": "合作方"})
    assert ticks(by_side)[:4] == ["<b>▾ 平台</b>", "需求评审 Review", "文档编写", "上线"]
    assert "<b>▾ 合作方</b>" in ticks(by_side)
    with pytest.raises(ValueError):
        build_gantt(plan(), group_by="colour")


def test_collapsed_group_keeps_its_header_and_hides_its_tasks_and_their_links():
    fig = build_gantt(plan(), group_by="phase", collapsed_groups={"启动"})
    assert ticks(fig)[:2] == ["<b>▸ 启动</b>", "<b>▾ 开发</b>"]
    assert "需求评审 Review" not in ticks(fig) and "文档编写" not in ticks(fig)
    assert 1 not in [cd[0] for cd in bars(fig).customdata]
    # Only the link 2 -> 4 is left (1->2, 1->3 and 3->4 touch hidden tasks).
    dep = trace(fig, "Dependencies")
    assert list(dep.y).count(None) == 1
    assert fig.layout.height < build_gantt(plan(), group_by="phase").layout.height


def test_critical_tasks_have_the_critical_colour_and_a_darker_done_part():
    fig = build_gantt(plan(), group_by=None)
    colours = dict(zip([cd[0] for cd in bars(fig).customdata], bars(fig).marker.color))
    assert colours[1] == colours[2] == COLOURS["critical"]
    assert colours[3] == colours[5] == COLOURS["bar"]
    done = trace(fig, "Done")
    assert list(done.y) == [0, 1]  # task 1 (100 %) and task 2 (50 %); task 3 has no progress
    assert list(done.x) == [3 * DAY_MS, 2.5 * DAY_MS]
    assert list(done.marker.color) == [COLOURS["critical_done"], COLOURS["critical_done"]]
    assert done.hoverinfo == "skip"  # hovering the done part shows the task bar's tooltip
    assert done.offset == bars(fig).offset and done.width == bars(fig).width


def test_negative_float_is_drawn_as_critical():
    fig = build_gantt([GanttTask(1, "late", D, day(1), total_float=-2)], group_by=None)
    assert list(bars(fig).marker.color) == [COLOURS["critical"]]


def test_milestones_are_diamonds_at_the_start_of_their_day():
    fig = build_gantt(plan(), group_by=None)
    ms_trace = trace(fig, "Milestone")
    assert ms_trace.type == "scatter" and ms_trace.marker.symbol == "diamond"
    assert list(ms_trace.x) == ["2026-03-10"] and list(ms_trace.y) == [3]
    assert list(ms_trace.marker.color) == [COLOURS["milestone_critical"]]
    assert ms_trace.customdata[0][0] == 4


def test_baselines_are_ghost_bars_below_the_task_bar_and_the_slip_is_in_the_hover():
    fig = build_gantt(plan(), group_by=None)
    ghost = trace(fig, "Baseline")
    assert list(ghost.y) == [0] and list(ghost.base) == ["2026-03-02"] and list(ghost.x) == [2 * DAY_MS]
    assert "rgba" in ghost.marker.color and ghost.marker.color.endswith("0.45)")
    b = bars(fig)
    assert ghost.offset >= b.offset + b.width  # below the bar (the y axis is reversed)
    assert b.customdata[0][9] == "2026-03-02 → 2026-03-03 (slip +1 d)"
    assert "%{customdata[9]}" in b.hovertemplate
    no_baselines = build_gantt([GanttTask(1, "t", D, D)], group_by=None)
    assert "Baseline" not in [t.name for t in no_baselines.data]


def test_dependencies_are_one_line_trace_of_elbows_separated_by_none():
    fig = build_gantt(plan(), group_by=None)
    lines = [t for t in fig.data if t.type == "scatter" and t.mode == "lines"]
    assert len(lines) == 1
    dep = lines[0]
    xs, ys = list(dep.x), list(dep.y)
    assert ys.count(None) == 4 and xs.count(None) == 4 and ys[-1] is None
    segments, current = [], []
    for x, y in zip(xs, ys):
        if y is None:
            segments.append(current)
            current = []
        else:
            current.append((x, y))
    # 1 -> 2 (FS): down from the end of bar 1 (start of day 3), straight into the start of bar 2.
    assert segments[0] == [("2026-03-05", 0), ("2026-03-05", 1), ("2026-03-05", 1)]
    # 1 -> 3 and 2 -> 4 (into the milestone's point); 3 -> 4 has a gap to cross.
    assert segments[1] == [("2026-03-05", 0), ("2026-03-05", 2), ("2026-03-05", 2)]
    assert segments[2] == [("2026-03-10", 1), ("2026-03-10", 3), ("2026-03-10", 3)]
    assert segments[3] == [("2026-03-06", 2), ("2026-03-06", 3), ("2026-03-10", 3)]
    heads = trace(fig, "arrowheads")
    assert len(heads.x) == 4
    assert fig.data.index(dep) > fig.data.index(bars(fig))  # drawn over the bars


def test_dependencies_none_or_only_for_selected_tasks():
    assert "Dependencies" not in [t.name for t in build_gantt(plan(), dependencies="none").data]
    fig = build_gantt(plan(), group_by=None, dependencies=[3])
    assert list(trace(fig, "Dependencies").y).count(None) == 2  # 1 -> 3 and 3 -> 4
    fig = build_gantt(plan(), group_by=None, arrowheads=False)
    assert "arrowheads" not in [t.name for t in fig.data]


def test_start_to_start_finish_to_finish_and_leads_go_round():
    tasks = [GanttTask("a", "A", D, day(4)), GanttTask("b", "B", day(1), day(2), predecessors=[("a", "SS")]),
             GanttTask("c", "C", day(1), day(5), predecessors=[("a", "FF")]),
             GanttTask("d", "D", day(3), day(5), predecessors=["a"])]  # starts before A ends: a lead
    fig = build_gantt(tasks, group_by=None)
    dep = trace(fig, "Dependencies")
    pts = list(zip(dep.x, dep.y))
    assert pts[:4] == [("2026-03-02", 0), ("2026-03-02", 1), ("2026-03-03", 1), (None, None)]  # A start -> B start
    # A finish (end of day 4) -> C finish (end of day 5), out along A's row and in from the right.
    assert pts[4:9] == [("2026-03-07", 0), ("2026-03-08 06:00", 0), ("2026-03-08 06:00", 2), ("2026-03-08", 2),
                        (None, None)]
    assert pts[9:] == [("2026-03-07", 0), ("2026-03-07", 2.5), ("2026-03-04 18:00", 2.5),
                       ("2026-03-04 18:00", 3), ("2026-03-05", 3), (None, None)]
    heads = trace(fig, "arrowheads")
    assert list(heads.marker.angle) == [0, -180, 0]  # the FF arrow points left
    assert trace(build_gantt(plan(), group_by=None), "arrowheads").marker.angle == 0


def test_hover_has_the_task_facts_and_translated_words():
    labels = {"owner": "负责人", "float": "浮动时间", "status": "状态", "status_done": "已完成", "days": "天"}
    fig = build_gantt(plan(), group_by=None, labels=labels)
    b = bars(fig)
    assert "负责人: %{customdata[2]}" in b.hovertemplate and "浮动时间" in b.hovertemplate
    first = b.customdata[0]
    assert first[:9] == [1, "需求评审 Review", "张三", "2026-03-02", "2026-03-04", "0 天", "已完成", "90", "100"]
    assert b.customdata[3][2] == "—" and b.customdata[3][5] == "—"  # no owner, no float


def test_today_line_and_non_working_days_merged_only_on_short_ranges():
    weekends = {day(k) for k in range(60) if day(k).weekday() >= 5}
    fig = build_gantt(plan(), today=day(4), non_working_days=weekends)
    shapes = fig.layout.shapes
    today = [s for s in shapes if s.name == "today"]
    assert len(today) == 1 and today[0].x0 == "2026-03-06"
    shaded = [s for s in shapes if s.name == "non-working"]
    # The plan spans days 0..8: one weekend, drawn as one rectangle.
    assert [(s.x0, s.x1) for s in shaded] == [("2026-03-07", "2026-03-09")]
    long_view = build_gantt(plan(), non_working_days=weekends, x_range=(D, day(120)))
    assert not [s for s in long_view.layout.shapes if s.name == "non-working"]
    assert list(long_view.layout.xaxis.range) == ["2026-03-02", "2026-06-30"]


def test_non_working_shapes_merge_runs_and_clip_to_the_range():
    days = {day(5), day(6), day(7), day(12), day(40)}
    shapes = non_working_shapes(days, D, day(20))
    assert [(s["x0"], s["x1"]) for s in shapes] == [("2026-03-07", "2026-03-10"), ("2026-03-14", "2026-03-15")]


def test_zoom_presets():
    today = date(2026, 5, 14)  # a Thursday
    assert zoom_range("weeks", today=today) == ["2026-05-04", "2026-06-08"]
    assert zoom_range("months", today=today) == ["2026-04-01", "2026-08-01"]
    assert zoom_range("quarters", today=today) == ["2026-04-01", "2027-04-01"]
    assert zoom_range("range", today=today, start=D, end=day(9)) == ["2026-03-02", "2026-03-12"]
    assert zoom_range("months", today=date(2026, 1, 5)) == ["2025-12-01", "2026-04-01"]
    presets = zoom_presets(today, D, day(9))
    assert set(presets) == {"weeks", "months", "quarters", "all"}
    with pytest.raises(ValueError):
        zoom_range("decades", today=today)
    with pytest.raises(ValueError):
        zoom_range("range", today=today, start=day(3), end=D)


def test_height_grows_with_the_rows():
    small = build_gantt(plan(), group_by=None, row_height=20)
    big = build_gantt(plan() + [GanttTask(10 + i, f"t{i}", D, D) for i in range(10)], group_by=None, row_height=20)
    assert big.layout.height - small.layout.height == 10 * 20


def test_empty_plan_builds():
    fig = build_gantt([], today=D)
    assert fig.layout.height > 0


def test_big_plans_skip_validation_but_produce_the_same_figure():
    tasks = [GanttTask(i, f"任务 {i}", day(i % 30), day(i % 30 + 2), phase=f"P{i % 3}", critical=i % 4 == 0,
                       percent_complete=(i * 7) % 100, predecessors=[i - 1] if i else [],
                       baseline_start=day(i % 30), baseline_finish=day(i % 30 + 1)) for i in range(60)]
    checked = build_gantt(tasks, today=D, validate=True)
    fast = build_gantt(tasks, today=D, validate=False)
    assert json.loads(checked.to_json()) == json.loads(fast.to_json())


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def assert_no_raw(fig, hostile=HOSTILE):
    # Decode the JSON: to_json writes "<" as \u003c, which would hide an unescaped string.
    strings = list(_strings(json.loads(fig.to_json())))
    for raw in hostile:
        offenders = [s for s in strings if raw in s]
        assert not offenders, (raw, offenders[:3])
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in strings)  # shown as text


def test_hostile_names_are_escaped_everywhere():
    evil = " ".join(HOSTILE)
    tasks = [
        GanttTask(1, evil, D, day(2), phase=evil, owner=evil, status=evil, priority=evil,
                  baseline_start=D, baseline_finish=day(1)),
        GanttTask(2, HOSTILE[0], day(3), day(3), phase=HOSTILE[2], owner=HOSTILE[3], milestone=True, predecessors=[1]),
        GanttTask(3, HOSTILE[2], day(3), day(4), phase="", owner=HOSTILE[1], side=evil, predecessors=[1]),
    ]
    labels = {key: evil for key in ("owner", "start", "finish", "float", "status", "priority", "complete",
                                    "baseline", "slip", "days", "today", "critical", "milestone",
                                    "dependencies", "done", "task", "tasks", "group", "none", "no_group")}
    for group_by in ("phase", "owner", "side", None):
        fig = build_gantt(tasks, group_by=group_by, today=D, labels=labels, non_working_days={day(5)})
        assert_no_raw(fig)
    # The markup we add ourselves still works around the escaped text.
    fig = build_gantt(tasks, group_by="phase")
    assert ticks(fig)[0].startswith("<b>▾ &lt;img src=x onerror=alert(1)&gt;")


def test_page_mode_gives_row_names_and_link_geometry_to_the_page():
    from schedule.figures.gantt import gantt_spec

    axis = gantt_spec(plan(), group_by="phase")
    page = gantt_spec(plan(), group_by="phase", row_labels="html", dependency_lines="overlay",
                      collapsed_groups={"上线"})
    assert "yaxis2" not in page["layout"] and "row labels" not in [t["name"] for t in page["data"]]
    assert page["layout"]["margin"]["l"] < axis["layout"]["margin"]["l"]  # the names sit beside the chart
    # One row per chart row, top to bottom, escaped like all figure text (the page decodes it).
    assert [(r["kind"], r["text"]) for r in page["rows"]] == [
        ("header", "启动"), ("task", "需求评审 Review"), ("task", "文档编写"), ("header", "开发"),
        ("task", "接口联调"), ("header", "上线"), ("header", "(none)"), ("task", "No phase")]
    assert page["rows"][5]["collapsed"] and page["rows"][5]["count"] == 1 and page["rows"][1]["id"] == 1
    rows = len(page["rows"])
    assert page["layout"]["height"] == axis["layout"]["height"] - (len(ticks(build_gantt(plan()))) - rows) * 22
    # The same links as the line trace, x in days since 1970 (the chart's date axis is UTC).
    dep = [t for t in build_gantt(plan(), group_by="phase", collapsed_groups={"上线"}).data if t.name == "Dependencies"][0]
    assert page["links"]["y"] == list(dep.y)
    as_days = [None if x is None else (date.fromisoformat(x[:10]) - date(1970, 1, 1)).days for x in dep.x]
    assert page["links"]["x"] == as_days
    assert len(page["links"]["heads"]) == 2  # 1 -> 3 and 1 -> 2; links into the folded milestone are hidden
    legend = [t for t in page["data"] if t.get("uid") == "gantt-links"]
    assert len(legend) == 1 and legend[0]["x"] == [None]  # a legend entry, no points to draw
    with pytest.raises(ValueError):
        gantt_spec(plan(), row_labels="svg")
    assert "rows" not in build_gantt(plan(), row_labels="html").to_dict()  # exports keep the axis labels
