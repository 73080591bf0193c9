"""The Priorities tab: a ranked list per audience, each rank explained."""
from schedule import scheduling
from schedule.models import Task
from tests.factories import TaskFactory


def test_team_ranking_explains_each_rank(pm_client, plan):
    TaskFactory(plan=plan, title="联调测试", duration=3, status=Task.Status.BLOCKED)
    TaskFactory(plan=plan, title="写官网介绍", duration=1)
    scheduling.recompute(plan)
    body = pm_client.get(f"/plans/{plan.pk}/priorities/?audience=team").content.decode()
    assert body.index("联调测试") < body.index("写官网介绍")
    assert "Blocked: unblock it before anything else" in body


def test_partner_view_hides_internal_tasks(pm_client, plan):
    TaskFactory(plan=plan, title="内部评审", duration=1)
    TaskFactory(plan=plan, title="提供测试账号", duration=1, visibility="shared")
    scheduling.recompute(plan)
    response = pm_client.get(f"/plans/{plan.pk}/priorities/?audience=partner", HTTP_HX_REQUEST="true",
                             HTTP_HX_TARGET="ranking")
    body = response.content.decode()
    assert "提供测试账号" in body and "内部评审" not in body and "<html" not in body


def test_team_ranking_in_chinese(pm_client, plan):
    TaskFactory(plan=plan, title="联调测试", duration=3, status=Task.Status.BLOCKED)
    scheduling.recompute(plan)
    body = pm_client.get(f"/plans/{plan.pk}/priorities/?audience=team", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "受阻" in body and "Blocked: unblock it" not in body


def test_unknown_audience_falls_back_to_team(pm_client, plan):
    TaskFactory(plan=plan, title="内部评审", duration=1)
    scheduling.recompute(plan)
    response = pm_client.get(f"/plans/{plan.pk}/priorities/?audience=<script>")
    assert response.status_code == 200
    body = response.content.decode()
    assert "内部评审" in body  # the team's list: internal tasks included
    assert 'href="?audience=team" hx-get="?audience=team" hx-target="#ranking" hx-swap="outerHTML" hx-push-url="true" class="active"' in body
