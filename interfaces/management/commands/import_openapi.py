"""manage.py import_openapi PRODUCT_ID FILE [--direction partner|platform] [--yes]"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interfaces import importer, services
from interfaces.models import Interface
from onboarding.models import Product


class Command(BaseCommand):
    help = ("Read an OpenAPI 3.x / Swagger 2.0 document (JSON or YAML) into a product's interfaces: prints how "
            "many operations it read and what would change; --yes applies it.")

    def add_arguments(self, parser):
        parser.add_argument("product_id", type=int)
        parser.add_argument("file")
        parser.add_argument("--direction", choices=[importer.PARTNER, importer.PLATFORM], default=importer.PARTNER,
                            help="who provides the document's operations (callbacks and webhooks: the other side)")
        parser.add_argument("--yes", action="store_true", help="apply the changes without asking")

    def handle(self, *args, product_id, file, direction, yes, **options):
        product = Product.objects.filter(pk=product_id).first()
        if product is None:
            raise CommandError(f"No product {product_id}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        if path.stat().st_size > importer.MAX_BYTES:
            raise CommandError(f"{file}: the file is {path.stat().st_size / 1024 / 1024:.1f} MB; the limit is 5 MB")
        try:
            spec = services.spec_import(product=product, data=path.read_bytes(), file_name=path.name,
                                        direction=direction)
        except importer.ImportRefused as refused:
            raise CommandError(f"{file} refused, nothing changed:\n  " + "\n  ".join(refused.problems)) from None
        self.stdout.write(f"Read {spec.operation_count} operations from {path.name} "
                          f"({spec.title or '-'}, {'Swagger' if spec.spec_version == '2.0' else 'OpenAPI'} "
                          f"{spec.spec_version}).")
        change = services.spec_diff(spec=spec)
        if not yes:
            self.stdout.write(describe(change))
            services.spec_discard(spec=spec)
            self.stdout.write("Nothing changed. Run again with --yes to apply.")
            return
        change = services.spec_apply(spec=spec)
        self.stdout.write(f"Applied: {len(change.added)} added, {len(change.changed)} changed, "
                          f"{len(change.removed)} removed, {change.unchanged} unchanged; "
                          f"{Interface.objects.filter(product=product).count()} interfaces now.")


def describe(change):
    lines = [f"{len(change.added)} added, {len(change.changed)} changed, {len(change.removed)} removed, "
             f"{change.unchanged} unchanged."]
    lines += [f"+ {op.method} {op.path}  {op.summary}" for op in change.added]
    for item in change.changed:
        lines.append(f"~ {item.row}")
        lines += [f"    {name}: {old!r} -> {new!r}" for name, old, new in item.fields]
    lines += [f"- {row}" for row in change.removed]
    return "\n".join(lines)
