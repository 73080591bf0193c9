"""Power/interest grid of a plan's stakeholders as a Plotly figure (plain Python, no models).

Influence (power) on y, relevance (interest) on x, both 1–5. The quadrant rule is the one in
stakeholders/engagement.py (4–5 is high, 1–3 low), imported rather than repeated so the grid
and the communication plan can never disagree.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

import plotly.graph_objects as go

from onboarding.figures import base_layout, esc, merge_labels, truncate
from stakeholders.engagement import HIGH_FROM, quadrant as _engagement_quadrant

LABELS = {
    "relevance": "Relevance",
    "influence": "Influence",
    "manage_closely": "Manage closely",
    "keep_satisfied": "Keep satisfied",
    "keep_informed": "Keep informed",
    "monitor": "Monitor",
    "side_platform": "Platform",
    "side_partner": "Partner",
    "side_other": "Other",
    "organisation": "Organisation",
    "role": "Role",
    "strategy": "Strategy",
}

SIDE_COLOURS = {"platform": "#3a78c9", "partner": "#e8590c", "other": "#7b8794"}

# (key, x0, x1, y0, y1, fill) in score units; the cut sits halfway between 3 (low) and 4 (high).
# The y range has a band above 5 and below 1 where the quadrant names sit clear of the points.
_CUT = HIGH_FROM - 0.5
X_RANGE, Y_RANGE = (0.5, 5.5), (0.15, 5.85)
QUADRANT_CELLS = [
    ("manage_closely", _CUT, X_RANGE[1], _CUT, Y_RANGE[1], "rgba(201,42,42,0.10)"),
    ("keep_satisfied", X_RANGE[0], _CUT, _CUT, Y_RANGE[1], "rgba(232,89,12,0.08)"),
    ("keep_informed", _CUT, X_RANGE[1], Y_RANGE[0], _CUT, "rgba(58,120,201,0.08)"),
    ("monitor", X_RANGE[0], _CUT, Y_RANGE[0], _CUT, "rgba(123,135,148,0.07)"),
]


def quadrant(relevance: int, influence: int) -> str:
    """Quadrant key: manage_closely, keep_satisfied, keep_informed or monitor."""
    return _engagement_quadrant(relevance, influence).key


@dataclass
class GridStakeholder:
    id: Hashable
    name: str
    relevance: int  # 1–5 (x)
    influence: int  # 1–5 (y)
    side: str = "platform"  # "platform" | "partner"
    organisation: str = ""
    role: str = ""


def jitter_offsets(count: int, radius: float = 0.22) -> list[tuple[float, float]]:
    """Deterministic offsets that spread ``count`` points sharing one score cell.

    Up to 6 points sit on a ring; more fill a sunflower spiral that stays inside the cell.
    """
    if count <= 1:
        return [(0.0, 0.0)] * count
    if count <= 6:
        return [(radius * math.cos(math.pi / 2 - 2 * math.pi * i / count),
                 radius * math.sin(math.pi / 2 - 2 * math.pi * i / count)) for i in range(count)]
    golden = math.pi * (3 - math.sqrt(5))
    return [(0.38 * math.sqrt((i + 0.5) / count) * math.cos(i * golden),
             0.38 * math.sqrt((i + 0.5) / count) * math.sin(i * golden)) for i in range(count)]


def build_stakeholder_grid(
    stakeholders: Sequence[GridStakeholder],
    *,
    labels: Mapping[str, str] | None = None,
    height: int = 520,
) -> go.Figure:
    """One point per stakeholder, coloured by side, labelled with the name.

    Points with the same (relevance, influence) are spread around the cell centre in id order,
    so the layout does not depend on the order of the input. ``customdata[0]`` is the id.
    """
    L = merge_labels(LABELS, labels)
    cells: dict[tuple[int, int], list[GridStakeholder]] = defaultdict(list)
    for s in stakeholders:
        cells[(_clamp(s.relevance), _clamp(s.influence))].append(s)

    per_side: dict[str, dict[str, list]] = {}
    for (rel, inf), members in cells.items():
        members = sorted(members, key=lambda s: (str(s.id), s.name))
        for s, (dx, dy) in zip(members, jitter_offsets(len(members))):
            side = s.side if s.side in ("platform", "partner") else "other"
            bucket = per_side.setdefault(side, {"x": [], "y": [], "text": [], "pos": [], "cd": []})
            bucket["x"].append(round(rel + dx, 4))
            bucket["y"].append(round(inf + dy, 4))
            bucket["text"].append(esc(truncate(s.name, 16)))
            bucket["pos"].append(_text_position(dx, dy))
            key = quadrant(s.relevance, s.influence)
            bucket["cd"].append([s.id, esc(s.name), esc(s.organisation) or "—", esc(s.role) or "—",
                                 s.relevance, s.influence, esc(L[key])])

    hovertemplate = (
        "<b>%{customdata[1]}</b><br>"
        f"{esc(L['organisation'])}: %{{customdata[2]}}<br>"
        f"{esc(L['role'])}: %{{customdata[3]}}<br>"
        f"{esc(L['relevance'])}: %{{customdata[4]}}   {esc(L['influence'])}: %{{customdata[5]}}<br>"
        f"{esc(L['strategy'])}: %{{customdata[6]}}<extra></extra>"
    )
    data = [
        go.Scatter(
            name=esc(L[f"side_{side}"]), x=b["x"], y=b["y"], text=b["text"], textposition=b["pos"],
            mode="markers+text", customdata=b["cd"], hovertemplate=hovertemplate, cliponaxis=False,
            marker=dict(size=13, color=SIDE_COLOURS[side], line=dict(color="#ffffff", width=1.5)),
            textfont=dict(size=11),
        )
        for side in ("platform", "partner", "other")
        if (b := per_side.get(side))
    ]

    shapes = [
        dict(type="rect", xref="x", yref="y", x0=x0, x1=x1, y0=y0, y1=y1, layer="below",
             fillcolor=fill, line=dict(width=0), name=key)
        for key, x0, x1, y0, y1, fill in QUADRANT_CELLS
    ]
    shapes += [
        dict(type="line", xref="x", yref="y", x0=_CUT, x1=_CUT, y0=Y_RANGE[0], y1=Y_RANGE[1],
             line=dict(color="#9aa5b1", width=1)),
        dict(type="line", xref="x", yref="y", x0=X_RANGE[0], x1=X_RANGE[1], y0=_CUT, y1=_CUT,
             line=dict(color="#9aa5b1", width=1)),
    ]
    # Quadrant names in the outer corners, where points are least likely to sit.
    (left, right), (bottom, top) = X_RANGE, Y_RANGE
    corners = {"manage_closely": (right, top, "right", "top"), "keep_satisfied": (left, top, "left", "top"),
               "keep_informed": (right, bottom, "right", "bottom"), "monitor": (left, bottom, "left", "bottom")}
    annotations = [
        dict(name=key, xref="x", yref="y", x=x, y=y, xanchor=xa, yanchor=ya, showarrow=False,
             text=f"<b>{esc(L[key])}</b>", font=dict(size=13, color="#52606d"), xshift=4 if xa == "left" else -4,
             yshift=-2 if ya == "top" else 2)
        for key, (x, y, xa, ya) in corners.items()
    ]

    fig = go.Figure(data=data)
    axis = dict(tickmode="array", tickvals=[1, 2, 3, 4, 5], showgrid=False,
                zeroline=False, fixedrange=True, showline=True, linecolor="#9aa5b1")
    fig.update_layout(base_layout(
        height=height,
        margin=dict(l=60, r=20, t=20, b=50),
        xaxis=dict(axis, range=list(X_RANGE), title=dict(text=esc(L["relevance"]))),
        yaxis=dict(axis, range=list(Y_RANGE), title=dict(text=esc(L["influence"]))),
        legend=dict(orientation="h", x=1, xanchor="right", y=-0.08, yanchor="top"),
        shapes=shapes,
        annotations=annotations,
        hovermode="closest",
        dragmode=False,
    ))
    return fig


def _clamp(score) -> int:
    try:
        return max(1, min(5, int(score)))
    except (TypeError, ValueError):
        return 3


def _text_position(dx: float, dy: float) -> str:
    """Put a jittered point's name on the side facing away from the cell centre."""
    if dx == 0 and dy == 0:
        return "top center"
    if abs(dx) > abs(dy):
        return "middle right" if dx > 0 else "middle left"
    return "top center" if dy > 0 else "bottom center"
