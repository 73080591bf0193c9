"""Benchmark the resource levelling on PSPLIB j30 / j120.

    .venv/bin/python bench/psplib_bench.py --set j30 --time-limit 1
    .venv/bin/python bench/psplib_bench.py --set j120 --sample 60 --time-limit 5

Prints: instances, mean / worst deviation from the optimum (j30) or best known
upper bound (j120), wall seconds per instance, CPU seconds per instance (user +
system time of this process, CP-SAT's threads included: getrusage(RUSAGE_SELF)),
how many reached it, and for j120 the mean deviation from the critical-path
lower bound. The load average (os.getloadavg) is printed before and after.

Experiment switches (reproducible comparisons on a shared machine):
``--names`` / ``--groups`` pick instances, ``--cpsat-param name=value`` overrides a
CP-SAT parameter (repeatable; e.g. ``linearization_level=1``), ``--no-disjunctive``
drops the redundant no-overlap cliques, ``--deterministic-time`` bounds CP-SAT by
its deterministic clock instead of wall time, ``--max-schedules`` bounds the
heuristic by the number of generated schedules (and, like ``--heuristic-share``,
takes the earlier path without the genetic search), ``--no-genetic`` measures
that earlier path.
"""
from __future__ import annotations

import argparse
import ast
import os
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schedule.engine import genetic, levelling  # noqa: E402
from schedule.engine.levelling import _Problem, level  # noqa: E402
from schedule.engine.psplib import load_optimum, parse_sm  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=("j30", "j120"), default="j30")
    ap.add_argument("--sample", type=int, default=None, help="seeded random sample of N instances (default: all)")
    ap.add_argument("--sample-seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per instance (default 1 for j30, 5 for j120)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heuristic-share", type=float, default=None)
    ap.add_argument("--no-cpsat", action="store_true", help="heuristic only")
    ap.add_argument("--data", type=Path, default=REPO / ".." / "shared" / "benchmarks" / "psplib")
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per instance")
    ap.add_argument("--names", default=None, help="comma-separated instance files (e.g. j3013_1.sm,j309_2.sm)")
    ap.add_argument("--groups", default=None, help="comma-separated parameter groups (e.g. 9,13 for j309_*, j3013_*)")
    ap.add_argument("--cpsat-param", action="append", default=[], metavar="NAME=VALUE",
                    help="override a CP-SAT parameter (repeatable)")
    ap.add_argument("--no-disjunctive", action="store_true", help="no redundant no-overlap cliques in the CP-SAT model")
    ap.add_argument("--deterministic-time", type=float, default=None,
                    help="CP-SAT max_deterministic_time (the wall-time limit still applies)")
    ap.add_argument("--max-schedules", type=int, default=None, help="heuristic budget in generated schedules")
    ap.add_argument("--no-genetic", action="store_true",
                    help="without the compiled genetic search (the earlier pure-Python heuristic path)")
    args = ap.parse_args(argv)
    levelling.GENETIC = not args.no_genetic
    for item in args.cpsat_param:
        name, _, value = item.partition("=")
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            pass
        levelling.CPSAT_PARAMS[name.strip()] = value
    levelling.DISJUNCTIVE = not args.no_disjunctive
    if args.deterministic_time is not None:
        levelling.CPSAT_PARAMS["max_deterministic_time"] = args.deterministic_time
    if args.max_schedules is not None:
        levelling.HEURISTIC_MAX_SCHEDULES = args.max_schedules
    limit = args.time_limit if args.time_limit is not None else (1.0 if args.set == "j30" else 5.0)

    folder = args.data.resolve() / args.set
    optimum = load_optimum(folder / "optimum.csv")
    names = sorted(optimum, key=lambda s: [int(x) for x in s[len(args.set):-3].split("_")])
    if args.sample:
        names = sorted(random.Random(args.sample_seed).sample(names, min(args.sample, len(names))))
    if args.groups:
        groups = {int(g) for g in args.groups.split(",")}
        names = [n for n in names if int(n[len(args.set):].split("_")[0]) in groups]
    if args.names:
        names = args.names.split(",")

    try:  # a warm worker: the one-off import of OR-Tools is not an instance's time
        from ortools.sat.python import cp_model  # noqa: F401
    except ImportError:
        pass
    genetic.warm_up()  # nor is loading (or, the first time, compiling) the genetic search
    load_before = os.getloadavg()
    rows = []
    for name in names:
        inst = parse_sm(folder / name)
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        res = level(
            inst.tasks, inst.links, inst.capacities,
            time_limit_s=limit, workers=args.workers, seed=args.seed,
            use_cpsat=not args.no_cpsat, heuristic_share=args.heuristic_share, explain=True,
        )
        secs = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
        best = optimum[name][1]
        cpm = _Problem(inst.tasks, inst.links, inst.capacities).cpm
        dev = 100.0 * (res.finish - best) / best
        rows.append((name, res.finish, best, dev, secs, cpm, res.method, res.heuristic_finish, cpu))
        if args.verbose:
            print(f"{name:16s} {res.finish:4d} best {best:4d} dev {dev:6.2f}% heur {res.heuristic_finish:4d} "
                  f"{secs:5.2f}s cpu {cpu:5.2f}s {res.method}", flush=True)

    n = len(rows)
    mean_dev = sum(r[3] for r in rows) / n
    worst = max(r[3] for r in rows)
    mean_s = sum(r[4] for r in rows) / n
    max_s = max(r[4] for r in rows)
    mean_cpu = sum(r[8] for r in rows) / n
    load_after = os.getloadavg()
    hit = sum(1 for r in rows if r[1] <= r[2])
    heur_dev = sum(100.0 * (r[7] - r[2]) / r[2] for r in rows) / n
    ref = "optimum" if args.set == "j30" else "best known UB"
    print(f"\nPSPLIB {args.set}: time limit {limit:g} s, workers {args.workers}, seed {args.seed}"
          + (f", sample {args.sample} (seed {args.sample_seed})" if args.sample else "")
          + (f", CP-SAT params {levelling.CPSAT_PARAMS}" if levelling.CPSAT_PARAMS else "")
          + ("" if levelling.DISJUNCTIVE else ", no disjunctive cliques")
          + (f", heuristic ≤ {args.max_schedules} schedules" if args.max_schedules is not None else "")
          + ("" if levelling.GENETIC else ", no genetic search"))
    print("load average (1/5/15 min) before: %.2f %.2f %.2f, after: %.2f %.2f %.2f" % (*load_before, *load_after))
    print("| set | instances | mean dev. % | worst % | mean s | max s | mean CPU s | reached " + ref
          + " | heuristic seed dev. % |" + (" mean dev. from CPM LB % |" if args.set == "j120" else ""))
    print("|---|---|---|---|---|---|---|---|---|" + ("---|" if args.set == "j120" else ""))
    line = (f"| {args.set} | {n} | {mean_dev:.2f} | {worst:.2f} | {mean_s:.2f} | {max_s:.2f} | {mean_cpu:.2f} | "
            f"{hit}/{n} | {heur_dev:.2f} |")
    if args.set == "j120":
        cpm_dev = sum(100.0 * (r[1] - r[5]) / r[5] for r in rows) / n
        line += f" {cpm_dev:.2f} |"
    print(line)
    return rows


if __name__ == "__main__":
    main()
