"""Resource levelling: hand-checked cases, properties on random projects, PSPLIB.

Run: .venv/bin/pytest tests/engine/test_levelling.py -q -p no:django
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schedule.engine import levelling as L  # noqa: E402
from schedule.engine.levelling import level, lower_bound  # noqa: E402
from schedule.engine.model import (  # noqa: E402
    CycleError,
    EngineError,
    Link,
    Task,
    UnknownTaskError,
)
from schedule.engine.psplib import load_optimum, parse_bound, parse_sm  # noqa: E402

FAST = dict(time_limit_s=0.5, workers=1, seed=0)

# A few PSPLIB j30 instances (public benchmark data, ../shared/benchmarks/psplib) kept beside the
# tests so they run wherever the repository is cloned.
PSPLIB_J30 = Path(__file__).resolve().parent / "psplib" / "j30"


# --------------------------------------------------------------------------- helpers


def delta(link, dur):
    di, dj = dur[link.predecessor], dur[link.successor]
    return {"FS": di + link.lag, "SS": link.lag, "FF": di - dj + link.lag, "SF": link.lag - dj}[link.type]


def check_schedule(tasks, links, capacities, res):
    """Every property a levelled plan must have."""
    dur = {t.id: t.duration for t in tasks}
    starts = res.starts
    assert set(starts) == set(dur)
    for t in tasks:
        assert starts[t.id] >= max(0, t.earliest_start or 0)
    for link in links:
        s_i, s_j = starts[link.predecessor], starts[link.successor]
        f_i, f_j = s_i + dur[link.predecessor], s_j + dur[link.successor]
        ok = {
            "FS": s_j >= f_i + link.lag,
            "SS": s_j >= s_i + link.lag,
            "FF": f_j >= f_i + link.lag,
            "SF": f_j >= s_i + link.lag,
        }[link.type]
        assert ok, (link, starts)
    finish = max((starts[t.id] + t.duration for t in tasks), default=0)
    assert res.finish == finish
    usage = {}
    for t in tasks:
        if t.duration == 0:
            continue
        for name, units in t.resources.items():
            for period in range(starts[t.id], starts[t.id] + t.duration):
                usage[(name, period)] = usage.get((name, period), 0) + units
    for (name, period), used in usage.items():
        assert used <= capacities.get(name, 1), (name, period, used)
    assert res.finish >= res.lower_bound
    assert res.finish >= lower_bound(tasks, links, capacities)
    assert res.finish <= res.heuristic_finish


def cpm_early_starts(tasks, links):
    """Unconstrained early starts by repeated relaxation (tiny inputs only)."""
    dur = {t.id: t.duration for t in tasks}
    es = {t.id: max(0, t.earliest_start or 0) for t in tasks}
    for _ in range(len(tasks) + 1):
        for link in links:
            es[link.successor] = max(es[link.successor], es[link.predecessor] + delta(link, dur))
    return es


# --------------------------------------------------------------------------- hand-checked cases


@pytest.mark.parametrize("use_cpsat", [True, False])
def test_shared_owner_capacity_one_serialises(use_cpsat):
    tasks = [Task("A", 3, {"alice": 1}), Task("B", 2, {"alice": 1})]
    res = level(tasks, [], {}, use_cpsat=use_cpsat, **FAST)  # missing capacity -> 1
    a, b = res.starts["A"], res.starts["B"]
    assert a + 3 <= b or b + 2 <= a
    assert res.finish == 5
    check_schedule(tasks, [], {}, res)


def test_capacity_two_lets_them_overlap():
    tasks = [Task("A", 3, {"alice": 1}), Task("B", 2, {"alice": 1})]
    res = level(tasks, [], {"alice": 2}, **FAST)
    assert res.starts == {"A": 0, "B": 0}
    assert res.finish == 3
    assert res.delays == {}


def test_delay_names_owner_and_blocking_task():
    tasks = [Task("Design", 4, {"alice": 1}), Task("Review", 2, {"alice": 1}), Task("Build", 3, {"bob": 1})]
    links = [Link("Design", "Build", "FS", 0)]
    res = level(tasks, links, {"alice": 1, "bob": 1}, **FAST)
    check_schedule(tasks, links, {"alice": 1, "bob": 1}, res)
    # one of Design / Review waits for alice; the other one holds her
    late = [t for t in ("Design", "Review") if t in res.delays]
    assert len(late) == 1
    waiting = late[0]
    other = "Review" if waiting == "Design" else "Design"
    delay = res.delays[waiting]
    assert delay.resources == ["alice"]
    assert delay.blockers == {"alice": [other]}
    assert delay.periods == res.starts[waiting] > 0
    assert delay.resource_wait == delay.periods
    assert "alice" in delay.message and other in delay.message
    # optimal plan: Design first (it feeds Build), Review after it
    assert res.finish == 7
    assert waiting == "Review"


def test_delay_through_delayed_predecessor():
    tasks = [Task("A", 2, {"x": 1}), Task("B", 2, {"x": 1}), Task("C", 1)]
    links = [Link("B", "C", "FS", 0), Link("A", "C", "FS", 0)]
    res = level(tasks, links, {"x": 1}, **FAST)
    check_schedule(tasks, links, {"x": 1}, res)
    late = max(("A", "B"), key=lambda t: res.starts[t])
    assert res.starts["C"] == 4
    d = res.delays["C"]
    assert d.early_start == 2 and d.start == 4 and d.resource_wait == 0
    assert d.predecessors == [late]
    assert late in d.message


def test_all_link_types_kept_after_levelling():
    tasks = [
        Task("A", 3, {"r": 1}), Task("B", 2, {"r": 1}), Task("C", 4, {"r": 1}),
        Task("D", 2, {"r": 1}), Task("E", 1, {"r": 1}), Task("M", 0, {"r": 1}),
    ]
    links = [
        Link("A", "B", "FS", 1), Link("A", "C", "SS", 1), Link("B", "D", "FF", 2),
        Link("C", "E", "SF", 3), Link("A", "M", "FS", -1), Link("M", "E", "SS", -2),
    ]
    for use_cpsat in (True, False):
        res = level(tasks, links, {"r": 1}, use_cpsat=use_cpsat, **FAST)
        check_schedule(tasks, links, {"r": 1}, res)
    assert res.starts["M"] == 2  # milestones use no resources: at its early start


def test_earliest_start_respected_and_not_a_delay():
    tasks = [Task("A", 2, {"r": 1}, earliest_start=5), Task("B", 2, {"r": 1})]
    res = level(tasks, [], {"r": 1}, **FAST)
    assert res.starts == {"A": 5, "B": 0}
    assert res.delays == {}


def test_task_needing_more_than_capacity_is_an_error():
    with pytest.raises(EngineError, match="needs 3 unit.*'crane'.*capacity is 2"):
        level([Task("Lift", 2, {"crane": 3})], [], {"crane": 2}, **FAST)
    with pytest.raises(EngineError, match="capacity is 1"):
        level([Task("Pair work", 2, {"alice": 2})], [], {}, **FAST)  # default capacity 1


def test_zero_duration_task_uses_no_resources():
    res = level([Task("Go", 0, {"crane": 5})], [], {"crane": 1}, **FAST)
    assert res.starts == {"Go": 0} and res.finish == 0


def test_bad_input_errors():
    with pytest.raises(CycleError):
        level([Task("A", 1), Task("B", 1)], [Link("A", "B"), Link("B", "A")], {}, **FAST)
    with pytest.raises(UnknownTaskError):
        level([Task("A", 1)], [Link("A", "Z")], {}, **FAST)
    assert level([], [], {}, **FAST).finish == 0


# --------------------------------------------------------------------------- properties


@st.composite
def projects(draw):
    n = draw(st.integers(1, 8))
    caps = {"a": draw(st.integers(1, 3)), "b": draw(st.integers(1, 2))}  # "c" missing -> 1
    tasks = []
    for k in range(n):
        res = {}
        for name, cap in (("a", caps["a"]), ("b", caps["b"]), ("c", 1)):
            if draw(st.booleans()):
                res[name] = draw(st.integers(1, cap))
        es = draw(st.one_of(st.none(), st.integers(0, 4)))
        tasks.append(Task(k, draw(st.integers(0, 4)), res, earliest_start=es))
    links = []
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.integers(0, 3)) == 0:
                links.append(Link(i, j, draw(st.sampled_from(["FS", "SS", "FF", "SF"])), draw(st.integers(-2, 3))))
    return tasks, links, caps


PROP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROP
@given(projects())
def test_property_cpsat(project):
    tasks, links, caps = project
    res = level(tasks, links, caps, time_limit_s=1.0, workers=1)
    check_schedule(tasks, links, caps, res)
    heur = level(tasks, links, caps, time_limit_s=0.3, use_cpsat=False)
    check_schedule(tasks, links, caps, heur)
    if res.method == "cp-sat-optimal":
        assert res.finish <= heur.finish
    # every delay is explained by a full resource or a delayed predecessor
    es = cpm_early_starts(tasks, links)
    for t in tasks:
        late = res.starts[t.id] > es[t.id]
        assert (t.id in res.delays) == late
        if late:
            d = res.delays[t.id]
            assert d.early_start == es[t.id] and d.periods == res.starts[t.id] - es[t.id]
            assert d.resources or d.predecessors
            assert (d.resource_wait > 0) == bool(d.resources)
            for name, holders in d.blockers.items():
                assert holders and t.id not in holders
                assert all(name in tasks[h].resources for h in holders)


@PROP
@given(projects())
def test_property_heuristic_fallback(project):
    tasks, links, caps = project
    res = level(tasks, links, caps, time_limit_s=0.2, use_cpsat=False)
    assert res.method == "heuristic"
    check_schedule(tasks, links, caps, res)


def test_falls_back_to_heuristic_without_ortools(monkeypatch):
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)  # import now fails
    tasks = [Task(k, 2 + k % 3, {"r": 1 + k % 2}) for k in range(6)]
    links = [Link(0, 3), Link(1, 4, "SS", 1)]
    for workers in (1, 2):  # two: the compiled genetic search runs without CP-SAT beside it
        res = level(tasks, links, {"r": 2}, time_limit_s=0.3, workers=workers)
        assert res.method in ("heuristic", "genetic")
        check_schedule(tasks, links, {"r": 2}, res)


# --------------------------------------------------------------------------- CP-SAT model helpers


def incompatible_pairs(p):
    """Brute force: pairs of tasks that need more than a resource's capacity together."""
    out = set()
    for a in range(p.n):
        for b in range(p.n):
            if a != b and p.dem[a] and p.dem[b]:
                need_b = dict(p.dem[b])
                if any(q + need_b.get(r, 0) > p.caps[r] for r, q in p.dem[a]):
                    out.add((a, b))
    return out


@PROP
@given(projects())
def test_disjunctive_cliques_cover_exactly_the_incompatible_pairs(project):
    p = L._Problem(*project)
    cliques = L._disjunctive_cliques(p)
    pairs = incompatible_pairs(p)
    covered = {(a, b) for c in cliques for a in c for b in c if a != b}
    assert covered == pairs  # every clique pair is incompatible, every incompatible pair is covered
    assert all(len(c) >= 2 and len(set(c)) == len(c) for c in cliques)


def test_disjunctive_cliques_on_psplib_are_valid():
    folder = PSPLIB_J30
    for name in ("j3013_1.sm", "j3045_6.sm", "j301_1.sm"):
        inst = parse_sm(folder / name)
        p = L._Problem(inst.tasks, inst.links, inst.capacities)
        covered = {(a, b) for c in L._disjunctive_cliques(p) for a in c for b in c if a != b}
        assert covered == incompatible_pairs(p)


def brute_force_makespan(p, ub):
    """Smallest makespan over every integer start vector within [early start, ub - tail]."""
    order = p.topo
    best = [ub]
    start = [0] * p.n
    used = [[0] * (ub + 1) for _ in p.caps]

    def place(pos, span):
        if span >= best[0]:
            return
        if pos == len(order):
            best[0] = span
            return
        k = order[pos]
        lo = max([p.release[k]] + [start[i] + d for i, d in p.preds[k]])
        for s in range(lo, ub - p.tail[k] + 1):
            d = p.dur[k]
            if any(used[r][x] + q > p.caps[r] for r, q in p.dem[k] for x in range(s, s + d)):
                continue
            for r, q in p.dem[k]:
                for x in range(s, s + d):
                    used[r][x] += q
            start[k] = s
            place(pos + 1, max(span, s + d))
            for r, q in p.dem[k]:
                for x in range(s, s + d):
                    used[r][x] -= q

    place(0, 0)
    return best[0]


@st.composite
def tiny_projects(draw):
    n = draw(st.integers(2, 5))
    caps = {"a": draw(st.integers(1, 3)), "b": draw(st.integers(1, 3))}
    tasks = [
        Task(k, draw(st.integers(1, 3)), {name: draw(st.integers(0, cap)) for name, cap in caps.items()},
             earliest_start=draw(st.one_of(st.none(), st.integers(0, 2))))
        for k in range(n)
    ]
    links = [Link(i, j, draw(st.sampled_from(["FS", "SS", "FF", "SF"])), draw(st.integers(-1, 2)))
             for i in range(n) for j in range(i + 1, n) if draw(st.integers(0, 3)) == 0]
    return tasks, links, caps


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_projects())
def test_disjunctive_cliques_keep_the_optimum(project):
    """The redundant no-overlaps never cut off an optimal schedule: CP-SAT with and
    without them and a brute-force enumeration agree on the optimal makespan."""
    p = L._Problem(*project)
    start, finish = L._heuristic(p, float("inf"), __import__("random").Random(0), max_schedules=50)
    assert L._feasible(p, start)
    optimum = brute_force_makespan(p, finish)
    for disjunctive in (False, True):
        found = L._cpsat(p, start, finish, 5.0, 1, 0, disjunctive=disjunctive)
        assert found is not None
        c_start, c_finish, optimal = found
        assert optimal and L._feasible(p, c_start)
        assert c_finish == optimum


def test_heuristic_schedule_budget_is_reproducible():
    folder = PSPLIB_J30
    inst = parse_sm(folder / "j3013_1.sm")
    runs = []
    for _ in range(2):
        p = L._Problem(inst.tasks, inst.links, inst.capacities)
        start, finish = L._heuristic(p, float("inf"), __import__("random").Random(5), max_schedules=300)
        assert L._feasible(p, start)
        assert 300 <= p.sgs_calls < 300 + 2 * 7  # stops within one justified child of the budget
        runs.append((start, finish))
    assert runs[0] == runs[1]


# --------------------------------------------------------------------------- PSPLIB


def test_psplib_bound_parsing():
    assert parse_bound("104..105") == (104, 105)
    assert parse_bound("..93") == (None, 93)
    assert parse_bound("109") == (109, 109)


def test_psplib_j30_instance_reaches_optimum():
    folder = PSPLIB_J30
    inst = parse_sm(folder / "j3025_10.sm")
    assert len(inst.tasks) == 32 and inst.capacities.keys() == {"R1", "R2", "R3", "R4"}
    optimum = load_optimum(folder / "optimum.csv")["j3025_10.sm"][1]
    res = level(inst.tasks, inst.links, inst.capacities, time_limit_s=5.0, workers=2)
    check_schedule(inst.tasks, inst.links, inst.capacities, res)
    assert res.finish == optimum == 58


def record_instances(monkeypatch, module, name):
    """Replace ``module.name`` (a class) by a wrapper; returns the list of what it made."""
    made = []
    real = getattr(module, name)

    def recording(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(module, name, recording)
    return made


def _random_project(n, seed):
    import random

    rng = random.Random(seed)
    tasks = [Task(f"t{k}", rng.randint(1, 6), resources={f"r{rng.randrange(4)}": 1, f"s{rng.randrange(3)}": rng.randint(1, 2)})
             for k in range(n)]
    links = [Link(f"t{rng.randrange(k)}", f"t{k}") for k in range(1, n) if rng.random() < 0.7]
    return tasks, links, {"s0": 2, "s1": 2, "s2": 3}


def test_big_plans_search_with_cp_sat_beside_the_heuristic(monkeypatch):
    # the path without the genetic search (no numba, or plans over GENETIC_MAX_TASKS)
    monkeypatch.setattr(L, "GENETIC", False)
    tasks, links, capacities = _random_project(L.SMALL + 30, seed=3)
    started = record_instances(monkeypatch, L, "_Background")
    res = level(tasks, links, capacities, time_limit_s=1.5, workers=2, seed=1)
    check_schedule(tasks, links, capacities, res)
    assert len(started) == 1  # the second core searched while the heuristic ran
    found = started[0].result()
    assert found is not None and res.finish <= found[1]  # and its schedule counted
    # One worker (or a small plan): no side search.
    started.clear()
    check_schedule(tasks, links, capacities, level(tasks, links, capacities, time_limit_s=0.5, workers=1))
    assert not started
