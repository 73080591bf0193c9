"""A task's comment thread: server time and queries to show 200 comments, and to add one with
mentions in a workspace of 200 people.

Run by hand (not a test):  .venv/bin/python bench/comments_bench.py [--comments 200] [--people 200]
Builds a throwaway plan in /tmp/paasport-comments-bench.sqlite3 (or DATABASE_URL's database when
set: it must be a scratch one) and calls the views in-process with Django's test client (the WSGI
handler and middleware included; no network).
"""
import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-comments-bench.sqlite3"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false",
                  ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

BODY = ("**Status** of `联调`: the SDK build passed; see [the report](https://example.com/report) and\n"
        "- crash rate under 0.1%\n- login p95 280 ms\n\n> waiting for the partner's test account\n") * 3


def build(comments, people):
    from django.core.management import call_command

    if os.environ["DATABASE_URL"] == f"sqlite:///{DB}" and os.path.exists(DB):
        os.remove(DB)
    call_command("migrate", verbosity=0)
    from collab import services
    from onboarding.models import Plan, Product, Workspace, WorkspaceMember
    from django.contrib.auth import get_user_model
    from schedule.models import Task

    User = get_user_model()
    workspace = Workspace.objects.create(name="bench")
    pm = User.objects.create_user("pm", password="bench-pass-123")
    WorkspaceMember.objects.create(workspace=workspace, user=pm, role="pm")
    users = []
    for number in range(people):
        user = User.objects.create_user(f"user{number}", first_name=f"同事{number}")
        WorkspaceMember.objects.create(workspace=workspace, user=user, role="pm")
        users.append(user)
    product = Product.objects.create(workspace=workspace, name="MTP")
    plan = Plan.objects.create(workspace=workspace, product=product, name="bench", owner=pm,
                               start_date="2026-09-01")
    plan.viewers.set(users)
    task = Task.objects.create(plan=plan, title="联调测试", duration=3)
    for number in range(comments):
        services.comment_create(plan=plan, task=task, author=pm, body=BODY + f" @user{number % people}")
    return plan, task


def timed(call, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), len(queries.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    plan, task = build(args.comments, args.people)
    client = Client()
    client.login(username="pm", password="bench-pass-123")
    thread = f"/plans/{plan.pk}/comments/?task={task.pk}"
    ms, queries = timed(lambda: client.get(thread, HTTP_HX_REQUEST="true"), args.repeat)
    print(f"thread of {args.comments} comments: {ms:.0f} ms median, {queries} queries")
    ms, queries = timed(lambda: client.get(f"/plans/{plan.pk}/tasks/{task.pk}/detail/?panel=1",
                                           HTTP_HX_REQUEST="true"), args.repeat)
    print(f"task side panel with it: {ms:.0f} ms median, {queries} queries")
    ms, queries = timed(lambda: client.post(f"/plans/{plan.pk}/comments/",
                                            {"body": BODY + " @user1 @同事2 @user3", "task": task.pk},
                                            HTTP_HX_REQUEST="true"), args.repeat)
    print(f"add a comment with 3 mentions among {args.people} people (thread returned): {ms:.0f} ms median, "
          f"{queries} queries")
    ms, queries = timed(lambda: client.get(f"/plans/{plan.pk}/mentions/", {"q": "user1"}), args.repeat)
    print(f"@ autocomplete: {ms:.1f} ms median, {queries} queries")


if __name__ == "__main__":
    main()
