"""The power/interest grid of a plan's stakeholders."""
import json
import math

import pytest

from stakeholders.figures import (
    GridStakeholder,
    build_stakeholder_grid,
    jitter_offsets,
    quadrant,
)

HOSTILE = ['<img src=x onerror=alert(1)>', "<script>", "%{customdata[0]}", '<a href="javascript:alert(1)">x</a>']


@pytest.mark.parametrize("relevance, influence, expected", [
    (5, 5, "manage_closely"), (4, 4, "manage_closely"),
    (3, 4, "keep_satisfied"), (1, 5, "keep_satisfied"),
    (4, 3, "keep_informed"), (5, 1, "keep_informed"),
    (3, 3, "monitor"), (1, 1, "monitor"),
])
def test_quadrant_rule_three_is_low_four_is_high(relevance, influence, expected):
    assert quadrant(relevance, influence) == expected


def test_quadrant_agrees_with_the_engagement_module():
    from stakeholders import engagement

    for r in range(1, 6):
        for i in range(1, 6):
            assert quadrant(r, i) == engagement.quadrant(r, i).key


def points(fig):
    """(id, x, y) of every plotted stakeholder."""
    return [(cd[0], x, y) for t in fig.data for cd, x, y in zip(t.customdata, t.x, t.y)]


def test_one_point_per_stakeholder_at_its_scores():
    people = [GridStakeholder(1, "张三", relevance=2, influence=5), GridStakeholder(2, "Li", relevance=5, influence=1)]
    fig = build_stakeholder_grid(people)
    assert sorted(points(fig)) == [(1, 2, 5), (2, 5, 1)]
    assert list(fig.layout.xaxis.range) == [0.5, 5.5] and list(fig.layout.yaxis.range) == [0.15, 5.85]
    assert fig.layout.xaxis.title.text == "Relevance" and fig.layout.yaxis.title.text == "Influence"


def test_coinciding_points_are_spread_deterministically_and_stay_in_their_cell():
    people = [GridStakeholder(i, f"人{i}", relevance=4, influence=5, side="partner" if i % 2 else "platform")
              for i in range(1, 4)]
    fig = build_stakeholder_grid(people)
    pts = points(fig)
    coords = {(round(x, 3), round(y, 3)) for _, x, y in pts}
    assert len(coords) == 3  # all three visible
    assert all(math.hypot(x - 4, y - 5) <= 0.4 for _, x, y in pts)
    reversed_fig = build_stakeholder_grid(list(reversed(people)))
    assert sorted(points(reversed_fig)) == sorted(pts)  # input order does not move anyone
    many = jitter_offsets(12)
    assert len(set(many)) == 12 and all(math.hypot(dx, dy) < 0.4 for dx, dy in many)
    assert jitter_offsets(1) == [(0.0, 0.0)]


def test_coloured_by_side_and_labelled_by_name():
    people = [GridStakeholder(1, "平台经理", 4, 4, side="platform"), GridStakeholder(2, "厂商 CTO", 5, 5, side="partner"),
              GridStakeholder(3, "顾问", 2, 2, side="")]
    fig = build_stakeholder_grid(people, labels={"side_platform": "平台", "side_partner": "合作方"})
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"平台", "合作方", "Other"}
    assert by_name["平台"].marker.color != by_name["合作方"].marker.color
    assert list(by_name["合作方"].text) == ["厂商 CTO"]
    assert by_name["合作方"].customdata[0][6] == "Manage closely"


def test_quadrants_are_shaded_and_named_and_split_between_3_and_4():
    fig = build_stakeholder_grid([], labels={"manage_closely": "重点管理"})
    rects = {s.name: s for s in fig.layout.shapes if s.type == "rect"}
    assert set(rects) == {"manage_closely", "keep_satisfied", "keep_informed", "monitor"}
    assert (rects["manage_closely"].x0, rects["manage_closely"].y0) == (3.5, 3.5)
    assert (rects["monitor"].x1, rects["monitor"].y1) == (3.5, 3.5)
    assert (rects["keep_satisfied"].x1, rects["keep_informed"].y1) == (3.5, 3.5)
    names = {a.name: a.text for a in fig.layout.annotations}
    assert names["manage_closely"] == "<b>重点管理</b>" and names["monitor"] == "<b>Monitor</b>"


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
    people = [GridStakeholder(1, evil, 4, 5, organisation=evil, role=HOSTILE[2]),
              GridStakeholder(2, HOSTILE[0], 4, 5, side="partner", organisation=HOSTILE[3])]
    labels = {k: evil for k in ("relevance", "influence", "manage_closely", "keep_satisfied", "keep_informed",
                                "monitor", "side_platform", "side_partner", "side_other", "organisation",
                                "role", "strategy")}
    strings = list(_strings(json.loads(build_stakeholder_grid(people, labels=labels).to_json())))
    for raw in HOSTILE:
        assert not [s for s in strings if raw in s], raw
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in strings)
