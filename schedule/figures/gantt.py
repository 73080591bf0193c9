"""The plan's Gantt chart as one Plotly figure (plain Python, no Django).

Drawing cost is what limits big plans (see docs/field-notes.md, "Drawing big Gantts"), so:

* all task bars are ONE horizontal ``go.Bar`` trace (``base`` = start date, ``x`` = duration in
  ms on a date axis, colours in one ``marker.color`` array); the done part, the baselines and the
  group summaries are one overlaid bar trace each, milestones one scatter trace;
* dependencies are ONE ``go.Scatter`` line trace with ``None`` between links (plus one marker
  trace for the arrowheads), never ``layout.shapes`` or annotations;
* shapes are few: the "today" line, and non-working days (merged into runs) only when the visible
  range is at most ``SHADE_MAX_DAYS`` days;
* Python builds plain lists in one pass and hands each to Plotly once.

Dates: ``start`` is a task's first working day and ``finish`` its last (inclusive), so a bar runs
from ``start`` 00:00 to ``finish + 1 day`` 00:00. A milestone (``start == finish``) happens at the
start of its day and is drawn as a diamond there.

Rows are numbered 0..n-1 from the top (the y axis is reversed) and labelled by the ``ticktext`` of
an overlaid category axis (``yaxis2``), so two tasks with the same title stay two rows. ``customdata[0]`` of every task point is the task
id (``None`` on group headers) for the page's click handler.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Collection, Hashable, Iterable, Mapping, Sequence

import plotly.graph_objects as go

from onboarding.figures import DATE_TICKFORMATSTOPS, base_layout, esc, merge_labels, text_width, truncate

DAY_MS = 86_400_000
SHADE_MAX_DAYS = 90
VALIDATE_UP_TO = 500  # tasks; see the end of build_gantt

LABELS = {
    "task": "Task",
    "tasks": "Tasks",
    "owner": "Owner",
    "start": "Start",
    "finish": "Finish",
    "float": "Float",
    "status": "Status",
    "priority": "Priority",
    "complete": "Complete",
    "baseline": "Baseline",
    "slip": "slip",
    "days": "d",
    "today": "Today",
    "critical": "Critical path",
    "milestone": "Milestone",
    "dependencies": "Dependencies",
    "done": "Done",
    "group": "Group",
    "none": "—",
    "no_group": "(none)",
    "side_platform": "Platform",
    "side_partner": "Partner",
}

COLOURS = {
    "bar": "#a9c4eb",
    "bar_done": "#3a78c9",
    "critical": "#f2a7a7",
    "critical_done": "#c62828",
    "milestone": "#37474f",
    "milestone_critical": "#c62828",
    "baseline": "rgba(96,108,118,0.45)",
    "summary": "#52606d",
    "dependency": "rgba(82,96,109,0.55)",
    "today": "#e8590c",
    "non_working": "rgba(120,130,140,0.10)",
}

# Vertical layout of one row (row centre at 0, +y is down because the axis is reversed).
BAR_OFFSET, BAR_WIDTH = -0.36, 0.56  # with baselines: the task bar sits in the upper part
BASELINE_OFFSET, BASELINE_WIDTH = 0.24, 0.18
SUMMARY_OFFSET, SUMMARY_WIDTH = -0.11, 0.22


@dataclass
class GanttTask:
    id: Hashable
    title: str
    start: date
    finish: date  # last working day, inclusive; == start for a milestone
    phase: str | None = None
    owner: str | None = None
    side: str | None = None  # "platform" | "partner" | None
    critical: bool = False
    milestone: bool = False
    percent_complete: float = 0
    total_float: int | None = None  # working days
    status: str = ""  # shown as labels["status_<status>"] when given (e.g. status_in_progress), else as is
    priority: float | int | str | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    # Predecessor ids; a (id, "FS"|"SS"|"FF"|"SF") pair for other link types.
    predecessors: list = field(default_factory=list)


def build_gantt(tasks: Sequence[GanttTask], *, validate: bool | None = None, **options) -> go.Figure:
    """The Gantt figure: :func:`gantt_spec` (see its options) as a ``go.Figure``."""
    if validate is None:
        validate = len(tasks) <= VALIDATE_UP_TO
    # Plotly's validation walks every array element and costs more than building the lists (about
    # 0.5 s at 5,000 tasks); the structure is the same at any size, so small figures (and the
    # tests) validate it and big ones skip it.
    # Exports draw everything in the figure itself: the page's options add keys go.Figure refuses.
    options.pop("row_labels", None)
    options.pop("dependency_lines", None)
    return go.Figure(gantt_spec(tasks, **options), _validate=validate)


def gantt_spec(
    tasks: Sequence[GanttTask],
    *,
    group_by: str | None = "phase",
    group_order: Sequence[str] | None = None,
    collapsed_groups: Collection[str] = (),
    dependencies: str | Iterable[Hashable] = "all",
    today: date | None = None,
    x_range: tuple[date | str, date | str] | None = None,
    non_working_days: Collection[date] = (),
    labels: Mapping[str, str] | None = None,
    row_height: int = 22,
    arrowheads: bool = True,
    show_baselines: bool = True,
    row_labels: str = "axis",
    dependency_lines: str = "trace",
) -> dict:
    """The Gantt figure as a plain ``{"data", "layout"}`` dict (serialise it with
    ``plotly.io.json.to_json_plotly``; pages skip ``go.Figure``'s deep copies that way).

    ``group_by``: ``"phase"``, ``"owner"``, ``"side"`` or ``None``. Groups keep the order in which
    they first appear in ``tasks`` unless ``group_order`` lists their keys (the phase or owner
    name, ``"platform"``/``"partner"``; ``""`` is the group of tasks without one). Each group gets
    a header row with a summary bar; ``collapsed_groups`` (keys) keep only that header.

    ``dependencies``: ``"all"``, ``"none"``, or task ids whose incoming and outgoing links are
    drawn (e.g. the selected or hovered task on a big plan). Links to hidden tasks are skipped.

    ``x_range``: the initial visible range (see :func:`zoom_range`); non-working days are shaded
    only when it (or the whole plan, without ``x_range``) spans at most ``SHADE_MAX_DAYS`` days.

    ``row_labels``: ``"axis"`` draws the row names as the chart's tick labels (exports);
    ``"html"`` leaves them out and adds ``"rows"`` to the result for the page to draw beside the
    chart: in plotly.js thousands of tick labels cost seconds, the same rows as HTML milliseconds.
    Each row is ``{"kind": "header"|"task", "text", "id" (tasks), "key", "collapsed", "count"
    (headers)}``; text and keys are entity-escaped like every string in the figure (the page
    decodes them and sets them as text, never as HTML).

    ``dependency_lines``: ``"trace"`` draws the links as a line trace; ``"overlay"`` adds
    ``"links"`` to the result instead (``{"x": [...], "y": [...], "heads": [[x, y, angle], ...]}``,
    x in days since 1970-01-01, ``None`` between links) for the page's own SVG overlay (one path
    element), which costs a fraction of a gappy line trace; a legend entry stays in the figure.
    ``build_gantt`` (exports) always uses the defaults.
    """
    if row_labels not in ("axis", "html"):
        raise ValueError(f"row_labels must be 'axis' or 'html', not {row_labels!r}")
    if dependency_lines not in ("trace", "overlay"):
        raise ValueError(f"dependency_lines must be 'trace' or 'overlay', not {dependency_lines!r}")
    axis_labels = row_labels == "axis"
    L = merge_labels(LABELS, labels)
    rows = _rows(tasks, group_by, group_order, collapsed_groups, L)
    n_rows = len(rows)
    has_baselines = show_baselines and any(t.baseline_start and t.baseline_finish for t in tasks)
    bar_offset = BAR_OFFSET if has_baselines else -BAR_WIDTH / 2

    # ---- one pass over the rows, building plain lists -------------------------------------
    bar_y, bar_base, bar_x, bar_color, bar_cd = [], [], [], [], []
    done_y, done_base, done_x, done_color = [], [], [], []
    ms_y, ms_x, ms_color, ms_cd = [], [], [], []
    bl_y, bl_base, bl_x = [], [], []
    sum_y, sum_base, sum_x, sum_cd = [], [], [], []
    row_of: dict[Hashable, int] = {}
    ticktext = []
    page_rows: list[dict] = []
    label_width = 10  # widest tick label, in Latin character units
    none = esc(L["none"])
    days = L["days"]
    iso = date.isoformat

    for y, row in enumerate(rows):
        if row[0] == "header":
            _, key, name, first, last, count, collapsed = row
            if axis_labels:
                marker = "▸ " if collapsed else "▾ "
                short = truncate(name, 34)
                label_width = max(label_width, text_width(short) + 3)
                ticktext.append(f"<b>{marker}{esc(short)}</b>")
            else:
                page_rows.append({"kind": "header", "text": esc(name), "key": esc(key), "collapsed": collapsed,
                                  "count": count})
            if first is not None:
                sum_y.append(y)
                sum_base.append(iso(first))
                sum_x.append(((last - first).days + 1) * DAY_MS)
                sum_cd.append([None, esc(name), iso(first), iso(last), count, esc(key)])
            continue
        t = row[1]
        row_of[t.id] = y
        if axis_labels:
            short = truncate(t.title, 40)
            if 2 * len(short) > label_width:
                label_width = max(label_width, text_width(short))
            ticktext.append(esc(short))
        else:
            page_rows.append({"kind": "task", "text": esc(t.title), "id": t.id, "critical": bool(t.critical)})
        start_s, finish_s = iso(t.start), iso(t.finish)
        baseline = none
        if t.baseline_start and t.baseline_finish:
            slip = (t.finish - t.baseline_finish).days
            baseline = f"{iso(t.baseline_start)} → {iso(t.baseline_finish)} ({esc(L['slip'])} {slip:+d} {esc(days)})"
            if has_baselines:
                bl_y.append(y)
                bl_base.append(iso(t.baseline_start))
                bl_x.append(((t.baseline_finish - t.baseline_start).days + (0 if t.milestone else 1)) * DAY_MS
                            or DAY_MS // 8)
        pct = max(0.0, min(100.0, float(t.percent_complete or 0)))
        cd = [
            t.id,
            esc(t.title),
            esc(t.owner) if t.owner else none,
            start_s,
            finish_s,
            f"{t.total_float} {esc(days)}" if t.total_float is not None else none,
            esc(L.get(f"status_{t.status}", t.status)) if t.status else none,
            esc(t.priority) if t.priority not in (None, "") else none,
            f"{pct:.0f}",
            baseline,
        ]
        critical = t.critical or (t.total_float is not None and t.total_float < 0)
        if t.milestone:
            ms_y.append(y)
            ms_x.append(start_s)
            ms_color.append(COLOURS["milestone_critical"] if critical else COLOURS["milestone"])
            ms_cd.append(cd)
            continue
        duration = ((t.finish - t.start).days + 1) * DAY_MS
        bar_y.append(y)
        bar_base.append(start_s)
        bar_x.append(duration)
        bar_color.append(COLOURS["critical"] if critical else COLOURS["bar"])
        bar_cd.append(cd)
        if pct > 0:
            done_y.append(y)
            done_base.append(start_s)
            done_x.append(round(duration * pct / 100))
            done_color.append(COLOURS["critical_done"] if critical else COLOURS["bar_done"])

    hovertemplate = (
        "<b>%{customdata[1]}</b><br>"
        f"{esc(L['owner'])}: %{{customdata[2]}}<br>"
        f"{esc(L['start'])}: %{{customdata[3]}}   {esc(L['finish'])}: %{{customdata[4]}}<br>"
        f"{esc(L['float'])}: %{{customdata[5]}}   {esc(L['status'])}: %{{customdata[6]}}<br>"
        f"{esc(L['priority'])}: %{{customdata[7]}}   {esc(L['complete'])}: %{{customdata[8]}}&#37;<br>"
        f"{esc(L['baseline'])}: %{{customdata[9]}}<extra></extra>"
    )

    data = []
    if bl_y:
        data.append(dict(
            type="bar", name=esc(L["baseline"]), orientation="h", y=bl_y, base=bl_base, x=bl_x,
            offset=BASELINE_OFFSET, width=BASELINE_WIDTH, marker=dict(color=COLOURS["baseline"], line=dict(width=0)),
            hoverinfo="skip", showlegend=True,
        ))
    if sum_y:
        data.append(dict(
            type="bar", name=esc(L["group"]), orientation="h", y=sum_y, base=sum_base, x=sum_x,
            offset=SUMMARY_OFFSET, width=SUMMARY_WIDTH, marker=dict(color=COLOURS["summary"], line=dict(width=0)),
            customdata=sum_cd, showlegend=False,
            hovertemplate=(f"<b>%{{customdata[1]}}</b><br>{esc(L['start'])}: %{{customdata[2]}}   "
                           f"{esc(L['finish'])}: %{{customdata[3]}}<br>{esc(L['tasks'])}: %{{customdata[4]}}"
                           "<extra></extra>"),
        ))
    data.append(dict(
        type="bar", name=esc(L["task"]), orientation="h", y=bar_y, base=bar_base, x=bar_x,
        offset=bar_offset, width=BAR_WIDTH, marker=dict(color=bar_color, line=dict(width=0)),
        customdata=bar_cd, hovertemplate=hovertemplate, showlegend=False,
    ))
    if done_y:
        # Overlaid on the task bar; hover falls through to the task bar underneath.
        data.append(dict(
            type="bar", name=esc(L["done"]), orientation="h", y=done_y, base=done_base, x=done_x,
            offset=bar_offset, width=BAR_WIDTH, marker=dict(color=done_color, line=dict(width=0)),
            hoverinfo="skip", showlegend=False,
        ))
    if ms_y:
        data.append(dict(
            type="scatter", name=esc(L["milestone"]), mode="markers", x=ms_x, y=ms_y,
            marker=dict(symbol="diamond", size=max(8, min(14, row_height - 6)), color=ms_color,
                        line=dict(color="#ffffff", width=1)),
            customdata=ms_cd, hovertemplate=hovertemplate, showlegend=True,
        ))

    overlay = dependency_lines == "overlay"
    dep_x, dep_y, head_x, head_y, head_angle = _dependency_paths(tasks, row_of, dependencies, in_days=overlay)
    links = None
    if overlay:
        links = {"x": dep_x, "y": dep_y, "heads": [[x, y, a] for x, y, a in zip(head_x, head_y, head_angle)]
                 if arrowheads else []}
        if dep_x:  # the legend entry; the page draws the lines
            data.append(dict(type="scatter", name=esc(L["dependencies"]), uid="gantt-links", mode="lines",
                             x=[None], y=[None], hoverinfo="skip", line=dict(color=COLOURS["dependency"], width=1),
                             showlegend=True))
    elif dep_x:
        data.append(dict(
            type="scatter", name=esc(L["dependencies"]), mode="lines", x=dep_x, y=dep_y, hoverinfo="skip",
            line=dict(color=COLOURS["dependency"], width=1), connectgaps=False, showlegend=True,
        ))
        if arrowheads:
            data.append(dict(
                type="scatter", name="arrowheads", mode="markers", x=head_x, y=head_y, hoverinfo="skip", showlegend=False,
                marker=dict(symbol="triangle-right", size=7, color=COLOURS["dependency"],
                            # one number unless some links end on a finish (FF/SF) from the right
                            angle=head_angle if any(head_angle) else 0),
            ))

    # Legend-only swatches for what the colour arrays encode.
    for name, colour in ((L["task"], COLOURS["bar_done"]), (L["critical"], COLOURS["critical_done"])):
        data.append(dict(type="scatter", name=esc(name), x=[None], y=[None], mode="markers", hoverinfo="skip",
                         marker=dict(symbol="square", size=12, color=colour)))

    # plotly.js draws an axis only when a trace uses it: an invisible point anchors the label axis.
    if rows and axis_labels:
        data.append(dict(type="scatter", name="row labels", x=[None], y=["r0"], yaxis="y2", mode="markers",
                         hoverinfo="skip", showlegend=False, marker=dict(opacity=0)))

    # ---- layout ------------------------------------------------------------------------------
    first = min((t.start for t in tasks), default=today or date.today())
    last = max((t.finish for t in tasks), default=first)
    shapes, annotations = [], []
    if today is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=iso(today), x1=iso(today), y0=0, y1=1,
                           line=dict(color=COLOURS["today"], width=1.5, dash="dot"), name="today"))
        annotations.append(dict(xref="x", yref="paper", x=iso(today), y=1, yanchor="bottom", showarrow=False,
                                text=esc(L["today"]), font=dict(color=COLOURS["today"], size=11), name="today",
                                yshift=36))  # above the top tick labels (two lines: day, year)
    if x_range is not None:
        view_start, view_end = _as_date(x_range[0]), _as_date(x_range[1])
    else:
        view_start, view_end = first, last + timedelta(days=1)
    if non_working_days and (view_end - view_start).days <= SHADE_MAX_DAYS:
        shapes.extend(non_working_shapes(non_working_days, view_start, view_end))

    margin_l = max(120, min(340, 7 * label_width + 30)) if axis_labels else 8
    margin_t, margin_b = 78, 20
    xaxis = dict(type="date", side="top", showgrid=True, gridcolor="#e4e7eb", zeroline=False,
                 hoverformat="%Y-%m-%d", tickformatstops=DATE_TICKFORMATSTOPS)
    if x_range is not None:
        xaxis["range"] = [_iso(x_range[0]), _iso(x_range[1])]
    else:
        pad = max(1, (last - first).days // 40)
        xaxis["range"] = [iso(first - timedelta(days=pad)), iso(last + timedelta(days=pad + 1))]

    y_range = [max(n_rows, 1) - 0.5, -0.5]  # reversed: the first row on top
    layout = base_layout(
        barmode="overlay",
        height=margin_t + margin_b + max(n_rows, 1) * row_height,
        margin=dict(l=margin_l, r=20, t=margin_t, b=margin_b, autoexpand=False),
        xaxis=xaxis,
        # Rows are numbers on yaxis (so two tasks with one title stay two rows and links can run
        # between rows); their labels are drawn by an overlaid category axis, because plotly.js
        # lays out thousands of array ticks on a numeric axis very slowly (~3 s for 500 rows,
        # against 0.07 s on a category axis).
        yaxis=dict(
            range=y_range, autorange=False, fixedrange=True, showticklabels=False, showgrid=False,
            zeroline=False, ticks="",
        ),
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="top", yref="container",
                    font=dict(size=11)),
        shapes=shapes,
        annotations=annotations,
        hovermode="closest",
        clickmode="event",
        dragmode="zoom",
        uirevision="gantt",  # keeps the user's zoom when the page re-renders with new data
    )
    if axis_labels:
        row_keys = [f"r{i}" for i in range(n_rows)]
        layout["yaxis2"] = dict(
            type="category", overlaying="y", anchor="x", side="left", range=y_range, autorange=False,
            fixedrange=True, categoryorder="array", categoryarray=row_keys, tickmode="array",
            tickvals=row_keys, ticktext=ticktext, showgrid=False, zeroline=False, automargin=False,
            tickfont=dict(size=12),
        )
    spec = dict(data=data, layout=layout)
    if not axis_labels:
        spec["rows"] = page_rows
    if links is not None:
        spec["links"] = links
    return spec


def _rows(tasks, group_by, group_order, collapsed_groups, L):
    """("task", task) and ("header", key, name, first, last, count, collapsed) in display order."""
    if not group_by:
        return [("task", t) for t in tasks]
    if group_by not in ("phase", "owner", "side"):
        raise ValueError(f"group_by must be 'phase', 'owner', 'side' or None, not {group_by!r}")
    groups: dict[str, list[GanttTask]] = {}
    for t in tasks:
        groups.setdefault(getattr(t, group_by) or "", []).append(t)
    order = [k for k in (group_order or ()) if k in groups]
    order += [k for k in groups if k not in order and k != ""]
    if "" in groups and "" not in order:
        order.append("")  # tasks without a group come last
    collapsed_groups = set(collapsed_groups)
    rows = []
    for key in order:
        members = groups[key]
        if key == "":
            name = L["no_group"]
        elif group_by == "side":
            name = L.get(f"side_{key}", key)
        else:
            name = key
        collapsed = key in collapsed_groups
        first = min(t.start for t in members)
        last = max(t.finish for t in members)
        rows.append(("header", key, name, first, last, len(members), collapsed))
        if not collapsed:
            rows.extend(("task", t) for t in members)
    return rows


def _dependency_paths(tasks, row_of, dependencies, in_days=False):
    """Elbow paths for the visible links, as one x/y list with None between links.

    A link leaves its predecessor's edge vertically and enters the successor's edge
    horizontally (3 points) when the successor's edge lies ahead in the direction the arrow enters
    (a start from the left, a finish from the right); otherwise SS/FF/SF links run out along the
    predecessor's row first (4 points) and an FS link with a lead goes round between the rows
    (5 points). Few points per link keep the trace cheap to draw. x values
    are date strings: plotly.js reads plain numbers on a date axis in the browser's local time
    zone, which would shift the lines against the bars by the UTC offset (8 h in China).
    Also returns the arrowhead points (the path ends) and their angles for the marker trace.
    With ``in_days`` x values are numbers of days since 1970-01-01 (UTC) for the page's overlay.
    """
    if dependencies == "none" or not row_of:
        return [], [], [], [], []
    selected = None if dependencies == "all" else set(dependencies)
    edges = {}  # id -> (start edge, finish edge) in ms since 1970; a milestone is a point
    for t in tasks:
        if t.id in row_of:
            s = (t.start - _EPOCH).days * DAY_MS
            edges[t.id] = (s, s) if t.milestone else (s, ((t.finish - _EPOCH).days + 1) * DAY_MS)
    stub = DAY_MS // 4  # how far a path going round stays off the successor's edge
    labels: dict[int, str] = {}

    def x_label(ms: int):
        if in_days:
            days, rest = divmod(ms, DAY_MS)
            return days if not rest else ms / DAY_MS
        text = labels.get(ms)
        if text is None:
            days, rest = divmod(ms, DAY_MS)
            text = (_EPOCH + timedelta(days=days)).isoformat()
            if rest:
                text += f" {rest // 3_600_000:02d}:00"
            labels[ms] = text
        return text

    xs: list = []
    ys: list = []
    hx, hy, ha = [], [], []
    for t in tasks:
        ys_row = row_of.get(t.id)
        if ys_row is None or not t.predecessors:
            continue
        t_start, t_finish = edges[t.id]
        for link in t.predecessors:
            pred_id, kind = (link[0], link[1]) if isinstance(link, (tuple, list)) else (link, "FS")
            yp = row_of.get(pred_id)
            if yp is None or (selected is not None and pred_id not in selected and t.id not in selected):
                continue
            p_start, p_finish = edges[pred_id]
            ms_a = p_finish if kind in ("FS", "FF") else p_start
            to_start = kind in ("FS", "SS")
            ms_b = t_start if to_start else t_finish
            xa, xb = x_label(ms_a), x_label(ms_b)
            if (ms_b >= ms_a) if to_start else (ms_b <= ms_a):
                # down (or up) from the predecessor's edge, then straight into the successor's
                xs += (xa, xa, xb, None)
                ys += (yp, ys_row, ys_row, None)
            elif kind in ("SS", "FF", "SF"):
                # out along the predecessor's row to just beyond the successor's edge, then in
                xo = x_label(ms_b - stub if to_start else ms_b + stub)
                xs += (xa, xo, xo, xb, None)
                ys += (yp, yp, ys_row, ys_row, None)
            else:  # FS with a lead: go round between the two rows to enter from the left
                ymid = ys_row - 0.5 if ys_row > yp else ys_row + 0.5
                pre = x_label(ms_b - stub)
                xs += (xa, xa, pre, pre, xb, None)
                ys += (yp, ymid, ymid, ys_row, ys_row, None)
            hx.append(xb)
            hy.append(ys_row)
            ha.append(0 if to_start else -180)  # plotly normalises angles to [-180, 180)
    return xs, ys, hx, hy, ha


_EPOCH = date(1970, 1, 1)


def non_working_shapes(non_working_days: Collection[date], start: date, end: date) -> list[dict]:
    """Grey rectangles for the non-working days in [start, end), consecutive days merged."""
    days = sorted(d for d in set(non_working_days) if start <= d < end)
    shapes = []
    run_start = prev = None
    for d in days + [None]:
        if d is not None and prev is not None and (d - prev).days == 1:
            prev = d
            continue
        if run_start is not None:
            shapes.append(dict(type="rect", xref="x", yref="paper", x0=run_start.isoformat(),
                               x1=(prev + timedelta(days=1)).isoformat(), y0=0, y1=1, layer="below",
                               fillcolor=COLOURS["non_working"], line=dict(width=0), name="non-working"))
        run_start = prev = d
    return shapes


# ---- zoom presets ---------------------------------------------------------------------------

ZOOM_PRESETS = ("weeks", "months", "quarters")


def zoom_range(preset: str, *, today: date, start: date | None = None, end: date | None = None) -> list[str]:
    """x range ``[from, to]`` (ISO dates, end exclusive) for ``Plotly.relayout(gd, {"xaxis.range": r})``.

    * ``"weeks"``: from the Monday of last week, 5 weeks (day zoom: non-working days visible);
    * ``"months"``: from the 1st of last month, 4 months;
    * ``"quarters"``: from the start of the current quarter, 4 quarters;
    * ``"range"``: ``start`` to ``end`` inclusive (e.g. the whole plan).
    """
    if preset == "weeks":
        monday = today - timedelta(days=today.weekday() + 7)
        return [monday.isoformat(), (monday + timedelta(weeks=5)).isoformat()]
    if preset == "months":
        first = _add_months(today.replace(day=1), -1)
        return [first.isoformat(), _add_months(first, 4).isoformat()]
    if preset == "quarters":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return [first.isoformat(), _add_months(first, 12).isoformat()]
    if preset == "range":
        if start is None or end is None or end < start:
            raise ValueError("a 'range' zoom needs start <= end")
        return [start.isoformat(), (end + timedelta(days=1)).isoformat()]
    raise ValueError(f"unknown zoom preset {preset!r}")


def zoom_presets(today: date, plan_start: date, plan_finish: date) -> dict[str, list[str]]:
    """All presets at once (for the page's zoom buttons), plus ``"all"`` for the whole plan."""
    ranges = {p: zoom_range(p, today=today) for p in ZOOM_PRESETS}
    ranges["all"] = zoom_range("range", today=today, start=plan_start, end=plan_finish)
    return ranges


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return d.replace(year=d.year + m // 12, month=m % 12 + 1)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
