"""Celery task of the portfolio: the PDF report, by id (queued on commit by the view)."""
from celery import shared_task

from . import reports


@shared_task(ignore_result=True)
def portfolio_report_pdf(report_id):
    reports.run_report(report_id)
