"""No 500 from any input (issue 13 item 3): dates outside what a plan can use, NUL characters,
NaN and Infinity, and schedules pushed past the calendar are refused with a message that says
what and where, and change nothing. Runs on PostgreSQL in CI, which refuses NUL in text."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onboarding.models import Plan
from schedule import scheduling
from schedule.models import ScheduleSettings, Task
from sharing.exchange import json_backup
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)
from tests.sharing.test_mspdi import XML_HEAD, task_xml
from tests.factories import TaskFactory, TaskLinkFactory

HX = {"HTTP_HX_REQUEST": "true"}


def settings_form(client, plan):
    """The schedule settings form as the page fills it in."""
    from tests.security.test_fuzz_endpoints import valid_form

    return valid_form(client, f"/plans/{plan.pk}/schedule/settings/", plan.pk)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2101-01-01", "1999-12-31"])
@pytest.mark.parametrize("field", ["extra_days_off", "extra_working_days"])
def test_settings_refuse_dates_outside_the_calendar(pm_client, plan, field, day):
    scheduling.recompute(plan)
    data = settings_form(pm_client, plan)
    assert "version" in data
    data[field] = f"2026-10-01\n{day}"
    before = list(ScheduleSettings.objects.filter(plan=plan).values())
    response = pm_client.post(f"/plans/{plan.pk}/schedule/settings/", data, **HX)
    assert response.status_code == 422
    assert (f"Line 2: {day} is outside the dates a plan can use (2000-01-01 to 2100-12-31)"
            in response.content.decode())
    assert list(ScheduleSettings.objects.filter(plan=plan).values()) == before


def test_a_stored_out_of_range_date_posted_back_is_a_clear_error(pm_client, plan):
    scheduling.recompute(plan)
    ScheduleSettings.objects.filter(plan=plan).update(extra_days_off=["1999-01-01", "2026-10-08"])
    page = pm_client.get(f"/plans/{plan.pk}/schedule/")
    assert page.status_code == 200
    data = settings_form(pm_client, plan)
    assert "1999-01-01" in data["extra_days_off"]
    response = pm_client.post(f"/plans/{plan.pk}/schedule/settings/", data, **HX)
    assert response.status_code == 422
    assert "Line 1: 1999-01-01 is outside the dates a plan can use" in response.content.decode()


def import_json(client, document):
    text = json.dumps(document, ensure_ascii=False, allow_nan=True).encode()
    plans = Plan.objects.count()
    response = client.post("/plans/import/json/", {"file": SimpleUploadedFile("plan.json", text)}, **HX)
    assert response.status_code == 422 and Plan.objects.count() == plans
    return response.content.decode().replace("</td><td>", ": ")  # the problems table: place, message


@pytest.mark.parametrize("where, value, message", [
    (("plan", "name"), "MTP\x00接入", "plan.name: holds a NUL character"),
    (("tasks", 0, "description"), "a\x00b", "tasks[0].description: holds a NUL character"),
    (("scenario", "channel_chain"), ["平台\x00"], "scenario.channel_chain[0]: holds a NUL character"),
    (("schedule_settings", "weights", "criticality"), float("nan"), "NaN is not a number that can be stored"),
    (("schedule_settings", "weights", "criticality"), float("inf"), "Infinity is not a number that can be stored"),
    (("schedule_settings", "weights", "criticality"), 1e308, "weights.criticality: must be between 0 and 1000"),
    (("schedule_settings", "extra_days_off"), ["9999-12-31"], "outside the dates a plan can use"),
    (("tasks", 0, "deadline"), "2101-01-01", "tasks[0].deadline: 2101-01-01 is outside the dates"),
    (("baselines", 0, "launch_date"), "0001-01-01", "baselines[0].launch_date: 0001-01-01 is outside"),
    (("links", 0, "predecessor"), ["a", "list"], "links[0].predecessor: unknown task"),
])
def test_json_import_refuses_nul_non_finite_numbers_and_far_dates(pm_client, plan, checklist, where, value,  # noqa: F811
                                                                  message):
    from schedule import services as schedule_services

    schedule_services.baseline_create(plan=plan, name="B1", user=plan.owner)
    document = json_backup.export_document(plan)
    target = document
    for key in where[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[where[-1]] = value
    assert message in import_json(pm_client, document)


def test_an_ms_project_chain_past_the_calendar_is_refused_naming_it(pm_client, plan):
    # Ten tasks of 1,875 working days in a row, about 72 years: the chain ends after 2100-12-31.
    tasks = "".join(task_xml(uid, f"第 {uid} 期", duration="PT15000H0M0S", links=[(uid - 1, 1, 0, 7)] if uid > 1
                             else []) for uid in range(1, 11))
    data = (XML_HEAD + tasks + "</Tasks></Project>").encode()
    before = Task.objects.count()
    response = pm_client.post(f"/plans/{plan.pk}/exchange/import/msproject/",
                              {"file": SimpleUploadedFile("p.xml", data)}, **HX)
    assert response.status_code in (400, 422)
    body = response.content.decode()
    assert "“第 1 期” → “第 2 期” → " in body and "→ “第 10 期” would end after 2100-12-31" in body
    assert Task.objects.count() == before


def test_computed_dates_never_run_past_2100(plan):
    chain = [TaskFactory(plan=plan, title=f"T{n}", duration=9000, position=n) for n in range(3)]

    for before, after in zip(chain, chain[1:]):
        TaskLinkFactory(predecessor=before, successor=after)
    with pytest.raises(scheduling.ScheduleOutOfRange):
        scheduling.recompute(plan)
    assert not Task.objects.filter(plan=plan, early_finish__year__gt=2100).exists()
