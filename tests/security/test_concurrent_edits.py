"""An edit that loses the race for a task's version after validation answers 422, never 500."""
import pytest

from tests.security.conftest import PASSWORD


@pytest.mark.parametrize("endpoint", ["gantt", "checklist"])
def test_losing_the_version_race_is_a_conflict_not_an_error(world, client, monkeypatch, endpoint):
    task = world["task"]
    plan = world["plan"]
    client.login(username="owner", password=PASSWORD)
    url = (f"/plans/{plan.pk}/gantt/tasks/{task.pk}/" if endpoint == "gantt"
           else f"/plans/{plan.pk}/tasks/{task.pk}/edit/")
    data = {"version": task.version, "title": "Mine", "duration": 4, "status": "not_started", "percent_complete": 0,
            "visibility": "shared", "phase": task.phase_id}
    # Someone else saves between this form's version check and its write.
    from onboarding.versioning import StaleEdit

    def someone_else_first(instance, expected):
        raise StaleEdit(instance, started=expected, current=expected + 1)

    monkeypatch.setattr("schedule.services.claim", someone_else_first)
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    task.refresh_from_db()
    assert task.title != "Mine"
