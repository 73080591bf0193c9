import datetime
import xml.etree.ElementTree as ET

import pytest

from schedule import scheduling
from schedule.models import Phase, Task, TaskLink
from sharing.exchange import ImportFailed, mspdi
from tests.factories import PlanFactory
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)

NS = {"p": "http://schemas.microsoft.com/project"}


@pytest.fixture
def empty_plan(pm, product):
    return PlanFactory(name="空计划", product=product, owner=pm, start_date=datetime.date(2026, 9, 1))


def tasks_of(data):
    root = ET.fromstring(data)
    return root, {el.findtext("p:Name", namespaces=NS): el for el in root.findall("p:Tasks/p:Task", NS)}


def test_export_is_mspdi_with_phases_as_summary_tasks(plan, checklist):  # noqa: F811
    data = mspdi.export_xml(plan)
    assert data.startswith(b"<?xml")
    root, tasks = tasks_of(data)
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    assert root.findtext("p:MinutesPerDay", namespaces=NS) == "480"
    phase = tasks["准备"]
    assert phase.findtext("p:Summary", namespaces=NS) == "1" and phase.findtext("p:OutlineLevel", namespaces=NS) == "1"
    billing_task = Task.objects.get(pk=checklist["billing"].pk)
    billing = tasks["计费配置"]
    assert billing.findtext("p:OutlineLevel", namespaces=NS) == "2"
    assert billing.findtext("p:OutlineNumber", namespaces=NS) == "2.1"
    # Started work: Start is the actual start, Duration the span to the finish (as MS Project reads it),
    # actual + remaining durations split it by % complete; the plan's 3 days travel in Number1.
    calendar = scheduling.plan_calendar(plan)
    span = calendar.working_days_between(billing_task.actual_start, billing_task.early_finish) + 1
    assert billing.findtext("p:Start", namespaces=NS) == f"{billing_task.actual_start}T09:00:00"
    assert billing.findtext("p:Finish", namespaces=NS) == f"{billing_task.early_finish}T18:00:00"
    assert billing.findtext("p:Duration", namespaces=NS) == f"PT{span * 8}H0M0S"
    actual = round(span * 8 * 0.4, 2)
    assert billing.findtext("p:ActualDuration", namespaces=NS) == mspdi._hours(actual)
    assert billing.findtext("p:RemainingDuration", namespaces=NS) == mspdi._hours(span * 8 - actual)
    custom = {el.findtext("p:FieldID", namespaces=NS): el.findtext("p:Value", namespaces=NS)
              for el in billing.findall("p:ExtendedAttribute", NS)}
    assert custom["188743767"] == "3" and custom["188743731"] == "in_progress"
    docs = tasks["阅读官方文档"]
    assert docs.findtext("p:Duration", namespaces=NS) == "PT16H0M0S"
    assert docs.findtext("p:ActualDuration", namespaces=NS) == "PT0H0M0S"
    assert docs.findtext("p:RemainingDuration", namespaces=NS) == "PT16H0M0S"
    links = {el.findtext("p:PredecessorUID", namespaces=NS): el for el in billing.findall("p:PredecessorLink", NS)}
    kickoff_uid = tasks["项目启动会"].findtext("p:UID", namespaces=NS)
    assert links[kickoff_uid].findtext("p:Type", namespaces=NS) == "1"  # FS
    assert links[kickoff_uid].findtext("p:LinkLag", namespaces=NS) == str(2 * 8 * 60 * 10)
    assert links[kickoff_uid].findtext("p:LagFormat", namespaces=NS) == "7"
    docs_uid = tasks["阅读官方文档"].findtext("p:UID", namespaces=NS)
    assert links[docs_uid].findtext("p:Type", namespaces=NS) == "3"  # SS
    launch = tasks["正式上线"]
    assert launch.findtext("p:Milestone", namespaces=NS) == "1" and launch.findtext("p:OutlineLevel", namespaces=NS) == "1"
    assert launch.find("p:PredecessorLink/p:Type", NS).text == "0"  # FF
    # The project summary task and the plan's calendar travel too.
    assert tasks[plan.name].findtext("p:UID", namespaces=NS) == "0"
    assert root.find("p:Calendars/p:Calendar/p:WeekDays", NS) is not None


def test_export_then_import_into_an_empty_plan_recreates_tasks_and_links(plan, checklist, empty_plan):  # noqa: F811
    result = mspdi.import_xml(empty_plan, mspdi.export_xml(plan))
    assert result.created == 4 and result.links == 3
    assert sorted(result.phases_created) == ["准备", "开发联调"]

    def shape(p):
        tasks = {t.pk: t for t in p.tasks.select_related("phase")}
        rows = sorted((t.title, t.phase.name if t.phase else None, t.duration, t.is_milestone, t.deadline,
                       t.start_no_earlier_than, t.percent_complete, t.actual_start) for t in tasks.values())
        links = sorted((tasks[link.predecessor_id].title, tasks[link.successor_id].title, link.type, link.lag)
                       for link in TaskLink.objects.filter(successor__plan=p))
        return rows, links

    assert shape(empty_plan) == shape(plan)
    assert list(empty_plan.phases.order_by("position").values_list("name", flat=True)) == ["准备", "开发联调"]


def test_import_of_the_plans_own_export_matches_its_tasks_instead_of_doubling_them(plan, checklist):  # noqa: F811
    data = mspdi.export_xml(plan)
    result = mspdi.import_xml(plan, data)
    assert (result.created, result.updated, result.unchanged, result.phases_created) == (0, 0, 4, [])
    assert plan.tasks.count() == 4 and plan.phases.count() == 2


XML_HEAD = '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks>'


def task_xml(uid, name, *, duration="PT8H0M0S", links=(), extra=""):
    link_xml = "".join(f"<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>{t}</Type>"
                       f"<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
                       for p, t, lag, fmt in links)
    return (f"<Task><UID>{uid}</UID><Name>{name}</Name><OutlineLevel>1</OutlineLevel><Duration>{duration}</Duration>"
            f"{extra}{link_xml}</Task>")


def refused(plan, data):
    before = (Task.objects.count(), TaskLink.objects.count(), Phase.objects.count())
    with pytest.raises(ImportFailed) as caught:
        mspdi.import_xml(plan, data)
    assert (Task.objects.count(), TaskLink.objects.count(), Phase.objects.count()) == before
    return [str(problem) for problem in caught.value.problems]


def test_every_bad_task_is_reported_with_its_uid(empty_plan):
    data = (XML_HEAD + task_xml(1, "好任务") + task_xml(2, "", duration="three days")
            + task_xml(3, "坏链接", links=[(99, 1, 0, 7), (1, 7, 0, 7)])
            + task_xml(4, "百分比", links=[(1, 1, 500, 19)], extra="<PercentComplete>120</PercentComplete>")
            + task_xml(5, "远期", extra="<Deadline>9999-12-31T17:00:00</Deadline>")
            + "</Tasks></Project>").encode()
    texts = refused(empty_plan, data)
    for expected in ("Task UID 2: The task has no name", "Task UID 2: “three days” is not a duration",
                     "Task UID 3: Link type 7 is unknown", "Task UID 4: PercentComplete",
                     "Task UID 5: Deadline: 9999-12-31 is outside the dates a plan can use"):
        assert any(text.startswith(expected) for text in texts), (expected, texts)
    assert not any("percentage" in text for text in texts)  # a percentage lag is read (named in the summary)


def test_unknown_predecessor_and_cycle(empty_plan):
    unknown = (XML_HEAD + task_xml(1, "甲", links=[(42, 1, 0, 7)]) + "</Tasks></Project>").encode()
    assert any("Task UID 1: The predecessor UID 42 is not in the file" in t for t in refused(empty_plan, unknown))
    cycle = (XML_HEAD + task_xml(1, "甲", links=[(2, 1, 0, 7)]) + task_xml(2, "乙", links=[(1, 3, 4800, 7)])
             + "</Tasks></Project>").encode()
    texts = refused(empty_plan, cycle)
    assert any("cycle" in t and "甲" in t and "乙" in t for t in texts)


def test_lags_and_types_are_read(empty_plan):
    data = (XML_HEAD + task_xml(1, "甲") + task_xml(2, "乙", links=[(1, 3, 3 * 4800, 7)])
            + task_xml(3, "丙", duration="PT0H0M0S", links=[(2, 0, -4800, 7)],
                       extra="<Milestone>1</Milestone>") + "</Tasks></Project>").encode()
    mspdi.import_xml(empty_plan, data)
    links = {link.successor.title: link for link in TaskLink.objects.select_related("successor")}
    assert (links["乙"].type, links["乙"].lag) == ("SS", 3)
    assert (links["丙"].type, links["丙"].lag) == ("FF", -1)
    assert Task.objects.get(title="丙").is_milestone


@pytest.mark.parametrize("data, message", [
    (b"this is not xml", "not a readable XML file"),
    (b"<Workbook/>", "not an MS Project file"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
     b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol2;</Name></Project>', "DTD or entities"),
    (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project>&x;</Project>',
     "DTD or entities"),
])
def test_hostile_or_foreign_files_are_refused(empty_plan, data, message):
    assert any(message in text for text in refused(empty_plan, data))
