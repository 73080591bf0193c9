"""CPM: link semantics, constraints, float, critical paths, validation, progress.

Every small plan is worked out by hand in the comments (ES/EF/LS/LF/TF/FF, periods).
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedule.engine import (
    PROJECT_DEADLINE,
    CycleError,
    EngineError,
    Link,
    Task,
    UnknownTaskError,
    compute_schedule,
    find_cycle,
)


def dates(result, task_id):
    t = result.tasks[task_id]
    return (t.early_start, t.early_finish, t.late_start, t.late_finish, t.total_float, t.free_float)


# ---------------------------------------------------------------- link types and lags
def test_fs_with_lag():
    # A(3) -FS+2-> B(2): A 0-3; B >= 3+2 = 5 -> 5-7. Finish 7, both critical.
    r = compute_schedule([Task("A", 3), Task("B", 2)], [Link("A", "B", "FS", 2)])
    assert dates(r, "A") == (0, 3, 0, 3, 0, 0)  # free float: 5 - (3 + 2) = 0, the lag is not slack
    assert dates(r, "B") == (5, 7, 5, 7, 0, 0)
    assert r.finish == 7


def test_ss_with_lag():
    # A(5) -SS+2-> B(2): A 0-5; B starts >= 0+2 -> 2-4. Finish 5 (A).
    # Backward: B LF=5, LS=3, TF=1, FF=5-4=1. A: LF=min(5, via SS: LS_A <= 3-2=1 -> LF<=6) = 5.
    r = compute_schedule([Task("A", 5), Task("B", 2)], [Link("A", "B", "SS", 2)])
    assert dates(r, "A") == (0, 5, 0, 5, 0, 0)
    assert dates(r, "B") == (2, 4, 3, 5, 1, 1)
    assert r.finish == 5


def test_ff_with_lag():
    # A(4) -FF+1-> B(2): B finishes >= 4+1 = 5 -> 3-5. Finish 5.
    # Backward: B LF=5; A LF <= 5-1 = 4 -> TF 0.
    r = compute_schedule([Task("A", 4), Task("B", 2)], [Link("A", "B", "FF", 1)])
    assert dates(r, "A") == (0, 4, 0, 4, 0, 0)
    assert dates(r, "B") == (3, 5, 3, 5, 0, 0)


def test_sf_with_lag():
    # A(2) -SF+3-> B(2): B finishes >= 0+3 -> 1-3. Finish 3.
    # Backward: B LF=3, LS=1. A: LS_A <= LF_B - 3 = 0 -> LF_A <= 2 -> TF 0, critical.
    r = compute_schedule([Task("A", 2), Task("B", 2)], [Link("A", "B", "SF", 3)])
    assert dates(r, "B") == (1, 3, 1, 3, 0, 0)
    assert dates(r, "A") == (0, 2, 0, 2, 0, 0)


def test_negative_lag_is_a_lead():
    # A(5) -FS-2-> B(3): B starts 5-2 = 3 -> 3-6.
    r = compute_schedule([Task("A", 5), Task("B", 3)], [Link("A", "B", "FS", -2)])
    assert dates(r, "B")[:2] == (3, 6)
    assert r.finish == 6


def test_negative_lag_never_starts_before_project_start():
    # A(1) -FS-3-> B(2): bound 1-3 = -2, clamped to the project start 0.
    r = compute_schedule([Task("A", 1), Task("B", 2)], [Link("A", "B", "FS", -3)])
    assert r.tasks["B"].early_start == 0


def test_ff_with_negative_lag():
    # A(6) -FF-2-> B(1): B finishes >= 6-2 = 4 -> 3-4. Finish 6.
    # Backward: B LF = 6, TF = 2; A: LF_A <= LF_B + 2 = 8 -> capped by the project end 6.
    r = compute_schedule([Task("A", 6), Task("B", 1)], [Link("A", "B", "FF", -2)])
    assert dates(r, "B") == (3, 4, 5, 6, 2, 2)
    assert dates(r, "A") == (0, 6, 0, 6, 0, 0)


def test_multiple_link_types_into_one_task():
    # A(4), B(2); A -SS+1-> C(3), B -FF+4-> C.
    # C start >= 0+1 = 1; C finish >= 2+4 = 6 -> start >= 3. So C 3-6 (FF drives).
    r = compute_schedule([Task("A", 4), Task("B", 2), Task("C", 3)],
                         [Link("A", "C", "SS", 1), Link("B", "C", "FF", 4)])
    assert dates(r, "C")[:2] == (3, 6)
    assert ("B", "C") in r.driving_links()
    assert ("A", "C") not in r.driving_links()
    assert r.critical_path() == ["B", "C"]


# ---------------------------------------------------------------- constraints
def test_start_no_earlier_than():
    # A(2) FS B(1) with SNET 5: B 5-6 (the constraint drives, not A).
    # A: LF = LS_B = 5 -> TF 3, free float 5-2 = 3.
    r = compute_schedule([Task("A", 2), Task("B", 1, earliest_start=5)], [Link("A", "B")])
    assert dates(r, "B") == (5, 6, 5, 6, 0, 0)
    assert dates(r, "A") == (0, 2, 3, 5, 3, 3)
    # an earlier SNET than the links allow changes nothing
    r = compute_schedule([Task("A", 2), Task("B", 1, earliest_start=1)], [Link("A", "B")])
    assert r.tasks["B"].early_start == 2


def test_missed_deadline_gives_negative_float_named():
    # A(3) FS B(4), B deadline 5; C(2) unrelated.
    # Forward: B 3-7, finish 7. Backward: B LF = min(7, 5) = 5 -> LS 1, TF -2;
    # A LF = 1 -> TF -2. C: LF 7, TF 5.
    tasks = [Task("A", 3), Task("B", 4, deadline=5), Task("C", 2)]
    r = compute_schedule(tasks, [Link("A", "B")])
    assert dates(r, "B") == (3, 7, 1, 5, -2, 0)
    assert dates(r, "A") == (0, 3, -2, 1, -2, 0)
    assert r.tasks["C"].total_float == 5
    assert r.tasks["A"].critical and r.tasks["B"].critical and not r.tasks["C"].critical
    misses = {m.task_id: m for m in r.deadline_misses}
    assert set(misses) == {"A", "B"}
    assert misses["B"].deadline_task == "B" and misses["B"].deadline == 5
    assert misses["A"].deadline_task == "B" and misses["A"].total_float == -2
    assert "'B'" in misses["A"].message and "2 periods late" in misses["A"].message
    assert "its deadline" in misses["B"].message


def test_met_deadline_limits_float_but_is_not_a_miss():
    # A(3), deadline 4, with B(6) making the project 6 long: A LF = 4, TF 1.
    r = compute_schedule([Task("A", 3, deadline=4), Task("B", 6)], [])
    assert r.tasks["A"].total_float == 1
    assert r.deadline_misses == []


def test_project_deadline():
    # A(3) FS B(2): finish 5; project deadline 4 -> every task 1 period late.
    r = compute_schedule([Task("A", 3), Task("B", 2)], [Link("A", "B")], project_deadline=4)
    assert r.finish == 5
    assert r.tasks["A"].total_float == -1 and r.tasks["B"].total_float == -1
    assert {m.task_id for m in r.deadline_misses} == {"A", "B"}
    assert all(m.deadline_task == PROJECT_DEADLINE for m in r.deadline_misses)
    # a later project deadline does not add float (backward pass from the finish)
    r = compute_schedule([Task("A", 3), Task("B", 2)], [Link("A", "B")], project_deadline=9)
    assert r.tasks["A"].total_float == 0


def test_milestones():
    # A(3) FS M(0) FS B(2): M at 3 (start == finish), B 3-5.
    r = compute_schedule([Task("A", 3), Task("M", 0), Task("B", 2)], [Link("A", "M"), Link("M", "B")])
    assert dates(r, "M") == (3, 3, 3, 3, 0, 0)
    assert dates(r, "B")[:2] == (3, 5)
    assert r.critical_path() == ["A", "M", "B"]


def test_milestone_with_deadline():
    # A(4) FS Launch(0, deadline 3): Launch at 4, 1 late; A TF -1.
    r = compute_schedule([Task("A", 4), Task("Launch", 0, deadline=3)], [Link("A", "Launch")])
    assert r.tasks["Launch"].total_float == -1
    assert r.tasks["A"].total_float == -1
    assert [m.deadline_task for m in r.deadline_misses] == ["Launch", "Launch"]


def test_free_float_vs_total_float():
    # A(2) FS C(1); B(4) FS C; A FS D(1).   C 4-5, D 2-3, finish 5.
    # A: FF = min(4-2 on A->C, 2-2 on A->D) = 0; TF: LF_A = min(LS_C=4, LS_D=4) = 4 -> 2.
    # D: no successor -> FF = 5-3 = 2, TF 2.  B: 0/0.
    tasks = [Task("A", 2), Task("B", 4), Task("C", 1), Task("D", 1)]
    r = compute_schedule(tasks, [Link("A", "C"), Link("B", "C"), Link("A", "D")])
    assert dates(r, "A") == (0, 2, 2, 4, 2, 0)
    assert dates(r, "D") == (2, 3, 4, 5, 2, 2)
    assert dates(r, "B") == (0, 4, 0, 4, 0, 0)


def test_free_float_on_ss_link():
    # A(2) -SS+1-> B(3); C(5). B 1-4, A 0-2, finish 5.
    # A FF on the SS link: s_B - (s_A + 1) = 0. B FF: 5 - 4 = 1.
    r = compute_schedule([Task("A", 2), Task("B", 3), Task("C", 5)], [Link("A", "B", "SS", 1)])
    assert r.tasks["A"].free_float == 0
    assert r.tasks["B"].free_float == 1
    assert r.tasks["A"].total_float == 1


# ---------------------------------------------------------------- critical path
def test_critical_path_diamond():
    # S(1) -> A(3) -> E(1); S -> B(2) -> E.   S 0-1, A 1-4, B 1-3, E 4-5.
    # B: LF = LS_E = 4 -> TF 1. Critical: S, A, E.
    tasks = [Task("S", 1), Task("A", 3), Task("B", 2), Task("E", 1)]
    links = [Link("S", "A"), Link("S", "B"), Link("A", "E"), Link("B", "E")]
    r = compute_schedule(tasks, links)
    assert r.tasks["B"].total_float == 1 and not r.tasks["B"].critical
    assert r.critical_path() == ["S", "A", "E"]
    assert r.critical_paths() == [["S", "A", "E"]]


def test_two_critical_chains():
    # S(1) -> A(3) -> E(1) and S -> B(3) -> E: both branches critical.
    # X(2) alone, TF 3, not critical.
    tasks = [Task("S", 1), Task("A", 3), Task("B", 3), Task("E", 1), Task("X", 2)]
    links = [Link("S", "A"), Link("S", "B"), Link("A", "E"), Link("B", "E")]
    r = compute_schedule(tasks, links)
    assert r.critical_paths() == [["S", "A", "E"], ["S", "B", "E"]]
    assert r.tasks["X"].total_float == 3


def test_critical_chain_to_a_missed_deadline_comes_after_longest_path():
    # Chain 1: A(5) -> B(5), finish 10 (longest path).  Chain 2: C(2) -> D(2, deadline 3).
    # D TF = 3 - 4 = -1, C TF -1: both critical with negative float.
    tasks = [Task("A", 5), Task("B", 5), Task("C", 2), Task("D", 2, deadline=3)]
    r = compute_schedule(tasks, [Link("A", "B"), Link("C", "D")])
    assert r.critical_paths() == [["A", "B"], ["C", "D"]]


def test_driving_chain_names_the_tasks_that_push_a_task():
    # S(1) -> A(3) -> E(1); S -> B(2) -> E; X(2, start >= 6) -> E. E starts at max(4, 3, 8) = 8:
    # X drives E, nothing drives X (its own earliest start), S/A/B do not.
    tasks = [Task("S", 1), Task("A", 3), Task("B", 2), Task("X", 2, earliest_start=6), Task("E", 1)]
    links = [Link("S", "A"), Link("S", "B"), Link("A", "E"), Link("B", "E"), Link("X", "E")]
    r = compute_schedule(tasks, links)
    assert r.driving_chain("E") == ["X", "E"]
    assert r.driving_chain("A") == ["S", "A"]
    assert r.driving_chain("S") == ["S"]
    # with X gone, the longest branch drives: S -> A -> E
    r = compute_schedule([t for t in tasks if t.id != "X"], links[:4])
    assert r.driving_chain("E") == ["S", "A", "E"]


def test_late_chain_runs_to_the_deadline_that_binds():
    # A(5) -> B(5) -> C(2, deadline 6), D(1) -> C.  C LS = 4, B LS = -1, A LS = -6: A is held back by
    # C's deadline through B; D too, directly.
    tasks = [Task("A", 5), Task("B", 5), Task("C", 2, deadline=6), Task("D", 1)]
    r = compute_schedule(tasks, [Link("A", "B"), Link("B", "C"), Link("D", "C")])
    assert r.tasks["A"].late_start == -6
    assert r.late_chain("A") == ["A", "B", "C"]
    assert r.late_chain("D") == ["D", "C"]


# ---------------------------------------------------------------- validation
def test_cycle_is_refused_naming_the_tasks_in_order():
    tasks = [Task("A", 1), Task("B", 1), Task("C", 1), Task("D", 1)]
    links = [Link("A", "B"), Link("B", "C"), Link("C", "D"), Link("D", "B", "SS", 0)]
    with pytest.raises(CycleError) as info:
        compute_schedule(tasks, links)
    assert info.value.cycle == ["B", "C", "D"]
    assert str(info.value) == "dependency cycle: B → C → D → B"


def test_self_link_is_a_cycle():
    with pytest.raises(CycleError) as info:
        compute_schedule([Task("A", 1)], [Link("A", "A", "FS", -1)])
    assert info.value.cycle == ["A"]


def test_find_cycle_refuses_a_candidate_link_before_saving():
    ids = ["design", "build", "test", "launch"]
    links = [Link("design", "build"), Link("build", "test"), Link("test", "launch")]
    assert find_cycle(ids, links) is None
    assert find_cycle(ids, links + [Link("launch", "design")]) == ["design", "build", "test", "launch"]
    assert find_cycle(ids, links + [("test", "build")]) == ["build", "test"]
    assert find_cycle(ids, links + [("launch", "test", "FF", 2)]) == ["test", "launch"]
    with pytest.raises(UnknownTaskError):
        find_cycle(ids, links + [("launch", "nope")])


def test_unknown_task_in_link():
    with pytest.raises(UnknownTaskError, match="'Z'"):
        compute_schedule([Task("A", 1)], [Link("A", "Z")])


def test_negative_duration():
    with pytest.raises(EngineError, match="'B' has a negative duration"):
        compute_schedule([Task("A", 1), Task("B", -2)], [])


def test_unknown_link_type():
    with pytest.raises(EngineError, match="unknown type 'XX'"):
        compute_schedule([Task("A", 1), Task("B", 1)], [Link("A", "B", "XX")])


def test_duplicate_task_id():
    with pytest.raises(EngineError, match="duplicate task id 'A'"):
        compute_schedule([Task("A", 1), Task("A", 2)], [])


def test_non_integer_duration_and_lag():
    with pytest.raises(EngineError, match="whole number"):
        compute_schedule([Task("A", 1.5)], [])
    with pytest.raises(EngineError, match="lag must be a whole number"):
        compute_schedule([Task("A", 1), Task("B", 1)], [Link("A", "B", "FS", 0.5)])


def test_empty_plan():
    r = compute_schedule([], [])
    assert r.finish == 0 and r.tasks == {} and r.critical_path() == [] and r.deadline_misses == []


# ---------------------------------------------------------------- progress
def test_progress_done_fixed_rest_rescheduled_from_status():
    # Status period 5.
    # A(3) done 0-4 (took one period longer).  A FS B.  B(4) started at 4, 50 % done:
    #   remaining ceil(4 * 50 / 100) = 2 -> resumes at max(status 5, A finish 4) = 5, ends 7.
    # B FS C(2): C 7-9.  D(2) has no links, not started: cannot start before status -> 5-7.
    tasks = [
        Task("A", 3, actual_start=0, actual_finish=4),
        Task("B", 4, actual_start=4, percent_complete=50),
        Task("C", 2),
        Task("D", 2),
    ]
    r = compute_schedule(tasks, [Link("A", "B"), Link("B", "C")], status_period=5)
    a, b, c, d = (r.tasks[k] for k in "ABCD")
    assert (a.early_start, a.early_finish, a.total_float, a.critical) == (0, 4, 0, False)
    assert (b.early_start, b.early_finish, b.remaining_start) == (4, 7, 5)
    assert (c.early_start, c.early_finish) == (7, 9)
    assert (d.early_start, d.early_finish, d.total_float) == (5, 7, 2)
    assert r.finish == 9
    assert b.critical and c.critical
    assert r.critical_path() == ["B", "C"]


def test_done_task_without_actual_start_and_remaining_rounds_up():
    # A(3) finished at 2 (start = 2-3 = -1 .. fine as history). B(3) started at 2, 10 % done:
    # remaining ceil(3 * 90 / 100) = ceil(2.7) = 3; status 4 -> B resumes 4, ends 7.
    tasks = [Task("A", 3, actual_finish=2), Task("B", 3, actual_start=2, percent_complete=10)]
    r = compute_schedule(tasks, [Link("A", "B")], status_period=4)
    assert (r.tasks["A"].early_start, r.tasks["A"].early_finish) == (-1, 2)
    assert (r.tasks["B"].early_start, r.tasks["B"].early_finish) == (2, 7)


def test_started_task_waits_for_unfinished_predecessor_retained_logic():
    # P(4) not started, status 2 -> P 2-6. B(4) started at 1 out of sequence, 50 %:
    # remaining 2 resumes after P: 6-8.
    tasks = [Task("P", 4), Task("B", 4, actual_start=1, percent_complete=50)]
    r = compute_schedule(tasks, [Link("P", "B")], status_period=2)
    assert (r.tasks["P"].early_start, r.tasks["P"].early_finish) == (2, 6)
    assert (r.tasks["B"].early_start, r.tasks["B"].early_finish, r.tasks["B"].remaining_start) == (1, 8, 6)


def test_ss_from_started_task_uses_its_actual_start():
    # A(10) started at 1, 20 %: remaining 8 -> status 3: 3-11. A -SS+1-> B(2): B >= 1+1 = 2,
    # but not before status 3 -> 3-5.
    tasks = [Task("A", 10, actual_start=1, percent_complete=20), Task("B", 2)]
    r = compute_schedule(tasks, [Link("A", "B", "SS", 1)], status_period=3)
    assert (r.tasks["A"].early_finish, r.tasks["B"].early_start) == (11, 3)


def test_links_into_finished_work_are_not_enforced_but_cycles_still_are():
    # B finished at 3 although its predecessor A is not done: B stays 0-3.
    tasks = [Task("A", 2), Task("B", 3, actual_start=0, actual_finish=3)]
    r = compute_schedule(tasks, [Link("A", "B")], status_period=1)
    assert (r.tasks["B"].early_start, r.tasks["B"].early_finish) == (0, 3)
    assert r.tasks["A"].early_start == 1
    with pytest.raises(CycleError):
        compute_schedule(tasks, [Link("A", "B"), Link("B", "A")], status_period=1)


def test_started_task_without_status_continues_from_its_progress():
    # B(4) started at 2, 25 % done, no status period: 1 period done, remaining 3 from 3 -> 6.
    r = compute_schedule([Task("B", 4, actual_start=2, percent_complete=25)], [])
    assert (r.tasks["B"].early_start, r.tasks["B"].early_finish, r.tasks["B"].remaining_start) == (2, 6, 3)


# ---------------------------------------------------------------- properties vs. a naive solver
def naive_schedule(tasks, links):
    """Fixed-point relaxation straight from the link definitions (slow, obviously right)."""
    d = {t.id: t.duration for t in tasks}
    es = {t.id: max(0, t.earliest_start or 0) for t in tasks}
    changed = True
    while changed:
        changed = False
        for link in links:
            p, s = link.predecessor, link.successor
            ref = es[p] + (d[p] if link.type[0] == "F" else 0) + link.lag
            bound = ref - (d[s] if link.type[1] == "F" else 0)
            if bound > es[s]:
                es[s], changed = bound, True
    finish = max((es[k] + d[k] for k in d), default=0)
    lf = {t.id: min(finish, t.deadline if t.deadline is not None else finish) for t in tasks}
    changed = True
    while changed:
        changed = False
        for link in links:
            p, s = link.predecessor, link.successor
            # the successor's late reference point, shifted back to a bound on p's finish
            ref = lf[s] - (0 if link.type[1] == "F" else d[s]) - link.lag
            bound = ref + (0 if link.type[0] == "F" else d[p])
            if bound < lf[p]:
                lf[p], changed = bound, True
    return es, lf, finish


@st.composite
def random_plans(draw):
    n = draw(st.integers(1, 12))
    tasks = []
    for i in range(n):
        tasks.append(Task(
            i, draw(st.integers(0, 6)),
            earliest_start=draw(st.one_of(st.none(), st.integers(0, 8))),
            deadline=draw(st.one_of(st.none(), st.integers(0, 25))),
        ))
    links = []
    for _ in range(draw(st.integers(0, 3 * n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a == b:
            continue
        links.append(Link(min(a, b), max(a, b), draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
                          draw(st.integers(-3, 4))))
    return tasks, links


@settings(max_examples=300, deadline=None)
@given(random_plans())
def test_matches_naive_solver_and_satisfies_links(plan):
    tasks, links = plan
    r = compute_schedule(tasks, links)
    es, lf, finish = naive_schedule(tasks, links)
    assert r.finish == finish
    for t in tasks:
        s = r.tasks[t.id]
        assert s.early_start == es[t.id]
        assert s.early_finish == es[t.id] + t.duration
        assert s.late_finish == lf[t.id]
        assert s.total_float == s.late_start - s.early_start == s.late_finish - s.early_finish
        assert s.critical == (s.total_float <= 0)
        assert 0 <= s.free_float <= max(s.total_float, 0)
        # free float from the link definitions: slack on each outgoing link, else to the finish
        slacks = []
        for link in links:
            if link.predecessor == t.id:
                q = r.tasks[link.successor]
                ref = (s.early_finish if link.type[0] == "F" else s.early_start) + link.lag
                slacks.append((q.early_finish if link.type[1] == "F" else q.early_start) - ref)
        expected_ff = min(slacks) if slacks else finish - s.early_finish
        assert s.free_float == min(expected_ff, max(s.total_float, 0))
    for link in links:  # early and late schedules both satisfy every link
        for start, fin in (("early_start", "early_finish"), ("late_start", "late_finish")):
            p, s = r.tasks[link.predecessor], r.tasks[link.successor]
            ref = getattr(p, fin if link.type[0] == "F" else start) + link.lag
            assert getattr(s, fin if link.type[1] == "F" else start) >= ref
    negative = {t for t, s in r.tasks.items() if s.total_float < 0}
    assert {m.task_id for m in r.deadline_misses} == negative
    for m in r.deadline_misses:  # the named deadline really is missed
        assert r.tasks[m.deadline_task].early_finish > m.deadline
