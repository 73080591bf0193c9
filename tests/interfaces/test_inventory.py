"""The inventory page: import → diff → accept/discard, rows by hand with htmx, the command."""
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from interfaces.demo import HERE, document_bytes
from interfaces.models import Interface, InterfaceSpec
from tests.factories import PASSWORD, ManagerFactory, ProductFactory, StakeholderFactory, UserFactory, WorkspaceFactory


@pytest.fixture
def product(db):
    return ProductFactory(name="MTP")


@pytest.fixture
def client(product):
    user = UserFactory(workspace=product.workspace)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, product, data, name="mtp.yaml", direction="partner"):
    return client.post(f"/products/{product.pk}/interfaces/import/",
                       {"file": SimpleUploadedFile(name, data), "direction": direction})


def test_import_shows_the_diff_then_accepting_applies_it(client, product):
    response = upload(client, product, document_bytes("mtp_openapi.yaml"))
    spec = InterfaceSpec.objects.get(product=product)
    assert response.status_code == 302 and response["Location"] == f"/products/{product.pk}/interfaces/imports/{spec.pk}/"
    assert not Interface.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "9 operations read" in page and "9 added" in page and "POST /v2/token/verify" in page
    assert client.get(f"/products/{product.pk}/interfaces/").content.decode().count("Review the changes") == 1
    response = client.post(f"/products/{product.pk}/interfaces/imports/{spec.pk}/accept/", follow=True)
    assert "Applied: 9 added, 0 changed, 0 removed." in response.content.decode()
    assert Interface.objects.filter(product=product).count() == 9
    page = client.get(f"/products/{product.pk}/interfaces/").content.decode()
    assert "/v2/risk/reports" in page and "platformSignature" in page


def test_reimport_diff_names_each_changed_field(client, product):
    client.post(f"/products/{product.pk}/interfaces/imports/"
                f"{upload(client, product, document_bytes('mtp_openapi.yaml')).url.split('/')[-2]}/accept/")
    changed = document_bytes("mtp_openapi.yaml").decode().replace(
        "summary: 销毁实例 (destroy an instance)", "summary: 销毁实例并删除数据").replace(
        "  /healthz:\n    get:\n      operationId: health\n      summary: 健康检查 (health check)\n      security: []\n"
        "      responses:\n        \"200\": {description: ok}\n", "")
    response = upload(client, product, changed.encode())
    page = client.get(response.url).content.decode()
    assert "1 changed" in page and "1 removed" in page and "0 added" in page
    assert "销毁实例 (destroy an instance)" in page and "销毁实例并删除数据" in page and "GET /healthz" in page
    spec_id = response.url.split("/")[-2]
    client.post(f"/products/{product.pk}/interfaces/imports/{spec_id}/discard/")
    assert Interface.objects.filter(product=product, path="/healthz").exists()
    assert not InterfaceSpec.objects.filter(pk=spec_id).exists()


@pytest.mark.parametrize("data,name,where", [
    (b'{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/v1/instances": '
     b'{"post": {"responses": {"abc": 5}}}}}', "a.json", "paths./v1/instances.post.responses:"),
    (b"{\n  bad", "a.json", "line 2, column 3: not valid JSON"),
    (b"openapi: 3.0.3\ninfo: [\n", "a.yaml", "not valid YAML"),
    (b"a: &a [1]\nb: [" + b", ".join([b"*a"] * 150) + b"]\n", "bomb.yaml", "YAML aliases"),
])
def test_a_refused_document_says_where_and_changes_nothing(client, product, data, name, where):
    response = upload(client, product, data, name)
    assert response.status_code == 422
    text = response.content.decode()
    assert "The document was refused; nothing changed:" in text and where in text
    assert not InterfaceSpec.objects.exists() and not Interface.objects.exists()


def test_over_5_mb_refused_by_the_form(client, product):
    response = upload(client, product, b" " * (5 * 1024 * 1024 + 1), "big.json")
    assert response.status_code == 422 and "the limit is 5 MB" in response.content.decode()
    assert not InterfaceSpec.objects.exists()


def test_rows_by_hand_with_htmx(client, product):
    partner = StakeholderFactory(workspace=product.workspace, side="partner", name="林峰")
    StakeholderFactory(workspace=WorkspaceFactory(name="other"), side="partner", name="Outsider")
    form = client.get(f"/products/{product.pk}/interfaces/add/", HTTP_HX_REQUEST="true").content.decode()
    assert "林峰" in form and "Outsider" not in form
    response = client.post(f"/products/{product.pk}/interfaces/add/", {
        "method": "POST", "path": "/v1/metering/report", "summary": "Usage", "direction": "platform",
        "auth_scheme": "HMAC", "error_responses": "400, 5XX", "partner_owner": partner.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == "#interface-list"
    row = Interface.objects.get(product=product)
    assert (row.error_responses, row.partner_owner, row.direction) == (["400", "5XX"], partner, "platform")
    # The same operation twice, or a bad code: refused in the form.
    response = client.post(f"/products/{product.pk}/interfaces/add/", {
        "method": "POST", "path": "/v1/metering/report", "direction": "partner"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "already has POST /v1/metering/report" in response.content.decode()
    response = client.post(f"/products/{product.pk}/interfaces/{row.pk}/edit/", {
        "method": "POST", "path": "/v1/metering/report", "direction": "platform", "error_responses": "oops",
        "version": row.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Not a response code: oops" in response.content.decode()
    response = client.post(f"/products/{product.pk}/interfaces/{row.pk}/edit/", {
        "method": "POST", "path": "/v1/metering/report", "direction": "platform", "summary": "Hourly usage",
        "version": row.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Hourly usage" in response.content.decode()
    # A stale delete is refused; the current one works.
    assert client.post(f"/products/{product.pk}/interfaces/{row.pk}/delete/", {"version": row.version}).status_code == 422
    row.refresh_from_db()
    assert client.post(f"/products/{product.pk}/interfaces/{row.pk}/delete/", {"version": row.version}).status_code == 200
    assert not Interface.objects.exists()


def test_a_manager_reads_but_cannot_import_or_edit(product):
    manager = ManagerFactory(workspace=product.workspace)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=manager.username, password=PASSWORD)
    page = client.get(f"/products/{product.pk}/interfaces/")
    assert page.status_code == 200 and "Import an OpenAPI document" not in page.content.decode()
    assert upload(client, product, document_bytes("mtp_openapi.yaml")).status_code == 403
    assert client.get(f"/products/{product.pk}/interfaces/add/").status_code == 403


def test_the_command_reads_prints_and_applies_with_yes(product, tmp_path):
    out = StringIO()
    call_command("import_openapi", product.pk, str(HERE / "dsgc_openapi.json"), stdout=out)
    text = out.getvalue()
    assert "Read 8 operations from dsgc_openapi.json" in text and "8 added" in text
    assert "+ POST /api/v1/instances" in text and "Run again with --yes" in text
    assert not Interface.objects.exists() and not InterfaceSpec.objects.exists()
    out = StringIO()
    call_command("import_openapi", product.pk, str(HERE / "dsgc_openapi.json"), "--yes", stdout=out)
    assert "Applied: 8 added" in out.getvalue()
    assert Interface.objects.filter(product=product).count() == 8
    document = json.loads(document_bytes("dsgc_openapi.json"))
    document["paths"]["/console/embed"]["get"]["responses"]["403"] = {"description": "not allowed"}
    changed = tmp_path / "dsgc.json"
    changed.write_text(json.dumps(document))
    out = StringIO()
    call_command("import_openapi", product.pk, str(changed), "--direction", "partner", stdout=out)
    assert "0 added, 1 changed, 0 removed, 7 unchanged." in out.getvalue()
    assert "error_responses: [] -> ['403']" in out.getvalue()


def test_the_command_refuses_with_the_location(product, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get: {responses: {abc: 1}}\n")
    with pytest.raises(CommandError, match=r"paths\./x\.get\.responses"):
        call_command("import_openapi", product.pk, str(bad))
    with pytest.raises(CommandError, match="No product"):
        call_command("import_openapi", 999999, str(bad))


def test_requirements_page_add_edit_delete(client, product):
    response = client.post("/interface-requirements/add/", {
        "scenario_kind": "toB", "category": "sso", "name": "SSO", "method": "GET", "path": "/sso/login",
        "direction": "partner", "severity": "major", "requires_auth": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "SSO" in response.content.decode()
    from interfaces.models import InterfaceRequirement

    requirement = InterfaceRequirement.objects.get()
    assert requirement.workspace == product.workspace
    response = client.post(f"/interface-requirements/{requirement.pk}/edit/", {
        "scenario_kind": "toB", "category": "sso", "name": "免登 SSO", "method": "GET", "path": "/sso/login",
        "direction": "partner", "severity": "blocker"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "免登 SSO" in response.content.decode()
    assert "/sso/login" in client.get("/interface-requirements/").content.decode()
    assert client.post(f"/interface-requirements/{requirement.pk}/delete/").status_code == 200
    assert not InterfaceRequirement.objects.exists()
