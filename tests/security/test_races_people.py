"""One person in two plans, saved by each plan's PM at the same moment, as real concurrent requests
against a live server on PostgreSQL: one save is kept, the other refused showing it, and saving
the refused form again keeps both changes. Before the person carried a version, the later save
put the person's old details back (each plan locks only its own row)."""
import re

import pytest

from stakeholders.models import Stakeholder
from tests.factories import PlanFactory, PlanStakeholderFactory, StakeholderFactory
from tests.security.live import at_once, form_with
from tests.security.test_races import assert_no_database_text

pytestmark = pytest.mark.django_db(transaction=True)

STALE_PERSON = "Someone else changed this person&#x27;s details while you were editing them"
CHANGES = {"owner": ("phone", "222"), "bo": ("role", "商务总监")}


@pytest.fixture
def shared_person(team):
    """李雷 in the team's plan (Olga's) and in a second plan that Bo runs: name → his row's edit URL."""
    plan_b = PlanFactory(name="第二个计划", product=team.plan.product, workspace=team.plan.workspace,
                         owner=team.people["bo"], start_date=team.plan.start_date)
    person = StakeholderFactory(name="李雷", workspace=team.plan.workspace, organisation="MTP 厂商", role="商务",
                                phone="111")
    urls = {}
    for name, plan in (("owner", team.plan), ("bo", plan_b)):
        member = PlanStakeholderFactory(plan=plan, stakeholder=person, position=0)
        urls[name] = f"/plans/{plan.pk}/stakeholders/{member.pk}/edit/"
    return person, urls


def test_two_plans_pms_saving_one_person_at_once_one_is_saved_the_other_refused_and_nothing_lost(
        team, shared_person):
    person, urls = shared_person
    browsers = {name: team.browsers[name] for name in urls}
    for attempt in range(3):
        person.refresh_from_db()
        start = {"phone": person.phone, "role": person.role, "version": person.version}
        forms = {}
        for name, browser in browsers.items():
            status, body = browser.htmx(urls[name])
            assert status == 200, body[:500]
            forms[name] = form_with(body, "person_version")
            assert forms[name]["person_version"] == str(start["version"])
            field, value = CHANGES[name]
            forms[name][field] = f"{value} {attempt}"
        answers = at_once({name: (lambda name=name: browsers[name].htmx(urls[name], forms[name]))
                           for name in browsers})

        statuses = {name: answer.status for name, answer in answers.items()}
        assert sorted(statuses.values()) == [200, 422], statuses
        for answer in answers.values():
            assert_no_database_text(answer.body)
        winner = next(name for name, status in statuses.items() if status == 200)
        loser = "bo" if winner == "owner" else "owner"
        won_field, won_value = CHANGES[winner][0], f"{CHANGES[winner][1]} {attempt}"
        lost_field, lost_value = CHANGES[loser][0], f"{CHANGES[loser][1]} {attempt}"

        # The refusal names who changed what, and keeps the loser's own input in the form.
        refused = answers[loser].body
        assert STALE_PERSON in refused, refused[:3000]
        assert f"Changed by {team.people[winner].first_name} Tester" in refused
        assert re.search(r"<ins>[^<]*" + re.escape(won_value), refused), refused[:3000]
        again = form_with(refused, "person_version")
        assert again[lost_field] == lost_value and again[won_field] == won_value
        assert again["person_version"] == str(start["version"] + 1)

        person.refresh_from_db()
        assert getattr(person, won_field) == won_value
        assert getattr(person, lost_field) == start[lost_field]
        assert person.version == start["version"] + 1

        # Saving the refused form again applies the loser's change over the winner's: nothing lost.
        status, body = browsers[loser].htmx(urls[loser], again)
        assert status == 200, body[:1500]
        person.refresh_from_db()
        assert (getattr(person, won_field), getattr(person, lost_field)) == (won_value, lost_value)
        assert person.version == start["version"] + 2
        assert Stakeholder.history.filter(id=person.pk).count() == 1 + 2 * (attempt + 1)
