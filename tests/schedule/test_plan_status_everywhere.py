"""One plan status: the Overview, Schedule, both share pages, the Gantt PDF header and the weekly
digest show the same forecast launch and health for every demo plan (schedule/selectors.py)."""
import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.services import build_weekly_digest, plan_digest, render_email
from onboarding.models import Plan
from schedule.selectors import plan_status
from sharing.exports import build_gantt_pdf
from sharing.models import ShareLink

DSGC = "数据安全治理中心 DSGC · 江南城商行合规项目"
DATE = r"(\d{4}-\d{2}-\d{2}|—)"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    return list(Plan.objects.order_by("pk"))


def page_shows(body):
    """(forecast launch, health label) as the page shows them."""
    launch = re.search(rf'id="forecast-launch">{DATE}<', body).group(1)
    health = re.search(r'id="plan-health">([^<]+)<', body).group(1).strip()
    return launch, health


def pdf_shows(plan, tmp_path):
    data, _pages = build_gantt_pdf(plan, language="en")
    path = tmp_path / f"{plan.pk}.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, check=True, text=True).stdout
    match = re.search(rf"Forecast launch {DATE} \(([^)]+)\)", " ".join(text.split()))
    return match.group(1), match.group(2)


def digest_shows(plan, user, today):
    subject, context = build_weekly_digest(user, [plan_digest(plan, today)], today)
    text, _html = render_email("weekly_digest", subject, context, "en")
    match = re.search(rf"Forecast launch: {DATE}.*? · ([A-Za-z ]+)\n", text)
    return match.group(1), match.group(2).strip()


def test_every_page_export_and_email_agree_on_launch_and_health(demo, client, tmp_path):
    today = timezone.localdate()
    for plan in demo:  # each demo plan read by its owner (pm's team, or pm2's)
        pm = plan.owner
        client.force_login(pm)
        status = plan_status(plan)
        expected = (status.forecast_launch.isoformat(), status.health_label)
        _link, partner = ShareLink.create(plan=plan, audience="partner")
        _link, management = ShareLink.create(plan=plan, audience="management")
        seen = {
            "overview": page_shows(client.get(f"/plans/{plan.pk}/").content.decode()),
            "schedule": page_shows(client.get(f"/plans/{plan.pk}/schedule/").content.decode()),
            "management page": page_shows(client.get(f"/s/{management}/?lang=en").content.decode()),
            "pdf": pdf_shows(plan, tmp_path),
            "digest": digest_shows(plan, pm, today),
        }
        assert seen == dict.fromkeys(seen, expected), plan.name
        # The partner reads the launch, not the internal health label.
        partner_page = client.get(f"/s/{partner}/?lang=en").content.decode()
        assert re.search(rf'id="forecast-launch">{DATE}<', partner_page).group(1) == expected[0], plan.name
        assert 'id="plan-health"' not in partner_page


def test_the_dsgc_launch_is_its_go_live_milestone_not_the_last_task(demo):
    plan = Plan.objects.get(name=DSGC)
    status = plan_status(plan)
    launch = plan.tasks.get(title="正式上线")
    assert status.launch_source == "milestone" and status.launch_id == launch.pk
    assert status.forecast_launch == launch.early_finish
    last_finish = max(task.early_finish for task in plan.tasks.all())
    assert last_finish > status.forecast_launch  # the operations work after the launch does not count
