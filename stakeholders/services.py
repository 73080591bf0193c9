"""Writes that touch both a person (Stakeholder) and their part in a plan (PlanStakeholder)."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import PlanStakeholder, Stakeholder

DUPLICATE_MESSAGE = _("This person is already a stakeholder of this plan.")


def save_plan_stakeholder(plan, membership, *, person=None, person_details=None, steps=()):
    """Create or update one stakeholder of ``plan`` together with the person, all or nothing.

    ``membership`` carries the plan-specific values (unsaved for a new row; the caller sets its
    position).
    ``person`` is an existing Stakeholder to add (new rows only); without it the membership keeps
    its person, or a new person is made. ``person_details`` (a dict of Stakeholder fields) updates
    that person, shared by every plan they are in; None leaves them as they are.
    The form checks all of this first; the checks here keep other callers honest and raise
    ValidationError keyed by form field names.
    """
    steps = list(steps)
    adding = membership.pk is None
    # Errors go on the field the PM used to name the person.
    person_field = "existing" if adding and person is not None else "name"
    with transaction.atomic():
        if person is not None:
            if not adding and membership.stakeholder_id != person.pk:
                raise ValidationError({"existing": _("A stakeholder row cannot change to another person.")})
        elif membership.stakeholder_id:
            person = Stakeholder.objects.select_for_update().get(pk=membership.stakeholder_id)
        else:
            person = Stakeholder()
        if person_details is not None:
            for name, value in person_details.items():
                setattr(person, name, value)
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
        if not adding:
            # Lets later readers (exports, share pages) see that the row changed.
            membership.version += 1
        membership.full_clean(exclude=["plan", "stakeholder"], validate_constraints=False)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            # Two people adding the same person at the same moment.
            raise ValidationError({person_field: DUPLICATE_MESSAGE}) from None
        membership.steps.set(steps)
    return membership
