"""Listing 1,000 tasks through the REST API: server time and SQL queries per page size.

Run by hand (not a test):  .venv/bin/python bench/api_bench.py [--tasks 1000] [--repeat 15]
Builds a throwaway plan in /tmp/paasport-api-bench.sqlite3 (or DATABASE_URL's database when set:
it must be a scratch one) and calls GET /api/v1/tasks/ in-process with a Bearer token (the WSGI
handler, middleware, authentication, throttling, serialization and JSON rendering included; no
network). Target (issue 15): the 1,000 tasks in ≤ 150 ms server time, queries independent of the
page size.
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

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-api-bench.sqlite3"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false",
                  ALLOWED_HOSTS="127.0.0.1,localhost,testserver", API_RATE="100000/minute")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))


def build(size):
    from django.core.management import call_command

    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}" and os.path.exists(DB):
        os.remove(DB)
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from api.tokens import token_create
    from onboarding.models import Plan, Product, Workspace, WorkspaceMember
    from schedule import scheduling
    from schedule.models import Phase, Task, TaskLink
    from stakeholders.models import PlanStakeholder, Stakeholder

    team = Workspace.objects.create(name=f"bench {secrets.token_hex(3)}")
    user = User.objects.create_user(f"bench-{team.pk}", password="bench-pass-123")
    WorkspaceMember.objects.create(workspace=team, user=user, role="pm")
    product = Product.objects.create(workspace=team, name="Bench")
    plan = Plan.objects.create(workspace=team, name=f"{size} tasks", product=product, owner=user,
                               start_date=datetime.date(2027, 1, 4), status="active")
    rng = random.Random(7)
    phases = [Phase.objects.create(plan=plan, name=f"阶段 {i}", position=i) for i in range(10)]
    owners = [PlanStakeholder.objects.create(plan=plan, stakeholder=Stakeholder.objects.create(
        workspace=team, name=f"负责人 {i}")) for i in range(20)]
    tasks = Task.objects.bulk_create([
        Task(plan=plan, phase=phases[i * 10 // size], owner=owners[i % 20], title=f"任务 {i} 联调与验收",
             duration=rng.randint(1, 8), position=i) for i in range(size)])
    links = {(tasks[rng.randrange(max(0, i - 40), i)].pk, tasks[i].pk) for i in range(1, size)}
    TaskLink.objects.bulk_create([TaskLink(predecessor_id=a, successor_id=b) for a, b in links])
    scheduling.recompute(plan)
    _row, token = token_create(user=user, name="bench", scope="read")
    return plan, token


def measure(client, plan, page_size, repeat):
    """Walk every page of the plan's tasks; (ms for all pages per walk, queries per page, pages)."""
    from django.db import connection

    walks, cpus, queries = [], [], set()

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)
    for _ in range(repeat):
        url, params, pages, started = "/api/v1/tasks/", {"plan": plan.pk, "page_size": page_size}, 0, \
            time.perf_counter()
        cpu = time.thread_time()
        while url:
            count = [0]
            with connection.execute_wrapper(counted):
                response = client.get(url, params)
            assert response.status_code == 200, response.content[:300]
            queries.add(count[0])
            body = response.json()
            url, params, pages = body["next"], None, pages + 1
        walks.append((time.perf_counter() - started) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return walks, cpus, sorted(queries), pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    plan, token = build(args.tasks)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/api/v1/tasks/", {"plan": plan.pk, "page_size": 10})  # warm: imports, URL resolver
    print(f"{args.tasks} tasks, {args.repeat} walks each, ms to fetch every page of the list: wall "
          f"(best / median) and CPU time of the thread (median); SQL queries per request; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(" page_size  pages | wall best  median | cpu median | queries/request")
    for page_size in (10, 100, 1000):
        walks, cpus, queries, pages = measure(client, plan, page_size, args.repeat)
        print(f"{page_size:>10} {pages:>6} | {min(walks):>9.1f} {statistics.median(walks):>7.1f} | "
              f"{statistics.median(cpus):>10.1f} | {', '.join(map(str, queries))}")


if __name__ == "__main__":
    main()
