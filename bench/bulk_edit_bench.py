"""Bulk edit against one edit per task: setting the owner of N tasks of a plan.

Run by hand (not a test):  .venv/bin/python bench/bulk_edit_bench.py [--tasks 31 200] [--selected 10 31]
Builds throwaway plans in /tmp/paasport-bulk-bench.sqlite3 and prints, per size, the wall time of
one ``task_bulk_edit`` call and of the same change made by ``task_update`` task by task (what the
checklist needed before bulk edit: one save and one reschedule each), with the reschedules counted.
"""
import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-bulk-bench.sqlite3"
sys.path.insert(0, str(REPO))
os.environ.update(DATABASE_URL=f"sqlite:///{DB}", DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG=false needs a real key


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, nargs="+", default=[31, 200])
    parser.add_argument("--selected", type=int, nargs="+", default=[10, 31])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import django
    from django.core.management import call_command

    if os.path.exists(DB):
        os.remove(DB)
    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from onboarding.models import Plan, Product, Workspace
    from schedule import scheduling, services
    from schedule.models import Task, TaskLink
    from stakeholders.models import PlanStakeholder, Stakeholder

    workspace = Workspace.objects.create(name="bench")
    user = User.objects.create_user("bench", password="bench-pass-123")
    product = Product.objects.create(name="Bench", workspace=workspace)
    rng = random.Random(7)
    print(f"Python {sys.version.split()[0]}, SQLite, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; "
          f"median of {args.repeat}, ms")
    print(" tasks selected | bulk: ms reschedules | one by one: ms reschedules")
    for size in args.tasks:
        plan = Plan.objects.create(name=f"{size}", product=product, owner=user, workspace=workspace,
                                   start_date=datetime.date(2026, 1, 5), status="active")
        owners = [PlanStakeholder.objects.create(plan=plan, stakeholder=Stakeholder.objects.create(
            name=f"负责人 {i}", workspace=workspace)) for i in range(2)]
        tasks = Task.objects.bulk_create([Task(plan=plan, title=f"任务 {i}", duration=rng.randint(1, 8), position=i)
                                          for i in range(size)])
        TaskLink.objects.bulk_create([TaskLink(predecessor=tasks[rng.randrange(max(0, i - 20), i)],
                                               successor=tasks[i]) for i in range(1, size)])
        services.plan_reschedule(plan=plan)
        for selected in [n for n in args.selected if n <= size]:
            bulk, single = [], []
            for round_ in range(args.repeat):
                owner = owners[round_ % 2]
                chosen = list(Task.objects.filter(plan=plan).order_by("?")[:selected])
                with mock.patch.object(scheduling, "recompute", wraps=scheduling.recompute) as counted:
                    start = time.perf_counter()
                    services.task_bulk_edit(plan=plan, versions={t.pk: t.version for t in chosen},
                                            action="owner", value=owner)
                    bulk.append((time.perf_counter() - start) * 1000)
                bulk_runs = counted.call_count
                chosen = list(Task.objects.filter(pk__in=[t.pk for t in chosen]))
                other = owners[(round_ + 1) % 2]
                with mock.patch.object(scheduling, "recompute", wraps=scheduling.recompute) as counted:
                    start = time.perf_counter()
                    for task in chosen:
                        task.owner = other
                        services.task_update(plan=plan, task=task, version=task.version)
                    single.append((time.perf_counter() - start) * 1000)
                single_runs = counted.call_count
            print(f" {size:5d} {selected:8d} | {statistics.median(bulk):8.1f} {bulk_runs:11d} | "
                  f"{statistics.median(single):14.1f} {single_runs:11d}")


if __name__ == "__main__":
    main()
