"""Gantt PDF export benchmark: from queueing the job to the file in storage, on a warm worker.

    .venv/bin/python bench/pdf_bench.py [--tasks 500] [--runs 5] [--redis redis://127.0.0.1:6379/14]

Builds a throw-away SQLite database (in /tmp) with one plan of N tasks (10 phases, FS chains of
5 tasks, starts spread over ~12 weeks, Chinese names), starts a real Celery worker (solo pool) on
Redis, runs one warm-up export (the worker's Chromium starts on the first figure), then times
``--runs`` exports for each paper/scale: ``apply_async`` → job DONE, as the page would see it.
Also times the same export in-process (no queue) and splits it into its stages.
"""
from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    env = {"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "REDIS_URL": args.redis,
           "CELERY_TASK_ALWAYS_EAGER": "false", "MEDIA_ROOT": str(workdir / "media"),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    os.environ.update(env)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG is false: a real key
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    plan = make_plan(args.tasks)

    queue = f"bench-{uuid.uuid4().hex[:6]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=WARNING"],
        cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from config.celery import app

        app.conf.task_default_queue = queue
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not start")
        rows = []
        queued(plan, "a4", "weeks")  # warm-up: Chromium starts here
        for paper, scale in (("a4", "weeks"), ("a4", "months"), ("a3", "weeks")):
            times = []
            for _ in range(args.runs):
                seconds, job = queued(plan, paper, scale)
                times.append(seconds)
            times.sort()
            rows.append((f"queue → file ({paper}, {scale})", times[0], times[len(times) // 2], times[-1],
                         job.pages, job.file.size))
        rows += in_process(plan, args.runs)
    finally:
        worker.terminate()
        worker.wait(10)

    load = os.getloadavg()
    print(f"\n{args.tasks} tasks · {plan.tasks.count()} rows in the DB · load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} · {os.cpu_count()} CPUs\n")
    print(f"| {'what':<38} | {'best s':>7} | {'median s':>8} | {'worst s':>7} | {'pages':>5} | {'size KB':>7} |")
    print(f"|{'-' * 40}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 7}|{'-' * 9}|")
    for what, best, median, worst, pages, size in rows:
        print(f"| {what:<38} | {best:7.2f} | {median:7.2f}  | {worst:7.2f} | {pages or '':>5} | "
              f"{(size or 0) // 1024:>7} |")


def make_plan(n):
    import datetime

    from django.contrib.auth.models import User

    from onboarding.models import Plan, Product
    from schedule.models import Phase, Task, TaskLink
    from stakeholders.models import PlanStakeholder, Stakeholder

    owner = User.objects.create_user("bench")
    product = Product.objects.create(name="手游安全 MTP", vendor_name="腾讯云")
    plan = Plan.objects.create(name="基准 500 任务计划", product=product, owner=owner,
                               start_date=datetime.date.today())
    people = [PlanStakeholder.objects.create(plan=plan, stakeholder=Stakeholder.objects.create(name=f"负责人{i}"))
              for i in range(8)]
    phases = [Phase.objects.create(plan=plan, name=f"阶段 {i + 1}", position=i) for i in range(10)]
    tasks = Task.objects.bulk_create([
        Task(plan=plan, title=f"任务 {i + 1:03d} 接口联调与验收", duration=1 + i % 5, position=i,
             phase=phases[i * 10 // n], owner=people[i % 8],
             start_no_earlier_than=datetime.date.today() + datetime.timedelta(days=(i * 7) % 84))
        for i in range(n)])
    TaskLink.objects.bulk_create([TaskLink(predecessor=tasks[i - 1], successor=tasks[i])
                                  for i in range(1, n) if i % 5])
    return plan


def queued(plan, paper, scale):
    from sharing.models import ExportJob
    from sharing.tasks import export_gantt_pdf

    job = ExportJob.objects.create(plan=plan, paper=paper, scale=scale, celery_id=uuid.uuid4().hex)
    started = time.monotonic()
    export_gantt_pdf.apply_async(args=[job.pk], task_id=job.celery_id)
    while True:
        job.refresh_from_db()
        if job.state in (ExportJob.State.DONE, ExportJob.State.FAILED):
            break
        time.sleep(0.05)
    if job.state != ExportJob.State.DONE:
        raise SystemExit(f"export failed: {job.error}")
    return time.monotonic() - started, job


def in_process(plan, runs):
    """The same export without the queue, split into stages (warm Chromium in this process)."""
    from sharing import exports, pdf

    stages = {}
    real = {"render": exports.render, "split_bands": pdf.split_bands, "write_pdf": pdf.write_pdf,
            "build_tiles_figure": pdf.build_tiles_figure}

    def timed(name, fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stages.setdefault(name, []).append(time.perf_counter() - t)
        return wrapper

    exports.render = timed("kaleido SVG (1 call)", real["render"])
    pdf.split_bands = timed("split SVG per band", real["split_bands"])
    pdf.write_pdf = timed("WeasyPrint HTML → PDF", real["write_pdf"])
    pdf.build_tiles_figure = timed("build figure (Python)", real["build_tiles_figure"])
    exports.build_gantt_pdf(plan)  # warm-up
    stages.clear()
    totals = []
    for _ in range(runs):
        t = time.perf_counter()
        data, pages = exports.build_gantt_pdf(plan)
        totals.append(time.perf_counter() - t)
    rows = []
    for name, values in [("in-process total (a4, weeks)", totals)] + list(stages.items()):
        values = sorted(values)
        rows.append((name, values[0], values[len(values) // 2], values[-1],
                     pages if name.startswith("in-process") else None,
                     len(data) if name.startswith("in-process") else None))
    return rows


if __name__ == "__main__":
    main()
