"""Reads of a product's interfaces, their imported specifications, joint tests and the workspace's
requirements. Callers have already reached the product, plan or workspace through
onboarding/access.py; writes are in interfaces/services.py, the matrix's rows in interfaces/rollup.py."""
from django.utils.translation import gettext as _

from onboarding.access import plans_readable_by, products_readable_by, roles
from onboarding.history import display_changes, raw_changes, user_name
from schedule.models import Task

from .models import Interface, InterfaceRequirement, InterfaceSpec, JointTest

# Fields every joint-test version carries that the cell's history does not list.
HISTORY_HIDDEN = ("interface", "environment", "workspace", "version")


# ----------------------------------------------------------------------------- the inventory
def interfaces_of(product):
    """The product's interface inventory, with both sides' owners."""
    return Interface.objects.filter(product=product).select_related("platform_owner", "partner_owner")


def interface_of(product, interface_id):
    """One interface of the product, or None."""
    return Interface.objects.filter(product=product, pk=interface_id).first()


def interface_readable_by(user, pk):
    """The interface if it belongs to a product the user may read, else None."""
    return (Interface.objects.filter(pk=pk, product__in=products_readable_by(user))
            .select_related("product__workspace").first())


def interfaces_by_ids(product_id, ids):
    """The product's interfaces among ``ids`` (ids of another product's are left out)."""
    return list(Interface.objects.filter(product_id=product_id, pk__in=ids))


def import_specs(product):
    """(the imported document waiting for review, the last one applied): either may be None."""
    pending = InterfaceSpec.objects.filter(product=product, applied_at__isnull=True).first()
    current = InterfaceSpec.objects.filter(product=product, applied_at__isnull=False).first()
    return pending, current


def spec_of(product, spec_id):
    """One imported document of the product, or None."""
    return InterfaceSpec.objects.filter(product=product, pk=spec_id).first()


# ----------------------------------------------------------------------------- requirements and gaps
def requirements_of(workspace):
    return InterfaceRequirement.objects.filter(workspace=workspace)


def requirement_readable_by(user, pk):
    """The requirement if it is in one of the user's workspaces (with its workspace), else None."""
    return (InterfaceRequirement.objects.filter(pk=pk, workspace_id__in=list(roles(user)))
            .select_related("workspace").first())


def requirements_for(*, workspace_id, scenario_kinds):
    return list(InterfaceRequirement.objects.filter(workspace_id=workspace_id, scenario_kind__in=scenario_kinds))


def scenario_kinds_of(user, product):
    """The scenario kinds of the product's plans the user may read, sorted."""
    return sorted(set(plans_readable_by(user).filter(product=product, scenario__isnull=False)
                      .values_list("scenario__kind", flat=True)))


# ----------------------------------------------------------------------------- joint tests
def joint_test_of(interface, environment):
    """The interface's joint test in one environment, or None (never tested)."""
    return JointTest.objects.filter(interface=interface, environment=environment).first()


def joint_test_history(test):
    """Who changed the cell, when, and what (newest first)."""
    if test is None:
        return []
    model = JointTest.history.model
    records = list(model.objects.filter(id=test.pk).select_related("history_user").order_by("history_id"))
    pairs = [raw_changes(model, old, new) for old, new in zip([None, *records], records)]
    display_changes(pairs)
    entries = []
    for record, changes in zip(records, pairs):
        shown = [c for c in changes if c.field.name not in HISTORY_HIDDEN]
        entries.append({"when": record.history_date, "created": record.history_type == "+",
                        "who": user_name(record.history_user) if record.history_user else _("system"),
                        "changes": shown})
    return entries[::-1]


def tasks_to_link(plan):
    """The plan's tasks an interface can be linked to (id and title), in checklist order."""
    return Task.objects.filter(plan=plan).order_by("position", "pk").only("pk", "title")


def task_of(plan, pk):
    """One task of the plan, or None."""
    return Task.objects.filter(plan=plan, pk=pk).first() if pk is not None else None
