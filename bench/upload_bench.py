"""Upload bombs: time and peak memory of each import refusing (or reading) a hostile file.

    .venv/bin/python bench/upload_bench.py [--only xlsx|mspdi|json] [--scale 1.0]

Every bomb (bench/upload_bombs.py) fits in the 5 MB upload limit. Each runs in a fresh
subprocess that loads Django and a plan from a throw-away SQLite database, then calls the import
service the upload view calls (sharing/services.py) with the file's bytes, as a request would.
"baseline" is the process's peak RSS before the import (Django loaded, file in memory), "peak"
after it (resource.getrusage ru_maxrss: the high-water mark of the whole process, what a server
worker would need), "wall"/"cpu" the import's wall time (perf_counter) and CPU time (process_time: less inflated on
a busy machine). Refusal messages print in the language of the settings (Chinese by default). Also a legitimate 5,000-row
checklist exported from a plan, to show that the limits leave real files alone.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import upload_bombs  # noqa: E402  (bench/ is on the path when run as a script)


def _django(database):
    os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "config.test_settings"})
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def child(database, kind, path):
    """Runs in the subprocess: one import, a JSON line with the measures."""
    copy = Path(database).with_suffix(".copy.sqlite3")  # an import that writes leaves the next case's plan alone
    shutil.copyfile(database, copy)
    _django(copy)
    from django.contrib.auth import get_user_model

    from onboarding.models import Plan
    from sharing import services
    from sharing.exchange import ImportFailed

    data = Path(path).read_bytes()
    plan = Plan.objects.order_by("pk").first()
    owner = get_user_model().objects.get(username="bench")
    call = {"xlsx": lambda: services.import_checklist(plan=plan, data=data),
            "mspdi": lambda: services.import_msproject(plan=plan, data=data),
            "json": lambda: services.import_plan_json(owner=owner, workspace=plan.workspace, data=data)}[kind]
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    try:
        result = call()
        outcome = (f"read: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
                   if kind == "xlsx" else "read")
    except ImportFailed as error:
        outcome = "refused: " + str(error.problems[0].message)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": cpu, "baseline": baseline / 1024, "peak": peak / 1024, "outcome": outcome}))


def prepare(database, legit_rows):
    """A migrated database with one plan (and its checklist of ``legit_rows`` tasks exported)."""
    _django(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sharing.exchange.excel import export_workbook
    from tests.factories import PlanFactory, TaskFactory, UserFactory

    owner = UserFactory(username="bench")
    plan = PlanFactory(owner=owner, name="Bench")
    TaskFactory.create_batch(legit_rows, plan=plan, description="说明 " * 40)
    return export_workbook(plan)


def prepare_files(database, workdir, rows):
    """legit.xlsx (the plan's export), edited.xlsx and new.xlsx in ``workdir``."""
    exported = prepare(database, rows)
    for name, data in (("legit", exported), ("edited", edited(exported)), ("new", new_tasks(rows))):
        (Path(workdir) / f"{name}.xlsx").write_bytes(data)


def edited(exported):
    """The export with every row's duration and status changed: 5,000 tasks updated."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exported))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    duration, status = header.index("工期（工作日）") + 1, header.index("状态") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, duration).value = 3
        sheet.cell(row, status).value = "进行中"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def new_tasks(rows):
    """A sheet typed by hand: ``rows`` new tasks in 10 new phases."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["任务", "阶段", "工期", "描述"])
    for i in range(rows):
        sheet.append([f"新任务 {i}", f"阶段 {i * 10 // rows}", 2, "说明 " * 40])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["xlsx", "mspdi", "json"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--child", nargs=3, metavar=("DATABASE", "KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    workdir = Path(tempfile.mkdtemp(prefix="upload-bench-"))
    database = workdir / "bench.sqlite3"
    # Django and openpyxl load in a subprocess: a child's ru_maxrss starts from what its parent held.
    setup = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(REPO / 'bench')!r}); "
                            f"import upload_bench; upload_bench.prepare_files({str(database)!r}, "
                            f"{str(workdir)!r}, 5000)"], cwd=REPO)
    setup.check_returncode()
    cases = [("xlsx", "legit checklist (5,000 rows, exported)", (workdir / "legit.xlsx").read_bytes()),
             ("xlsx", "legit, every row edited (5,000 updated)", (workdir / "edited.xlsx").read_bytes()),
             ("xlsx", "legit, typed by hand (5,000 new tasks)", (workdir / "new.xlsx").read_bytes())]
    for kind, bombs in (("xlsx", upload_bombs.XLSX), ("mspdi", upload_bombs.MSPDI), ("json", upload_bombs.JSON)):
        cases += [(kind, name, build(args.scale)) for name, build in bombs.items()]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
          f"scale {args.scale}; MB = MiB of peak RSS (ru_maxrss)")
    print(f"{'kind':5} {'file':44} {'size MB':>7} {'wall s':>6} {'cpu s':>6} {'base MB':>7} {'peak MB':>7}  outcome")
    for kind, name, data in cases:
        if args.only and kind != args.only:
            continue
        path = workdir / f"{kind}.bin"
        path.write_bytes(data)
        run = subprocess.run([sys.executable, __file__, "--child", str(database), kind, str(path)],
                             capture_output=True, text=True, cwd=REPO)
        if run.returncode:
            print(f"{kind:5} {name:44} {len(data) / 2**20:7.2f}  crashed: {run.stderr.strip().splitlines()[-1:]}")
            continue
        m = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{kind:5} {name:44} {len(data) / 2**20:7.2f} {m['seconds']:6.2f} {m['cpu']:6.2f} "
              f"{m['baseline']:7.0f} {m['peak']:7.0f}  {m['outcome'][:90]}", flush=True)


if __name__ == "__main__":
    main()
