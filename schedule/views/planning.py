"""Step 5 pages: the schedule (calendar, baselines, levelling) and the priorities per audience."""
import logging

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onboarding.access import get_plan_for_user

from .. import scheduling
from ..engine import AUDIENCES, EXPLANATIONS, PART_LABELS
from ..models import Baseline, LevellingRun
from ..planning_forms import BaselineForm, ScheduleSettingsForm
from ..tasks import level_plan

logger = logging.getLogger(__name__)
SCHEDULE_PAGE = "schedule/plan_schedule.html"


def _selected_baseline(plan, request):
    baselines = list(plan.baselines.all())
    wanted = request.GET.get("baseline", "")
    for baseline in baselines:
        if str(baseline.pk) == wanted:
            return baselines, baseline
    return baselines, (baselines[0] if baselines else None)


def _schedule_context(request, plan, *, settings_form=None, baseline_form=None):
    settings = scheduling.settings_for(plan)
    summary = settings.summary or {}
    baselines, baseline = _selected_baseline(plan, request)
    calendar = scheduling.plan_calendar(plan, settings)
    tasks = list(plan.tasks.select_related("owner__stakeholder", "phase").order_by("early_start", "position"))
    variance = scheduling.baseline_variance(plan, baseline, calendar) if baseline else {}
    for task in tasks:
        task.slip = variance.get(task.pk)
    finish = max((task.early_finish for task in tasks if task.early_finish), default=None)
    launch_slip = None
    if baseline and baseline.launch_date and finish:
        launch_slip = calendar.working_days_between(baseline.launch_date, finish)
    target_gap = calendar.working_days_between(plan.target_launch_date, finish) if (
        plan.target_launch_date and finish) else None
    plan_stakeholders = plan.plan_stakeholders.select_related("stakeholder")
    if settings_form is None:
        settings_form = ScheduleSettingsForm(
            initial={"extra_days_off": settings.extra_days_off, "extra_working_days": settings.extra_working_days},
            plan_stakeholders=plan_stakeholders, weights=scheduling.weights_for(plan))
    return {
        "plan": plan, "tab": "schedule", "settings": settings, "summary": summary, "finish": finish,
        "holiday_notes": scheduling.holiday_notes(plan, summary), "baselines": baselines, "baseline": baseline,
        "launch_slip": launch_slip, "target_gap": target_gap,
        "target_gap_days": abs(target_gap) if target_gap is not None else None, "tasks": tasks,
        "slipped": [task for task in tasks if task.slip and task.slip > 0],
        "late": [task for task in tasks if task.schedule_note],
        "levelled": [task for task in tasks if task.levelling_note],
        "run": plan.levelling_runs.first(), "settings_form": settings_form,
        "baseline_form": baseline_form or BaselineForm(plan=plan),
        "levelling_stale": bool(settings.levelled_at and settings.computed_at
                                and settings.computed_at > settings.levelled_at),
    }


@login_required
def plan_schedule(request, pk):
    plan = get_plan_for_user(request, pk)
    scheduling.ensure_fresh(plan)
    context = _schedule_context(request, plan)
    if request.htmx and request.htmx.target == "variance":
        return render(request, f"{SCHEDULE_PAGE}#variance", context)
    return render(request, SCHEDULE_PAGE, context)


@login_required
@require_POST
def schedule_recompute(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    scheduling.recompute(plan)
    return _schedule_response(request, plan)


def _schedule_response(request, plan, status=200, **forms):
    if not request.htmx:
        return redirect("schedule:plan_schedule", plan.pk) if status == 200 else render(
            request, SCHEDULE_PAGE, _schedule_context(request, plan, **forms), status=status)
    response = render(request, f"{SCHEDULE_PAGE}#schedule_body", _schedule_context(request, plan, **forms),
                      status=status)
    return response


@login_required
@require_POST
def schedule_settings(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    form = ScheduleSettingsForm(request.POST, plan_stakeholders=plan.plan_stakeholders.select_related("stakeholder"))
    if not form.is_valid():
        return _schedule_response(request, plan, status=422, settings_form=form)
    scheduling.save_settings(plan, extra_days_off=form.cleaned_data["extra_days_off"],
                             extra_working_days=form.cleaned_data["extra_working_days"],
                             weights=form.weights(), capacities=form.capacities())
    return _schedule_response(request, plan)


@login_required
@require_POST
def baseline_create(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    form = BaselineForm(request.POST, plan=plan)
    if not form.is_valid():
        return _schedule_response(request, plan, status=422, baseline_form=form)
    scheduling.save_baseline(plan, form.cleaned_data["name"], request.user)
    return _schedule_response(request, plan)


@login_required
@require_POST
def baseline_delete(request, pk, baseline_id):
    plan = get_plan_for_user(request, pk, write=True)
    deleted, _rows = Baseline.objects.filter(plan=plan, pk=baseline_id).delete()
    if not deleted:
        raise Http404
    return _schedule_response(request, plan)


@login_required
@require_POST
def level_start(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    if not plan.tasks.exists():
        return render(request, f"{SCHEDULE_PAGE}#levelling", {"plan": plan, "run": None,
                      "levelling_error": _("The plan has no tasks to level.")}, status=422)
    run = LevellingRun.objects.create(plan=plan, requested_by=request.user)
    transaction.on_commit(lambda: _enqueue_levelling(run.pk))
    return _levelling_response(request, plan, run)


def _enqueue_levelling(run_id):
    try:
        level_plan.delay(run_id)
    except Exception as error:  # noqa: BLE001 - broker down: the page says so instead of hanging
        logger.warning("levelling run %s not queued: %s", run_id, error)
        LevellingRun.objects.filter(pk=run_id).update(
            state=LevellingRun.State.FAILED, error=_("The job queue is unavailable: try again in a moment."))


@login_required
def level_status(request, pk, run_id):
    plan = get_plan_for_user(request, pk)
    run = plan.levelling_runs.filter(pk=run_id).first()
    if run is None:
        raise Http404
    return _levelling_response(request, plan, run)


def _levelling_response(request, plan, run):
    if not request.htmx:
        return redirect("schedule:plan_schedule", plan.pk)
    context = _schedule_context(request, plan)
    context["run"] = run
    response = render(request, f"{SCHEDULE_PAGE}#levelling", context)
    if run.state == LevellingRun.State.DONE:
        response["HX-Trigger"] = "levelling-done"
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


