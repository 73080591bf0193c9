import datetime

import pytest
import time_machine

from onboarding.models import Lane, Plan, Scenario
from tests.factories import (
    FlowFactory,
    LaneFactory,
    ManagerFactory,
    PlanFactory,
    ProductFactory,
    ScenarioFactory,
    StepFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers cost ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_caches():
    """Cached pages and rate-limit counts never carry over from one test to the next."""
    from django.core.cache import caches

    from sharing import ratelimit

    for cache in caches.all():
        cache.clear()
    ratelimit._local.clear()


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read English text unless they ask for Chinese (Accept-Language or override);
    the product's own default, zh-hans, is tested in tests/test_i18n.py."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def pm(db):
    return UserFactory(username="pm", password="pm-pass-123", first_name="Pat")


@pytest.fixture
def other_pm(db):
    return UserFactory(username="other", password="other-pass-123")


@pytest.fixture
def manager(db):
    return ManagerFactory(username="boss", password="boss-pass-123")


@pytest.fixture
def product(db):
    return ProductFactory(name="手游安全 MTP", category="security", official_url="https://cloud.tencent.com/product/mtp")


@pytest.fixture
def scenario(db):
    return ScenarioFactory(name="手游出海", kind=Scenario.Kind.TO_C, channel_chain=["平台", "开发者"])


@pytest.fixture
def plan(pm, product, scenario):
    return PlanFactory(name="MTP 接入", product=product, scenario=scenario, owner=pm, status=Plan.Status.ACTIVE)


@pytest.fixture
def flow(plan):
    flow = FlowFactory(plan=plan, name="登录防护", need="防外挂")
    first = LaneFactory(flow=flow, name="玩家", position=0)
    second = LaneFactory(flow=flow, name="游戏服务器", position=1, kind=Lane.Kind.SYSTEM)
    StepFactory(lane=first, text="启动游戏", position=0)
    StepFactory(lane=second, text="校验设备", position=1)
    StepFactory(lane=first, text="进入对局", position=2)
    return flow


@pytest.fixture
def pm_client(client, pm):
    client.force_login(pm)
    return client


@pytest.fixture
def real_worker(transactional_db):
    """A real Celery worker on a real Redis; the test's data must be committed (transactional_db)."""
    from tests.workers import RealWorker

    worker = RealWorker().start()
    yield worker
    worker.stop()


@pytest.fixture
def shipped_templates(db):
    """The two shipped checklist templates as migrating leaves them. A transactional test (a live
    server) that ran earlier emptied the tables, and the data migration's rows with them."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from schedule.models import Template

    if Template.objects.filter(slug__in=["paas-access-toc", "paas-access-tob"]).count() < 2:
        migration = importlib.import_module("schedule.migrations.0002_builtin_templates")
        migration.sync_templates(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def one_window():
    """Start at a rate-limit window's start: on a loaded machine two requests can otherwise
    straddle a minute and each be the first of its window."""
    start = datetime.datetime.now(datetime.timezone.utc).replace(second=1, microsecond=0) + datetime.timedelta(minutes=1)
    with time_machine.travel(start, tick=True):
        yield
