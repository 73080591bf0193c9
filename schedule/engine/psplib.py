"""Reader for PSPLIB single-mode RCPSP files (``.sm``) and their optimum tables.

Turns an instance into the engine's data contract: one :class:`Task` per job
(ids are the job numbers, the dummy source and sink included with duration 0),
one finish-to-start :class:`Link` per precedence, and a capacity per renewable
resource (named ``"R1"``, ``"R2"``, ...). Used by the benchmark and the tests.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import EngineError, Link, Task


@dataclass
class PsplibInstance:
    name: str
    tasks: list
    links: list
    capacities: dict
    horizon: int | None = None
    resource_names: list = field(default_factory=list)


def _section(lines, title):
    for k, line in enumerate(lines):
        if line.strip().upper().startswith(title):
            return k
    raise EngineError(f"PSPLIB file has no section {title!r}")


def parse_sm(path) -> PsplibInstance:
    path = Path(path)
    lines = path.read_text().splitlines()
    horizon = None
    for line in lines:
        if line.lower().startswith("horizon"):
            horizon = int(line.split(":")[1])
            break

    # precedence relations: jobnr, #modes, #successors, successors...
    k = _section(lines, "PRECEDENCE RELATIONS") + 2
    successors = {}
    while k < len(lines) and not lines[k].startswith("*"):
        parts = lines[k].split()
        if parts:
            job, nsucc = int(parts[0]), int(parts[2])
            successors[job] = [int(x) for x in parts[3:3 + nsucc]]
        k += 1

    # requests/durations: header line gives resource names ("R 1  R 2 ...")
    k = _section(lines, "REQUESTS/DURATIONS")
    header = lines[k + 1]
    resource_names = ["R" + num for num in re.findall(r"[RNDrnd]\s*(\d+)", header)]
    k += 3  # title, header, dashes
    durations, demands = {}, {}
    while k < len(lines) and not lines[k].startswith("*"):
        parts = lines[k].split()
        if parts:
            job, duration = int(parts[0]), int(parts[2])
            units = [int(x) for x in parts[3:3 + len(resource_names)]]
            durations[job] = duration
            demands[job] = {name: u for name, u in zip(resource_names, units) if u}
        k += 1

    k = _section(lines, "RESOURCEAVAILABILITIES")
    values = [int(x) for x in lines[k + 2].split()]
    capacities = dict(zip(resource_names, values))

    tasks = [Task(id=job, duration=durations[job], resources=demands[job]) for job in sorted(durations)]
    links = [Link(job, succ, "FS", 0) for job in sorted(successors) for succ in successors[job]]
    return PsplibInstance(path.name, tasks, links, capacities, horizon, resource_names)


def parse_bound(text: str) -> tuple:
    """``"104..105"`` → (104, 105); ``"..105"`` → (None, 105); ``"109"`` → (109, 109)."""
    text = text.strip()
    if ".." in text:
        lo, hi = text.split("..")
        return (int(lo) if lo else None, int(hi) if hi else None)
    return (int(text), int(text))


def load_optimum(path) -> dict:
    """Read ``optimum.csv``: instance file name → (lower bound or None, best known upper bound)."""
    with open(path, newline="") as fh:
        return {row["problem"].strip(): parse_bound(row["optimum"]) for row in csv.DictReader(fh)}


def default_data_dir() -> Path:
    """``../shared/benchmarks/psplib`` relative to the repository root."""
    repo_root = Path(__file__).resolve().parents[2]
    return (repo_root / ".." / "shared" / "benchmarks" / "psplib").resolve()
