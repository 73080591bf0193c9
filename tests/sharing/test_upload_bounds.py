"""Hostile uploads within the 5 MB limit are refused with a message before they cost the server
memory or time, and change nothing (issue 13 item 4). The bombs are bench/upload_bombs.py's, made
small; a few limits are lowered so that a small bomb crosses them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench import upload_bombs
from onboarding.models import Plan
from sharing.exchange import bounds, excel
from tests.sharing.test_excel import checklist, snapshot  # noqa: F401  (fixture, helper)

HTMX = {"HTTP_HX_REQUEST": "true"}


def post(client, path, data, name="upload.bin"):
    return client.post(path, {"file": SimpleUploadedFile(name, data)}, **HTMX)


def refused(client, plan, kind, data):
    """The page's answer to an upload that must be refused: 422, nothing changed; its text."""
    path = {"xlsx": f"/plans/{plan.pk}/exchange/import/xlsx/",
            "mspdi": f"/plans/{plan.pk}/exchange/import/msproject/",
            "json": "/plans/import/json/"}[kind]
    before, plans = snapshot(plan), Plan.objects.count()
    response = post(client, path, data)
    assert response.status_code == 422
    assert snapshot(plan) == before and Plan.objects.count() == plans
    return response.content.decode()


@pytest.mark.parametrize("bomb, scale, message", [
    (upload_bombs.xlsx_long_string, 0.0001, "A cell or field holds more than 32,767 characters"),
    (upload_bombs.xlsx_deep_xml, 0.001, "nests XML elements more than 64 levels deep"),
    (upload_bombs.xlsx_wide_rows, 0.025, "has more than 20,000 children"),
    (upload_bombs.xlsx_many_shared_strings, 0.003, "shared strings table holds more than 100,000 texts"),
    (upload_bombs.xlsx_lying_sizes, 0.001, "holds more than its header says"),
])
def test_xlsx_bombs_are_refused_with_a_clear_message(pm_client, plan, checklist, bomb, scale, message):  # noqa: F811
    assert message in refused(pm_client, plan, "xlsx", bomb(scale))


def test_an_xlsx_unpacking_beyond_the_limit_is_refused_before_it_is_parsed(pm_client, plan, checklist,  # noqa: F811
                                                                           monkeypatch):
    monkeypatch.setattr(bounds, "MAX_UNZIPPED_BYTES", 2**20)
    monkeypatch.setattr(excel, "_workbook_parts", lambda *args, **kwargs: pytest.fail("openpyxl read the bomb"))
    assert "unpacks to more than 1 MB" in refused(pm_client, plan, "xlsx", upload_bombs.xlsx_many_rows(0.001))


def test_an_xlsx_with_too_many_elements_is_refused(pm_client, plan, checklist, monkeypatch):  # noqa: F811
    monkeypatch.setattr(bounds, "MAX_XML_ELEMENTS", 50_000)
    assert "more than 50,000 XML elements" in refused(pm_client, plan, "xlsx",
                                                      upload_bombs.xlsx_many_elements(0.01))


def test_an_oversized_style_part_is_refused(pm_client, plan, checklist, monkeypatch):  # noqa: F811
    monkeypatch.setattr(bounds, "MAX_SMALL_PART_BYTES", 200)
    body = refused(pm_client, plan, "xlsx", upload_bombs.xlsx_long_string(0.00001))
    assert "The part “[Content_Types].xml” of the workbook unpacks to more than" in body


def test_a_real_checklist_is_still_read(pm_client, plan, checklist):  # noqa: F811
    data = excel.export_workbook(plan)
    response = post(pm_client, f"/plans/{plan.pk}/exchange/import/xlsx/", data, "checklist.xlsx")
    assert response.status_code == 200
    assert "nothing changed" in response.content.decode().lower() or "unchanged" in response.content.decode()


@pytest.mark.parametrize("bomb, scale, message", [
    (upload_bombs.mspdi_deep, 0.001, "nests XML elements more than 64 levels deep"),
    (upload_bombs.mspdi_many_elements, 0.02, "has more than 20,000 children"),
])
def test_ms_project_bombs_are_refused(pm_client, plan, bomb, scale, message):
    assert message in refused(pm_client, plan, "mspdi", bomb(scale))


@pytest.mark.parametrize("bomb, message", [
    (upload_bombs.json_deep(0.01), "nested too deeply"),
    (upload_bombs.json_huge_number(0.001), "a number has more than 4,300 digits"),
    (upload_bombs.HEAD + b'"schedule_settings": {"weights": {"critical": NaN}}}', "NaN is not a number"),
    (upload_bombs.HEAD + b'"schedule_settings": {"weights": {"critical": -Infinity}}}', "-Infinity is not a number"),
    (upload_bombs.HEAD + b'"schedule_settings": {"weights": {"critical": 1e400}}}', "1e400 is not a number"),
])
def test_json_bombs_and_non_finite_numbers_are_refused(pm_client, plan, bomb, message):
    assert message in refused(pm_client, plan, "json", bomb)


def test_refusals_name_the_limit_in_chinese_too(pm_client, plan, checklist):  # noqa: F811
    pm_client.cookies["django_language"] = "zh-hans"
    body = refused(pm_client, plan, "xlsx", upload_bombs.xlsx_deep_xml(0.001))
    assert "64" in body and "层" in body
