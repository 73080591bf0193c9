"""The plan's Share tab: create links (the URL shown once), list them, revoke them."""
import datetime

import pytest
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.utils import timezone

from sharing.models import ShareLink, hash_token
from tests.factories import PlanFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def create(client, plan, **data):
    return client.post(f"/plans/{plan.pk}/share/create/", {"audience": "partner", **data}, HTTP_HX_REQUEST="true")


def token_in(body):
    start = body.index("/s/") + 3
    return body[start:body.index("/", start)]


def test_owner_creates_a_link_and_sees_its_url_once(pm_client, plan):
    response = create(pm_client, plan, label="给示例游戏公司", expires_on="")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="new-share-url"' in body and "http://testserver/s/" in body
    token = token_in(body[body.index('id="new-share-url"') - 200:])
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(token) and link.created_by.username == "pm"
    assert link.label == "给示例游戏公司" and link.audience == "partner" and link.expires_on is None
    row = " ".join(str(value) for value in model_to_dict(link, fields=[f.name for f in ShareLink._meta.fields]).values())
    assert token not in row and token[6:] not in row  # only the hash and a 6-character hint
    page = pm_client.get(f"/plans/{plan.pk}/share/").content.decode()
    assert token not in page and link.token_hint in page
    assert "no-store" in response["Cache-Control"]


def test_the_new_link_opens_the_shared_page(pm_client, client, plan):
    body = create(pm_client, plan).content.decode()
    token = token_in(body[body.index('id="new-share-url"') - 200:])
    client.logout()
    assert client.get(f"/s/{token}/").status_code == 200


def test_page_lists_creation_expiry_last_use_and_views(pm_client, plan):
    link, _token = ShareLink.create(plan=plan, audience="management", label="季度汇报",
                                    expires_on=datetime.date(2030, 1, 31))
    ShareLink.objects.filter(pk=link.pk).update(view_count=7, last_used_at=timezone.now())
    body = pm_client.get(f"/plans/{plan.pk}/share/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "季度汇报" in body and "2030-01-31" in body and ">7<" in body and "Management" in body
    assert 'hx-confirm="' in body


def test_bad_input_is_refused_on_its_field_and_creates_nothing(pm_client, plan):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = create(pm_client, plan, expires_on=yesterday.isoformat())
    assert response.status_code == 422
    assert 'id="id_expires_on_errors"' in response.content.decode()
    response = create(pm_client, plan, audience="everyone")
    assert response.status_code == 422 and 'id="id_audience_errors"' in response.content.decode()
    response = create(pm_client, plan, expires_on="31/12/2026")
    assert response.status_code == 422 and 'id="id_expires_on_errors"' in response.content.decode()
    assert not ShareLink.objects.exists()


def test_editor_may_create(client, plan, other_pm):
    plan.editors.add(other_pm)
    client.force_login(other_pm)
    assert create(client, plan).status_code == 200
    assert ShareLink.objects.get().created_by == other_pm


def test_other_pm_gets_404(client, plan, other_pm):
    link, _token = ShareLink.create(plan=plan, audience="partner")
    client.force_login(other_pm)
    assert client.get(f"/plans/{plan.pk}/share/").status_code == 404
    assert create(client, plan).status_code == 404
    assert client.post(f"/plans/{plan.pk}/share/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None and ShareLink.objects.count() == 1


def test_manager_reads_plans_but_may_not_create_or_revoke(client, plan, manager):
    link, _token = ShareLink.create(plan=plan, audience="partner")
    client.force_login(manager)
    assert create(client, plan).status_code == 403
    assert client.post(f"/plans/{plan.pk}/share/{link.pk}/revoke/").status_code == 403
    assert client.get(f"/plans/{plan.pk}/share/").status_code == 403
    assert ShareLink.objects.count() == 1


def test_share_tab_only_for_those_who_can_write(client, pm_client, plan, manager):
    assert f"/plans/{plan.pk}/share/" in pm_client.get(f"/plans/{plan.pk}/").content.decode()
    client.force_login(manager)
    assert f"/plans/{plan.pk}/share/" not in client.get(f"/plans/{plan.pk}/").content.decode()


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(f"/plans/{plan.pk}/share/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_revoke_takes_effect_at_once(pm_client, client, plan):
    link, token = ShareLink.create(plan=plan, audience="partner")
    assert client.get(f"/s/{token}/").status_code == 200
    response = pm_client.post(f"/plans/{plan.pk}/share/{link.pk}/revoke/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="share-link-{link.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(f"/s/{token}/").status_code == 404


def test_revoke_without_htmx_redirects_back(pm_client, plan):
    link, _token = ShareLink.create(plan=plan, audience="partner")
    response = pm_client.post(f"/plans/{plan.pk}/share/{link.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/share/"


def test_revoke_needs_post_and_a_link_of_this_plan(pm_client, plan, product, pm):

    other = PlanFactory(name="其他计划", product=product, owner=pm, start_date=datetime.date(2026, 9, 1))
    link, _token = ShareLink.create(plan=other, audience="partner")
    assert pm_client.get(f"/plans/{plan.pk}/share/{link.pk}/revoke/").status_code == 405
    assert pm_client.post(f"/plans/{plan.pk}/share/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_create_without_htmx_shows_the_full_page_with_the_url(pm_client, plan):
    response = pm_client.post(f"/plans/{plan.pk}/share/create/", {"audience": "management"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body and 'id="new-share-url"' in body


def test_admin_lists_links_without_the_hash_and_revokes_them(client, plan, db):
    from django.contrib.auth.models import User

    admin_user = User.objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin_user)
    link, token = ShareLink.create(plan=plan, audience="partner", label="示例链接")
    listing = client.get("/admin/sharing/sharelink/").content.decode()
    assert "示例链接" in listing and link.token_hint in listing and link.token_hash not in listing
    change = client.get(f"/admin/sharing/sharelink/{link.pk}/change/").content.decode()
    assert link.token_hash not in change and 'name="token_hash"' not in change
    assert client.get("/admin/sharing/sharelink/add/").status_code == 403
    response = client.post("/admin/sharing/sharelink/", {"action": "revoke", "_selected_action": [link.pk]})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(f"/s/{token}/").status_code == 404


def test_each_link_chooses_platform_people_by_role_or_by_name(pm_client, plan):
    page = pm_client.get(f"/plans/{plan.pk}/share/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="platform_names"' in page and "By role" in page
    create(pm_client, plan, label="by role")
    create(pm_client, plan, label="by name", platform_names="name")
    assert dict(ShareLink.objects.values_list("label", "platform_names")) == {"by role": False, "by name": True}
    page = pm_client.get(f"/plans/{plan.pk}/share/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Platform people by name" in page and "Platform people by role" in page
    assert create(pm_client, plan, platform_names="nickname").status_code == 422
    assert ShareLink.objects.count() == 2
