"""schemathesis over every operation of /api/v1/schema/: no answer is a 500, and every answer
is one the schema describes (status code, content type, body, headers).

It runs with a write token of the plan's owner against the seeded workspace of
tests/api/conftest.py. Half the path ids are the seeded rows' and half the writes send the row's
current ETag, so the detail and write operations get past 404 and 412 into validation and the
services; the rest stay random (unknown ids, stale or malformed If-Match).

Small and reproducible: a few examples per operation, derandomized, no deadline (2 shared cores).
"""
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.tokens import token_create
from onboarding.models import Plan
from schedule.models import Task
from stakeholders.models import PlanStakeholder
from tests.factories import ScenarioFactory, WebhookDeliveryFactory, WebhookFactory

VERSIONED = {"plans": Plan, "tasks": Task, "plan-stakeholders": PlanStakeholder}
AUTH = {}


@pytest.fixture
def seeded(api_world):
    api_world["scenario"] = ScenarioFactory(workspace=api_world["team"], name="游戏出海")
    api_world["webhook"] = WebhookFactory(
        workspace=api_world["team"], name="走查", secret="s", url="https://partner.example.com/h",
        events=["plan.health_changed"])
    api_world["delivery"] = WebhookDeliveryFactory(
        webhook=api_world["webhook"], event_type="plan.health_changed", status="failed", attempts=5,
        payload={"id": "seeded", "type": "plan.health_changed"})
    return api_world


def seeded_ids(world):
    return {"plans": world["plan"].pk, "tasks": world["tasks"][1].pk, "phases": world["phase"].pk,
            "plan-stakeholders": world["member"].pk, "baselines": world["baseline"].pk,
            "share-links": world["link"].pk, "products": world["plan"].product_id,
            "scenarios": world["scenario"].pk, "workspaces": world["team"].pk, "webhooks": world["webhook"].pk,
            "deliveries": world["delivery"].pk}


def kind_of(operation):
    return operation.path.strip("/").split("/")[2]


@pytest.fixture
def api_schema(seeded, settings):
    settings.API_RATE = None  # thousands of calls in a minute: the throttle has its own test
    _row, AUTH["token"] = token_create(user=seeded["owner"], name="schemathesis", scope="write")
    ids = seeded_ids(seeded)
    # The test's transaction is the database the app sees: keep its connection open across
    # requests, as django.test.Client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(),
                                            headers={"Accept": "application/json"})

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if "id" not in (path_parameters or {}):
            return st.just(path_parameters)
        seeded = {**path_parameters, "id": ids[kind_of(context.operation)]}
        if "delivery_id" in path_parameters:
            seeded["delivery_id"] = ids["deliveries"]
        return st.sampled_from([path_parameters, seeded])

    @schema.hook
    def flatmap_headers(context, headers):
        model = VERSIONED.get(kind_of(context.operation))
        if model is None or "If-Match" not in (headers or {}):
            return st.just(headers)

        def current(_):
            row = model.objects.filter(pk=ids[kind_of(context.operation)]).first()
            return {**headers, "If-Match": f'"{row.version}"'} if row else headers
        return st.one_of(st.just(headers), st.just(None).map(current))

    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_what_the_schema_says(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance], headers={"Authorization": f"Bearer {AUTH['token']}"})
