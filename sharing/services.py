"""Imports as write services: each holds the plan's lock from its first read to its last write
(so a task edit saved meanwhile waits, and is never overwritten by the file's older value), writes
all or nothing, and reschedules once (see onboarding/services.py for the lock order)."""
from django.core.exceptions import ValidationError
from django.db import transaction

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
    """Create and update tasks from an Excel checklist (sharing/exchange/excel.py)."""
    with plan_write(plan):
        result = excel.import_workbook(plan, data)
        return _reschedule(plan, result) if result.changed else result


def import_msproject(*, plan, data):
    """Add an MS Project XML file's tasks and links to the plan (sharing/exchange/mspdi.py)."""
    with plan_write(plan):
        result = mspdi.import_xml(plan, data)
        return _reschedule(plan, result) if result.changed else result


def import_plan_json(*, owner, workspace, data):
    """A new plan in ``workspace`` from a JSON export (sharing/exchange/json_backup.py)."""
    with transaction.atomic():
        plan = json_backup.import_plan(data, owner=owner, workspace=workspace)
        with plan_write(plan):
            _reschedule(plan, ImportResult(plan=plan))
    return plan
