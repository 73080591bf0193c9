import datetime

import pytest

from stakeholders.models import PlanStakeholder, Stakeholder
from tests.factories import FlowFactory, LaneFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, StepFactory


@pytest.fixture
def partner_lead(plan, flow):
    person = StakeholderFactory(name="李雷", organisation="MTP 厂商", department="商务",
                                        side=Stakeholder.Side.PARTNER, role="商务负责人", email="lilei@example.com")
    member = PlanStakeholderFactory(plan=plan, stakeholder=person, relevance=5, influence=5,
                                            audience=PlanStakeholder.Audience.PARTNER, position=0,
                                            concerns="上架时间\n首月 GMV", internal_notes="预算敏感")
    member.steps.add(flow.steps.get(text="校验设备"))
    return member


@pytest.fixture
def ops_engineer(plan):
    person = StakeholderFactory(name="韩梅梅", organisation="平台", department="运维", role="SRE")
    return PlanStakeholderFactory(plan=plan, stakeholder=person, relevance=2, influence=2, position=1)


@pytest.fixture
def other_plan(other_pm, product):
    return PlanFactory(name="DSGC 接入", product=product, owner=other_pm,
                               start_date=datetime.date(2026, 10, 1))


@pytest.fixture
def foreign_step(other_plan):
    flow = FlowFactory(plan=other_plan, name="数据分类")
    lane = LaneFactory(flow=flow, name="安全管理员")
    return StepFactory(flow=flow, lane=lane, text="扫描数据库")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
