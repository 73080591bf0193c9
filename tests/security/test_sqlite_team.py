"""`make run`'s SQLite serves a team: while one PM's Excel import runs, three colleagues log in and
save task edits at the same moment against a live server — nobody gets a 500 "database is locked";
each edit is saved or refused as a conflict.

The server is `manage.py runserver` on its own SQLite file (as `make run` starts it), whatever
database the rest of the suite uses.
"""
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.security.live import Browser, multipart

REPO = Path(__file__).resolve().parents[2]
# Large enough that the import (bulk writes since the upload budget) still runs when the edits arrive.
TASKS = 3000
EDITORS = ("anna", "bo", "chen")
PASSWORD = "team-pass-123"

SEED = f"""
import datetime, io, json, os
import openpyxl
from django.contrib.auth.models import User
from onboarding.models import Plan, Product, Workspace, WorkspaceMember
from schedule.models import Phase, Task
from sharing.exchange import excel
from tests.factories import PhaseFactory, PlanFactory, ProductFactory, WorkspaceFactory, WorkspaceMemberFactory

team = WorkspaceFactory(name="接入组")
owner = User.objects.create_user("owner", password={PASSWORD!r})
WorkspaceMemberFactory(workspace=team, user=owner)
plan = PlanFactory(name="团队计划", product=ProductFactory(name="MTP", workspace=team), owner=owner,
                           workspace=team, start_date=datetime.date(2027, 3, 1))
for name in {EDITORS!r}:
    editor = User.objects.create_user(name, password={PASSWORD!r})
    WorkspaceMemberFactory(workspace=team, user=editor)
    plan.editors.add(editor)
phase = PhaseFactory(plan=plan, name="联调")
Task.objects.bulk_create([Task(plan=plan, phase=phase, title=f"任务 {{i}}", duration=1 + i % 4, position=i)
                          for i in range({TASKS})])
book = openpyxl.load_workbook(io.BytesIO(excel.export_workbook(plan)))
sheet = book.worksheets[0]
headers = [cell.value for cell in sheet[1]]
column = headers.index("工期（工作日）") + 1
for row in range(2, sheet.max_row + 1):
    cell = sheet.cell(row=row, column=column)
    if isinstance(cell.value, int):
        cell.value += 1
out = io.BytesIO()
book.save(out)
open(os.environ["SEED_WORKBOOK"], "wb").write(out.getvalue())
print(json.dumps({{"plan": plan.pk, "tasks": list(plan.tasks.order_by("position").values_list("pk", flat=True)[:3])}}))
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def team_server(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'team.sqlite3'}", DEBUG="true", ALLOWED_HOSTS="127.0.0.1",
               LOG_LEVEL="ERROR", DJANGO_SETTINGS_MODULE="config.settings")

    def manage(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v", "0")
    workbook = tmp_path / "import.xlsx"
    env["SEED_WORKBOOK"] = str(workbook)
    seeded = json.loads(manage("shell", "-c", SEED).strip().splitlines()[-1])
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("runserver did not start: " + (tmp_path / "server.log").read_text())
            time.sleep(0.2)
    yield {"base": base, "workbook": workbook.read_bytes(), **seeded}
    server.terminate()
    server.wait(timeout=10)
    log.close()


def test_an_import_and_three_concurrent_edits_on_sqlite(team_server):
    base, plan = team_server["base"], team_server["plan"]
    importer = Browser(base)
    assert importer.log_in("owner", PASSWORD)[0] == 200
    editors = [Browser(base) for _ in EDITORS]
    forms = []
    for browser, name, task in zip(editors, EDITORS, team_server["tasks"]):
        assert browser.log_in(name, PASSWORD)[0] == 200
        status, body = browser.request(f"/plans/{plan}/tasks/{task}/edit/", headers={"HX-Request": "true"})
        assert status == 200
        forms.append(int(re.search(r'name="version" value="(\d+)"', body).group(1)))
    late = Browser(base)  # logs in while the import runs

    results, timings = {}, {}

    def run(key, call):
        started = time.monotonic()
        results[key] = call()
        timings[key] = (started, time.monotonic())

    body, content_type = multipart("file", "import.xlsx", team_server["workbook"])
    threads = [threading.Thread(target=run, args=("import", lambda: importer.request(
        f"/plans/{plan}/exchange/import/xlsx/", body, {"HX-Request": "true"}, content_type)))]
    for index, (browser, task, version) in enumerate(zip(editors, team_server["tasks"], forms)):
        data = {"version": version, "title": f"改名 {index}", "phase": "", "description": "", "owner": "",
                "related_flow": "", "duration": "7", "start_no_earlier_than": "", "deadline": "",
                "status": "in_progress", "percent_complete": "10", "actual_start": "", "actual_finish": "",
                "priority_override": "", "visibility": "internal"}
        threads.append(threading.Thread(target=run, args=(f"edit-{index}", lambda b=browser, t=task, d=data: b.request(
            f"/plans/{plan}/tasks/{t}/edit/", d, {"HX-Request": "true"}))))
    threads.append(threading.Thread(target=run, args=("login", lambda: late.log_in("anna", PASSWORD))))
    threads[0].start()
    time.sleep(0.3)  # the import is parsing and writing when the others arrive
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    statuses = {key: status for key, (status, _) in results.items()}
    # Plain values in the asserts: pytest's diff of large debug pages takes minutes.
    locked = sorted(key for key, (_, body) in results.items() if "database is locked" in body)
    assert not locked, statuses
    assert statuses["import"] == 200 and f"{TASKS} updated" in results["import"][1], statuses
    assert statuses["login"] == 200  # the redirect to the plans was followed: logged in
    # The others really ran while the import was still working.
    assert any(timings[f"edit-{index}"][0] < timings["import"][1] for index in range(len(EDITORS)))
    for index, task in enumerate(team_server["tasks"]):
        status, body = results[f"edit-{index}"]
        assert status in (200, 422), (status, body[:2000])
        if status == 422:
            assert "Someone else changed this task" in body, body[:2000]
        current = editors[index].request(f"/plans/{plan}/tasks/{task}/edit/", headers={"HX-Request": "true"})[1]
        assert (f"改名 {index}" in current) == (status == 200)
