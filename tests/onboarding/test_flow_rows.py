from onboarding.models import Step
from tests.factories import FlowFactory, LaneFactory, TaskFactory


def test_flow_tab_lists_lanes_steps(pm_client, plan, flow):
    response = pm_client.get(f"/plans/{plan.pk}/flow/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "游戏服务器" in body and "校验设备" in body


def test_edit_lane_inline(pm_client, plan, flow):
    lane = flow.lanes.first()
    response = pm_client.get(f"/plans/{plan.pk}/lanes/{lane.pk}/edit/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="name"' in response.content.decode()
    response = pm_client.post(f"/plans/{plan.pk}/lanes/{lane.pk}/edit/", {"name": "手游玩家", "kind": "role", "version": lane.version},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "手游玩家" in response.content.decode()
    assert "<html" not in response.content.decode()
    lane.refresh_from_db()
    assert lane.name == "手游玩家"


def test_add_step_with_lane_of_other_flow_is_refused(pm_client, plan, flow):
    other = FlowFactory(plan=plan, name="支付")
    foreign_lane = LaneFactory(flow=other, name="支付网关")
    before = Step.objects.count()
    response = pm_client.post(f"/plans/{plan.pk}/flows/{flow.pk}/steps/add/",
                              {"lane": foreign_lane.pk, "text": "扣款"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert Step.objects.count() == before


def test_move_step_down(pm_client, plan, flow):
    first = flow.steps.order_by("position").first()
    response = pm_client.post(f"/plans/{plan.pk}/steps/{first.pk}/move/down/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    order = list(flow.steps.order_by("position").values_list("text", flat=True))
    assert order == ["校验设备", "启动游戏", "进入对局"]


def test_deleting_a_flow_or_a_lane_says_what_goes_with_it(pm_client, plan, flow):

    TaskFactory(duration=1, plan=plan, title="接入登录防护", related_flow=flow)
    body = pm_client.get(f"/plans/{plan.pk}/flow/").content.decode()
    assert ("Delete the flow “登录防护” with its 2 lanes, 3 steps and 0 key metrics? 1 task loses its related "
            "business.") in body
    assert "Delete the lane “玩家” and its 2 steps?" in body
