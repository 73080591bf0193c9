"""The plan's launch milestone through imports into a plan: the Excel checklist does not carry it (an
import leaves it as it is), MS Project files carry it (taken by a plan that names none); neither can turn
the launch milestone into a task."""
import pytest

from schedule.models import Task
from sharing import services
from sharing.exchange import ImportFailed, excel, mspdi
from tests.factories import PlanFactory
from tests.sharing.test_excel import checklist, col, edited, snapshot  # noqa: F401  (fixture, helpers)


@pytest.fixture
def launch(plan, checklist):  # noqa: F811
    Task.objects.filter(pk=checklist["launch"].pk).update(is_launch=True)
    return Task.objects.get(pk=checklist["launch"].pk)


def launches(plan):
    return list(Task.objects.filter(plan=plan, is_launch=True).values_list("title", flat=True))


def test_an_excel_import_leaves_the_launch_milestone_as_it_is(plan, launch):
    def retitle(rows):
        rows[[row[col(rows, "title")] for row in rows].index("阅读官方文档")][col(rows, "title")] = "阅读接入文档"

    result = services.import_checklist(plan=plan, data=edited(excel.export_workbook(plan), retitle))
    assert result.updated == 1 and launches(plan) == ["正式上线"]


def test_an_excel_import_cannot_make_the_launch_milestone_a_task(plan, launch):
    def unmilestone(rows):
        row = rows[[row[col(rows, "title")] for row in rows].index("正式上线")]
        row[col(rows, "milestone")] = "no"

    before = snapshot(plan)
    with pytest.raises(ImportFailed) as refused:
        services.import_checklist(plan=plan, data=edited(excel.export_workbook(plan), unmilestone))
    assert any("This is the plan's launch milestone, so it stays a milestone" in str(problem)
               for problem in refused.value.problems)
    assert snapshot(plan) == before and launches(plan) == ["正式上线"]


def test_ms_project_carries_the_launch_and_cannot_make_it_a_task(plan, launch, product, pm):
    target = PlanFactory(name="目标", product=product, owner=pm, start_date=plan.start_date)
    data = mspdi.export_xml(plan)
    services.import_msproject(plan=target, data=data)
    assert launches(target) == ["正式上线"]
    assert data.count(b"<Milestone>1</Milestone>") == 1  # 正式上线, the plan's only milestone
    before = snapshot(target)
    with pytest.raises(ImportFailed) as refused:
        services.import_msproject(plan=target, data=data.replace(b"<Milestone>1</Milestone>",
                                                                 b"<Milestone>0</Milestone>"))
    assert [str(problem) for problem in refused.value.problems][0].endswith(
        "(正式上线): This is the plan's launch milestone, so it stays a milestone: name another launch milestone "
        "on the Schedule page first.")
    assert snapshot(target) == before and launches(target) == ["正式上线"]
