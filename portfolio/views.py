"""The portfolio: every readable plan on one page, its timeline and the workload across plans."""
import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from plotly.io.json import to_json_plotly

from onboarding.access import current_workspace, roles, workspaces_of
from sharing.exchange import content_disposition

from .exports import portfolio_workbook
from .figures import TimelinePlan, timeline_spec
from .forms import PortfolioFilterForm
from .selectors import filter_rows, filtered_plans, portfolio_rows, sort_rows, week_start, workload, workload_cell

COLUMNS = [  # (sort key, heading)
    ("name", gettext_lazy("Plan")), ("product", gettext_lazy("Product")), ("kind", gettext_lazy("Scenario kind")),
    ("owner", gettext_lazy("Owner")), ("status", gettext_lazy("Status")), ("health", gettext_lazy("Health")),
    ("launch", gettext_lazy("Forecast launch")), ("target", gettext_lazy("Target launch")), ("slip", gettext_lazy("Slip")),
    ("done", gettext_lazy("Done")), ("milestone", gettext_lazy("Next milestone")), ("blockers", gettext_lazy("Open blockers")),
]
WORKLOAD_WEEKS = (8, 12, 26)


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
               "query": _query(request), "today": timezone.localdate()}
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
    try:
        weeks = int(request.GET.get("weeks") or 12)
    except ValueError:
        weeks = 0
    if weeks not in WORKLOAD_WEEKS:
        if request.GET.get("weeks"):
            errors.append(_("Show 8, 12 or 26 weeks: 12 are shown."))
        weeks = 12
    data = workload(request.user, workspace, start=start, weeks=weeks)
    context = {"tab": "workload", "workspace": workspace, "workspaces": workspaces_of(request.user).order_by("name"),
               "start": week_start(start), "weeks": weeks, "week_choices": WORKLOAD_WEEKS, "workload": data,
               "errors": errors, "today_week": week_start(today),
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
    response = HttpResponse(portfolio_workbook(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"{_('Portfolio')}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition(name, fallback="portfolio")
    response["X-Content-Type-Options"] = "nosniff"
    return response
