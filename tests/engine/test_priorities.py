"""Per-audience priority ranking."""
import pytest

from schedule.engine.priorities import (
    DEFAULT_WEIGHTS,
    EXPLANATIONS,
    PART_LABELS,
    PriorityInput,
    Touch,
    rank,
    rank_all,
)


def plan():
    return [
        PriorityInput("docs", "Write docs", total_float=8, days_until_due=20, status="not_started"),
        PriorityInput("api", "Build API", total_float=0, days_until_due=3, status="in_progress",
                      stakeholders=[Touch("team", 3, 3)]),
        PriorityInput("keys", "Get API keys from partner", total_float=0, days_until_due=1, status="blocked",
                      visibility="shared", stakeholders=[Touch("partner", 5, 4, "Partner CTO")]),
        PriorityInput("old", "Kick-off", status="done", total_float=0, is_milestone=True, visibility="shared"),
        PriorityInput("sec", "Security review", total_float=-3, days_until_due=-2, status="not_started",
                      overdue=True, slipped_days=4, stakeholders=[Touch("management", 4, 5)]),
        PriorityInput("beta", "Partner beta", total_float=2, days_until_due=6, is_milestone=True,
                      visibility="shared", stakeholders=[("partner", 3, 3)]),
        PriorityInput("launch", "Launch", total_float=1, days_until_due=15, is_milestone=True, is_launch=True,
                      visibility="shared"),
        PriorityInput("logo", "Pick a logo", total_float=12, status="not_started", visibility="shared"),
    ]


def ids(items):
    return [i.id for i in items]


def test_team_view_what_to_do_next():
    ranked = rank(plan(), "team")
    assert "old" not in ids(ranked)  # done is excluded
    assert [i.rank for i in ranked] == list(range(1, len(ranked) + 1))
    # keys: blocked 15 + critical 30 + due in 1: 25*9/10 = 22.5 + partner 5x4: 16 -> 83.5
    # sec:  critical 30 + overdue 25 + management 4x5: 16 -> 71
    # api:  in progress 9 + critical 30 + due in 3: 17.5 + team 3x3: 7.2 -> 63.7
    assert ids(ranked)[:3] == ["keys", "sec", "api"]
    assert [i.score for i in ranked[:3]] == [83.5, 71.0, 63.7]
    assert ids(ranked)[-1] in {"logo", "docs"}
    top = ranked[0]
    assert {p.key for p in top.parts} == {"status", "criticality", "urgency", "stakeholder"}
    assert top.parts[0].key == "criticality"  # parts sorted by points
    assert sum(p.points for p in top.parts) == pytest.approx(top.score)


def test_partner_view_only_shared_and_asks_of_partner():
    ranked = rank(plan(), "partner")
    assert set(ids(ranked)) == {"keys", "beta", "launch", "logo"}  # shared, not done
    # keys: asked of partner 20*5*4/25 = 16 + blocked 15 + due in 1: 22.5 + critical 30 = 83.5
    # beta: milestone 20 + partner 3x3: 7.2 + due in 6: 10 + float 2: 24 = 61.2
    # launch: milestone 20 + float 1: 27 = 47 (no launch bonus: that is management's)
    assert ids(ranked) == ["keys", "beta", "launch", "logo"]
    assert [i.score for i in ranked] == [83.5, 61.2, 47.0, 0.0]
    keys = ranked[0]
    asked = next(p for p in keys.parts if p.key == "partner_action")
    assert asked.label == PART_LABELS["partner_action"]
    assert asked.points == 16.0  # 20 * 5 * 4 / 25
    assert "relevance 5 × influence 4" in asked.explanation
    assert {p.key for p in ranked[1].parts} >= {"milestone", "partner_action"}


def test_management_view_milestones_and_risks():
    ranked = rank(plan(), "management")
    # milestones (launch, beta) and risks (sec: negative float, overdue, slipped; keys: blocked)
    assert set(ids(ranked)) == {"sec", "launch", "beta", "keys"}
    sec = next(i for i in ranked if i.id == "sec")
    risk_keys = {p.key for p in sec.parts if p.key.startswith("risk_")}
    assert risk_keys == {"risk_float", "risk_slipped"}
    slipped = next(p for p in sec.parts if p.key == "risk_slipped")
    assert slipped.points == 10.0  # 25 * 4 / 10
    assert "Slipped 4 days" in slipped.explanation
    launch = next(i for i in ranked if i.id == "launch")
    assert {"milestone", "launch"} <= {p.key for p in launch.parts}
    assert ids(ranked)[0] == "sec"
    assert ids(ranked).index("launch") < ids(ranked).index("beta")


def test_override_moves_an_item_up_and_is_explained():
    items = plan()
    items[0].priority_override = 100  # docs
    ranked = rank(items, "team")
    assert ranked[0].id == "docs"
    part = next(p for p in ranked[0].parts if p.key == "override")
    assert part.points == 100 and "100 points" in part.explanation


def test_weights_change_the_ranking():
    # with urgency dominant, the overdue security review beats the blocked key request
    ranked = rank(plan(), "team", {"urgency": 200, "criticality": 0})
    assert ranked[0].id == "sec"
    assert all(p.key != "criticality" for item in ranked for p in item.parts)
    # keys that are not weights (e.g. stale ones stored with a plan) are ignored
    assert [i.score for i in rank(plan(), "team", {"bogus": 1})] == [i.score for i in rank(plan(), "team")]
    with pytest.raises(ValueError, match="float_horizon"):
        rank(plan(), "team", {"float_horizon": 0})


def test_float_and_due_fade_out_at_their_horizons():
    items = [PriorityInput("a", total_float=5, days_until_due=5), PriorityInput("b", total_float=10, days_until_due=10)]
    a, b = rank(items, "team")
    assert a.id == "a" and a.score == pytest.approx(DEFAULT_WEIGHTS["criticality"] / 2 + DEFAULT_WEIGHTS["urgency"] / 2)
    assert b.score == 0 and b.parts == []


def test_ties_break_on_float_then_due_then_input_order():
    items = [PriorityInput("x", total_float=20), PriorityInput("y", total_float=15),
             PriorityInput("z", total_float=15, days_until_due=30)]
    assert ids(rank(items, "team")) == ["z", "y", "x"]


def test_explanations_are_translatable():
    for item in rank_all(plan())["management"]:
        for part in item.parts:
            assert part.label == PART_LABELS[part.key]
            expl = part.explanation
            assert EXPLANATIONS[expl.template] % expl.params == expl
            key, label, points, text = part  # the (key, label, points, explanation) shape
            assert text == expl


def test_dict_input_and_unknown_values():
    ranked = rank([{"id": 1, "title": "T", "total_float": 0, "status": "blocked"}], "team")
    assert ranked[0].id == 1 and ranked[0].score == 45.0
    with pytest.raises(ValueError, match="unknown audience"):
        rank([], "investors")
    with pytest.raises(ValueError, match="unknown status"):
        rank([{"id": 1, "status": "waiting"}], "team")


def test_rank_all_and_limit():
    views = rank_all(plan(), limit=2)
    assert set(views) == {"team", "partner", "management"}
    assert all(len(v) == 2 for v in views.values())
    assert views["team"][0].why().startswith("Critical path +30")
