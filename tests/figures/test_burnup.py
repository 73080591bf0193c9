"""The burn-up chart of the plan dashboard."""
import json
from datetime import date

from schedule.figures.dashboard import (
    BurnupPoint,
    build_burnup,
    burnup_points_from_tasks,
)

HOSTILE = ['<img src=x onerror=alert(1)>', "<script>", "%{customdata[0]}", '<a href="javascript:alert(1)">x</a>']
D1, D2, D3, D4 = date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 9), date(2026, 3, 20)


def test_points_from_finish_dates_are_cumulative_and_span_start_to_end():
    points = burnup_points_from_tasks([D2, None, D3, D2, None], start=D1, end=D4)
    assert points == [BurnupPoint(D1, 0, 5), BurnupPoint(D2, 2, 5), BurnupPoint(D3, 3, 5), BurnupPoint(D4, 3, 5)]
    assert burnup_points_from_tasks([], total=4, start=D1) == [BurnupPoint(D1, 0, 4)]


def test_done_against_scope_with_the_planned_curve():
    points = [BurnupPoint(D1, 0, 4), BurnupPoint(D2, 1, 5), BurnupPoint(D3, 3, 5)]
    fig = build_burnup(points, planned_finish_dates=[D2, D2, D3, D4, D4], today=D3,
                       labels={"done": "已完成", "scope": "总范围", "planned": "计划"})
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["总范围"].y) == [4, 5, 5]
    assert list(by_name["已完成"].y) == [0, 1, 3] and by_name["已完成"].fill == "tozeroy"
    assert list(by_name["已完成"].x) == ["2026-03-02", "2026-03-05", "2026-03-09"]
    planned = by_name["计划"]
    assert list(planned.y) == [0, 2, 3, 5] and planned.x[0] == "2026-03-02"
    assert [s.x0 for s in fig.layout.shapes] == ["2026-03-09"]
    assert fig.layout.height <= 300  # a small dashboard figure


def test_done_stops_at_today_and_the_legend_sits_below_the_axis_labels():
    points = [BurnupPoint(D1, 0, 4), BurnupPoint(D2, 1, 4), BurnupPoint(D3, 1, 4), BurnupPoint(D4, 1, 4)]
    fig = build_burnup(points, today=D2, labels={"done": "已完成", "scope": "总范围"})
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["已完成"].x) == ["2026-03-02", "2026-03-05"]  # not on into the future
    assert list(by_name["总范围"].x)[-1] == "2026-03-20"
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
    assert fig.layout.margin.b >= 55  # room for the two-line date ticks above the legend


def test_empty_burnup_builds():
    assert build_burnup([]).data[0].x == ()


def test_hostile_labels_are_escaped():
    evil = " ".join(HOSTILE)
    labels = {k: evil for k in ("done", "scope", "planned", "today", "tasks", "title")}
    fig = build_burnup([BurnupPoint(D1, 0, 1)], planned_finish_dates=[D2], today=D1, labels=labels)
    strings = []

    def walk(node):
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(fig.to_json()))
    for raw in HOSTILE:
        assert not [s for s in strings if raw in s], raw
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in strings)
