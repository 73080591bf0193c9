"""The Checklist tab: phases and tasks, a task's detail, watch-outs ticked off."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from onboarding.access import get_plan_for_user

from .. import scheduling
from ..models import Task, WatchOut
from ..rows import CHECKLIST_PAGE, links_of, task_row_context
from .. import services
from ..selectors import checklist_groups, decorate, task_numbers, with_row_data


@login_required
def plan_checklist(request, pk):
    plan = get_plan_for_user(request, pk)
    scheduling.ensure_fresh(plan)
    return render(request, CHECKLIST_PAGE, {"plan": plan, "tab": "checklist", "groups": checklist_groups(plan),
                                            "holiday_notes": scheduling.holiday_notes(plan)})


def _task_of(plan, pk):
    try:
        return with_row_data(Task.objects.filter(plan=plan)).get(pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


@login_required
def task_detail(request, plan_id, pk):
    """A task's watch-outs and predecessors: a row under the task (htmx) or a page of its own."""
    plan = get_plan_for_user(request, plan_id)
    task = decorate(_task_of(plan, pk), task_numbers(plan))
    context = {"plan": plan, "task": task, "tab": "checklist", "links": links_of(plan, task)}
    if request.htmx:
        return render(request, f"{CHECKLIST_PAGE}#task_detail", context)
    return render(request, "schedule/task_detail.html", context)


@login_required
@require_POST
def watchout_toggle(request, plan_id, pk):
    """Tick a watch-out off (or on again): the posted checkbox state wins, so a double click is harmless."""
    plan = get_plan_for_user(request, plan_id, write=True)
    try:
        watchout = WatchOut.objects.select_related("task").get(pk=pk, task__plan=plan)
    except WatchOut.DoesNotExist:
        raise Http404 from None
    services.watchout_set_done(plan=plan, watchout=watchout,
                               done=request.POST.get("done", "").lower() in ("1", "on", "true"))
    if not request.htmx:
        return redirect("schedule:task_detail", plan.pk, watchout.task_id)
    refresh_task, refresh_group = task_row_context(plan, watchout.task_id)
    return render(request, f"{CHECKLIST_PAGE}#watchout_row",
                  {"plan": plan, "object": watchout, "task": watchout.task, "parent": watchout.task,
                   "refresh_task": refresh_task, "refresh_group": refresh_group})


