"""My work and the header's counts: server time and SQL queries of /my-work/ for a user owning
every open task of a plan, and what the header's counts cost a page (cold, then cached).

Run by hand (not a test):  .venv/bin/python bench/my_work_bench.py [--tasks 300] [--repeat 10]
Builds the plan of bench/api_bench.py in /tmp/paasport-api-bench.sqlite3 (or DATABASE_URL's
scratch database) and links its task owners to the bench user. Requests go through the test
client in-process (middleware, session, templates; no network). The cache is the process's own
(no REDIS_URL), as with `make run`.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_bench import build  # noqa: E402 - sets the environment first


def timed(client, url, repeat):
    from django.db import connection

    times, queries = [], []
    for _ in range(repeat):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counted):
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(count[0])
        assert response.status_code == 200, response.status_code
    return times, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from stakeholders.models import Stakeholder

    plan, _token = build(args.tasks)
    Stakeholder.objects.filter(workspace=plan.workspace).update(user=plan.owner)
    client = Client()
    client.force_login(plan.owner)
    print(f"{args.tasks} open tasks, all mine; {args.repeat} requests each; ms best / median, SQL queries; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    times, queries = timed(client, "/my-work/", args.repeat)
    print(f"{'/my-work/':>28}: {min(times):7.1f} {statistics.median(times):7.1f}  queries {max(queries)}")
    cold_q = []
    for _ in range(args.repeat):
        cache.clear()
        cold_q.append(timed(client, "/plans/", 1)[1][0])
    warm_t, warm_q = timed(client, "/plans/", args.repeat)
    print(f"{'/plans/ counts not cached':>28}: queries {max(cold_q)}")
    print(f"{'/plans/ counts cached':>28}: {min(warm_t):7.1f} {statistics.median(warm_t):7.1f}  queries {max(warm_q)}")


if __name__ == "__main__":
    main()
