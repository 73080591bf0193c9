"""The boss's weekly report as a PDF: queued (Celery, eager here), one page per workspace, the
portfolio's rows as filtered, downloadable only by who asked for it."""
import subprocess

import pytest

from onboarding.models import WorkspaceMember
from portfolio.models import PortfolioReport
from schedule import scheduling
from tests.factories import (
    ManagerFactory,
    MilestoneFactory,
    PlanFactory,
    ProductFactory,
    TaskFactory,
    UserFactory,
    WorkspaceFactory,
    WorkspaceMemberFactory,
)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def two_teams(db):
    boss = ManagerFactory(username="boss")
    cloud = WorkspaceFactory(name="行业云接入组")
    WorkspaceMemberFactory(workspace=cloud, user=boss, role=WorkspaceMember.Role.MANAGER)
    made = {}
    for name, workspace in (("MTP 接入", None), ("DSGC 接入", None), ("SMS 接入", cloud)):
        extra = {"product": ProductFactory(workspace=workspace)} if workspace else {}
        plan = PlanFactory(name=name, status="active", **extra)
        TaskFactory(plan=plan, duration=3)
        MilestoneFactory(plan=plan, is_launch=True)
        scheduling.recompute(plan)
        made[name] = plan
    return boss, made


def pdf_pages(path):
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return text.split("\f")


def test_report_is_one_page_per_workspace_with_the_filtered_rows(media, client, two_teams,
                                                                django_capture_on_commit_callbacks):
    boss, plans = two_teams
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portfolio/report/", {"q": "接入", "kind": "", "sort": "-name"},
                               HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    report = PortfolioReport.objects.get()
    assert report.state == PortfolioReport.State.DONE, report.error
    assert report.query == "q=%E6%8E%A5%E5%85%A5&sort=-name"
    assert f"/portfolio/report/{report.pk}/download/" in client.get(
        f"/portfolio/report/{report.pk}/", HTTP_HX_REQUEST="true").content.decode()
    download = client.get(f"/portfolio/report/{report.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    path = media / "report.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    pages = [page for page in pdf_pages(path) if page.strip()]
    assert report.pages == len(pages) == 2
    team, cloud = pages
    assert "安全产品接入组" in team and "MTP 接入" in team and "DSGC 接入" in team and "SMS 接入" not in team
    assert team.index("MTP 接入") < team.index("DSGC 接入")  # sorted by name, descending
    assert "行业云接入组" in cloud and "SMS 接入" in cloud and "MTP 接入" not in cloud


def test_someone_elses_report_is_404(media, client, two_teams, django_capture_on_commit_callbacks):
    boss, _plans = two_teams
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portfolio/report/", {"health": "late"}, HTTP_HX_REQUEST="true")
    report = PortfolioReport.objects.get()
    client.force_login(UserFactory(username="other-pm"))
    assert client.get(f"/portfolio/report/{report.pk}/").status_code == 404
    assert client.get(f"/portfolio/report/{report.pk}/download/").status_code == 404
