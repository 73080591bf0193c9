"""The provisional-holidays mark (scheduling.holiday_notes + includes/holiday_notes.html) on every
page and export that shows a plan's dates, and its disappearance once staff enter the year's official
schedule on the Holidays page, which reschedules the plan (its dates move)."""
import datetime
import io
import re
import subprocess

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from notifications import services as notifications
from notifications.models import NotificationLog
from portfolio.reports import build_report_pdf
from schedule import scheduling
from schedule.models import Task, Visibility
from sharing import links
from sharing.exchange.excel import export_workbook
from sharing.exports import build_gantt_pdf
from sharing.models import ShareLink
from stakeholders.models import PlanStakeholder
from tests.factories import PlanStakeholderFactory, StakeholderFactory, TaskFactory, UserFactory

D = datetime.date
MARK = "are provisional — no 调休 make-up days yet"
# Spring Festival 2030 as a notice would put it (2030's is years away: the dates are made up).
OFFICIAL_2030 = "二、春节：2月2日（周六）至8日（周五）放假调休，共7天。1月26日（周六）、2月16日（周六）上班。"
TUESDAY = D(2030, 2, 12)  # a working day either way, after the holiday


@pytest.fixture
def festival_plan(plan, django_user_model):
    """A plan across Spring Festival 2030: a 10-day task shared with the partner, owned by an
    account holder, and a manager in its management audience."""
    plan.start_date = D(2030, 1, 28)
    plan.save()
    owner_user = UserFactory(username="lei", email="lei@example.com")
    director = UserFactory(username="director", email="director@example.com")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李雷", user=owner_user))
    PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="王总", user=director),
                                   audience=PlanStakeholder.Audience.MANAGEMENT)
    TaskFactory(plan=plan, title="春节前后联调", duration=10, owner=owner, visibility=Visibility.SHARED,
                        deadline=D(2030, 2, 13))
    scheduling.recompute(plan)
    return plan


def enter_official_2030():
    staff = UserFactory(username="ops", is_staff=True)
    client = Client()
    client.force_login(staff)
    preview = client.post("/holidays/2030/", {"text": OFFICIAL_2030, "action": "preview"})
    fingerprint = re.search(r'name="checked" value="([0-9a-f]+)"', preview.content.decode()).group(1)
    response = client.post("/holidays/2030/", {"text": OFFICIAL_2030, "action": "save", "checked": fingerprint})
    assert response.status_code == 302


def page(path):
    def read(plan, client, day):
        response = client.get(path.format(pk=plan.pk))
        assert response.status_code == 200
        return response.content.decode()
    return read


def shared(audience):
    def read(plan, client, day):
        _link, token = links.create_link(plan, audience=audience)
        response = Client().get(links.share_path(token) + "?lang=en")
        assert response.status_code == 200
        return response.content.decode()
    return read


def pdf(plan, client, day, tmp_path=None):
    data, _pages = build_gantt_pdf(plan, language="en")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def excel(plan, client, day):
    with translation.override("en"):
        book = load_workbook(io.BytesIO(export_workbook(plan)))
    sheet, columns = book.worksheets[0], book.worksheets[1]
    time_header = next(cell for cell in sheet[1] if cell.value == "Time")
    return " ".join(filter(None, [time_header.comment.text if time_header.comment else "",
                                  *(str(cell.value) for row in columns.iter_rows() for cell in row if cell.value)]))


def email(send):
    def read(plan, client, day):
        before = len(mail.outbox)
        NotificationLog.objects.all().delete()  # the same day again: what the email says now
        send(day)
        [message] = mail.outbox[before:]
        html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
        assert (MARK in message.body) == (MARK in html), "the text and HTML parts agree"
        return message.body + html
    return read


def portfolio_excel(plan, client, day):
    response = client.get("/portfolio/export.xlsx?lang=en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)


def portfolio_pdf(plan, client, day):
    data, _pages = build_report_pdf(plan.owner, "", "en")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def my_work_of(plan, user, title):
    """My work of ``user``, who owns the plan's task ``title`` and reads the plan."""
    plan.viewers.add(user)
    reader = Client()
    reader.force_login(user)
    response = reader.get("/my-work/")
    assert response.status_code == 200 and title in response.content.decode()
    return response.content.decode()


def my_work(plan, client, day):
    return my_work_of(plan, Task.objects.get(plan=plan).owner.stakeholder.user, "春节前后联调")


from django.core import mail  # noqa: E402 - read by email() at call time

READERS = {
    "overview": page("/plans/{pk}/"),
    "checklist": page("/plans/{pk}/checklist/"),
    "gantt": page("/plans/{pk}/gantt/"),
    "schedule": page("/plans/{pk}/schedule/"),
    "priorities": page("/plans/{pk}/priorities/"),
    "share-partner": shared(ShareLink.Audience.PARTNER),
    "share-management": shared(ShareLink.Audience.MANAGEMENT),
    "gantt-pdf": pdf,
    "excel": excel,
    "portfolio": page("/portfolio/"),
    "portfolio-timeline": page("/portfolio/timeline/"),
    "portfolio-workload": page("/portfolio/workload/?start=2030-01-28"),
    "portfolio-excel": portfolio_excel,
    "portfolio-pdf": portfolio_pdf,
    "my-work": my_work,
    "daily-reminder": email(lambda day: notifications.send_daily_reminders(day)),
    "weekly-digest": email(lambda day: notifications.send_weekly_digests(day)),
}


@pytest.mark.parametrize("where", list(READERS))
def test_the_mark_shows_until_the_official_year_is_entered(where, festival_plan, pm_client):
    read = READERS[where]
    before = read(festival_plan, pm_client, TUESDAY)
    assert f"Holidays in 2030 {MARK}" in before
    finish = festival_plan.tasks.get().early_finish

    enter_official_2030()

    after = read(festival_plan, pm_client, TUESDAY)
    assert MARK not in after and "provisional" not in after.lower()
    # The save rescheduled the plan: Fri 02-08 is off in the official schedule (not in the
    # provisional one), and the make-up Saturday 02-16 counts for work rescheduled from 02-12
    # (the emails' day).
    assert festival_plan.tasks.get().early_finish != finish


def test_the_checklist_shows_the_moved_dates(festival_plan, pm_client):
    assert "2030-02-14" in pm_client.get(f"/plans/{festival_plan.pk}/checklist/").content.decode()
    enter_official_2030()
    body = pm_client.get(f"/plans/{festival_plan.pk}/checklist/").content.decode()
    assert "2030-02-15" in body and "2030-02-14" not in body


def test_the_mark_in_chinese_links_staff_to_the_year(festival_plan, client):
    staff = UserFactory(username="ops", is_staff=True)
    festival_plan.viewers.add(staff)
    client.force_login(staff)
    body = client.get(f"/plans/{festival_plan.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2030 年节假日为暂定" in body and "尚无调休补班" in body
    assert 'href="/holidays/2030/"' in body


def test_a_plan_within_official_years_has_no_mark(plan, pm_client):
    TaskFactory(plan=plan, title="文档", duration=5)
    assert scheduling.holiday_notes(plan) == []
    assert 'class="panel warn-banner holiday-note"' not in pm_client.get(f"/plans/{plan.pk}/").content.decode()


def test_the_portfolio_marks_the_forecast_dates_counted_across_a_provisional_year(festival_plan, pm_client):
    def launch_cell():
        body = pm_client.get("/portfolio/").content.decode()
        row = re.search(rf'<tr data-plan="{festival_plan.pk}">(.*?)</tr>', body, re.S).group(1)
        return re.search(r'<td class="launch">(.*?)</td>', row, re.S).group(1)

    assert 'class="holiday-mark"' in launch_cell()
    enter_official_2030()
    assert launch_cell() == festival_plan.tasks.get().early_finish.isoformat()


def test_the_portfolio_and_my_work_of_plans_within_official_years_have_no_mark(plan, pm_client):
    lei = UserFactory(username="lei")
    owner = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(name="李雷", user=lei))
    TaskFactory(plan=plan, title="文档", duration=5, owner=owner)
    scheduling.recompute(plan)
    assert scheduling.holiday_notes(plan) == []
    table = pm_client.get("/portfolio/").content.decode()
    assert f'<tr data-plan="{plan.pk}">' in table
    pages = [table, pm_client.get("/portfolio/timeline/").content.decode(),
             pm_client.get("/portfolio/workload/?start=2026-09-01").content.decode(),
             portfolio_excel(plan, pm_client, None), portfolio_pdf(plan, pm_client, None),
             my_work_of(plan, lei, "文档")]
    for body in pages:
        assert "provisional" not in body.lower() and 'class="holiday-mark"' not in body
