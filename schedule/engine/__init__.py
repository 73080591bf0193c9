"""Paasport scheduling engine: pure Python, no Django.

Public API (see each module's docstring for conventions):

* model:      Task, Link, ScheduledTask, LINK_TYPES, EngineError, CycleError, UnknownTaskError
* calendar:   WorkCalendar, PACKAGE_YEARS
* cpm:        compute_schedule(tasks, links, *, status_period=None, project_deadline=None) -> CpmResult,
              find_cycle(task_ids, links) -> list | None, cycle_text(cycle, names), DeadlineMiss,
              FixedStartConflict, PROJECT_DEADLINE
* priorities: rank(items, audience, weights=None, *, limit=None), rank_all(...), PriorityInput,
              Touch, RankedItem, Part, PART_LABELS, EXPLANATIONS, DEFAULT_WEIGHTS, AUDIENCES
* levelling:  ``from schedule.engine.levelling import level`` (imported lazily: it needs OR-Tools)
"""
from .calendar import PACKAGE_YEARS, WorkCalendar
from .cpm import (
    PROJECT_DEADLINE,
    CpmResult,
    DeadlineMiss,
    FixedStartConflict,
    compute_schedule,
    cycle_text,
    find_cycle,
)
from .model import (
    LINK_TYPES,
    CycleError,
    EngineError,
    Link,
    ScheduledTask,
    Task,
    UnknownTaskError,
)
from .priorities import (
    AUDIENCES,
    DEFAULT_WEIGHTS,
    EXPLANATIONS,
    PART_LABELS,
    Part,
    PriorityInput,
    RankedItem,
    Touch,
    rank,
    rank_all,
)

__all__ = [
    "AUDIENCES", "DEFAULT_WEIGHTS", "EXPLANATIONS", "LINK_TYPES", "PACKAGE_YEARS", "PART_LABELS",
    "PROJECT_DEADLINE", "CpmResult", "CycleError", "DeadlineMiss", "FixedStartConflict", "EngineError", "Link", "Part",
    "PriorityInput", "RankedItem", "ScheduledTask", "Task", "Touch", "UnknownTaskError",
    "WorkCalendar", "compute_schedule", "cycle_text", "find_cycle", "rank", "rank_all",
]
