"""The swimlane figure of a cross-functional flow."""
import json

from onboarding.figures import (
    SwimlaneLane,
    SwimlaneMetric,
    SwimlaneStep,
    build_swimlane,
    esc,
    truncate,
    wrap,
)

HOSTILE = ['<img src=x onerror=alert(1)>', "<script>", "%{customdata[0]}", '<a href="javascript:alert(1)">x</a>']


def flow():
    lanes = [SwimlaneLane(10, "玩家"), SwimlaneLane(20, "游戏厂商"), SwimlaneLane(30, "MTP 控制台", kind="system")]
    steps = [
        SwimlaneStep(1, 20, "购买 MTP", stakeholders=["张三"], tasks=["签署合同"]),
        SwimlaneStep(2, 30, "接入 SDK"),
        SwimlaneStep(3, 30, "配置防护策略"),
        SwimlaneStep(4, 10, "安装游戏并登录", stakeholders=["李四", "王五"]),
    ]
    metrics = [SwimlaneMetric("外挂拦截率", "99.5", "%"), SwimlaneMetric("接入周期", "5", "天")]
    return lanes, steps, metrics


def step_boxes(fig):
    return [a for a in fig.layout.annotations if (a.name or "").startswith("step-")]


def arrows(fig):
    return [a for a in fig.layout.annotations if (a.name or "").startswith("arrow-")]


def test_lanes_are_bands_in_order_from_the_top():
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps, need="防外挂", metrics=metrics)
    assert list(fig.layout.yaxis.ticktext) == ["玩家", "游戏厂商", "MTP 控制台"]
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2]
    assert list(fig.layout.yaxis.range) == [2.5, -0.5]  # reversed: the first lane on top
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(b.y0, b.y1) for b in bands] == [(-0.5, 0.5), (0.5, 1.5), (1.5, 2.5)]


def test_steps_go_left_to_right_in_their_lanes():
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps)
    boxes = step_boxes(fig)
    assert [(a.x, a.y) for a in boxes] == [(0, 1), (1, 2), (2, 2), (3, 0)]
    assert [a.text for a in boxes] == ["购买 MTP", "接入 SDK", "配置防护策略", "安装游戏并登录"]
    assert boxes[1].bgcolor != boxes[0].bgcolor  # system lanes look different
    hover = fig.data[0]
    assert list(hover.x) == [0, 1, 2, 3] and list(hover.y) == [1, 2, 2, 0]
    assert [cd[0] for cd in hover.customdata] == [1, 2, 3, 4]


def test_arrows_join_consecutive_steps_with_start_and_end_marked():
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps)
    a = arrows(fig)
    assert len(a) == len(steps) + 1  # start -> 1 -> 2 -> 3 -> 4 -> end
    assert [(x.ax, x.ay, x.x, x.y) for x in a[1:-1]] == [(0, 1, 1, 2), (1, 2, 2, 2), (2, 2, 3, 0)]
    assert all(x.showarrow and x.axref == "x" and x.ayref == "y" for x in a)
    assert a[0].name.startswith("arrow-start") and (a[0].x, a[0].y) == (0, 1)
    assert a[-1].name.startswith("arrow-end") and (a[-1].ax, a[-1].ay) == (3, 0)
    markers = fig.data[1]
    assert list(markers.text) == ["Start", "End"]
    assert list(markers.y) == [1, 0]  # in the first step's and the last step's lane
    assert markers.x[0] < 0 < 3 < markers.x[1]


def test_title_is_the_need_and_metrics_are_listed_beside():
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps, need="玩家需要公平的游戏环境", features="SDK 加固、反外挂",
                         metrics=metrics, labels={"metrics": "关键指标"})
    assert "玩家需要公平的游戏环境" in fig.layout.title.text
    assert fig.layout.title.subtitle.text == "SDK 加固、反外挂"
    box = [a for a in fig.layout.annotations if a.name == "metrics"][0]
    assert box.text == "<b>关键指标</b><br>• 外挂拦截率: 99.5 &#37;<br>• 接入周期: 5 天"
    assert box.xref == "paper" and box.x > 1


def test_hover_lists_linked_stakeholders_and_tasks():
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps, labels={"stakeholders": "干系人", "tasks": "任务"})
    hover = fig.data[0]
    assert "干系人" in hover.hovertemplate and "%{customdata[2]}" in hover.hovertemplate
    assert hover.customdata[0][2:] == ["张三", "签署合同"]
    assert hover.customdata[3][2] == "李四<br>王五"
    assert hover.customdata[1][2:] == ["—", "—"]


def test_steps_in_unknown_lanes_are_skipped_and_an_empty_flow_builds():
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps + [SwimlaneStep(9, 99, "孤立步骤")])
    assert len(step_boxes(fig)) == 4
    empty = build_swimlane([], [])
    assert not arrows(empty) and not step_boxes(empty)


def test_long_text_wraps_and_truncates_by_display_width():
    assert wrap("配置防护策略并验证外挂拦截效果", 8) == ["配置防护", "策略并验", "证外挂拦", "截效果"]
    assert wrap("configure the protection policy", 12) == ["configure", "the", "protection", "policy"]
    assert truncate("阶段一需求评审会议", 8) == "阶段一…"
    assert esc("5%{x}") == "5&#37;{x}"


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


def test_hostile_names_are_escaped_everywhere():
    evil = " ".join(HOSTILE)
    lanes = [SwimlaneLane(1, evil), SwimlaneLane(2, HOSTILE[2], kind="system")]
    steps = [SwimlaneStep(1, 1, evil, stakeholders=[evil, HOSTILE[0]], tasks=[HOSTILE[3]]),
             SwimlaneStep(2, 2, HOSTILE[0], stakeholders=[HOSTILE[2]], tasks=[evil])]
    labels = {k: evil for k in ("start", "end", "metrics", "stakeholders", "tasks", "none")}
    fig = build_swimlane(lanes, steps, need=evil, features=evil,
                         metrics=[SwimlaneMetric(evil, HOSTILE[2], HOSTILE[1])], labels=labels)
    strings = list(_strings(json.loads(fig.to_json())))
    for raw in HOSTILE:
        assert not [s for s in strings if raw in s], raw
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in strings)


def long_flow(n=10):
    lanes = [SwimlaneLane(i, f"泳道 {i}") for i in range(6)]
    steps = [SwimlaneStep(k, k % 6, f"第 {k + 1} 步") for k in range(n)]
    return lanes, steps, [SwimlaneMetric("外挂拦截率", "99.5", "%")]


def test_a_long_flow_wraps_onto_rows_within_the_box():
    lanes, steps, metrics = long_flow()
    wide = build_swimlane(lanes, steps, metrics=metrics)
    assert wide.layout.width > 1900  # the flow on one row: the ~2,000 px the Flow tab showed
    fig = build_swimlane(lanes, steps, metrics=metrics, max_width=1180)
    assert fig.layout.width <= 1180
    boxes = step_boxes(fig)
    per_row = max(a.x for a in boxes) + 1
    assert 2 <= per_row < len(steps)
    lo, hi = fig.layout.xaxis.range
    # Every step and the End marker inside the x range: nothing is drawn outside the figure.
    assert all(lo < a.x < hi for a in boxes)
    end_x = fig.data[1].x[-1]
    assert lo < end_x < hi
    # Steps run on in reading order: row by row, left to right; each row repeats the lane names.
    rows = sorted({int(a.y // (len(lanes) + 0.4)) for a in boxes})
    assert rows == [0, 1]
    assert [a.x for a in boxes] == [k % per_row for k in range(len(steps))]
    assert list(fig.layout.yaxis.ticktext) == [f"泳道 {i}" for i in range(6)] * 2
    # From a row's last step the flow goes on through the gap between the rows, not across the lanes.
    wraps = [s for s in fig.layout.shapes if (s.name or "").startswith("wrap-")]
    assert len(wraps) == 1
    assert any((a.name or "").startswith("arrow-wrap-") for a in arrows(fig))
    # The key metrics go below the lanes instead of taking 260 px beside them.
    metrics_box = next(a for a in fig.layout.annotations if a.name == "metrics")
    assert metrics_box.y == 0 and metrics_box.yanchor == "top" and fig.layout.margin.r == 30


def test_a_short_flow_stays_on_one_row():
    lanes, steps, metrics = flow()
    steps = steps[:3]
    fitted, free = (build_swimlane(lanes, steps, metrics=metrics, max_width=mw) for mw in (1180, None))
    assert fitted.layout.width == free.layout.width <= 1180 and fitted.layout.height == free.layout.height
    assert [(a.x, a.y) for a in step_boxes(fitted)] == [(a.x, a.y) for a in step_boxes(free)]
    # Four steps and the metrics beside them would be 1,215 px: the metrics go below, the steps stay on one row.
    lanes, steps, metrics = flow()
    fig = build_swimlane(lanes, steps, metrics=metrics, max_width=1180)
    assert fig.layout.width <= 1180 and [a.x for a in step_boxes(fig)] == [0, 1, 2, 3]
    assert fig.layout.height == build_swimlane(lanes, steps).layout.height + fig.layout.margin.b - 30
