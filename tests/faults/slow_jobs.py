"""The Celery app of the worker-killed tests: config.celery's app and its real jobs, whose middle
(the levelling search, the PDF renderings) takes minutes, so a test can kill the worker mid-job.

Started by tests/faults/test_worker_killed.py as ``celery -A tests.faults.slow_jobs worker``.
"""
import time

from celery.signals import task_prerun

from config.celery import app

__all__ = ["app"]

HOLD_S = 300


def _slow(function, percent_field):
    def slow(*args, progress, **kwargs):
        progress(percent_field)  # tells the test the job is past its start, in its middle
        time.sleep(HOLD_S)
        return function(*args, progress=progress, **kwargs)

    return slow


def _slow_report(function):
    # The report has no progress: the test sees its middle as the report running (jobs.start).
    def slow(*args, **kwargs):
        time.sleep(HOLD_S)
        return function(*args, **kwargs)

    return slow


@task_prerun.connect
def _make_jobs_slow(**kwargs):
    # Django is set up by now (not yet when this module is imported).
    from portfolio import reports
    from schedule import scheduling
    from sharing import exports

    if not getattr(scheduling, "_faults_slow", False):
        scheduling.compute_levelling = _slow(scheduling.compute_levelling, 50)
        exports.build_gantt_pdf = _slow(exports.build_gantt_pdf, 50)
        reports.build_report_pdf = _slow_report(reports.build_report_pdf)
        scheduling._faults_slow = True
