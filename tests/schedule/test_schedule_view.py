"""The Schedule tab: summary, settings, baselines, levelling (schedule/views/planning.py)."""
import datetime

import pytest

from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Baseline, ScheduleSettings, Task
from tests.factories import PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory

D = datetime.date


@pytest.fixture
def tasks(plan):
    a = TaskFactory(plan=plan, title="官网介绍页", duration=3, position=0)
    b = TaskFactory(plan=plan, title="正式上线", duration=0, is_milestone=True, position=1)
    TaskLinkFactory(predecessor=a, successor=b)
    scheduling.recompute(plan)
    return a, b


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(f"/plans/{plan.pk}/schedule/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_pm_gets_404(client, other_pm, plan):
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/schedule/").status_code == 404


def test_page_shows_computed_finish(pm_client, plan, tasks):
    a, b = tasks
    b.refresh_from_db()
    body = pm_client.get(f"/plans/{plan.pk}/schedule/").content.decode()
    assert b.early_start.isoformat() in body


def test_settings_save_reschedules_and_capacity(pm_client, plan, tasks):
    a, b = tasks
    a.refresh_from_db()
    member = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="王芳"))
    day_off = a.early_start.isoformat()
    data = {"extra_days_off": day_off, "extra_working_days": "", f"capacity_{member.pk}": "2",
            "version": scheduling.settings_for(plan).version,
            **{f"weight_{key}": value for key, value in scheduling.weights_for(plan).items()}}
    data["weight_urgency"] = "40"
    response = pm_client.post(f"/plans/{plan.pk}/schedule/settings/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    settings = ScheduleSettings.objects.get(plan=plan)
    assert settings.extra_days_off == [day_off] and settings.weights["urgency"] == 40
    member.refresh_from_db()
    assert member.capacity == 2
    moved = Task.objects.get(pk=a.pk)
    assert moved.early_start > a.early_start, "a new day off moves the task"


def test_bad_date_is_refused_with_the_line(pm_client, plan, tasks):
    data = {"extra_days_off": "2026-12-01\n2026-13-45",
            **{f"weight_{key}": value for key, value in scheduling.weights_for(plan).items()}}
    response = pm_client.post(f"/plans/{plan.pk}/schedule/settings/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "2026-13-45" in response.content.decode()
    assert ScheduleSettings.objects.get(plan=plan).extra_days_off == []


def test_baseline_save_and_duplicate_name(pm_client, plan, tasks):
    response = pm_client.post(f"/plans/{plan.pk}/baselines/add/", {"name": "立项"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "立项" in response.content.decode()
    assert Baseline.objects.get(plan=plan).tasks.count() == 2
    response = pm_client.post(f"/plans/{plan.pk}/baselines/add/", {"name": "立项"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert Baseline.objects.filter(plan=plan).count() == 1


def test_slip_shows_after_a_change(pm_client, plan, tasks):
    a, b = tasks
    schedule_services.baseline_create(plan=plan, name="v1").obj
    a.duration = 5
    a.save()
    scheduling.recompute(plan)
    body = pm_client.get(f"/plans/{plan.pk}/schedule/").content.decode()
    assert "+2" in body


def test_manager_may_read_but_not_change(client, manager, plan, tasks):
    client.force_login(manager)
    assert client.get(f"/plans/{plan.pk}/schedule/").status_code == 200
    assert client.post(f"/plans/{plan.pk}/baselines/add/", {"name": "x"}).status_code == 403
    assert client.post(f"/plans/{plan.pk}/levelling/start/").status_code == 403


def test_levelling_eager_in_embedded_default(pm_client, plan, tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = pm_client.post(f"/plans/{plan.pk}/levelling/start/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    run = plan.levelling_runs.get()
    assert run.state == "done" and run.finish_after is not None
