"""Compiled genetic search for the resource levelling (numba).

The pure-Python heuristic in :mod:`levelling` decodes about 5,000 schedules per
second; the literature's best RCPSP metaheuristics need tens of thousands per
instance to reach the PSPLIB j30 optima. Compiled with numba the same work runs
about a hundred times faster, so it fits beside CP-SAT inside the time limit.

Method (Hartmann's activity-list GA with justification, Valls et al. 2005):
an individual is a precedence-feasible task order, decoded by the serial
schedule generation scheme (each task at its earliest feasible start); every
decoded schedule is improved by forward-backward improvement and written back
as the order of its start times (Lamarckian). Children come from a two-point
order crossover of two tournament-selected parents and an adjacent-swap
mutation that never swaps linked tasks. The population keeps the best distinct
schedules; after a number of generations without a better makespan, all but the
best few are replaced by fresh LFT-biased random schedules.

Plain numpy + numba, no Django. Without numba, :func:`available` is False and
the levelling keeps its pure-Python heuristic.
"""
from __future__ import annotations

import time

try:
    import numpy as np
    from numba import njit
except ImportError:  # pragma: no cover - exercised only without numba
    np = None
    njit = None

__all__ = ["available", "warm_up", "GeneticSearch"]


def available() -> bool:
    return njit is not None


def warm_up():
    """Compile the search into numba's on-disk cache (``make run``/``make test``
    and the Docker build call it), so a levelling run never pays the ~10 s
    compilation inside its time limit; with the cache a new process loads it in
    about 0.2 s."""
    if not available():
        return False
    # levelling.py imports this module (the genetic search is one of its solvers).
    from .levelling import _Problem
    from .model import Link, Task

    tasks = [Task(k, 1 + k % 3, {"r": 1}) for k in range(4)]
    search = GeneticSearch(_Problem(tasks, [Link(0, 2), Link(1, 3, "SS", 1)], {"r": 1}), seed=0)
    search.start()
    search.target = -1  # never reached: run a few generations
    search.run(time.perf_counter() + 0.05)
    return True


if njit is not None:

    @njit(cache=True, nogil=True)
    def _seed(seed):
        np.random.seed(seed)

    @njit(cache=True, nogil=True)
    def _sgs(order, dur, rel, pptr, pidx, plag, uptr, ur, uq, caps, free, start):
        """Serial SGS of ``order``; ``free`` (resources x horizon, all at capacity on
        entry) is restored before returning. Returns the makespan."""
        n = order.shape[0]
        finish = 0
        for pos in range(n):
            j = order[pos]
            t = rel[j]
            for e in range(pptr[j], pptr[j + 1]):
                v = start[pidx[e]] + plag[e]
                if v > t:
                    t = v
            d = dur[j]
            if d > 0 and uptr[j + 1] > uptr[j]:
                moved = True
                while moved:
                    moved = False
                    for e in range(uptr[j], uptr[j + 1]):
                        r = ur[e]
                        q = uq[e]
                        u = t + d - 1
                        while u >= t:
                            if free[r, u] < q:
                                break
                            u -= 1
                        if u >= t:  # a conflict at period u: start after it
                            t = u + 1
                            moved = True
                            break
                for e in range(uptr[j], uptr[j + 1]):
                    r = ur[e]
                    q = uq[e]
                    for u in range(t, t + d):
                        free[r, u] -= q
            start[j] = t
            if t + d > finish:
                finish = t + d
        for r in range(caps.shape[0]):
            c = caps[r]
            for u in range(finish):
                free[r, u] = c
        return finish

    @njit(cache=True, nogil=True)
    def _push(heap_key, heap_idx, size, key, idx):
        """Binary min-heap on (key, index); returns the new size."""
        i = size
        while i > 0:
            parent = (i - 1) >> 1
            if heap_key[parent] < key or (heap_key[parent] == key and heap_idx[parent] < idx):
                break
            heap_key[i] = heap_key[parent]
            heap_idx[i] = heap_idx[parent]
            i = parent
        heap_key[i] = key
        heap_idx[i] = idx
        return size + 1

    @njit(cache=True, nogil=True)
    def _order_by(key, indeg0, sptr, sidx, order, indeg, heap_key, heap_idx):
        """Topological order of the graph (successors ``sptr``/``sidx``) taking the
        smallest ``key`` first among the ready tasks (a binary heap)."""
        n = key.shape[0]
        size = 0
        for k in range(n):
            indeg[k] = indeg0[k]
        for k in range(n):
            if indeg[k] == 0:
                size = _push(heap_key, heap_idx, size, key[k], k)
        pos = 0
        while size > 0:
            k = heap_idx[0]
            order[pos] = k
            pos += 1
            size -= 1
            # pop: move the last element down from the root
            lk = heap_key[size]
            li = heap_idx[size]
            i = 0
            while True:
                c = 2 * i + 1
                if c >= size:
                    break
                if c + 1 < size and (heap_key[c + 1] < heap_key[c]
                                     or (heap_key[c + 1] == heap_key[c] and heap_idx[c + 1] < heap_idx[c])):
                    c += 1
                if lk < heap_key[c] or (lk == heap_key[c] and li < heap_idx[c]):
                    break
                heap_key[i] = heap_key[c]
                heap_idx[i] = heap_idx[c]
                i = c
            heap_key[i] = lk
            heap_idx[i] = li
            for e in range(sptr[k], sptr[k + 1]):
                j = sidx[e]
                indeg[j] -= 1
                if indeg[j] == 0:
                    size = _push(heap_key, heap_idx, size, key[j], j)

    @njit(cache=True, nogil=True)
    def _decode(order, g, w):
        """Decode ``order`` and justify it (forward-backward improvement); the
        schedule is left in ``w.start`` and the order is overwritten with the
        order of its start times. Returns the makespan."""
        (dur, rel, mrel, pptr, pidx, plag, mpptr, mpidx, mplag, sptr, sidx, msptr, msidx,
         indeg0, mindeg0, uptr, ur, uq, caps) = g
        (free, start, mstart, trial, key, work_order, indeg, heap_key, heap_idx) = w
        n = order.shape[0]
        finish = _sgs(order, dur, rel, pptr, pidx, plag, uptr, ur, uq, caps, free, start)
        for _ in range(4):
            # backward: right-justify, the latest finishing first (the mirrored network)
            for k in range(n):
                key[k] = -(start[k] + dur[k])
            _order_by(key, mindeg0, msptr, msidx, work_order, indeg, heap_key, heap_idx)
            mfinish = _sgs(work_order, dur, mrel, mpptr, mpidx, mplag, uptr, ur, uq, caps, free, mstart)
            # forward: left-justify in the order of the backward starts
            for k in range(n):
                key[k] = mfinish - mstart[k] - dur[k]
            _order_by(key, indeg0, sptr, sidx, work_order, indeg, heap_key, heap_idx)
            new_finish = _sgs(work_order, dur, rel, pptr, pidx, plag, uptr, ur, uq, caps, free, trial)
            if new_finish <= finish:
                improved = new_finish < finish
                finish = new_finish
                for k in range(n):
                    start[k] = trial[k]
                if not improved:
                    break
            else:
                break
        for k in range(n):
            key[k] = start[k]
        _order_by(key, indeg0, sptr, sidx, order, indeg, heap_key, heap_idx)
        return finish

    @njit(cache=True, nogil=True)
    def _fingerprint(start):
        h = np.uint64(1469598103934665603)
        for k in range(start.shape[0]):
            h = (h ^ np.uint64(start[k] + 1)) * np.uint64(1099511628211)
        return h

    @njit(cache=True, nogil=True)
    def _random_order(lft, spread, g, w, out):
        n = lft.shape[0]
        key = w[4]
        for k in range(n):
            key[k] = lft[k] + np.random.random() * spread
        _order_by(key, g[13], g[9], g[10], out, w[6], w[7], w[8])

    @njit(cache=True, nogil=True)
    def _evaluate(orders, fit, marks, starts, i, g, w):
        """Decode and justify row ``i``; store its makespan, schedule and fingerprint."""
        fit[i] = _decode(orders[i], g, w)
        starts[i, :] = w[1]
        marks[i] = _fingerprint(w[1])

    @njit(cache=True, nogil=True)
    def _fill(pop, fit, marks, starts, first, lft, spread, g, w):
        """Fresh LFT-biased random individuals in rows ``first``.. of the population."""
        for i in range(first, pop.shape[0]):
            _random_order(lft, spread * (0.5 + 2.0 * np.random.random()), g, w, pop[i])
            _evaluate(pop, fit, marks, starts, i, g, w)

    @njit(cache=True, nogil=True)
    def _take(parent, child, used, pos, until):
        """Append the parent's tasks not in the child yet, in order, until ``until``."""
        i = 0
        while pos < until:
            k = parent[i]
            i += 1
            if not used[k]:
                child[pos] = k
                used[k] = True
                pos += 1
        return pos

    @njit(cache=True, nogil=True)
    def _evolve(pop, fit, marks, starts, children, cfit, cmarks, cstarts, generations, target,
                stall, restart_after, keep, lft, spread, mutation, g, w):
        """Run up to ``generations`` generations; stops early at ``target``.
        Returns the generations without improvement so far (``stall``)."""
        size, n = pop.shape
        sptr, sidx = g[9], g[10]
        used = np.zeros(n, np.bool_)
        for _ in range(generations):
            best = fit.min()
            if best <= target:
                return stall
            for c in range(size):
                # two binary tournaments
                a = np.random.randint(size)
                b = np.random.randint(size)
                mother = a if fit[a] <= fit[b] else b
                a = np.random.randint(size)
                b = np.random.randint(size)
                father = a if fit[a] <= fit[b] else b
                child = children[c]
                q1 = np.random.randint(n + 1)
                q2 = np.random.randint(n + 1)
                if q1 > q2:
                    q1, q2 = q2, q1
                # two-point order crossover: the mother's first q1 tasks, the father's
                # next ones up to q2, the mother's rest, each in its parent's order
                used[:] = False
                pos = _take(pop[mother], child, used, 0, q1)
                pos = _take(pop[father], child, used, pos, q2)
                _take(pop[mother], child, used, pos, n)
                for i in range(n - 1):
                    if np.random.random() < mutation:
                        a = child[i]
                        b = child[i + 1]
                        linked = False
                        for e in range(sptr[a], sptr[a + 1]):
                            if sidx[e] == b:
                                linked = True
                                break
                        if not linked:
                            child[i] = b
                            child[i + 1] = a
                _evaluate(children, cfit, cmarks, cstarts, c, g, w)
            # survivors: the best distinct schedules of parents and children
            all_fit = np.concatenate((fit, cfit))
            rank = np.argsort(all_fit, kind="mergesort")
            new_pop = np.empty_like(pop)
            new_fit = np.empty_like(fit)
            new_marks = np.empty_like(marks)
            new_starts = np.empty_like(starts)
            taken = 0
            for pass_ in range(2):
                for idx in rank:
                    if taken == size:
                        break
                    if idx < size:
                        m = marks[idx]
                    else:
                        m = cmarks[idx - size]
                    dup = False
                    for t in range(taken):
                        if new_marks[t] == m:
                            dup = True
                            break
                    if dup != (pass_ == 1):
                        continue
                    if idx < size:
                        new_pop[taken] = pop[idx]
                        new_fit[taken] = fit[idx]
                        new_starts[taken] = starts[idx]
                    else:
                        new_pop[taken] = children[idx - size]
                        new_fit[taken] = cfit[idx - size]
                        new_starts[taken] = cstarts[idx - size]
                    new_marks[taken] = m
                    taken += 1
            pop[:] = new_pop
            fit[:] = new_fit
            marks[:] = new_marks
            starts[:] = new_starts
            if fit[0] < best:
                stall = 0
            else:
                stall += 1
                if stall >= restart_after:
                    _fill(pop, fit, marks, starts, keep, lft, spread, g, w)
                    stall = 0
        return stall


class GeneticSearch:
    """The compiled search for one problem (a ``levelling._Problem``)."""

    # Measured on the 60 hardest PSPLIB j30 instances, 0.5 s of one core each
    # (docs/performance.md): diversity decides. 100 individuals, restarts after 30
    # generations without a better makespan, fresh orders from LFT plus uniform
    # noise scaled by the critical path length (NOISE; each order draws a factor
    # of 0.5-2.5 of it): 57/60 optima; 40 individuals and a sixth of that noise:
    # 44/60; no restarts: 31/60.
    POPULATION = 100
    RESTART_AFTER = 30
    KEEP_ON_RESTART = 4
    NOISE = 1.0  # of the critical path length

    def __init__(self, p, seed=0, population=None):
        n = p.n
        i32 = np.int32

        def csr(lists):
            ptr = np.zeros(n + 1, i32)
            for k in range(n):
                ptr[k + 1] = ptr[k] + len(lists[k])
            idx = np.zeros(max(1, ptr[n]), i32)
            val = np.zeros(max(1, ptr[n]), i32)
            e = 0
            for k in range(n):
                for j, d in lists[k]:
                    idx[e] = j
                    val[e] = d
                    e += 1
            return ptr, idx, val

        pptr, pidx, plag = csr(p.preds)
        mpptr, mpidx, mplag = csr(p.mirror_preds)
        sptr, sidx, _ = csr(p.succs)
        # successors in the mirrored network are the original predecessors
        msptr, msidx, _ = csr([[(i, 0) for i, _ in p.preds[k]] for k in range(n)])
        indeg0 = np.array([len(x) for x in p.preds], i32)
        mindeg0 = np.array([len(x) for x in p.succs], i32)
        uptr, ur, uq = csr([list(d) for d in p.dem])
        caps = np.array(p.caps or [1], i32)
        # a task the SGS places starts no later than its release, or the makespan so
        # far plus its largest positive incoming lag: this sum bounds every makespan
        def bound(preds):
            return sum(p.dur) + sum(max([0] + [d for _, d in preds[k]]) for k in range(n))
        horizon = max(p.release, default=0) + max(bound(p.preds), bound(p.mirror_preds)) + 1
        self._g = (np.array(p.dur, i32), np.array(p.release, i32), np.zeros(n, i32),
                   pptr, pidx, plag, mpptr, mpidx, mplag, sptr, sidx, msptr, msidx,
                   indeg0, mindeg0, uptr, ur, uq, caps)
        self._w = (np.full((len(caps), horizon), 0, i32), np.zeros(n, i32), np.zeros(n, i32),
                   np.zeros(n, i32), np.zeros(n, np.float64), np.zeros(n, i32), np.zeros(n, i32),
                   np.zeros(n, np.float64), np.zeros(n, i32))
        self._w[0][:] = caps[:, None]
        self.lft = np.array([p.cpm - p.tail[k] + p.dur[k] for k in range(n)], np.float64)
        self.spread = max(1.0, self.NOISE * p.cpm)
        self.size = population or self.POPULATION
        self.n = n
        self.target = p.lower_bound
        self.generations = 0
        _seed(seed)
        self.pop = np.zeros((self.size, n), i32)
        self.fit = np.zeros(self.size, i32)
        self.marks = np.zeros(self.size, np.uint64)
        self.starts = np.zeros((self.size, n), i32)
        self._children = (np.zeros((self.size, n), i32), np.zeros(self.size, i32),
                          np.zeros(self.size, np.uint64), np.zeros((self.size, n), i32))
        self._stall = 0

    def seed_with(self, start):
        """Put a known schedule (e.g. a priority-rule one) in the population."""
        order = np.zeros(self.n, np.int32)
        key = np.array(start, np.float64)
        g, w = self._g, self._w
        _order_by(key, g[13], g[9], g[10], order, w[6], w[7], w[8])
        self.pop[-1] = order
        _evaluate(self.pop, self.fit, self.marks, self.starts, self.size - 1, g, w)

    def start(self):
        """A first population of random LFT-biased schedules."""
        _fill(self.pop, self.fit, self.marks, self.starts, 0, self.lft, self.spread, self._g, self._w)

    def run(self, deadline, should_stop=None):
        """Evolve until ``deadline`` (perf_counter), the lower bound, or ``should_stop()``;
        returns the best (starts, makespan)."""
        chunk = 1
        while self.fit.min() > self.target and time.perf_counter() < deadline:
            if should_stop is not None and should_stop():
                break
            t0 = time.perf_counter()
            self._stall = _evolve(
                self.pop, self.fit, self.marks, self.starts, *self._children, chunk, self.target,
                self._stall, self.RESTART_AFTER, self.KEEP_ON_RESTART, self.lft, self.spread,
                1.0 / self.n,  # mutation per position: about one swap per child
                self._g, self._w)
            self.generations += chunk
            took = time.perf_counter() - t0
            # chunks of about 5 ms: the deadline is checked often, the call overhead stays small
            if took < 0.0025:
                chunk *= 2
            elif took > 0.01 and chunk > 1:
                chunk //= 2
        return self.best()

    def best(self):
        i = int(np.argmin(self.fit))
        return [int(x) for x in self.starts[i]], int(self.fit[i])
