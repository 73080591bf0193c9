"""CPM pass scaling benchmark.

    .venv/bin/python bench/cpm_scaling.py [--repeat 15] [--sizes 2000,5000,10000,20000] [--fixed 0.1]

Random layered DAGs (seeded): tasks are spread over layers of ~50 tasks, each task gets 3
links (mixed FS/SS/FF/SF, lags -2..3) to tasks in earlier layers, so links = 3 x tasks.
Times compute_schedule() alone ("pass") and compute_schedule() followed by building every
ScheduledTask ("pass + .tasks", what the app does), N rounds with the sizes interleaved; reports
the best and median wall time and the median CPU time of the thread (which a busy machine
inflates less), with the garbage collector disabled during each call like timeit does.
``--fixed share``: that share of the tasks (seeded) gets a fixed start ("must start on") at its
unconstrained early start minus 2 periods, so most of them are pushed by their links (conflicts).
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from schedule.engine.cpm import compute_schedule  # noqa: E402
from schedule.engine.model import Link, Task  # noqa: E402

TYPES = ("FS", "FS", "FS", "FS", "SS", "FF", "SF")


def make_plan(n: int, seed: int = 1, links_per_task: int = 3, layer: int = 50):
    rng = random.Random(seed)
    tasks = [Task(id=f"T{i}", duration=rng.randint(0, 10)) for i in range(n)]
    links = []
    for i in range(layer, n):
        first_of_layer = (i // layer) * layer
        for _ in range(links_per_task):
            p = rng.randrange(max(0, first_of_layer - 4 * layer), first_of_layer)
            links.append(Link(f"T{p}", f"T{i}", rng.choice(TYPES), rng.randint(-2, 3)))
    # the first layer has no predecessors; give the plan exactly 3 links per task
    while len(links) < links_per_task * n:
        a, b = sorted(rng.sample(range(n), 2))
        if a // layer < b // layer:
            links.append(Link(f"T{a}", f"T{b}", "FS", 0))
    return tasks, links


def fix_starts(tasks, links, share, seed=2):
    """Give ``share`` of the tasks a fixed start 2 periods before their early start (a conflict
    wherever links drive them)."""
    if not share:
        return tasks
    early = compute_schedule(tasks, links).tasks
    rng = random.Random(seed)
    return [Task(id=t.id, duration=t.duration, fixed_start=max(0, early[t.id].early_start - 2))
            if rng.random() < share else t for t in tasks]


def timed_once(fn) -> tuple[float, float]:
    """(wall ms, CPU ms of this thread) of one call, garbage collector off like timeit."""
    gc.collect()
    gc.disable()
    try:
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        return (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
    finally:
        gc.enable()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--sizes", default="2000,5000,10000,20000")
    ap.add_argument("--fixed", type=float, default=0.0, help="share of tasks with a fixed start")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    plans = {n: make_plan(n) for n in sizes}
    plans = {n: (fix_starts(tasks, links, args.fixed), links) for n, (tasks, links) in plans.items()}
    for tasks, links in plans.values():
        compute_schedule(tasks, links).tasks  # warm up
    runs = {(n, kind): [] for n in sizes for kind in ("pass", "tasks")}
    # interleave the sizes round by round, so a burst of load on the machine hits all of them
    for _ in range(args.repeat):
        for n in sizes:
            tasks, links = plans[n]
            runs[n, "pass"].append(timed_once(lambda: compute_schedule(tasks, links)))
            runs[n, "tasks"].append(timed_once(lambda: compute_schedule(tasks, links).tasks))
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, {args.repeat} rounds; "
          f"ms; wall = perf_counter, cpu = thread_time"
          + (f"; {args.fixed:.0%} of tasks with a fixed start" if args.fixed else ""))
    print(f"{'tasks':>7} {'links':>7} | {'pass: wall best':>15} {'median':>7} {'cpu median':>10} | "
          f"{'pass + .tasks: wall best':>24} {'median':>7} {'cpu median':>10}")
    med = {}
    for n in sizes:
        row = [f"{n:>7} {len(plans[n][1]):>7}"]
        for kind, width in (("pass", 15), ("tasks", 24)):
            wall = [w for w, _c in runs[n, kind]]
            cpu = [c for _w, c in runs[n, kind]]
            med[n, kind] = (statistics.median(wall), statistics.median(cpu))
            row.append(f"{min(wall):>{width}.1f} {med[n, kind][0]:>7.1f} {med[n, kind][1]:>10.1f}")
        print(" | ".join(row))
    lo, hi = sizes[0], sizes[-1]
    if lo != hi:
        k = hi / lo
        parts = []
        for kind, label in (("pass", "pass"), ("tasks", "pass + .tasks")):
            parts.append(f"{label} {med[hi, kind][0] / med[lo, kind][0]:.1f}x wall, "
                         f"{med[hi, kind][1] / med[lo, kind][1]:.1f}x cpu")
        print(f"ratio {hi}/{lo} ({k:.0f}x tasks), medians: " + "; ".join(parts))


if __name__ == "__main__":
    main()
