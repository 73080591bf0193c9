"""The Gantt page at scale: server time and SQL queries, then drawing in headless Chromium.

Run by hand (not a test):  .venv/bin/python bench/gantt_page_bench.py [--sizes 500 2000 5000]
Builds throwaway plans in /tmp/paasport-bench.sqlite3, serves them with runserver on
127.0.0.1:8099, and prints a table. Targets (issue 4): first draw ≤ 2 s and repeat ≤ 0.5 s at
5,000 tasks, zoom to one month ≤ 0.4 s, server time ≤ 250 ms at 2,000 tasks, queries constant.
"""
import argparse
import datetime
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-bench.sqlite3"
PORT = 8099
sys.path.insert(0, str(REPO))
os.environ.update(DATABASE_URL=f"sqlite:///{DB}", DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false",
                  ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG=false needs a real key


def build_plans(sizes):
    import django
    from django.core.management import call_command

    if os.path.exists(DB):
        os.remove(DB)
    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from onboarding.models import Plan, Product
    from schedule import scheduling
    from schedule.models import Phase, Task, TaskLink
    from stakeholders.models import PlanStakeholder, Stakeholder

    user = User.objects.create_user("bench", password="bench-pass-123")
    product = Product.objects.create(name="Bench")
    rng = random.Random(7)
    plans = {}
    for size in sizes:
        plan = Plan.objects.create(name=f"{size} tasks", product=product, owner=user,
                                   start_date=datetime.date(2026, 1, 5), status="active")
        phases = [Phase.objects.create(plan=plan, name=f"阶段 {i}", position=i) for i in range(10)]
        owners = [PlanStakeholder.objects.create(plan=plan, stakeholder=Stakeholder.objects.create(name=f"负责人 {i}"))
                  for i in range(20)]
        tasks = Task.objects.bulk_create([
            Task(plan=plan, phase=phases[i * 10 // size], owner=owners[i % 20], title=f"任务 {i} 联调与验收",
                 duration=rng.randint(1, 8), position=i) for i in range(size)])
        links = set()
        for i in range(1, size):
            for _ in range(rng.choice((1, 1, 2))):
                j = rng.randrange(max(0, i - 40), i)
                links.add((tasks[j].pk, tasks[i].pk))
        TaskLink.objects.bulk_create([TaskLink(predecessor_id=a, successor_id=b) for a, b in links])
        scheduling.recompute(plan)
        plans[size] = (plan.pk, len(links))
    return plans


def server_times(plans):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from django.core.cache import cache

    client = Client()
    client.login(username="bench", password="bench-pass-123")
    rows = {}
    for size, (plan_id, _links) in plans.items():
        url = f"/plans/{plan_id}/gantt/"
        client.get(url)  # warm-up: imports, the day's schedule
        times = {"cold": [], "warm": []}
        for _ in range(5):
            for kind in ("cold", "warm"):
                if kind == "cold":  # as after an edit: the figure is built again
                    cache.clear()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times[kind].append(time.perf_counter() - start)
                assert response.status_code == 200
                counts = rows.setdefault(size, {}).setdefault("queries", {})
                counts[kind] = len(queries)
        rows[size].update(cold=statistics.median(times["cold"]) * 1000, warm=statistics.median(times["warm"]) * 1000,
                          megabytes=len(response.content) / 1e6)
    return rows


def browser_times(plans, deps):
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
                              cwd=REPO, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            for size, (plan_id, _links) in plans.items():
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{PORT}/accounts/login/")
                page.fill("input[name=username]", "bench")
                page.fill("input[name=password]", "bench-pass-123")
                page.click("main button[type=submit]")
                page.wait_for_load_state()
                url = f"http://127.0.0.1:{PORT}/plans/{plan_id}/gantt/?deps={deps}"

                def load():
                    page.goto(url, wait_until="commit")
                    page.wait_for_selector("#gantt[data-drawn='1']", timeout=120_000)
                    return page.evaluate("performance.now()") / 1000

                first = load()  # plotly.js not yet cached
                repeat = statistics.median([load() for _ in range(3)])
                zoom = page.evaluate("""async () => {
                    const gd = document.getElementById('gantt');
                    const start = performance.now();
                    const plot = gd.layout ? gd : gd.querySelector('.js-plotly-plot');  // big plans: slices
                    const first = new Date(plot.layout.xaxis.range[0]);
                    const end = new Date(first.getTime() + 30 * 86400000);
                    await window.paasportCharts.setRange(gd, [first.toISOString().slice(0, 10), end.toISOString().slice(0, 10)]);
                    return (performance.now() - start) / 1000;
                }""")
                results[size] = (first, repeat, zoom)
                context.close()
            browser.close()
    finally:
        server.terminate()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--deps", choices=["auto", "all", "none"], default="all")
    args = parser.parse_args()
    print("load average:", os.getloadavg())
    plans = build_plans(args.sizes)
    server = server_times(plans)
    browser = browser_times(plans, args.deps)
    print(f"\ndependencies drawn: {args.deps}")
    print("server ms: cold = the figure built (as after any edit), warm = the figure from the cache; "
          "queries cold/warm")
    print(f"{'tasks':>6} {'links':>6} {'cold ms':>8} {'warm ms':>8} {'queries':>8} {'page MB':>8} {'first s':>8} "
          f"{'repeat s':>9} {'zoom s':>7}")
    for size in args.sizes:
        row = server[size]
        queries = f"{row['queries']['cold']}/{row['queries']['warm']}"
        first, repeat, zoom = browser[size]
        print(f"{size:>6} {plans[size][1]:>6} {row['cold']:>8.0f} {row['warm']:>8.0f} {queries:>8} "
              f"{row['megabytes']:>8.2f} {first:>8.2f} {repeat:>9.2f} {zoom:>7.2f}")
    print("load average:", os.getloadavg())


if __name__ == "__main__":
    main()
