import copy
import datetime
import json

import pytest

from onboarding.models import Flow, Plan, Product, Scenario
from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Baseline, Phase, ScheduleSettings, Task, TaskLink, WatchOut
from sharing.exchange import ImportFailed, json_backup
from stakeholders.models import Stakeholder
from tests.factories import MetricFactory, PlanStakeholderFactory, StakeholderFactory, WorkspaceFactory
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)


@pytest.fixture
def full_plan(plan, flow, checklist):  # noqa: F811
    MetricFactory(flow=flow, name="登录成功率", target="99.9", unit="%", position=0)
    checklist["owner"].steps.add(flow.steps.get(text="校验设备"))
    ops = PlanStakeholderFactory(
        plan=plan, stakeholder=StakeholderFactory(name="韩梅梅", organisation="平台", email="han@example.com"),
        relevance=2, influence=3, capacity=2, position=1, internal_notes="周五不在")
    Task.objects.filter(pk=checklist["docs"].pk).update(owner=ops, priority_override=10)
    # a fixed start, and the MS Project GUID of a task imported from a file (re-importing it updates it)
    Task.objects.filter(pk=checklist["kickoff"].pk).update(must_start_on=datetime.date(2026, 9, 2),
                                                           msproject_guid="5B8E3C1A-0000-4000-8000-000000000001")
    Task.objects.filter(pk=checklist["launch"].pk).update(is_launch=True)  # the plan's go-live milestone
    settings = scheduling.settings_for(plan)
    settings.extra_days_off = ["2026-09-07"]
    settings.weights = {"criticality": 40}
    settings.save()
    scheduling.recompute(plan)
    schedule_services.baseline_create(plan=plan, name="初始基线").obj
    return plan


def dumps(doc):
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2)


def test_export_uses_local_keys_and_a_format_version(full_plan):
    doc = json_backup.export_document(full_plan)
    assert doc["format"] == "paasport-plan" and doc["version"] == 1
    assert doc["product"]["name"] == "手游安全 MTP" and doc["scenario"]["name"] == "手游出海"
    assert [t["key"] for t in doc["tasks"]] == ["task-1", "task-2", "task-3", "task-4"]
    assert [t["title"] for t in doc["tasks"] if t["is_launch"]] == ["正式上线"]
    billing = doc["tasks"][2]
    assert billing["title"] == "计费配置" and billing["phase"] == "phase-2"
    assert billing["watchouts"] == [{"text": "确认计费口径", "done": True}, {"text": "对账周期", "done": False}]
    assert {"predecessor": "task-1", "successor": "task-3", "type": "FS", "lag": 2} in doc["links"]
    assert doc["stakeholders"][0]["steps"] == ["step-1-2"]
    assert doc["baselines"][0]["name"] == "初始基线" and len(doc["baselines"][0]["tasks"]) == 4
    assert doc["schedule_settings"]["extra_days_off"] == ["2026-09-07"]
    text = dumps(doc)
    for pk in Task.objects.values_list("pk", flat=True):
        assert f'"id": {pk}' not in text


def test_export_import_export_is_byte_identical(full_plan, other_pm):
    first = json_backup.export_json(full_plan)
    copy_plan = json_backup.import_plan(first, owner=other_pm, workspace=WorkspaceFactory())
    assert copy_plan.pk != full_plan.pk and copy_plan.owner == other_pm
    second = json_backup.export_json(copy_plan)
    kickoff = copy_plan.tasks.get(title="项目启动会")
    assert (kickoff.must_start_on, kickoff.msproject_guid) == (datetime.date(2026, 9, 2),
                                                              "5B8E3C1A-0000-4000-8000-000000000001")
    assert list(copy_plan.tasks.filter(is_launch=True).values_list("title", flat=True)) == ["正式上线"]
    assert dumps(json.loads(first)) == dumps(json.loads(second))
    assert first == second


def test_import_reuses_product_scenario_and_stakeholders(full_plan, other_pm):
    counts = (Product.objects.count(), Scenario.objects.count(), Stakeholder.objects.count())
    new = json_backup.import_plan(json_backup.export_json(full_plan), owner=other_pm, workspace=WorkspaceFactory())
    assert (Product.objects.count(), Scenario.objects.count(), Stakeholder.objects.count()) == counts
    assert new.product == full_plan.product and new.scenario == full_plan.scenario
    assert new.plan_stakeholders.count() == 2 and new.tasks.count() == 4
    assert TaskLink.objects.filter(successor__plan=new).count() == 3
    assert Baseline.objects.get(plan=new).tasks.filter(task__plan=new).count() == 4


def test_import_creates_what_does_not_exist(full_plan, other_pm):
    doc = json_backup.export_document(full_plan)
    doc["product"]["name"] = "全新产品"
    doc["scenario"]["name"] = "全新场景"
    doc["stakeholders"][1]["organisation"] = "新组织"
    new = json_backup.import_plan(json.dumps(doc).encode(), owner=other_pm, workspace=WorkspaceFactory())
    assert new.product.name == "全新产品" and new.scenario.name == "全新场景"
    assert Stakeholder.objects.filter(name="韩梅梅").count() == 2


def db_state():
    return (Plan.objects.count(), Product.objects.count(), Scenario.objects.count(), Stakeholder.objects.count(),
            Task.objects.count(), TaskLink.objects.count(), WatchOut.objects.count(), Phase.objects.count(),
            Flow.objects.count(), Baseline.objects.count(), ScheduleSettings.objects.count())


def refused(data, owner):
    before = db_state()
    with pytest.raises(ImportFailed) as caught:
        json_backup.import_plan(data, owner=owner, workspace=WorkspaceFactory())
    assert db_state() == before
    return [str(problem) for problem in caught.value.problems]


def test_every_schema_error_is_listed_with_its_path(full_plan, other_pm):
    doc = json_backup.export_document(full_plan)
    bad = copy.deepcopy(doc)
    bad["tasks"][3]["duration"] = -1
    bad["tasks"][3]["is_milestone"] = False
    bad["tasks"][1]["status"] = "finished"
    bad["tasks"][0]["deadline"] = "next friday"
    bad["tasks"][2]["owner"] = "person-9"
    bad["links"].append({"predecessor": "task-1", "successor": "task-404", "type": "FS", "lag": 0})
    bad["stakeholders"][0]["relevance"] = 9
    bad["plan"]["name"] = ""
    bad["flows"][0]["steps"][0]["lane"] = "lane-7-7"
    bad["tasks"][0]["colour"] = "red"
    texts = refused(json.dumps(bad).encode(), other_pm)
    for expected in ("tasks[3].duration: must be ≥ 0", "tasks[1].status", "tasks[0].deadline",
                     "tasks[2].owner: unknown stakeholder “person-9”", "links[3].successor: unknown task “task-404”",
                     "stakeholders[0].relevance: must be ≤ 5", "plan.name", "flows[0].steps[0].lane",
                     "tasks[0].colour: unknown field"):
        assert any(text.startswith(expected) for text in texts), (expected, texts)


def test_a_cycle_in_links_is_refused(full_plan, other_pm):
    doc = json_backup.export_document(full_plan)
    doc["links"].append({"predecessor": "task-4", "successor": "task-1", "type": "FS", "lag": 0})
    texts = refused(json.dumps(doc).encode(), other_pm)
    assert any("cycle" in text and "项目启动会" in text and "正式上线" in text for text in texts)


@pytest.mark.parametrize("data, message", [
    (b"{not json", "Not valid JSON"),
    (b"[1, 2]", "one JSON object"),
    (b'{"format": "something-else"}', "not a Paasport plan export"),
    (b'{"format": "paasport-plan", "version": 99}', "Unsupported format version 99"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[" * 100000 + b"]" * 100000, ""),
])
def test_files_that_are_not_plan_exports(data, message, other_pm, db):
    texts = refused(data, other_pm)
    assert any(message in text for text in texts)


def test_size_cap(other_pm, db):
    texts = refused(b" " * (5 * 1024 * 1024 + 1), other_pm)
    assert any("larger than 5 MB" in text for text in texts)


def test_a_minimal_hand_written_document_imports(other_pm, db):
    doc = {"format": "paasport-plan", "version": 1,
           "plan": {"name": "手写计划", "start_date": "2026-10-08"},
           "product": {"name": "数据安全治理中心 DSGC"},
           "tasks": [{"key": "a", "title": "调研"}, {"key": "b", "title": "评审", "duration": 2}],
           "links": [{"predecessor": "a", "successor": "b"}]}
    plan = json_backup.import_plan(json.dumps(doc).encode(), owner=other_pm, workspace=WorkspaceFactory())
    assert plan.start_date == datetime.date(2026, 10, 8) and plan.scenario is None
    assert TaskLink.objects.get(successor__plan=plan).type == "FS"
