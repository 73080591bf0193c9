"""The compiled genetic search (schedule/engine/genetic.py) and its place in the levelling.

Run: .venv/bin/pytest tests/engine/test_genetic.py -q -p no:django
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schedule.engine import genetic  # noqa: E402
from schedule.engine import levelling as L  # noqa: E402
from schedule.engine.levelling import level  # noqa: E402
from schedule.engine.model import Link, Task  # noqa: E402
from schedule.engine.psplib import load_optimum, parse_sm  # noqa: E402
from tests.engine.test_levelling import (  # noqa: E402
    PSPLIB_J30,
    check_schedule,
    projects,
    record_instances,
)

PROP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_numba_is_installed_and_the_search_compiles():
    # requirements.txt pins numba: without it the levelling silently loses its strongest search
    assert genetic.available()
    assert genetic.warm_up() is True


def _is_topological(p, order):
    position = {k: i for i, k in enumerate(order)}
    return sorted(order) == list(range(p.n)) and all(
        position[i] < position[j] for (i, j) in p.arcs)


@PROP
@given(projects())
def test_every_schedule_in_the_population_is_feasible(project):
    """All link types with leads and lags, releases, milestones, capacities above one:
    every individual is a task order that respects the links and decodes to a schedule
    that keeps every link, release and capacity."""
    p = L._Problem(*project)
    search = genetic.GeneticSearch(p, seed=3, population=12)
    search.start()
    start, finish = search.run(time.perf_counter() + 0.02)
    assert L._feasible(p, start)
    assert finish == max((start[k] + p.dur[k] for k in range(p.n)), default=0)
    assert finish >= p.lower_bound
    for row, order in enumerate(search.pop):
        assert _is_topological(p, list(order))
        starts = [int(x) for x in search.starts[row]]
        assert L._feasible(p, starts)
        assert search.fit[row] == max((starts[k] + p.dur[k] for k in range(p.n)), default=0)


def test_a_known_schedule_seeds_the_population():
    inst = parse_sm(PSPLIB_J30 / "j3013_1.sm")
    p = L._Problem(inst.tasks, inst.links, inst.capacities)
    start, finish = L._heuristic(p, float("inf"), __import__("random").Random(0), max_schedules=0)
    search = genetic.GeneticSearch(p, seed=0)
    search.start()
    search.seed_with(start)
    # the seeded schedule, justified again, is never worse than it was
    assert search.fit[-1] <= finish
    assert search.best()[1] <= finish


def test_the_search_reaches_psplib_optima_alone():
    optimum = load_optimum(PSPLIB_J30 / "optimum.csv")
    for name in ("j301_1.sm", "j3025_10.sm"):
        inst = parse_sm(PSPLIB_J30 / name)
        p = L._Problem(inst.tasks, inst.links, inst.capacities)
        search = genetic.GeneticSearch(p, seed=1)
        search.start()
        start, finish = search.run(time.perf_counter() + 5.0)
        assert L._feasible(p, start)
        assert finish == optimum[name][1]


def test_the_search_stops_when_asked():
    inst = parse_sm(PSPLIB_J30 / "j3013_1.sm")
    p = L._Problem(inst.tasks, inst.links, inst.capacities)
    search = genetic.GeneticSearch(p, seed=0)
    search.start()
    search.target = -1  # never reached
    t0 = time.perf_counter()
    search.run(t0 + 30.0, should_stop=lambda: time.perf_counter() > t0 + 0.1)
    assert time.perf_counter() - t0 < 2.0


def test_two_workers_run_it_beside_cp_sat(monkeypatch):
    made = record_instances(monkeypatch, genetic, "GeneticSearch")
    inst = parse_sm(PSPLIB_J30 / "j3013_1.sm")
    optimum = load_optimum(PSPLIB_J30 / "optimum.csv")["j3013_1.sm"][1]
    res = level(inst.tasks, inst.links, inst.capacities, time_limit_s=5.0, workers=2, seed=0)
    check_schedule(inst.tasks, inst.links, inst.capacities, res)
    assert len(made) == 1 and made[0].generations > 0
    assert res.finish == optimum
    assert res.method in ("genetic", "cp-sat", "cp-sat-optimal")
    # one worker, or a plan too big for it: the earlier path (Python heuristic, then CP-SAT)
    made.clear()
    check_schedule(inst.tasks, inst.links, inst.capacities,
                   level(inst.tasks, inst.links, inst.capacities, time_limit_s=0.5, workers=1))
    monkeypatch.setattr(L, "GENETIC_MAX_TASKS", len(inst.tasks) - 1)
    check_schedule(inst.tasks, inst.links, inst.capacities,
                   level(inst.tasks, inst.links, inst.capacities, time_limit_s=0.5, workers=2))
    assert not made


@PROP
@given(projects())
def test_property_two_workers(project):
    tasks, links, caps = project
    res = level(tasks, links, caps, time_limit_s=0.3, workers=2, seed=1)
    check_schedule(tasks, links, caps, res)


def test_without_numba_the_levelling_still_works(monkeypatch):
    monkeypatch.setattr(genetic, "available", lambda: False)
    monkeypatch.setattr(genetic, "GeneticSearch", None)  # any use would fail loudly
    tasks = [Task(k, 2 + k % 3, {"r": 1 + k % 2}) for k in range(8)]
    links = [Link(0, 3), Link(1, 4, "SS", 1), Link(2, 5, "FF", -1)]
    res = level(tasks, links, {"r": 2}, time_limit_s=0.5, workers=2)
    check_schedule(tasks, links, {"r": 2}, res)
    assert res.method in ("heuristic", "cp-sat", "cp-sat-optimal")


def test_a_bigger_plan_is_levelled_feasibly():
    import random

    rng = random.Random(4)
    n = 300
    tasks = [Task(f"t{k}", rng.randint(1, 8), {f"r{rng.randrange(5)}": 1, "team": rng.randint(1, 3)})
             for k in range(n)]
    links = [Link(f"t{rng.randrange(k)}", f"t{k}", rng.choice(["FS", "SS", "FF", "SF"]), rng.randint(-2, 3))
             for k in range(1, n) if rng.random() < 0.8]
    res = level(tasks, links, {"team": 4}, time_limit_s=1.0, workers=2, seed=0)
    check_schedule(tasks, links, {"team": 4}, res)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q", "-p", "no:django"]))
