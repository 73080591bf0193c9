"""What webhooks add to a task edit: task_update's time without a hook, with a task-events hook,
and with a plan-events hook (which compares plan_status before and after the write).

Run by hand (not a test):  .venv/bin/python bench/webhooks_bench.py [--tasks 300] [--repeat 15]
Builds the plan of bench/api_bench.py in /tmp/paasport-api-bench.sqlite3 (or DATABASE_URL's
scratch database). The hook points at a closed port on 127.0.0.1 and Celery is not run (the
broker is never called): this measures recording the events, not sending them.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_bench import build  # noqa: E402 - sets the environment first


def edit(plan, task, status):
    from django.db import transaction

    from schedule import services

    task.refresh_from_db()
    task.status = status
    started = time.perf_counter()
    with transaction.atomic():
        services.task_update(plan=plan, task=task, version=task.version)
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    import django

    django.setup()
    from webhooks import services
    from webhooks.models import WebhookDelivery, Webhook

    services.delivery_enqueue = lambda *, delivery: False  # record only; no broker, no HTTP
    plan, _token = build(args.tasks)
    task = plan.tasks.order_by("position")[args.tasks // 2]
    print(f"{args.tasks} tasks, {args.repeat} edits each (a task's status flipped), ms per task_update "
          f"including the commit: best / median; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    cases = [("no webhook", None), ("task events hook", ["task.status_changed", "task.rescheduled"]),
             ("plan events hook", ["plan.launch_moved", "plan.health_changed"])]
    for name, events in cases:
        Webhook.objects.all().delete()
        if events:
            Webhook.objects.create(workspace=plan.workspace, name=name, url="http://127.0.0.1:9/", secret="s",
                                   events=events)
        times = [edit(plan, task, ("in_progress", "not_started")[i % 2]) for i in range(args.repeat)]
        print(f"{name:>18}: {min(times):7.1f} {statistics.median(times):7.1f}  "
              f"(deliveries recorded: {WebhookDelivery.objects.count()})")
        WebhookDelivery.objects.all().delete()


if __name__ == "__main__":
    main()
