"""Reading OpenAPI / Swagger documents: good ones become operations; broken, cyclic, oversized and
bomb documents are refused quickly, saying what and where, and change nothing."""
import json
import time

import pytest
import yaml

from interfaces import importer, services
from interfaces.demo import document_bytes
from interfaces.importer import ImportRefused, parse
from interfaces.models import Interface, InterfaceSpec
from tests.factories import InterfaceFactory, PlanFactory, ProductFactory, StakeholderFactory, TaskFactory


def doc(paths, **extra):
    return {"openapi": "3.0.3", "info": {"title": "Partner API", "version": "1.0"}, "paths": paths, **extra}


def raw(document):
    return json.dumps(document).encode()


def refused(data, file_name="x.json"):
    with pytest.raises(ImportRefused) as caught:
        parse(data, file_name=file_name)
    return caught.value.problems


def test_openapi_3_operations_with_auth_errors_and_callbacks():
    parsed = parse(document_bytes("mtp_openapi.yaml"), file_name="mtp_openapi.yaml")
    ops = {op.key: op for op in parsed.operations}
    assert parsed.spec_version == "3.0.3" and len(ops) == 9
    verify = ops[("POST", "/v2/token/verify")]
    assert verify.operation_id == "verifyClientToken"
    assert verify.auth_scheme == "platformSignature (apiKey header:X-Platform-Signature)"
    assert verify.error_responses == ["400", "401", "429"]
    assert verify.direction == "partner"
    # An operation's own `security: []` overrides the document's.
    assert ops[("GET", "/healthz")].auth_scheme == ""
    # Path-level parameters and $ref'd responses are followed; 5XX counts as an error response.
    assert ops[("POST", "/v2/risk/reports")].error_responses == ["400", "5XX"]
    # A callback is served by the other side.
    callback = ops[("POST", "{$request.body#/callbackUrl}/mtp/instance-ready")]
    assert callback.direction == "platform"


def test_swagger_2_yaml_with_security_definitions():
    text = """
swagger: "2.0"
info: {title: Old API, version: "0.9"}
securityDefinitions:
  basic: {type: basic}
security: [{basic: []}]
paths:
  /orders/{id}:
    get:
      summary: Read an order
      parameters: [{name: id, in: path, required: true, type: string}]
      responses:
        200: {description: ok}
        404: {description: missing}
"""
    parsed = parse(text.encode(), file_name="old.yaml")
    (op,) = parsed.operations
    assert parsed.spec_version == "2.0"
    assert (op.method, op.path, op.summary, op.auth_scheme, op.error_responses) == (
        "GET", "/orders/{id}", "Read an order", "basic (basic)", ["404"])


def test_platform_direction_turns_callbacks_to_the_partner():
    parsed = parse(document_bytes("mtp_openapi.yaml"), file_name="mtp.yaml", direction="platform")
    directions = {op.path: op.direction for op in parsed.operations}
    assert directions["/v2/token/verify"] == "platform"
    assert directions["{$request.body#/callbackUrl}/mtp/instance-ready"] == "partner"


def test_webhooks_of_openapi_3_1_are_served_by_the_other_side():
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                "webhooks": {"instanceExpired": {"post": {"responses": {"200": {"description": "ok"}}}}}}
    (op,) = parse(raw(document)).operations
    assert (op.method, op.path, op.direction) == ("POST", "instanceExpired", "platform")


def test_an_invalid_document_says_where():
    problems = refused(raw(doc({"/v1/instances": {"post": {"responses": {"abc": 5}}}})))
    assert any(problem.startswith("paths./v1/instances.post.responses:") for problem in problems), problems


def test_not_openapi_at_all():
    assert "neither" in refused(raw({"hello": "world"}))[0]
    assert "object" in refused(b"[1, 2]")[0]


def test_bad_json_names_line_and_column():
    (problem,) = refused(b'{\n  "openapi": "3.0.3",\n  "info": {,}\n}')
    assert problem.startswith("line 3, column 12: not valid JSON")


def test_bad_yaml_names_line_and_column():
    (problem,) = refused(b"openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\npaths: {}\n", "x.yaml")
    assert problem.startswith("line ") and "not valid YAML" in problem


def test_a_ref_cycle_is_reported_not_hung():
    document = doc({"/x": {"get": {"responses": {"200": {"$ref": "#/components/responses/A"}}}}},
                   components={"responses": {"A": {"$ref": "#/components/responses/B"},
                                             "B": {"$ref": "#/components/responses/A"}}})
    started = time.monotonic()
    problems = refused(raw(document))
    assert time.monotonic() - started < 2
    assert any("$ref cycle" in problem and "#/components/responses/A" in problem for problem in problems), problems


def test_a_path_item_referring_to_itself_is_reported():
    problems = refused(raw(doc({"/x": {"$ref": "#/paths/~1x"}})))
    assert any(problem.startswith("paths./x.$ref: $ref cycle") for problem in problems), problems


def test_recursive_schemas_are_fine():
    document = doc({"/tree": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
        components={"schemas": {"Node": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}})
    assert len(parse(raw(document)).operations) == 1


def test_remote_and_dangling_refs_are_refused():
    document = doc({"/x": {"get": {"responses": {"200": {"$ref": "https://evil.example/r.json"}}}},
                    "/y": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}})
    problems = refused(raw(document))
    assert any("paths./x.get.responses.200.$ref: only references inside the document" in p for p in problems)
    assert any("paths./y.get.responses.200.$ref: #/components/responses/Nope points to nothing" in p
               for p in problems)


def test_over_5_mb_is_refused_before_parsing():
    data = b"{" + b" " * (importer.MAX_BYTES + 10) + b"}"
    started = time.monotonic()
    (problem,) = refused(data)
    assert time.monotonic() - started < 0.5
    assert "limit is 5 MB" in problem


def test_a_yaml_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb = ("\n".join(lines) + "\nopenapi: 3.0.3\n").encode()
    started = time.monotonic()
    (problem,) = refused(bomb, "bomb.yaml")
    assert time.monotonic() - started < 1
    assert "expands to more than 2,000,000 values" in problem


def test_many_aliases_are_refused_at_their_line():
    text = "a: &a [1]\nb: [" + ", ".join(["*a"] * 150) + "]\n"
    (problem,) = refused(text.encode(), "many.yaml")
    assert problem.startswith("line 2: more than 100 YAML aliases")


def test_a_few_aliases_that_expand_hugely_are_refused():
    # 6 levels × 10 aliases: under the alias limit, 10^6 … values once expanded.
    lines = ["a0: &a0 [" + ",".join(["x"] * 30) + "]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 10) + "]")
    problems = refused(("\n".join(lines) + "\n").encode(), "b.yaml")
    assert "expands to more than" in problems[0]


def test_yaml_anchors_in_moderation_are_fine():
    text = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get: &op
      responses: {"200": {description: ok}, "500": {description: boom}}
  /b:
    get: *op
"""
    assert [op.path for op in parse(text.encode(), file_name="t.yaml").operations] == ["/a", "/b"]


def test_deep_nesting_and_nul_are_refused():
    assert "nested" in refused(b"[" * 100_000 + b"]" * 100_000)[0]
    assert "NUL" in refused(raw(doc({"/x\u0000": {}})))[0]


def test_not_utf8():
    assert "UTF-8" in refused(b"\xff\xfe\x00garbage")[0]


# ----------------------------------------------------------------------------- the diff and applying it
@pytest.fixture
def product(db):
    return ProductFactory()


def _spec(product, document, direction="partner"):
    return services.spec_import(product=product, data=raw(document), file_name="api.json", direction=direction)


FIRST = doc({
    "/v1/instances": {"post": {"operationId": "create", "summary": "Create", "responses": {
        "200": {"description": "ok"}, "400": {"description": "bad"}}}},
    "/v1/instances/{id}": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                           "delete": {"summary": "Destroy", "responses": {"204": {"description": "gone"}}}},
    "/v1/usage": {"get": {"summary": "Usage", "responses": {"200": {"description": "ok"}}}},
}, security=[{"key": []}], components={"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}})


def test_import_keeps_the_document_and_changes_nothing_until_accepted(product):
    spec = _spec(product, FIRST)
    assert spec.operation_count == 3 and spec.applied_at is None
    assert not Interface.objects.filter(product=product).exists()
    change = services.spec_diff(spec=spec)
    assert [op.key for op in change.added] == [("POST", "/v1/instances"), ("DELETE", "/v1/instances/{id}"),
                                              ("GET", "/v1/usage")]
    services.spec_apply(spec=spec)
    assert Interface.objects.filter(product=product).count() == 3


def test_reimport_diff_per_field_and_accepting_keeps_owners_and_notes(product):
    services.spec_apply(spec=_spec(product, FIRST))
    owner = StakeholderFactory(workspace=product.workspace, side="partner")
    create = Interface.objects.get(product=product, path="/v1/instances")
    create.partner_owner, create.notes = owner, "signed with HMAC"
    create.save()
    task = TaskFactory(plan=PlanFactory(product=product))
    create.tasks.add(task)
    usage = Interface.objects.get(product=product, path="/v1/usage")
    usage.notes = "nightly"
    usage.save()
    hand = InterfaceFactory(workspace=product.workspace, product=product, method="GET", path="/by/hand")

    second = json.loads(json.dumps(FIRST))
    del second["paths"]["/v1/instances/{id}"]
    second["paths"]["/v1/instances"]["post"]["summary"] = "Create an instance"
    second["paths"]["/v1/instances"]["post"]["responses"]["500"] = {"description": "boom"}
    second["paths"]["/v1/metering"] = {"post": {"responses": {"200": {"description": "ok"}}}}
    spec = _spec(product, second)
    change = services.spec_diff(spec=spec)
    assert [op.key for op in change.added] == [("POST", "/v1/metering")]
    assert [str(row) for row in change.removed] == ["DELETE /v1/instances/{id}"]  # never the hand-added row
    (changed,) = change.changed
    assert changed.fields == [("summary", "Create", "Create an instance"),
                              ("error_responses", ["400"], ["400", "500"])]
    assert change.unchanged == 1

    services.spec_apply(spec=spec)
    create.refresh_from_db()
    usage.refresh_from_db()
    assert create.summary == "Create an instance" and create.error_responses == ["400", "500"]
    assert create.partner_owner == owner and create.notes == "signed with HMAC"
    assert list(create.tasks.all()) == [task]
    assert usage.notes == "nightly"
    assert Interface.objects.filter(pk=hand.pk).exists()
    assert set(Interface.objects.filter(product=product).values_list("path", flat=True)) == {
        "/v1/instances", "/v1/usage", "/v1/metering", "/by/hand"}
    with pytest.raises(Exception):
        services.spec_apply(spec=spec)  # twice: refused


def test_a_newer_document_replaces_the_one_awaiting_review(product):
    first = _spec(product, FIRST)
    second = _spec(product, FIRST)
    assert list(InterfaceSpec.objects.filter(product=product)) == [second]
    assert not InterfaceSpec.objects.filter(pk=first.pk).exists()


def test_a_refused_import_keeps_nothing(product):
    with pytest.raises(ImportRefused):
        services.spec_import(product=product, data=b"{broken", file_name="x.json")
    assert not InterfaceSpec.objects.exists()


def test_yaml_int_response_codes_and_dates_are_read():
    text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n        503: {description: down}\n"
    (op,) = parse(text.encode(), file_name="a.yml").operations
    assert op.error_responses == ["503"]
    assert yaml  # the loader is PyYAML's SafeLoader


def test_the_semantic_checks_of_the_validator_run_on_ordinary_documents():
    document = doc({"/v1/instances/{id}": {"delete": {"responses": {"204": {"description": "gone"}}}}})
    (problem,) = refused(raw(document))
    assert "Path parameter 'id' for 'delete' operation in '/v1/instances/{id}' was not resolved" in problem


def test_a_lone_surrogate_is_refused_where_it_is():
    data = b'{"openapi": "3.0.3", "info": {"title": "\\ud800", "version": "1"}, "paths": {}}'
    (problem,) = refused(data)
    assert problem.startswith("info.title: a lone surrogate")
