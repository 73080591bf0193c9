"""Small figures for the plan dashboard (plain Python, no Django): the burn-up chart."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Mapping, Sequence

import plotly.graph_objects as go

from onboarding.figures import DATE_TICKFORMATSTOPS, base_layout, esc, merge_labels

LABELS = {
    "done": "Done",
    "scope": "Total scope",
    "planned": "Planned",
    "today": "Today",
    "tasks": "Tasks",
    "title": "",
}


@dataclass
class BurnupPoint:
    day: date
    done: int  # tasks done by the end of this day
    total: int  # tasks in scope on this day


def burnup_points_from_tasks(
    done_dates: Iterable[date | None],
    *,
    total: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[BurnupPoint]:
    """Cumulative done counts from each task's finish date (``None`` = not done yet).

    One point per day on which something was finished, plus ``start`` and ``end`` when given
    (e.g. the plan start and today) so the lines span the whole period. ``total`` defaults to the
    number of tasks given (a constant scope: scope changes need recorded snapshots as points).
    """
    dates = list(done_dates)
    total = len(dates) if total is None else total
    per_day = Counter(d for d in dates if d is not None)
    days = sorted(per_day)
    if start is not None and (not days or start < days[0]):
        days.insert(0, start)
    if end is not None and (not days or end > days[-1]):
        days.append(end)
    points, done = [], 0
    for d in days:
        done += per_day.get(d, 0)
        points.append(BurnupPoint(d, done, total))
    return points


def _planned_from_dates(finish_dates: Iterable[date]) -> list[tuple[date, int]]:
    per_day = Counter(d for d in finish_dates if d is not None)
    out, n = [], 0
    for d in sorted(per_day):
        n += per_day[d]
        out.append((d, n))
    return out


def build_burnup(
    points: Sequence[BurnupPoint],
    *,
    planned_finish_dates: Iterable[date] | None = None,
    today: date | None = None,
    labels: Mapping[str, str] | None = None,
    height: int = 260,
) -> go.Figure:
    """Done tasks over time (filled) against total scope (line); optionally the planned curve.

    ``planned_finish_dates``: every task's scheduled finish, drawn as the cumulative count the
    plan expects done by each day, so "done below planned" shows at a glance.
    """
    L = merge_labels(LABELS, labels)
    points = sorted(points, key=lambda p: p.day)
    xs = [p.day.isoformat() for p in points]
    past = [p for p in points if today is None or p.day <= today]
    hover = "%{x|%Y-%m-%d}: %{y}<extra>%{fullData.name}</extra>"
    data = [
        go.Scatter(name=esc(L["scope"]), x=xs, y=[p.total for p in points], mode="lines",
                   line=dict(color="#52606d", width=2, shape="hv"), hovertemplate=hover),
        # Done stops at today: what will be done is the planned curve's to say.
        go.Scatter(name=esc(L["done"]), x=[p.day.isoformat() for p in past],
                   y=[p.done for p in past], mode="lines",
                   line=dict(color="#2f9e44", width=2, shape="hv"), fill="tozeroy",
                   fillcolor="rgba(47,158,68,0.18)", hovertemplate=hover),
    ]
    if planned_finish_dates is not None:
        planned = _planned_from_dates(planned_finish_dates)
        if planned:
            # Start the planned curve at 0 on the first day of the chart.
            first = min([planned[0][0] - timedelta(days=1)] + ([points[0].day] if points else []))
            planned = [(first, 0)] + planned
            data.append(go.Scatter(
                name=esc(L["planned"]), x=[d.isoformat() for d, _ in planned], y=[n for _, n in planned],
                mode="lines", line=dict(color="#3a78c9", width=1.5, dash="dash", shape="hv"), hovertemplate=hover,
            ))
    shapes, annotations = [], []
    if today is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=today.isoformat(), x1=today.isoformat(),
                           y0=0, y1=1, line=dict(color="#e8590c", width=1, dash="dot"), name="today"))
        annotations.append(dict(xref="x", yref="paper", x=today.isoformat(), y=1, yanchor="bottom",
                                showarrow=False, text=esc(L["today"]), font=dict(color="#e8590c", size=10)))
    title = esc(L["title"]) if L["title"] else None
    fig = go.Figure(data=data)
    fig.update_layout(base_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=14)) if title else None,
        height=height,
        # The legend sits at the bottom of the figure, under the two-line date ticks, not over them.
        margin=dict(l=45, r=15, t=40 if title else 24, b=62),
        xaxis=dict(type="date", showgrid=False, hoverformat="%Y-%m-%d", tickformatstops=DATE_TICKFORMATSTOPS),
        yaxis=dict(title=dict(text=esc(L["tasks"])), rangemode="tozero", gridcolor="#e4e7eb", tickformat="d"),
        legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom",
                    font=dict(size=11)),
        hovermode="x unified",
        shapes=shapes,
        annotations=annotations,
    ))
    return fig
