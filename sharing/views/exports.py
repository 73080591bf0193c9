"""Gantt PDF exports (queued on Celery, polled by the page, downloaded from storage) and
synchronous PNG/SVG images of the plan's charts.

Anyone who may read the plan may export it: an export changes nothing in the plan, and managers
(read-only) are the main audience of the PDF.
"""
import logging
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from onboarding.access import get_plan_for_user
from onboarding.selectors import flow_for_chart, flows_for_charts
from onboarding.swimlane import swimlane_figure
from schedule import scheduling
from schedule.dashboard import burnup_figure
from schedule.views.gantt import chart_options, gantt_figure
from stakeholders.charts import grid_figure
from stakeholders.selectors import plan_stakeholders_for_grid

from config.query_strings import whole_number

from .. import exports, selectors
from ..models import ExportJob
from ..tasks import export_gantt_pdf

logger = logging.getLogger(__name__)
PAGE = "sharing/exports.html"
QUEUE_UNAVAILABLE = gettext_noop("The export queue is unavailable. Try again in a moment.")


class ExportForm(forms.Form):
    paper = forms.ChoiceField(label=gettext_lazy("Paper"), choices=ExportJob.Paper.choices)
    scale = forms.ChoiceField(label=gettext_lazy("Scale"), choices=ExportJob.Scale.choices)
    fit = forms.ChoiceField(label=gettext_lazy("Fit"), choices=ExportJob.Fit.choices, required=False)
    group_by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=ExportJob.GroupBy.choices)

    def clean_fit(self):
        return self.cleaned_data.get("fit") or ExportJob.Fit.TILES  # older pages and API calls send none
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


def _decorate(jobs):
    exports.mark_dead_jobs(jobs)
    for job in jobs:
        job.size = None
        if job.state == ExportJob.State.DONE and job.file:
            try:
                job.size = default_storage.size(job.file.name)
            except Exception:  # noqa: BLE001 - a lost file shows as such, not as a 500
                job.state = ExportJob.State.FAILED
                job.error = _("The file is no longer available.")
    return jobs


def _page_context(plan, form=None):
    jobs = _decorate(list(plan.export_jobs.all()[:50]))
    return {"plan": plan, "tab": "exports", "jobs": jobs, "form": form,
            "retention_days": settings.EXPORT_RETENTION_DAYS}


@login_required
def exports_page(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, PAGE, _page_context(plan))


def _queue(request, plan, **options):
    """Create the job and send it on commit; a broker that is down fails the job at once."""
    with transaction.atomic():
        job = ExportJob.objects.create(plan=plan, requested_by=request.user, celery_id=uuid.uuid4().hex,
                                       **options)
        transaction.on_commit(lambda: _send(job.pk, job.celery_id))
    job.refresh_from_db()
    return job


def _send(job_id, celery_id):
    try:
        export_gantt_pdf.apply_async(args=[job_id], task_id=celery_id)
    except Exception as error:  # noqa: BLE001 - broker down: say so instead of hanging or a 500
        logger.warning("export job %s not queued: %s", job_id, error)
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
            state=ExportJob.State.FAILED, error=QUEUE_UNAVAILABLE, finished_at=timezone.now())


def _job_response(request, plan, job, status=200, *, new=False):
    if not request.htmx:
        return redirect("sharing:exports", plan.pk)
    return render(request, f"{PAGE}#{'new_job' if new else 'job'}", {"plan": plan, "job": _decorate([job])[0]},
                  status=status)


# The job must be committed before it is sent (a worker reads it), and the response must already
# tell whether the send worked: so this view manages its own transaction.
@transaction.non_atomic_requests
@login_required
@require_POST
def export_create(request, pk):
    plan = get_plan_for_user(request, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, f"{PAGE}#export_form", {"plan": plan, "form": form}, status=422)
        return render(request, PAGE, _page_context(plan, form), status=422)
    job = _queue(request, plan, **form.cleaned_data)
    return _job_response(request, plan, job, new=True)


@transaction.non_atomic_requests
@login_required
@require_POST
def export_retry(request, pk, job_id):
    plan = get_plan_for_user(request, pk)
    old = selectors.export_job_of(plan, job_id)
    if old is None:
        raise Http404
    job = _queue(request, plan, paper=old.paper, scale=old.scale, fit=old.fit, group_by=old.group_by, language=old.language)
    return _job_response(request, plan, job)


@login_required
def export_status(request, pk, job_id):
    plan = get_plan_for_user(request, pk)
    job = selectors.export_job_of(plan, job_id)
    if job is None:
        raise Http404
    return _job_response(request, plan, job)


@login_required
def export_download(request, pk, job_id):
    plan = get_plan_for_user(request, pk)
    job = selectors.export_job_of(plan, job_id, done=True)
    if job is None or not job.file:
        raise Http404
    try:
        handle = default_storage.open(job.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is no longer available.") from None
    # FileResponse writes filename*=utf-8''… (RFC 5987) for a Chinese plan name.
    return FileResponse(handle, as_attachment=True, filename=exports.file_name(plan, job),
                        content_type="application/pdf")


# ---- chart images -----------------------------------------------------------------------------

CHART_KINDS = ("gantt", "swimlane", "stakeholders", "burnup")
CHART_WIDTH = {"gantt": 1400, "swimlane": 1200, "stakeholders": 900, "burnup": 900}


def _gantt_figure(request, plan):
    scheduling.ensure_fresh(plan)
    figure, _count = gantt_figure(plan, chart_options(request, plan))
    return figure


def _swimlane_figure(request, plan):
    wanted = request.GET.get("flow", "")
    flow = flow_for_chart(plan, whole_number(wanted)) if whole_number(wanted) is not None else flows_for_charts(plan).first()
    if flow is None:
        raise Http404("No such flow")
    return swimlane_figure(flow)


def _stakeholder_figure(request, plan):
    return grid_figure(plan_stakeholders_for_grid(plan))


def _burnup_figure(request, plan):
    scheduling.ensure_fresh(plan)
    return burnup_figure(plan, today=timezone.localdate(), height=400)


BUILDERS = {"gantt": _gantt_figure, "swimlane": _swimlane_figure, "stakeholders": _stakeholder_figure,
            "burnup": _burnup_figure}


@login_required
def chart_image(request, pk, kind, fmt):
    plan = get_plan_for_user(request, pk)
    if kind not in BUILDERS or fmt not in ("png", "svg"):
        raise Http404
    figure = BUILDERS[kind](request, plan)
    height = figure.layout.height or 500
    width = figure.layout.width or CHART_WIDTH[kind]
    try:
        data = exports.render(figure, fmt, width, height, scale=2 if fmt == "png" else 1)
    except Exception:  # noqa: BLE001 - no browser: a clear 503, not a 500
        logger.exception("chart %s of plan %s could not be rendered", kind, plan.pk)
        return HttpResponse(_("The chart could not be drawn right now. Try again in a moment."), status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="image/png" if fmt == "png" else "image/svg+xml")
    name = f"{plan.name} {kind}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response


urlpatterns = [
    path("plans/<int:pk>/exports/", exports_page, name="exports"),
    path("plans/<int:pk>/exports/new/", export_create, name="export_create"),
    path("plans/<int:pk>/exports/<int:job_id>/", export_status, name="export_status"),
    path("plans/<int:pk>/exports/<int:job_id>/download/", export_download, name="export_download"),
    path("plans/<int:pk>/exports/<int:job_id>/retry/", export_retry, name="export_retry"),
    path("plans/<int:pk>/charts/<str:kind>.<str:fmt>", chart_image, name="chart_image"),
]
