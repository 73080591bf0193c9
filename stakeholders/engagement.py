"""How to engage each stakeholder: the power/interest grid and the communication plan.

Plain Python (no models) so the rules are easy to test and to reuse in exports.
Scores run from 1 to 5; a 2×2 grid needs a clear cut, and 3 is the "don't know"
middle of the scale, so only 4 and 5 count as high.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

HIGH_FROM = 4  # scores 4–5 are high, 1–3 low


def is_high(score):
    return score is not None and score >= HIGH_FROM


@dataclass(frozen=True)
class Quadrant:
    key: str
    label: str
    strategy: str
    cadence: str
    rank: int  # 0 = needs the most attention; orders quadrants and cadences


MANAGE_CLOSELY = Quadrant(
    "manage_closely", _("Manage closely"),
    _("Involve in key decisions; agree goals and check progress with them directly."),
    _("Weekly"), 0,
)
KEEP_SATISFIED = Quadrant(
    "keep_satisfied", _("Keep satisfied"),
    _("Consult before decisions that affect them; keep updates short and focused on outcomes."),
    _("Bi-weekly"), 1,
)
KEEP_INFORMED = Quadrant(
    "keep_informed", _("Keep informed"),
    _("Share progress regularly and listen for problems early; they feel the details."),
    _("Bi-weekly update"), 2,
)
MONITOR = Quadrant(
    "monitor", _("Monitor"),
    _("Watch for changes in their interest or influence; keep effort light."),
    _("Monthly"), 3,
)
QUADRANTS = [MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR]


def quadrant(relevance, influence):
    """The power/interest quadrant for a relevance (interest) and influence (power) score."""
    if is_high(influence):
        return MANAGE_CLOSELY if is_high(relevance) else KEEP_SATISFIED
    return KEEP_INFORMED if is_high(relevance) else MONITOR


@dataclass
class Member:
    """What the communication plan needs to know about one stakeholder of a plan."""

    name: str
    audience: str
    relevance: int
    influence: int
    concerns: str = ""
    side: str = ""

    @property
    def quadrant(self):
        return quadrant(self.relevance, self.influence)


@dataclass
class AudienceGroup:
    key: str
    label: str
    members: list = field(default_factory=list)

    @property
    def cadence(self):
        """How often to meet the group: as often as its most demanding member needs."""
        if not self.members:
            return None
        return min((member.quadrant for member in self.members), key=lambda q: q.rank).cadence

    @property
    def concerns(self):
        """Each distinct concern line of the group, in member order."""
        seen, lines = set(), []
        for member in self.members:
            for line in (member.concerns or "").splitlines():
                line = line.strip()
                if line and line.lower() not in seen:
                    seen.add(line.lower())
                    lines.append(line)
        return lines


def communication_plan(members, audiences):
    """One group per audience, in the order of ``audiences`` ((key, label) pairs), members by weight.

    Members whose audience is not listed are left out rather than guessed into a group.
    """
    groups = {key: AudienceGroup(key, label) for key, label in audiences}
    for member in members:
        if member.audience in groups:
            groups[member.audience].members.append(member)
    for group in groups.values():
        # Stable sort: equal weights keep the PM's order.
        group.members.sort(key=lambda m: (m.quadrant.rank, -(m.relevance * m.influence)))
    return list(groups.values())


def counts(values, choices):
    """(key, label, count) for every choice, in choice order, zeros included."""
    tally = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    return [(key, label, tally.get(key, 0)) for key, label in choices]


# Reading order of the 2×2 grid: influence grows upwards, relevance to the right.
GRID_ORDER = [KEEP_SATISFIED, MANAGE_CLOSELY, MONITOR, KEEP_INFORMED]


def grid(members):
    """(quadrant, members) for the four cells of the grid, in GRID_ORDER."""
    cells = {q.key: [] for q in GRID_ORDER}
    for member in members:
        cells[member.quadrant.key].append(member)
    return [(q, cells[q.key]) for q in GRID_ORDER]
