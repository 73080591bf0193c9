"""Saves of the collaboration and joint-debugging pages at the same moment, as real concurrent
requests against a live server on PostgreSQL: one is saved (and rolled up, or notified), the other
is refused showing it, and nothing is half-written."""
import pytest

from interfaces.models import JointTest
from notifications.models import Notification
from tests.factories import CommentFactory, InterfaceFactory, PASSWORD, TaskFactory
from tests.security.live import Browser, at_once, form_with
from tests.security.test_races import assert_no_database_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_saves_of_one_cell_at_once_one_is_saved_and_rolled_up_the_other_refused(team):
    plan = team.plan
    task = TaskFactory(plan=plan, title="双方联调", duration=3)
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


def test_an_author_saving_one_comment_from_two_tabs_at_once_keeps_one_text_and_one_mention(team):
    plan = team.plan
    comment = CommentFactory(workspace=plan.workspace, plan=plan, author=team.people["anna"], body="初稿")
    tabs = {"mentions": team.browsers["anna"], "plain": Browser(team.url, follow=False)}
    assert tabs["plain"].log_in("anna", PASSWORD)[0] == 302
    url = f"/plans/{plan.pk}/comments/{comment.pk}/edit/"
    forms = {}
    for name, body in (("mentions", "请 @bo 看一下"), ("plain", "改过的第二稿")):
        status, page = tabs[name].htmx(url)
        assert status == 200, page[:500]
        forms[name] = form_with(page, "version")
        forms[name]["body"] = body
    answers = at_once({name: (lambda name=name: tabs[name].htmx(url, forms[name])) for name in tabs})

    statuses = {name: answer.status for name, answer in answers.items()}
    assert sorted(statuses.values()) == [200, 422], statuses
    for answer in answers.values():
        assert_no_database_text(answer.body)
    winner = next(name for name, status in statuses.items() if status == 200)
    comment.refresh_from_db()
    assert comment.body == forms[winner]["body"] and comment.version == 2
    told = Notification.objects.filter(recipient=team.people["bo"], kind=Notification.Kind.MENTION).count()
    assert told == (1 if winner == "mentions" else 0)
