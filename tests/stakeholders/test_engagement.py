import pytest

from stakeholders import engagement
from stakeholders.engagement import Member

AUDIENCES = [("team", "Team"), ("partner", "Partner"), ("management", "Management")]


@pytest.mark.parametrize("relevance, influence, expected", [
    (5, 5, "manage_closely"), (4, 4, "manage_closely"),
    (3, 4, "keep_satisfied"), (1, 5, "keep_satisfied"),
    (4, 3, "keep_informed"), (5, 1, "keep_informed"),
    (3, 3, "monitor"), (1, 1, "monitor"),
])
def test_quadrant_counts_only_4_and_5_as_high(relevance, influence, expected):
    assert engagement.quadrant(relevance, influence).key == expected


def test_each_quadrant_has_its_cadence():
    assert str(engagement.quadrant(5, 5).cadence) == "Weekly"
    assert str(engagement.quadrant(1, 5).cadence) == "Bi-weekly"
    assert str(engagement.quadrant(5, 1).cadence) == "Bi-weekly update"
    assert str(engagement.quadrant(1, 1).cadence) == "Monthly"


def test_communication_plan_groups_by_audience_most_engaged_first():
    members = [
        Member("A", "team", 2, 2, "uptime"),
        Member("B", "partner", 5, 5, "launch date\nGMV"),
        Member("C", "team", 5, 2, "uptime\nalerts"),
        Member("D", "elsewhere", 5, 5),
    ]
    groups = engagement.communication_plan(members, AUDIENCES)
    assert [g.key for g in groups] == ["team", "partner", "management"]
    team, partner, management = groups
    assert [m.name for m in team.members] == ["C", "A"]
    assert str(team.cadence) == "Bi-weekly update"  # C keeps informed, A only monitored
    assert team.concerns == ["uptime", "alerts"]  # duplicates merged, order kept
    assert str(partner.cadence) == "Weekly"
    assert management.members == [] and management.cadence is None


def test_counts_include_empty_choices():
    assert engagement.counts(["team", "team", "partner"], AUDIENCES) == [
        ("team", "Team", 2), ("partner", "Partner", 1), ("management", "Management", 0)]


def test_grid_places_people_in_reading_order():
    cells = engagement.grid([Member("A", "team", 5, 5), Member("B", "team", 1, 1)])
    assert [q.key for q, _ in cells] == ["keep_satisfied", "manage_closely", "monitor", "keep_informed"]
    assert [m.name for m in cells[1][1]] == ["A"] and [m.name for m in cells[2][1]] == ["B"]
