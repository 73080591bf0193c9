"""Deleting a plan: owner only, confirmed, soft (staff can restore it for 30 days)."""
import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from onboarding.access import plans_readable_by
from onboarding.models import Plan
from tests.factories import PhaseFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor(plan):
    user = UserFactory(username="anna", password="anna-pass-123")
    plan.editors.add(user)
    return user


def delete_url(plan):
    return f"/plans/{plan.pk}/delete/"


def test_owner_sees_the_button_and_a_confirmation_page(pm_client, plan):
    body = pm_client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert delete_url(plan) in body and "Delete plan" in body
    confirm = pm_client.get(delete_url(plan))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Delete the plan “MTP 接入”?" in text and "30 days" in text and 'method="post"' in text
    Plan.objects.get(pk=plan.pk, deleted_at__isnull=True)  # looking is not deleting


def test_delete_hides_the_plan_everywhere(pm_client, client, plan, manager, flow):
    response = pm_client.post(delete_url(plan))
    assert response.status_code == 302 and response["Location"] == "/plans/"
    plan.refresh_from_db()
    assert plan.deleted_at is not None and plan.deleted_by.username == "pm"
    listing = pm_client.get("/plans/").content.decode()
    assert "Plan “MTP 接入” deleted. An administrator can restore it within 30 days." in listing
    assert f'href="/plans/{plan.pk}/"' not in pm_client.get("/plans/").content.decode()
    for url in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/flow/", f"/plans/{plan.pk}/edit/",
                f"/plans/{plan.pk}/history/", f"/plans/{plan.pk}/checklist/", f"/plans/{plan.pk}/stakeholders/",
                delete_url(plan)):
        assert pm_client.get(url).status_code == 404, url
    client.force_login(manager)
    assert "MTP 接入" not in client.get("/plans/").content.decode()
    assert "MTP 接入" not in pm_client.get("/plans/").content.decode()
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    assert not plans_readable_by(manager).filter(pk=plan.pk).exists()
    # Nothing was removed: the plan and its parts are all still there to restore.
    assert Plan.objects.filter(pk=plan.pk).exists() and plan.flows.count() == 1


def test_only_the_owner_may_delete(client, plan, editor, other_pm):
    client.force_login(editor)
    assert delete_url(plan) not in client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert client.post(delete_url(plan)).status_code == 403
    viewer = UserFactory(username="viewer", password="viewer-pass-1")
    plan.viewers.add(viewer)
    client.force_login(viewer)
    assert client.post(delete_url(plan)).status_code == 403
    client.force_login(other_pm)
    assert client.post(delete_url(plan)).status_code == 404
    assert Plan.objects.get(pk=plan.pk).deleted_at is None


def test_delete_is_in_the_history(pm_client, plan):
    pm_client.post(delete_url(plan))
    record = plan.history.first()
    assert record.deleted_at is not None and record.history_user.username == "pm"


def test_get_only_shows_and_wrong_methods_are_refused(pm_client, plan):
    assert pm_client.put(delete_url(plan)).status_code == 405


@pytest.fixture
def staff_client(db, client):
    admin = User.objects.create_superuser("root", "root@example.com", "root-pass-123")
    client.force_login(admin)
    return client


def test_staff_restore_a_deleted_plan_in_the_admin(staff_client, plan, pm):
    plan.deleted_at, plan.deleted_by = timezone.now() - datetime.timedelta(days=3), pm
    plan.save()
    listing = staff_client.get("/admin/onboarding/plan/?deleted=yes").content.decode()
    assert "MTP 接入" in listing and "Deleted plans" in listing
    assert "MTP 接入" not in staff_client.get("/admin/onboarding/plan/?deleted=no").content.decode()
    response = staff_client.post("/admin/onboarding/plan/", {"action": "restore_plans",
                                                             "_selected_action": [plan.pk]}, follow=True)
    assert "1 plan restored." in response.content.decode()
    plan.refresh_from_db()
    assert plan.deleted_at is None and plan.deleted_by is None
    owner = Client()
    owner.force_login(pm)
    assert owner.get(f"/plans/{plan.pk}/flow/").status_code == 200


def test_plans_deleted_over_30_days_ago_cannot_be_restored(staff_client, plan, pm):
    plan.deleted_at = timezone.now() - datetime.timedelta(days=31)
    plan.save()
    response = staff_client.post("/admin/onboarding/plan/", {"action": "restore_plans",
                                                             "_selected_action": [plan.pk]}, follow=True)
    assert "deleted more than 30 days ago" in response.content.decode()
    plan.refresh_from_db()
    assert plan.deleted_at is not None


def test_deleting_tasks_and_stakeholders_asks_first(pm_client, plan, flow):
    phase = PhaseFactory(plan=plan, name="准备")
    TaskFactory(duration=1, plan=plan, phase=phase, title="启动会")
    PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李雷"))
    for page in ("checklist", "stakeholders", "flow"):
        body = pm_client.get(f"/plans/{plan.pk}/{page}/").content.decode()
        buttons = re.findall(r'<button[^>]*hx-post="[^"]*/delete/"[^>]*>', body, flags=re.S)
        assert buttons, page
        assert all("hx-confirm=" in button for button in buttons), page
