import io
import json
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from onboarding.models import Plan
from schedule.models import Task, TaskLink
from sharing.exchange import excel
from sharing.models import CalendarFeed
from tests.factories import PlanFactory, UserFactory
from tests.sharing.test_excel import (  # noqa: F401  (fixture, helpers)
    checklist,
    edited,
    snapshot,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def viewer(plan):
    user = UserFactory(username="viewer", password="viewer-pass-123")
    plan.viewers.add(user)
    return user


def upload(name, data):
    return SimpleUploadedFile(name, data)


def url(plan, what):
    return {"page": f"/plans/{plan.pk}/exchange/", "xlsx": f"/plans/{plan.pk}/exchange/checklist.xlsx",
            "json": f"/plans/{plan.pk}/exchange/plan.json", "mspdi": f"/plans/{plan.pk}/exchange/msproject.xml",
            "import_xlsx": f"/plans/{plan.pk}/exchange/import/xlsx/",
            "import_mspdi": f"/plans/{plan.pk}/exchange/import/msproject/",
            "feeds": f"/plans/{plan.pk}/exchange/feeds/"}[what]


# ------------------------------------------------------------------ page and downloads
def test_page_shows_exports_imports_and_feeds_to_the_owner(pm_client, plan, checklist):  # noqa: F811
    body = pm_client.get(url(plan, "page")).content.decode()
    for text in ("Import / export", url(plan, "xlsx"), url(plan, "json"), url(plan, "mspdi"),
                 "Import workbook", "Import into this plan", "Import as a new plan", "Create plan from JSON", "Calendar feeds"):
        assert text in body
    assert 'class="active">Import / export' in body  # the tab in the plan header
    assert ">Exports</a>" not in body  # one tab for files in and out: the PDF exports are its sub-tab
    assert f'href="/plans/{plan.pk}/exports/"' in body


def test_downloads_have_safe_filenames_with_the_chinese_plan_name(pm_client, plan, checklist):  # noqa: F811
    Plan.objects.filter(pk=plan.pk).update(name='MTP 接入/"测试";')
    for what, ext, content_type in (("xlsx", ".xlsx", "spreadsheetml"), ("json", ".paasport.json", "json"),
                                    ("mspdi", ".xml", "xml")):
        response = pm_client.get(url(plan, what))
        assert response.status_code == 200
        assert content_type in response["Content-Type"]
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename=\"")
        ascii_part = re.search(r'filename="([^"]*)"', disposition).group(1)
        assert ascii_part.isascii() and "/" not in ascii_part and ascii_part.endswith(ext)
        assert "filename*=UTF-8''" + quote("MTP 接入_测试", safe="") in disposition
    workbook = load_workbook(io.BytesIO(pm_client.get(url(plan, "xlsx")).content))
    assert workbook.worksheets[0].max_row == 5


@pytest.mark.parametrize("name, ascii_xlsx, ascii_json", [
    ("MTP 接入", "MTP_JieRu-RenWuQingDan.xlsx", "MTP_JieRu.paasport.json"),
    ("数据安全治理 DSGC", "ShuJuAnQuanZhiLi_DSGC-RenWuQingDan.xlsx", "ShuJuAnQuanZhiLi_DSGC.paasport.json"),
    ("重庆银行（试点）", "ChongQingYinHang_ShiDian-RenWuQingDan.xlsx", "ChongQingYinHang_ShiDian.paasport.json"),
    ("🚀", "RenWuQingDan.xlsx", "plan-{pk}.paasport.json"),
])
def test_the_ascii_file_name_is_a_readable_spelling(pm_client, plan, name, ascii_xlsx, ascii_json):
    """Clients that ignore filename* (old mail gateways, download managers) get pinyin, not "MTP-.xlsx"."""
    Plan.objects.filter(pk=plan.pk).update(name=name)
    for what, expected in (("xlsx", ascii_xlsx), ("json", ascii_json)):
        disposition = pm_client.get(url(plan, what), HTTP_ACCEPT_LANGUAGE="zh-hans")["Content-Disposition"]
        assert re.search(r'filename="([^"]*)"', disposition).group(1) == expected.format(pk=plan.pk)
        assert "filename*=UTF-8''" + quote(name, safe="") in disposition


@pytest.mark.parametrize("who", ["viewer", "manager"])
def test_readers_can_export_but_not_import(client, plan, checklist, who, viewer, manager):  # noqa: F811
    client.force_login(viewer if who == "viewer" else manager)
    page = client.get(url(plan, "page")).content.decode()
    assert "Import workbook" not in page and "Only the plan's owner and editors can import" in page
    for what in ("xlsx", "json", "mspdi"):
        assert client.get(url(plan, what)).status_code == 200
    data = excel.export_workbook(plan)
    assert client.post(url(plan, "import_xlsx"), {"file": upload("a.xlsx", data)}).status_code == 403
    assert client.post(url(plan, "import_mspdi"), {"file": upload("a.xml", b"<Project/>")}).status_code == 403
    assert client.post(url(plan, "feeds")).status_code == 403


def test_other_pm_gets_404_everywhere(client, plan, checklist, other_pm):  # noqa: F811
    client.force_login(other_pm)
    for what in ("page", "xlsx", "json", "mspdi"):
        assert client.get(url(plan, what)).status_code == 404
    assert client.post(url(plan, "import_xlsx"), {"file": upload("a.xlsx", b"x")}).status_code == 404
    assert client.post(url(plan, "feeds")).status_code == 404


def test_login_required(client, plan):
    response = client.get(url(plan, "xlsx"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------ imports
def test_xlsx_round_trip_through_the_page_reports_nothing_changed(pm_client, plan, checklist):  # noqa: F811
    data = pm_client.get(url(plan, "xlsx")).content
    response = pm_client.post(url(plan, "import_xlsx"), {"file": upload("checklist.xlsx", data)}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "0 tasks created; 0 updated; 4 unchanged." in body
    assert 'id="import-xlsx"' in body


def test_bad_xlsx_lists_every_problem_in_place_with_422(pm_client, plan, checklist):  # noqa: F811
    data = excel.export_workbook(plan)

    def edit(rows):
        rows[1][rows[0].index("Deadline")] = "someday"
        rows[2][rows[0].index("Contact")] = "张三"

    before = snapshot(plan)
    response = pm_client.post(url(plan, "import_xlsx"), {"file": upload("c.xlsx", edited(data, edit))}, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "2 problems" in body and "Nothing was changed" in body
    assert "Row 2, column “Deadline”" in body and "Row 3, column “Contact”" in body
    assert snapshot(plan) == before


def test_a_text_file_renamed_xlsx_without_htmx_renders_the_page(pm_client, plan, checklist):  # noqa: F811
    response = pm_client.post(url(plan, "import_xlsx"), {"file": upload("notes.xlsx", b"just some text")})
    assert response.status_code == 422
    assert "not an Excel workbook" in response.content.decode()


def test_successful_import_without_htmx_redirects_with_a_message(pm_client, plan, checklist):  # noqa: F811
    data = excel.export_workbook(plan)
    response = pm_client.post(url(plan, "import_xlsx"), {"file": upload("c.xlsx", data)}, follow=True)
    assert response.redirect_chain[-1][0] == url(plan, "page")
    assert "4 unchanged" in response.content.decode()


def test_empty_upload_is_a_field_error(pm_client, plan):
    response = pm_client.post(url(plan, "import_xlsx"), {}, **HTMX)
    assert response.status_code == 422 and "This field is required" in response.content.decode()


def test_mspdi_import_through_the_page(pm_client, plan, checklist, product, pm):  # noqa: F811
    target = PlanFactory(name="目标", product=product, owner=pm, start_date=plan.start_date)
    data = pm_client.get(url(plan, "mspdi")).content
    response = pm_client.post(url(target, "import_mspdi"), {"file": upload("p.xml", data)}, **HTMX)
    assert response.status_code == 200 and "4 tasks created" in response.content.decode()
    assert TaskLink.objects.filter(successor__plan=target).count() == 3
    bad = pm_client.post(url(target, "import_mspdi"), {"file": upload("p.xml", b"<Project")}, **HTMX)
    assert bad.status_code == 422 and "not a readable XML file" in bad.content.decode()


def test_json_import_creates_a_new_plan_owned_by_the_importer(client, plan, checklist, other_pm):  # noqa: F811
    client.force_login(plan.owner)
    data = client.get(url(plan, "json")).content
    client.force_login(other_pm)
    response = client.post("/plans/import/json/", {"file": upload("plan.json", data)}, **HTMX)
    new = Plan.objects.exclude(pk=plan.pk).get()
    assert response.status_code == 200 and response["HX-Redirect"] == f"/plans/{new.pk}/exchange/"
    assert new.owner == other_pm and new.tasks.count() == 4


def test_json_import_errors_show_paths(pm_client, plan, checklist):  # noqa: F811
    doc = json.loads(pm_client.get(url(plan, "json")).content)
    doc["tasks"][3]["duration"] = -5
    response = pm_client.post("/plans/import/json/", {"file": upload("p.json", json.dumps(doc).encode())}, **HTMX)
    assert response.status_code == 422
    assert "tasks[3].duration" in response.content.decode()
    assert Plan.objects.count() == 1


def test_json_import_page_works_alone_and_is_closed_to_managers(pm_client, client, manager):
    response = pm_client.get("/plans/import/json/")
    assert response.status_code == 200 and "Import a plan" in response.content.decode()
    client.force_login(manager)
    assert client.get("/plans/import/json/").status_code == 403


# ------------------------------------------------------------------ calendar feeds
def test_feed_is_created_shown_once_served_and_revoked(pm_client, client, plan, checklist):  # noqa: F811
    response = pm_client.post(url(plan, "feeds"), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    feed_url = re.search(r'value="(http://testserver/ical/[^"]+\.ics)"', body).group(1)
    assert "shown only once" in body
    token = feed_url.rsplit("/", 1)[1][:-4]
    assert token not in pm_client.get(url(plan, "page")).content.decode()

    served = client.get(f"/ical/{token}.ics")  # no login
    assert served.status_code == 200 and served["Content-Type"].startswith("text/calendar")
    text = served.content.decode()
    assert "BEGIN:VCALENDAR" in text and "Deadline: 计费配置" in text and "◆ 正式上线" in text

    feed = CalendarFeed.objects.get()
    revoked = pm_client.post(f"/plans/{plan.pk}/exchange/feeds/{feed.pk}/revoke/", **HTMX)
    assert revoked.status_code == 200 and "revoked" in revoked.content.decode()
    gone = client.get(f"/ical/{token}.ics")
    assert gone.status_code == 404 and gone["Content-Type"].startswith("text/plain")


def test_unknown_token_is_a_plain_404(client, db):
    response = client.get("/ical/not-a-real-token.ics")
    assert response.status_code == 404 and b"Not found" in response.content


def test_revoking_another_plans_feed_is_404(pm_client, plan, other_pm, product):
    other = PlanFactory(name="别人的", product=product, owner=other_pm, start_date=plan.start_date)
    feed, _token = CalendarFeed.create(plan=other, created_by=other_pm)
    assert pm_client.post(f"/plans/{plan.pk}/exchange/feeds/{feed.pk}/revoke/").status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is None


def test_hostile_task_titles_are_escaped_on_the_page_and_in_the_feed(pm_client, plan, checklist):  # noqa: F811
    Task.objects.filter(pk=checklist["billing"].pk).update(title="<script>alert(1)</script>")
    response = pm_client.post(url(plan, "feeds"), **HTMX)
    token = re.search(r"/ical/([^\"]+)\.ics", response.content.decode()).group(1)
    text = pm_client.get(f"/ical/{token}.ics").content.decode()
    assert "Deadline: <script>alert(1)</script>" in text  # plain text in iCal, never HTML


def test_mspdi_import_of_the_same_file_again_shows_a_preview_first(pm_client, plan, checklist, product, pm):  # noqa: F811
    target = PlanFactory(name="目标", product=product, owner=pm, start_date=plan.start_date)
    data = pm_client.get(url(plan, "mspdi")).content
    pm_client.post(url(target, "import_mspdi"), {"file": upload("p.xml", data)}, **HTMX)
    changed = data.replace(b"<Name>\xe8\xae\xa1\xe8\xb4\xb9\xe9\x85\x8d\xe7\xbd\xae</Name>", "<Name>计费配置 V2</Name>".encode())
    preview = pm_client.post(url(target, "import_mspdi"), {"file": upload("p.xml", changed)}, **HTMX)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "This file matches tasks already in this plan: 1 task changes." in page and "3 stay as they are." in page
    assert "计费配置: title 计费配置 → 计费配置 V2" in page
    assert target.tasks.filter(title="计费配置 V2").count() == 0  # nothing written before the confirmation
    token = re.search(r'name="preview" value="([^"]+)"', page).group(1)
    applied = pm_client.post(url(target, "import_mspdi"), {"preview": token}, **HTMX)
    assert applied.status_code == 200 and "0 tasks created; 1 updated; 3 unchanged." in applied.content.decode()
    assert target.tasks.count() == 4 and target.tasks.filter(title="计费配置 V2").exists()
    again = pm_client.post(url(target, "import_mspdi"), {"preview": token}, **HTMX)  # a token serves once
    assert again.status_code == 422 and "This preview has expired" in again.content.decode()
    other = pm_client.post(url(plan, "import_mspdi"), {"preview": token}, **HTMX)
    assert other.status_code == 422


def test_mspdi_import_as_a_new_plan(pm_client, plan, checklist, pm):  # noqa: F811
    data = pm_client.get(url(plan, "mspdi")).content.replace(f"<Title>{plan.name}</Title>".encode(),
                                                              "<Title>MTP 二期</Title>".encode())
    response = pm_client.post(url(plan, "import_mspdi"), {"file": upload("p.xml", data), "as_new": "1"}, **HTMX)
    new = Plan.objects.get(name="MTP 二期")
    assert response.status_code == 200 and response["HX-Redirect"] == f"/plans/{new.pk}/exchange/"
    assert (new.owner, new.workspace, new.product, new.scenario, new.start_date) == (
        pm, plan.workspace, plan.product, plan.scenario, plan.start_date)
    assert new.tasks.count() == 4 and plan.tasks.count() == 4
    page = pm_client.get(response["HX-Redirect"]).content.decode()
    assert "Plan “MTP 二期” imported: 4 tasks created" in page
    empty = b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks/></Project>'
    refused = pm_client.post(url(plan, "import_mspdi"), {"file": upload("e.xml", empty), "as_new": "1"}, **HTMX)
    assert refused.status_code == 422 and "The file has no tasks" in refused.content.decode()
    assert Plan.objects.count() == 2  # no empty plan left behind


def test_mspdi_preview_without_a_cache_says_so_and_changes_nothing(pm_client, plan, checklist, monkeypatch):  # noqa: F811
    from sharing.views import exchange as views

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(views.cache, "set", down)
    data = pm_client.get(url(plan, "mspdi")).content.replace("<Name>计费配置</Name>".encode(),
                                                              "<Name>计费配置 V2</Name>".encode())
    response = pm_client.post(url(plan, "import_mspdi"), {"file": upload("p.xml", data)}, **HTMX)
    assert response.status_code == 503
    assert "The preview cannot be prepared right now (the cache is unavailable)" in response.content.decode()
    assert not plan.tasks.filter(title="计费配置 V2").exists()
