"""Per-audience priority ranking: a pure function from task facts to an explained ranking.

Three audiences see three different lists:

* ``"team"``        -- what to do next: every task not done; blocked, critical and soon-due first.
* ``"partner"``     -- only ``visibility == "shared"`` tasks not done: what is asked of
  partner-side stakeholders, and the milestones they wait for.
* ``"management"``  -- milestones (the launch milestone always) and risks: negative float,
  blocked, slipped against the baseline, overdue.

Every item carries ``parts``: ``Part(key, label, points, explanation)`` tuples, so the UI can show
why an item is #3. ``label`` is the English text of ``PART_LABELS[key]``; ``explanation`` is an
English sentence that is also an :class:`Explanation` (a ``str``) carrying ``.template`` (a key
of ``EXPLANATIONS``) and ``.params``, so the Django layer can translate both::

    _(PART_LABELS[part.key]);  _(EXPLANATIONS[part.explanation.template]) % part.explanation.params

Score = sum of the parts' points. Points are scaled by ``weights`` (see ``DEFAULT_WEIGHTS``); a
part with 0 points is left out. Ties are broken by float (lower first), then days until due
(sooner first), then input order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple

AUDIENCES = ("team", "partner", "management")
STATUSES = ("not_started", "in_progress", "blocked", "done")

DEFAULT_WEIGHTS: dict[str, float] = {
    "criticality": 30.0,  # full points at float <= 0, fading to 0 at float_horizon
    "urgency": 25.0,  # full points when due now / overdue, fading to 0 at due_horizon
    "stakeholder": 20.0,  # full points for relevance 5 x influence 5
    "status": 15.0,  # blocked: full, in progress: 60 % (team view)
    "override": 1.0,  # multiplier for the hand-set priority points
    "milestone": 20.0,  # partner and management views
    "launch": 25.0,  # the launch milestone, on top of "milestone" (management)
    "risk": 25.0,  # per risk found (negative float, blocked, slipped), management view
    "float_horizon": 10.0,  # periods of float at which criticality reaches 0
    "due_horizon": 10.0,  # days until due at which urgency reaches 0
    "slip_horizon": 10.0,  # days slipped at which the slip risk is full
}

#: part key -> English label (wrap with gettext in the app)
PART_LABELS: dict[str, str] = {
    "criticality": "Critical path",
    "urgency": "Due soon",
    "stakeholder": "Stakeholders",
    "partner_action": "Asked of the partner",
    "status": "Status",
    "override": "Priority set by hand",
    "milestone": "Milestone",
    "launch": "Launch milestone",
    "risk_float": "Behind schedule",
    "risk_blocked": "Blocked",
    "risk_slipped": "Slipped against baseline",
}

#: explanation template key -> English template with %(name)s placeholders (wrap with gettext)
EXPLANATIONS: dict[str, str] = {
    "float_negative": "%(days)s days behind: negative float",
    "float_zero": "No float: any delay moves the finish",
    "float_small": "Only %(days)s days of float",
    "due_overdue": "Overdue",
    "due_overdue_by": "Overdue by %(days)s days",
    "due_today": "Due today",
    "due_in": "Due in %(days)s days",
    "stakeholders": "Touches %(count)s stakeholders; strongest: relevance %(relevance)s × influence %(influence)s",
    "stakeholder_one": "Touches a stakeholder with relevance %(relevance)s × influence %(influence)s",
    "partner_asked": "Needs %(count)s partner-side stakeholders; strongest: relevance %(relevance)s × influence %(influence)s",
    "status_blocked": "Blocked: unblock it before anything else",
    "status_in_progress": "In progress: finish what is started",
    "override": "Priority set by hand: %(points)s points",
    "milestone": "A milestone others wait for",
    "launch": "The launch milestone",
    "risk_float": "Misses its date by %(days)s days unless recovered",
    "risk_blocked": "Blocked",
    "risk_slipped": "Slipped %(days)s days against the baseline",
}


class Explanation(str):
    """An English explanation that remembers its template key and parameters."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        obj = super().__new__(cls, EXPLANATIONS[template] % params)
        obj.template = template
        obj.params = params
        return obj


class Part(NamedTuple):
    key: str
    label: str
    points: float
    explanation: Explanation


class Touch(NamedTuple):
    """A stakeholder a task touches (``audience`` is "team", "partner" or "management")."""

    audience: str
    relevance: int  # 1-5
    influence: int  # 1-5
    name: str = ""


@dataclass
class PriorityInput:
    id: object
    title: str = ""
    total_float: int | None = None  # may be negative
    days_until_due: int | None = None  # deadline (or late finish) minus status; < 0 overdue
    status: str = "not_started"
    is_milestone: bool = False
    visibility: str = "internal"  # "internal" or "shared"
    priority_override: int | None = None
    overdue: bool = False
    slipped_days: int | None = None  # finish vs baseline finish; > 0 late
    stakeholders: list = field(default_factory=list)  # Touch or (audience, relevance, influence[, name])
    is_launch: bool = False


@dataclass
class RankedItem:
    rank: int
    id: object
    title: str
    score: float
    parts: list[Part]
    task: PriorityInput

    def why(self) -> str:
        """One English line, e.g. for logs: "Critical path +30 (No float...); Due soon +12.5 ..."."""
        return "; ".join(f"{p.label} {p.points:+g} ({p.explanation})" for p in self.parts)


# ---------------------------------------------------------------------- parts
def _part(key, score, template, **params) -> Part | None:
    score = round(score, 1)
    if score == 0:
        return None
    return Part(key, PART_LABELS[key], score, Explanation(template, **params))


def _criticality(t: PriorityInput, w) -> Part | None:
    f = t.total_float
    if f is None:
        return None
    full = w["criticality"]
    if f < 0:
        return _part("criticality", full, "float_negative", days=-f)
    if f == 0:
        return _part("criticality", full, "float_zero")
    horizon = w["float_horizon"]
    if f >= horizon:
        return None
    return _part("criticality", full * (horizon - f) / horizon, "float_small", days=f)


def _urgency(t: PriorityInput, w) -> Part | None:
    d = t.days_until_due
    full = w["urgency"]
    if d is not None and d < 0:
        return _part("urgency", full, "due_overdue_by", days=-d)
    if t.overdue:
        return _part("urgency", full, "due_overdue")
    if d is None:
        return None
    if d == 0:
        return _part("urgency", full, "due_today")
    horizon = w["due_horizon"]
    if d >= horizon:
        return None
    return _part("urgency", full * (horizon - d) / horizon, "due_in", days=d)


def _touches(t: PriorityInput) -> list[Touch]:
    out = []
    for s in t.stakeholders:
        touch = s if isinstance(s, Touch) else Touch(*s)
        out.append(touch)
    return out


def _stakeholder(t: PriorityInput, w, audiences=None, key="stakeholder") -> Part | None:
    touches = [s for s in _touches(t) if audiences is None or s.audience in audiences]
    if not touches:
        return None
    best = max(touches, key=lambda s: s.relevance * s.influence)
    rel, inf = _clamp(best.relevance), _clamp(best.influence)
    points = w["stakeholder"] * rel * inf / 25
    if key == "partner_action":
        return _part(key, points, "partner_asked", count=len(touches), relevance=rel, influence=inf)
    if len(touches) == 1:
        return _part(key, points, "stakeholder_one", relevance=rel, influence=inf)
    return _part(key, points, "stakeholders", count=len(touches), relevance=rel, influence=inf)


def _status(t: PriorityInput, w) -> Part | None:
    if t.status == "blocked":
        return _part("status", w["status"], "status_blocked")
    if t.status == "in_progress":
        return _part("status", w["status"] * 0.6, "status_in_progress")
    return None


def _override(t: PriorityInput, w) -> Part | None:
    if not t.priority_override:
        return None
    return _part("override", t.priority_override * w["override"], "override", points=t.priority_override)


def _milestone(t: PriorityInput, w, launch=True) -> list[Part | None]:
    if not t.is_milestone:
        return []
    parts = [_part("milestone", w["milestone"], "milestone")]
    if t.is_launch and launch:
        parts.append(_part("launch", w["launch"], "launch"))
    return parts


def _risks(t: PriorityInput, w) -> list[Part | None]:
    parts = []
    if t.total_float is not None and t.total_float < 0:
        parts.append(_part("risk_float", w["risk"], "risk_float", days=-t.total_float))
    if t.status == "blocked":
        parts.append(_part("risk_blocked", w["risk"], "risk_blocked"))
    if t.slipped_days is not None and t.slipped_days > 0:
        share = min(1.0, t.slipped_days / w["slip_horizon"])
        parts.append(_part("risk_slipped", w["risk"] * share, "risk_slipped", days=t.slipped_days))
    return parts


def _clamp(v) -> int:
    return max(1, min(5, int(v)))


# ---------------------------------------------------------------------- views
def _team(t: PriorityInput, w) -> list | None:
    if t.status == "done":
        return None
    return [_status(t, w), _criticality(t, w), _urgency(t, w), _stakeholder(t, w), _override(t, w)]


def _partner(t: PriorityInput, w) -> list | None:
    if t.status == "done" or t.visibility != "shared":
        return None
    asked = _stakeholder(t, w, audiences=("partner",), key="partner_action")
    # blocked work that needs the partner is most likely waiting for the partner
    status = _status(t, w) if asked is not None and t.status == "blocked" else None
    return [*_milestone(t, w, launch=False), asked, status, _urgency(t, w), _criticality(t, w),
            _override(t, w)]


def _management(t: PriorityInput, w) -> list | None:
    if t.status == "done":
        return None
    risks = _risks(t, w)
    if not (t.is_milestone or t.is_launch or any(risks) or t.overdue
            or (t.days_until_due is not None and t.days_until_due < 0)):
        return None
    return [*_milestone(t, w), *risks, _urgency(t, w),
            _stakeholder(t, w, audiences=("management",)), _override(t, w)]


_VIEWS = {"team": _team, "partner": _partner, "management": _management}


def rank(
    items: Iterable[PriorityInput | Mapping],
    audience: str,
    weights: Mapping[str, float] | None = None,
    *,
    limit: int | None = None,
) -> list[RankedItem]:
    """Rank ``items`` for ``audience`` ("team", "partner" or "management").

    ``items`` are :class:`PriorityInput` objects or dicts with the same keys. ``weights``
    overrides some of ``DEFAULT_WEIGHTS`` (other keys are ignored). Returns ranked items, rank 1
    first.
    """
    if audience not in _VIEWS:
        raise ValueError(f"unknown audience {audience!r}; use one of {', '.join(AUDIENCES)}")
    w = dict(DEFAULT_WEIGHTS)
    if weights:
        # keys that are not weights (e.g. stale ones stored with a plan) are ignored
        w.update((k, float(v)) for k, v in weights.items() if k in DEFAULT_WEIGHTS and v is not None)
        for k in ("float_horizon", "due_horizon", "slip_horizon"):
            if w[k] <= 0:
                raise ValueError(f"weight {k!r} must be > 0")
    view = _VIEWS[audience]
    scored = []
    for pos, raw in enumerate(items):
        t = raw if isinstance(raw, PriorityInput) else PriorityInput(**raw)
        if t.status not in STATUSES:
            raise ValueError(f"task {t.id!r}: unknown status {t.status!r}")
        parts = view(t, w)
        if parts is None:
            continue
        parts = [p for p in parts if p is not None]
        parts.sort(key=lambda p: -p.points)
        score = round(sum(p.points for p in parts), 1)
        f = t.total_float if t.total_float is not None else 1 << 30
        due = t.days_until_due if t.days_until_due is not None else 1 << 30
        scored.append(((-score, f, due, pos), t, score, parts))
    scored.sort(key=lambda s: s[0])
    if limit is not None:
        scored = scored[:limit]
    return [RankedItem(k + 1, t.id, t.title, score, parts, t)
            for k, (_key, t, score, parts) in enumerate(scored)]


def rank_all(items: Iterable[PriorityInput | Mapping], weights: Mapping[str, float] | None = None,
             *, limit: int | None = None) -> dict[str, list[RankedItem]]:
    """The three rankings at once: {"team": [...], "partner": [...], "management": [...]}."""
    items = list(items)
    return {a: rank(items, a, weights, limit=limit) for a in AUDIENCES}
