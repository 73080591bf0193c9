"""Share pages are rendered once per link and language, and never outlive a change to what they show."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schedule.models import Phase
from sharing import links
from sharing.models import ShareLink
from stakeholders.models import Stakeholder
from tests.factories import OfficialHolidayYearFactory, PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, WatchOutFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def shared(plan):
    phase = PhaseFactory(plan=plan, name="联调阶段")
    task = TaskFactory(plan=plan, phase=phase, title="提供测试账号", duration=2, visibility="shared")
    _link, token = ShareLink.create(plan=plan, audience="partner")
    return task, token


def _view(client, token, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/s/{token}/", query)
    return response, len(queries)


def test_a_second_view_reuses_the_page_and_still_counts(client, shared):
    task, token = shared
    first, first_queries = _view(client, token)
    second, second_queries = _view(client, token)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and task.title in second.content.decode()
    assert second_queries < first_queries / 2
    assert second["X-Robots-Tag"] == "noindex, nofollow" and second["Cache-Control"] == "private, no-store"
    assert ShareLink.objects.get().view_count == 2


def test_any_change_shows_at_once(client, shared, plan):
    task, token = shared
    _view(client, token)
    task.title = "提供测试账号（第二版）"
    task.save()
    assert "提供测试账号（第二版）" in _view(client, token)[0].content.decode()
    # Changes outside the task table too: the owner's stakeholder record, a phase name.
    member = PlanStakeholderFactory(plan=plan, stakeholder=StakeholderFactory(
        name="王工", organisation="星河游戏", side=Stakeholder.Side.PARTNER))
    task.owner = member
    task.save()
    assert "王工 · 星河游戏" in _view(client, token)[0].content.decode()
    member.stakeholder.name = "王工程师"
    member.stakeholder.save()
    assert "王工程师 · 星河游戏" in _view(client, token)[0].content.decode()
    Phase.objects.get(pk=task.phase_id).delete()
    assert "联调阶段" not in _view(client, token)[0].content.decode()


def test_revoked_or_expired_links_are_refused_even_with_a_cached_page(client, shared, plan):
    _task, token = shared
    assert _view(client, token)[0].status_code == 200
    links.revoke_link(ShareLink.objects.get())
    assert _view(client, token)[0].status_code == 404


def test_each_language_and_zoom_has_its_own_page(client, shared):
    _task, token = shared
    english = _view(client, token, lang="en")[0].content.decode()
    chinese = _view(client, token, lang="zh-hans")[0].content.decode()
    assert 'lang="en"' in english and 'lang="zh-hans"' in chinese
    weeks = _view(client, token, lang="en", zoom="weeks")[0].content.decode()
    assert weeks != english and _view(client, token, lang="en")[0].content.decode() == english


def test_links_of_two_plans_never_share_a_page(client, shared, plan, other_pm, product):
    _task, token = shared
    other_plan = PlanFactory(name="DSGC", product=product, owner=other_pm,
                                     start_date=plan.start_date, updated_at=plan.updated_at)
    TaskFactory(plan=other_plan, title="OTHER-PLAN-TASK", duration=1, visibility="shared")
    _link, other_token = ShareLink.create(plan=other_plan, audience="partner")
    assert "OTHER-PLAN-TASK" not in _view(client, token)[0].content.decode()
    assert "OTHER-PLAN-TASK" in _view(client, other_token)[0].content.decode()
    assert "提供测试账号" not in _view(client, other_token)[0].content.decode()


def test_a_write_to_one_plan_leaves_other_plans_pages_cached(client, shared, plan, other_pm, product):
    _task, token = shared
    other_plan = PlanFactory(name="DSGC", product=product, owner=other_pm, start_date=plan.start_date)
    other_task = TaskFactory(plan=other_plan, title="OTHER-PLAN-TASK", duration=1, visibility="shared")
    _view(client, token)
    _cold, warm_queries = _view(client, token)
    # Another PM edits a task, a link and a watch-out of their plan: this plan's page stays cached.
    other_task.title = "OTHER-PLAN-TASK v2"
    other_task.save()
    second = TaskFactory(plan=other_plan, title="second", duration=1)
    TaskLinkFactory(predecessor=other_task, successor=second)
    WatchOutFactory(task=second, text="careful")
    page, queries = _view(client, token)
    assert queries == warm_queries and "提供测试账号" in page.content.decode()


def test_people_and_holiday_years_reach_every_plans_page(client, shared, plan, other_pm, product):
    task, token = shared
    other_plan = PlanFactory(name="DSGC", product=product, owner=other_pm, start_date=plan.start_date)
    person = StakeholderFactory(name="王工", organisation="星河游戏", side=Stakeholder.Side.PARTNER)
    task.owner = PlanStakeholderFactory(plan=plan, stakeholder=person)
    task.save()
    PlanStakeholderFactory(plan=other_plan, stakeholder=StakeholderFactory(name="李工"))
    _view(client, token)
    _cold, warm_queries = _view(client, token)
    person.name = "王工程师"  # a person's record is not one plan's: every page showing them is rebuilt
    person.save()
    page, queries = _view(client, token)
    assert "王工程师 · 星河游戏" in page.content.decode() and queries > warm_queries
    _view(client, token)
    OfficialHolidayYearFactory(year=2031)
    assert _view(client, token)[1] > warm_queries
