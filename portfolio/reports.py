"""The portfolio report as a PDF: one page per workspace, the rows of /portfolio/ as filtered.

Rendered by WeasyPrint like the Gantt PDF (sharing/pdf.py), in the language the user asked in and
with what the user may read when the report runs (not when it was asked for). A job of
onboarding/jobs.py: started, heartbeat while it renders, failed by the sweep if its worker dies.
"""
import logging

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from onboarding import jobs
from sharing import pdf

from .forms import PortfolioFilterForm
from .models import PortfolioReport
from .selectors import filter_rows, filtered_plans, holiday_notes_of_rows, portfolio_rows, sort_rows

logger = logging.getLogger(__name__)
# A failed report shows this, never the exception's text (a database error's text names tables, values
# and processes): the details go to the server log.
REPORT_FAILED = gettext_noop("The report could not be made. Try again; if it fails again, tell an administrator "
                             "(the details are in the server log).")


def report_rows(user, query):
    """The portfolio rows of ``user`` for the filters in ``query`` (a URL query string)."""
    form = PortfolioFilterForm(QueryDict(query), user=user)
    values = form.values()
    rows = filter_rows(portfolio_rows(filtered_plans(user, **values)), **values)
    return sort_rows(rows, values.get("sort") or "name")


def build_report_pdf(user, query, language):
    """(PDF bytes, pages)."""
    with translation.override(language):
        rows = report_rows(user, query)
        pages = {}
        for row in rows:
            pages.setdefault((row.workspace, row.workspace_id), []).append(row)
        html = render_to_string("portfolio/report_pdf.html", {
            # Each workspace's page says which of its plans' years have provisional holidays.
            "pages": [(name, items, holiday_notes_of_rows(items)) for (name, _pk), items in sorted(pages.items())],
            "generated": pdf.now_label(timezone.localtime()), "today": timezone.localdate(),
            "language": language})
        return pdf.write_pdf(html)


def run_report(report_id):
    report = PortfolioReport.objects.select_related("requested_by").filter(pk=report_id).first()
    if report is None or not jobs.start(PortfolioReport, report_id):
        return  # deleted, or done or given up on (e.g. its worker lost) before a redelivery reached us
    try:
        with jobs.heartbeat(PortfolioReport, report_id):
            data, pages = build_report_pdf(report.requested_by, report.query, report.language)
        report.file.save(f"portfolio-{report.pk}.pdf", ContentFile(data), save=False)
    except Exception:  # noqa: BLE001 - the page must show every failure, not hang
        logger.exception("portfolio report %s failed", report_id)
        # Stored untranslated: the page shows ``error_text`` in the reader's language. Only a running
        # report fails here; one the sweep already gave up on keeps its "worker lost" message.
        PortfolioReport.objects.filter(pk=report_id, state=PortfolioReport.State.RUNNING).update(
            state=PortfolioReport.State.FAILED, error=REPORT_FAILED, finished_at=timezone.now())
        return
    # Only a running report is done: one failed meanwhile (its worker thought lost) stays failed.
    PortfolioReport.objects.filter(pk=report_id, state=PortfolioReport.State.RUNNING).update(
        state=PortfolioReport.State.DONE, file=report.file.name, pages=pages, finished_at=timezone.now())
