"""Resource levelling: shift tasks so no owner is ever booked beyond capacity.

Problem (single-mode RCPSP with minimum time lags): every task gets an integer
start ``s >= max(0, earliest_start)``; every link is turned into a start-to-start
minimum time lag ``s_j >= s_i + delta`` (FS: d_i + lag, SS: lag, FF: d_i - d_j + lag,
SF: lag - d_j); at every period the units a resource's tasks use must not exceed
its capacity (missing capacity = 1: an owner does one task at a time). Zero
duration tasks use no resources. The objective is the shortest makespan.

Method (two workers, numba installed, up to ``GENETIC_MAX_TASKS`` tasks):
1. Priority rules (LFT, LST, MTS, GRPW) decoded by a serial schedule
   generation scheme (SGS) and justified (forward-backward improvement, FBI).
2. From that schedule, side by side until the time limit: the compiled genetic
   search (:mod:`genetic`: activity lists, serial SGS, FBI on every child) on
   one core, Google OR-Tools CP-SAT with one worker on the other (its solver
   releases the GIL). Either one stops the other when it reaches the lower
   bound or proves optimality; the shorter schedule wins.

Otherwise (one worker, no numba, bigger plans, or the benchmark's experiment
switches):
1. The priority rules above, then iterated perturbation of the best schedule's
   start order ("iterated FBI", pure Python) for part of the budget (plans up
   to ``SMALL`` tasks: 10 % and at most ``SMALL_SCHEDULES`` schedules; larger
   plans: 80 %). On larger plans with two or more workers, CP-SAT (one worker,
   in a thread) searches from the priority-rule schedule meanwhile.
2. CP-SAT (interval variables, AddCumulative, precedences, minimise makespan,
   no LP relaxation; for small plans redundant no-overlap cliques of tasks that
   can never run together) with the heuristic schedule as solution hint and its
   makespan as horizon, the CPM/energy bound as lower bound. The better result
   wins; without ortools, or if CP-SAT finds nothing, the heuristic stands.

Then, in every case, a left-shift pass and an explanation for every task that
starts later than its resource-unconstrained early start.

Fixed starts (``Task.fixed_start``, "must start on") are not levelled, as in MS Project: such a
task is pinned at its fixed start (links into it do not move it, and it holds no capacity, so no
search can push it), its successors follow it, and every link into it that the levelled schedule
breaks is reported in :attr:`LevelResult.conflicts` (:class:`FixedStartConflict`).
"""
from __future__ import annotations

import heapq
import random
import threading
import time
from dataclasses import dataclass, field

from . import genetic
from .cpm import FixedStartConflict
from .model import LINK_TYPES, CycleError, EngineError, UnknownTaskError

__all__ = ["Delay", "LevelResult", "level", "lower_bound"]

DEFAULT_CAPACITY = 1
CROSS = 0.4
ELITE = 10
SMALL = 60  # plans up to this many tasks: CP-SAT gets nearly all the time
SMALL_SCHEDULES = 300  # heuristic budget (generated schedules) for small plans

# Experiment switches (bench/psplib_bench.py sets them; the defaults are the product):
CPSAT_PARAMS = {}  # CP-SAT parameter overrides, applied after _tune()
DISJUNCTIVE = True  # redundant no-overlap cliques of incompatible tasks in the CP-SAT model
HEURISTIC_MAX_SCHEDULES = None  # heuristic budget in generated schedules (besides the time)
GENETIC = True  # with numba and two workers: the compiled genetic search beside CP-SAT
GENETIC_MAX_TASKS = 500  # above, one generation (100 children) takes over 0.15 s: it would overrun the limit


@dataclass
class Delay:
    """Why a task starts later than its resource-unconstrained early start."""

    task: object
    early_start: int  # start with no resource limits (CPM early start)
    start: int  # levelled start
    periods: int  # start - early_start
    # part of the delay spent waiting for resources after the links allowed a start
    resource_wait: int = 0
    # resources (owner names) whose capacity was full while the task waited
    resources: list = field(default_factory=list)
    # resource name -> ids of the tasks holding it while this task waited
    blockers: dict = field(default_factory=dict)
    # resource name -> [(first, last)] periods (inclusive) where it was full
    full_periods: dict = field(default_factory=dict)
    # delayed predecessors whose own delay pushed this task (the rest of the delay)
    predecessors: list = field(default_factory=list)
    message: str = ""


@dataclass
class LevelResult:
    starts: dict
    finish: int
    method: str  # "heuristic" | "genetic" | "cp-sat" | "cp-sat-optimal"
    delays: dict = field(default_factory=dict)
    lower_bound: int = 0  # max(CPM, resource energy) bound on the makespan
    heuristic_finish: int = 0  # makespan of the heuristic seed
    seconds: float = 0.0
    # fixed-start tasks whose predecessors, as levelled, would start them later (they stay put)
    conflicts: list = field(default_factory=list)

    def finishes(self, tasks) -> dict:
        return {t.id: self.starts[t.id] + t.duration for t in tasks}


# --------------------------------------------------------------------------- problem


class _Problem:
    """Index-based form of the input, shared by the heuristic, CP-SAT and the explainer."""

    def __init__(self, tasks, links, capacities):
        self.ids = []
        index = {}
        for task in tasks:
            if task.id in index:
                raise EngineError(f"task {task.id!r} appears twice")
            index[task.id] = len(self.ids)
            self.ids.append(task.id)
            if not isinstance(task.duration, int) or task.duration < 0:
                raise EngineError(f"task {task.id!r}: duration must be a whole number >= 0, got {task.duration!r}")
        self.index = index
        n = self.n = len(self.ids)
        self.dur = [t.duration for t in tasks]
        fixed = [getattr(t, "fixed_start", None) for t in tasks]
        self.pinned = [f is not None for f in fixed]
        self.release = [max(0, f if f is not None else t.earliest_start or 0) for f, t in zip(fixed, tasks)]

        # resources
        capacities = dict(capacities or {})
        self.res_names = []
        res_index = {}
        self.dem = [()] * n  # per task: tuple of (resource index, units)
        for k, task in enumerate(tasks):
            if self.dur[k] == 0 or self.pinned[k]:
                continue  # milestones use no resources; fixed starts are not levelled
            use = []
            for name, units in (task.resources or {}).items():
                if not units:
                    continue
                if not isinstance(units, int) or units < 0:
                    raise EngineError(f"task {task.id!r}: units of {name!r} must be a whole number >= 0, got {units!r}")
                cap = capacities.get(name, DEFAULT_CAPACITY)
                if cap is None:
                    cap = DEFAULT_CAPACITY
                if units > cap:
                    raise EngineError(
                        f"task {task.id!r} needs {units} unit(s) of {name!r}, but its capacity is {cap}: "
                        f"it can never be scheduled; raise the capacity or split the task"
                    )
                if name not in res_index:
                    res_index[name] = len(self.res_names)
                    self.res_names.append(name)
                use.append((res_index[name], units))
            self.dem[k] = tuple(use)
        self.caps = [capacities.get(name, DEFAULT_CAPACITY) or DEFAULT_CAPACITY for name in self.res_names]

        # links -> start-to-start minimum lags (keep the largest per pair)
        lag = {}
        self.link_of = {}
        self.pinned_in = []  # (i, j, delta) of links into a fixed start: checked, never enforced
        for link in links:
            if link.predecessor not in index:
                raise UnknownTaskError(f"link refers to unknown task {link.predecessor!r}")
            if link.successor not in index:
                raise UnknownTaskError(f"link refers to unknown task {link.successor!r}")
            if link.type not in LINK_TYPES:
                raise EngineError(f"unknown link type {link.type!r} (use one of {', '.join(LINK_TYPES)})")
            i, j = index[link.predecessor], index[link.successor]
            di, dj, lg = self.dur[i], self.dur[j], int(link.lag or 0)
            delta = {"FS": di + lg, "SS": lg, "FF": di - dj + lg, "SF": lg - dj}[link.type]
            if i == j:
                if delta > 0:
                    raise CycleError([link.predecessor])
                continue
            if self.pinned[j]:
                self.pinned_in.append((i, j, delta))
                continue
            if (i, j) not in lag or delta > lag[(i, j)]:
                lag[(i, j)] = delta
                self.link_of[(i, j)] = link
        self.preds = [[] for _ in range(n)]
        self.succs = [[] for _ in range(n)]
        for (i, j), d in lag.items():
            self.preds[j].append((i, d))
            self.succs[i].append((j, d))
        self.arcs = lag
        self.topo = self._topological_order()
        self.rank = [0] * n
        for r, k in enumerate(self.topo):
            self.rank[k] = r

        # CPM with the lags: early starts, tails (longest path from a start to any finish)
        es = list(self.release)
        for j in self.topo:
            t = es[j]
            for i, d in self.preds[j]:
                v = es[i] + d
                if v > t:
                    t = v
            es[j] = t
        self.es = es
        self.cpm = max((es[k] + self.dur[k] for k in range(n)), default=0)
        tail = list(self.dur)
        for i in reversed(self.topo):
            t = tail[i]
            for j, d in self.succs[i]:
                v = d + tail[j]
                if v > t:
                    t = v
            tail[i] = t
        self.tail = tail
        energy = 0
        for r, cap in enumerate(self.caps):
            work = sum(self.dur[k] * q for k in range(n) for rr, q in self.dem[k] if rr == r)
            energy = max(energy, -(-work // cap))
        self.lower_bound = max(self.cpm, energy)
        # mirrored network for backward passes: s'_j >= s'_k + delta + d_k - d_j
        self.mirror_preds = [[(j, d + self.dur[j] - self.dur[i]) for j, d in self.succs[i]] for i in range(n)]
        self.mirror_release = [0] * n
        self.sgs_calls = 0  # schedules generated so far (the heuristic's work counter)

    def _topological_order(self):
        n = self.n
        indeg = [len(p) for p in self.preds]
        queue = [k for k in range(n) if indeg[k] == 0]
        order = []
        while queue:
            k = queue.pop()
            order.append(k)
            for j, _ in self.succs[k]:
                indeg[j] -= 1
                if indeg[j] == 0:
                    queue.append(j)
        if len(order) < n:
            raise CycleError(self._find_cycle(set(range(n)) - set(order)))
        # stable: prefer input order among ready tasks
        return self.ordered_by([float(k) for k in range(n)])

    def _find_cycle(self, nodes):
        succ = {k: [j for j, _ in self.succs[k] if j in nodes] for k in nodes}
        state = {}
        for root in sorted(nodes):
            if root in state:
                continue
            stack = [(root, iter(succ[root]))]
            path = [root]
            state[root] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                elif state.get(nxt) == 1:
                    return [self.ids[k] for k in path[path.index(nxt):]]
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, iter(succ[nxt])))
        return [self.ids[k] for k in sorted(nodes)][:1]

    def ordered_by(self, key, mirror=False):
        """Topological order (of the mirrored network if ``mirror``) taking the smallest key first."""
        n = self.n
        preds = self.succs if mirror else self.preds
        succs = self.preds if mirror else self.succs
        indeg = [len(p) for p in preds]
        heap = [(key[k], k) for k in range(n) if indeg[k] == 0]
        heapq.heapify(heap)
        order = []
        push, pop = heapq.heappush, heapq.heappop
        while heap:
            _, k = pop(heap)
            order.append(k)
            for j, _ in succs[k]:
                indeg[j] -= 1
                if indeg[j] == 0:
                    push(heap, (key[j], j))
        return order


# --------------------------------------------------------------------------- serial SGS


def _sgs(p: _Problem, order, mirror=False):
    """Serial schedule generation: each task in ``order`` at its earliest feasible start."""
    preds = p.mirror_preds if mirror else p.preds
    release = p.mirror_release if mirror else p.release
    p.sgs_calls += 1
    dur, dem = p.dur, p.dem
    horizon = max(64, sum(dur) + max(p.release, default=0) + 1)
    free = [[cap] * horizon for cap in p.caps]
    start = [0] * p.n
    finish = 0
    for j in order:
        t = release[j]
        for i, d in preds[j]:
            v = start[i] + d
            if v > t:
                t = v
        dj = dur[j]
        use = dem[j]
        if use:
            while True:
                end = t + dj
                if end > horizon:
                    grow = max(horizon, end - horizon)
                    for r, fr in enumerate(free):
                        fr.extend([p.caps[r]] * grow)
                    horizon += grow
                for r, q in use:
                    fr = free[r]
                    if min(fr[t:end]) < q:
                        k = end - 1
                        while fr[k] >= q:
                            k -= 1
                        t = k + 1
                        break
                else:
                    break
            end = t + dj
            for r, q in use:
                fr = free[r]
                fr[t:end] = [x - q for x in fr[t:end]]
        start[j] = t
        if t + dj > finish:
            finish = t + dj
    return start, finish


def _unmirror(p: _Problem, mstart):
    """Backward schedule (mirrored time) → ordinary start times, anchored at 0."""
    total = max((mstart[k] + p.dur[k] for k in range(p.n)), default=0)
    return [total - mstart[k] - p.dur[k] for k in range(p.n)]


def _fbi(p: _Problem, start, finish, deadline=None, max_rounds=6):
    """Forward-backward improvement (double justification) until no gain."""
    dur = p.dur
    for _ in range(max_rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        # backward: right-justify, latest finishing first
        key = [-(start[k] + dur[k]) for k in range(p.n)]
        mstart, _ = _sgs(p, p.ordered_by(key, mirror=True), mirror=True)
        back = _unmirror(p, mstart)
        # forward: left-justify in the order of the backward starts
        new_start, new_finish = _sgs(p, p.ordered_by(back))
        if new_finish < finish:
            start, finish = new_start, new_finish
        else:
            if new_finish == finish:
                start = new_start
            break
    return start, finish


def _priority_keys(p: _Problem, rng: random.Random):
    """Classic priority rules as keys (smaller = earlier) plus a noisy copy of each."""
    n = p.n
    horizon = p.cpm
    lft = [horizon - p.tail[k] + p.dur[k] for k in range(n)]
    lst = [horizon - p.tail[k] for k in range(n)]
    # MTS: number of (transitive) successors, GRPW: own duration + successors' durations
    nsucc = [0] * n
    reach = [0] * n
    for i in reversed(p.topo):
        bits = 1 << i
        for j, _ in p.succs[i]:
            bits |= reach[j]
        reach[i] = bits
        nsucc[i] = bits.bit_count() - 1
    mts = [-nsucc[k] for k in range(n)]
    grpw = [-(p.dur[k] + sum(p.dur[j] for j, _ in p.succs[k])) for k in range(n)]
    keys = [lft, lst, mts, grpw]
    return keys, lft


def _heuristic(p: _Problem, deadline: float, rng: random.Random, max_schedules=None):
    """Priority-rule SGS + FBI, then iterated perturbation of the best start order.

    Stops at ``deadline`` (perf_counter) or after about ``max_schedules`` SGS
    decodings (``p.sgs_calls``; a reproducible, load-independent budget)."""
    best_start, best_finish = None, None
    lb = p.lower_bound

    def consider(start, finish):
        nonlocal best_start, best_finish
        if best_finish is None or finish < best_finish:
            best_start, best_finish = start, finish
            return True
        return False

    keys, lft = _priority_keys(p, rng)
    # one deterministic pass per rule (ties broken by LFT), each improved by FBI
    for key in keys:
        composite = [(key[k], lft[k]) for k in range(p.n)]
        s, f = _sgs(p, p.ordered_by(composite))
        consider(*_fbi(p, s, f, deadline))
        if best_finish <= lb or time.perf_counter() > deadline:
            return best_start, best_finish
    if p.n < 3 or not p.caps:
        return best_start, best_finish
    if max_schedules is None:
        max_schedules = float("inf")

    # iterated FBI over a small elite: one-point crossover of two elite start
    # orders (Hartmann's activity-list crossover), Gaussian perturbation of an
    # elite schedule's starts, or LFT biased random sampling; every child is
    # decoded by the serial SGS and justified (FBI).
    elite = [(best_finish, best_start)]
    spread = max(1.0, p.cpm / 12.0)
    n = p.n
    stall, stall_limit = 0, max(200, 50 * n)
    while (time.perf_counter() < deadline and best_finish > lb and stall < stall_limit
           and p.sgs_calls < max_schedules):
        stall += 1
        roll = rng.random()
        if roll < 0.15:
            key = [lft[k] + rng.random() * spread * 2 for k in range(n)]
        elif roll < 0.15 + CROSS and len(elite) >= 2:
            a, b = rng.sample(range(len(elite)), 2)
            sa, sb = elite[a][1], elite[b][1]
            cut = rng.randrange(1, n)
            order_a = sorted(range(n), key=lambda k: (sa[k], p.rank[k]))
            key = [0.0] * n
            first = set(order_a[:cut])
            for pos, k in enumerate(order_a[:cut]):
                key[k] = pos
            rest = sorted((k for k in range(n) if k not in first), key=lambda k: (sb[k], p.rank[k]))
            for pos, k in enumerate(rest):
                key[k] = cut + pos
            noise = rng.choice((0.0, 0.5, 1.0))
            if noise:
                key = [key[k] + rng.gauss(0.0, noise) for k in range(n)]
        else:
            base = elite[rng.randrange(len(elite))][1] if rng.random() < 0.3 else best_start
            sigma = spread * rng.choice((0.25, 0.5, 1.0))
            key = [base[k] + rng.gauss(0.0, sigma) for k in range(n)]
        s, f = _sgs(p, p.ordered_by(key))
        s, f = _fbi(p, s, f, deadline)
        if consider(s, f):
            stall = 0
        if len(elite) < ELITE:
            elite.append((f, s))
            elite.sort(key=lambda e: e[0])
        elif f <= elite[-1][0] and all(s != e[1] for e in elite):
            elite[-1] = (f, s)
            elite.sort(key=lambda e: e[0])
    return best_start, best_finish


# --------------------------------------------------------------------------- CP-SAT


def _disjunctive_cliques(p: _Problem):
    """Groups of tasks of which no two can ever run at the same time.

    Two tasks are incompatible when together they need more than the capacity
    of some resource they share (demand_i + demand_j > capacity): in every
    feasible schedule one of them finishes before the other starts. A greedy
    clique cover of that incompatibility graph (each uncovered pair grown into a
    maximal clique) gives redundant ``AddNoOverlap`` constraints for CP-SAT,
    whose disjunctive propagation (edge finding, detectable precedences) is
    stronger than what the cumulative constraints infer from the same pairs; on
    PSPLIB j30 it mainly lets CP-SAT prove optimality (and stop) earlier. Every
    pair is covered; the cliques never cut off a feasible schedule.
    """
    tasks = [k for k in range(p.n) if p.dem[k] and p.dur[k] > 0]
    need = {k: dict(p.dem[k]) for k in tasks}
    # resources where some pair can clash (two demands above the capacity)
    adj = {k: set() for k in tasks}
    for r, cap in enumerate(p.caps):
        users = sorted((need[k][r], k) for k in tasks if r in need[k])
        if len(users) < 2 or users[-1][0] + users[-2][0] <= cap:
            continue
        for a in range(len(users)):
            qa, ka = users[a]
            for b in range(a + 1, len(users)):
                qb, kb = users[b]
                if qa + qb > cap:
                    adj[ka].add(kb)
                    adj[kb].add(ka)
    bits = {k: sum(1 << j for j in adj[k]) for k in tasks}
    covered = {k: 0 for k in tasks}  # bitmask of partners already sharing a clique with k
    cliques = []
    for k in sorted(tasks, key=lambda k: (-len(adj[k]), k)):
        todo = bits[k] & ~covered[k]
        while todo:
            j = (todo & -todo).bit_length() - 1
            clique = [k, j]
            cand = bits[k] & bits[j]
            while cand:
                best, best_deg, rest = -1, -1, cand
                while rest:
                    x = (rest & -rest).bit_length() - 1
                    rest &= rest - 1
                    deg = (bits[x] & cand).bit_count()
                    if deg > best_deg:
                        best, best_deg = x, deg
                clique.append(best)
                cand &= bits[best]
            mask = sum(1 << x for x in clique)
            for x in clique:
                covered[x] |= mask
            todo &= ~mask
            cliques.append(sorted(clique))
    return cliques


def _cpsat(p: _Problem, hint_start, hint_finish, time_limit, workers, seed, *,
           disjunctive=None, deterministic_time=None, params=None, on_solver=None):
    """Minimise the makespan with CP-SAT; returns (starts, finish, optimal) or None.

    Model: one fixed-size interval per task that uses a resource, ``AddCumulative``
    per resource (only where the demands can exceed the capacity), the lags as
    linear precedences, start domains [CPM early start, hint makespan - tail],
    makespan >= start + tail for every task, the makespan bounded below by the
    CPM/energy bound, the heuristic schedule as a full hint and, with
    ``disjunctive`` (default: the module switch ``DISJUNCTIVE``), redundant
    ``AddNoOverlap`` over cliques of incompatible tasks (:func:`_disjunctive_cliques`).
    ``deterministic_time`` and ``params`` (default ``CPSAT_PARAMS``) are for
    reproducible experiments (see bench/psplib_bench.py). ``on_solver`` receives the solver
    before the search (to stop it from another thread).
    """
    if disjunctive is None:
        # the cliques pay off where CP-SAT can prove optimality (small plans); on
        # large ones they slowed the search per deterministic second
        disjunctive = DISJUNCTIVE and p.n <= SMALL
    if params is None:
        params = CPSAT_PARAMS
    try:
        from ortools.sat.python import cp_model
    except ImportError:  # pragma: no cover - exercised only without ortools
        return None
    if time_limit <= 0.01:
        return None
    ub = hint_finish
    lb = p.lower_bound
    model = cp_model.CpModel()
    starts = []
    for k in range(p.n):
        hi = ub - p.tail[k]
        lo = p.es[k]
        if hi < lo:  # cannot happen with a feasible hint; be defensive
            hi = lo
        starts.append(model.NewIntVar(lo, hi, f"s{k}"))
    for (i, j), d in p.arcs.items():
        model.Add(starts[j] >= starts[i] + d)
    per_res = [([], []) for _ in p.caps]
    intervals = {}
    for k in range(p.n):
        if p.dem[k]:
            iv = intervals[k] = model.NewFixedSizeIntervalVar(starts[k], p.dur[k], f"i{k}")
            for r, q in p.dem[k]:
                per_res[r][0].append(iv)
                per_res[r][1].append(q)
    for r, (ivs, qs) in enumerate(per_res):
        if sum(qs) > p.caps[r]:
            model.AddCumulative(ivs, qs, p.caps[r])
    if disjunctive:
        for clique in _disjunctive_cliques(p):
            model.AddNoOverlap([intervals[k] for k in clique])
    makespan = model.NewIntVar(lb, ub, "makespan")
    for k in range(p.n):  # tail >= duration: also covers the task's own finish
        model.Add(makespan >= starts[k] + p.tail[k])
    model.Minimize(makespan)
    if p.n <= SMALL:
        # set-times style search for the "fixed" worker (see _tune)
        model.AddDecisionStrategy(starts, cp_model.CHOOSE_LOWEST_MIN, cp_model.SELECT_MIN_VALUE)
    for k in range(p.n):
        model.AddHint(starts[k], hint_start[k])
    model.AddHint(makespan, hint_finish)

    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = float(time_limit)
    if deterministic_time is not None:
        prm.max_deterministic_time = float(deterministic_time)
    prm.num_workers = max(1, int(workers))
    prm.random_seed = int(seed)
    prm.log_search_progress = False
    _tune(prm, p)
    for name, value in params.items():
        if isinstance(value, (list, tuple)):  # repeated fields, e.g. subsolvers: replaced
            field = getattr(prm, name)
            field.clear()
            field.extend(value)
        else:
            setattr(prm, name, value)
    if on_solver is not None:
        on_solver(solver)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = [solver.Value(v) for v in starts]
    finish = max((values[k] + p.dur[k] for k in range(p.n)), default=0)
    return values, finish, status == cp_model.OPTIMAL


def _tune(prm, p):
    """Solver parameters (measured on PSPLIB with a fixed seed and CP-SAT's
    deterministic clock, see docs/performance.md).

    ``linearization_level = 0``: no LP relaxation. On makespan RCPSP the LP
    bound is weak and costly; without it the search visits far more nodes per
    CPU second: on the 20 hardest j30 instances (1 worker, deterministic time
    0.25) 13/20 optima instead of 7/20, mean deviation 0.56 % instead of 2.00 %;
    on hard j120 instances it was better per deterministic second and equal at
    equal wall time.
    """
    prm.linearization_level = 0
    if p.n <= SMALL and prm.num_workers >= 2:
        # small plans: one worker searches "set times" style (earliest start
        # first, the model's decision strategy) beside the default no-LP
        # search. On the 60 hardest j30 instances (1 s, 2 workers, seeds 1-3)
        # 56-58/60 optima instead of 51-53/60.
        prm.subsolvers.extend(["no_lp", "fixed"])


# --------------------------------------------------------------------------- checks, left shift, explanations


def _profiles(p: _Problem, start, horizon):
    used = [[0] * (horizon + 1) for _ in p.caps]
    for k in range(p.n):
        s, d = start[k], p.dur[k]
        for r, q in p.dem[k]:
            u = used[r]
            for t in range(s, s + d):
                u[t] += q
    return used


def _feasible(p: _Problem, start):
    for k in range(p.n):
        if start[k] < p.release[k]:
            return False
        for i, d in p.preds[k]:
            if start[k] < start[i] + d:
                return False
    horizon = max((start[k] + p.dur[k] for k in range(p.n)), default=0)
    used = _profiles(p, start, horizon)
    return all(max(u) <= cap for u, cap in zip(used, p.caps))


def _fits(p, used, k, t, own_start):
    """Would task k fit at t, with the others where they are (k's own usage at own_start removed)?"""
    d = p.dur[k]
    for r, q in p.dem[k]:
        u, cap = used[r], p.caps[r]
        for x in range(t, t + d):
            load = u[x] if x < len(u) else 0
            if own_start <= x < own_start + d:
                load -= q
            if load + q > cap:
                return False
    return True


def _left_shift(p: _Problem, start):
    """Move single tasks left while links and capacities allow (never lengthens the plan)."""
    start = list(start)
    horizon = max((start[k] + p.dur[k] for k in range(p.n)), default=0)
    used = _profiles(p, start, horizon)
    changed = True
    while changed:
        changed = False
        for k in sorted(range(p.n), key=lambda k: (start[k], p.rank[k])):
            lo = p.release[k]
            for i, d in p.preds[k]:
                lo = max(lo, start[i] + d)
            s = start[k]
            if lo >= s:
                continue
            for t in range(lo, s):
                if _fits(p, used, k, t, s):
                    d = p.dur[k]
                    for r, q in p.dem[k]:
                        u = used[r]
                        for x in range(s, s + d):
                            u[x] -= q
                        for x in range(t, t + d):
                            u[x] += q
                    start[k] = t
                    changed = True
                    break
    return start


def _ranges(periods):
    out = []
    for x in sorted(periods):
        if out and x == out[-1][1] + 1:
            out[-1][1] = x
        else:
            out.append([x, x])
    return [tuple(r) for r in out]


def _fmt_ranges(ranges):
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in ranges)


def _explain(p: _Problem, start):
    horizon = max((start[k] + p.dur[k] for k in range(p.n)), default=0)
    used = _profiles(p, start, horizon)
    holders_cache = {}

    def holders(r):
        if r not in holders_cache:
            h = [[] for _ in range(horizon + 1)]
            for k in range(p.n):
                for rr, q in p.dem[k]:
                    if rr == r:
                        for x in range(start[k], start[k] + p.dur[k]):
                            h[x].append(k)
            holders_cache[r] = h
        return holders_cache[r]

    delays = {}
    for k in range(p.n):
        s, es = start[k], p.es[k]
        if s <= es:
            continue
        lo = p.release[k]
        binding = []
        for i, d in p.preds[k]:
            v = start[i] + d
            if v > lo:
                lo, binding = v, [i]
            elif v == lo and v > p.release[k]:
                binding.append(i)
        lo = min(lo, s)
        delayed_preds = [i for i in binding if lo > es]
        full = {}  # r -> set of periods
        blockers = {}  # r -> set of tasks
        d = p.dur[k]
        for t in range(lo, s):
            for x in range(t, t + d):
                hit = None
                for r, q in p.dem[k]:
                    load = used[r][x] if x < len(used[r]) else 0
                    if s <= x < s + d:
                        load -= q
                    if load + q > p.caps[r]:
                        hit = r
                        break
                if hit is not None:
                    full.setdefault(hit, set()).add(x)
                    blockers.setdefault(hit, set()).update(j for j in holders(hit)[x] if j != k)
                    break
        res_order = sorted(full, key=lambda r: p.res_names[r])
        name = p.ids[k]
        parts = [f"task {name!r} starts at period {s} instead of {es} ({s - es} period(s) later)"]
        if delayed_preds:
            preds_txt = ", ".join(repr(p.ids[i]) for i in delayed_preds)
            parts.append(f"{lo - es} period(s) because predecessor {preds_txt} was itself delayed")
        for r in res_order:
            who = ", ".join(repr(p.ids[j]) for j in sorted(blockers[r], key=lambda j: (start[j], p.rank[j])))
            parts.append(
                f"{p.res_names[r]!r} was fully booked (capacity {p.caps[r]}) in period(s) "
                f"{_fmt_ranges(_ranges(full[r]))} by {who}"
            )
        delays[name] = Delay(
            task=name,
            early_start=es,
            start=s,
            periods=s - es,
            resource_wait=s - lo,
            resources=[p.res_names[r] for r in res_order],
            blockers={
                p.res_names[r]: [p.ids[j] for j in sorted(blockers[r], key=lambda j: (start[j], p.rank[j]))]
                for r in res_order
            },
            full_periods={p.res_names[r]: _ranges(full[r]) for r in res_order},
            predecessors=[p.ids[i] for i in delayed_preds],
            message="; ".join(parts),
        )
    return delays


# --------------------------------------------------------------------------- entry point


def lower_bound(tasks, links, capacities) -> int:
    """max(critical path with lags, per-resource energy bound)."""
    return _Problem(tasks, links, capacities).lower_bound


def level(
    tasks,
    links,
    capacities=None,
    *,
    time_limit_s: float = 5.0,
    workers: int = 2,
    seed: int = 0,
    use_cpsat: bool = True,
    heuristic_share: float | None = None,
    explain: bool = True,
) -> LevelResult:
    """Level ``tasks`` against ``capacities`` (resource name → units; missing → 1).

    ``time_limit_s`` is the wall time for the whole call. ``heuristic_share`` is
    the part of it given to the heuristic seed when CP-SAT follows (default:
    see ``_default_share``).
    """
    t0 = time.perf_counter()
    tasks = list(tasks)
    p = _Problem(tasks, list(links), capacities)
    if p.n == 0:
        return LevelResult({}, 0, "heuristic", {}, 0, 0, 0.0)
    rng = random.Random(seed)
    end_time = t0 + max(0.0, time_limit_s)
    if (GENETIC and use_cpsat and workers >= 2 and p.caps and p.n <= GENETIC_MAX_TASKS
            and heuristic_share is None and HEURISTIC_MAX_SCHEDULES is None and genetic.available()):
        start, finish, h_finish, method = _genetic_beside_cpsat(p, end_time - _reserve(p), rng, seed)
        return _result(p, start, finish, method, h_finish, explain, t0)
    max_schedules = HEURISTIC_MAX_SCHEDULES
    if use_cpsat:
        share = _default_share(p) if heuristic_share is None else heuristic_share
        h_deadline = t0 + max(0.0, time_limit_s) * share
        if heuristic_share is None and max_schedules is None and p.n <= SMALL:
            # small plans: a few hundred justified schedules make a good hint, then
            # CP-SAT gets the rest of the time (on an idle machine: ~95 %)
            max_schedules = SMALL_SCHEDULES
    else:
        h_deadline = end_time
    beside = None
    if use_cpsat and workers >= 2 and p.n > SMALL and p.caps and heuristic_share is None and max_schedules is None:
        # The heuristic is single-threaded Python: while it runs, the second core searches with
        # CP-SAT from the priority-rule schedule (its solver releases the GIL).
        seed_start, seed_finish = _heuristic(p, h_deadline, rng, max_schedules=0)
        if seed_finish > p.lower_bound:
            beside = _Background(p, seed_start, seed_finish, h_deadline - time.perf_counter(), seed)
    start, finish = _heuristic(p, h_deadline, rng, max_schedules=max_schedules)
    if beside is not None:
        beside.stop()  # the heuristic may have ended early (at the lower bound)
        found = beside.result()
        if found is not None and found[1] < finish and _feasible(p, found[0]):
            start, finish = found[0], found[1]
    h_finish = finish
    method = "heuristic"
    if use_cpsat and finish > p.lower_bound and p.caps:
        remaining = end_time - time.perf_counter() - _reserve(p)
        found = _cpsat(p, start, finish, remaining, workers, seed)
        if found is not None:
            c_start, c_finish, optimal = found
            if c_finish <= finish and _feasible(p, c_start):
                start, finish = c_start, c_finish
                method = "cp-sat-optimal" if optimal or finish <= p.lower_bound else "cp-sat"
    return _result(p, start, finish, method, h_finish, explain, t0)


def _genetic_beside_cpsat(p: _Problem, deadline, rng, seed):
    """The compiled genetic search on one core, CP-SAT (one worker, from the
    priority-rule schedule) on the other, until ``deadline``, the lower bound, or
    CP-SAT's proof of optimality; the shorter schedule wins.

    They find different schedules: on the 60 hardest PSPLIB j30 instances the
    genetic search alone reaches 57/60 optima in 0.5 s of one core and CP-SAT
    with both cores 56-58/60 in 1 s; side by side 59-60/60 (docs/performance.md).
    """
    start, finish = _heuristic(p, deadline, rng, max_schedules=0)  # priority rules + FBI
    h_finish = finish
    if finish <= p.lower_bound:
        return start, finish, h_finish, "heuristic"
    search = genetic.GeneticSearch(p, seed)
    search.start()
    search.seed_with(start)
    beside = _Background(p, start, finish, deadline - time.perf_counter(), seed)
    g_start, g_finish = search.run(deadline, should_stop=beside.proved_optimal)
    beside.stop()
    found = beside.result()
    method = "heuristic"
    if g_finish < finish:
        start, finish, method = g_start, g_finish, "genetic"
    if found is not None and _feasible(p, found[0]):
        c_start, c_finish, optimal = found
        if c_finish < finish or (c_finish == finish and optimal):
            start, finish = c_start, c_finish
            method = "cp-sat-optimal" if optimal or finish <= p.lower_bound else "cp-sat"
    return start, finish, h_finish, method


def _fixed_conflicts(p: _Problem, start):
    driven = {}
    for i, j, d in p.pinned_in:
        v = start[i] + d
        if v > start[j]:
            best = driven.get(j)
            if best is None or v > best[0]:
                driven[j] = (v, [i])
            elif v == best[0]:
                best[1].append(i)
    conflicts = []
    for j, (v, preds) in driven.items():
        late = v - start[j]
        names = ", ".join(repr(p.ids[i]) for i in preds)
        conflicts.append(FixedStartConflict(
            p.ids[j], start[j], v, tuple(p.ids[i] for i in preds),
            f"Task {p.ids[j]!r} must start on period {start[j]}, but {names} as levelled would start it "
            f"{late} period(s) later."))
    conflicts.sort(key=lambda c: (c.fixed_start - c.driven_start, str(c.task_id)))
    return conflicts


def _result(p, start, finish, method, h_finish, explain, t0):
    if any(p.pinned):
        # A pinned task has no predecessors and holds no capacity: back at its fixed start, it only
        # loosens its successors' links (a search may have left it later, at no cost to the makespan).
        start = [p.release[k] if p.pinned[k] else s for k, s in enumerate(start)]
        finish = max((start[k] + p.dur[k] for k in range(p.n)), default=0)
    if explain:
        start = _left_shift(p, start)
        finish = max((start[k] + p.dur[k] for k in range(p.n)), default=0)
        delays = _explain(p, start)
    else:
        delays = {}
    return LevelResult(
        starts={p.ids[k]: start[k] for k in range(p.n)},
        finish=finish,
        method=method,
        delays=delays,
        lower_bound=p.lower_bound,
        heuristic_finish=h_finish,
        seconds=time.perf_counter() - t0,
        conflicts=_fixed_conflicts(p, start) if p.pinned_in else [],
    )


class _Background:
    """CP-SAT with one worker in a thread, from a given schedule, for ``seconds``."""

    def __init__(self, p, hint_start, hint_finish, seconds, seed):
        self._found = None
        self._lock = threading.Lock()
        self._solver = None
        self._stopped = False
        self._thread = threading.Thread(
            target=self._run, args=(p, hint_start, hint_finish, seconds, seed), daemon=True)
        self._thread.start()

    def _run(self, p, hint_start, hint_finish, seconds, seed):
        try:
            self._found = _cpsat(p, hint_start, hint_finish, seconds, 1, seed, on_solver=self._started)
        except Exception:  # noqa: BLE001 - a failed side search must not fail the levelling
            self._found = None

    def _started(self, solver):
        with self._lock:
            self._solver = solver
            if self._stopped:
                solver.StopSearch()

    def stop(self):
        """End the search now (its best schedule so far is kept)."""
        with self._lock:
            self._stopped = True
            if self._solver is not None:
                self._solver.StopSearch()

    def proved_optimal(self):
        """True once the search has ended with a proof (not on a failure or a stop)."""
        return not self._thread.is_alive() and self._found is not None and self._found[2]

    def result(self):
        self._thread.join()
        return self._found


def _default_share(p: _Problem) -> float:
    """Heuristic part of the budget. CP-SAT is the stronger tool on small plans
    (PSPLIB j30: 10 %, and at most ``SMALL_SCHEDULES`` schedules). On large ones
    (j120) the justified heuristic improves the makespan about three times more
    per CPU second than CP-SAT on a shared 2-core machine (hard j120 instances:
    500 -> 2000 schedules -1.8 points for 1.3 CPU s; CP-SAT 3 s with 2 workers
    from the same seed -0.7 points for 1.7 CPU s), so it gets 80 %; the short
    CP-SAT phase still closes small gaps and proves bounds on the easier ones."""
    return 0.1 if p.n <= SMALL else 0.8


def _reserve(p: _Problem) -> float:
    """Time kept back for the left shift and the explanations after CP-SAT."""
    return 0.02 + 2e-5 * p.n
