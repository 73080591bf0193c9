"""Writes that touch both a person (Stakeholder) and their part in a plan (PlanStakeholder)."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from onboarding.access import users_of
from onboarding.models import Plan, Product, WorkspaceMember
from onboarding.services import Written, plan_write, tasks_detach, tasks_reattach
from onboarding.versioning import StaleEdit, bump, claim

from .models import PLAN_STAKEHOLDER_HISTORY, PlanStakeholder, Stakeholder
from .signals import plan_moved

DUPLICATE_MESSAGE = _("This person is already a stakeholder of this plan.")


def _saved_with_one_record(membership, save):
    """Run ``save()`` (which saves the row, then sets its steps) and record the result once.

    Saving the row and each change of its steps would otherwise record up to three entries for
    one edit, the first of them with the old steps.
    """
    created = membership.pk is None or not PlanStakeholder.objects.filter(pk=membership.pk).exists()
    membership.skip_history_when_saving = True
    try:
        saved = save()
    finally:
        del membership.skip_history_when_saving
    PLAN_STAKEHOLDER_HISTORY.create_historical_record(saved, "+" if created else "~")
    return saved


def plan_stakeholder_save(*, plan, membership, version=None, person=None, person_details=None, person_version=None,
                          steps=()):
    """Create or update one stakeholder of ``plan`` together with the person, all or nothing.

    ``membership`` carries the plan-specific values (unsaved for a new row: it joins the end of
    the list). An existing row is claimed at ``version`` (onboarding/versioning.py).
    ``person`` is an existing Stakeholder to add (new rows only); without it the membership keeps
    its person, or a new person is made. ``person_details`` (a dict of Stakeholder fields) updates
    that person, shared by every plan they are in; None leaves them as they are. The person is
    shared by other plans, whose PMs save them under their own plan's lock: details that change an
    existing person claim the person at ``person_version`` (None: refused as a stale edit), so a
    form loaded before another plan's save cannot put the old details back.
    The form checks all of this first; the checks here keep other callers honest and raise
    ValidationError keyed by form field names.
    """
    with plan_write(plan):
        saved = _saved_with_one_record(membership, lambda: _save(plan, membership, version, person, person_details,
                                                                 person_version, list(steps)))
    return Written(saved)


def _details_change(person, details):
    """Whether saving ``details`` would change anything of ``person`` as stored."""
    for name, value in details.items():
        field = Stakeholder._meta.get_field(name.removesuffix("_id"))
        stored = getattr(person, field.attname)
        wanted = value.pk if hasattr(value, "pk") else value
        if (stored or None) != (wanted or None):
            return True
    return False


def _save(plan, membership, version, person, person_details, person_version, steps):
    # A restored row comes back with its old id: it is added, not claimed.
    adding = membership.pk is None or not PlanStakeholder.objects.filter(pk=membership.pk).exists()
    # Errors go on the field the PM used to name the person.
    person_field = "existing" if adding and person is not None else "name"
    if membership.pk is None:
        last = PlanStakeholder.objects.filter(plan=plan).aggregate(Max("position"))["position__max"]
        membership.position = 0 if last is None else last + 1
    elif not adding:
        claim(membership, version)
    if person is not None:
        if not adding and membership.stakeholder_id != person.pk:
            raise ValidationError({"existing": _("A stakeholder row cannot change to another person.")})
    if person is None and not membership.stakeholder_id:
        person = Stakeholder(workspace=plan.workspace)
    elif person_details is not None or person is None:
        # The person's row lock, taken after the plan's (the lock order: the plan, then its rows;
        # a person belongs to no plan and is only ever locked last). Another plan's save of the
        # same person waits here and then finds the version it claims gone.
        person = Stakeholder.objects.select_for_update().get(pk=person.pk if person else membership.stakeholder_id)
    if person.workspace_id != plan.workspace_id:
        raise ValidationError({person_field: _("This person belongs to another workspace.")})
    linked_before = person.user_id if person.pk else None
    if person_details is not None and person.pk is not None:
        # Details equal to the stored ones lose nothing and are not saved (nor is the version
        # bumped): two plans' PMs saving only their own plan's part of one person do not refuse
        # each other. A form that did not say which version it started from is refused either way.
        if person_version is None:
            raise StaleEdit(person, started=None, current=person.version)
        if _details_change(person, person_details):
            claim(person, person_version)
        else:
            person_details = None
    if person_details is not None:
        for name, value in person_details.items():
            setattr(person, name, value)
    if person.user_id and person.user_id != linked_before and not users_of(plan.workspace).filter(
            pk=person.user_id).exists():
        raise ValidationError({"user": _("Only an account of this plan's workspace can be linked to this person.")})
    if person.pk is None and not (person.name or "").strip():
        raise ValidationError({"name": _("Type the new person's name, or choose an existing person.")})
    if person.pk is None or person_details is not None:
        person.full_clean(exclude=["user"])
        person.save()

    if PlanStakeholder.objects.filter(plan=plan, stakeholder=person).exclude(pk=membership.pk).exists():
        raise ValidationError({person_field: DUPLICATE_MESSAGE})
    if any(step.flow.plan_id != plan.pk for step in steps):
        raise ValidationError({"steps": _("Only steps of this plan's flows can be chosen.")})

    membership.plan = plan
    membership.stakeholder = person
    membership.full_clean(exclude=["plan", "stakeholder"], validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Two people adding the same person at the same moment.
        raise ValidationError({person_field: DUPLICATE_MESSAGE}) from None
    membership.steps.set(steps)
    return membership


def removal_reason(membership_id):
    """The history's change reason on each task a removed stakeholder owned: restoring the
    stakeholder finds the tasks to give back by it."""
    return f"owner removed with stakeholder {membership_id}"


def plan_stakeholder_delete(*, plan, membership, version):
    """Remove a person from the plan (the person stays in Paasport). Their tasks lose their owner,
    each with a history entry, so that restoring the stakeholder gives the tasks back."""
    with plan_write(plan):
        claim(membership, version)
        # Task.owner: the schedule app's model, through its relation
        tasks_detach(membership.tasks.all(), field="owner", reason=removal_reason(membership.pk))
        membership.delete()
    return Written(membership)


def owned_tasks_restore(*, plan, membership):
    """Give back the tasks that lost ``membership`` as their owner when it was removed, unless they
    have another owner since. Returns how many."""
    return tasks_reattach(membership.tasks.model, plan=plan, field="owner", value=membership,
                          reason=removal_reason(membership.pk))


def plan_move(*, plan, workspace):
    """Move a plan to another workspace with its product, scenario and people.

    What only this plan uses moves with it; what other plans of the old workspace use too is
    copied into the new one (or matched by name there), so the old team keeps its own. The plan's
    owner, editors and viewers become members of the new workspace if they are not yet. Returns
    a list of sentences saying what happened.
    """
    done = []
    with plan_write(plan):
        old = plan.workspace
        if old.pk == workspace.pk:
            return done
        others = Plan.objects.filter(workspace=old).exclude(pk=plan.pk)
        old_product = plan.product

        def carried(obj, used_elsewhere, lookup):
            if not used_elsewhere:
                obj.workspace = workspace
                obj.save(update_fields=["workspace"])
                return obj
            same = type(obj).objects.filter(workspace=workspace, **lookup).first()
            if same is not None:
                return same
            obj.pk = None
            obj.workspace = workspace
            obj.save()
            return obj

        plan.product = carried(Product.objects.get(pk=old_product.pk),
                               others.filter(product=old_product).exists(), {"name": old_product.name})
        if plan.scenario_id:
            plan.scenario = carried(plan.scenario, others.filter(scenario=plan.scenario).exists(),
                                    {"name": plan.scenario.name})
        people = {}  # old person id -> who stands for them in the new workspace
        for membership in plan.plan_stakeholders.select_related("stakeholder"):
            person = membership.stakeholder
            elsewhere = person.plan_roles.exclude(plan=plan).exists()
            moved = carried(person, elsewhere, {"name": person.name, "organisation": person.organisation})
            people[membership.stakeholder_id] = moved
            if moved.pk != membership.stakeholder_id:
                membership.stakeholder = moved
                membership.save(update_fields=["stakeholder"])
        plan.workspace = workspace
        bump(plan)
        plan.save(update_fields=["workspace", "product", "scenario", "version"])
        # Comments, files and the product's interfaces live in apps above this one.
        followed = [sentence for _receiver, sentence in plan_moved.send(
            sender=Plan, plan=plan, old_product=old_product, workspace=workspace, people=people) if sentence]
        added = []
        for user, role in [(plan.owner, WorkspaceMember.Role.PM)] + \
                [(user, WorkspaceMember.Role.PM) for user in plan.editors.all()] + \
                [(user, WorkspaceMember.Role.VIEWER) for user in plan.viewers.all()]:
            _member, created = WorkspaceMember.objects.get_or_create(workspace=workspace, user=user,
                                                                      defaults={"role": role})
            if created:
                added.append(user.get_full_name() or user.username)
        done.append(_("“%(plan)s” moved from “%(old)s” to “%(new)s” with its product, scenario and people.")
                    % {"plan": plan.name, "old": old.name, "new": workspace.name})
        done.extend(followed)
        if added:
            done.append(_("New members of “%(new)s”: %(names)s.") % {"new": workspace.name, "names": ", ".join(added)})
    return done
