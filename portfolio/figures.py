"""The portfolio timeline (plain Python, no Django): one bar per plan from its start to its
forecast launch, its milestones, the target launch marked, today; rows grouped by product or owner.

Views pass plain ``TimelinePlan`` values and translated words in ``labels``; user text goes
through :func:`esc` (see onboarding/figures.py). The figure is a dict spec like the Gantt's
(built without plotly's validation, which costs seconds at a thousand plans): bars are one trace,
milestones one, targets one; clicking a bar, milestone or target gives the plan id in
``customdata[0]`` (static/js/charts.js opens the plan).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping, Sequence

from onboarding.figures import DATE_TICKFORMATSTOPS, base_layout, esc, merge_labels, truncate

LABELS = {
    "plan": "Plan",
    "milestone": "Milestone",
    "target": "Target launch",
    "today": "Today",
    "start": "Start",
    "launch": "Forecast launch",
    "health": "Health",
    "done": "Done",
}
COLOURS = {"on_track": "#2f9e44", "at_risk": "#f08c00", "late": "#e03131", "milestone": "#1f2933",
           "milestone_done": "#868e96", "target": "#1c7ed6", "today": "#e8590c", "group": "#f1f3f5"}
DAY_MS = 86_400_000
ROW_HEIGHT = 26


@dataclass
class TimelinePlan:
    id: int
    name: str
    group: str
    start: date
    launch: date | None  # forecast launch (None: nothing scheduled yet)
    target: date | None
    health: str  # "on_track", "at_risk" or "late"
    health_label: str
    percent_done: int
    milestones: Sequence[tuple[str, date | None, bool]] = field(default_factory=list)  # (title, date, done)


def iso(day: date) -> str:
    return day.isoformat()


def timeline_spec(plans: Sequence[TimelinePlan], *, today: date, labels: Mapping[str, str] | None = None,
                  grouped: bool = True) -> dict:
    """The timeline figure as a plotly.js spec (data + layout)."""
    L = merge_labels(LABELS, labels)
    rows: list[tuple[str, object]] = []  # ("group", name) or ("plan", TimelinePlan)
    current = None
    for plan in sorted(plans, key=lambda p: (p.group.casefold(), p.start, p.name.casefold(), p.id)) if grouped \
            else plans:
        if grouped and plan.group != current:
            current = plan.group
            rows.append(("group", plan.group))
        rows.append(("plan", plan))

    bar_y, bar_base, bar_x, bar_colour, bar_cd = [], [], [], [], []
    ms_x, ms_y, ms_colour, ms_cd = [], [], [], []
    tg_x, tg_y, tg_cd = [], [], []
    ticktext, shapes = [], []
    days = [today]
    for y, (kind, item) in enumerate(rows):
        if kind == "group":
            ticktext.append(f"<b>{esc(truncate(item, 28))}</b>")
            shapes.append(dict(type="rect", xref="paper", yref="y", x0=0, x1=1, y0=y - 0.5, y1=y + 0.5,
                               fillcolor=COLOURS["group"], line=dict(width=0), layer="below"))
            continue
        plan = item
        ticktext.append(esc(truncate(plan.name, 28)))
        days.append(plan.start)
        info = [plan.id, esc(plan.name), iso(plan.start), iso(plan.launch) if plan.launch else "—",
                iso(plan.target) if plan.target else "—", esc(plan.health_label), plan.percent_done]
        if plan.launch:
            days.append(plan.launch)
            end = max(plan.launch, plan.start)
            bar_y.append(y)
            bar_base.append(iso(plan.start))
            bar_x.append(((end - plan.start).days + 1) * DAY_MS)
            bar_colour.append(COLOURS.get(plan.health, COLOURS["on_track"]))
            bar_cd.append(info)
        if plan.target:
            days.append(plan.target)
            tg_x.append(iso(plan.target))
            tg_y.append(y)
            tg_cd.append(info)
        for title, day, done in plan.milestones:
            if day is None:
                continue
            days.append(day)
            ms_x.append(iso(day))
            ms_y.append(y)
            ms_colour.append(COLOURS["milestone_done" if done else "milestone"])
            ms_cd.append([plan.id, esc(title), iso(day)])

    plan_hover = (
        "<b>%{customdata[1]}</b><br>"
        f"{esc(L['start'])}: %{{customdata[2]}}   {esc(L['launch'])}: %{{customdata[3]}}<br>"
        f"{esc(L['target'])}: %{{customdata[4]}}<br>"
        f"{esc(L['health'])}: %{{customdata[5]}}   {esc(L['done'])}: %{{customdata[6]}}&#37;<extra></extra>"
    )
    data = [
        dict(type="bar", name=esc(L["plan"]), orientation="h", y=bar_y, base=bar_base, x=bar_x,
             width=0.6, marker=dict(color=bar_colour, line=dict(width=0)), customdata=bar_cd,
             hovertemplate=plan_hover, showlegend=False),
        dict(type="scatter", mode="markers", name=esc(L["milestone"]), x=ms_x, y=ms_y,
             marker=dict(symbol="diamond", size=10, color=ms_colour, line=dict(color="#ffffff", width=1)),
             customdata=ms_cd, hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"),
        dict(type="scatter", mode="markers", name=esc(L["target"]), x=tg_x, y=tg_y,
             marker=dict(symbol="line-ns-open", size=20, color=COLOURS["target"], line=dict(width=3)),
             customdata=tg_cd, hovertemplate=plan_hover),
        # plotly.js draws an axis only when a trace uses it: an invisible point anchors the names.
        dict(type="scatter", name="row labels", x=[None], y=["r0"], yaxis="y2", mode="markers",
             hoverinfo="skip", showlegend=False, marker=dict(opacity=0)),
    ]
    first, last = min(days), max(days)
    pad = max(3, (last - first).days // 40)
    shapes.append(dict(type="line", xref="x", yref="paper", x0=iso(today), x1=iso(today), y0=0, y1=1,
                       line=dict(color=COLOURS["today"], width=1.5, dash="dot")))
    n_rows = max(len(rows), 1)
    keys = [f"r{i}" for i in range(n_rows)]
    y_range = [n_rows - 0.5, -0.5]
    layout = base_layout(
        barmode="overlay",
        height=70 + 40 + n_rows * ROW_HEIGHT,
        margin=dict(l=230, r=20, t=70, b=40, autoexpand=False),
        xaxis=dict(type="date", side="top", range=[iso(first - timedelta(days=pad)), iso(last + timedelta(days=pad))],
                   hoverformat="%Y-%m-%d", tickformatstops=DATE_TICKFORMATSTOPS, gridcolor="#e9ecef"),
        # Numbers on y (rows), names on an overlaid category axis: fast with many rows (see the Gantt).
        yaxis=dict(range=y_range, autorange=False, fixedrange=True, showticklabels=False, showgrid=False,
                   zeroline=False),
        yaxis2=dict(type="category", overlaying="y", anchor="x", side="left", range=y_range, autorange=False,
                    fixedrange=True, categoryorder="array", categoryarray=keys, tickmode="array", tickvals=keys,
                    ticktext=ticktext, showgrid=False, zeroline=False, automargin=False),
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="top", yref="container"),
        shapes=shapes,
        annotations=[dict(xref="x", yref="paper", x=iso(today), y=0, yanchor="top", showarrow=False,
                          text=esc(L["today"]), font=dict(color=COLOURS["today"], size=11))],
        hovermode="closest",
        clickmode="event",
        dragmode="zoom",
    )
    return dict(data=data, layout=layout)
