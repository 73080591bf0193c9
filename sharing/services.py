"""Imports as write services: each holds the plan's lock from its first read to its last write
(so a task edit saved meanwhile waits, and is never overwritten by the file's older value), writes
all or nothing, and reschedules once (see onboarding/services.py for the lock order)."""
from django.core.exceptions import ValidationError
from django.db import transaction

from onboarding.models import Plan, Product, Scenario
from onboarding.services import plan_write
from schedule.services import rescheduled

from .exchange import ImportFailed, ImportResult, Problem, excel, json_backup, mspdi


def _reschedule(plan, result):
    try:
        result.moved = rescheduled(plan)
    except ValidationError as error:
        # e.g. the file's links push dates past the calendar: refused like any other problem.
        raise ImportFailed([Problem(message) for message in error.messages]) from None
    return result


def import_checklist(*, plan, data):
    """Create and update tasks from an Excel checklist (sharing/exchange/excel.py). The file is read
    before the lock (0.1–0.6 s of CPU for 5,000 rows): edits to the plan wait only for the checks
    against it and the writes."""
    sheets = excel.read_file(data)
    with plan_write(plan):
        result = excel.import_workbook(plan, data, sheets)
        return _reschedule(plan, result) if result.changed else result


def import_msproject(*, plan, data, seen=None):
    """Add an MS Project XML file's tasks and links to the plan (sharing/exchange/mspdi.py).

    ``seen``: the tasks as a preview showed them (mspdi.seen_in_preview); checked under the lock, so an
    edit saved after the preview refuses the import (mspdi.PreviewStale) instead of being overwritten."""
    with plan_write(plan):
        result = mspdi.import_xml(plan, data, seen=seen)
        return _reschedule(plan, result) if result.changed else result


def import_msproject_as_plan(*, owner, like, data):
    """A new plan from an MS Project XML file, in the workspace of plan ``like``: its name, start and
    target launch from the file (Title, StartDate, FinishDate), its product and scenario those the
    file names (Subject, Category: our export writes them) when the workspace has them, else ``like``'s.
    Returns (plan, ImportResult)."""
    content = mspdi.read_xml(data)  # refused files stop here, before any plan exists
    workspace = like.workspace
    product = Product.objects.filter(workspace=workspace, name=content.subject).order_by("pk").first() \
        if content.subject else None
    scenario = Scenario.objects.filter(workspace=workspace, name=content.category).order_by("pk").first() \
        if content.category else None
    start = content.start or min((item.start for item in content if item.start), default=None) or like.start_date
    finish = content.finish if content.finish and content.finish >= start else None
    with transaction.atomic():
        plan = Plan.objects.create(workspace=workspace, owner=owner, product=product or like.product,
                                   scenario=scenario or like.scenario, name=(content.title or like.name)[:160],
                                   start_date=start, target_launch_date=finish)
        with plan_write(plan):
            result = _reschedule(plan, mspdi.import_xml(plan, data))
    return plan, result


def import_plan_json(*, owner, workspace, data):
    """A new plan in ``workspace`` from a JSON export (sharing/exchange/json_backup.py)."""
    with transaction.atomic():
        plan = json_backup.import_plan(data, owner=owner, workspace=workspace)
        with plan_write(plan):
            _reschedule(plan, ImportResult(plan=plan))
    return plan
