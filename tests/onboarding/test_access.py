"""onboarding/access.py: who reads and who writes a plan."""
import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from onboarding.access import can_write_plan, get_plan_for_user, plans_readable_by


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_owner_editor_viewer_other(plan, pm, other_pm):
    assert can_write_plan(pm, plan)
    assert list(plans_readable_by(other_pm)) == []
    with pytest.raises(Http404):
        get_plan_for_user(_request(other_pm), plan.pk)
    plan.viewers.add(other_pm)
    assert get_plan_for_user(_request(other_pm), plan.pk).user_can_write is False
    with pytest.raises(PermissionDenied):
        get_plan_for_user(_request(other_pm), plan.pk, write=True)
    plan.editors.add(other_pm)
    assert get_plan_for_user(_request(other_pm), plan.pk, write=True) == plan


def test_manager_reads_all_but_writes_none(plan, manager):
    assert get_plan_for_user(_request(manager), plan.pk) == plan
    with pytest.raises(PermissionDenied):
        get_plan_for_user(_request(manager), plan.pk, write=True)
