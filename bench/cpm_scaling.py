"""CPM pass scaling benchmark.

    .venv/bin/python bench/cpm_scaling.py [--repeat 15] [--sizes 2000,5000,10000,20000]

Random layered DAGs (seeded): tasks are spread over layers of ~50 tasks, each task gets 3
links (mixed FS/SS/FF/SF, lags -2..3) to tasks in earlier layers, so links = 3 x tasks.
Times compute_schedule() alone ("pass": what the engine does for every recompute) and
compute_schedule() followed by building every ScheduledTask ("pass + .tasks"), reporting the
best and the median of N runs, with the garbage collector disabled during each timing like
timeit does.
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


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        gc.enable()
    return min(times), statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--sizes", default="2000,5000,10000,20000")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{os.cpu_count()} CPUs, best/median of {args.repeat}")
    print(f"{'tasks':>7} {'links':>7} | {'pass best':>9} {'median':>7} | {'+ .tasks best':>13} {'median':>7}  (ms)")
    res = {}
    for n in sizes:
        tasks, links = make_plan(n)
        compute_schedule(tasks, links)  # warm up
        p = timed(lambda: compute_schedule(tasks, links), args.repeat)
        f = timed(lambda: compute_schedule(tasks, links).tasks, args.repeat)
        res[n] = (p, f)
        print(f"{n:>7} {len(links):>7} | {p[0]:>9.1f} {p[1]:>7.1f} | {f[0]:>13.1f} {f[1]:>7.1f}")
    if sizes[0] in res and sizes[-1] in res:
        a, b = res[sizes[0]], res[sizes[-1]]
        k = sizes[-1] / sizes[0]
        print(f"ratio {sizes[-1]}/{sizes[0]} ({k:.0f}x tasks), median: pass {b[0][1] / a[0][1]:.1f}x, "
              f"pass + .tasks {b[1][1] / a[1][1]:.1f}x")


if __name__ == "__main__":
    main()
