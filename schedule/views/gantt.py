"""The Gantt page: the plan's schedule as one Plotly chart, a click opens the task's editor."""
import datetime
import json

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods
from django_htmx.http import trigger_client_event
from plotly.io.json import to_json_plotly

from onboarding import revisions
from onboarding.access import get_plan_for_user
from onboarding.forms import add_service_errors
from onboarding.inline import PLAN_CHANGED_EVENT
from onboarding.versioning import StaleEdit

from config.query_strings import whole_number

from .. import scheduling, services
from ..engine.calendar import FIRST_DATE, LAST_DATE
from ..figures.gantt import gantt_spec, zoom_range
from ..forms import TaskForm
from ..gantt_data import gantt_labels, gantt_tasks, non_working_days

GANTT_PAGE = "schedule/plan_gantt.html"
GROUPS = ("phase", "owner", "side")
ZOOMS = ("weeks", "months", "quarters", "all")
# Above this many tasks the lines of every dependency hide more than they show (the page draws
# them cheaply as one SVG path): draw only the clicked task's.
ALL_DEPENDENCIES_UP_TO = 10_000


def _parse_date(value):
    """A date of the query, None when it is not one or lies outside the dates a plan can use (the
    chart's range ends a day after it: 9999-12-31 would overflow)."""
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return day if FIRST_DATE <= day <= LAST_DATE else None


def chart_options(request, plan):
    """The chart's options from the query string; anything unknown falls back to a default."""
    query = request.GET
    group = query.get("group") if query.get("group") in GROUPS else "phase"
    zoom = query.get("zoom") if query.get("zoom") in ZOOMS else "all"
    try:
        collapsed = [str(key) for key in json.loads(query.get("collapsed") or "[]")][:500]
    except (ValueError, TypeError):
        collapsed = []
    baseline = None
    if whole_number(query.get("baseline")) is not None:
        baseline = plan.baselines.filter(pk=whole_number(query["baseline"])).first()
    selected = whole_number(query.get("selected"))
    deps = query.get("deps") if query.get("deps") in ("auto", "all", "none") else "auto"
    return {"group": group, "zoom": zoom, "collapsed": collapsed, "baseline": baseline, "selected": selected,
            "deps": deps,
            "start": _parse_date(query.get("start")), "end": _parse_date(query.get("end"))}


def gantt_figure(plan, options, **kwargs):
    """The figure for exports (PNG, SVG): built from the plan's scheduled tasks."""
    spec, count = gantt_spec_for(plan, options, **kwargs)
    return go.Figure(spec, _validate=False), count


def gantt_spec_for(plan, options, *, tasks=None, with_priority=True, page=False):
    """The figure as a plain dict: the page serialises it without go.Figure's copies.

    ``page``: row names and dependency lines are left to the page (``rows`` and ``links`` in the
    result, drawn by static/js/charts.js), which draws them far faster than plotly.js.
    """
    rows = gantt_tasks(plan, baseline=options["baseline"], tasks=tasks, with_priority=with_priority)
    today = timezone.localdate()
    if rows:
        first = min(task.start for task in rows)
        last = max(task.finish for task in rows)
    else:
        first = last = plan.start_date
    if options["start"] and options["end"] and options["start"] <= options["end"]:
        x_range = zoom_range("range", today=today, start=options["start"], end=options["end"])
    elif options["zoom"] == "all":
        x_range = zoom_range("range", today=today, start=first, end=last)
    else:
        x_range = zoom_range(options["zoom"], today=today)
    shade_from = datetime.date.fromisoformat(x_range[0])
    shade_to = datetime.date.fromisoformat(x_range[1])
    if (shade_to - shade_from).days > 90:
        shade_from = shade_to  # the builder shades only short ranges: skip the work
    if options.get("deps") in ("all", "none"):
        dependencies = options["deps"]
    elif len(rows) <= ALL_DEPENDENCIES_UP_TO:
        dependencies = "all"
    else:
        dependencies = [options["selected"]] if options["selected"] else "none"
    spec = gantt_spec(
        rows, group_by=options["group"], collapsed_groups=options["collapsed"], dependencies=dependencies,
        today=today, x_range=x_range, non_working_days=non_working_days(plan, shade_from, shade_to),
        labels=gantt_labels(), show_baselines=options["baseline"] is not None,
        **({"row_labels": "html", "dependency_lines": "overlay"} if page else {}),
    )
    if options["zoom"] != "all" or (options["start"] and options["end"]):
        # A window of weeks or months on the plan: dragging the chart moves it along in time.
        spec["layout"]["dragmode"] = "pan"
    return spec, len(rows)


def _chart_context(request, plan, options):
    # The figure of a big plan costs a few hundred milliseconds to gather and build; it is the same
    # for every reader until the plan changes (onboarding.revisions), so it is built once.
    def build():
        spec, count = gantt_spec_for(plan, options, page=True)
        return to_json_plotly(spec), count

    figure_json, count = revisions.cached("gantt-figure", plan, [
        translation.get_language(), options["group"], options["zoom"],
        json.dumps(sorted(options["collapsed"]), ensure_ascii=False),
        options["baseline"].pk if options["baseline"] else "", options["selected"] or "", options["deps"],
        options["start"] or "", options["end"] or ""], build)
    return {"plan": plan, "options": options, "figure_json": figure_json, "task_count": count,
            "collapsed_json": json.dumps(options["collapsed"])}


@login_required
def plan_gantt(request, pk):
    plan = get_plan_for_user(request, pk)
    scheduling.ensure_fresh(plan)
    options = chart_options(request, plan)
    if request.htmx and request.htmx.target == "gantt-chart":
        return render(request, f"{GANTT_PAGE}#chart", _chart_context(request, plan, options))
    context = _chart_context(request, plan, options)
    context.update(tab="gantt", baselines=plan.baselines.all(), groups=GROUPS, zooms=ZOOMS,
                   holiday_notes=scheduling.holiday_notes(plan))
    return render(request, GANTT_PAGE, context)


def _task_of(plan, task_id):
    task = plan.tasks.filter(pk=task_id).select_related("owner__stakeholder", "phase").first()
    if task is None:
        raise Http404
    return task


@login_required
@require_http_methods(["GET", "POST"])
def gantt_task_edit(request, pk, task_id):
    """The clicked bar's task in a side panel; saving reschedules and redraws the chart."""
    plan = get_plan_for_user(request, pk, write=request.method == "POST")
    task = _task_of(plan, task_id)
    panel = f"{GANTT_PAGE}#task_panel"
    if not plan.user_can_write:
        return render(request, panel, {"plan": plan, "task": task, "form": None})
    if request.method == "GET":
        return render(request, panel, {"plan": plan, "task": task, "form": TaskForm(instance=task, plan=plan)})
    form = TaskForm(request.POST, instance=task, plan=plan)
    if form.is_valid():
        try:
            task = services.task_update(plan=plan, task=form.instance, version=form.cleaned_data["version"]).obj
        except StaleEdit as stale:
            form.show_stale(stale)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = render(request, panel, {"plan": plan, "task": task, "saved": True,
                                               "form": TaskForm(instance=task, plan=plan)})
            return trigger_client_event(response, PLAN_CHANGED_EVENT)
    return render(request, panel, {"plan": plan, "task": _task_of(plan, task_id), "form": form}, status=422)
