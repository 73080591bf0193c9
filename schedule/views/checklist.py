"""The Checklist tab: phases and tasks, a task's detail, watch-outs ticked off, bulk edits."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from onboarding.access import get_plan_for_user
from onboarding.inline import PLAN_CHANGED_EVENT
from onboarding.versioning import StaleEdit
from stakeholders.models import PlanStakeholder

from config.query_strings import whole_number

from .. import scheduling
from ..models import Phase, Task, WatchOut
from ..rows import CHECKLIST_PAGE, links_of, task_row_context
from .. import services
from ..selectors import checklist_columns, checklist_groups, decorate, task_numbers, with_row_data


@login_required
def plan_checklist(request, pk):
    plan = get_plan_for_user(request, pk)
    scheduling.ensure_fresh(plan)
    return render(request, CHECKLIST_PAGE, {"plan": plan, "tab": "checklist", "groups": checklist_groups(plan),
                                            "holiday_notes": scheduling.holiday_notes(plan),
                                            "columns": checklist_columns(request.user),
                                            **_bulk_choices(plan)})


@login_required
@require_POST
def checklist_columns_choose(request, pk):
    """The columns a person shows on the checklist grid, kept for them (every plan, every log-in).

    The page hides and shows the columns itself as the boxes are ticked; this keeps the choice."""
    plan = get_plan_for_user(request, pk)
    try:
        services.checklist_columns_set(user=request.user, columns=request.POST.getlist("column"))
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
            return redirect("schedule:plan_checklist", plan.pk)
        return HttpResponse(" ".join(error.messages), status=422, content_type="text/plain; charset=utf-8")
    if not request.htmx:
        return redirect("schedule:plan_checklist", plan.pk)
    return HttpResponse(status=204)


def _bulk_choices(plan):
    return {"bulk_owners": PlanStakeholder.objects.filter(plan=plan).select_related("stakeholder"),
            "bulk_phases": Phase.objects.filter(plan=plan).order_by("position", "pk"),
            "bulk_statuses": Task.Status.choices}


def _selected_versions(values):
    """{task id: version} from the ticked boxes ("<id>:<version>"); None if one cannot be read."""
    versions = {}
    for value in values:
        pk, _sep, version = value.partition(":")
        if whole_number(pk) is None or whole_number(version) is None:
            return None
        versions[whole_number(pk)] = whole_number(version)
    return versions


def _bulk_value(plan, action, post):
    """The posted value of ``action`` as the service takes it (a refused one raises ValidationError)."""
    if action in ("owner", "phase"):
        raw = post.get(action, "")
        if raw == "":
            return None  # no owner / no phase
        model = PlanStakeholder if action == "owner" else Phase
        found = model.objects.filter(plan=plan, pk=whole_number(raw)).first() if whole_number(raw) is not None else None
        if found is None:
            raise ValidationError(_("This stakeholder is not part of this plan.") if action == "owner"
                                  else _("This phase belongs to another plan."))
        return found
    if action == "status":
        return post.get("status", "")
    if action == "shift":
        raw = post.get("shift_days", "").strip().replace("+", "")
        try:
            return int(raw)
        except ValueError:
            raise ValidationError(_("Shift by a whole number of working days, e.g. 3 or -2.")) from None
    return None


def _bulk_message(action, written):
    count = len(written.obj)
    text = {
        "owner": ngettext("Owner set on %(count)s task.", "Owner set on %(count)s tasks.", count),
        "status": ngettext("Status set on %(count)s task.", "Status set on %(count)s tasks.", count),
        "phase": ngettext("%(count)s task moved to the phase.", "%(count)s tasks moved to the phase.", count),
        "shift": ngettext("%(count)s task shifted: its start is now “not earlier than” the new date.",
                          "%(count)s tasks shifted: their start is now “not earlier than” the new date.", count),
        "delete": ngettext("%(count)s task deleted.", "%(count)s tasks deleted.", count),
    }[action] % {"count": count}
    skipped = getattr(written, "skipped", [])
    if skipped:
        text += " " + ngettext("%(count)s started or done task was left where it is.",
                               "%(count)s started or done tasks were left where they are.", len(skipped)) % {
            "count": len(skipped)}
    return text


@login_required
@require_POST
def task_bulk(request, pk):
    """Select rows → set owner, status or phase, shift by N working days, or delete: one service call."""
    plan = get_plan_for_user(request, pk, write=True)
    action = request.POST.get("action", "")
    versions = _selected_versions(request.POST.getlist("task"))
    ok, status = False, 200
    try:
        if versions is None:
            raise ValidationError(_("The selection could not be read. Reload the page."))
        value = _bulk_value(plan, action, request.POST)
        written = services.task_bulk_edit(plan=plan, versions=versions, action=action, value=value)
    except StaleEdit:
        message, status = _("Someone else changed a selected task while you were choosing: nothing was changed. "
                            "The checklist now shows their change; select again."), 409
    except ValidationError as error:
        message, status = " ".join(error.messages), 422
    else:
        ok, message = True, _bulk_message(action, written)
    if not request.htmx:
        (messages.success if ok else messages.error)(request, message)
        return redirect("schedule:plan_checklist", plan.pk)
    context = {"plan": plan, "groups": checklist_groups(plan), "bulk_message": message, "bulk_ok": ok}
    # A refused edit still answers 200 so that htmx swaps the fresh checklist and the message in.
    response = render(request, f"{CHECKLIST_PAGE}#bulk_result", context)
    response["X-Bulk-Status"] = str(status)
    return trigger_client_event(response, PLAN_CHANGED_EVENT) if ok else response


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
        part = "task_panel" if request.GET.get("panel") else "task_detail"
        return render(request, f"{CHECKLIST_PAGE}#{part}", context)
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


