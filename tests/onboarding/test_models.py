"""Model validation: each mistake gets a message on its field."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from onboarding.models import Product, Scenario, Step
from tests.factories import FlowFactory, LaneFactory


def test_product_urls_are_validated(db):
    with pytest.raises(ValidationError) as error:
        Product(name="x", official_url="ftp//nope").full_clean()
    assert "official_url" in error.value.message_dict


def test_scenario_chain_must_be_role_names(db):
    with pytest.raises(ValidationError) as error:
        Scenario(name="x", channel_chain=["县级代理", ""]).full_clean()
    assert "channel_chain" in error.value.message_dict


def test_plan_dates(plan):
    plan.target_launch_date = plan.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "target_launch_date" in error.value.message_dict


def test_step_in_lane_of_another_flow(plan, flow):
    other = FlowFactory(plan=plan, name="支付")
    foreign = LaneFactory(flow=other, name="支付网关")
    with pytest.raises(ValidationError) as error:
        Step(flow=flow, lane=foreign, text="扣款").full_clean()
    assert error.value.message_dict["lane"] == ["This lane belongs to another flow."]


def test_plan_str_and_url(plan):
    assert str(plan) == "MTP 接入" and plan.get_absolute_url() == f"/plans/{plan.pk}/"
