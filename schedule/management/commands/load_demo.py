"""manage.py load_demo: three demo plans, four business-line scenarios and three demo accounts.

Idempotent: every object is looked up by its natural key first and only created when missing;
existing rows are never modified, so a second run changes nothing (and edits made in the demo
survive a re-run). Dates are placed relative to the day the demo is first loaded; later runs
recover that anchor from the stored plan start dates instead of storing it anywhere.
"""
import os
from collections import Counter
from datetime import date

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.models import Flow, Lane, Metric, Plan, Product, Scenario, Step, Workspace, WorkspaceMember
from schedule import demo_data
from schedule.engine.calendar import WorkCalendar
from schedule.models import Phase, Task, TaskLink, WatchOut
from stakeholders.models import PlanStakeholder, Stakeholder

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def topological_order(keys, links):
    """Task keys so that every predecessor comes before its successors; CommandError on a cycle."""
    successors = {key: [] for key in keys}
    indegree = dict.fromkeys(keys, 0)
    for pred, succ, _kind, _lag in links:
        successors[pred].append(succ)
        indegree[succ] += 1
    ready = [key for key in keys if indegree[key] == 0]
    order = []
    while ready:
        key = ready.pop(0)
        order.append(key)
        for succ in successors[key]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    if len(order) != len(keys):
        raise CommandError("demo data: the task links form a cycle")
    return order


def plan_progress(plan_data, elapsed):
    """Planned periods and progress of each task, ``elapsed`` working days into the plan.

    A forward pass over the links (FS/SS/FF/SF with lags) in which a late task's remaining work
    runs from today, so its successors are pushed after it and statuses stay consistent: nothing
    starts before an unfinished finish-to-start predecessor.
    """
    tasks = {task["key"]: task for task in plan_data["tasks"]}
    titles = {task["title"] for task in plan_data["tasks"]}
    if len(tasks) != len(plan_data["tasks"]) or len(titles) != len(tasks):
        # Titles are the natural key of re-runs: a duplicate would silently be skipped.
        raise CommandError(f"demo data: duplicate task keys or titles in {plan_data['name']}")
    preds = {key: [] for key in tasks}
    for pred, succ, kind, lag in plan_data["links"]:
        if pred not in tasks or succ not in tasks:
            raise CommandError(f"demo data: link {pred} → {succ} names an unknown task")
        preds[succ].append((pred, kind, lag))
    result = {}
    for key in topological_order(list(tasks), plan_data["links"]):
        task = tasks[key]
        duration = task["duration"]
        start = task["offset"]
        for pred, kind, lag in preds[key]:
            ps, pf = result[pred]["start"], result[pred]["finish"]
            start = max(start, {
                "FS": pf + lag, "SS": ps + lag, "FF": pf + lag - duration, "SF": ps + lag - duration,
            }[kind])
        finish = start + duration
        info = {"start": start, "finish": finish}
        if task["late"]:
            status, percent = task["late"]
            if start > elapsed - 4:
                raise CommandError(f"demo data: late task {key} must start well before today")
            remaining = max(1, -(-duration * (100 - percent) // 100))
            info.update(status=status, percent=percent, finish=max(finish, elapsed + remaining), late=True)
        elif finish <= elapsed and (duration or start < elapsed):
            info.update(status=Task.Status.DONE, percent=100)
        elif start < elapsed:
            percent = round((elapsed - start) * 100 / duration / 5) * 5
            info.update(status=Task.Status.IN_PROGRESS, percent=min(95, max(5, percent)))
        else:
            info.update(status=Task.Status.NOT_STARTED, percent=0)
        result[key] = info
    return result


class Command(BaseCommand):
    help = (
        "Load the demo: the workspace 安全产品接入组 with three plans (手游安全 MTP, 数据安全治理中心 DSGC, "
        "医疗影像云存储), four business-line scenarios and the accounts pm, manager and admin; and the small "
        "workspace 行业云接入组 with its own PM, pm2, and one plan. Safe to run again: nothing is duplicated or "
        "changed. Passwords come from DEMO_PM_PASSWORD, DEMO_MANAGER_PASSWORD, DEMO_ADMIN_PASSWORD and "
        "DEMO_PM2_PASSWORD (local defaults otherwise)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None,
            help="Pretend today is this date (YYYY-MM-DD) when the demo is first loaded.",
        )

    def handle(self, *args, today=None, **options):
        self.today = today or timezone.localdate()
        self.created = Counter()
        self.kept = 0
        # The summary names models by their English verbose names, whatever LANGUAGE_CODE says.
        with translation.override("en"):
            with transaction.atomic():
                workspaces = {name: self.ensure(Workspace, {"name": name})
                              for name in (demo_data.TEAM, demo_data.OTHER_TEAM)}
                users = self.load_users(workspaces)
                team, other = workspaces[demo_data.TEAM], workspaces[demo_data.OTHER_TEAM]
                products = {
                    data["name"]: self.ensure(Product, {"workspace": team, "name": data["name"]}, data)
                    for data in demo_data.PRODUCTS
                }
                products[demo_data.OTHER_PRODUCT["name"]] = self.ensure(
                    Product, {"workspace": other, "name": demo_data.OTHER_PRODUCT["name"]}, demo_data.OTHER_PRODUCT)
                scenarios = {
                    data["name"]: self.ensure(Scenario, {"workspace": team, "name": data["name"]}, data)
                    for data in demo_data.SCENARIOS
                }
                scenarios[demo_data.OTHER_SCENARIO["name"]] = self.ensure(
                    Scenario, {"workspace": other, "name": demo_data.OTHER_SCENARIO["name"]}, demo_data.OTHER_SCENARIO)
                people = {key: self.load_stakeholder(data, users, team) for key, data in demo_data.STAKEHOLDERS.items()}
                other_people = {key: self.load_stakeholder(data, users, other)
                                for key, data in demo_data.OTHER_STAKEHOLDERS.items()}
                anchor = self.find_anchor()
                plans = [
                    self.load_plan(data, anchor, team, users["pm"], products, scenarios, people)
                    for data in demo_data.PLANS
                ]
                plans.append(self.load_plan(demo_data.OTHER_PLAN, anchor, other, users["pm2"], products, scenarios,
                                            other_people))
                # What apps above this one add (the interface inventory: the demo OpenAPI documents and the
                # toB requirements), registered in demo_data.
                for load in demo_data.EXTRA_LOADERS:
                    self.created.update(load(team, products, people))
            self.report(users, plans)

    # ------------------------------------------------------------------ helpers
    def ensure(self, model, lookup, values=None, **extra):
        """The object matching ``lookup``; created (after full_clean) from ``values`` when missing."""
        obj = model.objects.filter(**lookup).first()
        if obj is not None:
            self.kept += 1
            return obj
        fields = {field.name for field in model._meta.concrete_fields}
        obj = model(**lookup, **{k: v for k, v in (values or {}).items() if k in fields and k not in lookup}, **extra)
        obj.full_clean()
        obj.save()
        self.created[str(model._meta.verbose_name_plural)] += 1
        return obj

    def load_users(self, workspaces):
        users = {}
        for data in demo_data.USERS:
            password = os.environ.get(data["password_env"]) or data["default_password"]
            user = User.objects.filter(username=data["username"]).first()
            if user is None:
                user = User(
                    username=data["username"], first_name=data["first_name"], last_name=data["last_name"],
                    email=data["email"], is_staff=data["is_staff"], is_superuser=data["is_superuser"],
                )
                user.set_password(password)
                user.full_clean()
                user.save()
                self.created["users"] += 1
                for name, role in data["roles"].items():
                    self.ensure(WorkspaceMember, {"workspace": workspaces[name], "user": user}, {"role": role})
                user.demo_password = password
            else:
                # An existing account keeps its password and rights: re-running the demo
                # against a real database must never reset or raise anyone's access.
                self.kept += 1
                user.demo_password = password if check_password(password, user.password) else None
            users[data["username"]] = user
        return users

    def load_stakeholder(self, data, users, workspace):
        account = users.get(data.get("account")) if data.get("account") else None
        return self.ensure(
            Stakeholder, {"workspace": workspace, "name": data["name"], "organisation": data["organisation"]},
            {k: v for k, v in data.items() if k != "account"}, user=account,
        )

    def find_anchor(self):
        """The day the reference plan started: from a stored demo plan, else from today."""
        for data in demo_data.PLANS:
            plan = Plan.objects.filter(name=data["name"]).first()
            if plan is not None:
                return WorkCalendar(plan.start_date).add_working_days(plan.start_date, -data["shift"])
        return WorkCalendar(self.today).add_working_days(self.today, -demo_data.ELAPSED_WORKING_DAYS)

    # ------------------------------------------------------------------ one plan
    def load_plan(self, data, anchor, workspace, owner, products, scenarios, stakeholders):
        start_date = WorkCalendar(anchor).add_working_days(anchor, data["shift"])
        calendar = WorkCalendar(start_date)
        elapsed = demo_data.ELAPSED_WORKING_DAYS - data["shift"]
        progress = plan_progress(data, elapsed)
        launch = progress.get("launch")
        target_launch = calendar.date_of(launch["start"] + data["launch_buffer"]) if launch else None

        plan = self.ensure(Plan, {"workspace": workspace, "name": data["name"]}, {
            "product": products[data["product"]], "scenario": scenarios[data["scenario"]], "owner": owner,
            "start_date": start_date, "target_launch_date": target_launch, "status": data["status"],
            "summary": data["summary"],
        })

        flows, steps = {}, {}
        for position, flow_data in enumerate(data["flows"]):
            flow = self.ensure(Flow, {"plan": plan, "name": flow_data["name"]}, {**flow_data, "position": position})
            flows[flow.name] = flow
            lanes = {
                name: self.ensure(Lane, {"flow": flow, "name": name}, {"kind": kind, "position": index})
                for index, (name, kind) in enumerate(flow_data["lanes"])
            }
            for index, (lane, text) in enumerate(flow_data["steps"]):
                step = self.ensure(Step, {"flow": flow, "text": text}, {"lane": lanes[lane], "position": index})
                steps.setdefault(position, []).append(step)
            for index, (name, target, unit) in enumerate(flow_data["metrics"]):
                self.ensure(Metric, {"flow": flow, "name": name}, {"target": target, "unit": unit, "position": index})
        main_flow = next(iter(flows.values()), None)
        main_steps = steps.get(0, [])

        members = {}
        for position, member in enumerate(data["stakeholders"]):
            existed = PlanStakeholder.objects.filter(plan=plan, stakeholder=stakeholders[member["key"]]).exists()
            values = {k: v for k, v in member.items() if k not in ("key", "steps")}
            plan_stakeholder = self.ensure(
                PlanStakeholder, {"plan": plan, "stakeholder": stakeholders[member["key"]]},
                {**values, "position": position},
            )
            if not existed:
                plan_stakeholder.steps.set(main_steps[number - 1] for number in member["steps"])
            members[member["key"]] = plan_stakeholder

        phases = {
            name: self.ensure(Phase, {"plan": plan, "name": name}, {"position": position})
            for position, name in enumerate(data["phases"])
        }

        tasks = {}
        for position, task_data in enumerate(data["tasks"]):
            tasks[task_data["key"]] = self.ensure(
                Task, {"plan": plan, "title": task_data["title"]},
                self.task_values(task_data, progress[task_data["key"]], calendar, elapsed, target_launch,
                                 phases, members, main_flow, position),
            )
            info = progress[task_data["key"]]
            watchouts = task_data["watchouts"]
            ticked = len(watchouts) if info["status"] == Task.Status.DONE else len(watchouts) * info["percent"] // 100
            for index, text in enumerate(watchouts):
                self.ensure(WatchOut, {"task": tasks[task_data["key"]], "text": text},
                            {"done": index < ticked, "position": index})
        for pred, succ, kind, lag in data["links"]:
            self.ensure(TaskLink, {"predecessor": tasks[pred], "successor": tasks[succ]}, {"type": kind, "lag": lag})
        return plan

    def task_values(self, task, info, calendar, elapsed, target_launch, phases, members, flow, position):
        values = {
            "phase": phases[task["phase"]], "description": task["description"], "owner": members[task["owner"]],
            "related_flow": flow if task["flow"] else None, "duration": task["duration"],
            "is_milestone": task["is_milestone"], "is_launch": task["is_launch"], "visibility": task["visibility"],
            "position": position,
            "status": info["status"], "percent_complete": info["percent"], "priority_override": task["priority"],
        }
        start, duration = info["start"], task["duration"]
        if task["offset"]:
            values["start_no_earlier_than"] = calendar.date_of(task["offset"])
        if info["status"] != Task.Status.NOT_STARTED:
            values["actual_start"] = calendar.date_of(start)
        if info["status"] == Task.Status.DONE:
            values["actual_finish"] = calendar.date_of(start + max(duration, 1) - 1)
        if info.get("late"):
            values["deadline"] = calendar.date_of(elapsed - 3)
        elif task["deadline"] == "launch":
            values["deadline"] = target_launch
        elif task["deadline"] is not None:
            values["deadline"] = calendar.date_of(start + max(duration, 1) - 1 + task["deadline"])
        return values

    # ------------------------------------------------------------------ output
    def report(self, users, plans):
        total = sum(self.created.values())
        if total:
            details = ", ".join(f"{count} {name}" for name, count in sorted(self.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: created {total} objects ({details})."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already present: nothing changed."))
        if self.kept:
            self.stdout.write(f"{self.kept} objects were already there and were left as they are.")
        for plan in plans:
            done = plan.tasks.filter(status=Task.Status.DONE).count()
            self.stdout.write(
                f"  · {plan.name}: {plan.tasks.count()} tasks ({done} done), "
                f"{plan.plan_stakeholders.count()} stakeholders, starts {plan.start_date:%Y-%m-%d}"
            )
        base_url = os.environ.get("DEMO_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
        self.stdout.write(f"\nOpen {base_url}{reverse('login')} (after `manage.py runserver`) and sign in as:")
        for username, user in users.items():
            password = user.demo_password or "(existing account: password not changed by load_demo)"
            self.stdout.write(f"  {username:<8} {password}")
        defaults = [d["password_env"] for d in demo_data.USERS if not os.environ.get(d["password_env"])]
        if defaults:
            self.stdout.write(self.style.WARNING(
                "Default demo passwords are for local use only; set " + ", ".join(defaults) + " elsewhere."
            ))
