"""Reading an OpenAPI 3.x / Swagger 2.0 document into operations, and comparing them with a
product's interface rows.

Plain Python (no database): ``parse`` reads and validates bytes, ``operations_of`` lists the
operations of a validated document, ``diff`` compares them with what the product has. Every
refusal is an ``ImportRefused`` whose problems each say where ("paths./v1/instances.post…") and
what.
"""
import json
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from config.query_strings import whole_number

MAX_BYTES = 5 * 1024 * 1024
# A real document uses a handful of YAML anchors; a "billion laughs" needs many aliases.
MAX_ALIASES = 100
# Aliases share objects: the document as the validator walks it can be far bigger than the file.
MAX_NODES = 2_000_000
MAX_DEPTH = 200
FULL_CHECK_MAX_OPERATIONS = 300
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
COMPARED = ("operation_id", "summary", "direction", "auth_scheme", "error_responses")
PARTNER, PLATFORM = "partner", "platform"


class ImportRefused(Exception):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _where(path):
    return ".".join(str(part) for part in path) or _("(document)")


# ----------------------------------------------------------------------------- reading the bytes
# libyaml's loader: PyYAML's pure-Python one takes seconds for a 1,000-operation document.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_aliases(text):
    """Refuse more than MAX_ALIASES aliases from the parser's events, before anything is built."""
    count = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                raise ImportRefused([_("line %(line)s: more than %(count)s YAML aliases (*name); a document "
                                       "this repetitive is refused as a possible “billion laughs” bomb") % {
                    "line": event.start_mark.line + 1, "count": MAX_ALIASES}])


def _load(data, file_name):
    if len(data) > MAX_BYTES:
        raise ImportRefused([_("the file is %(size).1f MB; the limit is 5 MB") % {"size": len(data) / 1024 / 1024}])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused([_("byte %(at)s: the file is not UTF-8 text") % {"at": error.start}]) from None
    if "\x00" in text or "\\u0000" in text:
        raise ImportRefused([_("the file contains a NUL character")])
    stripped = text.lstrip()
    looks_json = file_name.lower().endswith(".json") or stripped.startswith(("{", "["))
    try:
        if looks_json:
            try:
                return json.loads(text)
            except json.JSONDecodeError as error:
                raise ImportRefused([_("line %(line)s, column %(column)s: not valid JSON (%(problem)s)") % {
                    "line": error.lineno, "column": error.colno, "problem": error.msg}]) from None
        try:
            _count_aliases(text)
            return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - the safe loader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            where = _("line %(line)s, column %(column)s") % {"line": mark.line + 1, "column": mark.column + 1} \
                if mark else _("(document)")
            raise ImportRefused([_("%(where)s: not valid YAML (%(problem)s)") % {
                "where": where, "problem": error.problem or error.context}]) from None
        except yaml.YAMLError as error:
            raise ImportRefused([_("not valid YAML (%(problem)s)") % {"problem": error}]) from None
    except RecursionError:
        raise ImportRefused([_("the document is nested too deeply")]) from None


def _check_size(document):
    """Refuse shared (aliased) structures that expand beyond MAX_NODES, and nesting beyond MAX_DEPTH."""
    sizes = {}
    stack = [(document, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise ImportRefused([_("the document is nested more than %(depth)s levels deep") % {"depth": MAX_DEPTH}])
        if not isinstance(node, (dict, list)):
            continue
        if done:
            children = node.values() if isinstance(node, dict) else node
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            if sizes[id(node)] > MAX_NODES:
                raise ImportRefused([_("the document expands to more than %(count)s values (repeated YAML "
                                       "aliases?)") % {"count": f"{MAX_NODES:,}"}])
            continue
        if id(node) in sizes:
            continue
        stack.append((node, depth, True))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1, False) for child in children if isinstance(child, (dict, list))
                     and id(child) not in sizes)


def _jsonable(value, path=()):
    """YAML gives dates, non-string keys, NaN: the stored document (JSON) and the validator need JSON."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                if isinstance(key, (int, bool)) and path and path[-1] == "responses":
                    key = str(key)  # `200:` unquoted in YAML is an int
                else:
                    raise ImportRefused([_("%(where)s: the key %(key)r is not text") % {
                        "where": _where(path), "key": key}])
            out[key] = _jsonable(item, path + (key,))
        return out
    if isinstance(value, list):
        return [_jsonable(item, path + (index,)) for index, item in enumerate(value)]
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        raise ImportRefused([_("%(where)s: NaN and Infinity are not JSON numbers") % {"where": _where(path)}])
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # "\ud800" in JSON: Python reads it, no database stores it.
            raise ImportRefused([_("%(where)s: a lone surrogate (\\ud800–\\udfff) is not text") % {
                "where": _where(path)}]) from None
        return value
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)  # dates and timestamps YAML recognised


# ----------------------------------------------------------------------------- $refs
def _pointer(ref):
    return [part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/")] if ref != "#" else []


def _target(document, ref):
    node = document
    for part in _pointer(ref):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and whole_number(part) is not None and whole_number(part) < len(node):
            node = node[whole_number(part)]
        else:
            return None, False
    return node, True


def _check_refs(document):
    """Every $ref is local ("#/…", never a file or URL the server would fetch), names something,
    and no chain of $refs returns to where it started."""
    problems = []
    stack = [(document, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref is not None:
                where = _where(path + ("$ref",))
                if not isinstance(ref, str) or not ref.startswith("#"):
                    problems.append(_("%(where)s: only references inside the document (#/…) are read, not "
                                      "%(ref)s") % {"where": where, "ref": str(ref)[:200]})
                else:
                    chain, current = [ref], ref
                    while True:
                        target, found = _target(document, current)
                        if not found:
                            problems.append(_("%(where)s: %(ref)s points to nothing in the document") % {
                                "where": where, "ref": current[:200]})
                            break
                        following = target.get("$ref") if isinstance(target, dict) else None
                        if not isinstance(following, str) or not following.startswith("#"):
                            break
                        if following in chain:
                            problems.append(_("%(where)s: $ref cycle %(chain)s") % {
                                "where": where, "chain": " → ".join(chain + [following])[:400]})
                            break
                        chain.append(following)
                        current = following
            stack.extend((item, path + (key,)) for key, item in node.items())
        elif isinstance(node, list):
            stack.extend((item, path + (index,)) for index, item in enumerate(node))
        if len(problems) >= 20:
            break
    if problems:
        raise ImportRefused(sorted(set(problems)))


def resolve(document, node, seen=()):
    """``node`` with its $ref followed (local refs only; a cycle gives an empty object)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            return {}
        seen = (*seen, ref)
        node, found = _target(document, ref)
        if not found:
            return {}
    return node


# ----------------------------------------------------------------------------- validation
def _operation_count(document):
    return sum(1 for item in (document.get("paths") or {}).values() if isinstance(item, dict)
               for method in HTTP_METHODS if method in item)


def _validate(document):
    """openapi-spec-validator: the OpenAPI/Swagger JSON Schema for every document, then the
    library's semantic checks (path parameters declared, operationIds unique, defaults matching
    their schemas) for documents up to FULL_CHECK_MAX_OPERATIONS operations — those cost a few
    milliseconds per operation on Python 3.11 and would take a 1,000-operation import past 2 s."""
    # A heavy import (jsonschema and its schemas): only when a document is imported.
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation.exceptions import ValidatorDetectError

    if not isinstance(document, dict):
        raise ImportRefused([_("(document): an OpenAPI document is an object with “openapi” or “swagger” at "
                               "its top")])
    try:
        validator_cls = get_validator_cls(document)
    except ValidatorDetectError:
        raise ImportRefused([_("(document): neither “openapi: 3.x” nor “swagger: \"2.0\"” at the top: not an "
                               "OpenAPI or Swagger document")]) from None
    problems = []

    def collect(errors):
        for error in errors:
            path = list(getattr(error, "absolute_path", None) or getattr(error, "path", None) or [])
            message = str(getattr(error, "message", error)).split("\n", 1)[0]
            problems.append(f"{_where(path)}: {message[:300]}")
            if len(problems) >= 20:
                break

    try:
        collect(sorted(validator_cls.schema_validator.iter_errors(document), key=lambda e: list(map(str, e.path))))
        if not problems and _operation_count(document) <= FULL_CHECK_MAX_OPERATIONS:
            collect(validator_cls(document).iter_errors())
    except RecursionError:
        problems.append(_("(document): its $refs refer to each other in a cycle the validator cannot follow"))
    if problems:
        raise ImportRefused(problems)


# ----------------------------------------------------------------------------- operations
@dataclass
class Operation:
    method: str
    path: str
    operation_id: str = ""
    summary: str = ""
    direction: str = PARTNER
    auth_scheme: str = ""
    error_responses: list = field(default_factory=list)

    @property
    def key(self):
        return (self.method, self.path)

    def values(self):
        return {name: getattr(self, name) for name in COMPARED}


@dataclass
class ParsedSpec:
    title: str
    api_version: str
    spec_version: str
    document: dict
    operations: list


def _schemes(document):
    if "swagger" in document:
        return document.get("securityDefinitions") or {}
    return (document.get("components") or {}).get("securitySchemes") or {}


def _describe_scheme(document, name):
    scheme = resolve(document, _schemes(document).get(name) or {})
    kind = scheme.get("type", "") if isinstance(scheme, dict) else ""
    if kind == "http":
        detail = f"http {scheme.get('scheme', '')}".strip()
    elif kind == "apiKey":
        detail = f"apiKey {scheme.get('in', '')}:{scheme.get('name', '')}"
    elif kind in ("oauth2", "openIdConnect", "mutualTLS", "basic"):
        detail = kind
    else:
        detail = kind or "?"
    return f"{name} ({detail})"


def _auth(document, security):
    """Text of a security requirement list: alternatives joined by " | ", combined schemes by " + ".
    Empty when the operation needs none, or may be called anonymously (an empty alternative)."""
    if not isinstance(security, list) or not security:
        return ""
    alternatives = []
    for requirement in security:
        if not isinstance(requirement, dict) or not requirement:
            return ""
        alternatives.append(" + ".join(_describe_scheme(document, name) for name in requirement))
    return " | ".join(alternatives)[:120]


def _errors(responses):
    if not isinstance(responses, dict):
        return []
    codes = [str(code) for code in responses if str(code)[:1] in ("4", "5") or str(code) == "default"]
    return sorted(codes, key=lambda code: (code == "default", code))


def _operation(document, method, path, operation, direction, inherited_security):
    operation = resolve(document, operation)
    if not isinstance(operation, dict):
        return None
    security = operation["security"] if "security" in operation else inherited_security
    return Operation(
        method=method.upper(), path=path[:500], operation_id=str(operation.get("operationId") or "")[:200],
        summary=str(operation.get("summary") or operation.get("description") or "").strip().split("\n")[0][:500],
        direction=direction, auth_scheme=_auth(document, security),
        error_responses=_errors(resolve(document, operation.get("responses") or {})),
    )


def _path_item_operations(document, path, item, direction, security, callbacks_direction, out):
    item = resolve(document, item)
    if not isinstance(item, dict):
        return
    for method in HTTP_METHODS:
        if method not in item:
            continue
        operation = _operation(document, method, path, item[method], direction, security)
        if operation is None:
            continue
        out.append(operation)
        callbacks = resolve(document, resolve(document, item[method]).get("callbacks") or {})
        for callback in (callbacks.values() if isinstance(callbacks, dict) else ()):
            callback = resolve(document, callback)
            for expression, callback_item in (callback.items() if isinstance(callback, dict) else ()):
                # A callback is called by the API's provider: the other side serves it.
                _path_item_operations(document, str(expression), callback_item, callbacks_direction, security,
                                      callbacks_direction, out)


def operations_of(document, direction=PARTNER):
    """The operations of a validated document: its paths with the given direction, callbacks and
    webhooks with the other one (they are served by the side that calls the API)."""
    other = PLATFORM if direction == PARTNER else PARTNER
    security = document.get("security") or []
    found = []
    for path, item in (document.get("paths") or {}).items():
        if not path.startswith("x-"):
            _path_item_operations(document, path, item, direction, security, other, found)
    for name, item in (document.get("webhooks") or {}).items():
        _path_item_operations(document, str(name), item, other, security, direction, found)
    unique = {}
    for operation in found:
        unique.setdefault(operation.key, operation)
    return list(unique.values())


def parse(data, *, file_name="", direction=PARTNER):
    """Bytes of a JSON or YAML document → ParsedSpec, or ImportRefused saying what and where."""
    loaded = _load(data, file_name)
    _check_size(loaded)
    document = _jsonable(loaded)
    if not isinstance(document, dict):
        raise ImportRefused([_("(document): an OpenAPI document is an object with “openapi” or “swagger” at "
                               "its top")])
    _check_refs(document)
    _validate(document)
    info = document.get("info") or {}
    return ParsedSpec(
        title=str(info.get("title") or "")[:255], api_version=str(info.get("version") or "")[:60],
        spec_version=str(document.get("openapi") or document.get("swagger") or "")[:20],
        document=document, operations=operations_of(document, direction),
    )


# ----------------------------------------------------------------------------- the diff
@dataclass
class Change:
    key: tuple
    fields: list  # [(field name, old, new)]
    row: object = None


@dataclass
class Diff:
    added: list = field(default_factory=list)  # Operation
    removed: list = field(default_factory=list)  # rows
    changed: list = field(default_factory=list)  # Change
    unchanged: int = 0

    @property
    def empty(self):
        return not (self.added or self.removed or self.changed)


def row_values(row):
    return {name: getattr(row, name) for name in COMPARED}


def diff(rows, operations):
    """How applying ``operations`` would change ``rows`` (the product's interfaces). A row added
    by hand (no document) is never removed by an import."""
    by_key = {(row.method, row.path): row for row in rows}
    result = Diff()
    for operation in operations:
        row = by_key.pop(operation.key, None)
        if row is None:
            result.added.append(operation)
            continue
        old, new = row_values(row), operation.values()
        fields = [(name, old[name], new[name]) for name in COMPARED if old[name] != new[name]]
        if fields:
            result.changed.append(Change(key=operation.key, fields=fields, row=row))
        else:
            result.unchanged += 1
    result.removed = [row for row in by_key.values() if row.spec_id is not None]
    return result
