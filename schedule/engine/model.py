"""The scheduling engine's data contract.

Plain Python on purpose: the engine is tested and benchmarked without Django.
Time is measured in integer *periods* (working days once a calendar maps them to
dates). A task with duration d that starts at s occupies periods [s, s + d) and
finishes at s + d; a milestone (d == 0) starts and finishes at the same instant.
"""
from __future__ import annotations

from dataclasses import dataclass, field

LINK_TYPES = ("FS", "SS", "FF", "SF")


class EngineError(ValueError):
    """Input the engine refuses. The message is meant for a person."""


class CycleError(EngineError):
    def __init__(self, cycle: list):
        self.cycle = list(cycle)
        names = " → ".join(str(task_id) for task_id in self.cycle + self.cycle[:1])
        super().__init__(f"dependency cycle: {names}")


class UnknownTaskError(EngineError):
    pass


@dataclass
class Task:
    id: object
    duration: int
    # resource name -> units used while the task runs (levelling only)
    resources: dict = field(default_factory=dict)
    # start-no-earlier-than, in periods
    earliest_start: int | None = None
    # finish-no-later-than, in periods; missing it gives negative float
    deadline: int | None = None
    # progress: a started task keeps its actual start, a finished one its actual finish
    actual_start: int | None = None
    actual_finish: int | None = None
    percent_complete: int = 0
    # must start on, in periods: a not-started task starts exactly here, whatever its links say (a
    # predecessor finishing later is a conflict the pass reports, not a reason to move it)
    fixed_start: int | None = None


@dataclass
class Link:
    predecessor: object
    successor: object
    type: str = "FS"
    lag: int = 0


@dataclass
class ScheduledTask:
    id: object
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_float: int
    free_float: int
    critical: bool
    # started, unfinished tasks: the period their remaining work (re)starts; None otherwise
    remaining_start: int | None = None
