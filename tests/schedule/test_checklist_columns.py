"""The checklist's column chooser: each person's choice is kept (on every plan), a manager who only
reads may choose too, a column that does not exist is refused and changes nothing."""
import pytest
from django.test import Client

from schedule.models import ChecklistPreference
from tests.factories import PlanFactory


def _shown(client, plan):
    body = client.get(f"/plans/{plan.pk}/checklist/").content.decode()
    grid = body[body.index('id="checklist-grid"'):]
    return grid[:grid.index(">")]


def test_default_columns_hide_phase_visibility_and_not_before(pm_client, plan):
    assert _shown(pm_client, plan) == 'id="checklist-grid" class="table-scroll hide-phase hide-snet hide-visibility"'


def test_a_choice_is_kept_per_person_on_every_plan(pm_client, plan, pm, manager):
    response = pm_client.post(f"/plans/{plan.pk}/checklist/columns/", {"column": ["owner", "phase", "status"]},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert ChecklistPreference.objects.get(user=pm).columns == ["owner", "phase", "status"]
    other_plan = PlanFactory(owner=pm, product=plan.product, scenario=plan.scenario)
    shown = _shown(pm_client, other_plan)
    assert "hide-phase" not in shown and "hide-owner" not in shown and "hide-deadline" in shown

    reader = Client()
    reader.force_login(manager)  # reads every plan: chooses columns for themself, not for the PM
    assert reader.post(f"/plans/{plan.pk}/checklist/columns/", {"column": ["visibility"]}).status_code == 302
    assert ChecklistPreference.objects.get(user=manager).columns == ["visibility"]
    assert ChecklistPreference.objects.get(user=pm).columns == ["owner", "phase", "status"]


def test_no_column_ticked_leaves_the_task_column(pm_client, plan, pm):
    pm_client.post(f"/plans/{plan.pk}/checklist/columns/", {}, HTTP_HX_REQUEST="true")
    shown = _shown(pm_client, plan)
    assert "hide-owner" in shown and "hide-critical" in shown


@pytest.mark.parametrize("bad", ["password", "owner'><script>", "x" * 5000, "\x00"])
def test_an_unknown_column_is_refused_and_nothing_changes(pm_client, plan, pm, bad):
    pm_client.post(f"/plans/{plan.pk}/checklist/columns/", {"column": ["owner"]}, HTTP_HX_REQUEST="true")
    response = pm_client.post(f"/plans/{plan.pk}/checklist/columns/", {"column": ["status", bad]},
                              HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "There is no column" in response.content.decode()
    assert ChecklistPreference.objects.get(user=pm).columns == ["owner"]
