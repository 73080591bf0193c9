"""ETag / If-Match: a write names the version it read; a stale one is refused and changes nothing."""
import pytest

from schedule import services as schedule_services
from schedule.models import Task
from tests.api.conftest import api_client

JSON = "application/json"


def targets(world):
    task, plan, member = world["tasks"][0], world["plan"], world["member"]
    return [(f"/api/v1/tasks/{task.pk}/", task, {"title": "改名"}),
            (f"/api/v1/plans/{plan.pk}/", plan, {"summary": "改了"}),
            (f"/api/v1/plan-stakeholders/{member.pk}/", member, {"concerns": "上线时间"})]


def test_reads_carry_the_version_as_etag(api_world):
    client = api_client(api_world["owner"])
    for url, obj, _data in targets(api_world):
        assert client.get(url)["ETag"] == f'"{obj.version}"', url


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_write_without_if_match_is_refused_with_428(api_world, method):
    client = api_client(api_world["owner"])
    for url, obj, data in targets(api_world):
        full = {**client.get(url).json(), **data}
        response = getattr(client, method)(url, data if method == "patch" else full, content_type=JSON)
        assert response.status_code == 428 and "If-Match" in response.json()["detail"], url
        obj.refresh_from_db()
        assert obj.version == 1
    task = api_world["tasks"][0]
    assert client.delete(f"/api/v1/tasks/{task.pk}/").status_code == 428
    assert Task.objects.filter(pk=task.pk).exists()


def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(api_world):
    owner, editor = api_client(api_world["owner"]), api_client(api_world["editor"])
    for url, obj, data in targets(api_world):
        read = owner.get(url)["ETag"]
        first = editor.patch(url, data, content_type=JSON, HTTP_IF_MATCH=read)
        assert first.status_code == 200
        mine = {key: f"{value} (mine)" for key, value in data.items()}
        second = owner.patch(url, mine, content_type=JSON, HTTP_IF_MATCH=read)
        assert second.status_code == 412, url
        assert "changed this since you read it" in second.json()["detail"]
        obj.refresh_from_db()
        assert obj.version == 2 and all(getattr(obj, key) == value for key, value in data.items()), url
        # Reading again gives the current ETag, and the retry goes through.
        assert owner.patch(url, mine, content_type=JSON, HTTP_IF_MATCH=owner.get(url)["ETag"]).status_code == 200


def test_a_change_landing_between_the_check_and_the_write_is_refused_too(api_world, monkeypatch):
    """The service claims the version under the plan's lock: the pre-check alone is not trusted."""
    task = api_world["tasks"][0]
    real = schedule_services.task_update

    def someone_else_first(*, plan, task, version):
        Task.objects.filter(pk=task.pk).update(version=version + 1, title="别人的修改")
        return real(plan=plan, task=task, version=version)

    monkeypatch.setattr(schedule_services, "task_update", someone_else_first)
    response = api_client(api_world["owner"]).patch(f"/api/v1/tasks/{task.pk}/", {"title": "我的修改"},
                                                    content_type=JSON, HTTP_IF_MATCH=f'"{task.version}"')
    assert response.status_code == 412
    # The whole request rolled back (ATOMIC_REQUESTS): not even the other change was kept here,
    # and certainly not ours.
    assert Task.objects.get(pk=task.pk).title != "我的修改"


def test_if_match_that_names_no_version_is_412(api_world):
    task = api_world["tasks"][0]
    client = api_client(api_world["owner"])
    for value in ('"abc"', "*", 'W/"x"'):
        response = client.patch(f"/api/v1/tasks/{task.pk}/", {"title": "x"}, content_type=JSON, HTTP_IF_MATCH=value)
        assert response.status_code == 412, value
