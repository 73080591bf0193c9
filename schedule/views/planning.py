"""Step 5 pages: the schedule (calendar, baselines, levelling) and the priorities per audience."""
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from onboarding import jobs
from onboarding.access import get_plan_for_user
from onboarding.forms import add_service_errors
from onboarding.inline import PLAN_CHANGED_EVENT
from onboarding.versioning import StaleEdit

from .. import scheduling, services
from ..engine import AUDIENCES, EXPLANATIONS, PART_LABELS
from ..models import LevellingRun
from ..planning_forms import BaselineForm, ScheduleSettingsForm
from ..selectors import plan_status
from ..tasks import level_plan

logger = logging.getLogger(__name__)
QUEUE_UNAVAILABLE = gettext_noop("The job queue is unavailable, so levelling cannot run now. Everything else works; "
                                 "try again in a moment.")
SCHEDULE_PAGE = "schedule/plan_schedule.html"


def _selected_baseline(plan, request):
    baselines = list(plan.baselines.all())
    wanted = request.GET.get("baseline", "")
    for baseline in baselines:
        if str(baseline.pk) == wanted:
            return baselines, baseline
    return baselines, (baselines[0] if baselines else None)


def _settings_form(plan, settings, data=None):
    return ScheduleSettingsForm(
        data, instance=settings, plan_stakeholders=plan.plan_stakeholders.select_related("stakeholder"),
        weights=scheduling.weights_for(plan), milestones=plan.tasks.filter(is_milestone=True).order_by("position"))


def _schedule_context(request, plan, *, settings_form=None, baseline_form=None):
    baselines, baseline = _selected_baseline(plan, request)
    status = plan_status(plan, baseline=baseline)  # reschedules on a new day: read the settings after it
    settings = scheduling.settings_for(plan)
    calendar = scheduling.plan_calendar(plan, settings)
    tasks = list(plan.tasks.select_related("owner__stakeholder", "phase").order_by("early_start", "position"))
    variance = scheduling.baseline_variance(plan, baseline, calendar) if baseline else {}
    for task in tasks:
        task.slip = variance.get(task.pk)
    return {
        "plan": plan, "tab": "schedule", "settings": settings, "summary": settings.summary or {}, "status": status,
        "finish": max((task.early_finish for task in tasks if task.early_finish), default=None),
        "holiday_notes": status.holiday_notes, "baselines": baselines, "baseline": baseline, "tasks": tasks,
        "slipped": [task for task in tasks if task.slip and task.slip > 0],
        "late": [task for task in tasks if task.schedule_note],
        "levelled": [task for task in tasks if task.levelling_note],
        "run": _latest_run(plan), "settings_form": settings_form or _settings_form(plan, settings),
        "baseline_form": baseline_form or BaselineForm(plan=plan),
        "levelling_stale": bool(settings.levelled_at and settings.computed_at
                                and settings.computed_at > settings.levelled_at),
    }


@login_required
def plan_schedule(request, pk):
    plan = get_plan_for_user(request, pk)
    context = _schedule_context(request, plan)
    if request.htmx and request.htmx.target == "variance":
        return render(request, f"{SCHEDULE_PAGE}#variance", context)
    return render(request, SCHEDULE_PAGE, context)


@login_required
@require_POST
def schedule_recompute(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    services.plan_reschedule(plan=plan)
    return _schedule_response(request, plan)


def _schedule_response(request, plan, status=200, **forms):
    if not request.htmx:
        return redirect("schedule:plan_schedule", plan.pk) if status == 200 else render(
            request, SCHEDULE_PAGE, _schedule_context(request, plan, **forms), status=status)
    response = render(request, f"{SCHEDULE_PAGE}#schedule_body", _schedule_context(request, plan, **forms),
                      status=status)
    return trigger_client_event(response, PLAN_CHANGED_EVENT) if status == 200 else response


@login_required
@require_POST
def schedule_settings(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    form = _settings_form(plan, scheduling.settings_for(plan), request.POST)
    if form.is_valid():
        try:
            services.settings_save(
                plan=plan, version=form.cleaned_data["version"], extra_days_off=form.cleaned_data["extra_days_off"],
                extra_working_days=form.cleaned_data["extra_working_days"], weights=form.weights(),
                capacities=form.capacities(), launch_id=form.cleaned_data["launch"])
        except StaleEdit as stale:
            form.show_stale(stale)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _schedule_response(request, plan)
    return _schedule_response(request, plan, status=422, settings_form=form)


@login_required
@require_POST
def baseline_create(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    form = BaselineForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.baseline_create(plan=plan, name=form.cleaned_data["name"], user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _schedule_response(request, plan)
    return _schedule_response(request, plan, status=422, baseline_form=form)


@login_required
@require_POST
def baseline_delete(request, pk, baseline_id):
    plan = get_plan_for_user(request, pk, write=True)
    baseline = plan.baselines.filter(pk=baseline_id).first()
    if baseline is None:
        raise Http404
    services.baseline_delete(plan=plan, baseline=baseline)
    return _schedule_response(request, plan)


# The run must be committed before it is sent (a worker reads it), and the response must already
# tell whether the send worked: so this view manages its own transaction, like the PDF export.
@transaction.non_atomic_requests
@login_required
@require_POST
def level_start(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    try:
        with transaction.atomic():
            run = services.levelling_start(plan=plan, user=request.user)
    except ValidationError as error:
        return render(request, f"{SCHEDULE_PAGE}#levelling", {"plan": plan, "run": None,
                      "levelling_error": " ".join(error.messages)}, status=422)
    _enqueue_levelling(run)
    return _levelling_response(request, plan, run)


def _enqueue_levelling(run):
    try:
        level_plan.delay(run.pk)
    except Exception as error:  # noqa: BLE001 - broker down: the page says so at once instead of hanging
        logger.warning("levelling run %s not queued: %s", run.pk, error)
        LevellingRun.objects.filter(pk=run.pk, state=LevellingRun.State.QUEUED).update(
            state=LevellingRun.State.FAILED, error=QUEUE_UNAVAILABLE, finished_at=timezone.now())
    run.refresh_from_db()


@login_required
def level_status(request, pk, run_id):
    plan = get_plan_for_user(request, pk)
    run = plan.levelling_runs.filter(pk=run_id).first()
    if run is None:
        raise Http404
    jobs.fail_overdue([run])
    return _levelling_response(request, plan, run)


def _latest_run(plan):
    run = plan.levelling_runs.first()
    if run is not None:
        jobs.fail_overdue([run])  # a run whose worker died shows failed, with "Run again"
    return run


def _levelling_response(request, plan, run):
    if not request.htmx:
        return redirect("schedule:plan_schedule", plan.pk)
    context = _schedule_context(request, plan)
    context["run"] = run
    response = render(request, f"{SCHEDULE_PAGE}#levelling", context)
    if run.state == LevellingRun.State.DONE:
        trigger_client_event(response, "levelling-done")
    return response


def ranked_for_display(plan, audience, baseline=None):
    """The engine's ranking with each part's label and explanation translated."""
    ranked = scheduling.rankings(plan, audience, baseline=baseline)
    tasks = plan.tasks.select_related("owner__stakeholder", "phase").in_bulk([item.id for item in ranked])
    rows = []
    for item in ranked:
        parts = [{
            "label": _(PART_LABELS[part.key]),
            "points": part.points,
            "explanation": _(EXPLANATIONS[part.explanation.template]) % part.explanation.params,
        } for part in item.parts]
        rows.append({"rank": item.rank, "score": item.score, "task": tasks[item.id], "parts": parts})
    return rows


@login_required
def plan_priorities(request, pk):
    plan = get_plan_for_user(request, pk)
    scheduling.ensure_fresh(plan)
    baselines, baseline = _selected_baseline(plan, request)
    audience = request.GET.get("audience", "team")
    if audience not in AUDIENCES:
        audience = "team"
    context = {
        "plan": plan, "tab": "priorities", "audience": audience, "baseline": baseline,
        "rows": ranked_for_display(plan, audience, baseline),
        "weights": scheduling.weights_for(plan),
        "holiday_notes": scheduling.holiday_notes(plan),
    }
    if request.htmx and request.htmx.target == "ranking":
        return render(request, "schedule/plan_priorities.html#ranking", context)
    return render(request, "schedule/plan_priorities.html", context)


