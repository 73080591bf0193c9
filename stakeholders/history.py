"""The history of a plan's stakeholders: what the history page lists, restoring an earlier
version of a stakeholder, and showing another person's change to a stale edit form.

Restoring brings back the plan-specific part (scores, concerns, audience, steps…) and the
person's details as they were at that moment. Flow steps deleted since are left out and the
message says so; a row whose person no longer exists, or who is in the plan again, is refused.
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.history import HistorySource, last_known, m2m_values_of, raw_changes, register
from onboarding.models import Step
from onboarding.versioning import current_version, find_conflict

from . import services
from .forms import PERSON_FIELDS
from .models import PlanStakeholder, Stakeholder

MEMBER_FIELDS = ["concerns", "modules", "relevance", "influence", "audience", "internal_notes", "capacity"]


def person_names(ids):
    """{person id: name}, from their last record when they no longer exist."""
    return last_known(Stakeholder, ids, "name")


def _describe_members(records):
    names = person_names(r.stakeholder_id for r in records)
    return {r.history_id: names.get(r.stakeholder_id, f"#{r.stakeholder_id}") for r in records}


def _members(plan_id):
    return PlanStakeholder.history.filter(plan_id=plan_id)


def _person_as_of(person_id, moment):
    return (Stakeholder.history.filter(id=person_id, history_date__lte=moment)
            .order_by("-history_id").first())


def restore_member(plan, record, user):
    membership = PlanStakeholder.objects.filter(plan=plan, pk=record.id).first()
    if not Stakeholder.objects.filter(pk=record.stakeholder_id).exists():
        raise ValidationError(_("This person no longer exists: add them again on the Stakeholders tab."))
    if membership is None:
        if PlanStakeholder.objects.filter(plan=plan, stakeholder_id=record.stakeholder_id).exists():
            raise ValidationError(_("This person is in the plan again: edit that row instead."))
        last = PlanStakeholder.objects.filter(plan=plan).aggregate(Max("position"))["position__max"]
        membership = PlanStakeholder(id=record.id, plan=plan, stakeholder_id=record.stakeholder_id,
                                     position=0 if last is None else last + 1, version=record.version)
    for name in MEMBER_FIELDS:
        setattr(membership, name, getattr(record, name))
    wanted = m2m_values_of(PlanStakeholder.history.model, [record.history_id])[record.history_id]["steps"]
    steps = list(Step.objects.filter(pk__in=wanted, flow__plan=plan).select_related("flow"))
    person = _person_as_of(record.stakeholder_id, record.history_date)
    # The account by id: a record's linked account may be gone since (its link is then dropped).
    details = ({("user_id" if name == "user" else name): getattr(person, "user_id" if name == "user" else name)
                for name in PERSON_FIELDS} if person is not None else None)
    if details and details["user_id"] and not get_user_model().objects.filter(
            pk=details["user_id"], workspace_roles__workspace_id=plan.workspace_id, is_active=True).exists():
        details["user_id"] = None
    # A restore is a deliberate overwrite of whatever is there now: it claims the current versions.
    saved = services.plan_stakeholder_save(plan=plan, membership=membership, version=membership.version,
                                           person_details=details,
                                           person_version=current_version(Stakeholder, record.stakeholder_id),
                                           steps=steps).obj
    message = _("Stakeholder “%(name)s” restored.") % {"name": saved.stakeholder.name}
    given_back = services.owned_tasks_restore(plan=plan, membership=saved)
    if given_back:
        message += " " + ngettext("%(count)d task they owned has them as its owner again.",
                                  "%(count)d tasks they owned have them as their owner again.", given_back) % {
            "count": given_back}
    lost = len(wanted) - len(steps)
    if lost:
        message += " " + ngettext(
            "%(count)d flow step it was involved in no longer exists and was left out.",
            "%(count)d flow steps it was involved in no longer exist and were left out.", lost) % {"count": lost}
    return message


def member_conflict(pk, started_version):
    """Another person's change to a plan stakeholder since ``started_version``, with the person's details."""

    def person_changes(start, current):
        then = _person_as_of(start.stakeholder_id, start.history_date)
        now = Stakeholder.history.filter(id=current.stakeholder_id).order_by("-history_id").first()
        if then is None or now is None:
            return []
        return [change for change in raw_changes(Stakeholder.history.model, then, now)
                if change.field.name in PERSON_FIELDS]

    return find_conflict(PlanStakeholder, pk, started_version, extra=person_changes)


def person_conflict(person_id, started_version):
    """Another change to a person's details since ``started_version``, made from any plan they are in."""
    conflict = find_conflict(Stakeholder, person_id, started_version)
    conflict.changes = [change for change in conflict.changes if change.field.name in PERSON_FIELDS]
    return conflict


register(
    HistorySource("planstakeholder", PlanStakeholder, _members, describe=_describe_members,
                  restore=restore_member),
    HistorySource("stakeholder", Stakeholder,
                  lambda plan_id: Stakeholder.history.filter(
                      id__in=Subquery(_members(plan_id).values("stakeholder_id"))),
                  skip_on_create=(), purge=False),
)
