"""MS Project XML and Excel exchange benchmark: export, first import, re-import of the same file
(every task matched by GUID, nothing changes) and its preview, on a plan of N tasks.

    .venv/bin/python bench/exchange_bench.py [--tasks 2000] [--runs 3]

Builds a throw-away SQLite database (in /tmp) with one plan of N tasks (10 phases, FS chains of
5 tasks, an owner on every third task, a watch-out on every fifth), then times each step ``--runs``
times and prints the best and the median (wall seconds, perf_counter). Imports run through the
write services (plan lock, one reschedule), as the page runs them.
"""
from __future__ import annotations

import argparse
import datetime
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def timed(label, runs, action):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    print(f"{label:<52} best {min(times):6.2f} s   median {statistics.median(times):6.2f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    os.environ.update({"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "DEBUG": "true",
                       "DJANGO_SETTINGS_MODULE": "config.settings"})
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from onboarding.models import Plan, Product, Workspace
    from schedule.models import Phase, Task, TaskLink, WatchOut
    from sharing import services
    from sharing.exchange import excel, mspdi
    from stakeholders.models import PlanStakeholder, Stakeholder

    workspace = Workspace.objects.create(name="bench")
    user = get_user_model().objects.create(username="bench")
    product = Product.objects.create(workspace=workspace, name="产品")
    plan = Plan.objects.create(workspace=workspace, owner=user, product=product, name="基准计划",
                               start_date=datetime.date.today())
    owner = PlanStakeholder.objects.create(plan=plan, stakeholder=Stakeholder.objects.create(
        workspace=workspace, name="王工"))
    phases = [Phase.objects.create(plan=plan, name=f"阶段 {n}", position=n) for n in range(10)]
    tasks = Task.objects.bulk_create(
        Task(plan=plan, phase=phases[n % 10], title=f"任务 {n}", duration=1 + n % 5, position=n,
             owner=owner if n % 3 == 0 else None) for n in range(args.tasks))
    TaskLink.objects.bulk_create(TaskLink(predecessor=tasks[n - 1], successor=tasks[n])
                                 for n in range(1, args.tasks) if n % 5)
    WatchOut.objects.bulk_create(WatchOut(task=task, text="确认口径") for task in tasks[::5])
    services.import_checklist(plan=plan, data=excel.export_workbook(plan))  # schedules the plan once

    print(f"{args.tasks} tasks, {TaskLink.objects.count()} links; SQLite in {workdir}")
    xml = mspdi.export_xml(plan)
    timed("MSPDI export", args.runs, lambda: mspdi.export_xml(plan))
    timed("MSPDI import as a new plan (all created)", args.runs,
          lambda: services.import_msproject_as_plan(owner=user, like=plan, data=xml))
    timed("MSPDI preview of the same file (all matched)", args.runs, lambda: mspdi.preview_xml(plan, xml))
    timed("MSPDI re-import into the same plan (all unchanged)", args.runs,
          lambda: services.import_msproject(plan=plan, data=xml))
    book = excel.export_workbook(plan)
    timed("Excel export", args.runs, lambda: excel.export_workbook(plan))
    timed("Excel import of the export (all unchanged)", args.runs,
          lambda: services.import_checklist(plan=plan, data=book))


if __name__ == "__main__":
    main()
