"""The Holidays page (staff only): each year's state, pasting a year's official schedule, checking
what was understood, saving it (which reschedules the plans running through it)."""
import datetime
import re

import pytest
from django.test import Client

from onboarding.models import Plan
from schedule import scheduling
from schedule.models import OfficialHolidayYear
from tests.factories import OfficialHolidayYearFactory, PlanFactory, TaskFactory, UserFactory

D = datetime.date
NOTICE_2030 = """一、元旦：1月1日（周二）放假，共1天。
二、春节：2月2日（农历除夕、周六）至8日（农历正月初六、周五）放假调休，共7天。1月26日（周六）、2月16日（周六）上班。
"""


@pytest.fixture
def staff(db):
    return UserFactory(username="ops", password="ops-pass-123", is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def festival_plans(product, pm):
    """Two plans across Spring Festival 2030 and one that ends in 2026."""
    plans = []
    for name, start in (("跨春节 A", D(2030, 1, 28)), ("跨春节 B", D(2030, 1, 21)), ("今年收尾", D(2026, 9, 1))):
        plan = PlanFactory(name=name, product=product, owner=pm, start_date=start, status=Plan.Status.ACTIVE)
        TaskFactory(plan=plan, title="联调", duration=10)
        scheduling.recompute(plan)
        plans.append(plan)
    return plans


def checked(response):
    return re.search(r'name="checked" value="([0-9a-f]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("method, url", [("get", "/holidays/"), ("get", "/holidays/2030/"),
                                         ("post", "/holidays/2030/"), ("post", "/holidays/2030/delete/")])
def test_people_who_are_not_staff_are_refused(pm_client, manager, client, method, url):
    assert getattr(pm_client, method)(url, {"text": "2030-02-04 holiday", "action": "save"}).status_code == 403
    client.force_login(manager)  # managers read every plan, but holidays move every plan: staff only
    assert getattr(client, method)(url).status_code == 403
    assert not OfficialHolidayYear.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/holidays/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_menu_shows_holidays_to_staff_only(staff, pm):
    for user, shown in ((staff, True), (pm, False)):
        client = Client()
        client.force_login(user)
        assert ('href="/holidays/"' in client.get("/plans/").content.decode()) is shown


def test_the_list_shows_each_years_state_and_plans(staff_client, festival_plans):
    OfficialHolidayYearFactory(year=2029, holidays=["2029-01-01"], note="国办发明电〔2028〕1号")
    body = staff_client.get("/holidays/").content.decode()
    rows = dict(re.findall(r'<tr id="year-(\d+)" data-state="(\w+)">', body))
    assert rows["2026"] == "official_package" and rows["2029"] == "official_entered"
    assert rows["2030"] == "provisional" and rows["2027"] == "provisional"
    row_2030 = body[body.index('id="year-2030"'):]
    row_2030 = row_2030[:row_2030.index("</tr>")]
    assert "Provisional — no 调休 make-up days yet" in row_2030
    assert re.search(r"<td>2</td>", row_2030), "two plans run through 2030"
    assert "国办发明电〔2028〕1号" in body


def test_a_year_outside_the_calendar_is_404(staff_client):
    assert staff_client.get("/holidays/2101/").status_code == 404
    assert staff_client.get("/holidays/1999/").status_code == 404
    response = staff_client.get("/holidays/?year=3000", follow=True)
    assert "Enter a year from 2000 to 2100." in response.content.decode()
    assert staff_client.get("/holidays/?year=2030")["Location"] == "/holidays/2030/"


def test_check_shows_what_was_understood_then_save_reschedules(staff_client, festival_plans):
    page = staff_client.get("/holidays/2030/").content.decode()
    assert "Provisional — no 调休 make-up days yet" in page
    assert "2030-02-02 (Sat) – 2030-02-07 (Thu) · 6 days off" in page  # as counted now (python-holidays)

    preview = staff_client.post("/holidays/2030/", {"text": NOTICE_2030, "note": "国办发明电〔2029〕7号",
                                                    "action": "preview"})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "What was understood" in body
    assert "2030-02-02 (Sat) – 2030-02-08 (Fri) · 7 days off" in body
    assert "2030-01-26 (Sat) · 1 make-up working day" in body
    assert "In all: 8 days off, 2 make-up working days." in body
    assert "reschedules 2 plans running through it" in body
    assert not OfficialHolidayYear.objects.exists(), "checking saves nothing"

    before = {plan.pk: plan.tasks.get().early_finish for plan in festival_plans}
    response = staff_client.post("/holidays/2030/", {"text": NOTICE_2030, "note": "国办发明电〔2029〕7号",
                                                     "action": "save", "checked": checked(preview)}, follow=True)
    assert response.redirect_chain[-1][0] == "/holidays/"
    body = response.content.decode()
    assert "2030 official schedule saved: 8 days off, 2 make-up working days. 2 plans rescheduled." in body
    assert 'id="year-2030" data-state="official_entered"' in body
    row = OfficialHolidayYear.objects.get(year=2030)
    assert row.makeup_workdays == ["2030-01-26", "2030-02-16"] and row.note == "国办发明电〔2029〕7号"
    after = {plan.pk: plan.tasks.get().early_finish for plan in festival_plans}
    # 跨春节 A: Jan 28–Feb 1 (5), Feb 11–15 (5): Fri 02-08 is off too in the official schedule.
    assert (before[festival_plans[0].pk], after[festival_plans[0].pk]) == (D(2030, 2, 14), D(2030, 2, 15))
    assert after[festival_plans[2].pk] == before[festival_plans[2].pk]  # 2026 only: not touched


def test_errors_name_the_line_and_nothing_is_saved(staff_client, festival_plans):
    response = staff_client.post("/holidays/2030/", {"text": "2030-02-04 holiday\n2月30日 放假\n2030-02-06 上班",
                                                     "action": "save"})
    assert response.status_code == 422
    body = response.content.decode()
    # every error at once, in line order
    assert body.index("Line 2: “2月30日” is not a date.") < body.index(
        "Line 3: 2030-02-06 is a Wednesday: a make-up working day (调休上班) is a Saturday or Sunday.")
    assert not OfficialHolidayYear.objects.exists()


def test_a_text_changed_after_checking_is_checked_again(staff_client, festival_plans):
    preview = staff_client.post("/holidays/2030/", {"text": NOTICE_2030, "action": "preview"})
    response = staff_client.post("/holidays/2030/", {"text": NOTICE_2030 + "2030-10-01 放假\n", "action": "save",
                                                     "checked": checked(preview)})
    assert response.status_code == 200
    assert "The text changed since it was checked" in response.content.decode()
    assert not OfficialHolidayYear.objects.exists()


def test_an_entered_year_can_be_edited_and_removed(staff_client, festival_plans):
    OfficialHolidayYearFactory(year=2030, holidays=["2030-02-04"], makeup_workdays=["2030-02-16"])
    page = staff_client.get("/holidays/2030/").content.decode()
    assert "2030-02-04 holiday\n2030-02-16 workday" in page  # the form holds it, ready to edit
    response = staff_client.post("/holidays/2030/delete/", HTTP_HX_REQUEST="true")  # after hx-confirm
    assert response["HX-Redirect"] == "/holidays/"
    assert "The entered 2030 schedule was removed. 2 plans rescheduled." in staff_client.get("/holidays/").content.decode()
    assert not OfficialHolidayYear.objects.exists()
    assert festival_plans[0].tasks.get().early_finish == D(2030, 2, 14)  # the provisional days again


def test_the_page_in_chinese(staff_client, festival_plans):
    body = staff_client.get("/holidays/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "节假日" in body and "暂定" in body
