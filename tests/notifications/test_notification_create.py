"""An inbox item reaches only someone who may read what it is about, once per key, never about
one's own change."""
from notifications.models import Notification
from notifications.services import notification_create
from tests.factories import UserFactory, WorkspaceFactory


def test_a_reader_of_the_plan_gets_the_item(plan, pm, manager):
    item = notification_create(recipient=manager, kind=Notification.Kind.MENTION, workspace=plan.workspace,
                               actor=pm, plan=plan)
    assert item is not None and list(manager.notifications.all()) == [item]


def test_nobody_is_told_about_their_own_change(plan, pm):
    assert notification_create(recipient=pm, kind=Notification.Kind.ASSIGNED, workspace=plan.workspace,
                               actor=pm, plan=plan) is None
    assert not Notification.objects.exists()


def test_someone_who_cannot_read_the_plan_gets_nothing(plan, pm):
    outsider = UserFactory(workspace=WorkspaceFactory(name="另一个团队"))
    colleague_not_on_the_plan = UserFactory()  # a PM of the same team, neither owner, editor nor viewer
    for user in (outsider, colleague_not_on_the_plan):
        assert notification_create(recipient=user, kind=Notification.Kind.MENTION, workspace=plan.workspace,
                                   actor=pm, plan=plan) is None
    assert not Notification.objects.exists()


def test_a_dedupe_key_gives_one_item(plan, pm, manager):
    for _ in range(2):
        notification_create(recipient=manager, kind=Notification.Kind.OVERDUE, workspace=plan.workspace,
                            plan=plan, dedupe_key="overdue:task-7:2026-12-05")
    assert manager.notifications.count() == 1
