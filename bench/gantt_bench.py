"""Gantt figure benchmark: build time, JSON time, and (with Chromium) in-browser draw time.

    .venv/bin/python bench/gantt_bench.py [--sizes 500,2000,5000] [--repeat 3] [--no-browser]

Plans are seeded: tasks in 8 phases of consecutive tasks, 25 owners on two sides, ~1.5 FS links
per task to one of the previous 60 tasks, dates from a forward pass over working days (Mon–Fri),
5 % milestones, baselines on half of the tasks, progress on the tasks before "today".

Times (best of --repeat): ``build_gantt(...)`` and ``fig.to_json()`` in Python. When
/usr/bin/chromium exists, the figure is also drawn in headless Chromium (via Playwright) from a
page served by a local http.server, the way the app serves it: plotly.min.js as a static file
(<script src>), the figure JSON inline as <script type="application/json"> + JSON.parse +
Plotly.newPlot. Measured from navigation start to the end of the first draw (newPlot's promise,
which resolves right after the plotly_afterplot event), on a fresh browser context ("first
load": plotly.min.js fetched and compiled) and on a second visit in the same context ("repeat
load": plotly.min.js from cache), and the time of Plotly.relayout to a one-month x range.
"""
from __future__ import annotations

import argparse
import functools
import gc
import http.server
import os
import platform
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import plotly  # noqa: E402

from schedule.figures.gantt import GanttTask, build_gantt, zoom_range  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PLOTLY_JS = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
START = date(2026, 3, 2)
TODAY = date(2026, 9, 1)


def _add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _next_working_day(d: date) -> date:
    d += timedelta(days=1)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def make_plan(n: int, seed: int = 1) -> list[GanttTask]:
    rng = random.Random(seed)
    phases = [f"阶段 {k + 1} · Phase {k + 1}" for k in range(8)]
    owners = [(f"负责人 {k + 1:02d}", "platform" if k % 3 else "partner") for k in range(25)]
    tasks: list[GanttTask] = []
    for i in range(n):
        preds = []
        if i:
            k = 1 if rng.random() < 0.5 else 2  # ~1.5 links per task
            preds = sorted({rng.randrange(max(0, i - 60), i) for _ in range(k)})
        start = max((_next_working_day(tasks[p].finish) for p in preds), default=START)
        milestone = rng.random() < 0.05
        duration = 0 if milestone else rng.randint(1, 10)
        finish = start if milestone else _add_working_days(start, duration - 1)
        owner, side = owners[rng.randrange(len(owners))]
        tf = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        baseline = rng.random() < 0.5
        shift = rng.randint(-4, 0)
        pct = 100 if finish < TODAY else (rng.choice([0, 25, 50, 75]) if start < TODAY else 0)
        tasks.append(GanttTask(
            id=i + 1, title=f"任务 {i + 1} 接入联调 task", start=start, finish=finish,
            phase=phases[min(7, i * 8 // n)], owner=owner, side=side, critical=tf == 0, milestone=milestone,
            percent_complete=pct, total_float=tf, status="done" if pct == 100 else "in_progress" if pct else "not_started",
            priority=rng.randint(0, 100),
            baseline_start=start + timedelta(days=shift) if baseline else None,
            baseline_finish=finish + timedelta(days=shift) if baseline else None,
            predecessors=[p + 1 for p in preds],
        ))
    return tasks


def best_of(repeat: int, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
        gc.enable()
    return best, result


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>gantt {n}</title>
<script src="plotly.min.js"></script></head>
<body style="margin:0">
<div id="gantt" style="width:1400px"></div>
<script type="application/json" id="fig">{json}</script>
<script>
  const fig = JSON.parse(document.getElementById("fig").textContent);
  const gd = document.getElementById("gantt");
  Plotly.newPlot(gd, fig.data, fig.layout, {{responsive: false, displaylogo: false}}).then(() => {{
    window.__afterplot = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => {{ window.__painted = performance.now(); }}));
  }});
  window.relayoutTo = (range) => {{
    const t0 = performance.now();
    return Plotly.relayout(gd, {{"xaxis.range": range}}).then(() => performance.now() - t0);
  }};
</script></body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser_times(pages: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    """{name: {"first", "repeat", "relayout", "painted"}} in seconds, best of ``repeat``."""
    from playwright.sync_api import sync_playwright

    tmp = tempfile.mkdtemp(prefix="gantt_bench_")
    shutil.copy(PLOTLY_JS, os.path.join(tmp, "plotly.min.js"))
    for name, html in pages.items():
        with open(os.path.join(tmp, f"{name}.html"), "w", encoding="utf-8") as f:
            f.write(html)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=tmp))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    month = zoom_range("range", today=TODAY, start=date(2026, 6, 1), end=date(2026, 6, 30))
    results: dict[str, dict[str, float]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--headless"])
            for name in pages:
                first = rep = relayout = painted = float("inf")
                for _ in range(repeat):
                    context = browser.new_context(viewport={"width": 1440, "height": 900})
                    page = context.new_page()
                    for visit in ("first", "repeat"):
                        page.goto(f"{base}/{name}.html", wait_until="load", timeout=120_000)
                        page.wait_for_function("window.__painted !== undefined", timeout=120_000)
                        t_after, t_paint = page.evaluate("[window.__afterplot, window.__painted]")
                        if visit == "first":
                            first, painted = min(first, t_after / 1000), min(painted, t_paint / 1000)
                        else:
                            rep = min(rep, t_after / 1000)
                    relayout = min(relayout, page.evaluate("r => window.relayoutTo(r)", month) / 1000)
                    context.close()
                results[name] = {"first": first, "repeat": rep, "relayout": relayout, "painted": painted}
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"Python {platform.python_version()}, plotly {plotly.__version__}, {os.cpu_count()} CPUs")
    rows, pages = [], {}
    # (tasks, dependencies, arrowheads): every size in full, then the biggest without arrowheads
    # and without dependencies, to show what each costs.
    variants = [(n, "all", True) for n in sizes] + [(max(sizes), "all", False), (max(sizes), "none", False)]
    for n, deps, heads in variants:
        tasks = make_plan(n)
        links = sum(len(t.predecessors) for t in tasks)
        non_working = {START + timedelta(days=k) for k in range(400) if (START + timedelta(days=k)).weekday() >= 5}

        def build():
            return build_gantt(tasks, group_by="phase", dependencies=deps, today=TODAY, non_working_days=non_working,
                               arrowheads=heads)

        t_build, fig = best_of(args.repeat, build)
        t_json, js = best_of(args.repeat, fig.to_json)
        name = f"gantt_{n}_{deps}" + ("" if heads or deps == "none" else "_noheads")
        rows.append((name, n, links if deps == "all" else 0, t_build, t_json, len(js) / 1e6))
        pages[name] = PAGE.format(n=n, json=js.replace("</", "<\\/"))

    # The field notes' reference figure (one bar trace, category y, nothing else; measured there at
    # 1.5 s first load / 0.4 s repeat / 0.37 s relayout for 5,000 tasks on a quiet machine): its
    # time in this run shows how busy the machine is.
    import plotly.graph_objects as go

    n = max(sizes)
    tasks = make_plan(n)
    ref = go.Figure(go.Bar(
        orientation="h", y=[f"{t.id} {t.title}" for t in tasks], base=[t.start.isoformat() for t in tasks],
        x=[((t.finish - t.start).days + 1) * 86_400_000 for t in tasks],
        marker_color=["#c62828" if t.critical else "#3a78c9" for t in tasks]))
    ref.update_layout(height=22 * n + 100, xaxis_type="date", yaxis_autorange="reversed")
    t_json, js = best_of(args.repeat, ref.to_json)
    rows.append(("reference_bars_only", n, 0, float("nan"), t_json, len(js) / 1e6))
    pages["reference_bars_only"] = PAGE.format(n=n, json=js.replace("</", "<\\/"))

    browser = None
    if not args.no_browser and os.path.exists(CHROMIUM):
        browser = browser_times(pages, args.repeat)

    head = f"{'figure':<22} {'tasks':>6} {'links':>6} {'build s':>8} {'to_json s':>9} {'JSON MB':>8}"
    if browser:
        head += f" {'first load s':>12} {'(painted)':>9} {'repeat s':>8} {'1-month relayout s':>18}"
    print(head)
    for name, n, links, t_build, t_json, mb in rows:
        line = f"{name:<22} {n:>6} {links:>6} {t_build:>8.3f} {t_json:>9.3f} {mb:>8.2f}"
        if browser:
            b = browser[name]
            line += f" {b['first']:>12.2f} {b['painted']:>9.2f} {b['repeat']:>8.2f} {b['relayout']:>18.2f}"
        print(line)
    if not browser:
        print("(no in-browser timing: /usr/bin/chromium missing or --no-browser)")


if __name__ == "__main__":
    main()
