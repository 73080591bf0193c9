"""Reads of the joint-test matrix (interface × environment) and what it means for a plan.

A cell without a JointTest row is "not started": rows are created on the first save, so a product
with 300 interfaces does not carry 900 empty rows. Every environment is in scope of a roll-up:
an interface is jointly tested when it passed in sandbox, pre-production and production.

The roll-up of a 联调 task (one linked to interfaces through ``Interface.tasks``):
  % complete = passed cells / all cells of its interfaces;
  status     = blocked if any cell is blocked, done when every cell passed, in progress when any
               cell left "not started", else not started.
``task_rollup`` computes it; ``services.joint_test_*`` apply it through ``schedule.services``.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from schedule.models import Task

from .models import Direction, Environment, Interface, JointTest

ENVIRONMENTS = list(Environment)
Status = JointTest.Status
PAGE_SIZE = 100
# Tones for the colour of a status; the text is always written beside it.
TONES = {Status.NOT_STARTED: "none", Status.IN_PROGRESS: "active", Status.PASSED: "ok", Status.FAILED: "bad",
         Status.BLOCKED: "blocked"}
SIDE_CHOICES = [("", _("Both sides")), *Direction.choices]


@dataclass
class Cell:
    """One interface in one environment, as the matrix shows it (a missing row: not started)."""

    interface_id: int
    environment: str
    pk: int | None = None
    status: str = Status.NOT_STARTED
    version: int = 0
    tester: str = ""
    tested_on: object = None
    has_evidence: bool = False

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def tone(self):
        return TONES[self.status]

    @property
    def key(self):
        return f"{self.interface_id}:{self.environment}:{self.version}"


@dataclass
class Row:
    interface: Interface
    cells: list = field(default_factory=list)
    task_titles: list = field(default_factory=list)


def _tester_name(first, last, username):
    name = f"{last}{first}" if (first and _is_cjk(first + last)) else f"{first} {last}".strip()
    return name or username or ""


def _is_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def cells_of(interface_ids):
    """{(interface id, environment): Cell} of the rows that exist, in one query."""
    found, names = {}, {}
    rows = JointTest.objects.filter(interface_id__in=interface_ids).values_list(
        "pk", "interface_id", "environment", "status", "version", "tested_on", "evidence_id",
        "tester__first_name", "tester__last_name", "tester__username")
    for pk, interface_id, env, status, version, tested_on, evidence, first, last, username in rows:
        found[(interface_id, env)] = Cell(interface_id, env, pk=pk, status=status, version=version,
                                          tester=names.get(username) or names.setdefault(
                                              username, _tester_name(first or "", last or "", username or "")),
                                          tested_on=tested_on, has_evidence=evidence is not None)
    return found


def row_cells(interface_id):
    """The cells of one interface, in environment order."""
    found = cells_of([interface_id])
    return [found.get((interface_id, env.value)) or Cell(interface_id, env.value) for env in ENVIRONMENTS]


def _matches(row, status, environment):
    if not status:
        return True
    return any(cell.status == status for cell in row.cells if not environment or cell.environment == environment)


def matrix_rows(product, *, status="", side="", environment="", plan=None):
    """Every row of the product's matrix that the filters keep, in inventory order: three queries
    whatever the number of interfaces (interfaces, cells, and the plan's linked tasks)."""
    interfaces = Interface.objects.filter(product=product).only(
        "pk", "method", "path", "summary", "direction", "product_id", "position", "version")
    if side:
        interfaces = interfaces.filter(direction=side)
    interfaces = list(interfaces)
    cells = cells_of([i.pk for i in interfaces])
    titles = defaultdict(list)
    if plan is not None:
        for interface_id, title in Interface.tasks.through.objects.filter(
                interface__product=product, task__plan=plan).order_by("task__position", "task_id").values_list(
                "interface_id", "task__title"):
            titles[interface_id].append(title)
    rows = []
    for interface in interfaces:
        row = Row(interface, [cells.get((interface.pk, env.value)) or Cell(interface.pk, env.value)
                              for env in ENVIRONMENTS], titles.get(interface.pk, []))
        if _matches(row, status, environment):
            rows.append(row)
    return rows


def matrix_summary(rows):
    """{status: count} over the cells of ``rows``, and their total."""
    counts = {s.value: 0 for s in Status}
    for row in rows:
        for cell in row.cells:
            counts[cell.status] += 1
    return [(s, Status(s).label, TONES[s], n) for s, n in counts.items()], sum(counts.values())


# ----------------------------------------------------------------------------- roll-up
@dataclass(frozen=True)
class Rollup:
    total: int
    passed: int
    blocked: int
    started: int

    @property
    def percent(self):
        return 100 * self.passed // self.total if self.total else 0

    @property
    def task_status(self):
        if self.blocked:
            return Task.Status.BLOCKED
        if self.total and self.passed == self.total:
            return Task.Status.DONE
        if self.started:
            return Task.Status.IN_PROGRESS
        return Task.Status.NOT_STARTED


def _rollup(interface_count, statuses):
    return Rollup(total=interface_count * len(ENVIRONMENTS), passed=statuses.get(Status.PASSED, 0),
                  blocked=statuses.get(Status.BLOCKED, 0),
                  started=sum(n for s, n in statuses.items() if s != Status.NOT_STARTED))


def task_rollups(task_ids):
    """{task id: Rollup} of the given tasks that are linked to at least one interface (two queries)."""
    through = Interface.tasks.through
    counts = dict(through.objects.filter(task_id__in=task_ids).values("task_id").annotate(n=Count("interface_id"))
                  .values_list("task_id", "n"))
    statuses = defaultdict(dict)
    for task_id, status, n in (through.objects.filter(task_id__in=list(counts), interface__joint_tests__isnull=False)
                               .values("task_id", "interface__joint_tests__status")
                               .annotate(n=Count("interface__joint_tests"))
                               .values_list("task_id", "interface__joint_tests__status", "n")):
        statuses[task_id][status] = n
    return {task_id: _rollup(n, statuses[task_id]) for task_id, n in counts.items()}


def linked_task_ids(interface_ids):
    return set(Interface.tasks.through.objects.filter(interface_id__in=interface_ids).values_list("task_id", flat=True))


# ----------------------------------------------------------------------------- readiness
@dataclass(frozen=True)
class Readiness:
    """A product's interfaces as the portfolio and the partner page count them."""

    interfaces: int
    passed: int
    total: int
    blocked: int

    @property
    def percent(self):
        return 100 * self.passed // self.total if self.total else 0


def readiness_of_products(product_ids):
    """{product id: Readiness} in two queries, whatever the number of products."""
    interfaces = dict(Interface.objects.filter(product_id__in=product_ids).values("product_id")
                      .annotate(n=Count("pk")).values_list("product_id", "n"))
    tests = {pk: (passed, blocked) for pk, passed, blocked in JointTest.objects.filter(
        interface__product_id__in=list(interfaces)).values("interface__product_id").annotate(
        passed=Count("pk", filter=Q(status=Status.PASSED)), blocked=Count("pk", filter=Q(status=Status.BLOCKED)))
        .values_list("interface__product_id", "passed", "blocked")}
    return {pk: Readiness(interfaces=n, passed=tests.get(pk, (0, 0))[0], total=n * len(ENVIRONMENTS),
                          blocked=tests.get(pk, (0, 0))[1]) for pk, n in interfaces.items()}


def partner_interfaces(product):
    """The partner-provided interfaces of a product and their status per environment, as a partner
    may see them: method, path, summary, status and the day tested. No notes, request ids, testers
    or evidence."""
    interfaces = list(Interface.objects.filter(product=product, direction=Direction.PARTNER_PROVIDES)
                      .only("pk", "method", "path", "summary", "position"))
    cells = cells_of([i.pk for i in interfaces])
    out = []
    for interface in interfaces:
        row_cells = []
        for env in ENVIRONMENTS:
            cell = cells.get((interface.pk, env.value)) or Cell(interface.pk, env.value)
            row_cells.append({"status": cell.status, "status_label": cell.status_label, "tone": cell.tone,
                              "tested_on": cell.tested_on})
        out.append({"method": interface.method, "path": interface.path, "summary": interface.summary,
                    "cells": row_cells})
    return out
