"""Command line: ``python -m schedule.engine < plan.json > schedule.json``.

Input (integer periods from 0)::

    {"tasks": [{"id": "A", "duration": 3, "resources": {"dev": 1}}, ...],
     "links": [{"from": "A", "to": "B", "type": "FS", "lag": 0}, ...],
     "capacities": {"dev": 2},
     "level": false,
     "time_limit_s": 5}

Only ``tasks`` and each task's ``id`` and ``duration`` are required; ``links`` default to [],
a link's ``type`` to "FS" and ``lag`` to 0. Tasks may also carry ``earliest_start``,
``fixed_start`` (must start on), ``deadline``, ``actual_start``, ``actual_finish`` and
``percent_complete``; the plan may carry ``status_period`` and ``project_deadline`` (CPM only).

Output::

    {"tasks": [{"id": "A", "start": 0, "finish": 3, "total_float": 0, "critical": true}, ...],
     "finish": 3}

plus ``"conflicts": {id: explanation}`` for fixed starts that links would push later (the task
keeps its fixed start).

With ``"level": true`` the starts come from resource levelling (schedule.engine.levelling), the
output gains ``"delays": {id: explanation}``, and ``total_float`` is the float of the levelled
dates with respect to the links and the levelled finish (resources are not re-checked).

Errors (cycle, unknown task, negative duration, malformed JSON, missing field) are printed to
stderr as one line starting with "error: ", and the exit code is 2.
"""
from __future__ import annotations

import json
import sys

from .cpm import compute_schedule
from .model import EngineError, Link, Task

EXIT_INPUT_ERROR = 2


class InputError(EngineError):
    pass


def _int(value, what: str, *, optional: bool = False):
    if value is None and optional:
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is not int:
        raise InputError(f"{what} must be a whole number, got {json.dumps(value)}")
    return value


def _require(obj: dict, key: str, where: str):
    if not isinstance(obj, dict):
        raise InputError(f"{where} must be a JSON object")
    if key not in obj:
        raise InputError(f"{where} has no {key!r}")
    return obj[key]


def parse_plan(data) -> dict:
    """Validate the JSON document and turn it into engine objects."""
    if not isinstance(data, dict):
        raise InputError("the plan must be a JSON object with a 'tasks' list")
    raw_tasks = _require(data, "tasks", "the plan")
    if not isinstance(raw_tasks, list):
        raise InputError("'tasks' must be a list")
    tasks = []
    for k, raw in enumerate(raw_tasks):
        where = f"task #{k + 1}"
        tid = _require(raw, "id", where)
        if not isinstance(tid, (str, int)) or isinstance(tid, bool):
            raise InputError(f"{where}: 'id' must be a string or a number")
        where = f"task {tid!r}"
        duration = _int(_require(raw, "duration", where), f"{where}: 'duration'")
        resources = raw.get("resources") or {}
        if not isinstance(resources, dict):
            raise InputError(f"{where}: 'resources' must be an object of name: units")
        resources = {str(name): _int(units, f"{where}: units of {name!r}") for name, units in resources.items()}
        tasks.append(Task(
            id=tid,
            duration=duration,
            resources=resources,
            earliest_start=_int(raw.get("earliest_start"), f"{where}: 'earliest_start'", optional=True),
            deadline=_int(raw.get("deadline"), f"{where}: 'deadline'", optional=True),
            fixed_start=_int(raw.get("fixed_start"), f"{where}: 'fixed_start'", optional=True),
            actual_start=_int(raw.get("actual_start"), f"{where}: 'actual_start'", optional=True),
            actual_finish=_int(raw.get("actual_finish"), f"{where}: 'actual_finish'", optional=True),
            percent_complete=_int(raw.get("percent_complete", 0), f"{where}: 'percent_complete'"),
        ))
    raw_links = data.get("links") or []
    if not isinstance(raw_links, list):
        raise InputError("'links' must be a list")
    links = []
    for k, raw in enumerate(raw_links):
        where = f"link #{k + 1}"
        pred = _require(raw, "from", where)
        succ = _require(raw, "to", where)
        ltype = raw.get("type", "FS")
        if not isinstance(ltype, str):
            raise InputError(f"{where}: 'type' must be one of FS, SS, FF, SF")
        links.append(Link(pred, succ, ltype.upper(), _int(raw.get("lag", 0), f"{where}: 'lag'")))
    capacities = data.get("capacities") or {}
    if not isinstance(capacities, dict):
        raise InputError("'capacities' must be an object of name: units")
    capacities = {str(k): _int(v, f"capacity of {k!r}") for k, v in capacities.items()}
    level = data.get("level", False)
    if not isinstance(level, bool):
        raise InputError("'level' must be true or false")
    time_limit = data.get("time_limit_s")
    if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
                                   or time_limit < 0):
        raise InputError("'time_limit_s' must be a number of seconds >= 0")
    return {
        "tasks": tasks,
        "links": links,
        "capacities": capacities,
        "level": level,
        "time_limit_s": time_limit,
        "status_period": _int(data.get("status_period"), "'status_period'", optional=True),
        "project_deadline": _int(data.get("project_deadline"), "'project_deadline'", optional=True),
    }


def run(data) -> dict:
    """The whole CLI as a function: plan dict in, schedule dict out (raises EngineError)."""
    plan = parse_plan(data)
    tasks, links = plan["tasks"], plan["links"]
    kwargs = {"status_period": plan["status_period"], "project_deadline": plan["project_deadline"]}
    out: dict = {}
    if plan["level"]:
        from .levelling import level  # lazily: pulls in OR-Tools

        level_kwargs = {}
        if plan["time_limit_s"] is not None:
            level_kwargs["time_limit_s"] = float(plan["time_limit_s"])
        levelled = level(tasks, links, plan["capacities"], **level_kwargs)
        # float of the levelled dates: pin every start, then run CPM against the levelled finish
        pinned = [Task(id=t.id, duration=t.duration, earliest_start=levelled.starts[t.id],
                       deadline=t.deadline, fixed_start=levelled.starts[t.id] if t.fixed_start is not None else None)
                  for t in tasks]
        result = compute_schedule(pinned, links, **kwargs)
        out["delays"] = {str(k): getattr(v, "message", None) or str(v) for k, v in levelled.delays.items()}
    else:
        result = compute_schedule(tasks, links, **kwargs)
    rows = []
    for t in result.tasks.values():
        rows.append({"id": t.id, "start": t.early_start, "finish": t.early_finish,
                     "total_float": t.total_float, "critical": t.critical})
    if result.fixed_start_conflicts:
        out["conflicts"] = {str(c.task_id): c.message for c in result.fixed_start_conflicts}
    return {"tasks": rows, "finish": result.finish, **out}


def main(argv=None, stdin=None, stdout=None, stderr=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        text = stdin.read()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"input is not valid JSON: {exc}") from None
        result = run(data)
    except EngineError as exc:
        message = " ".join(str(exc).split())  # one line
        print(f"error: {message}", file=stderr)
        return EXIT_INPUT_ERROR
    json.dump(result, stdout, ensure_ascii=False)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
