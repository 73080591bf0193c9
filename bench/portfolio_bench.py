"""The portfolio at scale (issue 12): page server time cold and warm, SQL queries against the
number of plans, the workload of 200 people × 26 weeks, the timeline drawn in headless Chromium.

Run by hand (not a test):  .venv/bin/python bench/portfolio_bench.py [--plans 1000] [--tasks 40]
Builds throwaway plans in /tmp/paasport-portfolio-bench.sqlite3 (or DATABASE_URL when given with
--keep-db-url) and prints a table. Targets: page ≤ 300 ms warm, ≤ 1.5 s cold, queries independent of
the number of plans; workload ≤ 500 ms; timeline of 1,000 plans drawn ≤ 1 s.
"""
import argparse
import datetime
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-portfolio-bench.sqlite3"
sys.path.insert(0, str(REPO))


def configure(keep_db_url, reuse=False):
    if not keep_db_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
        if os.path.exists(DB) and not reuse:
            os.remove(DB)
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false",
                      ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if keep_db_url and not reuse:
        call_command("flush", verbosity=0, interactive=False)


def build(n_plans, n_tasks, n_people):
    """Two workspaces (n_plans and n_plans // 10 plans), each plan n_tasks tasks in four chained
    phases with a launch milestone, owned by n_people people of the workspace; half with a baseline."""
    from django.contrib.auth.models import User

    from onboarding.models import Plan, Product, Scenario, Workspace, WorkspaceMember
    from schedule import scheduling, services
    from schedule.models import Task, TaskLink
    from stakeholders.models import PlanStakeholder, Stakeholder

    from django.db import transaction

    rng = random.Random(12)
    boss = User.objects.create_user("boss", password="bench-pass-123")
    owners = [User.objects.create_user(f"pm{i}", password="x", first_name=f"PM {i}") for i in range(20)]
    today = datetime.date.today()
    workspaces = {}
    for name, count in (("安全产品接入组", n_plans), ("行业云接入组", max(1, n_plans // 10))):
        workspace = Workspace.objects.create(name=name)
        WorkspaceMember.objects.create(workspace=workspace, user=boss, role=WorkspaceMember.Role.MANAGER)
        for owner in owners:
            WorkspaceMember.objects.get_or_create(workspace=workspace, user=owner, role=WorkspaceMember.Role.PM)
        products = [Product.objects.create(workspace=workspace, name=f"{name} 产品 {i}") for i in range(20)]
        scenarios = [Scenario.objects.create(workspace=workspace, name=f"业务线 {i}", kind=kind)
                     for i, kind in enumerate(["toC", "toB", "toG", "toA"] * 2)]
        people = Stakeholder.objects.bulk_create([Stakeholder(workspace=workspace, name=f"{name[:2]} 负责人 {i}")
                                                  for i in range(n_people)])
        started = time.perf_counter()
        for p in range(count):
            if p % 50 == 0:
                atomic = transaction.atomic()  # SQLite: one commit per 50 plans, not per row
                atomic.__enter__()
            plan = Plan.objects.create(
                workspace=workspace, name=f"接入计划 {p:04d}", product=rng.choice(products),
                scenario=rng.choice(scenarios), owner=rng.choice(owners), status="active",
                start_date=today - datetime.timedelta(days=rng.randint(0, 120)),
                target_launch_date=today + datetime.timedelta(days=rng.randint(10, 200)))
            members = PlanStakeholder.objects.bulk_create([
                PlanStakeholder(plan=plan, stakeholder=person, capacity=rng.choice((1, 1, 2)), position=i)
                for i, person in enumerate(rng.sample(people, 8))])
            tasks = Task.objects.bulk_create([
                Task(plan=plan, title=f"任务 {i}", duration=0 if i == n_tasks - 1 or i % 10 == 9 else rng.randint(1, 6),
                     is_milestone=i == n_tasks - 1 or i % 10 == 9, is_launch=i == n_tasks - 1,
                     owner=members[i % 8], position=i,
                     status="done" if i < n_tasks // 4 else ("blocked" if i % 17 == 5 else "not_started"),
                     actual_start=plan.start_date if i < n_tasks // 4 else None,
                     actual_finish=plan.start_date if i < n_tasks // 4 else None)
                for i in range(n_tasks)])
            TaskLink.objects.bulk_create([
                TaskLink(predecessor=tasks[i - 1], successor=tasks[i]) for i in range(1, n_tasks) if i % 4])
            scheduling.recompute(plan)
            if p % 2:
                services.baseline_create(plan=plan, name="基线")
            if p % 50 == 49 or p == count - 1:
                atomic.__exit__(None, None, None)
            if p and p % 200 == 0:
                print(f"  {name}: {p} plans built ({time.perf_counter() - started:.0f} s)", flush=True)
        workspaces[name] = workspace
    return boss, workspaces


def timed(function, repeat=5):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, min(times) * 1000


def count_queries(function):
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        function()
    return count[0]


def measure(workspaces):
    from django.core.cache import cache
    from django.test import Client

    from django.contrib.auth.models import User

    from portfolio.selectors import week_start, workload

    boss = User.objects.get(username="boss")
    client = Client()
    client.force_login(boss)
    big, small = workspaces.values()
    results = {}
    for label, query in (("all", ""), (big.name, f"?workspace={big.pk}"), (small.name, f"?workspace={small.pk}")):
        url = f"/portfolio/{query}"
        assert client.get(url).status_code == 200  # the day's schedules, imports

        def cold(url=url):
            cache.clear()
            assert client.get(url).status_code == 200

        def warm(url=url):
            assert client.get(url).status_code == 200

        rows = client.get(url).content.decode().count('<tr data-plan="')
        results[label] = {"plans": rows, "queries_cold": count_queries(cold), "queries_warm": count_queries(warm),
                          "cold": timed(cold, 3), "warm": timed(warm, 5)}
    # One task edited (a PM's save): the next portfolio read computes that plan's status again only.
    from schedule import services
    from schedule.models import Task

    url = f"/portfolio/?workspace={big.pk}"
    client.get(url)
    times = []
    for task in Task.objects.filter(plan__workspace=big, is_milestone=False, status="not_started").order_by("?")[:5]:
        version = task.version
        task.title += " ✓"
        services.task_update(plan=task.plan, task=task, version=version)
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    results["after_edit"] = (statistics.median(times) * 1000, min(times) * 1000)
    # Timeline page (server) and the workload of the big workspace.
    timeline_url = f"/portfolio/timeline/?workspace={big.pk}"
    client.get(timeline_url)
    results["timeline_server"] = timed(lambda: client.get(timeline_url), 5)
    start = week_start(datetime.date.today())
    data = workload(boss, big, start=start, weeks=26)
    results["workload_people"] = len(data.people)
    results["workload_over"] = sum(person.over_weeks for person in data.people)
    results["workload"] = timed(lambda: workload(boss, big, start=start, weeks=26), 5)
    page = f"/portfolio/workload/?workspace={big.pk}&weeks=26&start={start.isoformat()}"
    results["workload_page"] = timed(lambda: client.get(page), 5)
    results["workload_queries"] = count_queries(lambda: client.get(page))
    return results


def draw_timeline(workspace):
    """Median time plotly.js takes to draw the big workspace's timeline in headless Chromium."""
    from django.contrib.auth.models import User
    from django.utils import timezone, translation
    from plotly.io.json import to_json_plotly
    from playwright.sync_api import sync_playwright

    from portfolio.selectors import filtered_plans, portfolio_rows
    from portfolio.views import timeline_figure

    boss = User.objects.get(username="boss")
    with translation.override("zh-hans"):
        rows = portfolio_rows(filtered_plans(boss, workspace=workspace))
        spec = to_json_plotly(timeline_figure(rows, group="product", today=timezone.localdate()))
    plotly = REPO / "static" / "vendor" / "plotly-basic.min.js"
    html = Path(tempfile.mkdtemp()) / "timeline.html"
    html.write_text(f"""<!doctype html><meta charset="utf-8"><script src="file://{plotly}"></script>
<div id="chart" style="width:1300px"></div><script>window.spec = {spec};</script>""", encoding="utf-8")
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"file://{html}")
        for _ in range(5):
            times.append(page.evaluate("""async () => {
              const el = document.getElementById('chart');
              window.Plotly.purge(el);
              const t0 = performance.now();
              await window.Plotly.newPlot(el, window.spec.data, window.spec.layout, {responsive: true});
              return performance.now() - t0;
            }"""))
        browser.close()
    return len(rows), statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--keep-db-url", action="store_true", help="use DATABASE_URL (flushed!) instead of SQLite")
    parser.add_argument("--reuse", action="store_true", help="measure the plans a previous run built")
    args = parser.parse_args()
    configure(args.keep_db_url, args.reuse)
    from django.db import connection

    from onboarding.models import Workspace

    started = time.perf_counter()
    if args.reuse:
        workspaces = {name: Workspace.objects.get(name=name) for name in ("安全产品接入组", "行业云接入组")}
    else:
        _boss, workspaces = build(args.plans, args.tasks, args.people)
        print(f"built {args.plans} + {max(1, args.plans // 10)} plans × {args.tasks} tasks in "
              f"{time.perf_counter() - started:.0f} s on {connection.vendor}")
    results = measure(workspaces)
    for label in list(workspaces) + ["all"]:
        r = results[label]
        print(f"portfolio {label:>8}: {r['plans']:5d} plans · cold {r['cold'][0]:7.0f} ms (min {r['cold'][1]:.0f}) · "
              f"warm {r['warm'][0]:6.0f} ms (min {r['warm'][1]:.0f}) · queries cold {r['queries_cold']}, "
              f"warm {r['queries_warm']}")
    print(f"portfolio after one task edited, {args.plans} plans: {results['after_edit'][0]:.0f} ms "
          f"(min {results['after_edit'][1]:.0f})")
    print(f"timeline page (server), {args.plans} plans: {results['timeline_server'][0]:.0f} ms")
    print(f"workload {results['workload_people']} people × 26 weeks: {results['workload'][0]:.0f} ms "
          f"(page {results['workload_page'][0]:.0f} ms, {results['workload_queries']} queries; "
          f"{results['workload_over']} over-allocated person-weeks)")
    count, median, best = draw_timeline(list(workspaces.values())[0])
    print(f"timeline of {count} plans drawn in Chromium: {median:.0f} ms (min {best:.0f})")
    print(json.dumps({k: v for k, v in results.items()}, default=str))


if __name__ == "__main__":
    main()
