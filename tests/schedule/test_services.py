"""Write services of the checklist and schedule (schedule/services.py): locked, versioned, rescheduled."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from onboarding.models import Plan
from onboarding.versioning import StaleEdit
from schedule import services
from schedule.models import Task, TaskLink
from tests.factories import LevellingRunFactory, MilestoneFactory, TaskFactory, TaskLinkFactory, TemplateFactory, TemplateLinkFactory, TemplateTaskFactory

D = datetime.date


def test_task_update_reschedules_and_says_what_moved(plan):
    first = TaskFactory(plan=plan, duration=2)
    second = TaskFactory(plan=plan, duration=1)
    TaskLinkFactory(predecessor=first, successor=second)
    services.plan_reschedule(plan=plan)
    second.refresh_from_db()
    before = second.early_start
    first.refresh_from_db()
    first.duration = 4
    written = services.task_update(plan=plan, task=first, version=first.version)
    second.refresh_from_db()
    assert second.early_start > before
    assert set(written.moved) == {first.pk, second.pk}
    assert Task.objects.get(pk=first.pk).version == 2


@pytest.mark.parametrize("version", [None, 0])
def test_a_missing_or_old_version_is_refused_and_nothing_changes(plan, version):
    task = TaskFactory(plan=plan, title="原来的", version=1)
    task.title = "我的"
    with pytest.raises(StaleEdit) as stale:
        services.task_update(plan=plan, task=task, version=version)
    assert (stale.value.started, stale.value.current) == (version, 1)
    assert Task.objects.get(pk=task.pk).title == "原来的"


def test_one_launch_milestone_per_plan(plan):
    old = MilestoneFactory(plan=plan, is_launch=True)
    new = MilestoneFactory(plan=plan)
    new.is_launch = True
    services.task_update(plan=plan, task=new, version=new.version)
    old.refresh_from_db()
    assert not old.is_launch and old.version == 2  # a form of the old launch is stale now
    assert list(plan.tasks.filter(is_launch=True)) == [new]


def test_only_a_milestone_can_be_the_launch(plan):
    task = TaskFactory(plan=plan, duration=3)
    task.is_launch = True
    with pytest.raises(ValidationError) as error:
        services.task_update(plan=plan, task=task, version=task.version)
    assert "is_launch" in error.value.message_dict


def test_a_link_closing_a_cycle_is_refused_with_the_cycle_named(plan):
    a = TaskFactory(plan=plan, title="甲")
    b = TaskFactory(plan=plan, title="乙")
    TaskLinkFactory(predecessor=a, successor=b)
    with pytest.raises(ValidationError) as error:
        services.link_add(plan=plan, link=TaskLink(predecessor=b, successor=a))
    assert error.value.message_dict["predecessor"] == ["This link would create a cycle: “甲” → “乙” → “甲”"]
    assert TaskLink.objects.count() == 1


def test_link_delete_needs_the_links_version(plan):
    link = TaskLinkFactory(predecessor=TaskFactory(plan=plan), successor=TaskFactory(plan=plan))
    with pytest.raises(StaleEdit):
        services.link_delete(plan=plan, link=link, version=None)
    services.link_delete(plan=plan, link=link, version=link.version)
    assert not TaskLink.objects.exists()


def test_settings_save_names_the_launch_milestone_and_reschedules(plan):
    launch = MilestoneFactory(plan=plan, title="正式上线")
    settings = services.scheduling.settings_for(plan)
    services.settings_save(plan=plan, version=settings.version, extra_days_off=["2026-09-02"],
                           extra_working_days=[], weights={}, capacities={}, launch_id=launch.pk)
    launch.refresh_from_db()
    assert launch.is_launch
    settings.refresh_from_db()
    assert settings.version == 2 and settings.extra_days_off == ["2026-09-02"]
    with pytest.raises(StaleEdit):
        services.settings_save(plan=plan, version=1, extra_days_off=[], extra_working_days=[], weights={},
                               capacities={})


def test_create_plan_from_template_offsets_count_official_working_days(pm, product):
    template = TemplateFactory(slug="t", name="T")
    # 2026-09-25 is the Mid-Autumn Festival holiday.
    TemplateTaskFactory(template=template, key="a", phase="P", title="节后开工", offset=1)
    plan = services.plan_create_from_template(template, workspace=product.workspace, owner=pm, name="N", product=product, scenario=None,
                                              start_date=D(2026, 9, 24))
    assert plan.tasks.get().start_no_earlier_than == D(2026, 9, 28)
    assert plan.scenario is None and plan.target_launch_date is None


def test_a_template_names_the_plans_launch_milestone(pm, product):
    template = TemplateFactory(slug="t", name="T")
    TemplateTaskFactory(template=template, key="m", phase="P", title="上线", is_milestone=True,
                                duration=0, is_launch=True)
    plan = services.plan_create_from_template(template, workspace=product.workspace, owner=pm, name="N", product=product, scenario=None,
                                              start_date=D(2026, 9, 1))
    assert plan.tasks.get().is_launch


def test_template_task_without_phase_name_has_no_phase(pm, product):
    template = TemplateFactory(slug="t", name="T")
    TemplateTaskFactory(template=template, key="a", phase="  ", title="散件")
    plan = services.plan_create_from_template(template, workspace=product.workspace, owner=pm, name="N", product=product, scenario=None,
                                              start_date=D(2026, 9, 1))
    assert plan.tasks.get().phase is None and not plan.phases.exists()


def test_template_with_a_cycle_creates_nothing(pm, product):
    template = TemplateFactory(slug="t", name="T")
    a = TemplateTaskFactory(template=template, key="a", phase="P", title="甲")
    b = TemplateTaskFactory(template=template, key="b", phase="P", title="乙")
    TemplateLinkFactory(template=template, predecessor=a, successor=b)
    TemplateLinkFactory(template=template, predecessor=b, successor=a)
    with pytest.raises(ValidationError, match="“甲” → “乙” → “甲”"):
        services.plan_create_from_template(template, workspace=product.workspace, owner=pm, name="N", product=product, scenario=None,
                                           start_date=D(2026, 9, 1))
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_invalid_plan_dates_create_nothing(pm, product):
    template = TemplateFactory(slug="t", name="T")
    TemplateTaskFactory(template=template, key="a", phase="P", title="甲")
    with pytest.raises(ValidationError):
        services.plan_create_from_template(template, workspace=product.workspace, owner=pm, name="N", product=product, scenario=None,
                                           start_date=D(2026, 9, 1), target_launch_date=D(2026, 8, 1))
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_plan_reschedule_marks_the_plan_changed(plan):
    before = plan.updated_at
    services.plan_reschedule(plan=plan)
    assert Plan.objects.get(pk=plan.pk).updated_at > before


def test_a_levelling_result_the_plan_outran_says_so_in_the_readers_language(plan):
    """The worker has no reader: the run keeps the message untranslated and the page translates it."""
    from django.utils import translation

    from schedule import scheduling
    from schedule.models import LevellingRun

    task = TaskFactory(plan=plan, duration=2)
    run = LevellingRunFactory(plan=plan)
    with translation.override("zh-hans"):  # what the worker runs in
        outcome = scheduling.compute_levelling(plan, time_limit_s=1)
        task.duration = 5
        services.task_update(plan=plan, task=task, version=task.version)
        assert services.levelling_apply(run=run, outcome=outcome) is False
    run.refresh_from_db()
    assert run.state == LevellingRun.State.FAILED
    assert run.error_text.startswith("The plan changed while levelling ran")
    with translation.override("zh-hans"):
        assert run.error_text.startswith("资源平衡运行期间计划发生了变化")
