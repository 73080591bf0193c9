"""Scenarios: one business-line row each (业务线 | 需求类型 | 代理人层级模式 | …)."""
from onboarding.models import Scenario


def test_create_scenario_with_chain(pm_client, db):
    response = pm_client.post("/scenarios/new/", {
        "name": "保险渠道", "kind": "toA", "business_model": "代销",
        "channel_chain": "保险代销持牌机构 → 分支机构 -> 保代人 → 用户",
        "channel_development": "线下招募", "products_distributed": "意外险", "business_model_notes": "佣金分层",
        "pain_points": "", "service_strategy": "", "contact": "刘经理"})
    assert response.status_code == 302
    scenario = Scenario.objects.get(name="保险渠道")
    assert scenario.channel_chain == ["保险代销持牌机构", "分支机构", "保代人", "用户"]
    body = pm_client.get("/scenarios/").content.decode()
    assert "分支机构" in body and "刘经理" in body


def test_empty_role_in_chain_is_refused(pm_client, db):
    response = pm_client.post("/scenarios/new/", {"name": "农村渠道", "kind": "toB", "channel_chain": "县 → → 村"})
    assert response.status_code == 422
    assert "Every role in the chain needs a name." in response.content.decode()
    assert not Scenario.objects.exists()


def test_edit_scenario(pm_client, scenario):
    response = pm_client.post(f"/scenarios/{scenario.pk}/edit/", {"name": "手游出海", "kind": "toC",
                                                                  "channel_chain": "平台 → 发行商 → 玩家"})
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.channel_chain == ["平台", "发行商", "玩家"]
