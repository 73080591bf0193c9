"""Fixed starts ("must start on"): the task never moves, in the CPM pass or in levelling; links
that would push it later are reported as a conflict and as negative float of what pushes it.

Run: .venv/bin/pytest tests/engine/test_fixed_start.py -q -p no:django
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schedule.engine import EngineError, Link, Task, compute_schedule  # noqa: E402
from schedule.engine import genetic  # noqa: E402
from schedule.engine.levelling import level  # noqa: E402


def dates(result, task_id):
    t = result.tasks[task_id]
    return (t.early_start, t.early_finish, t.late_start, t.late_finish, t.total_float)


# ---------------------------------------------------------------- CPM
def test_a_fixed_start_holds_even_earlier_than_its_links_and_its_successors_follow_it():
    # A(3) FS B(2) fixed at 1, B FS C(1). A pushes B to 3, but B stays at 1-3; C follows B: 3-4.
    tasks = [Task("A", 3), Task("B", 2, fixed_start=1), Task("C", 1)]
    r = compute_schedule(tasks, [Link("A", "B"), Link("B", "C")])
    assert r.tasks["B"].early_start == 1 and r.tasks["B"].early_finish == 3
    assert r.tasks["C"].early_start == 3
    # Backward: B must start by 1 -> A late finish 1, late start -2: A has -2 float, named.
    assert dates(r, "A") == (0, 3, -2, 1, -2)
    (conflict,) = r.fixed_start_conflicts
    assert (conflict.task_id, conflict.fixed_start, conflict.driven_start, conflict.predecessors) == ("B", 1, 3, ("A",))
    assert conflict.periods == 2
    assert conflict.message == "Task 'B' must start on period 1, but 'A' would start it 2 periods later."
    (miss,) = r.deadline_misses
    assert (miss.task_id, miss.total_float, miss.deadline_task, miss.deadline, miss.kind) == ("A", -2, "B", 1,
                                                                                              "fixed_start")
    assert miss.message == "Task 'A' is 2 periods late for the fixed start of task 'B' (start on period 1)."


def test_a_fixed_start_later_than_its_links_is_not_a_conflict_and_waits():
    # A(2) FS B fixed at 5: B 5-6, A has 3 of float (like start no earlier than), no conflict.
    r = compute_schedule([Task("A", 2), Task("B", 1, fixed_start=5)], [Link("A", "B")])
    assert dates(r, "B") == (5, 6, 5, 6, 0)
    assert dates(r, "A") == (0, 2, 3, 5, 3)
    assert r.fixed_start_conflicts == [] and r.deadline_misses == []


def test_a_fixed_start_ignores_start_no_earlier_than_and_the_status_period():
    # Today (status period 4) is after the fixed start 2: a not-started fixed task stays at 2.
    r = compute_schedule([Task("A", 2, fixed_start=2, earliest_start=3), Task("B", 1)], [Link("A", "B")],
                         status_period=4)
    assert r.tasks["A"].early_start == 2
    assert r.tasks["B"].early_start == 4  # unfixed work still waits for today


def test_progress_wins_over_a_fixed_start():
    # Started at 3 (fixed at 1): the actual start is the fact.
    r = compute_schedule([Task("A", 4, fixed_start=1, actual_start=3, percent_complete=50)], [], status_period=5)
    assert r.tasks["A"].early_start == 3
    # A finished predecessor (actual finish 6) drives a fixed successor (fixed at 4): reported, not moved.
    r = compute_schedule([Task("P", 2, actual_start=4, actual_finish=6), Task("F", 1, fixed_start=4)],
                         [Link("P", "F")], status_period=7)
    assert r.tasks["F"].early_start == 4
    assert [(c.task_id, c.driven_start) for c in r.fixed_start_conflicts] == [("F", 6)]


def test_fixed_start_of_every_link_type_is_checked():
    # A(4); B(2) fixed at 0 with FF A->B: B must finish >= 4, i.e. start >= 2 -> conflict of 2.
    r = compute_schedule([Task("A", 4), Task("B", 2, fixed_start=0)], [Link("A", "B", "FF")])
    assert r.tasks["B"].early_start == 0
    assert [(c.task_id, c.driven_start) for c in r.fixed_start_conflicts] == [("B", 2)]
    # SS with lag 1 on a fixed start at 1: no conflict.
    r = compute_schedule([Task("A", 4), Task("B", 2, fixed_start=1)], [Link("A", "B", "SS", 1)])
    assert r.fixed_start_conflicts == []


def test_a_fixed_start_must_be_a_whole_number():
    with pytest.raises(EngineError, match="fixed start must be a whole number"):
        compute_schedule([Task("A", 1, fixed_start=1.5)], [])


def test_no_fixed_start_changes_nothing():
    tasks = [Task("A", 3), Task("B", 2, earliest_start=4), Task("C", 1, deadline=5)]
    links = [Link("A", "B"), Link("B", "C")]
    r = compute_schedule(tasks, links)
    assert r.fixed_start_conflicts == []
    assert [m.kind for m in r.deadline_misses] == ["deadline"] * len(r.deadline_misses)


# ---------------------------------------------------------------- levelling
def _owner_plan():
    # One owner, capacity 1: X(3), Y(3) and F(2) fixed at 1. F never moves; Z follows F.
    tasks = [Task("X", 3, resources={"wang": 1}), Task("Y", 3, resources={"wang": 1}),
             Task("F", 2, resources={"wang": 1}, fixed_start=1), Task("Z", 1, resources={"wang": 1})]
    links = [Link("X", "F"), Link("F", "Z")]
    return tasks, links


@pytest.mark.parametrize("options", [
    dict(use_cpsat=False, workers=1),  # the priority rules and iterated FBI
    dict(use_cpsat=True, workers=1),  # CP-SAT after the heuristic
    dict(use_cpsat=True, workers=2),  # the genetic search beside CP-SAT (with numba)
], ids=["heuristic", "cp-sat", "genetic+cp-sat"])
def test_levelling_never_moves_a_fixed_start_and_reports_the_broken_link(options):
    tasks, links = _owner_plan()
    result = level(tasks, links, {"wang": 1}, time_limit_s=0.5, seed=1, **options)
    assert result.starts["F"] == 1
    assert result.starts["Z"] >= 3  # follows F
    # X (0-3, or later) finishes after F's fixed start: a conflict, F still at 1.
    assert [(c.task_id, c.fixed_start) for c in result.conflicts] == [("F", 1)]
    assert result.conflicts[0].predecessors == ("X",)
    # the rest is still levelled: X, Y and Z never overlap
    spans = sorted((result.starts[t], result.starts[t] + d) for t, d in (("X", 3), ("Y", 3), ("Z", 1)))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_the_genetic_search_is_available_here():
    # The third case above exercises the compiled search only with numba installed (CI has it).
    assert genetic.available()


def test_levelling_without_a_conflict_reports_none():
    tasks = [Task("A", 2, resources={"li": 1}), Task("B", 1, resources={"li": 1}, fixed_start=6)]
    result = level(tasks, [Link("A", "B")], {"li": 1}, time_limit_s=0.3, workers=1)
    assert result.starts["B"] == 6 and result.conflicts == []


def test_the_command_line_takes_a_fixed_start_and_names_the_conflict():
    from schedule.engine.__main__ import run

    out = run({"tasks": [{"id": "A", "duration": 3}, {"id": "B", "duration": 1, "fixed_start": 1}],
               "links": [{"from": "A", "to": "B"}]})
    assert [(t["id"], t["start"]) for t in out["tasks"]] == [("A", 0), ("B", 1)]
    assert out["conflicts"] == {"B": "Task 'B' must start on period 1, but 'A' would start it 2 periods later."}
    out = run({"tasks": [{"id": "A", "duration": 3, "resources": {"r": 1}},
                         {"id": "B", "duration": 1, "fixed_start": 1, "resources": {"r": 1}}],
               "links": [{"from": "A", "to": "B"}], "level": True, "time_limit_s": 0.2})
    assert dict((t["id"], t["start"]) for t in out["tasks"])["B"] == 1 and "B" in out["conflicts"]


@st.composite
def _plans(draw):
    n = draw(st.integers(2, 12))
    tasks = [Task(k, draw(st.integers(0, 5)), fixed_start=draw(st.none() | st.integers(0, 20)),
                  earliest_start=draw(st.none() | st.integers(0, 10))) for k in range(n)]
    links = [Link(i, j, draw(st.sampled_from(["FS", "SS", "FF", "SF"])), draw(st.integers(-2, 3)))
             for i in range(n) for j in range(i + 1, n) if draw(st.integers(0, 3)) == 0]
    return tasks, links


@given(_plans())
@settings(max_examples=150, deadline=None)
def test_fixed_starts_never_move_and_every_other_link_holds(plan):
    tasks, links = plan
    r = compute_schedule(tasks, links)
    start = {k: s.early_start for k, s in r.tasks.items()}
    dur = {t.id: t.duration for t in tasks}
    fixed = {t.id: t.fixed_start for t in tasks if t.fixed_start is not None}
    for k, f in fixed.items():
        assert start[k] == f
    conflicts = {c.task_id for c in r.fixed_start_conflicts}
    for link in links:
        i, j = link.predecessor, link.successor
        bound = {"FS": start[i] + dur[i], "SS": start[i], "FF": start[i] + dur[i] - dur[j],
                 "SF": start[i] - dur[j]}[link.type] + link.lag
        if start[j] < bound:
            assert j in conflicts  # only a fixed start may break a link, and it is reported
        # and what breaks it has negative float, named after the fixed task
    for miss in r.deadline_misses:
        assert miss.kind == "fixed_start" and miss.deadline_task in conflicts | set(fixed)
