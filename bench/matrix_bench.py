"""The joint-test matrix at scale (issue 17): server time of a product's matrix page with 300
interfaces × 3 environments, and its SQL queries against the number of interfaces.

Run by hand (not a test):  .venv/bin/python bench/matrix_bench.py [--interfaces 300]
Builds a throwaway product in /tmp/paasport-matrix-bench.sqlite3 (or the DATABASE_URL given with
--keep-db-url, which it empties first) and prints a table. Target: the page ≤ 300 ms server time;
queries independent of the number of rows.
"""
import argparse
import datetime
import os
import random
import secrets
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-matrix-bench.sqlite3"
sys.path.insert(0, str(REPO))


def configure(keep_db_url):
    if not keep_db_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
        if os.path.exists(DB):
            os.remove(DB)
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false",
                      ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if keep_db_url:
        call_command("flush", verbosity=0, interactive=False)


def build(n_interfaces, product_name="手游安全 MTP"):
    """A product with ``n_interfaces`` operations, every cell tested by one of 8 testers (70 % of the
    cells saved, in every status), a plan with a 联调 task linked to 20 of them."""
    from django.contrib.auth.models import User

    from interfaces.models import Environment, Interface, JointTest
    from onboarding.models import Plan, Product, Workspace, WorkspaceMember
    from schedule.models import Task

    rng = random.Random(17)
    workspace = Workspace.objects.create(name="安全产品接入组")
    pm = User.objects.create_user("pm", password="bench-pass-123", first_name="王", last_name="PM")
    WorkspaceMember.objects.create(workspace=workspace, user=pm, role=WorkspaceMember.Role.PM)
    testers = [User.objects.create_user(f"tester{i}", password="x", first_name=f"测试{i}") for i in range(8)]
    for tester in testers:
        WorkspaceMember.objects.create(workspace=workspace, user=tester, role=WorkspaceMember.Role.PM)
    product = Product.objects.create(workspace=workspace, name=product_name)
    verbs = ["POST", "GET", "PUT", "DELETE", "PATCH"]
    interfaces = Interface.objects.bulk_create([
        Interface(workspace=workspace, product=product, method=verbs[i % 5], path=f"/v{1 + i // 100}/resources/{i:03d}/"
                  f"{'{id}/' if i % 3 else ''}action", summary=f"接口 {i:03d} 的说明（实例生命周期）",
                  direction="partner" if i % 4 else "platform", position=i) for i in range(n_interfaces)])
    statuses = list(JointTest.Status.values)
    tests = []
    for interface in interfaces:
        for env in Environment.values:
            if rng.random() < 0.7:
                tests.append(JointTest(workspace=workspace, interface=interface, environment=env,
                                       status=rng.choice(statuses), tester=rng.choice(testers),
                                       tested_on=datetime.date(2026, 10, 1) + datetime.timedelta(days=rng.randint(0, 60)),
                                       request_id=f"req-{rng.getrandbits(40):x}", note="网关日志见附件"))
    JointTest.objects.bulk_create(tests)
    plan = Plan.objects.create(workspace=workspace, name="MTP 接入", product=product, owner=pm, status="active",
                               start_date=datetime.date(2026, 9, 1))
    task = Task.objects.create(plan=plan, title="联调测试", duration=10)
    task.interfaces.add(*interfaces[:20])
    return pm, product, plan, len(tests)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interfaces", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep-db-url", action="store_true", help="use DATABASE_URL (emptied first)")
    args = parser.parse_args()
    configure(args.keep_db_url)
    from django.test import Client

    from bench.portfolio_bench import count_queries, timed  # the same measuring as the portfolio's

    started = time.perf_counter()
    pm, product, plan, saved = build(args.interfaces)
    print(f"built {args.interfaces} interfaces, {saved} saved cells in {time.perf_counter() - started:.1f} s")
    # A second, small product: the query count must not depend on the number of rows.
    from django.contrib.auth.models import User  # noqa: F401 - django is set up by now

    from interfaces.models import Interface

    small = type(product).objects.create(workspace=product.workspace, name="小产品")
    Interface.objects.bulk_create([Interface(workspace=product.workspace, product=small, method="GET",
                                             path=f"/small/{i}") for i in range(10)])
    client = Client()
    client.force_login(pm)
    rows = []
    for label, url in (
            (f"matrix page, first 100 of {args.interfaces} rows (default page)", f"/products/{product.pk}/interfaces/matrix/"),
            (f"matrix page, all {args.interfaces} rows on one page", f"/products/{product.pk}/interfaces/matrix/?per_page=500"),
            ("matrix page, filtered: blocked in production", f"/products/{product.pk}/interfaces/matrix/?status=blocked&environment=production"),
            (f"plan's matrix page (with 联调 task links), {args.interfaces} rows", f"/plans/{plan.pk}/interfaces/?per_page=500"),
            ("matrix page, 10 rows (other product)", f"/products/{small.pk}/interfaces/matrix/"),
            (f"Excel export, {args.interfaces} rows", f"/products/{product.pk}/interfaces/matrix/export.xlsx")):
        assert client.get(url).status_code == 200, url
        median, best = timed(lambda url=url: client.get(url), args.repeat)
        queries = count_queries(lambda url=url: client.get(url))
        rows.append((label, median, best, queries))
    cell = Interface.objects.filter(product=product).first()
    url = f"/interfaces/{cell.pk}/joint-tests/sandbox/"
    versions = iter(range(1000))

    def save():
        from interfaces.models import JointTest

        version = JointTest.objects.filter(interface=cell, environment="sandbox").values_list("version", flat=True).first()
        status = ["passed", "failed"][next(versions) % 2]
        assert client.post(url, {"status": status, "version": version or 0}, HTTP_HX_REQUEST="true").status_code == 200

    median, best = timed(save, args.repeat)
    rows.append(("one cell saved (htmx), rolled up into a linked 联调 task", median, best, count_queries(save)))
    print(f"\n| what ({os.environ['DATABASE_URL'].split(':')[0]}) | median | best | SQL queries |")
    print("|---|---|---|---|")
    for label, median, best, queries in rows:
        print(f"| {label} | {median:.0f} ms | {best:.0f} ms | {queries} |")


if __name__ == "__main__":
    main()
