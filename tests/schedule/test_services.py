import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from onboarding.models import Plan
from schedule.models import Phase, Task, TaskLink, Template, TemplateLink, TemplateTask
from schedule.services import (checklist_groups, create_plan_from_template, plan_changed, plan_overview,
                               task_numbers)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_plan_changed_bumps_updated_at(plan):
    before = plan.updated_at
    plan_changed(plan)
    assert Plan.objects.get(pk=plan.pk).updated_at > before
    assert plan.updated_at > before


def test_task_numbers_follow_the_checklist_order(plan):
    second = Phase.objects.create(plan=plan, name="B", position=1)
    first = Phase.objects.create(plan=plan, name="A", position=0)
    loose = Task.objects.create(plan=plan, title="无阶段", position=0)
    b1 = Task.objects.create(plan=plan, phase=second, title="b1", position=0)
    a2 = Task.objects.create(plan=plan, phase=first, title="a2", position=1)
    a1 = Task.objects.create(plan=plan, phase=first, title="a1", position=0)
    assert task_numbers(plan) == {a1.pk: 1, a2.pk: 2, b1.pk: 3, loose.pk: 4}
    groups = checklist_groups(plan)
    assert [str(group) for group in groups] == ["A", "B", "No phase"]
    assert [group.pk for group in groups] == [first.pk, second.pk, 0]
    assert [[task.number for task in group.tasks] for group in groups] == [[1, 2], [3], [4]]


def test_checklist_groups_summarise_predecessors(plan):
    a = Task.objects.create(plan=plan, title="a", position=0)
    b = Task.objects.create(plan=plan, title="b", position=1)
    c = Task.objects.create(plan=plan, title="c", position=2)
    TaskLink.objects.create(predecessor=a, successor=c, type="FS", lag=2)
    TaskLink.objects.create(predecessor=b, successor=c, type="SS", lag=0)
    (group,) = checklist_groups(plan)
    assert group.phase is None
    assert group.tasks[2].predecessor_summary == "#1 FS+2, #2 SS"


def test_create_plan_from_template_offsets_count_official_working_days(pm, product, scenario):
    template = Template.objects.create(slug="t", name="T")
    # 2026-09-25 is the Mid-Autumn Festival holiday.
    TemplateTask.objects.create(template=template, key="a", phase="P", title="节后开工", offset=1)
    plan = create_plan_from_template(template, owner=pm, name="N", product=product, scenario=None,
                                     start_date=datetime.date(2026, 9, 24))
    assert plan.tasks.get().start_no_earlier_than == datetime.date(2026, 9, 28)
    assert plan.scenario is None and plan.target_launch_date is None


def test_template_task_without_phase_name_has_no_phase(pm, product):
    template = Template.objects.create(slug="t", name="T")
    TemplateTask.objects.create(template=template, key="a", phase="  ", title="散件")
    plan = create_plan_from_template(template, owner=pm, name="N", product=product, scenario=None,
                                     start_date=datetime.date(2026, 9, 1))
    assert plan.tasks.get().phase is None and not plan.phases.exists()


def test_template_with_a_cycle_creates_nothing(pm, product):
    template = Template.objects.create(slug="t", name="T")
    a = TemplateTask.objects.create(template=template, key="a", phase="P", title="甲")
    b = TemplateTask.objects.create(template=template, key="b", phase="P", title="乙")
    TemplateLink.objects.create(template=template, predecessor=a, successor=b)
    TemplateLink.objects.create(template=template, predecessor=b, successor=a)
    with pytest.raises(ValidationError, match="甲 → 乙 → 甲"):
        create_plan_from_template(template, owner=pm, name="N", product=product, scenario=None,
                                  start_date=datetime.date(2026, 9, 1))
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_invalid_plan_dates_create_nothing(pm, product):
    template = Template.objects.create(slug="t", name="T")
    TemplateTask.objects.create(template=template, key="a", phase="P", title="甲")
    with pytest.raises(ValidationError):
        create_plan_from_template(template, owner=pm, name="N", product=product, scenario=None,
                                  start_date=datetime.date(2026, 9, 1),
                                  target_launch_date=datetime.date(2026, 8, 1))
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_plan_overview_of_an_empty_plan(plan):
    overview = plan_overview(plan)
    assert [step.number for step in overview["steps"]] == [1, 2, 3, 4, 5]
    assert [step.percent for step in overview["steps"]] == [33, 0, 0, 0, 0]
    assert overview["task_total"] == 0
    assert overview["steps"][3].sentence.startswith("No tasks yet")
