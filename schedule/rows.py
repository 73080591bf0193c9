"""Inline row editing of the checklist: phases, tasks, and inside a task its watch-outs and links
(see onboarding/inline.py). The rows are thin HTTP adapters over schedule/services.py."""
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_htmx.http import reswap, retarget, trigger_client_event

from onboarding import deletion
from onboarding.inline import PLAN_CHANGED_EVENT, RowKind

from . import services
from .forms import PhaseForm, TaskForm, TaskLinkForm, WatchOutForm
from .models import Phase, Task, TaskLink, WatchOut
from .selectors import TaskGroup, checklist_groups, decorate, task_numbers, with_row_data

CHECKLIST_PAGE = "schedule/plan_checklist.html"


def render_checklist(request, plan, status=200):
    """The whole checklist table (id "phase-list-<plan pk>"), e.g. after a task changed phase."""
    response = render(request, f"{CHECKLIST_PAGE}#phase_list",
                      {"plan": plan, "groups": checklist_groups(plan)}, status=status)
    return reswap(retarget(response, f"#phase-list-{plan.pk}"), "outerHTML")


def task_row_context(plan, task_id):
    """(task, its group) ready for the task_row partial, e.g. to refresh a row out of band."""
    task = with_row_data(Task.objects.filter(plan=plan, pk=task_id)).get()
    return decorate(task, task_numbers(plan)), TaskGroup(plan, task.phase)


def moved_fragments(request, plan, moved):
    """Out-of-band rows for the other tasks whose dates moved."""
    if not moved:
        return ""
    tasks = Task.objects.filter(plan=plan, pk__in=moved)
    return render(request, f"{CHECKLIST_PAGE}#schedule_oob", {"plan": plan, "moved_tasks": tasks}).content.decode()


class ChecklistRows(RowKind):
    namespace = "schedule"
    page_template = CHECKLIST_PAGE

    def changed_fragments(self, request, plan, moved):
        return moved_fragments(request, plan, moved)


class PhaseRows(ChecklistRows):
    name = "phase"
    model = Phase
    form_class = PhaseForm
    add_label = _("Add phase")

    def context(self, plan, parent):
        # Called lazily by the template: only the list partial needs the whole checklist.
        return {"groups": lambda: checklist_groups(plan)}

    def remove(self, plan, obj, version):
        return services.phase_delete(plan=plan, phase=obj, version=version)


def _phase_confirmation(phase):
    count = phase.tasks.count()
    if not count:
        return _gettext("Delete the phase “%(name)s”?") % {"name": phase.name}
    return ngettext(
        "Delete the phase “%(name)s”? Its %(count)s task stays in the plan without a phase; restoring the phase "
        "from History puts it back.",
        "Delete the phase “%(name)s”? Its %(count)s tasks stay in the plan without a phase; restoring the phase "
        "from History puts them back.", count) % {"name": phase.name, "count": count}


deletion.register(Phase, _phase_confirmation)


class TaskRows(ChecklistRows):
    """Tasks; their parent is a TaskGroup: a phase of the plan, or pk 0 for "no phase"."""

    name = "task"
    model = Task
    form_class = TaskForm
    add_label = _("Add task")
    parent_name = "phase"
    parent_model = Phase
    parent_field = "phase"

    def scope(self, plan):
        return with_row_data(Task.objects.filter(plan=plan))

    def parent_of(self, obj):
        return TaskGroup(obj.plan, obj.phase)

    def _get_parent(self, plan, parent_id):
        if parent_id == 0:
            return TaskGroup(plan, None)
        try:
            return TaskGroup(plan, plan.phases.get(pk=parent_id))
        except Phase.DoesNotExist:
            raise Http404 from None

    def new_instance(self, parent):
        return Task(plan=parent.plan, phase=parent.phase)

    def siblings(self, parent):
        return parent.siblings()

    def form_kwargs(self, plan):
        return {"plan": plan}

    def create(self, plan, parent, form):
        return services.task_create(plan=plan, task=form.instance)

    def update(self, plan, form):
        return services.task_update(plan=plan, task=form.instance, version=form.cleaned_data.get("version"))

    def remove(self, plan, obj, version):
        return services.task_delete(plan=plan, task=obj, version=version)

    # Adding, moving or deleting a task renumbers the rows and can change other rows' predecessor
    # summaries ("#12 FS+2"), so those writes redraw the whole checklist rather than one phase.
    def list_id(self, parent):
        return f"phase-list-{parent.plan.pk}"

    def partial(self, part):
        return f"{self.page_template}#phase_list" if part == "list" else super().partial(part)

    def context(self, plan, parent):
        return {"groups": lambda: checklist_groups(plan)}

    def edit_view(self, request, plan_id, pk):
        old_phase = Task.objects.filter(pk=pk).values_list("phase_id", flat=True).first()
        response = super().edit_view(request, plan_id, pk)
        if request.method == "POST" and response.status_code == 200:
            new_phase = Task.objects.filter(pk=pk).values_list("phase_id", flat=True).first()
            if new_phase != old_phase:
                # The row now belongs in another group.
                response = trigger_client_event(render_checklist(request, response.context_plan), PLAN_CHANGED_EVENT)
        return response

    def _render(self, request, part, plan, parent, status=200, **context):
        obj = context.get("object")
        if obj is not None and obj.pk:
            decorate(obj, task_numbers(plan))
        response = super()._render(request, part, plan, parent, status=status, **context)
        response.context_plan = plan
        return response


class TaskPartRows(ChecklistRows):
    """Rows inside a task's detail; after a write the task's own row is refreshed out of band."""

    parent_name = "task"
    parent_model = Task

    def parent_scope(self, plan):
        return Task.objects.filter(plan=plan)

    def context(self, plan, parent):
        return {"task": parent}

    def _render(self, request, part, plan, parent, status=200, **context):
        if request.method == "POST" and part in ("row", "list") and status == 200:
            context["refresh_task"], context["refresh_group"] = task_row_context(plan, parent.pk)
        return super()._render(request, part, plan, parent, status=status, **context)


class WatchOutRows(TaskPartRows):
    name = "watchout"
    model = WatchOut
    form_class = WatchOutForm
    add_label = _("Add watch-out")
    parent_field = "task"

    def scope(self, plan):
        return WatchOut.objects.filter(task__plan=plan).select_related("task")

    def parent_of(self, obj):
        return obj.task


class TaskLinkRows(TaskPartRows):
    """The predecessors of a task (its parent is the successor)."""

    name = "tasklink"
    model = TaskLink
    form_class = TaskLinkForm
    add_label = _("Add predecessor")
    parent_field = "successor"

    def scope(self, plan):
        return TaskLink.objects.filter(successor__plan=plan).select_related("predecessor", "successor")

    def parent_of(self, obj):
        return obj.successor

    def siblings(self, parent):
        return parent.predecessor_links.all()

    def form_kwargs(self, plan):
        return {"plan": plan}

    def context(self, plan, parent):
        return {"task": parent, "links": lambda: links_of(plan, parent)}

    # Links have no order: adding does not append by position, and they do not move.
    def create(self, plan, parent, form):
        return services.link_add(plan=plan, link=form.instance)

    def update(self, plan, form):
        return services.link_update(plan=plan, link=form.instance, version=form.cleaned_data.get("version"))

    def remove(self, plan, obj, version):
        return services.link_delete(plan=plan, link=obj, version=version)

    def move_view(self, request, plan_id, pk, direction):
        raise Http404("Links have no order.")

    def _render(self, request, part, plan, parent, status=200, **context):
        obj = context.get("object")
        if obj is not None and obj.pk:
            obj.predecessor_number = task_numbers(plan).get(obj.predecessor_id)
        return super()._render(request, part, plan, parent, status=status, **context)


def links_of(plan, task):
    numbers = task_numbers(plan)
    links = list(task.predecessor_links.select_related("predecessor"))
    for link in links:
        link.predecessor_number = numbers.get(link.predecessor_id)
    return sorted(links, key=lambda link: link.predecessor_number or 0)


PHASE_ROWS, TASK_ROWS, WATCHOUT_ROWS, TASKLINK_ROWS = PhaseRows(), TaskRows(), WatchOutRows(), TaskLinkRows()
ROW_KINDS = [PHASE_ROWS, TASK_ROWS, WATCHOUT_ROWS, TASKLINK_ROWS]
