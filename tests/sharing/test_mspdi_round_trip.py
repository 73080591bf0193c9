"""App → MSPDI → app loses nothing the format can carry: every field of every task, its links,
watch-outs, owner, business flow, status (blocked too), visibility and the launch milestone."""

from schedule.models import Task, TaskLink, Visibility, WatchOut
from sharing import services
from sharing.exchange import mspdi
from stakeholders.models import PlanStakeholder
from tests.factories import FlowFactory, PlanFactory
from tests.sharing.test_excel import checklist  # noqa: F401  (fixture)

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
