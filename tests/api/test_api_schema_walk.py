"""A walk of every operation of the OpenAPI schema: no answer is a 500, and every answer the
schema describes matches it (fields, types, nullability). Run as the plan's owner (everything
works), a read-only token (writes are 403) and another workspace's admin (404 / unknown ids).

Hand-written rather than schemathesis: the operations are few and each needs real ids and a
current If-Match to get past the checks, which a generator would spend its time failing on.
"""
import copy

import jsonschema
import pytest

from tests.api.conftest import api_client

JSON = "application/json"
METHODS = ("get", "post", "put", "patch", "delete")


def as_json_schema(node):
    """OpenAPI 3.0's ``nullable`` in the JSON Schema a validator understands."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture
def schema(api_world):
    response = api_client(api_world["owner"]).get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def check(schema, path, method, operation, response, seen):
    where = f"{method.upper()} {path} → {response.status_code}: {response.content[:300]!r}"
    assert response.status_code < 500, where
    seen.add((path, method))
    described = operation["responses"].get(str(response.status_code))
    if response.status_code < 400:
        assert described is not None, f"undocumented answer: {where}"
    content = (described or {}).get("content", {})
    if JSON in content and response.content:
        root = as_json_schema({"components": schema["components"], **content[JSON]["schema"]})
        jsonschema.Draft202012Validator(root).validate(response.json())


def bodies(world):
    """A valid body for each write, by operation id."""
    plan, phase, member = world["plan"], world["phase"], world["member"]
    task = {"plan": plan.pk, "phase": phase.pk, "title": "走查任务", "duration": 2, "owner": member.pk,
            "status": "in_progress", "percent_complete": 40, "deadline": "2027-06-30", "visibility": "shared"}
    plan_body = {"name": "走查计划", "product": plan.product_id, "start_date": "2027-03-01",
                 "target_launch": "2027-06-30", "status": "active", "summary": "API 走查"}
    stakeholder = {"concerns": "上线时间", "modules": "SDK", "relevance": 4, "influence": 5,
                   "audience": "management", "capacity": 2}
    return {
        "tasks_create": task, "tasks_update": task, "tasks_partial_update": {"status": "blocked"},
        "plans_create": plan_body, "plans_update": plan_body, "plans_partial_update": {"summary": "改过"},
        "plan_stakeholders_update": stakeholder, "plan_stakeholders_partial_update": {"influence": 2},
        "baselines_create": {"plan": plan.pk, "name": "走查基线"},
        "share_links_create": {"plan": plan.pk, "audience": "partner", "label": "走查", "expires_on": "2099-01-01"},
        **dict.fromkeys(("webhooks_create", "webhooks_update"), {
            "workspace": plan.workspace_id, "plan": plan.pk, "name": "走查钩子", "url": "https://partner.example.com/h",
            "events": ["task.status_changed"], "format": "json", "language": "en", "active": True}),
        "webhooks_partial_update": {"events": ["plan.launch_moved", "milestone.reached"]},
    }


def detail_id(world, path):
    kind = path.split("/")[3]
    ids = {"plans": world["plan"].pk, "tasks": world["tasks"][1].pk, "phases": world["phase"].pk,
           "plan-stakeholders": world["member"].pk, "baselines": world["baseline"].pk,
           "share-links": world["link"].pk, "products": world["plan"].product_id,
           "scenarios": world["scenario"].pk, "workspaces": world["team"].pk, "webhooks": world["webhook"].pk}
    return ids[kind]


def query_variants(operation):
    """No parameters; then each filter with a plausible and a nonsense value; each ordering."""
    yield {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        name, spec = parameter["name"], parameter.get("schema", {})
        if name == "ordering":
            for field in ("id", "-id", "title", "-position", "name", "nonsense"):
                yield {"ordering": field, "page_size": 1}
            continue
        plausible = spec.get("enum", [None])[0] if spec.get("enum") else {
            "integer": "1", "boolean": "true", "string": "2027-01-01" if spec.get("format") == "date" else "x",
        }.get(spec.get("type"), "1")
        for value in (plausible, "zz-长-<script>", "-1", ""):
            if value is not None:
                yield {name: value}


def walk(schema, world, client, seen, *, writes=True):
    order = sorted(operations(schema), key=lambda op: (op[1] == "delete", op[1] != "get", op[0]))
    payloads = bodies(world)
    for path, method, operation in order:
        url = path.replace("{id}", str(detail_id(world, path))) if "{id}" in path else path
        if method == "get":
            for query in query_variants(operation):
                response = client.get(url, query)
                check(schema, path, method, operation, response, seen)
                if response.status_code == 200 and "next" in response.json() and response.json()["next"]:
                    check(schema, path, method, operation, client.get(response.json()["next"]), seen)
            continue
        if not writes:
            continue
        current = client.get(url).get("ETag") if method in ("put", "patch", "delete") and "{id}" in path else None
        headers = {"HTTP_IF_MATCH": current} if current else {}
        body = payloads.get(operation["operationId"])
        if method == "delete" or body is None:
            response = getattr(client, method)(url, **headers)
        else:
            # Nonsense first (refused, nothing changes), then the valid body.
            garbage = {key: "zz-长" for key in body}
            check(schema, path, method, operation,
                  getattr(client, method)(url, garbage, content_type=JSON, **headers), seen)
            response = getattr(client, method)(url, copy.deepcopy(body), content_type=JSON, **headers)
        check(schema, path, method, operation, response, seen)


@pytest.fixture
def world(api_world):
    from tests.factories import ScenarioFactory

    from webhooks.models import Webhook

    api_world["scenario"] = ScenarioFactory(workspace=api_world["team"], name="游戏出海")
    api_world["webhook"] = Webhook.objects.create(workspace=api_world["team"], name="走查", secret="s",
                                                  url="https://partner.example.com/h", events=["plan.health_changed"])
    return api_world


def test_every_operation_as_the_owner_answers_what_the_schema_says(schema, world):
    seen = set()
    walk(schema, world, api_client(world["owner"]), seen)
    assert seen == {(path, method) for path, method, _op in operations(schema)}


@pytest.mark.parametrize("who,scope", [("owner", "read"), ("stranger", "write")])
def test_every_operation_refused_cleanly(schema, world, who, scope):
    client = api_client(world[who], scope=scope)
    seen = set()
    walk(schema, world, client, seen)
    assert len(seen) == len(list(operations(schema)))


def test_the_check_catches_an_answer_that_does_not_match(schema):
    root = as_json_schema({"components": schema["components"], "$ref": "#/components/schemas/Task"})
    validator = jsonschema.Draft202012Validator(root)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": "not a number"})
    plan = as_json_schema({"components": schema["components"], "$ref": "#/components/schemas/Plan"})
    assert not jsonschema.Draft202012Validator(plan).is_valid({"health": "fine"})
