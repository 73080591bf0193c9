"""Writes to a product's interface inventory, its joint tests, and a workspace's platform requirements.

An import is two steps: ``spec_import`` reads, validates and keeps the document (nothing else
changes); ``spec_apply`` changes the rows once someone accepted the diff. Writes of one
product's inventory take the product's row lock, so two imports or edits queue up.
"""
import datetime
from contextlib import ExitStack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from onboarding import revisions
from onboarding.models import Plan, Product
from onboarding.services import Written, plan_write
from onboarding.versioning import StaleEdit, bump, claim
from schedule import services as schedule_services
from schedule.models import Task

from . import importer, rollup
from .models import Environment, Interface, InterfaceRequirement, InterfaceSpec, JointTest


def _lock_product(product):
    list(Product.objects.select_for_update().filter(pk=product.pk).values_list("pk", flat=True))


def spec_import(*, product, data, file_name="", direction=importer.PARTNER, user=None):
    """Read and validate a document and keep it, not yet applied (ImportRefused otherwise)."""
    parsed = importer.parse(data, file_name=file_name, direction=direction)
    # A newer document replaces the one still awaiting review: one pending diff per product.
    InterfaceSpec.objects.filter(product=product, applied_at__isnull=True).delete()
    return InterfaceSpec.objects.create(
        workspace_id=product.workspace_id, product=product, title=parsed.title, api_version=parsed.api_version,
        spec_version=parsed.spec_version, file_name=(file_name or "")[:255], document=parsed.document,
        operation_count=len(parsed.operations), imported_by=user if user and user.is_authenticated else None,
        direction=direction)


def spec_operations(*, spec):
    return importer.operations_of(spec.document, spec.direction)


def spec_diff(*, spec):
    rows = Interface.objects.filter(product_id=spec.product_id)
    return importer.diff(rows, spec_operations(spec=spec))


def spec_apply(*, spec=None, product=None, operations=None, user=None):
    """Apply a kept document (``spec``) or operations read by the command to the product's rows:
    add the new operations, update the changed ones (owners, notes and tasks stay), delete the
    ones an earlier document brought and this one no longer has. Returns the diff applied."""
    product = product or spec.product
    with transaction.atomic():
        _lock_product(product)
        if spec is not None:
            spec = InterfaceSpec.objects.select_for_update().get(pk=spec.pk)
            if spec.applied_at is not None:
                raise ValidationError(_("This document was already applied."))
            operations = spec_operations(spec=spec)
        rows = list(Interface.objects.filter(product=product))
        change = importer.diff(rows, operations)
        start = (max((row.position for row in rows), default=-1)) + 1
        Interface.objects.filter(pk__in=[row.pk for row in change.removed]).delete()
        for item in change.changed:
            row = item.row
            for name, _old, new in item.fields:
                setattr(row, name, new)
            row.spec = spec or row.spec
            bump(row)
            row.save()
        if spec is not None:
            keys = {operation.key for operation in operations}
            Interface.objects.filter(product=product, spec__isnull=False).exclude(spec=spec).filter(
                pk__in=[row.pk for row in rows if (row.method, row.path) in keys]).update(spec=spec)
        # One INSERT for the rows and one for their history: a 1,000-operation import stays under 2 s.
        bulk_create_with_history([
            Interface(workspace_id=product.workspace_id, product=product, spec=spec, position=start + offset,
                      method=operation.method, path=operation.path, **operation.values())
            for offset, operation in enumerate(change.added)], Interface, batch_size=500)
        if spec is not None:
            spec.applied_at = timezone.now()
            spec.save(update_fields=["applied_at"])
    return change


def spec_discard(*, spec):
    if spec.applied_at is None:
        spec.delete()


# ----------------------------------------------------------------------------- rows by hand
def _unique_operation(obj):
    taken = Interface.objects.filter(product_id=obj.product_id, method=obj.method, path=obj.path).exclude(pk=obj.pk)
    if taken.exists():
        raise ValidationError({"path": _("This product already has %(method)s %(path)s.") % {
            "method": obj.method, "path": obj.path}})


def interface_create(*, obj):
    with transaction.atomic():
        _lock_product(obj.product)
        _unique_operation(obj)
        obj.workspace_id = obj.product.workspace_id
        obj.position = (Interface.objects.filter(product_id=obj.product_id).aggregate(m=Max("position"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise ValidationError({"path": _("This product already has this operation.")}) from None
    return obj


def interface_update(*, obj, version):
    with transaction.atomic():
        _lock_product(obj.product)
        _unique_operation(obj)
        claim(obj, version)
        obj.save()
    return obj


def interface_delete(*, obj, version):
    with transaction.atomic():
        _lock_product(obj.product)
        claim(obj, version)
        obj.delete()


# ----------------------------------------------------------------------------- platform requirements
def requirement_create(*, obj):
    obj.position = (InterfaceRequirement.objects.filter(workspace_id=obj.workspace_id, scenario_kind=obj.scenario_kind)
                    .aggregate(m=Max("position"))["m"] or 0) + 1
    obj.save()
    return obj


def requirement_update(*, obj):
    obj.save()
    return obj


def requirement_delete(*, obj):
    obj.delete()


# ============================================================================= joint tests (联调 matrix)
# A cell change moves the plans whose 联调 tasks are linked to the interface: their locks are taken
# first, in plan id order (the documented order: plan rows, then their rows), then the cells are
# claimed, then each task changes through schedule.services.task_update (version, reschedule).
UNSET = object()
JOINT_TEST_FIELDS = ("status", "request_id", "note", "evidence", "tester", "tested_on")


def _plans_of_tasks(task_ids):
    return list(Plan.objects.filter(tasks__in=task_ids, deleted_at__isnull=True).distinct().order_by("pk"))


def _bump_product_pages(product_id):
    """The share pages and portfolio rows of the product's plans show its matrix: make them rebuild."""
    ids = list(Plan.objects.filter(product_id=product_id).values_list("pk", flat=True))
    for pk in ids:
        revisions.bump(pk)
    transaction.on_commit(lambda: [revisions.bump(pk) for pk in ids])


def _apply_rollup(task, result, today):
    """Set the task's status, % complete and actual dates from ``result``; False when nothing changes."""
    status, percent = result.task_status, result.percent
    if status == Task.Status.DONE:
        percent = 100
    actual_start, actual_finish = task.actual_start, task.actual_finish
    if status == Task.Status.NOT_STARTED:
        actual_start = actual_finish = None  # no cell has started: no work was done
    else:
        actual_start = actual_start or today
        if status == Task.Status.DONE:
            actual_finish = actual_finish or max(today, actual_start)
        else:
            actual_finish = None  # reopened: the engine reads an actual finish as finished
    new = {"status": status, "percent_complete": percent, "actual_start": actual_start,
           "actual_finish": actual_finish}
    if all(getattr(task, name) == value for name, value in new.items()):
        return False
    for name, value in new.items():
        setattr(task, name, value)
    return True


def joint_test_rollup(*, task_ids, today=None):
    """Bring the given 联调 tasks in line with the matrix; the tasks that changed. Callers hold the
    locks of the tasks' plans (see ``_locked``)."""
    today = today or timezone.localdate()
    results = rollup.task_rollups(list(task_ids))
    changed = []
    tasks = Task.objects.filter(pk__in=list(results)).select_related("plan").order_by("plan_id", "pk")
    for task in tasks:
        if task.plan.deleted_at is not None or not _apply_rollup(task, results[task.pk], today):
            continue
        written = schedule_services.task_update(plan=task.plan, task=task, version=task.version)
        changed.append(written.obj)
    return changed


def _locked(stack, task_ids):
    for plan in _plans_of_tasks(task_ids):
        stack.enter_context(plan_write(plan))


def _check_cell_values(product, values):
    evidence = values.get("evidence")
    if evidence is not None and (evidence.product_id != product.pk or evidence.deleted_at is not None):
        raise ValidationError({"evidence": _("Choose a file of this product as evidence.")})
    tested_on = values.get("tested_on")
    if tested_on is not None and not (datetime.date(2000, 1, 1) <= tested_on <= datetime.date(2100, 12, 31)):
        raise ValidationError({"tested_on": _("Dates run from 2000-01-01 to 2100-12-31.")})
    if "status" in values and values["status"] not in JointTest.Status.values:
        raise ValidationError({"status": _("Choose a status.")})


def _claim_cell(interface, environment, version):
    """The cell's row at ``version`` (0: never saved; a new, unsaved row is returned), claimed;
    StaleEdit when someone saved it since."""
    test = JointTest.objects.filter(interface=interface, environment=environment).first()
    if test is None:
        if version != 0:
            raise StaleEdit(JointTest(interface=interface, environment=environment), started=version, current=0)
        return JointTest(workspace_id=interface.workspace_id, interface=interface, environment=environment, version=1)
    claim(test, version)
    return test


def _save_cell(test):
    """Save a claimed cell: one history entry. A first save racing another first save of the same
    cell meets the unique constraint and is refused like any stale edit."""
    test.full_clean(validate_constraints=False)
    if test.pk is not None:
        test.save()
        return
    try:
        with transaction.atomic():
            test.save()
    except IntegrityError:
        current = JointTest.objects.filter(interface=test.interface, environment=test.environment).first()
        raise StaleEdit(current or test, started=0, current=current.version if current else None) from None


def joint_test_update(*, interface, environment, version, today=None, **values):
    """Save one cell (status, request_id, note, evidence, tester, tested_on) if it is still at
    ``version`` (0 for a cell never saved), and roll it up into the linked tasks in the same
    transaction. Returns a Written whose ``obj`` is the JointTest and ``tasks`` the tasks changed."""
    if environment not in Environment.values:
        raise ValidationError(_("Choose an environment."))
    unknown = set(values) - set(JOINT_TEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown joint test fields: {sorted(unknown)}")
    _check_cell_values(interface.product, values)
    task_ids = rollup.linked_task_ids([interface.pk])
    with transaction.atomic(), ExitStack() as stack:
        _locked(stack, task_ids)
        test = _claim_cell(interface, environment, version)
        for name, value in values.items():
            setattr(test, name, value)
        _save_cell(test)
        tasks = joint_test_rollup(task_ids=task_ids, today=today)
        _bump_product_pages(interface.product_id)
    written = Written(test)
    written.tasks = tasks
    return written


BULK_FIELDS = ("status", "tester", "tested_on")
MAX_BULK_CELLS = 3000


def joint_test_bulk_update(*, product, versions, today=None, **values):
    """One change to many cells in one transaction: ``versions`` is {(interface id, environment):
    the version the user saw}; ``values`` any of status, tester, tested_on. One stale or unknown
    cell refuses the whole change (StaleEdit / ValidationError), nothing written. Returns a Written
    whose ``obj`` is the list of cells saved and ``tasks`` the tasks changed."""
    if not versions:
        raise ValidationError(_("Select at least one cell."))
    if len(versions) > MAX_BULK_CELLS:
        raise ValidationError(_("Select at most %(max)s cells at once.") % {"max": MAX_BULK_CELLS})
    values = {name: value for name, value in values.items() if value is not UNSET}
    if set(values) - set(BULK_FIELDS):
        raise TypeError(f"bulk joint test fields: {sorted(set(values) - set(BULK_FIELDS))}")
    if not values:
        raise ValidationError(_("Choose what to change."))
    if any(env not in Environment.values for _pk, env in versions):
        raise ValidationError(_("Choose an environment."))
    _check_cell_values(product, values)
    interfaces = {i.pk: i for i in Interface.objects.filter(product=product, pk__in={pk for pk, _env in versions})}
    if len(interfaces) != len({pk for pk, _env in versions}):
        raise ValidationError(_("Some of the selected interfaces are no longer in this product. Reload the page."))
    task_ids = rollup.linked_task_ids(list(interfaces))
    saved = []
    with transaction.atomic(), ExitStack() as stack:
        _locked(stack, task_ids)
        for (pk, env), version in sorted(versions.items()):
            test = _claim_cell(interfaces[pk], env, version)
            for name, value in values.items():
                setattr(test, name, value)
            _save_cell(test)
            saved.append(test)
        tasks = joint_test_rollup(task_ids=task_ids, today=today)
        _bump_product_pages(product.pk)
    written = Written(saved)
    written.tasks = tasks
    return written


# ============================================================================= interface ↔ 联调 task links
def interface_link_tasks(*, plan, task, interfaces, linked=True, today=None):
    """Link (or unlink) ``interfaces`` of the plan's product to ``task`` of the plan, then roll the
    matrix up into the task. Returns a Written whose ``tasks`` are the tasks changed."""
    if task.plan_id != plan.pk:
        raise ValidationError(_("This task belongs to another plan."))
    interfaces = list(interfaces)
    if not interfaces:
        raise ValidationError(_("Select at least one interface."))
    if any(interface.product_id != plan.product_id for interface in interfaces):
        raise ValidationError(_("Only interfaces of the plan's product can be linked to its tasks."))
    with plan_write(plan):
        if linked:
            task.interfaces.add(*interfaces)
        else:
            task.interfaces.remove(*interfaces)
        tasks = joint_test_rollup(task_ids=[task.pk], today=today)
        _bump_product_pages(plan.product_id)
    written = Written(task)
    written.tasks = tasks
    return written


def interfaces_follow_plan(*, plan, old_product, workspace, people, **_signal):
    """After ``plan`` moved to ``workspace`` (``stakeholders.signals.plan_moved``): its product's
    inventory goes where the product went.

    Runs inside ``plan_move``'s transaction, under the plan lock. When the product itself moved,
    its documents, interfaces and joint tests move with it. When the old team keeps the product
    (another of its plans uses it) and ``plan.product`` is a copy, the inventory is copied too and
    the moved plan's 联调 tasks are linked to the copies, so no interface of one team rolls joint
    tests up into another team's plan. Owners are mapped through ``people`` (old person id → the
    person who stands for them in the new workspace); an owner who did not come along is cleared.
    Returns a sentence saying what came along, or None.
    """
    def owner(person_id):
        return people.get(person_id) if person_id else None

    new_product = plan.product
    interfaces = list(Interface.objects.filter(product=old_product).prefetch_related("tasks", "joint_tests"))
    if new_product.pk == old_product.pk:
        InterfaceSpec.objects.filter(product=new_product).update(workspace=workspace)
        JointTest.objects.filter(interface__product=new_product).update(workspace=workspace)
        for interface in interfaces:
            interface.workspace = workspace
            interface.platform_owner = owner(interface.platform_owner_id)
            interface.partner_owner = owner(interface.partner_owner_id)
            interface.save(update_fields=["workspace", "platform_owner", "partner_owner"])
        return _came_along(len(interfaces))
    if Interface.objects.filter(product=new_product).exists():
        return None  # a product of the same name was already there, with its own inventory
    specs = {}
    for spec in InterfaceSpec.objects.filter(product=old_product, pk__in=[i.spec_id for i in interfaces]):
        old_id = spec.pk
        spec.pk, spec.workspace, spec.product = None, workspace, new_product
        spec.save()
        specs[old_id] = spec
    plan_tasks = set(plan.tasks.values_list("pk", flat=True))
    for interface in interfaces:
        tests = list(interface.joint_tests.all())
        moved_tasks = [task.pk for task in interface.tasks.all() if task.pk in plan_tasks]
        copy = Interface.objects.get(pk=interface.pk)
        copy.pk, copy.workspace, copy.product = None, workspace, new_product
        copy.spec = specs.get(interface.spec_id)
        copy.platform_owner = owner(interface.platform_owner_id)
        copy.partner_owner = owner(interface.partner_owner_id)
        copy.version = 1
        copy.save()
        if moved_tasks:
            interface.tasks.remove(*moved_tasks)
            copy.tasks.add(*moved_tasks)
        for test in tests:
            test.pk, test.workspace, test.interface, test.version = None, workspace, copy, 1
            test.evidence = None  # the evidence file stays with the team that uploaded it
            test.save()
    return _came_along(len(interfaces))


def _came_along(count):
    if not count:
        return None
    return ngettext("The product's %(count)d interface came along with its joint tests.",
                    "The product's %(count)d interfaces came along with their joint tests.", count) % {"count": count}
