"""Writes to a product's interface inventory and a workspace's platform requirements.

An import is two steps: ``spec_import`` reads, validates and keeps the document (nothing else
changes); ``spec_apply`` changes the rows once someone accepted the diff. Writes of one
product's inventory take the product's row lock, so two imports or edits queue up.
"""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from onboarding.models import Product
from onboarding.versioning import claim

from . import importer
from .models import Interface, InterfaceRequirement, InterfaceSpec


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
            row.version += 1
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
