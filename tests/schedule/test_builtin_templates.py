"""The two shipped templates exist after migrating and are sound checklists."""
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core import serializers
from django.db import connection

from schedule.builtin_templates import REQUIRED_PHASES, TEMPLATES, check_template_data
from schedule.models import Template, TemplateLink, TemplateTask
from tests.factories import TemplateTaskFactory

pytestmark = pytest.mark.usefixtures("shipped_templates")

migration = importlib.import_module("schedule.migrations.0002_builtin_templates")
SLUGS = ["paas-access-toc", "paas-access-tob"]


def rerun_migration():
    migration.sync_templates(django_apps, SimpleNamespace(connection=connection))


def dump():
    rows = []
    for model in (Template, TemplateTask, TemplateLink):
        rows += serializers.serialize("python", model.objects.order_by("pk"))
    return rows


def topological_sort(keys, edges):
    """Keys in dependency order, or None when the edges form a cycle."""
    indegree = dict.fromkeys(keys, 0)
    successors = {key: [] for key in keys}
    for pred, succ in edges:
        successors[pred].append(succ)
        indegree[succ] += 1
    ready = [key for key, count in indegree.items() if count == 0]
    order = []
    while ready:
        key = ready.pop()
        order.append(key)
        for succ in successors[key]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    return order if len(order) == len(keys) else None


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_template_is_shipped_with_all_phases_in_order(slug):
    template = Template.objects.get(slug=slug)
    tasks = list(template.tasks.order_by("position"))
    assert 20 <= len(tasks) <= 35
    phases_in_order = list(dict.fromkeys(task.phase for task in tasks))
    required_positions = [phases_in_order.index(phase) for phase in REQUIRED_PHASES]
    assert required_positions == sorted(required_positions)
    assert all(task.duration >= 0 and task.title for task in tasks)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_template_links_are_valid_and_acyclic(slug):
    template = Template.objects.get(slug=slug)
    task_ids = set(template.tasks.values_list("pk", flat=True))
    links = list(template.links.all())
    assert len(links) >= 20
    for link in links:
        assert link.predecessor_id in task_ids and link.successor_id in task_ids
        assert link.predecessor_id != link.successor_id
    pairs = [(link.predecessor_id, link.successor_id) for link in links]
    assert len(pairs) == len(set(pairs))
    assert topological_sort(task_ids, pairs) is not None
    assert {"FS", "SS", "FF"} <= {link.type for link in links}
    assert any(link.lag > 0 for link in links) and any(link.lag < 0 for link in links)


def test_topological_sort_detects_a_cycle():
    assert topological_sort({1, 2, 3}, [(1, 2), (2, 3), (3, 1)]) is None


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_milestones_visibility_and_watchouts(slug):
    template = Template.objects.get(slug=slug)
    milestones = template.tasks.filter(is_milestone=True)
    assert {"联调完成", "正式上线"} <= set(milestones.values_list("title", flat=True))
    assert all(milestone.duration == 0 for milestone in milestones)
    assert template.tasks.filter(visibility="shared").exists()
    assert template.tasks.filter(visibility="internal").exists()
    joint_debug = template.tasks.get(phase="联调测试", title="双方联调")
    assert {"测试环境就绪", "测试账号已发放", "测试用例已评审", "缺陷已关闭", "双方签字确认"} <= set(joint_debug.watchouts)
    starters = template.tasks.exclude(pk__in=template.links.values("successor"))
    assert starters.filter(offset__gt=0).exists()


@pytest.mark.django_db
def test_toc_and_tob_differ_where_they_should():
    def text(slug):
        return " ".join(
            f"{title} {description}" for title, description in
            TemplateTask.objects.filter(template__slug=slug).values_list("title", "description")
        )
    toc, tob = text("paas-access-toc"), text("paas-access-tob")
    for word in ("SDK 集成", "渠道包", "隐私", "个人信息保护", "大促", "版本"):
        assert word in toc
    for word in ("私有化", "专有云", "POC", "等保", "数据安全", "商务合同与报价审批", "SLA"):
        assert word in tob
    assert "渠道包" not in tob and "等保" not in toc
    assert Template.objects.get(slug="paas-access-toc").name == "toC 产品 PaaS 接入标准流程"
    assert Template.objects.get(slug="paas-access-tob").name == "toB 产品 PaaS 接入标准流程"


def test_shipped_data_passes_its_own_checks():
    assert [check_template_data(template) for template in TEMPLATES] == [[], []]


@pytest.mark.django_db
def test_running_the_migration_again_changes_nothing():
    before = dump()
    rerun_migration()
    assert dump() == before


@pytest.mark.django_db
def test_running_the_migration_again_restores_the_shipped_data():
    template = Template.objects.get(slug="paas-access-toc")
    before = {(t.key, t.title, t.duration) for t in template.tasks.all()}
    link_count = template.links.count()
    task = template.tasks.get(key="joint-debug")
    task.title = "改过的标题"
    task.save()
    template.links.filter(predecessor__key="joint-debug").delete()
    TemplateTaskFactory(template=template, key="stray", phase="运营", title="多余任务")
    rerun_migration()
    template.refresh_from_db()
    assert {(t.key, t.title, t.duration) for t in template.tasks.all()} == before
    assert template.links.count() == link_count


@pytest.mark.django_db
def test_reversing_the_migration_removes_the_templates():
    migration.remove_templates(django_apps, SimpleNamespace(connection=connection))
    assert not Template.objects.filter(slug__in=SLUGS).exists()
    assert not TemplateLink.objects.exists()
