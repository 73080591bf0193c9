"""App → MSPDI → app loses nothing the format can carry: every field of every task, its links,
watch-outs, owner, business flow, status (blocked too), visibility and the launch milestone."""

import datetime
import xml.etree.ElementTree as ET

from schedule.models import Task, TaskLink, Visibility, WatchOut
from sharing import services
from sharing.exchange import mspdi
from stakeholders.models import PlanStakeholder
from tests.factories import FlowFactory, PlanFactory
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)

NS = {"p": "http://schemas.microsoft.com/project"}
FIELDS = ("title", "description", "duration", "is_milestone", "is_launch", "start_no_earlier_than", "deadline",
          "status", "percent_complete", "actual_start", "actual_finish", "visibility")


def everything(plan):
    tasks = {task.pk: task for task in Task.objects.filter(plan=plan).select_related(
        "phase", "owner__stakeholder", "related_flow")}
    rows = sorted((*(getattr(task, name) for name in FIELDS), task.phase.name if task.phase else None,
                   task.owner.stakeholder.name if task.owner else None,
                   task.related_flow.name if task.related_flow else None,
                   tuple(WatchOut.objects.filter(task=task).order_by("position").values_list("text", "done")))
                  for task in tasks.values())
    links = sorted((tasks[link.predecessor_id].title, tasks[link.successor_id].title, link.type, link.lag)
                   for link in TaskLink.objects.filter(successor__plan=plan))
    return rows, links


def test_every_field_survives_a_round_trip(plan, checklist, product, pm):  # noqa: F811
    blocked = Task.objects.create(plan=plan, phase=checklist["build"], title="等待厂商排期", duration=4, position=1,
                                  status=Task.Status.BLOCKED, visibility=Visibility.SHARED,
                                  description="厂商排期未定", owner=checklist["owner"])
    WatchOut.objects.create(task=blocked, text="每周催一次", position=0)
    launch = checklist["launch"]
    launch.is_launch = True
    launch.save()
    target = PlanFactory(name="副本", product=product, owner=pm, start_date=plan.start_date,
                         workspace=plan.workspace)
    # The target plan has the same stakeholder and business flow (matched by name).
    PlanStakeholder.objects.create(plan=target, stakeholder=checklist["owner"].stakeholder)
    FlowFactory(plan=target, name="登录防护")
    services.import_msproject(plan=target, data=mspdi.export_xml(plan))
    assert everything(target) == everything(plan)
    assert Task.objects.get(plan=target, title="等待厂商排期").status == Task.Status.BLOCKED
    assert Task.objects.get(plan=target, title="计费配置").duration == 3  # in progress: not the exported span


def test_owner_not_in_the_plan_is_named_in_the_summary(plan, checklist, product, pm):  # noqa: F811
    target = PlanFactory(name="副本", product=product, owner=pm, start_date=plan.start_date)
    result = services.import_msproject(plan=target, data=mspdi.export_xml(plan))
    assert "Resources that are not stakeholders of this plan were not set as owners: 王工." in result.notes
    assert not Task.objects.filter(plan=target, owner__isnull=False).exists()


def test_calendar_exceptions_cover_every_year_of_the_plan(pm, product):
    # 2031 has no official list: its provisional days off (statutory holidays) are exceptions too.
    plan = PlanFactory(product=product, owner=pm, start_date=datetime.date(2030, 12, 2))
    Task.objects.create(plan=plan, title="跨年", duration=30)
    data = mspdi.export_xml(plan)
    root = ET.fromstring(data)
    days_off = [el.findtext("p:TimePeriod/p:FromDate", namespaces=NS)[:10]
                for el in root.findall("p:Calendars/p:Calendar/p:WeekDays/p:WeekDay", NS)
                if el.findtext("p:DayType", namespaces=NS) == "0" and el.findtext("p:DayWorking", namespaces=NS) == "0"]
    assert "2030-01-01" in days_off and "2031-01-01" in days_off  # whole years, both of them
    assert "2031-10-01" in days_off  # National Day of a year after the tasks' finish
