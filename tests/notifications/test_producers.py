"""Task writes tell the owners: a task given to someone, someone's tasks moved by someone else;
the daily run tells them what is due soon or overdue, once a day."""
import datetime

from django.core import mail

from notifications.inbox import describe
from notifications.models import Notification
from notifications.services import send_daily_reminders
from schedule.models import Task
from schedule.services import plan_reschedule
from tests.factories import NotificationPreferenceFactory, TaskFactory, TaskLinkFactory

from .conftest import WEDNESDAY, member, task

BULK = "/plans/{}/checklist/bulk/"


def give(client, plan, tasks, owner):
    return client.post(BULK.format(plan.pk), {"action": "owner", "owner": owner.pk if owner else "",
                                              "task": [f"{t.pk}:{Task.objects.get(pk=t.pk).version}" for t in tasks]})


def test_giving_a_task_tells_the_new_owner_once(pm_client, plan, lei, lei_owner,
                                                django_capture_on_commit_callbacks):
    plan.editors.add(lei)
    lei.email = "lei@example.com"
    lei.save()
    job = task(plan, "提供测试账号")
    with django_capture_on_commit_callbacks(execute=True):
        give(pm_client, plan, [job], lei_owner)
    item = Notification.objects.get(recipient=lei)
    assert item.kind == Notification.Kind.ASSIGNED and item.task_id == job.pk and item.actor.username == "pm"
    assert describe(item) == "Pat gave you the task 提供测试账号 in MTP 接入"
    assert [m.to for m in mail.outbox] == [["lei@example.com"]], "the assignment is emailed too"
    assert "提供测试账号" in mail.outbox[0].subject
    body = mail.outbox[0].body
    assert f"/plans/{plan.pk}/tasks/{job.pk}/detail/" in body and "/notifications/" in body and "/inbox/" in body
    html = mail.outbox[0].alternatives[0][0]
    assert "Pat gave you the task 提供测试账号 in MTP 接入" in html
    assert Notification.objects.get(recipient=lei).emailed_at is not None

    give(pm_client, plan, [job], lei_owner)  # the same owner again: nothing new
    assert Notification.objects.filter(recipient=lei).count() == 1


def test_several_tasks_given_at_once_make_one_item(pm_client, plan, lei, lei_owner):
    plan.editors.add(lei)
    jobs = [task(plan, f"任务 {n}") for n in range(3)]
    give(pm_client, plan, jobs, lei_owner)
    item = Notification.objects.get(recipient=lei)
    assert describe(item) == "Pat gave you 3 tasks in MTP 接入: 任务 0、任务 1、任务 2"


def test_nobody_is_told_about_giving_a_task_to_themselves(pm_client, plan, pm):
    me = member(plan, "Pat", user=pm)
    give(pm_client, plan, [task(plan, "自己的任务")], me)
    assert not Notification.objects.exists()


def test_an_owner_without_an_account_or_access_gets_nothing(pm_client, plan):
    outsider = member(plan, "厂商联系人")  # a person with no account
    give(pm_client, plan, [task(plan, "对接")], outsider)
    assert not Notification.objects.exists()


def test_moving_my_task_tells_me_from_and_to(pm_client, plan, lei, lei_owner):
    plan.editors.add(lei)
    first = task(plan, "联调测试", duration=2)
    mine = task(plan, "上线", owner=lei_owner, duration=1)
    TaskLinkFactory(predecessor=first, successor=mine)
    plan_reschedule(plan=plan)
    mine.refresh_from_db()
    before = (mine.early_start, mine.early_finish)
    response = pm_client.post(BULK.format(plan.pk), {"action": "shift", "shift_days": "3",
                                                     "task": [f"{first.pk}:{Task.objects.get(pk=first.pk).version}"]})
    assert response.status_code in (200, 302)
    mine.refresh_from_db()
    assert (mine.early_start, mine.early_finish) != before
    item = Notification.objects.get(recipient=lei)
    assert item.kind == Notification.Kind.RESCHEDULED and item.task_id == mine.pk
    assert describe(item) == (f"Pat moved your task 上线 from {before[0].isoformat()} to "
                              f"{mine.early_start.isoformat()} in MTP 接入")


def test_my_own_edit_does_not_tell_me(client, plan, lei, lei_owner):
    plan.editors.add(lei)
    client.force_login(lei)
    first = task(plan, "联调测试", duration=2, owner=lei_owner)
    mine = task(plan, "上线", owner=lei_owner, duration=1)
    TaskLinkFactory(predecessor=first, successor=mine)
    plan_reschedule(plan=plan)
    client.post(BULK.format(plan.pk), {"action": "shift", "shift_days": "3",
                                       "task": [f"{first.pk}:{Task.objects.get(pk=first.pk).version}"]})
    assert not Notification.objects.exists()


def test_a_move_tells_only_the_owner_of_the_moved_task(pm_client, plan, lei, lei_owner):
    from tests.factories import UserFactory

    colleague = UserFactory(username="han", first_name="韩梅梅")
    plan.editors.add(lei, colleague)
    member(plan, "韩梅梅", user=colleague)
    first = task(plan, "联调测试", duration=2)
    mine = task(plan, "上线", owner=lei_owner, duration=1)
    TaskLinkFactory(predecessor=first, successor=mine)
    plan_reschedule(plan=plan)
    pm_client.post(BULK.format(plan.pk), {"action": "shift", "shift_days": "2",
                                          "task": [f"{first.pk}:{Task.objects.get(pk=first.pk).version}"]})
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["lei"]


def test_turned_off_in_the_app_and_by_email_nothing_is_made(pm_client, plan, lei, lei_owner,
                                                            django_capture_on_commit_callbacks):
    plan.editors.add(lei)
    lei.email = "lei@example.com"
    lei.save()
    NotificationPreferenceFactory(user=lei, app_assigned=False, email_assigned=False)
    with django_capture_on_commit_callbacks(execute=True):
        give(pm_client, plan, [task(plan, "提供测试账号")], lei_owner)
    assert not Notification.objects.exists() and not mail.outbox


def test_email_only_when_the_app_is_off(pm_client, plan, lei, lei_owner, django_capture_on_commit_callbacks):
    plan.editors.add(lei)
    lei.email = "lei@example.com"
    lei.save()
    NotificationPreferenceFactory(user=lei, app_assigned=False, email_assigned=True, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        give(pm_client, plan, [task(plan, "提供测试账号")], lei_owner)
    assert not Notification.objects.exists()
    assert len(mail.outbox) == 1 and "Pat 在「MTP 接入」中给了你任务「提供测试账号」" in mail.outbox[0].subject, "in the recipient's language"


def test_due_soon_items_are_made_once_a_day(plan, lei, lei_owner):
    plan.editors.add(lei)
    TaskFactory(plan=plan, title="合规审核", owner=lei_owner, deadline=WEDNESDAY)
    TaskFactory(plan=plan, title="计费", owner=lei_owner, deadline=WEDNESDAY - datetime.timedelta(days=2))
    for _ in range(2):
        send_daily_reminders(WEDNESDAY)
    items = {describe(item) for item in Notification.objects.filter(recipient=lei)}
    assert items == {"Your task 合规审核 in MTP 接入 is due today (2026-09-30)",
                     "Your task 计费 in MTP 接入 is 2 working days overdue (due 2026-09-28)"}


def test_due_items_follow_the_app_preference(plan, lei, lei_owner):
    plan.editors.add(lei)
    NotificationPreferenceFactory(user=lei, app_due=False)
    TaskFactory(plan=plan, title="合规审核", owner=lei_owner, deadline=WEDNESDAY - datetime.timedelta(days=2))
    send_daily_reminders(WEDNESDAY)
    assert not Notification.objects.exists()


def test_a_new_plan_start_moves_my_tasks_and_tells_me_once(plan, lei, lei_owner):
    from onboarding.models import Plan
    from onboarding.services import plan_update
    from schedule.services import plan_reschedule

    plan.editors.add(lei)
    task(plan, "联调测试", owner=lei_owner, duration=2)
    task(plan, "上线", owner=lei_owner, duration=1)
    plan_reschedule(plan=plan)
    plan = Plan.objects.get(pk=plan.pk)
    plan.start_date = max(plan.start_date, datetime.date.today()) + datetime.timedelta(days=60)
    plan_update(plan=plan, version=plan.version)
    item = Notification.objects.get(recipient=lei)
    assert item.kind == Notification.Kind.RESCHEDULED
    assert describe(item).startswith("Someone moved 2 of your tasks in MTP 接入: 联调测试 ")


def test_tasks_scheduled_for_the_first_time_are_not_news(pm_client, plan, lei, lei_owner):
    """A task that had no dates yet (a new plan, the demo's first schedule) did not move."""
    plan.editors.add(lei)
    first = task(plan, "联调测试", duration=2)
    mine = task(plan, "上线", owner=lei_owner, duration=1)
    TaskLinkFactory(predecessor=first, successor=mine)
    assert Task.objects.get(pk=mine.pk).early_start is None
    pm_client.post(BULK.format(plan.pk), {"action": "shift", "shift_days": "2",
                                          "task": [f"{first.pk}:{Task.objects.get(pk=first.pk).version}"]})
    assert Task.objects.get(pk=mine.pk).early_start is not None
    assert not Notification.objects.filter(kind=Notification.Kind.RESCHEDULED).exists()
