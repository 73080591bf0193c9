"""`python -m schedule.engine < plan.json > schedule.json`, run as a subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(payload, *, raw=False):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run(
        [sys.executable, "-m", "schedule.engine"],
        input=payload if raw else json.dumps(payload),
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )
    return proc


def ok(payload):
    proc = run_cli(payload)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_cpm_contract():
    # A(3) -FS+1-> B(2) ; A -SS-> C(1).  A 0-3, B 4-6, C 0-1 (TF 5).
    out = ok({
        "tasks": [{"id": "A", "duration": 3}, {"id": "B", "duration": 2, "resources": {"dev": 1}},
                  {"id": "C", "duration": 1}],
        "links": [{"from": "A", "to": "B", "type": "FS", "lag": 1}, {"from": "A", "to": "C", "type": "SS"}],
    })
    assert out == {
        "tasks": [
            {"id": "A", "start": 0, "finish": 3, "total_float": 0, "critical": True},
            {"id": "B", "start": 4, "finish": 6, "total_float": 0, "critical": True},
            {"id": "C", "start": 0, "finish": 1, "total_float": 5, "critical": False},
        ],
        "finish": 6,
    }


def test_integer_ids_and_defaults():
    out = ok({"tasks": [{"id": 1, "duration": 2}, {"id": 2, "duration": 0}], "links": [{"from": 1, "to": 2}],
              "level": False})
    assert out["tasks"][1] == {"id": 2, "start": 2, "finish": 2, "total_float": 0, "critical": True}


def test_deadline_in_input_gives_negative_float():
    out = ok({"tasks": [{"id": "A", "duration": 4, "deadline": 3}]})
    assert out["tasks"][0]["total_float"] == -1


def error_line(proc):
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_cycle_exit_2_naming_tasks():
    line = error_line(run_cli({
        "tasks": [{"id": "A", "duration": 1}, {"id": "B", "duration": 1}, {"id": "C", "duration": 1}],
        "links": [{"from": "A", "to": "B"}, {"from": "B", "to": "C"}, {"from": "C", "to": "A"}],
    }))
    assert line == "error: dependency cycle: A → B → C → A"


def test_unknown_id_exit_2():
    line = error_line(run_cli({"tasks": [{"id": "A", "duration": 1}], "links": [{"from": "A", "to": "Q"}]}))
    assert "unknown" in line and "'Q'" in line


def test_negative_duration_exit_2():
    line = error_line(run_cli({"tasks": [{"id": "A", "duration": -1}]}))
    assert "negative duration" in line and "'A'" in line


def test_malformed_json_exit_2():
    line = error_line(run_cli('{"tasks": [', raw=True))
    assert "not valid JSON" in line


@pytest.mark.parametrize("payload, expected", [
    ({"links": []}, "no 'tasks'"),
    ({"tasks": [{"duration": 1}]}, "task #1 has no 'id'"),
    ({"tasks": [{"id": "A"}]}, "task 'A' has no 'duration'"),
    ({"tasks": [{"id": "A", "duration": 1}], "links": [{"from": "A"}]}, "link #1 has no 'to'"),
    ({"tasks": [{"id": "A", "duration": "3"}]}, "'duration' must be a whole number"),
    ({"tasks": [{"id": "A", "duration": 1}, {"id": "B", "duration": 1}],
      "links": [{"from": "A", "to": "B", "type": "XY"}]}, "unknown type 'XY'"),
    ([1, 2], "must be a JSON object"),
])
def test_missing_or_bad_fields_exit_2(payload, expected):
    assert expected in error_line(run_cli(payload))


def test_level_true_serialises_tasks_sharing_a_resource():
    # A(3) and B(2) both need the single "dev"; C(2) needs nothing. Levelled: one of A/B waits
    # for the other, so the finish is 3 + 2 = 5 instead of 3 (CPM).
    plan = {
        "tasks": [{"id": "A", "duration": 3, "resources": {"dev": 1}},
                  {"id": "B", "duration": 2, "resources": {"dev": 1}},
                  {"id": "C", "duration": 2}],
        "links": [],
        "capacities": {"dev": 1},
        "level": True,
        "time_limit_s": 2,
    }
    out = ok(plan)
    rows = {t["id"]: t for t in out["tasks"]}
    assert out["finish"] == 5
    a, b = rows["A"], rows["B"]
    assert a["finish"] <= b["start"] or b["finish"] <= a["start"]  # never together
    assert a["finish"] - a["start"] == 3 and b["finish"] - b["start"] == 2
    assert rows["C"]["start"] == 0 and rows["C"]["total_float"] == 3
    late = "B" if b["start"] > 0 else "A"
    assert late in out["delays"] and out["delays"][late]
    # without levelling both start at 0
    plan["level"] = False
    assert {t["id"]: t["start"] for t in ok(plan)["tasks"]} == {"A": 0, "B": 0, "C": 0}


def test_level_respects_links():
    # A(2) FS B(2), both on "dev" (capacity 1): the link alone already serialises them.
    out = ok({"tasks": [{"id": "A", "duration": 2, "resources": {"dev": 1}},
                        {"id": "B", "duration": 2, "resources": {"dev": 1}}],
              "links": [{"from": "A", "to": "B", "type": "FS", "lag": 0}],
              "capacities": {"dev": 1}, "level": True, "time_limit_s": 1})
    assert [(t["start"], t["finish"], t["critical"]) for t in out["tasks"]] == [(0, 2, True), (2, 4, True)]
    assert out["finish"] == 4
