"""App → MSPDI → app loses nothing the format can carry: every field of every task, its links,
watch-outs, owner, business flow, status (blocked too), visibility, the launch milestone, the fixed
start, the priority override, the order of the tasks in their phases and the plan's baselines. What the plan cannot hold
from an MS Project file (task calendars, a different calendar, percentage lags) is named in the
import summary."""

import datetime
import xml.etree.ElementTree as ET

from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Task, TaskLink, Visibility, WatchOut
from sharing import services
from sharing.exchange import mspdi
from tests.factories import FlowFactory, PlanFactory, PlanStakeholderFactory, TaskFactory, WatchOutFactory
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)

NS = {"p": "http://schemas.microsoft.com/project"}
FIELDS = ("title", "description", "duration", "is_milestone", "is_launch", "start_no_earlier_than", "must_start_on",
          "deadline", "status", "percent_complete", "actual_start", "actual_finish", "visibility", "priority_override")


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
    order = [(task.phase.name if task.phase else None, task.title)
             for task in sorted(tasks.values(), key=lambda task: (task.phase.position if task.phase else 99,
                                                                  task.position, task.pk))]
    baselines = [(baseline.name, baseline.launch_date, sorted(
        (entry.task.title if entry.task else None, entry.title, entry.start, entry.finish)
        for entry in baseline.tasks.select_related("task"))) for baseline in plan.baselines.order_by("created_at", "pk")]
    return rows, links, order, baselines


def test_every_field_survives_a_round_trip(plan, checklist, product, pm):  # noqa: F811
    blocked = TaskFactory(plan=plan, phase=checklist["build"], title="等待厂商排期", duration=4, position=1,
                                  status=Task.Status.BLOCKED, visibility=Visibility.SHARED,
                                  description="厂商排期未定", owner=checklist["owner"])
    WatchOutFactory(task=blocked, text="每周催一次", position=0)
    TaskFactory(plan=plan, phase=checklist["build"], title="发布会", duration=1, position=2,
                        must_start_on=datetime.date(2026, 9, 10), priority_override=-20)
    TaskFactory(plan=plan, phase=checklist["prepare"], title="需求访谈", duration=2, position=2,
                        status=Task.Status.DONE, percent_complete=100, actual_start=datetime.date(2026, 9, 1),
                        actual_finish=datetime.date(2026, 9, 3), deadline=datetime.date(2026, 9, 4))
    checklist["kickoff"].priority_override = 30
    checklist["kickoff"].save()
    scheduling.recompute(plan)
    schedule_services.baseline_create(plan=plan, name="立项基线")
    checklist["kickoff"].duration = 2  # the plan moved since: the newer baseline differs from the older
    checklist["kickoff"].save()
    scheduling.recompute(plan)
    schedule_services.baseline_create(plan=plan, name="调整后")
    launch = checklist["launch"]
    launch.is_launch = True
    launch.save()
    target = PlanFactory(name="副本", product=product, owner=pm, start_date=plan.start_date,
                         workspace=plan.workspace)
    # The target plan has the same stakeholder and business flow (matched by name).
    PlanStakeholderFactory(plan=target, stakeholder=checklist["owner"].stakeholder)
    FlowFactory(plan=target, name="登录防护")
    data = mspdi.export_xml(plan)
    _changes, preview_notes = mspdi.preview_xml(target, data)  # the preview says it too
    assert "2 baselines of the file were added to the plan: 立项基线、调整后." in preview_notes
    assert not target.baselines.exists()
    result = services.import_msproject(plan=target, data=data)
    assert everything(target) == everything(plan)
    # Nothing in our own export needs a word: same calendar, no task calendars, no percentage lags.
    assert not [note for note in result.notes if "calendar" in note or "percentage" in note]
    assert "2 baselines of the file were added to the plan: 立项基线、调整后." in result.notes
    # Imported again: the baselines are the plan's now, not doubled.
    again = services.import_msproject(plan=target, data=mspdi.export_xml(plan))
    assert target.baselines.count() == 2
    assert ("2 baselines of the file have the names of the plan's and were not imported: 立项基线、调整后."
            in again.notes)
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
    TaskFactory(plan=plan, title="跨年", duration=30)
    data = mspdi.export_xml(plan)
    root = ET.fromstring(data)
    days_off = [el.findtext("p:TimePeriod/p:FromDate", namespaces=NS)[:10]
                for el in root.findall("p:Calendars/p:Calendar/p:WeekDays/p:WeekDay", NS)
                if el.findtext("p:DayType", namespaces=NS) == "0" and el.findtext("p:DayWorking", namespaces=NS) == "0"]
    assert "2030-01-01" in days_off and "2031-01-01" in days_off  # whole years, both of them
    assert "2031-10-01" in days_off  # National Day of a year after the tasks' finish


def _one_task_file(*, task_calendar=False, percent_lag=False, exceptions=""):
    lag = ("<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>50</LinkLag>"
           "<LagFormat>19</LagFormat></PredecessorLink>") if percent_lag else ""
    return (f'<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2026-09-28T09:00:00</StartDate>'
            f"<CalendarUID>1</CalendarUID><Calendars><Calendar><UID>1</UID><Name>Standard</Name>{exceptions}"
            f"</Calendar></Calendars><Tasks>"
            f"<Task><UID>1</UID><Name>四天</Name><OutlineLevel>1</OutlineLevel><Duration>PT32H0M0S</Duration>"
            f"<Start>2026-09-28T09:00:00</Start><Finish>2026-10-09T18:00:00</Finish>"
            f"<CalendarUID>{3 if task_calendar else -1}</CalendarUID></Task>"
            f"<Task><UID>2</UID><Name>随后</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
            f"<Start>2026-10-12T09:00:00</Start>{lag}</Task></Tasks>"
            f"<Resources><Resource><UID>1</UID><Name>王工</Name></Resource><Resource><UID>2</UID><Name>李工</Name>"
            f"</Resource></Resources><Assignments><Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1"
            f"</ResourceUID></Assignment><Assignment><UID>2</UID><TaskUID>1</TaskUID><ResourceUID>2</ResourceUID>"
            f"</Assignment></Assignments></Project>").encode()


def test_what_the_plan_cannot_hold_is_named(plan):
    result = services.import_msproject(plan=plan, data=_one_task_file(task_calendar=True, percent_lag=True))
    # A 50 % lag of a 4-day predecessor is 2 working days.
    assert TaskLink.objects.get(successor__plan=plan).lag == 2
    assert ("1 lag given as a percentage of its predecessor's duration was counted in working days of that "
            "duration (it no longer follows the duration).") in result.notes
    assert ("1 task has a calendar of its own in MS Project, which was not kept: the plan's calendar counts for "
            "it (四天).") in result.notes
    # The file's standard week works through National Day; the plan's calendar does not (and works the
    # make-up Saturday 2026-10-10): the days are named.
    assert "1 task has more than one resource in the file; only the first became its owner (四天)." in result.notes
    (calendar_note,) = [note for note in result.notes if note.startswith("The file's calendar")]
    assert "2026-10-01" in calendar_note and "2026-10-10" in calendar_note
