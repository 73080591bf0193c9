"""Restoring a flow or a lane from the plan's history: an earlier version, or a deleted one with
what was deleted with it — its lanes, steps and key metrics, the tasks' related business and
the stakeholders' involvement in its steps."""
import pytest

from onboarding.models import Flow, Lane, Step
from tests.factories import FlowFactory, MetricFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory

HX = {"HTTP_HX_REQUEST": "true"}


def restore_url(plan, kind, record):
    return f"/plans/{plan.pk}/history/{kind}/{record.history_id}/restore/"


def delete(client, plan, plural, obj):
    obj.refresh_from_db()
    response = client.post(f"/plans/{plan.pk}/{plural}/{obj.pk}/delete/", {"version": obj.version}, **HX)
    assert response.status_code == 200, response.content.decode()[:400]


@pytest.fixture
def linked(plan, flow):
    """Two tasks whose related business is the flow, one that has none, a key metric, and a
    stakeholder involved in one of its steps (chosen on the page's form, as people do)."""
    MetricFactory(flow=flow, name="登录成功率", target="99.9", unit="%")
    tasks = [TaskFactory(plan=plan, title=title, duration=2, related_flow=flow if related else None)
             for title, related in (("接入 SDK", True), ("压测", True), ("文档", False))]
    member = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李雷"))
    member.steps.set([flow.steps.get(text="校验设备")])
    return {"tasks": tasks, "member": member}


def test_a_deleted_flow_comes_back_with_its_parts_and_its_tasks(pm_client, plan, flow, linked):
    flow_id, lanes, steps = flow.pk, set(flow.lanes.values_list("pk", flat=True)), set(
        flow.steps.values_list("pk", "lane_id", "text"))
    delete(pm_client, plan, "flows", flow)
    assert not Flow.objects.filter(pk=flow_id).exists()
    first, second, other = linked["tasks"]
    for task in (first, second):
        task.refresh_from_db()
        assert task.related_flow_id is None
    assert not linked["member"].steps.exists()

    record = Flow.history.filter(id=flow_id, history_type="-").get()
    page = pm_client.get(f"/plans/{plan.pk}/history/?type=flow").content.decode()
    assert restore_url(plan, "flow", record) in page

    response = pm_client.post(restore_url(plan, "flow", record), follow=True)
    body = response.content.decode()
    assert "Flow “登录防护” restored." in body
    assert "2 lanes restored." in body and "3 steps restored." in body and "1 key metric restored." in body
    assert "2 tasks have it as their related business again." in body
    flow = Flow.objects.get(pk=flow_id)
    assert (flow.name, flow.need) == ("登录防护", "防外挂")
    assert set(flow.lanes.values_list("pk", flat=True)) == lanes
    assert set(flow.steps.values_list("pk", "lane_id", "text")) == steps
    assert list(flow.metrics.values_list("name", "target", "unit")) == [("登录成功率", "99.9", "%")]
    assert [s.text for s in linked["member"].steps.all()] == ["校验设备"]
    for task in (first, second):
        task.refresh_from_db()
        assert task.related_flow_id == flow_id
        assert task.history.first().related_flow_id == flow_id  # the give-back is in the history
    other.refresh_from_db()
    assert other.related_flow_id is None
    # The plan's flow page shows it again.
    assert "校验设备" in pm_client.get(f"/plans/{plan.pk}/flow/").content.decode()


def test_a_task_given_another_flow_since_keeps_it(pm_client, plan, flow, linked):
    flow_id = flow.pk
    delete(pm_client, plan, "flows", flow)
    newer = FlowFactory(plan=plan, name="支付防护")
    first = linked["tasks"][0]
    first.refresh_from_db()
    first.related_flow = newer
    first.save()
    record = Flow.history.filter(id=flow_id, history_type="-").get()
    body = pm_client.post(restore_url(plan, "flow", record), follow=True).content.decode()
    assert "1 task has it as its related business again." in body
    first.refresh_from_db()
    assert first.related_flow_id == newer.pk


def test_restore_an_earlier_version_of_a_flow(pm_client, plan, flow):
    first = flow.history.first()
    flow.name, flow.version = "登录防护 v2", flow.version + 1
    flow.save()
    body = pm_client.post(restore_url(plan, "flow", first), follow=True).content.decode()
    assert "Flow “登录防护” restored." in body and "lanes restored" not in body
    flow.refresh_from_db()
    assert flow.name == "登录防护" and flow.lanes.count() == 2


def test_a_deleted_lane_comes_back_with_its_steps(pm_client, plan, flow, linked):
    lane = flow.lanes.get(name="游戏服务器")
    lane_id, flow_version = lane.pk, flow.version
    delete(pm_client, plan, "lanes", lane)
    assert not Step.objects.filter(text="校验设备").exists()
    record = Lane.history.filter(id=lane_id, history_type="-").get()
    assert restore_url(plan, "lane", record) in pm_client.get(f"/plans/{plan.pk}/history/?type=lane").content.decode()

    body = pm_client.post(restore_url(plan, "lane", record), follow=True).content.decode()
    assert "Lane “游戏服务器” restored." in body and "1 step restored." in body
    lane = Lane.objects.get(pk=lane_id)
    assert lane.kind == Lane.Kind.SYSTEM and lane.flow_id == flow.pk
    assert list(lane.steps.values_list("text", flat=True)) == ["校验设备"]
    assert [s.text for s in linked["member"].steps.all()] == ["校验设备"]
    assert flow.steps.count() == 3
    flow.refresh_from_db()
    assert flow.version == flow_version  # the flow itself was not touched


def test_a_lane_of_a_deleted_flow_is_refused_with_the_reason(pm_client, plan, flow):
    lane_id = flow.lanes.first().pk
    delete(pm_client, plan, "flows", flow)
    record = Lane.history.filter(id=lane_id, history_type="-").get()
    response = pm_client.post(restore_url(plan, "lane", record), follow=True)
    assert response.status_code == 200
    assert "The flow of this lane no longer exists: restore the flow first." in response.content.decode()
    assert not Lane.objects.filter(pk=lane_id).exists()


def test_a_viewer_cannot_restore(client, plan, flow, django_user_model):
    from tests.factories import UserFactory

    flow_id = flow.pk
    flow.delete()
    viewer = UserFactory(username="viewer")
    plan.viewers.add(viewer)
    client.force_login(viewer)
    record = Flow.history.filter(id=flow_id, history_type="-").get()
    assert client.post(restore_url(plan, "flow", record)).status_code in (403, 404)
    assert not Flow.objects.filter(pk=flow_id).exists()
