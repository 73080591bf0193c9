"""Critical path method (CPM): forward and backward pass over tasks and links.

Link semantics (periods; ``s`` start, ``f = s + d`` finish; lag may be negative = lead)::

    FS: s_succ >= f_pred + lag        SS: s_succ >= s_pred + lag
    FF: f_succ >= f_pred + lag        SF: f_succ >= s_pred + lag

Every link of a not-started successor is therefore a bound ``s_succ >= s_pred + w`` with the
constant weight ``w = lag + (d_pred if the link leaves the predecessor's finish) - (d_succ if it
reaches the successor's finish)``; the whole pass is a longest path over those weights, done
in one Kahn topological sweep (forward) and one reverse sweep (backward) over index arrays.

Lower bounds on a start: 0 (the project start), ``earliest_start`` (start no earlier than) and,
when ``status_period`` is given, the status period for work not started yet.

Fixed starts (``fixed_start``, "must start on"; ignored once a task has actual dates): the task
starts at that period whatever its links, its earliest start or the status period say, and its
successors follow from there. Links that would push it later are a conflict, not a move:
:attr:`CpmResult.fixed_start_conflicts` names them, and in the backward pass the fixed start is a
"start by" bound (``late_start <= fixed_start``), so the predecessors that push it get negative
float and a :class:`DeadlineMiss` of kind ``"fixed_start"`` -- reported like a missed deadline.

Progress (``status_period`` = the data date):

* finished (``actual_finish`` set): fixed at ``[actual_start or actual_finish - d, actual_finish]``;
  links into it are ignored, links out of it use its actual dates. Its float is 0 and it is never
  ``critical`` (it cannot delay anything any more).
* started (``actual_start`` set): its start stays ``actual_start``; the remaining work
  ``ceil(d * (100 - percent_complete) / 100)`` resumes at ``remaining_start`` =
  max(status_period, FS/SS bounds) -- retained logic -- and ends at ``early_finish``
  (>= FF/SF bounds). Its SS/SF links to successors use the actual start. Its total float is the
  finish float ``late_finish - early_finish`` (``late_start = early_start + total_float``).
* not started: as above, but never before ``status_period``.

Backward pass: ``late_finish = min(project end, own deadline, successor-derived bounds)`` where
the project end is the computed finish, or ``project_deadline`` when that is earlier. A missed
deadline therefore gives NEGATIVE total float to the task and to its driving predecessors;
:attr:`CpmResult.deadline_misses` says which deadline each of them misses.

``total_float = late_start - early_start``; ``free_float`` = the smallest slack on any link to a
successor (or to the project's early finish when it has none), never more than
``max(total_float, 0)``; ``critical = total_float <= 0``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from operator import add, itemgetter
from typing import Iterable, Sequence

from .model import LINK_TYPES, CycleError, EngineError, Link, ScheduledTask, Task, UnknownTaskError

_NOT_STARTED, _IN_PROGRESS, _DONE = 0, 1, 2
PROJECT_DEADLINE = "project deadline"  # the ``deadline_task`` of a miss caused by project_deadline


@dataclass(frozen=True)
class DeadlineMiss:
    """A task with negative total float and the deadline that causes it."""

    task_id: object
    total_float: int  # negative: periods to recover
    deadline_task: object  # id of the task whose deadline is missed, or PROJECT_DEADLINE
    deadline: int  # the deadline (a finish period); for kind "fixed_start" the fixed start period
    message: str
    kind: str = "deadline"  # or "fixed_start": the must-start-on date of ``deadline_task``


@dataclass(frozen=True)
class FixedStartConflict:
    """A task fixed to start at ``fixed_start`` whose links would start it at ``driven_start``."""

    task_id: object
    fixed_start: int
    driven_start: int  # > fixed_start
    predecessors: tuple  # ids of the predecessors whose links give driven_start
    message: str

    @property
    def periods(self) -> int:
        return self.driven_start - self.fixed_start


class CpmResult:
    """Outcome of :func:`compute_schedule`. Per-task objects are built lazily on first use."""

    def __init__(self, ids, kinds, x, lx, dur, fixed_start, ff, finish, graph, anchor, src,
                 deadlines, project_deadline, pins=None, driven=None):
        self._ids = ids
        self._kinds = kinds
        self._x = x  # early start of the scheduled work (remaining work for started tasks)
        self._lx = lx  # late start of the same
        self._dur = dur  # (remaining) duration of that work
        self._fixed_start = fixed_start  # actual start of started / finished tasks, else None
        self._ff = ff
        self._graph = graph  # (order, out) -- out[i] = list of (j, w)
        self._anchor = anchor
        self._src = src  # index of the task whose deadline bounds late finish; -1 project deadline
        self._deadlines = deadlines
        self._project_deadline = project_deadline
        self._pins = pins  # fixed start period of pinned (not started, fixed-start) tasks, else None
        self._driven = driven  # i -> (start its links ask for, [predecessor indices]) when later than its pin
        #: the project's early finish (max early finish; 0 for an empty plan)
        self.finish: int = finish

    # ------------------------------------------------------------------ tasks
    @cached_property
    def tasks(self) -> dict:
        """dict id -> ScheduledTask, in input order."""
        out = {}
        ids, kinds, x, lx, dur, fs, ff = (self._ids, self._kinds, self._x, self._lx, self._dur,
                                         self._fixed_start, self._ff)
        for i, tid in enumerate(ids):
            k = kinds[i]
            xi = x[i]
            ef = xi + dur[i]
            tf = lx[i] - xi
            if k == _NOT_STARTED:
                out[tid] = ScheduledTask(tid, xi, ef, lx[i], lx[i] + dur[i], tf, ff[i], tf <= 0)
            elif k == _IN_PROGRESS:
                es = fs[i]
                out[tid] = ScheduledTask(tid, es, ef, es + tf, ef + tf, tf, ff[i], tf <= 0,
                                         remaining_start=xi)
            else:
                es = fs[i]
                out[tid] = ScheduledTask(tid, es, ef, es, ef, 0, 0, False)
        return out

    def early_start(self, task_id) -> int:
        return self.tasks[task_id].early_start

    # ------------------------------------------------------------------ critical path
    @cached_property
    def _driving(self) -> list:
        """drv[i] = successors j reached from i by a driving (tight) link."""
        order, out = self._graph
        x = self._x
        drv = [None] * len(x)
        for i in order:
            xi = x[i]
            tight = [j for j, w in out[i] if x[j] == xi + w]
            if tight:
                drv[i] = tight
        return drv

    def driving_links(self) -> list[tuple]:
        """(predecessor id, successor id) of every link that drives its successor's dates."""
        ids = self._ids
        pairs = []
        for i, succ in enumerate(self._driving):
            if succ:
                for j in dict.fromkeys(succ):
                    pairs.append((ids[i], ids[j]))
        return pairs

    def driving_chain(self, task_id) -> list:
        """The task ids whose links push ``task_id``'s early dates, in order: from a task nothing
        drives (it starts at the project start, its start-no-earlier-than or today) to ``task_id``."""
        ids = self._ids
        end = ids.index(task_id)
        drivers = {}
        for i, succ in enumerate(self._driving):
            for j in succ or ():
                drivers.setdefault(j, i)  # the first driving predecessor, in input order
        chain, seen = [end], {end}
        while chain[-1] in drivers and drivers[chain[-1]] not in seen:
            seen.add(drivers[chain[-1]])
            chain.append(drivers[chain[-1]])
        return [ids[i] for i in reversed(chain)]

    def late_chain(self, task_id) -> list:
        """The task ids whose links hold ``task_id``'s late dates back, in order: from ``task_id``
        to the task whose own deadline (or the project's end) binds them."""
        ids, lx = self._ids, self._lx
        _order, out = self._graph
        i = ids.index(task_id)
        chain, seen = [i], {i}
        while True:
            tight = [j for j, w in out[chain[-1]] if lx[j] - w == lx[chain[-1]] and j not in seen]
            if not tight:
                return [ids[k] for k in chain]
            seen.add(tight[0])
            chain.append(tight[0])

    def critical_paths(self, limit: int = 50) -> list[list]:
        """Chains of critical task ids, each following driving links from a critical task with no
        critical driving predecessor to one with no critical driving successor. The chain ending
        latest comes first (the longest path); at most ``limit`` chains."""
        kinds, x, lx, dur = self._kinds, self._x, self._lx, self._dur
        n = len(x)
        crit = [kinds[i] != _DONE and lx[i] - x[i] <= 0 for i in range(n)]
        drv = self._driving
        nxt = [None] * n
        has_pred = [False] * n
        for i in range(n):
            if crit[i] and drv[i]:
                c = [j for j in dict.fromkeys(drv[i]) if crit[j]]
                if c:
                    nxt[i] = c
                    for j in c:
                        has_pred[j] = True
        chains = []
        for root in range(n):
            if not crit[root] or has_pred[root]:
                continue
            stack = [(root, [root])]
            while stack and len(chains) < limit:
                i, path = stack.pop()
                if nxt[i] is None:
                    chains.append(path)
                    continue
                for j in reversed(nxt[i]):
                    stack.append((j, path + [j]))
            if len(chains) >= limit:
                break
        chains.sort(key=lambda p: (-(x[p[-1]] + dur[p[-1]]), p[0]))
        ids = self._ids
        return [[ids[i] for i in p] for p in chains]

    def critical_path(self) -> list:
        """The chain of critical tasks ending latest (empty when nothing is critical)."""
        paths = self.critical_paths(limit=50)
        return paths[0] if paths else []

    # ------------------------------------------------------------------ deadlines
    @cached_property
    def deadline_misses(self) -> list[DeadlineMiss]:
        """Every task with negative float, with the deadline it misses, most late first."""
        ids, kinds, x, lx, src = self._ids, self._kinds, self._x, self._lx, self._src
        misses = []
        for i in range(len(ids)):
            tf = lx[i] - x[i]
            if tf >= 0 or kinds[i] == _DONE:
                continue
            s = src[i]
            kind = "deadline"
            if s >= len(ids):  # the fixed start of task s - n
                kind = "fixed_start"
                owner, deadline = ids[s - len(ids)], self._pins[s - len(ids)]
                what = (f"its fixed start (start on period {deadline})" if s - len(ids) == i
                        else f"the fixed start of task {owner!r} (start on period {deadline})")
            elif s == -2:  # pragma: no cover - cannot happen without a deadline
                owner, deadline, what = None, self._anchor, "the project finish"
            elif s == -1:
                owner, deadline = PROJECT_DEADLINE, self._project_deadline
                what = f"the project deadline (period {deadline})"
            else:
                owner, deadline = ids[s], self._deadlines[s]
                what = (f"its deadline (finish by period {deadline})" if s == i
                        else f"the deadline of task {owner!r} (finish by period {deadline})")
            late = -tf
            unit = "period" if late == 1 else "periods"
            msg = f"Task {ids[i]!r} is {late} {unit} late for {what}."
            misses.append(DeadlineMiss(ids[i], tf, owner, deadline, msg, kind))
        misses.sort(key=lambda m: m.total_float)
        return misses

    @cached_property
    def fixed_start_conflicts(self) -> list[FixedStartConflict]:
        """Every fixed-start task whose links would start it later than its fixed start, most late first.
        The task stays at its fixed start; its successors follow from there."""
        ids, conflicts = self._ids, []
        for i, (driven, preds) in (self._driven or {}).items():
            fixed = self._pins[i]
            late = driven - fixed
            names = ", ".join(repr(ids[p]) for p in preds)
            unit = "period" if late == 1 else "periods"
            conflicts.append(FixedStartConflict(
                ids[i], fixed, driven, tuple(ids[p] for p in preds),
                f"Task {ids[i]!r} must start on period {fixed}, but {names} would start it {late} {unit} later."))
        conflicts.sort(key=lambda c: (c.fixed_start - c.driven_start, str(c.task_id)))
        return conflicts


# ---------------------------------------------------------------------- validation helpers
def _link_parts(links) -> tuple[list, list, list, list]:
    links = links if isinstance(links, list) else list(links)
    try:  # the fast, common case: Link objects (read straight from their __dict__)
        ds = [link.__dict__ for link in links]
        return (list(map(_get_pred, ds)), list(map(_get_succ, ds)),
                list(map(_get_type, ds)), list(map(_get_lag, ds)))
    except (AttributeError, KeyError, TypeError):
        pass
    preds, succs, types, lags = [], [], [], []
    for k, link in enumerate(links):
        if isinstance(link, Link):
            preds.append(link.predecessor)
            succs.append(link.successor)
            types.append(link.type)
            lags.append(link.lag)
        else:
            try:
                p, s, *rest = link
            except (TypeError, ValueError):
                raise EngineError(f"link #{k + 1} is not a link: {link!r}") from None
            preds.append(p)
            succs.append(s)
            types.append(rest[0] if rest else "FS")
            lags.append(rest[1] if len(rest) > 1 else 0)
    return preds, succs, types, lags


_get_pred = itemgetter("predecessor")
_get_succ = itemgetter("successor")
_get_type = itemgetter("type")
_get_lag = itemgetter("lag")
_INT = {int}
_INT_OR_NONE = {int, type(None)}
_TASK_FIELDS = ("id", "duration", "earliest_start", "deadline", "actual_start", "actual_finish", "fixed_start")


def _task_columns(tasks) -> list[list]:
    """Columns (ids, durations, earliest starts, deadlines, actual starts, actual finishes, fixed starts)."""
    try:
        ds = [t.__dict__ for t in tasks]
        return [list(map(itemgetter(f), ds)) for f in _TASK_FIELDS]
    except (AttributeError, KeyError, TypeError):
        return [[getattr(t, f, None) for t in tasks] for f in _TASK_FIELDS]


def _unknown(ids_list, idx, preds, succs) -> UnknownTaskError:
    for k, (p, s) in enumerate(zip(preds, succs)):
        for role, v in (("predecessor", p), ("successor", s)):
            if v not in idx:
                return UnknownTaskError(f"link #{k + 1} ({p!r} → {s!r}) refers to unknown {role} task {v!r}")
    raise AssertionError("no unknown id")  # pragma: no cover


def _extract_cycle(n, out_idx, remaining) -> list[int]:
    """A cycle (list of indices, in link order) among the nodes that Kahn could not sort."""
    alive = remaining
    color = [0] * n  # 0 new, 1 on stack, 2 done
    for root in range(n):
        if not alive[root] or color[root]:
            continue
        stack = [(root, iter(out_idx[root]))]
        path = [root]
        pos = {root: 0}
        color[root] = 1
        while stack:
            node, it = stack[-1]
            advanced = False
            for j in it:
                if not alive[j]:
                    continue
                if color[j] == 1:
                    cyc = path[pos[j]:]
                    return cyc
                if color[j] == 0:
                    color[j] = 1
                    pos[j] = len(path)
                    path.append(j)
                    stack.append((j, iter(out_idx[j])))
                    advanced = True
                    break
            if not advanced:
                color[node] = 2
                stack.pop()
                path.pop()
                del pos[node]
    raise AssertionError("no cycle found")  # pragma: no cover


def _rotate(cycle: list[int]) -> list[int]:
    """Start the cycle at its task that comes first in the input."""
    k = cycle.index(min(cycle))
    return cycle[k:] + cycle[:k]


def cycle_text(cycle, names) -> str:
    """A cycle named for people, closed on its first task: "“A” → “B” → “A”".

    ``names`` maps each id of ``cycle`` (as find_cycle returns it) to the name to show.
    """
    quoted = [f"“{names.get(node, node)}”" for node in cycle]
    return " → ".join(quoted + quoted[:1])


def find_cycle(task_ids: Iterable, links: Iterable) -> list | None:
    """The ids of a dependency cycle, in link order (first-listed task first), or None.

    ``links`` are :class:`Link` objects or ``(predecessor, successor, ...)`` tuples. Call it with a
    candidate link added to refuse the link before saving it. Raises UnknownTaskError for a link to
    an id not in ``task_ids``.
    """
    ids = list(task_ids)
    idx = {t: i for i, t in enumerate(ids)}
    preds, succs, _types, _lags = _link_parts(links)
    pi = list(map(idx.get, preds))
    si = list(map(idx.get, succs))
    if None in pi or None in si:
        raise _unknown(ids, idx, preds, succs)
    n = len(ids)
    out = [[] for _ in range(n)]
    indeg = [0] * n
    for p, s in zip(pi, si):
        if p == s:
            return [ids[p]]
        out[p].append(s)
        indeg[s] += 1
    queue = [i for i in range(n) if not indeg[i]]
    for i in queue:
        for j in out[i]:
            indeg[j] -= 1
            if not indeg[j]:
                queue.append(j)
    if len(queue) == n:
        return None
    alive = [d > 0 for d in indeg]
    return [ids[i] for i in _rotate(_extract_cycle(n, out, alive))]


# ---------------------------------------------------------------------- the pass
def compute_schedule(
    tasks: Sequence[Task],
    links: Iterable[Link],
    *,
    status_period: int | None = None,
    project_deadline: int | None = None,
) -> CpmResult:
    """Forward and backward CPM pass. Raises EngineError (CycleError, UnknownTaskError)."""
    tasks = tasks if isinstance(tasks, list) else list(tasks)
    n = len(tasks)
    ids, durs, snets, deadlines, a_starts, a_finishes, fixeds = _task_columns(tasks)
    idx = {tid: i for i, tid in enumerate(ids)}
    if len(idx) != n:
        seen = set()
        for tid in ids:
            if tid in seen:
                raise EngineError(f"duplicate task id {tid!r}")
            seen.add(tid)
    if not set(map(type, durs)) <= _INT:
        for i, d in enumerate(durs):
            if type(d) is not int:
                raise EngineError(f"task {ids[i]!r}: duration must be a whole number of periods, not {d!r}")
    if n and min(durs) < 0:
        i = next(i for i, d in enumerate(durs) if d < 0)
        raise EngineError(f"task {ids[i]!r} has a negative duration ({durs[i]})")
    for name, col in (("earliest start", snets), ("deadline", deadlines), ("actual start", a_starts),
                      ("actual finish", a_finishes), ("fixed start", fixeds)):
        if not set(map(type, col)) <= _INT_OR_NONE:
            i = next(i for i, v in enumerate(col) if v is not None and type(v) is not int)
            raise EngineError(f"task {ids[i]!r}: {name} must be a whole number of periods, not {col[i]!r}")
    if status_period is not None and type(status_period) is not int:
        raise EngineError("status_period must be a whole number of periods")
    if project_deadline is not None and type(project_deadline) is not int:
        raise EngineError("project_deadline must be a whole number of periods")

    # -- per-task bounds and progress
    base = 0 if status_period is None or status_period < 0 else status_period
    lb = [base] * n
    kinds = [_NOT_STARTED] * n
    dur = durs  # (remaining) duration of the scheduled work; replaced per task below if needed
    fixed_start = [None] * n
    if snets.count(None) != n:
        for i, snet in enumerate(snets):
            if snet is not None and snet > base:
                lb[i] = snet
    progress = a_starts.count(None) != n or a_finishes.count(None) != n
    if progress:
        dur = list(durs)
        for i, t in enumerate(tasks):
            af, as_ = a_finishes[i], a_starts[i]
            if af is not None:
                start = as_ if as_ is not None else af - durs[i]
                if start > af:
                    raise EngineError(f"task {ids[i]!r} finishes (period {af}) before it starts (period {start})")
                kinds[i] = _DONE
                fixed_start[i] = start
                lb[i] = start
                dur[i] = af - start
            elif as_ is not None:
                pc = t.percent_complete or 0
                if type(pc) is not int or not 0 <= pc <= 100:
                    raise EngineError(f"task {ids[i]!r}: percent complete must be a whole number 0–100, not {pc!r}")
                rem = (durs[i] * (100 - pc) + 99) // 100
                kinds[i] = _IN_PROGRESS
                fixed_start[i] = as_
                dur[i] = rem
                lb[i] = max(status_period, as_) if status_period is not None else as_ + durs[i] - rem

    # -- fixed starts of work not started yet: pinned (progress wins over the plan)
    pins = None
    if fixeds.count(None) != n:
        pins = [f if f is not None and kinds[i] == _NOT_STARTED else None for i, f in enumerate(fixeds)]
        if pins.count(None) == n:
            pins = None
        else:
            for i, f in enumerate(pins):
                if f is not None:
                    lb[i] = f
    driven = {}  # pinned index -> [start its links ask for, [predecessor indices]]

    def push(j, v, i):
        seen = driven.get(j)
        if seen is None or v > seen[0]:
            driven[j] = [v, [i]]
        elif v == seen[0]:
            seen[1].append(i)

    # -- links -> index arrays
    preds, succs, types, lags = _link_parts(links)
    pi = list(map(idx.get, preds))
    si = list(map(idx.get, succs))
    if None in pi or None in si:
        raise _unknown(ids, idx, preds, succs)
    bad = set(types).difference(LINK_TYPES)
    if bad:
        k = next(k for k, t in enumerate(types) if t in bad)
        raise EngineError(
            f"link #{k + 1} ({preds[k]!r} → {succs[k]!r}) has unknown type {types[k]!r}; "
            f"use one of {', '.join(LINK_TYPES)}"
        )
    if not set(map(type, lags)) <= _INT:
        k = next(k for k, lag in enumerate(lags) if type(lag) is not int)
        raise EngineError(f"link #{k + 1} ({preds[k]!r} → {succs[k]!r}): lag must be a whole number, not {lags[k]!r}")

    out = [[] for _ in range(n)]
    if not progress:
        # weight w of  s_succ >= s_pred + w
        for p, q, t, lag in zip(pi, si, types, lags):
            if t == "FS":
                out[p].append((q, lag + dur[p]))
            elif t == "SS":
                out[p].append((q, lag))
            elif t == "FF":
                out[p].append((q, lag + dur[p] - dur[q]))
            else:  # "SF"
                out[p].append((q, lag - dur[q]))
        counts = Counter(si)
        indeg = [counts[i] for i in range(n)] if counts else [0] * n
        cycle_out = None
    else:
        indeg = [0] * n
        cycle_out = [[] for _ in range(n)]  # all links, for cycle detection
        const_bounds = []  # (task, bound) from actual dates
        for p, q, t, lag in zip(pi, si, types, lags):
            cycle_out[p].append(q)
            if kinds[q] == _DONE:
                continue  # history: links into finished work are not enforced
            w = lag - (dur[q] if t[1] == "F" else 0)
            kp = kinds[p]
            if kp == _DONE or (kp == _IN_PROGRESS and t[0] == "S"):
                # reads an actual date of p: a constant bound on q
                v = fixed_start[p] + (dur[p] if (kp == _DONE and t[0] == "F") else 0)
                const_bounds.append((q, v + w, p))
                continue
            if t[0] == "F":
                w += dur[p]
            out[p].append((q, w))
            indeg[q] += 1
        for q, v, p in const_bounds:
            if v > lb[q]:
                if pins is not None and pins[q] is not None:
                    push(q, v, p)
                else:
                    lb[q] = v
        # finished tasks never move
        for i in range(n):
            if kinds[i] == _DONE:
                lb[i] = fixed_start[i]

    if progress:
        # links dropped above (into finished work) may still close a cycle: check all links
        cyc = _find_cycle_idx(n, cycle_out)
        if cyc is not None:
            raise CycleError([ids[i] for i in _rotate(cyc)])

    # -- forward pass fused with Kahn's topological sort
    x = lb  # early start of the scheduled work, final once popped from the queue
    order = [i for i in range(n) if not indeg[i]]
    if pins is None:
        for i in order:
            xi = x[i]
            for j, w in out[i]:
                v = xi + w
                if v > x[j]:
                    x[j] = v
                d = indeg[j] - 1
                indeg[j] = d
                if not d:
                    order.append(j)
    else:
        for i in order:
            xi = x[i]
            for j, w in out[i]:
                v = xi + w
                if v > x[j]:
                    if pins[j] is None:
                        x[j] = v
                    else:
                        push(j, v, i)  # a fixed start never moves: a conflict, reported
                d = indeg[j] - 1
                indeg[j] = d
                if not d:
                    order.append(j)
    if len(order) != n:
        alive = [d > 0 for d in indeg]
        cyc = _extract_cycle(n, [[j for j, _w in o] for o in out], alive)
        raise CycleError([ids[i] for i in _rotate(cyc)])

    finish = max(map(add, x, dur), default=0)
    if finish < 0:
        finish = 0
    if project_deadline is not None and project_deadline < finish:
        anchor = project_deadline
        anchor_src = -1
    else:
        anchor = finish
        anchor_src = -2  # the computed finish: not a deadline

    # -- backward pass (reverse topological order) with free float
    lx = [0] * n
    ff = [0] * n
    src = [anchor_src] * n
    big = 1 << 62
    for i in reversed(order):
        d = dur[i]
        best = anchor - d
        bsrc = anchor_src
        dl = deadlines[i]
        if dl is not None and dl - d < best:
            best = dl - d
            bsrc = i
        if pins is not None and pins[i] is not None and pins[i] <= best:
            # "start by": what pushes a fixed start later gets negative float, named after it (also
            # when the project's end binds as tightly: the fixed start is the reason)
            best = pins[i]
            bsrc = n + i
        oi = out[i]
        if oi:
            m = big
            for j, w in oi:
                v = lx[j] - w
                if v < best:
                    best = v
                    bsrc = src[j]
                v = x[j] - w
                if v < m:
                    m = v
            m -= x[i]
        else:
            m = finish - x[i] - d
        # never more than the total float: a lead clamped at the project start leaves slack on
        # a link that cannot be used without moving the finish
        tf = best - x[i]
        ff[i] = m if m <= tf else (tf if tf > 0 else 0)
        lx[i] = best
        src[i] = bsrc
    if progress:
        for i in range(n):
            if kinds[i] == _DONE:
                lx[i] = x[i]
                ff[i] = 0

    return CpmResult(ids, kinds, x, lx, dur, fixed_start, ff, finish, (order, out), anchor, src,
                     deadlines, project_deadline, pins, {i: (v, preds) for i, (v, preds) in driven.items()})


def _find_cycle_idx(n, out_idx) -> list[int] | None:
    indeg = [0] * n
    for o in out_idx:
        for j in o:
            indeg[j] += 1
    queue = [i for i in range(n) if not indeg[i]]
    for i in queue:
        for j in out_idx[i]:
            indeg[j] -= 1
            if not indeg[j]:
                queue.append(j)
    if len(queue) == n:
        return None
    return _extract_cycle(n, out_idx, [d > 0 for d in indeg])
