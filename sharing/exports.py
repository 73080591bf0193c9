"""The Gantt PDF export service and the one figure renderer (kaleido) of a process.

Rendering: one Chromium per process, kept by kaleido's sync server (started by the Celery worker's
``worker_process_init`` hook, or lazily on first use in a web process). It is not thread-safe, so
every call holds ``_LOCK``. If the server cannot start, each call runs a one-off kaleido (slower,
~2–3 s, but it works).
"""
from __future__ import annotations

import logging
import threading
import time
import warnings
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onboarding import jobs
from schedule import scheduling
from schedule.gantt_data import gantt_labels, gantt_tasks, non_working_days
from schedule.selectors import plan_status

from . import pdf
from .models import ExportJob

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()
_STATE = {"server": None}  # None: not tried yet; True: running; False: unusable, use one-off calls
WARM_UP_TIMEOUT_S = 60
UNSENT_AFTER = timedelta(minutes=1)  # queued without a Celery id: the send never happened
# A failed job shows this, never the exception's text (a database error's text names tables, values and
# processes): the details go to the server log. Stored untranslated, as the worker has no reader's
# language; ExportJob.error_text shows it in the language of whoever reads the page.
EXPORT_FAILED = gettext_noop("The PDF could not be made. Try again; if it fails again, tell an administrator "
                             "(the details are in the server log).")


def _quiet():
    for name in ("kaleido", "choreographer", "logistro"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="The kopts argument is ignored if using a server")


_TINY = {"data": [{"type": "bar", "x": [1], "y": [1]}], "layout": {"width": 50, "height": 50}}


def start_renderer():
    """Start this process's kaleido server (idempotent); False when it cannot, so calls go one-off."""
    with _LOCK:
        return _start_locked()


def _start_locked():
    if _STATE["server"] is not None:
        return _STATE["server"]
    _quiet()
    import kaleido  # heavy (a browser driver): only in processes that draw figures

    try:
        kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
        # A server whose browser never came up would block every call forever: warm it up in a
        # watcher thread with a timeout before trusting it.
        outcome = {}

        def warm_up():
            try:
                outcome["ok"] = bool(kaleido.calc_fig_sync(_TINY, opts={"format": "svg", "width": 50, "height": 50}))
            except Exception as error:  # noqa: BLE001
                outcome["error"] = error

        thread = threading.Thread(target=warm_up, daemon=True)
        thread.start()
        thread.join(WARM_UP_TIMEOUT_S)
        if not outcome.get("ok"):
            raise RuntimeError(outcome.get("error") or "kaleido server did not answer")
        _STATE["server"] = True
    except Exception as error:  # noqa: BLE001 - fall back to one-off renders
        logger.warning("kaleido server unavailable, rendering one figure at a time: %s", error)
        _STATE["server"] = False
    return _STATE["server"]


def stop_renderer():
    """Close this process's browser (a command's last step: at interpreter exit it would complain)."""
    import kaleido

    with _LOCK:
        if _STATE["server"] and _server_alive():
            kaleido.stop_sync_server(silence_warnings=True)
        _STATE["server"] = None


def _server_alive():
    import kaleido

    server = kaleido._global_server  # noqa: SLF001 - the only way to see that its thread died
    thread = getattr(server, "_thread", None)
    return server.is_running() and thread is not None and thread.is_alive()


def render(figure, fmt, width, height, scale=1):
    """PNG/SVG bytes of a Plotly figure (a go.Figure or its dict)."""
    import kaleido

    fig = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": scale}
    with _LOCK:
        if _start_locked() and _server_alive():
            return kaleido.calc_fig_sync(fig, opts=opts)
        if _STATE["server"]:
            logger.warning("kaleido server thread died; rendering one-off from now on")
            _STATE["server"] = False
        _quiet()
        return kaleido._sync_server.oneshot_async_run(  # noqa: SLF001 - bypasses a dead global server
            kaleido.calc_fig, args=(fig,), kwargs={"opts": opts, "kopts": {"mathjax": False}})


# ---- the Gantt PDF ------------------------------------------------------------------------------

def build_gantt_pdf(plan, *, paper="a4", scale="weeks", group_by="phase", language="zh-hans", fit="tiles",
                    progress=lambda percent: None):
    """(PDF bytes, pages) of the plan's Gantt, in ``language``."""
    with translation.override(language):
        scheduling.ensure_fresh(plan)
        tasks = gantt_tasks(plan, with_priority=False)
        progress(15)
        labels = {**gantt_labels(), "non_working": _("Non-working day"),
                  "full_names": _("Full task names (shortened in the chart)"),
                  "where": _("Rows %(first)s–%(last)s · %(start)s to %(end)s")}
        today = timezone.localdate()
        first = min((t.start for t in tasks), default=plan.start_date)
        last = max((t.finish for t in tasks), default=first)
        try:
            days_off = set(non_working_days(plan, first - timedelta(days=7), last + timedelta(days=400)))
        except Exception:  # noqa: BLE001 - shading is decoration; a calendar gap must not fail the export
            days_off = set()
        status = plan_status(plan, today=today)
        launch = _("Forecast launch %(date)s (%(health)s)") % {
            "date": status.forecast_launch.isoformat() if status.forecast_launch else "—",
            "health": status.health_label}
        if status.target:
            launch += " · " + _("target %(date)s") % {"date": status.target.isoformat()}
        subtitle = f"{plan.product.name} · {first.isoformat()} – {last.isoformat()} · {launch}"
        doc = pdf.Document(
            title=plan.name, subtitle=subtitle,
            generated=_("Generated %(when)s") % {"when": pdf.now_label(timezone.localtime())},
            labels=labels, paper=paper, scale=scale, group_by=group_by, today=today,
            non_working_days=days_off, language=language, fit=fit,
            notes=[note.text for note in scheduling.holiday_notes(plan)])
        figure, rows, tile_plan, geometry = pdf.build_tiles_figure(tasks, doc)
        progress(30)
        svg = render(figure, "svg", figure["layout"]["width"], figure["layout"]["height"])
        progress(60)
        band_svgs = pdf.split_bands(svg, len(tile_plan.bands))
        html = pdf.compose_html(doc, rows, tile_plan, geometry, band_svgs)
        data, pages = pdf.write_pdf(html)
        progress(95)
        return data, pages


def file_name(plan, job=None):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    paper = (job.paper if job else "a4").upper()
    return f"{plan.name} Gantt {paper} {stamp}.pdf"


def run_job(job_id):
    """Render one ExportJob (called by the Celery task, eager or on a worker)."""
    job = ExportJob.objects.select_related("plan__product").filter(pk=job_id).first()
    if job is None or not jobs.start(ExportJob, job_id, progress=5):
        return  # deleted, or done or given up on (e.g. its worker lost) before a redelivery reached us
    running = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING)

    def progress(percent):
        running.update(progress=percent)

    started = time.monotonic()
    with jobs.heartbeat(ExportJob, job_id):
        try:
            data, pages = build_gantt_pdf(job.plan, paper=job.paper, scale=job.scale, group_by=job.group_by,
                                          language=job.language, fit=job.fit, progress=progress)
            job.file.save(f"plan{job.plan_id}-gantt-{job.pk}.pdf", ContentFile(data), save=False)
        except Exception:  # noqa: BLE001 - the page must show every failure, not hang
            logger.exception("export job %s failed", job_id)
            running.update(state=ExportJob.State.FAILED, error=EXPORT_FAILED, finished_at=timezone.now())
            return
    running.update(state=ExportJob.State.DONE, progress=100, file=job.file.name, pages=pages,
                   finished_at=timezone.now())
    logger.info("export job %s: %s pages in %.1f s", job_id, pages, time.monotonic() - started)


def mark_dead_jobs(jobs_):
    """Jobs whose worker is gone (onboarding/jobs.py), or that were never sent, are failed so the
    user can retry; returns how many were marked."""
    now = timezone.now()
    unsent = {job.pk for job in jobs_ if job.state == ExportJob.State.QUEUED and not job.celery_id
              and now - job.created_at > UNSENT_AFTER}
    return jobs.fail_overdue(jobs_, now, not_started=unsent)


def purge_old(days):
    """Delete jobs (and their files) created more than ``days`` days ago; returns how many."""
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))
    count = 0
    for job in old.iterator():
        if job.file:
            try:
                default_storage.delete(job.file.name)
            except Exception:  # noqa: BLE001 - a missing file must not keep the row forever
                logger.warning("could not delete export file %s", job.file.name, exc_info=True)
        job.delete()
        count += 1
    return count
