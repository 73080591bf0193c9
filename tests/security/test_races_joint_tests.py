"""Two testers saving the same joint-test cell at the same moment, as real concurrent requests
against a live server on PostgreSQL: one result is saved and rolled up into the 联调 task, the
other is refused showing it, and nothing is half-written."""
import pytest

from interfaces.models import JointTest
from schedule.models import Task
from tests.factories import InterfaceFactory
from tests.security.live import at_once, form_with
from tests.security.test_races import assert_no_database_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_saves_of_one_cell_at_once_one_is_saved_and_rolled_up_the_other_refused(team):
    plan = team.plan
    task = Task.objects.create(plan=plan, title="双方联调", duration=3)
    interface = InterfaceFactory(product=plan.product, method="POST", path="/v1/instances")
    interface.tasks.add(task)
    url = f"/interfaces/{interface.pk}/joint-tests/sandbox/"
    forms = {}
    for name, status in (("anna", "passed"), ("bo", "failed")):
        answer, body = team.browsers[name].htmx(url)
        assert answer == 200, body[:500]
        forms[name] = form_with(body, "version")
        forms[name]["status"] = status
    answers = at_once({name: (lambda name=name: team.browsers[name].htmx(url, forms[name])) for name in forms})

    statuses = {name: answer.status for name, answer in answers.items()}
    assert sorted(statuses.values()) == [200, 422], statuses
    for answer in answers.values():
        assert_no_database_text(answer.body)
    winner = next(name for name, status in statuses.items() if status == 200)
    loser = "bo" if winner == "anna" else "anna"
    assert "Someone else changed this while you were editing it" in answers[loser].body

    cell = JointTest.objects.get(interface=interface, environment="sandbox")
    assert cell.status == forms[winner]["status"] and cell.version == 1
    assert cell.history.count() == 1  # the refused save left no record
    task.refresh_from_db()
    assert task.percent_complete == (33 if winner == "anna" else 0)
