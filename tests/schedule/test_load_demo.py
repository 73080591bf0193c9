"""manage.py load_demo: a deep, valid, idempotent demo."""
import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.management import call_command

from onboarding.models import Plan, Scenario, WorkspaceMember
from schedule.demo_data import OTHER_TEAM, TEAM
from schedule.models import Task, TaskLink
from stakeholders.models import PlanStakeholder, Stakeholder
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 30)
MTP = "手游安全 MTP ·《星河战纪》接入"
DSGC = "数据安全治理中心 DSGC · 江南城商行合规项目"
MEDICAL = "医疗影像云存储 · 区域远程会诊试点"
PHASES = ["官网介绍", "接口文档", "SDK/控制台集成", "联调测试", "计费", "安全合规审核", "上线", "运营"]


def load(today=TODAY):
    out = StringIO()
    call_command("load_demo", today=today, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row (with many-to-many values) of the apps the demo writes to."""
    models = [User, Group]
    for label in ("onboarding", "stakeholders", "schedule"):
        models += list(apps.get_app_config(label).get_models())
    return {
        model._meta.label: serializers.serialize("python", model.objects.order_by("pk")) for model in models
    }


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Six PBKDF2 rounds per load would dominate these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    return load()


def test_second_run_changes_nothing(demo):
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 400
    output = load()
    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before
    assert "nothing changed" in output


def test_a_later_run_keeps_the_first_days_dates(demo):
    before = snapshot()
    load(today=TODAY + datetime.timedelta(days=17))
    assert snapshot() == before


def test_dates_follow_the_day_of_first_load(db):
    load(today=datetime.date(2026, 6, 15))
    plan = Plan.objects.get(name=MTP)
    assert datetime.date(2026, 4, 20) < plan.start_date < datetime.date(2026, 6, 1)
    assert plan.target_launch_date > datetime.date(2026, 6, 15)


def test_every_row_is_valid(demo):
    for label in ("onboarding", "stakeholders", "schedule"):
        for model in apps.get_app_config(label).get_models():
            for obj in model.objects.all():
                obj.full_clean()


@pytest.mark.parametrize("name", [MTP, DSGC])
def test_main_plans_have_the_required_depth(demo, name):
    plan = Plan.objects.get(name=name)
    assert plan.owner.username == "pm"
    flow = plan.flows.get()
    assert flow.lanes.count() >= 5 and flow.steps.count() >= 8 and flow.metrics.count() >= 4
    assert all(metric.target for metric in flow.metrics.all())

    members = plan.plan_stakeholders.select_related("stakeholder")
    assert members.count() >= 8
    assert {m.stakeholder.side for m in members} == {"platform", "partner"}
    assert members.filter(stakeholder__side="partner").count() >= 3
    assert {m.audience for m in members} == {"team", "partner", "management"}
    assert len({(m.relevance, m.influence) for m in members}) >= 5
    assert all(m.concerns for m in members)
    assert members.filter(steps__isnull=False).distinct().count() >= 5
    assert members.exclude(internal_notes="").exists()

    tasks = plan.tasks.all()
    assert tasks.count() >= 25
    assert set(PHASES) <= set(tasks.values_list("phase__name", flat=True))
    assert not tasks.filter(owner__isnull=True).exists()
    assert tasks.filter(is_milestone=True, duration=0).count() >= 3
    assert tasks.filter(visibility="shared").exists() and tasks.filter(visibility="internal").exists()
    assert tasks.filter(watchouts__isnull=False).distinct().count() >= 20
    assert tasks.exclude(deadline=None).count() >= 3
    links = TaskLink.objects.filter(successor__plan=plan)
    assert links.count() >= 25
    assert {"FS", "SS", "FF"} <= set(links.values_list("type", flat=True))
    assert links.filter(lag__lt=0).exists() and links.filter(lag__gt=0).exists()


@pytest.mark.parametrize("name", [MTP, DSGC, MEDICAL])
def test_progress_is_mixed_and_consistent(demo, name):
    plan = Plan.objects.get(name=name)
    tasks = plan.tasks.all()
    done = tasks.filter(status=Task.Status.DONE)
    assert done.exists() and not done.exclude(percent_complete=100).exists()
    assert not done.filter(actual_start=None).exists() and not done.filter(actual_finish=None).exists()
    assert not done.filter(actual_finish__gt=TODAY).exists()
    started = tasks.filter(status__in=[Task.Status.IN_PROGRESS, Task.Status.BLOCKED])
    assert started.exists() and not started.filter(actual_start=None).exists()
    assert all(0 < task.percent_complete < 100 for task in started)
    assert tasks.filter(status=Task.Status.NOT_STARTED, actual_start=None, percent_complete=0).exists()
    late = tasks.filter(deadline__lt=TODAY).exclude(status=Task.Status.DONE)
    assert 1 <= late.count() <= 2
    # Nothing has started while a finish-to-start predecessor (without a lead) is unfinished.
    for link in TaskLink.objects.filter(successor__plan=plan, type="FS", lag__gte=0).select_related("predecessor", "successor"):
        if link.successor.status != Task.Status.NOT_STARTED:
            assert link.predecessor.status == Task.Status.DONE, link


def test_remote_medical_flow(demo):
    flow = Plan.objects.get(name=MEDICAL).flows.get()
    assert "医疗资源共享" in flow.need and "多学科会诊" in flow.need
    assert {"异地专家", "患者", "本地存储网关", "云", "CAS 归档存储", "COS 对象存储", "三维影像处理/觅影"} == set(
        flow.lanes.values_list("name", flat=True)
    )
    assert flow.steps.values("lane").distinct().count() == 7
    metrics = {m.name: m for m in flow.metrics.all()}
    for prefix in ("本地存储网关", "COS", "CAS"):
        assert sum(name.startswith(prefix) for name in metrics) >= 3
    assert metrics["COS · 数据持久性"].target == "99.999999999"
    assert metrics["CAS · 服务可用性"].unit == "%"
    plan = flow.plan
    assert plan.plan_stakeholders.count() >= 5 and plan.tasks.count() >= 8


def test_business_line_scenarios(demo):
    rows = {s.name: s for s in Scenario.objects.filter(name__in=["农村渠道", "校园渠道 (To A)", "校园渠道 (To B)", "保险渠道"])}
    assert len(rows) == 4
    assert rows["保险渠道"].channel_chain == ["保险代销持牌机构", "分支机构", "保代人", "用户"]
    assert rows["校园渠道 (To A)"].kind == Scenario.Kind.TO_A
    assert rows["校园渠道 (To B)"].kind == Scenario.Kind.TO_B
    for scenario in rows.values():
        assert len(scenario.channel_chain) >= 3
        assert scenario.channel_development and scenario.products_distributed
        assert scenario.business_model_notes and scenario.contact


def test_demo_accounts(demo, client):
    pm = User.objects.get(username="pm")
    assert pm.get_full_name() == "张伟"  # Chinese order: family name first, in one field
    assert Stakeholder.objects.get(user=pm).name == "张伟"
    assert PlanStakeholder.objects.filter(stakeholder__user=pm).count() == 3
    assert set(Stakeholder.objects.exclude(user=None).values_list("user__username", flat=True)) == {"pm", "pm2"}
    roles = set(WorkspaceMember.objects.values_list("workspace__name", "user__username", "role"))
    assert roles == {(TEAM, "pm", "pm"), (TEAM, "manager", "manager"), (TEAM, "admin", "admin"),
                     (OTHER_TEAM, "admin", "admin"), (OTHER_TEAM, "pm2", "pm")}
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert client.login(username="pm", password="paasport-pm")
    for username in ("pm", "manager", "admin", "pm2"):
        assert f"{username}" in demo and f"paasport-{username}" in demo
    assert "/accounts/login/" in demo


def test_the_second_team_sees_only_its_own_plan(demo, client):
    assert client.login(username="pm2", password="paasport-pm2")
    body = client.get("/plans/").content.decode()
    assert "短信服务 SMS · 百合大药房会员通知" in body
    assert MTP not in body and DSGC not in body and MEDICAL not in body
    mtp = Plan.objects.get(name=MTP)
    assert client.get(f"/plans/{mtp.pk}/").status_code == 404
    people = client.get("/products/").content.decode()
    assert "短信服务 SMS" in people and "手游安全 MTP" not in people
    assert Plan.objects.get(name=MTP).workspace.name == TEAM and mtp.owner.username == "pm"


def test_passwords_come_from_the_environment(db, monkeypatch, client):
    monkeypatch.setenv("DEMO_PM_PASSWORD", "correct-horse-battery")
    output = load()
    assert client.login(username="pm", password="correct-horse-battery")
    assert not client.login(username="pm", password="paasport-pm")
    assert "correct-horse-battery" in output


def test_existing_accounts_keep_their_password_and_rights(db, client):
    UserFactory(username="admin", password="my-own-secret-1")
    output = load()
    admin = User.objects.get(username="admin")
    assert not admin.is_superuser and not admin.is_staff
    assert client.login(username="admin", password="my-own-secret-1")
    assert "paasport-admin" not in output
