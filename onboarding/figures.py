"""Plotly figure of a cross-functional flow (swimlane), and the text helpers every figure uses.

Plain Python, no Django: views gather the data into the dataclasses below and pass translated
words in ``labels``. The helpers live here because onboarding is the lowest app: stakeholders
and schedule figures import them without breaking the one-way dependency rule.

Safety: Plotly renders a subset of HTML (<b>, <br>, <a href>...) in every text it draws and
fills ``%{...}`` placeholders in hover templates, so user text goes through :func:`esc` before
it reaches any text, hovertext, ticktext, annotation or customdata shown by a template, and never
into a template string itself.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import plotly.graph_objects as go
import plotly.io as pio

# Browsers pick the first installed font; the WenQuanYi/Noto entries serve servers (PNG/PDF export).
FONT_FAMILY = "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, Arial, sans-serif"

# Plotly decodes numeric entities and only a few named ones (&lt; &gt; &amp; but not &quot;),
# so quotes become numeric entities. "%" is escaped too so a user's "%{customdata[0]}" can never
# be read as a template placeholder, wherever the string ends up.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "%": "&#37;"})


def esc(value) -> str:
    """User (or translated) text made safe for any Plotly text property."""
    if value is None:
        return ""
    return str(value).translate(_ESCAPES)


def text_width(text: str) -> int:
    """Display width in 'Latin character' units: CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def truncate(text: str, width: int) -> str:
    """Cut raw text (before escaping, so no entity is cut in half) to ``width`` display units."""
    text = " ".join(str(text or "").split())
    if 2 * len(text) <= width or text_width(text) <= width:  # the first test is the cheap common case
        return text
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def wrap(text: str, width: int, max_lines: int = 4) -> list[str]:
    """Break raw text into lines of at most ``width`` display units (CJK breaks anywhere)."""
    lines: list[str] = []
    for paragraph in str(text or "").splitlines() or [""]:
        line, used = "", 0
        for word in _tokens(paragraph):
            w = text_width(word)
            if used and used + w > width:
                lines.append(line.rstrip())
                line, used = "", 0
                word = word.lstrip()
                w = text_width(word)
            while w > width:  # a single long token: hard break
                cut = truncate(word, width + 1)[:-1] or word[:1]
                lines.append(cut)
                word = word[len(cut):]
                w = text_width(word)
            line += word
            used += w
        lines.append(line.rstrip())
    lines = [line for line in lines if line] or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = truncate(lines[-1] + "……", width)
    return lines


def _tokens(text: str):
    """Words with their leading space; each CJK character is a token of its own."""
    token = ""
    for ch in text:
        if text_width(ch) == 2:
            if token:
                yield token
                token = ""
            yield ch
        elif ch.isspace():
            if token:
                yield token
            token = " "
        else:
            token += ch
    if token:
        yield token


def esc_lines(text: str, width: int, max_lines: int = 4) -> str:
    """Wrapped and escaped text joined with <br> (the only markup we add ourselves)."""
    return "<br>".join(esc(line) for line in wrap(text, width, max_lines))


def merge_labels(defaults: Mapping[str, str], labels: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(defaults)
    if labels:
        merged.update({k: str(v) for k, v in labels.items()})
    return merged


# Numeric date ticks read the same in Chinese and English (plotly.js month names are English
# unless the page loads a locale bundle).
DATE_TICKFORMATSTOPS = [
    dict(dtickrange=[None, 86_400_000], value="%m-%d %H:%M"),
    dict(dtickrange=[86_400_000, "M1"], value="%m-%d\n%Y"),
    dict(dtickrange=["M1", "M12"], value="%Y-%m"),
    dict(dtickrange=["M12", None], value="%Y"),
]


def base_layout(**kwargs) -> dict:
    layout = dict(
        # The resolved template, not its name: figures built without validation (big Gantts)
        # are serialised as given, and plotly.js does not know template names.
        template=pio.templates["plotly_white"].to_plotly_json(),
        font=dict(family=FONT_FAMILY, size=12, color="#1f2933"),
        hoverlabel=dict(font=dict(family=FONT_FAMILY), align="left"),
    )
    layout.update(kwargs)
    return layout


# --------------------------------------------------------------------------------------------
# Swimlane
# --------------------------------------------------------------------------------------------

SWIMLANE_LABELS = {
    "start": "Start",
    "end": "End",
    "metrics": "Key metrics",
    "stakeholders": "Stakeholders",
    "tasks": "Tasks",
    "lane": "Lane",
    "none": "—",
    "role": "Role",
    "system": "System",
}

LANE_FILLS = ("#f3f6fb", "#e8eef7")
LABEL_PX = 130  # the lane names, left of the lanes
METRICS_PX = 260  # the key metrics box, right of the lanes when the flow fits beside it
FIT_LANE_PX = 80  # a lane's height when the flow wraps (a box of 4 lines is 72 px)
ROW_GAP = 0.4  # blank space between two rows of a wrapped flow, in lane heights
STEP_BORDER = "#3a6ea5"


@dataclass
class SwimlaneLane:
    id: int | str
    name: str
    kind: str = "role"  # "role" | "system"; systems get a different box colour


@dataclass
class SwimlaneStep:
    id: int | str
    lane_id: int | str
    text: str
    stakeholders: list[str] = field(default_factory=list)  # names of linked plan stakeholders
    tasks: list[str] = field(default_factory=list)  # titles of linked tasks


@dataclass
class SwimlaneMetric:
    name: str
    target: str = ""
    unit: str = ""


def build_swimlane(
    lanes: Sequence[SwimlaneLane],
    steps: Sequence[SwimlaneStep],
    *,
    need: str = "",
    features: str = "",
    metrics: Iterable[SwimlaneMetric] = (),
    labels: Mapping[str, str] | None = None,
    lane_height: int = 110,
    step_width: int = 150,
    max_width: int | None = None,
) -> go.Figure:
    """Lanes top to bottom in the given order, steps left to right in the given order.

    A step's x is its index in ``steps``; its y is its lane's index. Consecutive steps are joined
    by arrow annotations (diagonal when the work is handed over to another lane), with a Start
    marker before the first step and an End marker after the last. Hovering a step lists its
    linked stakeholders and tasks; ``customdata[0]`` is the step id for click handlers.

    ``max_width`` (px): a flow wider than that wraps, like text, onto further rows of the lanes
    (each row repeats the lane names; an arrow runs from a row's last step to the next row's
    first), and the key metrics go below the chart instead of beside it; boxes keep their size.
    """
    L = merge_labels(SWIMLANE_LABELS, labels)
    lane_index = {lane.id: i for i, lane in enumerate(lanes)}
    lane_kind = {lane.id: lane.kind for lane in lanes}
    steps = [s for s in steps if s.lane_id in lane_index]
    n_lanes = max(len(lanes), 1)
    n_steps = len(steps)
    metrics = list(metrics)
    per_row = max(n_steps, 1)
    fit = max_width is not None and _swimlane_width(per_row, step_width, bool(metrics)) > max_width
    if fit:
        per_row = max(2, int((max_width - LABEL_PX - 30) / step_width - 1.5))
    n_rows = max(1, -(-n_steps // per_row))
    if n_rows > 1:
        lane_height = min(lane_height, FIT_LANE_PX)  # the rows stack: shorter lanes keep the chart on fewer screens
    row_pitch = n_lanes + ROW_GAP  # lanes of one row, then a gap, in lane heights

    shapes = [
        dict(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=r * row_pitch + i - 0.5,
             y1=r * row_pitch + i + 0.5, layer="below", fillcolor=LANE_FILLS[i % 2],
             line=dict(color="#c5d0de", width=1))
        for r in range(n_rows) for i in range(len(lanes))
    ]

    xs = [k % per_row for k in range(n_steps)]
    ys = [(k // per_row) * row_pitch + lane_index[s.lane_id] for k, s in enumerate(steps)]
    annotations = []
    half_heights = []  # of each box in px, so arrows stop at its edge
    for k, (x, y, step) in enumerate(zip(xs, ys, steps)):
        system = lane_kind.get(step.lane_id) == "system"
        lines = wrap(step.text, 18, 4)
        half_heights.append((len(lines) * 15 + 2 * 6) / 2 + 4)
        annotations.append(dict(
            name=f"step-{k}", x=x, y=y, xref="x", yref="y", showarrow=False,
            text="<br>".join(esc(line) for line in lines), align="center", width=step_width - 20,
            bgcolor="#fff8e6" if system else "#ffffff", bordercolor=STEP_BORDER, borderwidth=1.5,
            borderpad=6, font=dict(size=12),
        ))

    # Start and end sit half a column outside the first/last step, in the same lane.
    start_end = []
    if n_steps:
        start_end = [(-0.75, ys[0], L["start"]), (xs[-1] + 0.75, ys[-1], L["end"])]
    arrows = []
    # (x, y, half height of the box in px or None for the start/end markers) along the flow
    chain = list(zip(xs, ys, half_heights))
    if start_end:
        chain = [(start_end[0][0], start_end[0][1], None)] + chain + [(start_end[1][0], start_end[1][1], None)]
    for i, ((x0, y0, h0), (x1, y1, h1)) in enumerate(zip(chain, chain[1:])):
        kind = "start" if i == 0 else ("end" if i == len(chain) - 2 else "step")
        row0, row1 = int(y0 // row_pitch), int(y1 // row_pitch)
        if row1 > row0:
            # Onto the next row: down from the box into the gap between the rows, back left along
            # the gap, then the arrow down into the next row's first step (no line across the lanes).
            gap = row0 * row_pitch + n_lanes - 0.5 + ROW_GAP / 2
            below = y0 + ((h0 or 0) + 2) / lane_height
            shapes.append(dict(type="path", xref="x", yref="y", layer="above", name=f"wrap-{i}",
                               path=f"M {x0},{below} L {x0},{gap} L {x1},{gap}",
                               line=dict(color="#52606d", width=1.5)))
            x0, y0, h0 = x1, gap, None
            kind = "wrap"
        arrows.append(dict(
            name=f"arrow-{kind}-{i}", x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
            text="", showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor="#52606d",
            standoff=_standoff(x1, y1, x0, y0, step_width, lane_height, h1),
            startstandoff=0 if kind == "wrap" else _standoff(x0, y0, x1, y1, step_width, lane_height, h0),
        ))

    none = esc(L["none"])
    customdata = [
        [step.id, esc(step.text),
         "<br>".join(esc(truncate(n, 40)) for n in step.stakeholders) or none,
         "<br>".join(esc(truncate(t, 50)) for t in step.tasks) or none]
        for step in steps
    ]
    hovertemplate = (
        "<b>%{customdata[1]}</b><br><br>"
        f"<b>{esc(L['stakeholders'])}</b><br>%{{customdata[2]}}<br><br>"
        f"<b>{esc(L['tasks'])}</b><br>%{{customdata[3]}}<extra></extra>"
    )
    data = [
        # Invisible hover/click targets under the step boxes.
        go.Scatter(
            x=xs, y=ys, mode="markers", customdata=customdata, hovertemplate=hovertemplate,
            marker=dict(symbol="square", size=60, color="rgba(0,0,0,0)"), showlegend=False, name="steps",
        ),
        go.Scatter(
            x=[p[0] for p in start_end], y=[p[1] for p in start_end], mode="markers+text",
            text=[esc(p[2]) for p in start_end], textposition="bottom center", hoverinfo="skip",
            marker=dict(symbol=["circle", "circle-dot"], size=[18, 22], color=["#2f9e44", "#c92a2a"],
                        line=dict(color="#1f2933", width=1.5)),
            showlegend=False, name="start/end",
        ),
    ]

    metric_lines = [
        f"• {esc(truncate(m.name, 28))}" + (f": {esc(truncate(m.target, 16))}" if m.target else "")
        + (f" {esc(truncate(m.unit, 10))}" if m.unit else "")
        for m in metrics
    ]
    margin_right, margin_bottom = 30, 30
    if metric_lines and fit:
        # Below the lanes: beside them they would take 260 px of the steps' width.
        margin_bottom = 30 + 16 * len(metric_lines) + 40
        annotations.append(dict(
            name="metrics", xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-20,
            showarrow=False, align="left", bgcolor="#ffffff", bordercolor="#c5d0de", borderwidth=1, borderpad=8,
            text=f"<b>{esc(L['metrics'])}</b><br>" + "<br>".join(metric_lines),
        ))
    elif metric_lines:
        margin_right = METRICS_PX
        annotations.append(dict(
            name="metrics", xref="paper", yref="paper", x=1.02, y=1, xanchor="left", yanchor="top",
            showarrow=False, align="left", bgcolor="#ffffff", bordercolor="#c5d0de", borderwidth=1, borderpad=8,
            text=f"<b>{esc(L['metrics'])}</b><br>" + "<br>".join(metric_lines),
        ))

    title_text = f"<b>{esc_lines(need, 90, 2)}</b>" if need else ""
    longest_lane = max((len(wrap(lane.name, 14, 3)) for lane in lanes), default=1)
    x_range = [-1.25, per_row + 0.25]
    y_units = n_rows * n_lanes + (n_rows - 1) * ROW_GAP
    x_span = x_range[1] - x_range[0]
    top = 90 if features else 70
    fig = go.Figure(data=data)
    fig.update_layout(base_layout(
        title=dict(text=title_text, subtitle=dict(text=esc_lines(features, 120, 2)), x=0.01, xanchor="left"),
        # Fixed pixels per step and per lane keep boxes, arrows and standoffs in proportion.
        height=int(y_units * lane_height) + top + margin_bottom,
        width=int(x_span * step_width) + LABEL_PX + margin_right,
        margin=dict(l=LABEL_PX, r=margin_right, t=top, b=margin_bottom),
        showlegend=False,
        hovermode="closest",
        dragmode=False,
        shapes=shapes,
        annotations=annotations + arrows,
        xaxis=dict(range=x_range, visible=False, fixedrange=True),
        yaxis=dict(
            range=[y_units - 0.5, -0.5], fixedrange=True, showgrid=False, zeroline=False,
            tickmode="array", tickvals=[r * row_pitch + i for r in range(n_rows) for i in range(len(lanes))],
            ticktext=[esc_lines(lane.name, 14, max(3, longest_lane)) for lane in lanes] * n_rows,
        ),
    ))
    return fig


def _swimlane_width(n_steps, step_width, metrics) -> int:
    """The figure's width in px with all ``n_steps`` in one row."""
    return int((n_steps + 1.5) * step_width) + LABEL_PX + (METRICS_PX if metrics else 30)


def _standoff(x, y, ox, oy, step_width, lane_height, half_h) -> int:
    """Pixels to keep an arrow end off the box at (x, y), coming from (ox, oy).

    Boxes are ``step_width - 20`` px wide plus padding and ``2 * half_h`` tall (None: a start or
    end marker); a steep arrow meets the box's top or bottom edge rather than its side.
    """
    if half_h is None:
        return 12
    dx = abs(x - ox) * step_width * 1.0
    dy = abs(y - oy) * lane_height * 1.0
    half_w = (step_width - 20) / 2 + 8
    if dx == 0:
        return int(half_h)
    if dy == 0:
        return int(half_w)
    # Distance from the centre to the box edge along the arrow's direction.
    t = min(half_w / dx, half_h / dy)
    return int(t * (dx * dx + dy * dy) ** 0.5)
