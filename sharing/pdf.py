"""Page composition of the Gantt PDF: the tiling rule, one Plotly figure for all tiles, and the HTML
that WeasyPrint turns into pages.

Design (see docs/field-notes.md, "Figure export" and "Chinese text in PDFs"):

* The chart is TILED (``tile_plan``): a page shows ``Paper.rows`` rows (group headers count as
  rows) and about ``Paper.span`` periods of the time axis (e.g. 8 weeks on A4 at the weeks scale,
  spread evenly so no page holds a sliver). The axis ends at the plan's end. Pages run row band by
  row band, and inside a band from the earliest period to the latest, skipping the pages whose
  rows have no bar in their span. Every page repeats the row label column. "Fit to width" and
  "fit to one page" change the rule (one time span; thinner rows).
* Task names are HTML table cells rendered by WeasyPrint (WenQuanYi Micro Hei embeds as TrueType,
  so ``pdftotext`` gets the right characters), never SVG tick labels. Names too long for the column
  are shortened there and listed in full on an appendix page.
* The bars are Plotly SVG rendered by kaleido. One kaleido call costs ~0.25 s whatever the figure,
  so all row bands are subplots of ONE figure rendered ONCE; the SVG is then split per band
  (``<g class="subplot xNyN">``), and each page shows its band through a ``viewBox`` window on the
  band's time span. A page therefore draws only its own band's rows.
"""
from __future__ import annotations

import base64
import copy
import logging
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape

from onboarding.figures import merge_labels, truncate
from schedule.figures.gantt import COLOURS, DAY_MS, LABELS as GANTT_LABELS, _rows, build_gantt

FONT = "WenQuanYi Micro Hei"
ROW_PX = 20  # one row, in CSS px (1/96 in) in the HTML and in the SVG alike
AXIS_PX = 30  # the date labels above each band
LABEL_FONT_PX = 11


@dataclass(frozen=True)
class Paper:
    css_size: str
    width_px: int
    height_px: int
    rows: int  # rows per page
    label_px: int  # the row label column
    span: dict  # periods per page, by scale

    @property
    def chart_px(self):
        return self.width_px - 2 * MARGIN_PX - self.label_px


MARGIN_PX = 30  # ≈ 8 mm
PAPERS = {
    # A4 landscape 297 × 210 mm = 1123 × 794 px; A3 landscape 420 × 297 mm = 1587 × 1123 px.
    "a4": Paper("A4 landscape", 1123, 794, rows=30, label_px=263, span={"weeks": 8, "months": 6}),
    "a3": Paper("A3 landscape", 1587, 1123, rows=46, label_px=327, span={"weeks": 12, "months": 9}),
}
SCALES = ("weeks", "months")


# ---- the tiling rule ----------------------------------------------------------------------------

def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return d.replace(year=d.year + m // 12, month=m % 12 + 1, day=1)


def axis_end(last: date, scale: str) -> date:
    """Exclusive end of the time axis: the Monday after the plan's last day (weeks), or the 1st of
    the month after it (months). The axis stops there, not at the end of a page's span."""
    if scale == "months":
        return _add_months(last, 1)
    return last + timedelta(days=7 - last.weekday())


def axis_start(first: date, scale: str) -> date:
    return first.replace(day=1) if scale == "months" else first - timedelta(days=first.weekday())


def _periods(start: date, stop: date, scale: str) -> int:
    if scale == "weeks":
        return (stop - start).days // 7
    return (stop.year - start.year) * 12 + stop.month - start.month


STRETCH = 1.25  # a page may hold up to a quarter more periods than its span rather than start a page for the rest


def tile_periods(first: date, last: date, scale: str, paper: str) -> int:
    """Periods (weeks or months) per page: the plan's periods spread evenly over as few pages as
    fit ``span × STRETCH`` each, so no page holds a sliver of the plan."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    total = max(1, _periods(axis_start(first, scale), axis_end(last, scale), scale))
    pages = max(1, math.ceil(total / (PAPERS[paper].span[scale] * STRETCH)))
    return math.ceil(total / pages)


def time_tiles(first: date, last: date, scale: str, paper: str) -> list[tuple[date, date]]:
    """[start, end) of each page's time span: weeks pages start on a Monday, months pages on the 1st.
    The last page's span is cut at ``axis_end``."""
    per_page = tile_periods(first, last, scale, paper)
    if scale == "weeks":
        step = lambda d: d + timedelta(weeks=per_page)  # noqa: E731
    else:
        step = lambda d: _add_months(d, per_page)  # noqa: E731
    start, stop = axis_start(first, scale), axis_end(last, scale)
    tiles = []
    while True:
        end = step(start)
        if end >= stop:
            tiles.append((start, stop))
            return tiles
        tiles.append((start, end))
        start = end


def row_bands(n_rows: int, paper: str, per_page: int | None = None) -> list[tuple[int, int]]:
    per_page = per_page or PAPERS[paper].rows
    return [(r, min(r + per_page, n_rows)) for r in range(0, max(n_rows, 1), per_page)]


FITS = ("tiles", "width", "page")
HEAD_PX = 52  # the page head (title, legend) above the chart, margin included
MIN_ROW_PX = 6  # "fit to one page" never draws rows thinner than this: beyond, rows go on more pages


@dataclass
class TilePlan:
    """What the PDF will show, decided before anything is rendered.

    ``pages`` are (band index, tile index) pairs in reading order: only those whose rows hold a
    bar in the tile's time span. ``px_per_day`` is the same on every page, so a page's chart is
    ``(t1 - t0).days × px_per_day`` wide (the last one narrower when the plan ends inside it).
    """
    tiles: list
    bands: list
    pages: list
    row_px: int
    px_per_day: float
    dtick: int = 1  # weeks (weeks scale) or months (months scale) between two axis labels

    def x(self, day: date) -> float:
        return (day - self.tiles[0][0]).days * self.px_per_day

    @property
    def width(self) -> float:
        return self.x(self.tiles[-1][1])


def tile_plan(rows, first: date, last: date, scale: str, paper: str, fit: str = "tiles") -> TilePlan:
    """The tiling rule: row bands × time tiles, keeping only the pages that hold bars.

    * ``tiles``: a page shows ``Paper.rows`` rows and ``Paper.span`` periods;
    * ``width``: the whole time axis across the page width; rows go on as many pages as they need;
    * ``page``: all of it on one page, rows made thinner (down to ``MIN_ROW_PX``; beyond, as ``width``).
    """
    if fit not in FITS:
        raise ValueError(f"unknown fit {fit!r}")
    p = PAPERS[paper]
    row_px, per_page = ROW_PX, p.rows
    if fit == "tiles":
        tiles = time_tiles(first, last, scale, paper)
        periods = tile_periods(first, last, scale, paper)
        nominal = periods * 7 if scale == "weeks" else max((_add_months(t0, periods) - t0).days for t0, _ in tiles)
        px_per_day = p.chart_px / nominal  # a full page's span fills the chart width
    else:
        tiles = [(axis_start(first, scale), axis_end(last, scale))]
        px_per_day = p.chart_px / (tiles[0][1] - tiles[0][0]).days
        if fit == "page":
            room = p.height_px - 2 * MARGIN_PX - 34 - HEAD_PX - AXIS_PX
            fitted = room // max(len(rows), 1)
            if fitted >= MIN_ROW_PX:
                row_px, per_page = min(ROW_PX, fitted), max(len(rows), 1)
            else:
                row_px, per_page = MIN_ROW_PX, room // MIN_ROW_PX
        else:
            per_page = p.rows
    bands = row_bands(len(rows), paper, per_page)
    pages = []
    for b, (r0, r1) in enumerate(bands):
        spans = [(row[1].start, row[1].finish) for row in rows[r0:r1] if row[0] == "task"]
        for c, (t0, t1) in enumerate(tiles):
            if any(start < t1 and finish >= t0 for start, finish in spans) or (not spans and c == 0):
                pages.append((b, c))
    if not pages:
        pages = [(0, 0)]
    period_days = 7 if scale == "weeks" else 30.4
    dtick = max(1, math.ceil(60 / (period_days * px_per_day)))  # a label needs ~60 px
    return TilePlan(tiles, bands, pages, row_px, px_per_day, dtick)


def expected_chart_pages(rows, first: date, last: date, scale: str, paper: str, fit: str = "tiles") -> int:
    """Pages of chart for a plan whose display rows are ``rows`` (tasks + group headers)."""
    return len(tile_plan(rows, first, last, scale, paper, fit).pages)


# ---- the document -------------------------------------------------------------------------------

@dataclass
class Document:
    """Everything the pages show, in the language of the export."""
    title: str
    subtitle: str  # product · dates span
    generated: str
    labels: dict  # words for the legend and headers
    paper: str = "a4"
    scale: str = "weeks"
    group_by: str | None = "phase"
    today: date | None = None
    non_working_days: set = field(default_factory=set)
    language: str = "zh-hans"
    fit: str = "tiles"  # tiles, width (the time axis across the page) or page (everything on one page)
    notes: list = field(default_factory=list)  # e.g. "Holidays in 2027 are provisional…", on every page


def layout_rows(tasks, group_by, labels):
    """The builder's rows (group headers + tasks) in display order."""
    return _rows(tasks, group_by, None, (), merge_labels(GANTT_LABELS, labels))


def build_tiles_figure(tasks, doc: Document):
    """ONE figure: a subplot per row band spanning the plan's whole time axis.

    Returns (figure dict, rows, tile plan, geometry) where geometry[k] = (top px of the band's
    axis area, band height px incl. axis).
    """
    rows = layout_rows(tasks, doc.group_by, doc.labels)
    first = min((t.start for t in tasks), default=doc.today or date.today())
    last = max((t.finish for t in tasks), default=first)
    plan = tile_plan(rows, first, last, doc.scale, doc.paper, doc.fit)
    tiles, bands, row_px = plan.tiles, plan.bands, plan.row_px
    x0, x1 = tiles[0][0].isoformat(), tiles[-1][1].isoformat()
    width = max(1, round(plan.width))

    base = build_gantt(tasks, group_by=doc.group_by, labels=doc.labels, today=None, dependencies="all",
                       show_baselines=True, validate=False).to_plotly_json()
    traces = [t for t in base["data"] if t.get("yaxis") != "y2" and _has_points(t)]

    geometry, top = [], 0
    for r0, r1 in bands:
        geometry.append((top, AXIS_PX + (r1 - r0) * row_px))
        top += AXIS_PX + (r1 - r0) * row_px
    height = top

    data, layout = [], {}
    nw_runs = _runs(sorted(d for d in doc.non_working_days
                           if tiles[0][0] <= d < tiles[-1][1])) if doc.scale == "weeks" else []
    for k, ((r0, r1), (band_top, band_h)) in enumerate(zip(bands, geometry), start=1):
        xa, ya = f"x{k}", f"y{k}"
        lo, hi = r0 - 0.5, r1 - 0.5
        # Zebra rows under everything, so a name can be followed across a wide page.
        zebra = [y for y in range(r0, r1) if y % 2]
        if zebra:
            # A bar trace, first: plotly.js draws bars below every scatter trace, so a filled scatter
            # here would cover the task bars.
            data.append(dict(type="bar", orientation="h", y=zebra, base=[x0] * len(zebra),
                             x=[(tiles[-1][1] - tiles[0][0]).days * DAY_MS] * len(zebra), width=1,
                             marker=dict(color="#f1f3f5", line=dict(width=0)), xaxis=xa, yaxis=ya,
                             hoverinfo="skip", showlegend=False))
        if nw_runs:
            xs, ys = [], []
            for a, b in nw_runs:
                xs += [a.isoformat(), b.isoformat(), b.isoformat(), a.isoformat(), a.isoformat(), None]
                ys += [lo, lo, hi, hi, lo, None]
            data.append(dict(type="scatter", mode="lines", x=xs, y=ys, fill="toself", line=dict(width=0),
                             fillcolor=COLOURS["non_working"], xaxis=xa, yaxis=ya, hoverinfo="skip",
                             showlegend=False))
        for trace in traces:
            part = _slice(trace, r0, r1)
            if part is not None:
                part.update(xaxis=xa, yaxis=ya)
                data.append(part)
        if doc.today and tiles[0][0] <= doc.today < tiles[-1][1]:
            data.append(dict(type="scatter", mode="lines", x=[doc.today.isoformat()] * 2, y=[lo, hi],
                             line=dict(color=COLOURS["today"], width=1.5, dash="dot"), xaxis=xa, yaxis=ya,
                             hoverinfo="skip", showlegend=False))
        domain = [1 - (band_top + band_h) / height, 1 - (band_top + AXIS_PX) / height]
        if doc.scale == "weeks":
            # Each Monday's date just right of its grid line (plotly.js centres "period" labels only for
            # month-based ticks); the days themselves show through the shaded weekends.
            ticks = dict(dtick=7 * plan.dtick * DAY_MS, tick0=tiles[0][0].isoformat(), tickformat="%m-%d",
                         ticklabelmode="instant", ticklabelposition="outside right")
        else:
            ticks = dict(dtick=f"M{plan.dtick}", tick0=tiles[0][0].isoformat(), tickformat="%Y-%m",
                         ticklabelmode="period")
        layout[f"xaxis{k}"] = dict(type="date", range=[x0, x1], anchor=ya, side="top", showgrid=True,
                                   gridcolor="#d5dae0", zeroline=False, ticks="",
                                   tickfont=dict(size=11, color="#333"), fixedrange=True, showline=True,
                                   linecolor="#9aa5b1", **ticks)
        layout[f"yaxis{k}"] = dict(range=[hi, lo], domain=domain, anchor=xa, showticklabels=False,
                                   showgrid=False, zeroline=False, ticks="", fixedrange=True)
    layout.update(width=width, height=height, margin=dict(l=0, r=0, t=0, b=0, autoexpand=False),
                  barmode="overlay", showlegend=False, paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
                  font=dict(family=FONT, size=11))
    return {"data": data, "layout": layout}, rows, plan, geometry


def _has_points(trace):
    y = trace.get("y")
    return y is not None and any(v is not None for v in y)


def _slice(trace, r0, r1):
    """The trace's points on rows [r0, r1); line traces keep every path that touches the band."""
    y = list(trace["y"])
    part = {k: v for k, v in trace.items() if k not in ("customdata", "hovertemplate")}
    part["hoverinfo"] = "skip"
    part["showlegend"] = False
    if trace.get("type") == "scatter" and trace.get("mode") == "lines":
        xs, ys, seg_x, seg_y = [], [], [], []
        for xv, yv in zip(list(trace["x"]) + [None], y + [None]):
            if yv is None:
                if seg_y and min(seg_y) < r1 + 0.5 and max(seg_y) > r0 - 0.5:
                    xs += seg_x + [None]
                    ys += seg_y + [None]
                seg_x, seg_y = [], []
            else:
                seg_x.append(xv)
                seg_y.append(yv)
        if not ys:
            return None
        part.update(x=xs, y=ys)
        return part
    keep = [i for i, v in enumerate(y) if v is not None and r0 <= v < r1]
    if not keep:
        return None
    n = len(y)
    for key in ("x", "y", "base"):
        if isinstance(trace.get(key), (list, tuple)) and len(trace[key]) == n:
            part[key] = [trace[key][i] for i in keep]
    marker = copy.deepcopy(trace.get("marker") or {})
    for key in ("color", "angle"):
        if isinstance(marker.get(key), (list, tuple)) and len(marker[key]) == n:
            marker[key] = [marker[key][i] for i in keep]
    if marker:
        part["marker"] = marker
    return part


def _runs(days):
    """Consecutive days merged into [start, end) runs."""
    runs = []
    for d in days:
        if runs and runs[-1][1] == d:
            runs[-1][1] = d + timedelta(days=1)
        else:
            runs.append([d, d + timedelta(days=1)])
    return runs


# ---- splitting the rendered SVG -----------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def split_bands(svg: bytes | str, n_bands: int) -> list[ET.Element]:
    """One standalone SVG tree per band: the root with only that band's subplot (plus defs/background)."""
    root = ET.fromstring(svg)
    subplots = {}
    for layer in root.iter(f"{{{SVG_NS}}}g"):
        if layer.get("class") == "cartesianlayer":
            for sub in list(layer):
                match = re.fullmatch(r"subplot x(\d*)y\d*", sub.get("class", ""))
                if match:
                    subplots[int(match.group(1) or 1)] = sub
                layer.remove(sub)
            cartesian = layer
            break
    else:
        raise ValueError("no cartesian layer in the rendered SVG")
    # Layers the export never uses (hover, legend, menus) are dropped: less for WeasyPrint to walk.
    for child in list(root):
        if child.tag == f"{{{SVG_NS}}}g" and child.get("class") in ("hoverlayer", "menulayer", "zoomlayer",
                                                                       "glimages", "selectionlayer", "infolayer"):
            root.remove(child)
    _styles_to_attributes(root)
    for sub in subplots.values():
        _styles_to_attributes(sub)
    clips = next((g for g in root.iter(f"{{{SVG_NS}}}g") if g.get("class") == "clips"), None)
    all_clips = list(clips) if clips is not None else []
    for clip in all_clips:
        clips.remove(clip)
    bands = []
    for k in range(1, n_bands + 1):
        # Only this band's clip paths: every other band's would be parsed on each page for nothing.
        n = "" if k == 1 else str(k)
        own = {f"x{n}y{n}plot", f"x{n}", f"y{n}", f"x{n}y{n}"}
        mine = [clip for clip in all_clips if _clip_suffix(clip.get("id", "")) in own]
        for clip in mine:
            clips.append(clip)
        cartesian.append(subplots[k])
        bands.append(copy.deepcopy(root))
        cartesian.remove(subplots[k])
        for clip in mine:
            clips.remove(clip)
    return bands


def _clip_suffix(clip_id):
    # Plotly names clip paths "clip" + a 6-hex-digit figure id + the axes, e.g. "clip1a2b3cx2y2plot".
    return clip_id[10:] if clip_id.startswith("clip") else ""


def _styles_to_attributes(root):
    """Plotly's ``style="fill: …; stroke: …"`` as presentation attributes.

    WeasyPrint parses every ``style`` attribute with its pure-Python CSS tokenizer (most of the
    time of a page); attributes it reads as they are. Same rendering, several times faster.
    """
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if not style:
            continue
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name and value and name not in element.attrib:
                element.set(name, value)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_TRANSLATE_X = re.compile(r"translate\(\s*(-?[\d.e-]+)")


def _x_extent(element):
    """(min x, max x) of a bar, a marker, a grid line or a tick label; None when unknown."""
    tag = element.tag.rsplit("}", 1)[-1]
    cls = element.get("class", "")
    if tag == "g" and cls == "point":
        path = next(iter(element), None)
        d = path.get("d", "") if path is not None else ""
        # Plotly's bars are "M x0,y0 V y1 H x1 V y0 Z": the x values follow M and H.
        xs = [float(v) for v in re.findall(r"[MH]\s*(-?[\d.]+)", d)]
        return (min(xs), max(xs)) if xs else None
    if cls.startswith(("xgrid", "point")) or (tag == "g" and cls == "xtick"):
        target = element if tag != "g" else next(iter(element), None)
        if target is None:
            return None
        match = _TRANSLATE_X.match(target.get("transform", ""))
        if match:
            x = float(match.group(1))
            return (x - 60, x + 60) if cls == "xtick" else (x - 8, x + 8)
    return None


_PATH = f"{{{SVG_NS}}}path"


def _merge_paths(tile: ET.Element) -> None:
    """Draw each trace's bars of one colour, and its dependency lines, as ONE path each.

    Plotly writes a ``<g class="point"><path …/></g>`` per bar and a ``<path class="js-line">`` per
    line segment; WeasyPrint's SVG renderer (pure Python) pays per node. The subpaths keep their
    own coordinates, and bars of one trace never overlap one another, so the picture is the same.
    """
    for group in tile.iter(f"{{{SVG_NS}}}g"):
        kind = group.get("class")
        if kind not in ("points", "lines"):
            continue
        merged = {}
        for child in list(group):
            if kind == "points":
                if child.get("class") != "point" or len(child) != 1 or child.attrib.keys() - {"class"}:
                    continue
                path = child[0]
            else:
                path = child
            if path.tag != _PATH or path.get("transform") or not path.get("d"):
                continue
            key = tuple(sorted((name, value) for name, value in path.attrib.items() if name != "d"))
            first = merged.get(key)
            if first is None:
                merged[key] = path
            else:
                first.set("d", first.get("d") + path.get("d"))
                group.remove(child)


def tile_svg(band: ET.Element, x: float, y: float, width: float, height: float) -> str:
    """The band showing [x, x+width) × [y, y+height) at 1:1 in CSS px, without what lies outside
    that window (a page draws its own tile, not the whole band: long plans would cost n² otherwise)."""
    tile = copy.deepcopy(band)
    lo, hi = x - 2, x + width + 2
    for parent in tile.iter():
        for child in list(parent):
            extent = _x_extent(child)
            if extent is not None and (extent[1] < lo or extent[0] > hi):
                parent.remove(child)
    _merge_paths(tile)
    tile.set("width", f"{width:g}px")
    tile.set("height", f"{height:g}px")
    tile.set("viewBox", f"{x:g} {y:g} {width:g} {height:g}")
    tile.set("preserveAspectRatio", "none")
    return ET.tostring(tile, encoding="unicode")


# ---- HTML ---------------------------------------------------------------------------------------

def label_cells(rows, r0, r1, numbers, width_units):
    """(html of the row label cells, names shortened on this band as (number, full name))."""
    cells, shortened = [], []
    for y in range(r0, r1):
        row = rows[y]
        zebra = " z" if y % 2 else ""
        if row[0] == "header":
            name = row[2]
            short = truncate(name, width_units)
            cells.append(f'<div class="h{zebra}"><i></i>{escape(short)}</div>')
            continue
        task = row[1]
        number = numbers[task.id]
        short = truncate(task.title, width_units - 4)
        if short != task.title:
            shortened.append((number, task.title))
        cells.append(f'<div class="r{zebra}"><i>{number}</i>{escape(short)}</div>')
    return "".join(cells), shortened


LEGEND = (
    ("task", "bar", COLOURS["bar"]),
    ("done", "bar", COLOURS["bar_done"]),
    ("critical", "bar", COLOURS["critical"]),
    ("milestone", "diamond", COLOURS["milestone"]),
    ("baseline", "thin", COLOURS["baseline"]),
    ("group", "thin", COLOURS["summary"]),
    ("dependencies", "line", COLOURS["dependency"]),
    ("today", "dash", COLOURS["today"]),
    ("non_working", "shade", "rgba(120,130,140,0.25)"),
)


def legend_html(labels):
    items = []
    for key, kind, colour in LEGEND:
        if key not in labels:
            continue
        items.append(f'<span class="li"><span class="sw {kind}" style="--c:{colour}"></span>{escape(labels[key])}</span>')
    return "".join(items)


CSS = """
@page { size: %(size)s; margin: %(margin)dpx %(margin)dpx 34px %(margin)dpx;
  @bottom-left { content: "%(footer)s"; font: 9px "%(font)s"; color: #52606d; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 10px "%(font)s"; color: #333;
    word-spacing: 3px; } }
html { font-family: "%(font)s", sans-serif; color: #1f2933; }
body { margin: 0; }
section.p { page-break-after: always; height: %(page_h)dpx; overflow: hidden; }
section.p:last-child { page-break-after: auto; }
.head { height: 46px; border-bottom: 1.5px solid #3a78c9; margin-bottom: 6px; }
.head h1 { font-size: 15px; margin: 0 0 2px 0; }
.head .sub { font-size: 10px; color: #52606d; }
.head .note { font-size: 9px; line-height: 11px; color: #8a5a00; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.head .where { float: right; font-size: 10px; color: #52606d; text-align: right; padding-top: 6px; }
.legend { font-size: 9.5px; margin-top: 3px; }
.li { margin-left: 10px; white-space: nowrap; }
.sw { display: inline-block; width: 14px; height: 8px; margin-right: 3px; vertical-align: middle; background: var(--c); }
.sw.thin { height: 3px; }
.sw.line { height: 1px; border-top: 1px solid var(--c); background: none; }
.sw.dash { height: 0; border-top: 1.5px dotted var(--c); background: none; }
.sw.diamond { width: 7px; height: 7px; transform: rotate(45deg); margin: 0 6px 0 3px; }
.tile { position: relative; }
.labels { position: absolute; left: 0; top: 0; width: %(label_px)dpx; }
.chart { margin-left: %(label_px)dpx; }
/* Row names as plain blocks of fixed height: a table's layout cost WeasyPrint ~25 %% more. */
.rows { width: %(label_px)dpx; }
.rows div { height: %(row_px)dpx; padding: 0 4px; font-size: %(font_px)dpx; line-height: %(row_px)dpx;
  white-space: nowrap; overflow: hidden; }
.rows div.th { height: %(axis_px)dpx; font-size: 10px; line-height: 12px; color: #52606d;
  border-bottom: 1px solid #9aa5b1; padding-top: %(axis_pad)dpx; box-sizing: border-box; }
.rows i { display: inline-block; width: 25px; margin-right: 5px; font-style: normal; color: #7b8794; font-size: 9px;
  text-align: right; }
.rows div.z { background: #f1f3f5; }
.rows div.h { font-weight: bold; }
.chart img { display: block; }
.appendix h2 { font-size: 13px; }
.appendix table { border-collapse: collapse; font-size: 10px; width: 100%%; }
.appendix td { border-bottom: 1px solid #e4e7eb; padding: 2px 4px; vertical-align: top; }
.appendix td.n { width: 40px; color: #7b8794; text-align: right; }
"""


def compose_html(doc: Document, rows, plan: TilePlan, geometry, band_svgs) -> str:
    paper = PAPERS[doc.paper]
    L = doc.labels
    numbers, n = {}, 0
    for row in rows:
        if row[0] == "task":
            n += 1
            numbers[row[1].id] = n
    width_units = int((paper.label_px - 45) / (LABEL_FONT_PX * 0.55))
    page_h = paper.height_px - MARGIN_PX - 34 - 2
    pages, shortened = [], {}
    legend = legend_html(L)
    header_cell = f'<div class="th"><i>#</i>{escape(L.get("task", "Task"))}</div>'
    # One line in the page head (its height is fixed): the notes together, cut with an ellipsis.
    note = f'<div class="note">⚠ {escape(" ".join(doc.notes))}</div>' if doc.notes else ""
    band_cells = {}
    for b, c in plan.pages:  # only the pages whose rows hold a bar in their time span
        (r0, r1), (band_top, band_h), svg = plan.bands[b], geometry[b], band_svgs[b]
        t0, t1 = plan.tiles[c]
        if b not in band_cells:
            band_cells[b] = label_cells(rows, r0, r1, numbers, width_units)
            shortened.update(band_cells[b][1])
        cells = band_cells[b][0]
        where = L["where"] % {"first": r0 + 1, "last": r1, "start": t0.isoformat(),
                              "end": (t1 - timedelta(days=1)).isoformat()}
        # An <img> of a data URI, not inline SVG: WeasyPrint's HTML parser and CSS cascade are pure
        # Python and cost ~2 s a page on 8,000 inline SVG nodes; its SVG loader parses with expat.
        x, width = plan.x(t0), plan.x(t1) - plan.x(t0)
        tile = tile_svg(svg, x, band_top, width, band_h)
        image = (f'<img alt="" style="width:{width:.2f}px;height:{band_h}px" '
                 f'src="data:image/svg+xml;base64,{base64.b64encode(tile.encode()).decode()}">')
        pages.append(
            f'<section class="p"><div class="head">'
            f'<div class="where">{escape(where)}<div class="legend">{legend}</div></div>'
            f'<h1>{escape(doc.title)}</h1><div class="sub">{escape(doc.subtitle)} · {escape(doc.generated)}</div>'
            f'{note}</div>'
            f'<div class="tile"><div class="labels"><div class="rows">{header_cell}{cells}</div></div>'
            f'<div class="chart">{image}</div></div></section>')
    if shortened:
        items = "".join(f'<tr><td class="n">{num}</td><td>{escape(name)}</td></tr>'
                        for num, name in sorted(shortened.items()))
        pages.append(f'<section class="appendix"><h2>{escape(L["full_names"])}</h2><table>{items}</table></section>')
    css = CSS % {"size": paper.css_size, "margin": MARGIN_PX, "font": FONT, "page_h": page_h,
                 "label_px": paper.label_px, "row_px": plan.row_px, "axis_px": AXIS_PX, "axis_pad": AXIS_PX - 14,
                 "font_px": min(LABEL_FONT_PX, max(plan.row_px - 2, 5)),
                 "footer": _css_string(f"{doc.title} · {doc.generated}")}
    lang = "zh-CN" if doc.language.startswith("zh") else doc.language
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(doc.title)}</title>'
            f"<style>{css}</style></head><body>{''.join(pages)}</body></html>")


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def write_pdf(html: str) -> tuple[bytes, int]:
    """(PDF bytes, page count)."""
    import weasyprint  # heavy import (Pango): only where a PDF is made

    # Plotly's inline styles carry SVG properties WeasyPrint's CSS parser reports one by one.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    document = weasyprint.HTML(string=html).render()
    return document.write_pdf(), len(document.pages)


def now_label(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
