"""Load test: 50 concurrent users for 60 s against gunicorn + PostgreSQL + Redis, loopback only.

    .venv/bin/python bench/load_test.py                    # 50 users, 60 s, then drop the database
    .venv/bin/python bench/load_test.py --users 20 --duration 30 --keep-db
    .venv/bin/python bench/load_test.py --mix plans --duration 60      # cache hit ratio over 50 plans
    .venv/bin/python bench/load_test.py --mix editors --users 10 --tasks 300   # task-edit p95 (issue 11)

What it does:
  1. creates the PostgreSQL database `paasport_load` (postgres@127.0.0.1:5432), migrates it and seeds
     one plan with a task per user, one task every user edits, and a partner share link (with --tasks N,
     more tasks up to N in chains of ten finish-to-start links, so that every edit reschedules N tasks);
     the users are members of the plan's workspace where the code has workspaces (the script also runs
     against commits from before them, to compare);
  2. starts `gunicorn config.wsgi -w 4 --threads 4` on 127.0.0.1 with REDIS_URL=redis://127.0.0.1:6379/14;
  3. runs N user threads (stdlib urllib, one cookie jar each), each waiting a think time between
     requests (--think). With the pm mix each logs in, then until time is up:
       55 % edits its OWN task's title and duration through the HTMX edit endpoint (CSRF, version);
       10 % edits the SHARED task from a form it loaded a moment earlier: conflicts (422) expected;
       25 % opens the share page /s/<token>/ (no session), 10 % the bare /healthz view;
     With the plans mix (issue 11 item 7) there are --plans plans (default 50) of 24 tasks, each with a
     share link, every user an editor of every plan, and each user
       15 % edits a task of "their" plan (user i: plan i mod --plans),
       45 % opens the Gantt page of a random plan, 40 % the share page of a random plan;
     the bench then starts its own redis-server (so that nothing else talks to it) and watches it
     with MONITOR to count, per cached page kind, the reads of a cached page and the rebuilds
     (a SET of the page after its read missed): hit ratio = 1 - sets / gets;
     with --mix editors every user only edits its own task (GET the form, POST it);
  4. reports requests, errors (5xx and connection errors: must be 0), conflicts, lost edits (every
     user's last acknowledged title must be in the database afterwards) and p50/p95/p99 per kind;
  5. stops gunicorn and drops the database (unless --keep-db).
Exit status 1 when there were errors or lost edits.
"""
import argparse
import http.cookiejar
import os
import random
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "load-test-pass-123"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="paasport_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--plans", type=int, default=50, help="plans of the plans mix")
    parser.add_argument("--tasks", type=int, default=0,
                        help="tasks in the plan (at least one per user plus the shared one)")
    parser.add_argument("--mix", choices=["pm", "viewers", "editors", "plans"], default="pm",
                        help="pm: the PM edit mix above; viewers: only share-page views beside /healthz (issue 5's "
                             "target); editors: only edits of each user's own task (issue 11's target); plans: "
                             "edits and page views over --plans plans (cache hit ratio, issue 11 item 7)")
    parser.add_argument("--think", default=None, metavar="MIN,MAX",
                        help="seconds each user waits between requests, uniform in [MIN, MAX] "
                             "(default 0,0.1 for pm: saturation; 0.5,1.5 for viewers: people reading a page)")
    args = parser.parse_args()
    think = args.think or {"viewers": "0.5,1.5", "plans": "0.2,0.6"}.get(args.mix, "0,0.1")
    low, _, high = think.partition(",")
    args.think = (float(low), float(high or low))
    return args


SECRET_KEY = secrets.token_urlsafe(50)  # DEBUG is false: one real key for the seed and the server


def server_env(args):
    return {"SECRET_KEY": SECRET_KEY, **os.environ, "DATABASE_URL": f"{PG}/{args.database}",
            "REDIS_URL": args.redis, "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1", "SHARE_RATE_LIMIT": "0", "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "ERROR", "PYTHONUNBUFFERED": "1"}


def psql(sql):
    subprocess.run(["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def create_database(args):
    psql(f"DROP DATABASE IF EXISTS {args.database}")
    psql(f"CREATE DATABASE {args.database}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, env=server_env(args),
                   check=True)


def create_and_seed(args):
    create_database(args)
    env = server_env(args)
    seed = f"""
import datetime
from django.contrib.auth.models import User
from onboarding.models import Plan, Product
from schedule.models import Phase, Task, TaskLink
from schedule import scheduling
from sharing.models import ShareLink
try:
    from onboarding.models import Workspace, WorkspaceMember
    team = Workspace.objects.create(name="Load team")
    in_team = {{"workspace": team}}
except ImportError:  # a commit from before workspaces
    team, in_team = None, {{}}
def member(user):
    if team is not None:
        WorkspaceMember.objects.create(workspace=team, user=user)
    return user
owner = member(User.objects.create_user("loadowner", password="{PASSWORD}"))
product = Product.objects.create(name="Load product", **in_team)
plan = Plan.objects.create(name="Load plan", product=product, owner=owner, start_date=datetime.date(2026, 9, 1),
                           **in_team)
phase = Phase.objects.create(plan=plan, name="Load phase")
for i in range({args.users}):
    user = member(User.objects.create_user(f"load{{i}}", password="{PASSWORD}"))
    plan.editors.add(user)
    Task.objects.create(plan=plan, phase=phase, title=f"task of load{{i}}", duration=1 + i % 5, position=i)
Task.objects.create(plan=plan, phase=phase, title="shared task", duration=3, position={args.users})
more = Task.objects.bulk_create([Task(plan=plan, phase=phase, title=f"filler {{i}}", duration=1 + i % 4,
                                      position={args.users} + 1 + i)
                                 for i in range({args.tasks} - {args.users} - 1)])
TaskLink.objects.bulk_create([TaskLink(predecessor=more[i - 1], successor=more[i])
                              for i in range(1, len(more)) if i % 10])
scheduling.recompute(plan)
_link, token = ShareLink.create(plan=plan, audience="partner")
print(plan.pk, token)
"""
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", seed], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[-2]), out[-1]


def seed_plans(args):
    """The plans mix: --plans plans in one workspace, every user an editor of each; returns
    {plan id: (share token, [task ids])}."""
    create_database(args)
    env = server_env(args)
    seed = f"""
import datetime
from django.contrib.auth.models import User
from onboarding.models import Plan, Product, Workspace, WorkspaceMember
from schedule.models import Phase, Task, TaskLink
from schedule import scheduling
from sharing.models import ShareLink
team = Workspace.objects.create(name="Load team")
users = []
for i in range({args.users}):
    user = User.objects.create_user(f"load{{i}}", password="{PASSWORD}")
    WorkspaceMember.objects.create(workspace=team, user=user, role="pm")
    users.append(user)
product = Product.objects.create(name="Load product", workspace=team)
for p in range({args.plans}):
    plan = Plan.objects.create(name=f"Load plan {{p}}", product=product, owner=users[p % len(users)], workspace=team,
                               start_date=datetime.date(2027, 3, 1))
    plan.editors.set(users)
    previous = None
    for f in range(2):
        phase = Phase.objects.create(plan=plan, name=f"Phase {{f}}", position=f)
        for t in range(12):
            task = Task.objects.create(plan=plan, phase=phase, title=f"plan {{p}} task {{f}}.{{t}}",
                                       duration=1 + (p + t) % 5, position=f * 12 + t)
            if previous is not None and t % 3:
                TaskLink.objects.create(predecessor=previous, successor=task)
            previous = task
    scheduling.recompute(plan)
    _link, token = ShareLink.create(plan=plan, audience="partner")
    print("PLAN", plan.pk, token, ",".join(str(pk) for pk in plan.tasks.values_list("pk", flat=True)))
"""
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", seed], cwd=REPO, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    out = done.stdout
    plans = {}
    for line in out.splitlines():
        if line.startswith("PLAN "):
            _word, pk, token, tasks = line.split()
            plans[int(pk)] = (token, [int(task) for task in tasks.split(",")])
    return plans


class RedisServer:
    """A redis-server of the bench's own, watched with MONITOR: the page-cache reads and rebuilds."""

    KINDS = ("gantt-figure", "share-page")

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.counts = Counter()
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self):
        import redis

        try:
            self._listen(redis.Redis.from_url(self.url, socket_timeout=None))
        except redis.ConnectionError:
            return  # the server stopped at the end of the run

    def _listen(self, client):
        with client.monitor() as monitor:
            for command in monitor.listen():
                if self._stop.is_set():
                    return
                words = command["command"].split()
                if len(words) < 2:
                    continue
                verb, key = words[0].upper(), words[1]
                for kind in self.KINDS:
                    if f"{kind}:" in key and verb in ("GET", "SET"):
                        self.counts[(kind, verb)] += 1

    def report(self):
        print("\n| cached page | reads | rebuilds | hit ratio |")
        print("|---|---|---|---|")
        for kind in self.KINDS:
            gets, sets = self.counts[(kind, "GET")], self.counts[(kind, "SET")]
            ratio = f"{1 - sets / gets:.1%}" if gets else "—"
            print(f"| {kind} | {gets} | {sets} | {ratio} |")

    def stop(self):
        self._stop.set()
        self.process.kill()
        self.process.wait(timeout=10)


def task_ids(args, plan_id):
    sql = f"SELECT title, id FROM schedule_task WHERE plan_id = {plan_id}"
    out = subprocess.run(["psql", f"{PG}/{args.database}", "-Atc", sql], check=True, capture_output=True,
                         text=True).stdout
    return dict(line.rsplit("|", 1) for line in out.splitlines())


class FormFields(HTMLParser):
    """The name → value pairs a browser would submit from the first form of a fragment."""

    def __init__(self):
        super().__init__()
        self.fields, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            else:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.fields):
            self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.errors = []

    def record(self, kind, seconds, status):
        with self.lock:
            self.latency[kind].append(seconds)
            self.statuses[kind][status] += 1
            if status == "conn" or (isinstance(status, int) and status >= 500):
                self.errors.append((kind, status))


class User:
    def __init__(self, number, base, plan_id, own_task, shared_task, token, stats):
        self.number, self.base, self.plan_id = number, base, plan_id
        self.own_task, self.shared_task, self.token, self.stats = own_task, shared_task, token, stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.anonymous = urllib.request.build_opener(_NoRedirect())
        self.last_ack = None
        self.edits = 0
        self.random = random.Random(number)
        self.plans, self.plans_ids = {}, []

    def _call(self, kind, url, data=None, headers=None, opener=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + url, data=body, headers=headers or {})
        started = time.perf_counter()
        try:
            with (opener or self.opener).open(request, timeout=30) as response:
                status, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except (urllib.error.URLError, OSError, TimeoutError):
            status, text = "conn", ""
        if kind:
            self.stats.record(kind, time.perf_counter() - started, status)
        return status, text

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self):
        self._call(None, "/accounts/login/")
        status, _text = self._call("login", "/accounts/login/",
                                   {"username": f"load{self.number}", "password": PASSWORD,
                                    "csrfmiddlewaretoken": self.csrf()},
                                   {"Referer": self.base + "/accounts/login/"})
        return status == 302

    def _htmx(self):
        return {"HX-Request": "true", "X-CSRFToken": self.csrf(), "Referer": self.base + "/"}

    def load_form(self, task_id):
        url = f"/plans/{self.plan_id}/tasks/{task_id}/edit/"
        status, text = self._call("task form (GET)", url, headers=self._htmx())
        if status != 200:
            return url, None
        parser = FormFields()
        parser.feed(text)
        return url, parser.fields

    def edit_own(self):
        url, fields = self.load_form(self.own_task)
        if fields is None:
            return
        self.edits += 1
        title = f"load{self.number} edit {self.edits}"
        fields.update(title=title, duration=str(1 + self.edits % 9))
        status, _text = self._call("task edit (POST)", url, fields, self._htmx())
        if status == 200:
            self.last_ack = title

    def edit_shared(self):
        url, fields = self.load_form(self.shared_task)
        if fields is None:
            return
        time.sleep(self.random.uniform(0.05, 0.4))  # someone else may save meanwhile
        fields.update(title=f"shared by load{self.number}", duration=str(self.random.randint(1, 9)))
        self._call("shared edit (POST)", url, fields, self._htmx())

    def view_share(self):
        self._call("share page (GET)", f"/s/{self.token}/", opener=self.anonymous)

    def edit_plan_task(self):
        plan_id = self.plans_ids[self.number % len(self.plans_ids)]
        _token, tasks = self.plans[plan_id]
        url = f"/plans/{plan_id}/tasks/{tasks[self.random.randrange(len(tasks))]}/edit/"
        status, text = self._call("task form (GET)", url, headers=self._htmx())
        if status != 200:
            return
        parser = FormFields()
        parser.feed(text)
        self.edits += 1
        parser.fields.update(title=f"load{self.number} edit {self.edits}", duration=str(1 + self.edits % 5))
        self._call("task edit (POST)", url, parser.fields, self._htmx())

    def view_gantt(self):
        self._call("Gantt page (GET)", f"/plans/{self.random.choice(self.plans_ids)}/gantt/")

    def view_plan_share(self):
        token, _tasks = self.plans[self.random.choice(self.plans_ids)]
        self._call("share page (GET)", f"/s/{token}/", opener=self.anonymous)

    def healthz(self):
        self._call("healthz (GET)", "/healthz", opener=self.anonymous)

    def run(self, until, mix="pm", think=(0.0, 0.1)):
        if mix == "plans":
            if not self.login():
                self.stats.record("login failed", 0, "conn")
                return
            actions = [self.edit_plan_task] * 15 + [self.view_gantt] * 45 + [self.view_plan_share] * 40
        elif mix == "viewers":
            # Partners: no account, no session; the bare view is the same server's baseline.
            actions = [self.view_share] * 3 + [self.healthz]
        elif mix == "editors":
            if not self.login():
                self.stats.record("login failed", 0, "conn")
                return
            actions = [self.edit_own]
        else:
            if not self.login():
                self.stats.record("login failed", 0, "conn")
                return
            actions = [self.edit_own] * 55 + [self.edit_shared] * 10 + [self.view_share] * 25 + [self.healthz] * 10
        while time.monotonic() < until:
            self.random.choice(actions)()
            time.sleep(self.random.uniform(*think))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    args = parse_args()
    base = f"http://127.0.0.1:{args.port}"
    redis_server = RedisServer() if args.mix == "plans" else None
    if redis_server:
        args.redis = redis_server.url
    print(f"seeding {args.database} …", flush=True)
    if args.mix == "plans":
        plans = seed_plans(args)
        plan_id, token, ids = None, None, {}
    else:
        plan_id, token = create_and_seed(args)
        ids = task_ids(args, plan_id)
    server = subprocess.Popen(
        [str(REPO / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(args.workers), "--threads", str(args.threads),
         "-b", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=REPO, env=server_env(args))
    try:
        wait_for(base + "/healthz")
        stats = Stats()
        if args.mix == "plans":
            users = [User(i, base, None, None, None, None, stats) for i in range(args.users)]
            for user in users:
                user.plans, user.plans_ids = plans, sorted(plans)
        else:
            users = [User(i, base, plan_id, int(ids[f"task of load{i}"]), int(ids["shared task"]), token, stats)
                     for i in range(args.users)]
        load_before = os.getloadavg()
        started = time.monotonic()
        until = started + args.duration
        threads = [threading.Thread(target=user.run, args=(until, args.mix, args.think)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis_server:
            redis_server.stop()

    titles = task_ids(args, plan_id) if plan_id else {}
    lost = [user.number for user in users if user.last_ack and user.last_ack not in titles]
    acknowledged = sum(1 for user in users if user.last_ack)
    total = sum(len(v) for v in stats.latency.values())
    print(f"\n{args.users} users ({args.mix} mix, think time {args.think[0]:g}-{args.think[1]:g} s), "
          f"a plan of {len(ids)} tasks, "
          f"{elapsed:.1f} s, gunicorn -w {args.workers} --threads {args.threads}, "
          f"PostgreSQL + Redis on loopback; load average before {load_before[0]:.2f}, after "
          f"{load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} (1/5/15 min), {os.cpu_count()} CPUs")
    print(f"requests: {total} ({total / elapsed:.1f}/s); errors (5xx + connection): {len(stats.errors)}; "
          f"lost edits: {len(lost)} of {acknowledged} users' last acknowledged edits")
    print("\n| request | count | statuses | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for kind in sorted(stats.latency):
        values = stats.latency[kind]
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(stats.statuses[kind].items(), key=str))
        print(f"| {kind} | {len(values)} | {statuses} | {percentile(values, .5) * 1000:.0f} | "
              f"{percentile(values, .95) * 1000:.0f} | {percentile(values, .99) * 1000:.0f} | "
              f"{max(values) * 1000:.0f} |")
    if redis_server:
        redis_server.report()
    shared = stats.statuses.get("shared edit (POST)", Counter())
    if args.mix == "pm":
        print(f"\nshared-task edits: {shared.get(200, 0)} saved, {shared.get(422, 0) + shared.get(409, 0)} refused as "
              f"conflicts (expected), statuses {dict(shared)}")
    if stats.errors:
        print("errors:", Counter(stats.errors).most_common(10))
    if lost:
        print("lost edits for users:", lost)
    if not args.keep_db:
        psql(f"DROP DATABASE IF EXISTS {args.database}")
    return 1 if stats.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
