"""The read-only page a share link opens: what each audience sees, headers, language, counting."""
import datetime
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from schedule import scheduling
from schedule.selectors import plan_status
from schedule.models import Task
from sharing.models import ShareLink
from tests.factories import BaselineFactory, FlowFactory, PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def tasks(plan, flow):
    phase = PhaseFactory(plan=plan, name="联调阶段")
    asked = TaskFactory(plan=plan, phase=phase, title="提供测试账号", duration=2, visibility="shared")
    internal = TaskFactory(plan=plan, phase=phase, title="内部评审 SECRET-REVIEW", duration=3)
    urgent = TaskFactory(plan=plan, phase=phase, title="签署接入协议", duration=1, visibility="shared",
                                 status=Task.Status.BLOCKED, deadline=timezone.localdate())
    launch = TaskFactory(plan=plan, phase=phase, title="正式上线", duration=0, is_milestone=True,
                                 visibility="shared")
    TaskLinkFactory(predecessor=asked, successor=internal)
    TaskLinkFactory(predecessor=internal, successor=launch)
    return {"asked": asked, "internal": internal, "urgent": urgent, "launch": launch}


def make_link(plan, audience="partner", **kwargs):
    return ShareLink.create(plan=plan, audience=audience, **kwargs)


def test_partner_sees_shared_tasks_in_partner_priority_order_and_no_internal_task(client, plan, tasks):
    _link, token = make_link(plan)
    response = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "SECRET-REVIEW" not in body
    checklist = body[body.index('id="checklist"'):]
    ranked = [item.title for item in _ranked(plan, "partner")]
    assert ranked and "内部评审 SECRET-REVIEW" not in ranked
    positions = [checklist.index(title) for title in ranked]
    assert positions == sorted(positions)
    assert 'data-figure-id="gantt-data"' in body and "/static/vendor/plotly-basic.min.js" in body
    assert "/static/js/charts.js" in body and "<script>" not in body  # drawn by charts.js: no inline script
    assert '"type":"bar"' in body.replace(" ", "")  # the Gantt
    assert "启动游戏" in chart_text(body, "flow-data")  # a swimlane step
    assert "Pat" not in body  # the plan owner is platform-side: by role unless the link chose names
    assert "pm-pass" not in body and "@" not in body.split("<body", 1)[1].split('id="gantt-data"')[0]


def chart_text(body, element_id):
    """The chart's JSON as text with its \\u escapes decoded (Plotly writes non-ASCII that way)."""
    start = body.index(f'id="{element_id}">') + len(f'id="{element_id}">')
    return json.dumps(json.loads(body[start:body.index("</script>", start)]), ensure_ascii=False)


def _ranked(plan, audience):
    scheduling.ensure_fresh(plan)
    return scheduling.rankings(plan, audience)


def test_management_sees_milestones_risks_and_all_dates(client, plan, tasks):
    plan.target_launch_date = datetime.date(2026, 12, 1)
    plan.save()
    _link, token = make_link(plan, "management")
    body = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "正式上线" in body and "签署接入协议" in body
    assert "SECRET-REVIEW" in body  # every task's dates: internal tasks included for management
    assert 'id="forecast-launch"' in body and "2026-12-01" in body


def test_shared_page_headers_and_no_cookies(client, plan, tasks):
    _link, token = make_link(plan)
    response = client.get(f"/s/{token}/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_views_counted_on_page_views_only(client, plan, tasks):
    link, token = make_link(plan)
    client.get(f"/s/{token}/")
    client.get(f"/s/{token}/")
    client.get(f"/s/{token}/gantt/?zoom=weeks", HTTP_HX_REQUEST="true")
    client.get(f"/s/{token}/flows/{plan.flows.first().pk}/", HTTP_HX_REQUEST="true")
    link.refresh_from_db()
    assert link.view_count == 2
    assert link.last_used_at is not None and timezone.now() - link.last_used_at < datetime.timedelta(minutes=1)


def test_gantt_and_flow_partials(client, plan, tasks):
    _link, token = make_link(plan)
    response = client.get(f"/s/{token}/gantt/?zoom=months&lang=en", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="gantt"' in body
    assert "SECRET-REVIEW" not in body and "提供测试账号" in chart_text(body, "gantt-data")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    flow_body = client.get(f"/s/{token}/flows/{plan.flows.first().pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "校验设备" in chart_text(flow_body, "flow-data") and "<html" not in flow_body


def test_partials_without_htmx_redirect_to_the_page(client, plan, tasks):
    _link, token = make_link(plan)
    response = client.get(f"/s/{token}/gantt/?zoom=weeks")
    assert response.status_code == 302 and response["Location"].startswith(f"/s/{token}/?zoom=weeks")


def test_flow_of_another_plan_is_not_found(client, plan, tasks, product, pm):

    other = PlanFactory(name="其他计划", product=product, owner=pm, start_date=datetime.date(2026, 9, 1))
    other_flow = FlowFactory(plan=other, name="其他流程")
    _link, token = make_link(plan)
    response = client.get(f"/s/{token}/flows/{other_flow.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_page_follows_the_viewers_language(client, plan, tasks):
    _link, token = make_link(plan)
    english = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Schedule" in english
    chinese = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in chinese
    switched = client.get(f"/s/{token}/?lang=en", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in switched
    assert 'href="?lang=zh-hans"' in switched and 'href="?lang=en"' in switched


def test_wrong_expired_and_revoked_tokens_get_the_same_404(client, plan, tasks):
    expired, expired_token = make_link(plan, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    revoked, revoked_token = make_link(plan)
    revoked.revoked_at = timezone.now()
    revoked.save()
    responses = [client.get(f"/s/{token}/") for token in (
        "x" * 32, expired_token, revoked_token)]
    assert [response.status_code for response in responses] == [404, 404, 404]
    assert responses[0].content == responses[1].content == responses[2].content
    assert all(response["X-Robots-Tag"] == "noindex, nofollow" for response in responses)
    for token in (expired_token, revoked_token):
        assert client.get(f"/s/{token}/gantt/", HTTP_HX_REQUEST="true").content == responses[0].content


def test_expiry_tomorrow_works_and_yesterday_does_not(client, plan, tasks):
    today = timezone.localdate()
    _link, tomorrow = make_link(plan, expires_on=today + datetime.timedelta(days=1))
    _link, same_day = make_link(plan, expires_on=today)
    _link, yesterday = make_link(plan, expires_on=today - datetime.timedelta(days=1))
    assert client.get(f"/s/{tomorrow}/").status_code == 200
    assert client.get(f"/s/{same_day}/").status_code == 200
    assert client.get(f"/s/{yesterday}/").status_code == 404


def test_no_way_to_change_anything(client, plan, tasks):
    link, token = make_link(plan)
    body = client.get(f"/s/{token}/").content.decode()
    assert "<form" not in body and "hx-post" not in body
    assert client.post(f"/s/{token}/").status_code == 405
    link.refresh_from_db()
    assert link.view_count == 1


def test_task_owner_shows_name_and_organisation_only(client, plan, tasks):

    person = StakeholderFactory(name="李雷", organisation="示例游戏公司", side="partner",
                                        email="lilei@example.com", phone="13800000000", role="CTO")
    member = PlanStakeholderFactory(plan=plan, stakeholder=person, audience="partner", relevance=5,
                                            influence=4, internal_notes="NOTE-XYZ", capacity=7)
    tasks["asked"].owner = member
    tasks["asked"].save()
    _link, token = make_link(plan)
    body = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "李雷 · 示例游戏公司" in body
    for secret in ("lilei@example.com", "13800000000", "NOTE-XYZ", "relevance", "influence"):
        assert secret not in body


def test_forecast_launch_is_the_launch_milestone_not_later_work(client, plan, tasks):
    report = TaskFactory(plan=plan, title="上线后周报", duration=20)
    TaskLinkFactory(predecessor=tasks["launch"], successor=report)
    _link, token = make_link(plan, "management")
    body = client.get(f"/s/{token}/").content.decode()
    tasks["launch"].refresh_from_db()
    report.refresh_from_db()
    assert report.early_finish > tasks["launch"].early_finish
    forecast = body[body.index('id="forecast-launch"'):][:60]
    assert tasks["launch"].early_finish.isoformat() in forecast


def test_head_is_answered_without_counting_a_view(client, plan, tasks):
    link, token = make_link(plan)
    response = client.head(f"/s/{token}/")
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex, nofollow"
    link.refresh_from_db()
    assert link.view_count == 0


# ---------------------------------------------------------------- the first screen
def _member(plan, name, side, role="", organisation=""):

    person = StakeholderFactory(workspace=plan.workspace, name=name, side=side, role=role,
                                organisation=organisation)
    return PlanStakeholderFactory(plan=plan, stakeholder=person)


def _first_screen(body):
    return body[body.index('id="first-screen"'):body.index('id="gantt"')]


def test_partner_first_screen_launch_in_words_next_milestones_and_what_the_partner_owes(client, plan, tasks):
    today = timezone.localdate()
    partner = _member(plan, "李雷", "partner", organisation="示例游戏公司")
    platform = _member(plan, "韩梅梅", "platform", role="产品经理")
    tasks["asked"].owner = partner
    tasks["asked"].save()
    tasks["urgent"].owner = partner
    tasks["urgent"].deadline = today - datetime.timedelta(days=3)
    tasks["urgent"].save()
    tasks["internal"].owner = partner  # not shared: never listed
    tasks["internal"].save()
    TaskFactory(plan=plan, title="平台侧配置", duration=1, visibility="shared", owner=platform)
    TaskFactory(plan=plan, title="已完成的材料", duration=1, visibility="shared", owner=partner,
                        status=Task.Status.DONE)
    for number in range(1, 4):
        TaskFactory(plan=plan, title=f"里程碑{number}", duration=0, is_milestone=True, visibility="shared")
    TaskFactory(plan=plan, title="内部里程碑", duration=0, is_milestone=True)
    plan.target_launch_date = today - datetime.timedelta(days=30)  # the forecast is later than the target
    plan.save()
    _link, token = make_link(plan)
    body = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    first = _first_screen(body)
    status = plan_status(plan, today=today)
    assert status.forecast_launch.isoformat() in first and plan.target_launch_date.isoformat() in first
    assert f"{status.target_gap} working days later than planned" in first
    milestones = first[first.index('id="next-milestones"'):first.index('id="partner-owes"')]
    assert milestones.count("<li>") == 3 and "内部里程碑" not in milestones
    owes = first[first.index('id="partner-owes"'):]
    assert "平台侧配置" not in owes and "SECRET-REVIEW" not in owes and "已完成的材料" not in owes
    assert owes.index("签署接入协议") < owes.index("提供测试账号")  # overdue first
    assert "overdue" in owes and tasks["urgent"].deadline.isoformat() in owes
    assert "1 overdue" in owes


def test_partner_sees_on_track_when_the_forecast_meets_the_target(client, plan, tasks):
    plan.target_launch_date = datetime.date(2099, 12, 31)
    plan.save()
    _link, token = make_link(plan)
    body = client.get(f"/s/{token}/?lang=zh-hans").content.decode()
    words = body[body.index('id="launch-words"'):][:300]
    assert "正常" in words
    assert "晚于计划" not in words


def test_platform_people_appear_by_role_unless_the_link_chose_names(client, plan, tasks):

    platform = _member(plan, "韩梅梅", "platform", role="产品经理", organisation="云平台")
    StakeholderFactory(workspace=plan.workspace, name="Pat", side="platform", role="接入负责人",
                               user=plan.owner)
    for task in tasks.values():
        task.owner = platform
        task.save()
    _link, token = make_link(plan)
    body = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "韩梅梅" not in chart_text(body, "gantt-data") and "产品经理 · 云平台" in chart_text(body, "gantt-data")
    assert "韩梅梅" not in body and "产品经理 · 云平台" in body
    assert "Pat" not in body and "接入负责人" in body[body.index('id="plan-owner"'):][:200]

    _link, token = make_link(plan, platform_names=True)
    body = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "韩梅梅 · 云平台" in chart_text(body, "gantt-data") and "韩梅梅 · 云平台" in body
    assert "Pat" in body[body.index('id="plan-owner"'):][:200]


def test_management_first_screen_adds_health_and_slip(client, plan, tasks):

    scheduling.ensure_fresh(plan)
    BaselineFactory(plan=plan, name="v1", launch_date=timezone.localdate() - datetime.timedelta(days=14))
    _link, token = make_link(plan, "management")
    body = client.get(f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    first = _first_screen(body)
    status = plan_status(plan)
    assert status.slip and status.slip > 0
    assert 'id="plan-health"' in first and status.health_label in first
    assert f"slipped {status.slip} working days" in first
    assert 'id="health-reasons"' in first and 'id="partner-owes"' not in first
