"""What an integration reads and changes through /api/v1/, and that every write went through the
services the pages use (versions, history, rescheduling)."""
import datetime
import json

from schedule.models import Task
from schedule.selectors import plan_status
from sharing.models import ShareLink
from tests.api.conftest import api_client

JSON = "application/json"


def test_a_plan_carries_the_status_every_page_shows(api_world):
    plan = api_world["plan"]
    client = api_client(api_world["owner"])
    body = client.get("/api/v1/plans/").json()
    assert [p["name"] for p in body["results"]] == ["MTP 接入"]  # not the other team's plan
    got = body["results"][0]
    status = plan_status(plan)
    assert got["forecast_launch"] == status.forecast_launch.isoformat()
    assert got["health"] == status.health and got["health_reasons"] == [str(r) for r in status.reasons]
    assert got["percent_done"] == status.percent_done
    assert got["slip_working_days"] == 0  # the baseline was saved from the same schedule
    assert got["owner"] == "owner"


def test_tasks_list_filters_orders_and_pages_with_a_cursor(api_world):
    client = api_client(api_world["owner"])
    plan = api_world["plan"]
    first = client.get("/api/v1/tasks/", {"plan": plan.pk, "page_size": 1, "ordering": "-title"}).json()
    assert [t["title"] for t in first["results"]] == ["联调测试"]
    second = client.get(first["next"]).json()
    assert [t["title"] for t in second["results"]] == ["接口文档"] and second["next"] is None
    done = client.get("/api/v1/tasks/", {"status": "done"}).json()
    assert done["results"] == []
    task = client.get(f"/api/v1/tasks/{api_world['tasks'][1].pk}/").json()
    assert task["predecessors"] == [{"id": task["predecessors"][0]["id"], "predecessor": api_world["tasks"][0].pk,
                                     "type": "FS", "lag": 0}]
    assert task["early_start"] and task["owner_name"] is None


def test_moving_a_tasks_status_goes_through_the_service(api_world):
    task = api_world["tasks"][0]
    client = api_client(api_world["owner"])
    response = client.patch(f"/api/v1/tasks/{task.pk}/", json.dumps({"status": "in_progress", "early_start": "2030-01-01"}),
                            content_type=JSON, HTTP_IF_MATCH=f'"{task.version}"')
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{task.version + 1}"'
    task.refresh_from_db()
    assert task.status == "in_progress" and task.version == 2
    assert task.early_start != datetime.date(2030, 1, 1)  # schedule fields are read-only
    assert task.history.first().status == "in_progress"  # recorded like a page edit


def test_a_longer_task_moves_its_successor(api_world):
    first, second = api_world["tasks"]
    before = second.early_start
    client = api_client(api_world["editor"])
    response = client.patch(f"/api/v1/tasks/{first.pk}/", json.dumps({"duration": 7}), content_type=JSON,
                            HTTP_IF_MATCH=f'"{first.version}"')
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.early_start > before


def test_create_and_delete_a_task(api_world):
    plan, phase = api_world["plan"], api_world["phase"]
    client = api_client(api_world["owner"])
    response = client.post("/api/v1/tasks/", {"plan": plan.pk, "phase": phase.pk, "title": "上线", "duration": 0,
                                              "is_milestone": True, "is_launch": True}, content_type=JSON)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["early_start"] and created["position"] > max(t.position for t in api_world["tasks"])
    gone = client.delete(f"/api/v1/tasks/{created['id']}/", HTTP_IF_MATCH=response["ETag"])
    assert gone.status_code == 204
    assert not Task.objects.filter(pk=created["id"]).exists()


def test_bad_input_is_refused_with_reasons_and_changes_nothing(api_world):
    task = api_world["tasks"][0]
    client = api_client(api_world["owner"])
    other_phase_of_other_team = api_world["other_task"].pk
    cases = [({"status": "done", "percent_complete": 50}, "percent_complete"),
             ({"duration": -3}, "duration"), ({"deadline": "2026-02-30"}, "deadline"),
             ({"phase": 999999}, "phase"), ({"owner": other_phase_of_other_team}, "owner"),
             ({"plan": api_world["other_plan"].pk}, "plan")]
    for data, field in cases:
        response = client.patch(f"/api/v1/tasks/{task.pk}/", data, content_type=JSON,
                                HTTP_IF_MATCH=f'"{task.version}"')
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), (data, response.json())
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.version == task.version and fresh.status == task.status and fresh.duration == task.duration


def test_plan_start_date_reschedules_its_tasks(api_world):
    plan = api_world["plan"]
    first = api_world["tasks"][0]
    client = api_client(api_world["owner"])
    response = client.patch(f"/api/v1/plans/{plan.pk}/", {"start_date": "2027-03-01"}, content_type=JSON,
                            HTTP_IF_MATCH=f'"{plan.version}"')
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.early_start == datetime.date(2027, 3, 1)
    assert response.json()["version"] == plan.version + 1


def test_stakeholder_scores_change_and_the_person_stays(api_world):
    member = api_world["member"]
    client = api_client(api_world["owner"])
    response = client.patch(f"/api/v1/plan-stakeholders/{member.pk}/", {"influence": 5, "audience": "management"},
                            content_type=JSON, HTTP_IF_MATCH=f'"{member.version}"')
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "张伟" and response.json()["influence"] == 5
    member.refresh_from_db()
    assert member.influence == 5 and member.version == 2


def test_baselines_and_share_links(api_world):
    plan = api_world["plan"]
    client = api_client(api_world["owner"])
    made = client.post("/api/v1/baselines/", {"plan": plan.pk, "name": "第二版"}, content_type=JSON)
    assert made.status_code == 201 and made.json()["launch_date"]
    again = client.post("/api/v1/baselines/", {"plan": plan.pk, "name": "第二版"}, content_type=JSON)
    assert again.status_code == 400 and "name" in again.json()
    assert client.delete(f"/api/v1/baselines/{made.json()['id']}/").status_code == 204

    link = client.post("/api/v1/share-links/", {"plan": plan.pk, "audience": "management", "label": "周报"},
                       content_type=JSON)
    assert link.status_code == 201 and link["Cache-Control"] == "no-store"
    url = link.json()["url"]
    assert "/s/" in url
    listed = client.get("/api/v1/share-links/", {"plan": plan.pk}).json()["results"]
    assert len(listed) == 2 and all("url" not in item for item in listed)
    assert Client_get(url).status_code == 200
    revoked = client.post(f"/api/v1/share-links/{link.json()['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["is_active"] is False
    assert ShareLink.objects.get(pk=link.json()["id"]).revoked_at is not None
    assert Client_get(url).status_code == 404


def Client_get(url):
    from urllib.parse import urlsplit

    from django.test import Client

    return Client().get(urlsplit(url).path)


def test_schema_is_openapi_json_and_the_docs_use_our_own_static_files(api_world):
    client = api_client(api_world["owner"])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi+json") or \
        schema["Content-Type"].startswith(JSON)
    assert schema.json()["openapi"].startswith("3.") and "/api/v1/tasks/{id}/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "http://" not in docs and "https://" not in docs


def test_answers_follow_the_callers_language(api_world):
    client = api_client(api_world["owner"])
    task = api_world["tasks"][0]
    response = client.patch(f"/api/v1/tasks/{task.pk}/", {"status": "done", "percent_complete": 5},
                            content_type=JSON, HTTP_IF_MATCH=f'"{task.version}"', HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["percent_complete"] == ["已完成任务的完成百分比须为 100%。"]


def test_a_fixed_start_set_through_the_api_holds_and_cannot_be_mixed_with_not_earlier_than(api_world):
    first, second = api_world["tasks"]
    fixed = second.early_start + datetime.timedelta(days=14)
    while fixed.weekday() >= 5:
        fixed += datetime.timedelta(days=1)
    client = api_client(api_world["owner"])
    response = client.patch(f"/api/v1/tasks/{second.pk}/", json.dumps({"must_start_on": fixed.isoformat()}),
                            content_type=JSON, HTTP_IF_MATCH=f'"{second.version}"')
    assert response.status_code == 200, response.content
    assert response.json()["must_start_on"] == fixed.isoformat()
    assert response.json()["early_start"] == fixed.isoformat()
    second.refresh_from_db()
    both = client.patch(f"/api/v1/tasks/{second.pk}/", json.dumps({"start_no_earlier_than": fixed.isoformat()}),
                        content_type=JSON, HTTP_IF_MATCH=f'"{second.version}"')
    assert both.status_code == 400 and "must_start_on" in both.json()
    second.refresh_from_db()
    assert second.start_no_earlier_than is None
