HX = {"HTTP_HX_REQUEST": "true"}


def url(plan):
    return f"/plans/{plan.pk}/stakeholders/"


def test_tab_shows_people_quadrant_and_communication_plan(pm_client, plan, partner_lead, ops_engineer):
    response = pm_client.get(url(plan))
    assert response.status_code == 200
    body = response.content.decode()
    assert "李雷" in body and "韩梅梅" in body
    assert "MTP 厂商" in body and "商务负责人" in body and "lilei@example.com" in body
    assert "登录防护 · 校验设备" in body
    assert "Manage closely" in body and "Monitor" in body
    assert "Weekly" in body and "Monthly" in body
    assert "首月 GMV" in body  # concerns in the partner group's communication plan
    assert "预算敏感" in body and "Internal" in body  # the PM sees internal notes, marked
    assert "Add stakeholder" in body and "Delete" in body


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(url(plan))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_pm_of_another_team_gets_404(client, other_pm, plan):
    client.force_login(other_pm)
    assert client.get(url(plan)).status_code == 404


def test_manager_reads_without_edit_controls(manager_client, plan, partner_lead):
    response = manager_client.get(url(plan))
    assert response.status_code == 200
    body = response.content.decode()
    assert "李雷" in body
    assert "Add stakeholder" not in body and "Delete" not in body and "/edit/" not in body


def test_summary_refresh_is_a_partial(pm_client, plan, partner_lead):
    response = pm_client.get(url(plan), HTTP_HX_TARGET="stakeholder-summary", **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="stakeholder-summary"' in body and "Manage closely" in body


def test_empty_plan_invites_to_add(pm_client, plan):
    body = pm_client.get(url(plan)).content.decode()
    assert "No stakeholders yet" in body and "No one in this audience yet" in body
