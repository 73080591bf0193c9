"""The joint-test matrix page (interfaces/views/matrix.py): a cell edited without a reload, a stale
save refused with the other person's value, bulk updates in one transaction, filters, the Excel
export, and another workspace's users getting 404 everywhere."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from interfaces import services
from interfaces.models import JointTest
from tests.factories import InterfaceFactory, JointTestFactory, UserFactory, WorkspaceFactory


@pytest.fixture
def interfaces(product):
    return [InterfaceFactory(product=product, method="POST", path="/v1/instances", summary="创建实例"),
            InterfaceFactory(product=product, method="DELETE", path="/v1/instances/{id}", summary="销毁实例"),
            InterfaceFactory(product=product, method="GET", path="/platform/sso/ticket", summary="SSO ticket",
                             direction="platform")]


@pytest.fixture
def logged_in(client, pm):
    client.force_login(pm)
    return client


def _cell_url(interface, env="sandbox"):
    return reverse("interfaces:joint_test_cell", args=[interface.pk, env])


def test_matrix_lists_every_interface_with_a_status_per_environment(logged_in, product, interfaces, pm):
    JointTestFactory(interface=interfaces[0], environment="sandbox", status="passed", tester=pm,
                     tested_on=datetime.date(2026, 10, 8))
    page = logged_in.get(reverse("interfaces:matrix", args=[product.pk])).content.decode()
    for interface in interfaces:
        assert interface.path in page
    for env in ("Sandbox", "Pre-production", "Production"):
        assert env in page
    # A passed cell says so in words, beside its colour, with who tested it and when.
    assert 'data-status="passed">Passed</span>' in page
    assert "Pat · 2026-10-08" in page


def test_editing_a_cell_saves_it_and_answers_the_cell_without_a_reload(logged_in, interfaces, pm):
    form = logged_in.get(_cell_url(interfaces[0]), HTTP_HX_REQUEST="true")
    assert 'name="version" value="0"' in form.content.decode()
    response = logged_in.post(_cell_url(interfaces[0]), {
        "status": "failed", "tester": pm.pk, "tested_on": "2026-10-09", "request_id": "req-7f3a",
        "note": "签名算法不一致", "version": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="cell-%s-sandbox" hx-swap-oob="true"' % interfaces[0].pk in body
    assert "Failed" in body and "Saved." in body
    test = JointTest.objects.get(interface=interfaces[0], environment="sandbox")
    assert (test.status, test.request_id, test.note, test.tester, test.version) == (
        "failed", "req-7f3a", "签名算法不一致", pm, 1)
    assert test.history.count() == 1  # the first save of a cell is one entry, not a blank one and an edit
    # The history of the cell says who changed what.
    history = logged_in.get(_cell_url(interfaces[0]), HTTP_HX_REQUEST="true").content.decode()
    assert "Pat" in history and "Failed" in history


def test_a_stale_cell_save_is_refused_and_shows_the_other_persons_value(logged_in, interfaces, pm):
    other = UserFactory(username="lily", first_name="Lily")
    services.joint_test_update(interface=interfaces[0], environment="sandbox", version=0, status="in_progress")
    # Lily saves "passed" first, from version 1 …
    services.joint_test_update(interface=interfaces[0], environment="sandbox", version=1, status="passed",
                               tester=other)
    # … then Pat's save, started from version 1 too, is refused: nothing of his is written.
    response = logged_in.post(_cell_url(interfaces[0]), {"status": "failed", "version": "1", "note": "mine"},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Someone else changed this" in body
    assert "Passed" in body and "Lily" in body  # their value, shown beside his input
    assert 'name="version" value="2"' in body  # saving again applies his input deliberately
    test = JointTest.objects.get(interface=interfaces[0], environment="sandbox")
    assert (test.status, test.note, test.version) == ("passed", "", 2)


def test_a_cell_created_meanwhile_by_someone_else_is_stale_too(logged_in, interfaces):
    JointTestFactory(interface=interfaces[0], environment="preprod", status="passed", version=1)
    response = logged_in.post(_cell_url(interfaces[0], "preprod"), {"status": "failed", "version": "0"},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert JointTest.objects.get(interface=interfaces[0], environment="preprod").status == "passed"


def test_bulk_update_sets_status_tester_and_date_on_selected_rows_and_cells(logged_in, product, interfaces, pm):
    JointTestFactory(interface=interfaces[1], environment="production", status="failed", version=4)
    response = logged_in.post(reverse("interfaces:joint_test_bulk", args=[product.pk]), {
        "row": [f"{interfaces[0].pk}|sandbox=0|preprod=0|production=0"],
        "cell": [f"{interfaces[1].pk}:production:4"],
        "status": "passed", "tester": str(pm.pk), "tested_on": "2026-10-12"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "4 cells changed." in response.content.decode()
    cells = JointTest.objects.filter(status="passed", tester=pm, tested_on=datetime.date(2026, 10, 12))
    assert cells.count() == 4
    assert not JointTest.objects.filter(interface=interfaces[2]).exists()


def test_bulk_update_with_one_stale_cell_changes_nothing(logged_in, product, interfaces):
    JointTestFactory(interface=interfaces[1], environment="sandbox", status="failed", version=3)
    response = logged_in.post(reverse("interfaces:joint_test_bulk", args=[product.pk]), {
        "cell": [f"{interfaces[0].pk}:sandbox:0", f"{interfaces[1].pk}:sandbox:2"], "status": "passed"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "nothing was changed" in response.content.decode()
    assert not JointTest.objects.filter(status="passed").exists()


def test_bulk_update_refuses_an_unreadable_selection_or_nothing_to_change(logged_in, product, interfaces):
    url = reverse("interfaces:joint_test_bulk", args=[product.pk])
    assert logged_in.post(url, {"cell": ["x:sandbox:0"], "status": "passed"}).status_code == 302
    response = logged_in.post(url, {"cell": [f"{interfaces[0].pk}:sandbox:0"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Choose what to change." in response.content.decode()
    assert not JointTest.objects.exists()


def test_filters_by_status_side_and_environment(logged_in, product, interfaces):
    JointTestFactory(interface=interfaces[0], environment="sandbox", status="blocked")
    JointTestFactory(interface=interfaces[1], environment="production", status="blocked")
    url = reverse("interfaces:matrix", args=[product.pk])

    def paths(**query):
        body = logged_in.get(url, query).content.decode()
        return {i.path for i in interfaces if f'title="{i.path}"' in body}

    assert paths(status="blocked") == {interfaces[0].path, interfaces[1].path}
    assert paths(status="blocked", environment="production") == {interfaces[1].path}
    assert paths(side="platform") == {interfaces[2].path}
    # Not started includes cells never saved.
    assert paths(status="not_started", side="platform") == {interfaces[2].path}
    assert paths(status="passed") == set()


def test_three_hundred_rows_are_paginated_with_a_constant_number_of_queries(
        logged_in, product, django_assert_max_num_queries):
    for n in range(300):
        InterfaceFactory(product=product, path=f"/v1/op/{n:03d}")
    url = reverse("interfaces:matrix", args=[product.pk])
    with django_assert_max_num_queries(14):
        body = logged_in.get(url).content.decode()
    assert "Page 1 of 3" in body and "/v1/op/099" in body and "/v1/op/100" not in body
    with django_assert_max_num_queries(14):
        body = logged_in.get(url, {"per_page": "300"}).content.decode()
    assert "/v1/op/299" in body


def test_excel_export_has_typed_cells_and_headers_in_the_readers_language(logged_in, product, interfaces, pm):
    JointTestFactory(interface=interfaces[0], environment="sandbox", status="passed", tester=pm,
                     tested_on=datetime.date(2026, 10, 8), request_id="=cmd|' /C calc'!A0")
    response = logged_in.get(reverse("interfaces:matrix_export", args=[product.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert 'filename="' in disposition and "filename*=UTF-8''" in disposition
    assert disposition.split('filename="')[1].split('"')[0].isascii()
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Method", "Path", "Summary", "Provided by"]
    assert "Sandbox · status" in headers
    row = [cell.value for cell in sheet[2]]
    assert row[1] == "/v1/instances"
    assert row[headers.index("Sandbox · status")] == "Passed"
    assert row[headers.index("Sandbox · tested on")] == datetime.datetime(2026, 10, 8)
    assert sheet.cell(row=2, column=headers.index("Sandbox · request id") + 1).data_type == "s"
    logged_in.cookies["django_language"] = "zh-hans"
    zh = load_workbook(io.BytesIO(logged_in.get(reverse("interfaces:matrix_export", args=[product.pk]),
                                                HTTP_ACCEPT_LANGUAGE="zh-hans").content)).active
    assert [cell.value for cell in zh[1]][:2] == ["方法", "路径"]


def test_another_workspace_gets_404_on_every_matrix_url(client, product, plan, interfaces):
    client.force_login(UserFactory(username="outsider", workspace=WorkspaceFactory(name="其他团队")))
    urls = [reverse("interfaces:matrix", args=[product.pk]),
            reverse("interfaces:matrix_export", args=[product.pk]),
            _cell_url(interfaces[0]), reverse("interfaces:plan_interfaces", args=[plan.pk])]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [reverse("interfaces:joint_test_bulk", args=[product.pk]), _cell_url(interfaces[0]),
             reverse("interfaces:plan_interface_link", args=[plan.pk])]
    for url in posts:
        assert client.post(url, {"status": "passed", "version": "0",
                                 "cell": [f"{interfaces[0].pk}:sandbox:0"]}).status_code == 404, url
    assert not JointTest.objects.exists()


def test_a_manager_reads_the_matrix_but_cannot_change_it(client, manager, product, interfaces):
    client.force_login(manager)
    page = client.get(reverse("interfaces:matrix", args=[product.pk])).content.decode()
    assert interfaces[0].path in page and 'name="cell"' not in page
    assert client.post(_cell_url(interfaces[0]), {"status": "passed", "version": "0"}).status_code == 403
    assert not JointTest.objects.exists()


def test_a_cell_opens_as_a_page_of_its_own_without_htmx(logged_in, interfaces):
    response = logged_in.get(_cell_url(interfaces[0], "production"))
    assert response.status_code == 200
    assert "POST /v1/instances · Production" in response.content.decode()
    response = logged_in.post(_cell_url(interfaces[0], "production"), {"status": "passed", "version": "0"})
    assert response.status_code == 302
    assert logged_in.get(_cell_url(interfaces[0], "elsewhere")).status_code == 404


def test_a_cell_never_tested_proposes_me_as_tester_today(logged_in, interfaces, pm):
    from django.utils import timezone

    body = logged_in.get(_cell_url(interfaces[2], "preprod"), HTTP_HX_REQUEST="true").content.decode()
    assert f'<option value="{pm.pk}" selected>' in body
    assert f'value="{timezone.localdate().isoformat()}"' in body
