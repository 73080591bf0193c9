import datetime

import pytest
from django.contrib.auth.models import Group, User

from onboarding.access import MANAGERS_GROUP
from onboarding.models import Flow, Lane, Plan, Product, Scenario, Step


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers cost ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    """Tests read English text unless they ask for Chinese (Accept-Language or override);
    the product's own default, zh-hans, is tested in tests/test_i18n.py."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def pm(db):
    return User.objects.create_user("pm", password="pm-pass-123", first_name="Pat")


@pytest.fixture
def other_pm(db):
    return User.objects.create_user("other", password="other-pass-123")


@pytest.fixture
def manager(db):
    user = User.objects.create_user("boss", password="boss-pass-123")
    user.groups.add(Group.objects.get_or_create(name=MANAGERS_GROUP)[0])
    return user


@pytest.fixture
def product(db):
    return Product.objects.create(name="手游安全 MTP", vendor_name="腾讯云", category="security",
                                  official_url="https://cloud.tencent.com/product/mtp")


@pytest.fixture
def scenario(db):
    return Scenario.objects.create(name="手游出海", kind=Scenario.Kind.TO_C, channel_chain=["平台", "开发者"])


@pytest.fixture
def plan(pm, product, scenario):
    return Plan.objects.create(name="MTP 接入", product=product, scenario=scenario, owner=pm,
                               start_date=datetime.date(2026, 9, 1), status=Plan.Status.ACTIVE)


@pytest.fixture
def flow(plan):
    flow = Flow.objects.create(plan=plan, name="登录防护", need="防外挂")
    first = Lane.objects.create(flow=flow, name="玩家", position=0)
    second = Lane.objects.create(flow=flow, name="游戏服务器", position=1, kind=Lane.Kind.SYSTEM)
    Step.objects.create(flow=flow, lane=first, text="启动游戏", position=0)
    Step.objects.create(flow=flow, lane=second, text="校验设备", position=1)
    Step.objects.create(flow=flow, lane=first, text="进入对局", position=2)
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
