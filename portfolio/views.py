"""The portfolio: every readable plan on one page, its timeline and the workload across plans."""
import datetime
import logging
import uuid
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST, require_safe
from plotly.io.json import to_json_plotly

from config.query_strings import whole_number
from onboarding import jobs
from onboarding.access import current_workspace, roles, workspaces_of
from schedule import scheduling
from schedule.engine.calendar import FIRST_DATE, LAST_DATE
from sharing.exchange import content_disposition

from .exports import portfolio_workbook
from .figures import TimelinePlan, timeline_spec
from .forms import PortfolioFilterForm
from .models import PortfolioReport
from .selectors import (
    filter_rows,
    filtered_plans,
    holiday_notes_of_rows,
    portfolio_rows,
    sort_rows,
    week_start,
    workload,
    workload_cell,
)
from .tasks import portfolio_report_pdf

COLUMNS = [  # (sort key, heading)
    ("name", gettext_lazy("Plan")), ("product", gettext_lazy("Product")), ("kind", gettext_lazy("Scenario kind")),
    ("owner", gettext_lazy("Owner")), ("status", gettext_lazy("Status")), ("health", gettext_lazy("Health")),
    ("launch", gettext_lazy("Forecast launch")), ("target", gettext_lazy("Target launch")), ("slip", gettext_lazy("Slip")),
    ("done", gettext_lazy("Done")), ("milestone", gettext_lazy("Next milestone")), ("blockers", gettext_lazy("Open blockers")),
    ("interfaces", gettext_lazy("Interfaces")),
]
WORKLOAD_WEEKS = (8, 12, 26)
logger = logging.getLogger(__name__)


def _require_member(request):
    if not roles(request.user):
        raise Http404("No workspace")


def portfolio_for(request):
    """(filter form, the rows it selects, sorted): what the page, the timeline and the exports show."""
    form = PortfolioFilterForm(request.GET, user=request.user)
    values = form.values()
    rows = portfolio_rows(filtered_plans(request.user, **values))
    rows = filter_rows(rows, **values)
    return form, sort_rows(rows, values.get("sort") or "name")


def _query(request, **changes):
    params = {key: value for key, value in request.GET.items() if value}
    params.update(changes)
    return urlencode({key: value for key, value in params.items() if value})


def _sort_links(request, current):
    links = []
    for key, heading in COLUMNS:
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        links.append({"key": key, "heading": str(heading), "direction": direction,
                      "query": _query(request, sort=f"-{key}" if current == key else key)})
    return links


@login_required
@require_safe
def portfolio(request):
    _require_member(request)
    form, rows = portfolio_for(request)
    sort = form.values().get("sort") or "name"
    context = {"form": form, "rows": rows, "columns": _sort_links(request, sort), "tab": "table",
               "query": _query(request), "today": timezone.localdate(), "holiday_notes": holiday_notes_of_rows(rows)}
    if request.htmx and request.htmx.target == "portfolio-table":
        return render(request, "portfolio/portfolio.html#table", context)
    return render(request, "portfolio/portfolio.html", context)


def timeline_labels():
    return {"plan": _("Plan"), "milestone": _("Milestone"), "target": _("Target launch"), "today": _("Today"),
            "start": _("Start"), "launch": _("Forecast launch"), "health": _("Health"), "done": _("Done")}


def timeline_figure(rows, *, group, today):
    plans = [TimelinePlan(
        id=row.plan_id, name=row.name, group=row.owner if group == "owner" else row.product, start=row.start,
        launch=row.forecast_launch, target=row.target, health=row.health, health_label=row.health_label,
        percent_done=row.percent_done, milestones=[(m.title, m.date, m.done) for m in row.milestones])
        for row in rows]
    return timeline_spec(plans, today=today, labels=timeline_labels())


@login_required
@require_safe
def timeline(request):
    _require_member(request)
    form, rows = portfolio_for(request)
    group = form.values().get("group") or "product"
    today = timezone.localdate()
    context = {"form": form, "rows": rows, "tab": "timeline", "group": group, "query": _query(request),
               "holiday_notes": holiday_notes_of_rows(rows),
               "figure_json": to_json_plotly(timeline_figure(rows, group=group, today=today)) if rows else ""}
    if request.htmx and request.htmx.target == "portfolio-timeline":
        return render(request, "portfolio/timeline.html#chart", context)
    return render(request, "portfolio/timeline.html", context)


def _workspace_param(request):
    """The workspace asked for (one of the user's, else 404), or the current one."""
    value = request.GET.get("workspace")
    if value:
        try:
            pk = int(value)
        except ValueError:
            raise Http404("No such workspace") from None
        workspace = workspaces_of(request.user).filter(pk=pk).first()
        if workspace is None:
            raise Http404("No such workspace")
        return workspace
    return current_workspace(request)


def _date_param(request, name, default):
    """The date in the query, ``default`` when there is none, None when it is not a date."""
    value = request.GET.get(name)
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _in_calendar(start, weeks):
    """Whether ``weeks`` weeks from the week of ``start`` lie in the dates the working calendar
    serves (a week past either end has no working days to count: a CalendarRangeError, a 500)."""
    first = week_start(start)  # counted back from LAST_DATE: first + weeks overflows past 9999-12-31
    return FIRST_DATE <= first <= LAST_DATE - datetime.timedelta(days=7 * weeks - 1)


@login_required
@require_safe
def workload_page(request):
    _require_member(request)
    workspace = _workspace_param(request)
    today = timezone.localdate()
    errors = []
    start = _date_param(request, "start", week_start(today))
    if start is None:
        errors.append(_("The first week is not a date (YYYY-MM-DD): this week is shown."))
        start = week_start(today)
    weeks = whole_number(request.GET.get("weeks") or "12")
    if weeks not in WORKLOAD_WEEKS:
        if request.GET.get("weeks"):
            errors.append(_("Show 8, 12 or 26 weeks: 12 are shown."))
        weeks = 12
    if not _in_calendar(start, weeks):
        errors.append(_("The weeks shown must fall from %(first)s to %(last)s: this week is shown.")
                      % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()})
        start = week_start(today)
    data = workload(request.user, workspace, start=start, weeks=weeks)
    last_day = week_start(start) + datetime.timedelta(weeks=weeks, days=-1)
    context = {"tab": "workload", "workspace": workspace, "workspaces": workspaces_of(request.user).order_by("name"),
               "start": week_start(start), "weeks": weeks, "week_choices": WORKLOAD_WEEKS, "workload": data,
               "errors": errors, "today_week": week_start(today),
               # The weeks' working days count each year's holidays: say which years are provisional.
               "holiday_notes": scheduling.spans_holiday_notes([(week_start(start).year, last_day.year)]),
               "cell_url": f"{reverse('portfolio:workload_cell')}?workspace={workspace.pk if workspace else ''}"}
    if request.htmx and request.htmx.target == "workload-grid":
        return render(request, "portfolio/workload.html#grid", context)
    return render(request, "portfolio/workload.html", context)


@login_required
@require_safe
def workload_cell_view(request):
    _require_member(request)
    workspace = _workspace_param(request)
    week = _date_param(request, "week", None)
    if week is not None and not _in_calendar(week, 1):
        week = None
    try:
        person = int(request.GET.get("person", ""))
    except ValueError:
        person = None
    if week is None or person is None:
        raise Http404("No such cell")
    tasks = workload_cell(request.user, workspace, stakeholder_id=person, week=week)
    return render(request, "portfolio/workload.html#cell", {
        "tasks": tasks, "week": week_start(week), "week_end": week_start(week) + datetime.timedelta(days=6),
        "total": sum(task.days for task in tasks)})


@login_required
@require_safe
def export_xlsx(request):
    """The portfolio as filtered, as an Excel workbook."""
    _require_member(request)
    _form, rows = portfolio_for(request)
    response = HttpResponse(portfolio_workbook(rows, holiday_notes=holiday_notes_of_rows(rows)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"{_('Portfolio')}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition(name, fallback="portfolio")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ----------------------------------------------------------------------------- the PDF report (Celery)
QUEUE_UNAVAILABLE = gettext_noop("The report queue is unavailable. Try again in a moment.")


def _report_response(request, report, status=200):
    if not request.htmx:
        return redirect(f"{reverse('portfolio:portfolio')}?{report.query}")
    return render(request, "portfolio/portfolio.html#report", {"report": report}, status=status)


def _send_report(report_id, celery_id):
    try:
        portfolio_report_pdf.apply_async(args=[report_id], task_id=celery_id)
    except Exception as error:  # noqa: BLE001 - broker down: say so instead of hanging or a 500
        logger.warning("portfolio report %s not queued: %s", report_id, error)
        PortfolioReport.objects.filter(pk=report_id, state=PortfolioReport.State.QUEUED).update(
            state=PortfolioReport.State.FAILED, error=QUEUE_UNAVAILABLE, finished_at=timezone.now())


def _queue_report(request, query):
    # The report must be committed before it is sent (a worker reads it): the views calling this
    # run their own transaction.
    with transaction.atomic():
        report = PortfolioReport.objects.create(requested_by=request.user, query=query, celery_id=uuid.uuid4().hex,
                                                language=translation.get_language() or "zh-hans")
        transaction.on_commit(lambda: _send_report(report.pk, report.celery_id))
    report.refresh_from_db()
    return _report_response(request, report)


@transaction.non_atomic_requests
@login_required
@require_POST
def report_create(request):
    """Queue the PDF of the portfolio as filtered (the filters come as the page's query string)."""
    _require_member(request)
    fields = PortfolioFilterForm.base_fields
    query = urlencode([(name, value) for name, value in request.POST.items() if name in fields and value])[:1000]
    return _queue_report(request, query)


@transaction.non_atomic_requests
@login_required
@require_POST
def report_retry(request, pk):
    """A failed (or any) report of the user's, asked for again with the same filters."""
    _require_member(request)
    return _queue_report(request, _my_report(request, pk).query)


def _my_report(request, pk):
    """The user's report; failed here when its worker is gone (onboarding/jobs.py), so the page
    shows why and a retry instead of polling forever."""
    report = PortfolioReport.objects.filter(pk=pk, requested_by=request.user).first()
    if report is None:
        raise Http404("No such report")
    jobs.fail_overdue([report])
    return report


@login_required
@require_safe
def report_status(request, pk):
    return _report_response(request, _my_report(request, pk))


@login_required
@require_safe
def report_download(request, pk):
    report = _my_report(request, pk)
    if report.state != PortfolioReport.State.DONE or not report.file:
        raise Http404("The report is not ready")
    try:
        handle = default_storage.open(report.file.name, "rb")
    except Exception:  # noqa: BLE001 - a purged file is a 404, not a 500
        raise Http404("The file is no longer available") from None
    response = FileResponse(handle, content_type="application/pdf")
    name = f"{_('Portfolio')}-{timezone.localtime(report.created_at).date().isoformat()}.pdf"
    response["Content-Disposition"] = content_disposition(name, fallback="portfolio")
    return response
