"""Races between real people on PostgreSQL: concurrent HTTP requests against a live server, each
person logged in through the login form with their own session and CSRF token.

- two plan-form saves at once: one is saved, the other refused with the first one's change shown;
- an Excel import and a task edit at once (the task first or last in the sheet, the requests
  together or the import ahead): neither change is lost, nothing deadlocks, nothing answers 500;
- a task edit posted without its version is refused;
- 20 task edits while resource levelling runs on a real Celery worker: levelling applies with the
  edits kept, or says in words that the plan changed and offers to run again.

PostgreSQL only: row locks, deadlocks and lock timeouts are what these requests race on (SQLite
writes one at a time: tests/security/test_sqlite_team.py). CI runs on PostgreSQL.
"""
import io
import re
import time

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from kombu import pools
from simple_history.utils import bulk_create_with_history

from schedule import scheduling
from schedule.models import LevellingRun, Task
from sharing.exchange import excel
from tests.factories import PhaseFactory, PlanStakeholderFactory, TaskFactory
from tests.security.live import at_once, form_with, multipart

pytestmark = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="races on PostgreSQL's row locks: run with DATABASE_URL=postgres://…")

# What must never reach a person: database errors and server error pages.
DATABASE_TEXT = ("deadlock", "DETAIL:", "psycopg", "OperationalError", "Traceback", "Server Error",
                 "could not obtain lock", "lock timeout")


def assert_no_database_text(body):
    leaked = [text for text in DATABASE_TEXT if text.lower() in body.lower()]
    assert not leaked, (leaked, body[:1500])


def version_in(body):
    return int(re.search(r'name="version" value="(\d*)"', body).group(1))


def task_form(browser, plan, task):
    status, body = browser.htmx(f"/plans/{plan.pk}/tasks/{task.pk}/edit/")
    assert status == 200, body[:500]
    return form_with(body, "version")


# ----------------------------------------------------------------------------- the plan form
def test_two_plan_form_saves_at_once_one_is_saved_the_other_refused_showing_the_first(team):
    plan, owner, anna = team.plan, team.browsers["owner"], team.browsers["anna"]
    url = f"/plans/{plan.pk}/edit/"
    for attempt in range(5):  # the race went wrong 5 times out of 5 before the plan form had a version
        forms = {"owner": form_with(owner.request(url)[1], "version"),
                 "anna": form_with(anna.request(url)[1], "version")}
        assert forms["owner"]["version"] == forms["anna"]["version"] != ""
        forms["owner"]["name"] = f"改名 {attempt}"
        forms["anna"]["summary"] = f"安娜的摘要 {attempt}"
        answers = at_once({"owner": lambda: owner.request(url, forms["owner"]),
                           "anna": lambda: anna.request(url, forms["anna"])})

        statuses = {name: answer.status for name, answer in answers.items()}
        assert sorted(statuses.values()) == [302, 422], statuses
        winner = next(name for name, status in statuses.items() if status == 302)
        loser = "anna" if winner == "owner" else "owner"
        refused = answers[loser].body
        assert_no_database_text(refused)
        assert "Someone else changed this while you were editing it" in refused
        # The other person's change, by name and value; the loser's own input is still in the form.
        assert f"Changed by {team.people[winner].first_name} Tester" in refused
        shown = f"改名 {attempt}" if winner == "owner" else f"安娜的摘要 {attempt}"
        assert re.search(r"<ins>[^<]*" + re.escape(shown), refused), refused[:3000]
        mine = forms[loser]["name"] if loser == "owner" else forms[loser]["summary"]
        assert mine in form_with(refused, "version").values()

        plan.refresh_from_db()
        if winner == "owner":
            assert (plan.name, plan.summary) == (f"改名 {attempt}", forms["owner"]["summary"])
        else:
            assert (plan.name, plan.summary) == (forms["anna"]["name"], f"安娜的摘要 {attempt}")


# ----------------------------------------------------------------------------- import and edit
# Enough rows that the import (bulk writes since the upload budget) still runs when the edit arrives.
TASKS = 1500


@pytest.fixture
def big_plan(team):
    plan = team.plan
    phase = PhaseFactory(plan=plan, name="联调")
    bulk_create_with_history([Task(plan=plan, phase=phase, title=f"任务 {i:04d}", duration=1 + i % 4, position=i)
                              for i in range(TASKS)], Task)
    scheduling.recompute(plan)
    return plan


def exported_with_longer_durations(plan):
    """The plan's checklist as exported, every task one working day longer in the file;
    the ids in sheet order."""
    book = openpyxl.load_workbook(io.BytesIO(excel.export_workbook(plan)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    id_column, duration_column = headers.index("Task ID") + 1, headers.index("Duration (working days)") + 1
    ids = []
    for row in range(2, sheet.max_row + 1):
        ids.append(int(sheet.cell(row=row, column=id_column).value))
        sheet.cell(row=row, column=duration_column).value += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), ids


def import_and_edit(team, workbook, target, form, edit_delay=0):
    """The owner imports ``workbook`` while Anna saves ``form`` of ``target``: both answers (Timed)."""
    plan = team.plan
    body, content_type = multipart("file", "checklist.xlsx", workbook)
    answers = at_once({
        "import": lambda: team.browsers["owner"].htmx(f"/plans/{plan.pk}/exchange/import/xlsx/", body,
                                                      content_type=content_type),
        "edit": lambda: team.browsers["anna"].htmx(f"/plans/{plan.pk}/tasks/{target.pk}/edit/", form),
    }, delays={"edit": edit_delay})
    imported, edited = answers["import"], answers["edit"]
    assert imported.overlaps(edited), "one answered before the other was sent: no race was tried"
    for answer in answers.values():
        assert_no_database_text(answer.body)
    return imported, edited


@pytest.mark.parametrize("arrival", ["together", "import ahead"])
@pytest.mark.parametrize("position", ["first", "last"])
def test_an_import_and_a_task_edit_at_once_lose_neither_change(team, big_plan, position, arrival):
    plan = big_plan
    durations = dict(Task.objects.filter(plan=plan).values_list("pk", "duration"))
    workbook, ids = exported_with_longer_durations(plan)
    target = Task.objects.get(pk=ids[0] if position == "first" else ids[-1])
    editor = team.browsers["anna"]
    form = task_form(editor, plan, target)
    form["title"] = "安娜改的标题"
    imported, edited = import_and_edit(team, workbook, target, form,
                                       edit_delay=0.3 if arrival == "import ahead" else 0)

    # The file changed only durations: it is applied in full whichever came first.
    assert imported.status == 200, imported.body[:3000]
    assert f"{TASKS} updated" in imported.body
    assert dict(Task.objects.filter(plan=plan).values_list("pk", "duration")) == {
        pk: duration + 1 for pk, duration in durations.items()}
    # The edit is saved (before the import: the import keeps its newer title) or refused with the
    # import's change shown (after it: it started from the version the import replaced).
    target.refresh_from_db()
    assert edited.status in (200, 422), edited.body[:3000]
    if edited.status == 422:
        assert target.title == f"任务 {TASKS - 1 if position == 'last' else 0:04d}"
        assert "Someone else changed this task" in edited.body
        assert re.search(r"<del>%d</del>.*?<ins>%d</ins>" % (durations[target.pk], durations[target.pk] + 1),
                         edited.body, re.S), edited.body[:3000]
        # Her title is kept in the form, the duration she did not touch shows the import's: saving
        # again keeps both.
        again = form_with(edited.body, "version")
        assert (again["title"], again["duration"]) == ("安娜改的标题", str(durations[target.pk] + 1))
        status, body = editor.htmx(f"/plans/{plan.pk}/tasks/{target.pk}/edit/", again)
        assert status == 200, body[:2000]
    else:
        assert "1 cell changed in Paasport since the file was exported kept its newer value" in imported.body
    target.refresh_from_db()
    assert (target.title, target.duration) == ("安娜改的标题", durations[target.pk] + 1)
    # One history record per version: no version was written twice.
    versions = list(Task.history.filter(id=target.pk).values_list("version", flat=True))
    assert len(versions) == len(set(versions)), versions


def test_an_import_changing_a_cell_edited_meanwhile_is_refused_naming_the_task(team, big_plan):
    """The same cell changed in the file and, after the export, in Paasport: the import is refused
    (the edit saved first) or the edit is (the import saved first); the stored value is never older."""
    plan = big_plan
    workbook, ids = exported_with_longer_durations(plan)
    target = Task.objects.get(pk=ids[0])
    form = task_form(team.browsers["anna"], plan, target)
    form["duration"] = "9"
    imported, edited = import_and_edit(team, workbook, target, form)
    assert sorted([imported.status, edited.status]) == [200, 422], (imported.status, edited.status)
    target.refresh_from_db()
    if edited.status == 200:
        assert target.duration == 9
        assert "Changed in Paasport since this file was exported" in imported.body
        assert "Row 2" in imported.body or target.title in imported.body
        assert Task.objects.filter(plan=plan, duration=9).count() == 1  # nothing of the file was applied
    else:
        assert target.duration != 9
        assert "Someone else changed this task" in edited.body


# ----------------------------------------------------------------------------- a missing version
@pytest.mark.parametrize("endpoint", ["checklist", "gantt"])
@pytest.mark.parametrize("version", [None, ""])
def test_a_task_edit_posted_without_its_version_is_refused(team, endpoint, version):
    plan = team.plan
    task = TaskFactory(plan=plan, title="没有版本", duration=3)
    editor = team.browsers["anna"]
    form = task_form(editor, plan, task)
    form.update(title="覆盖", duration="7")
    if version is None:
        del form["version"]
    else:
        form["version"] = version
    url = (f"/plans/{plan.pk}/tasks/{task.pk}/edit/" if endpoint == "checklist"
           else f"/plans/{plan.pk}/gantt/tasks/{task.pk}/")
    status, body = editor.htmx(url, form)
    assert status == 422, body[:2000]
    assert "did not say which version it was loaded from" in body
    assert version_in(body) == 1  # the form now carries the current version: saving again is deliberate
    task.refresh_from_db()
    assert (task.title, task.duration, task.version) == ("没有版本", 3, 1)


# ----------------------------------------------------------------------------- levelling
@pytest.fixture
def fresh_broker_pools():
    """Around real_worker: kombu keeps a closed pool in a global registry (see tests/notifications)."""
    pools.reset()
    yield
    pools.reset()


@pytest.fixture
def owned_plan(team):
    """Three owners with one task at a time each and 60 tasks between them: levelling has work."""
    plan = team.plan
    owners = [PlanStakeholderFactory(plan=plan, stakeholder__name=name) for name in ("韩梅梅", "李雷", "王芳")]
    phase = PhaseFactory(plan=plan, name="开发")
    bulk_create_with_history([Task(plan=plan, phase=phase, title=f"工作 {i:02d}", duration=1 + i % 5, position=i,
                                   owner=owners[i % 3]) for i in range(60)], Task)
    scheduling.recompute(plan)
    return plan


def _wait_for_run(run, states, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in states:
            return run
        time.sleep(0.05)
    raise AssertionError(f"levelling run still {run.state} after {seconds} s")


@pytest.mark.parametrize("edits", ["titles", "durations"])
def test_twenty_task_edits_while_levelling_runs(fresh_broker_pools, real_worker, team, owned_plan, edits):
    plan = owned_plan
    editors = ["owner", "anna", "bo", "chen"]
    tasks = list(Task.objects.filter(plan=plan).order_by("position")[:20])
    # Each editor opens their five tasks' forms before levelling starts.
    mine = {name: [(task, task_form(team.browsers[name], plan, task)) for task in tasks[i::4]]
            for i, name in enumerate(editors)}

    status, body = team.browsers["owner"].htmx(f"/plans/{plan.pk}/levelling/start/", {})
    assert status == 200, body[:2000]
    run = LevellingRun.objects.get(plan=plan)
    _wait_for_run(run, {LevellingRun.State.RUNNING, LevellingRun.State.DONE, LevellingRun.State.FAILED})

    def edit_five(name):
        def run_edits():
            statuses = []
            for task, form in mine[name]:
                if edits == "titles":
                    form["title"] = f"{task.title}（{name} 改）"
                else:
                    form["duration"] = str(task.duration + 2)
                statuses.append(team.browsers[name].htmx(f"/plans/{plan.pk}/tasks/{task.pk}/edit/", form))
            return max(status for status, _ in statuses), "\n".join(body for _, body in statuses)
        return run_edits

    edits_started = timezone.now()
    answers = at_once({name: edit_five(name) for name in editors})
    for name, answer in answers.items():
        assert answer.status == 200, (name, answer.body[:2000])
        assert_no_database_text(answer.body)
    # Every acknowledged edit is in the plan.
    for task in tasks:
        stored = Task.objects.get(pk=task.pk)
        if edits == "titles":
            assert stored.title.startswith(task.title + "（") and stored.duration == task.duration
        else:
            assert stored.duration == task.duration + 2 and stored.title == task.title

    run = _wait_for_run(run, {LevellingRun.State.DONE, LevellingRun.State.FAILED})
    assert run.finished_at > edits_started, "levelling had finished before the edits: no race was tried"
    status, page = team.browsers["owner"].htmx(f"/plans/{plan.pk}/levelling/{run.pk}/")
    assert status == 200
    assert_no_database_text(page)
    if run.state == LevellingRun.State.FAILED:
        # Only a change to what levelling reads (durations) refuses its result, in words (the
        # reader's: the worker has no language), with a re-run.
        assert edits == "durations", run.error
        assert "The plan changed while levelling ran" in page and "Run again" in page
        chinese = team.browsers["owner"].htmx(f"/plans/{plan.pk}/levelling/{run.pk}/",
                                              headers={"Accept-Language": "zh-hans"})[1]
        assert "资源平衡运行期间计划发生了变化" in chinese and "The plan changed" not in chinese
        status, body = team.browsers["owner"].htmx(f"/plans/{plan.pk}/levelling/start/", {})
        assert status == 200
        run = _wait_for_run(LevellingRun.objects.filter(plan=plan).latest("pk"),
                            {LevellingRun.State.DONE, LevellingRun.State.FAILED})
    assert run.state == LevellingRun.State.DONE, run.error
    # Applied with the edits kept: the levelled dates span each task's edited duration.
    calendar = scheduling.plan_calendar(plan, scheduling.settings_for(plan))
    for task in Task.objects.filter(pk__in=[task.pk for task in tasks]).exclude(levelled_start=None):
        span = calendar.working_days_between(task.levelled_start, task.levelled_finish) + 1
        assert span == task.duration, (task.title, task.levelled_start, task.levelled_finish, task.duration)
