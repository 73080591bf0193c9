"""The partner's share page lists the partner-provided interfaces and their joint-test status per
environment, and nothing internal: no notes, no request ids, no testers, no platform-side interfaces."""
import datetime

import pytest

from interfaces import services
from sharing.models import ShareLink
from tests.factories import InterfaceFactory, UserFactory

NOTE = "INTERNAL-NOTE 对方签名有误，别告诉他们"
REQUEST_ID = "REQ-SECRET-4711"


@pytest.fixture
def tested(plan):
    tester = UserFactory(username="tester-li", first_name="Tester", last_name="Li", email="li.tester@example.com")
    provided = InterfaceFactory(product=plan.product, method="POST", path="/partner/instances", summary="创建实例",
                                notes="INTERFACE-NOTES internal")
    platform = InterfaceFactory(product=plan.product, method="GET", path="/platform/only", direction="platform")
    services.joint_test_update(interface=provided, environment="sandbox", version=0, status="passed",
                               note=NOTE, request_id=REQUEST_ID, tester=tester, tested_on=datetime.date(2026, 10, 9))
    services.joint_test_update(interface=provided, environment="preprod", version=0, status="blocked", note=NOTE)
    services.joint_test_update(interface=platform, environment="sandbox", version=0, status="failed", note=NOTE)
    return provided, platform


@pytest.mark.parametrize("audience", ["partner", "management"])
def test_share_page_lists_partner_interfaces_with_status_and_nothing_internal(client, plan, tested, audience):
    link, token = ShareLink.create(plan=plan, audience=audience)
    page = client.get(f"/s/{token}/").content.decode()
    assert 'id="interfaces"' in page
    assert "POST /partner/instances" in page and "创建实例" in page
    assert ">Passed</span>" in page and ">Blocked</span>" in page and ">Not started</span>" in page
    assert "10-09" in page
    for secret in (NOTE, "INTERNAL-NOTE", REQUEST_ID, "INTERFACE-NOTES", "tester-li", "li.tester@example.com",
                   "Tester", "/platform/only"):
        assert secret not in page, secret


def test_share_page_follows_a_matrix_change(client, plan, tested):
    provided, _platform = tested
    link, token = ShareLink.create(plan=plan, audience="partner")
    assert ">Not started</span>" in client.get(f"/s/{token}/").content.decode()  # production, cached now
    services.joint_test_update(interface=provided, environment="production", version=0, status="passed")
    page = client.get(f"/s/{token}/").content.decode()
    assert ">Not started</span>" not in page
