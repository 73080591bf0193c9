"""A product's interfaces checked against the platform's requirements: the page, the PDF."""
import pytest
from django.test import Client

from interfaces import gaps
from interfaces.demo import TOB_REQUIREMENTS, document_bytes
from interfaces import services
from interfaces.models import Interface, InterfaceRequirement
from onboarding.models import Scenario
from tests.factories import InterfaceRequirementFactory, PASSWORD, PlanFactory, ProductFactory, ScenarioFactory, UserFactory


@pytest.mark.parametrize("required,actual,matches", [
    ("/v1/instances/{instanceId}", "/v1/instances/{id}", True),
    ("/v1/instances/{instanceId}", "/v1/instances/abc", True),
    ("/v1/instances/{id}/renew", "/v1/instances/{id}", False),
    ("/sso/login", "/sso/login/", True),
    ("/v1/metering/report", "/v1/metering/reports", False),
])
def test_placeholders_match_any_segment(required, actual, matches):
    assert gaps.path_matches(required, actual) is matches


@pytest.fixture
def dsgc(db):
    """The demo's DSGC document, the toB requirement list, a toB plan."""
    product = ProductFactory(name="DSGC")
    services.spec_apply(spec=services.spec_import(product=product, data=document_bytes("dsgc_openapi.json"),
                                                  file_name="dsgc_openapi.json"))
    for position, (category, name, method, path, direction, severity, auth, errors, _d) in enumerate(TOB_REQUIREMENTS):
        InterfaceRequirementFactory(
            workspace=product.workspace, scenario_kind="toB", category=category, name=name, method=method, path=path,
            direction=direction, severity=severity, requires_auth=auth, requires_error_responses=errors,
            position=position)
    InterfaceRequirementFactory(workspace=product.workspace, scenario_kind="toC", name="toC only",
                                        method="GET", path="/toc")
    user = UserFactory(workspace=product.workspace)
    PlanFactory(product=product, owner=user, scenario=ScenarioFactory(workspace=product.workspace,
                                                                      kind=Scenario.Kind.TO_B))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=user.username, password=PASSWORD)
    return product, client


def found(product, kinds=("toB",)):
    return gaps.check(Interface.objects.filter(product=product),
                      InterfaceRequirement.objects.filter(workspace=product.workspace, scenario_kind__in=kinds))


def test_the_dsgc_gaps(dsgc):
    product, _client = dsgc
    listed = {(gap.kind, gap.requirement.path): gap.severity for gap in found(product)}
    assert listed == {
        ("wrong_method", "/api/v1/instances/{instanceId}/modify"): "major",  # PUT, required POST
        ("missing", "/api/v1/instances/{instanceId}/destroy"): "blocker",  # DSGC calls it /release
        ("missing", "/api/v1/metering/report"): "blocker",
        ("no_errors", "/console/embed"): "minor",
    }
    # SSO needs no auth by requirement: its `security: []` is no gap.
    assert not any(path == "/sso/login" for _kind, path in listed)


def test_no_auth_is_a_gap_when_required(dsgc):
    product, _client = dsgc
    Interface.objects.filter(product=product, path="/api/v1/instances").update(auth_scheme="")
    (gap,) = [gap for gap in found(product) if gap.kind == "no_auth"]
    assert gap.severity == "blocker" and str(gap.message) == (
        "POST /api/v1/instances needs no authentication; the platform requires it.")


def test_the_gaps_page_follows_the_plans_kinds_and_the_choice(dsgc):
    product, client = dsgc
    page = client.get(f"/products/{product.pk}/interfaces/gaps/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "8 requirements checked" in text and "Missing operation" in text
    assert "/api/v1/metering/report is not in the product" in text
    assert "toC only" not in text
    text = client.get(f"/products/{product.pk}/interfaces/gaps/?kind=toC").content.decode()
    assert "1 requirement checked" in text and "Missing operation" in text


def test_the_gaps_page_in_chinese(dsgc):
    product, client = dsgc
    text = client.get(f"/products/{product.pk}/interfaces/gaps/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "缺少接口" in text and "阻断" in text


def test_the_gap_report_pdf_renders_chinese(dsgc, tmp_path):
    import subprocess

    product, client = dsgc
    response = client.get(f"/products/{product.pk}/interfaces/gaps.pdf", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "gaps.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "接口差距报告" in text and "实例销毁回调" in text and "/api/v1/metering/report" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts or "Noto" in fonts
