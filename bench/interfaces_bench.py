"""Importing a 1,000-operation OpenAPI document: read + validate, keep, apply (diff and rows).

Run by hand (not a test):  .venv/bin/python bench/interfaces_bench.py [--operations 1000] [--repeat 5] [--yaml]
Generates a document (500 paths × GET/POST, path parameters, $ref'd schemas and responses, a
security scheme, a recursive schema), then per round on a fresh product: `importer.parse`
(size checks, $ref checks, openapi-spec-validator, operations), `services.spec_import` (the same
+ storing the document) and `services.spec_apply` (diff + 1,000 rows). Uses a throwaway SQLite
database in /tmp (or DATABASE_URL's when set: it must be a scratch one). Target (issue 17): the
1,000-operation import ≤ 2 s.
"""
import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DB = "/tmp/paasport-interfaces-bench.sqlite3"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false", ALLOWED_HOSTS="localhost")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))


def document(operations):
    paths = {}
    for index in range(operations // 2):
        paths[f"/v1/resources{index}/{{id}}"] = {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {"operationId": f"get{index}", "summary": f"Read resource {index}",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Node"}}}},
                        "404": {"$ref": "#/components/responses/Error"}}},
            "post": {"operationId": f"update{index}", "summary": f"Update resource {index}",
                     "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}},
                     "responses": {"200": {"description": "ok"}, "400": {"$ref": "#/components/responses/Error"},
                                   "5XX": {"$ref": "#/components/responses/Error"}}},
        }
    return {"openapi": "3.0.3", "info": {"title": "Bench API", "version": "1.0"}, "paths": paths,
            "security": [{"key": []}],
            "components": {
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
                "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}},
                "responses": {"Error": {"description": "error", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"code": {"type": "string"}}}}}}},
                "schemas": {"Node": {"type": "object", "properties": {
                    "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--yaml", action="store_true", help="the document as YAML instead of JSON")
    args = parser.parse_args()
    if os.environ["DATABASE_URL"].startswith("sqlite") and Path(DB).exists():
        Path(DB).unlink()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from interfaces import importer, services
    from onboarding.models import Product, Workspace

    data = json.dumps(document(args.operations)).encode()
    if args.yaml:
        import yaml

        data = yaml.safe_dump(json.loads(data), allow_unicode=True).encode()
    workspace = Workspace.objects.create(name="bench")
    rows = {"parse": [], "import": [], "apply": [], "import + apply": []}
    for round_ in range(args.repeat):
        product = Product.objects.create(workspace=workspace, name=f"bench {round_}")
        started = time.perf_counter()
        parsed = importer.parse(data, file_name="bench.yaml" if args.yaml else "bench.json")
        rows["parse"].append(time.perf_counter() - started)
        assert len(parsed.operations) == args.operations
        started = time.perf_counter()
        spec = services.spec_import(product=product, data=data, file_name="bench.yaml" if args.yaml else "bench.json")
        middle = time.perf_counter()
        change = services.spec_apply(spec=spec)
        done = time.perf_counter()
        assert len(change.added) == args.operations
        rows["import"].append(middle - started)
        rows["apply"].append(done - middle)
        rows["import + apply"].append(done - started)
    print(f"{args.operations} operations, {len(data) / 1024:.0f} KB {'YAML' if args.yaml else 'JSON'}, "
          f"{args.repeat} rounds, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; seconds")
    for name, values in rows.items():
        print(f"  {name:<15} best {min(values):.3f}  median {statistics.median(values):.3f}  worst {max(values):.3f}")


if __name__ == "__main__":
    main()
