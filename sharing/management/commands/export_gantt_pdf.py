"""Render a plan's Gantt PDF synchronously, the same export the Exports page queues."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onboarding.models import Plan
from sharing.exports import build_gantt_pdf, stop_renderer
from sharing.models import ExportJob


class Command(BaseCommand):
    help = "Export a plan's Gantt chart as a tiled PDF."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--paper", choices=ExportJob.Paper.values, default=ExportJob.Paper.A4)
        parser.add_argument("--scale", choices=ExportJob.Scale.values, default=ExportJob.Scale.WEEKS)
        parser.add_argument("--fit", choices=ExportJob.Fit.values, default=ExportJob.Fit.TILES)
        parser.add_argument("--group-by", choices=ExportJob.GroupBy.values, default=ExportJob.GroupBy.PHASE)
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(pk=options["plan_id"], deleted_at__isnull=True).select_related("product").first()
        if plan is None:
            raise CommandError(f"No plan with id {options['plan_id']}.")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Folder {out.parent} does not exist.")
        try:
            data, pages = build_gantt_pdf(plan, paper=options["paper"], scale=options["scale"],
                                          group_by=options["group_by"], language=options["language"],
                                          fit=options["fit"])
        finally:
            stop_renderer()
        out.write_bytes(data)
        self.stdout.write(f"{out}: {pages} pages, {len(data) // 1024} KB")
