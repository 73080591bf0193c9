"""Steps 4–5: writes that span several models, and the read models the checklist pages share."""
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.models import Plan
from stakeholders.models import Stakeholder

from .engine.calendar import WorkCalendar
from .engine.cpm import find_cycle
from . import scheduling
from .models import Phase, Task, TaskLink, WatchOut


# --------------------------------------------------------------------------- the one hook
def lock_plan(plan_id):
    """Make writes that reschedule one plan wait for each other, from their first write on.

    Rescheduling rewrites other tasks' dates: two concurrent edits, each holding its own task's
    row, would then wait for each other's (PostgreSQL kills one with "deadlock detected", a 500).
    Taking the plan's row first, inside the request's transaction, queues them up instead.
    A no-op on SQLite, which has one writer at a time anyway.
    """
    list(Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk", flat=True))


def plan_changed(plan):
    """Called after every write that can move dates (tasks, links): reschedules the plan.

    Returns the ids of the tasks whose dates, float or critical flag changed.
    """
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(updated_at=now)
    plan.updated_at = now
    return scheduling.recompute(plan)["moved"]


# --------------------------------------------------------------------------- checklist reads
def with_row_data(tasks):
    """Tasks with what a checklist row shows, without a query per row."""
    return tasks.select_related("owner__stakeholder", "related_flow", "phase").prefetch_related(
        Prefetch("predecessor_links", queryset=TaskLink.objects.order_by("id")),
        Prefetch("watchouts", queryset=WatchOut.objects.order_by("position", "id")),
    )


def _display_order(phases, tasks):
    """Tasks in checklist order: phase by phase, then the ones without a phase."""
    rank = {phase.pk: i for i, phase in enumerate(phases)}
    return sorted(tasks, key=lambda t: (rank.get(t.phase_id, len(rank)), t.position, t.pk))


def task_numbers(plan):
    """{task id: its row number (1, 2, ...) in checklist order}: the "#12" of "#12 FS+2"."""
    phases = list(plan.phases.order_by("position", "id").only("pk"))
    tasks = list(Task.objects.filter(plan=plan).only("pk", "phase_id", "position"))
    return {task.pk: i for i, task in enumerate(_display_order(phases, tasks), start=1)}


def link_label(number, link):
    lag = f"{link.lag:+d}" if link.lag else ""
    return f"#{number if number is not None else '?'} {link.type}{lag}"


def decorate(task, numbers):
    """Attach the row's derived values (number, predecessors summary, watch-out counts)."""
    task.number = numbers.get(task.pk)
    links = sorted(task.predecessor_links.all(), key=lambda link: numbers.get(link.predecessor_id) or 0)
    task.predecessor_summary = ", ".join(link_label(numbers.get(link.predecessor_id), link) for link in links)
    watchouts = list(task.watchouts.all())
    task.watchout_count = len(watchouts)
    task.watchout_done = sum(w.done for w in watchouts)
    return task


class TaskGroup:
    """The tasks of one phase (or, with phase None, the tasks without a phase): a parent of task rows."""

    def __init__(self, plan, phase, tasks=None, numbers=None):
        self.plan = plan
        self.phase = phase
        self.pk = phase.pk if phase else 0  # 0 names "no phase" in URLs and DOM ids
        if tasks is not None:
            self.__dict__["tasks"] = tasks
        if numbers is not None:
            self.__dict__["numbers"] = numbers

    @cached_property
    def numbers(self):
        return task_numbers(self.plan)

    @cached_property
    def tasks(self):
        rows = with_row_data(Task.objects.filter(plan=self.plan, phase=self.phase).order_by("position", "id"))
        return [decorate(task, self.numbers) for task in rows]

    def siblings(self):
        return Task.objects.filter(plan=self.plan, phase=self.phase)

    def __str__(self):
        return self.phase.name if self.phase else _("No phase")


def checklist_groups(plan):
    """The checklist: one group per phase in order, then "No phase" when it has tasks (or no phase exists)."""
    phases = list(plan.phases.order_by("position", "id"))
    tasks = _display_order(phases, with_row_data(Task.objects.filter(plan=plan)))
    numbers = {task.pk: i for i, task in enumerate(tasks, start=1)}
    by_phase = {}
    for task in tasks:
        by_phase.setdefault(task.phase_id, []).append(decorate(task, numbers))
    groups = [TaskGroup(plan, phase, by_phase.get(phase.pk, []), numbers) for phase in phases]
    if by_phase.get(None) or not phases:
        groups.append(TaskGroup(plan, None, by_phase.get(None, []), numbers))
    return groups


# --------------------------------------------------------------------------- plan from template
def create_plan_from_template(template, *, owner, name, product, scenario, start_date, target_launch_date=None):
    """A new plan with the template's phases, tasks, watch-outs and links, all or nothing.

    A task with no predecessor and an offset starts no earlier than start_date + offset working days.
    Raises ValidationError when the template's links form a cycle.
    """
    template_tasks = list(template.tasks.order_by("position", "id"))
    known = {tt.pk for tt in template_tasks}
    template_links = [link for link in template.links.order_by("id")
                      if link.predecessor_id in known and link.successor_id in known]
    # in template order: the cycle is named from its first task, not from wherever a set's order starts
    cycle = find_cycle([tt.pk for tt in template_tasks],
                       [(link.predecessor_id, link.successor_id) for link in template_links])
    if cycle:
        titles = {tt.pk: tt.title for tt in template_tasks}
        names = [titles[pk] for pk in cycle]
        raise ValidationError(_("The template's links form a cycle: %(cycle)s")
                              % {"cycle": " → ".join(names + names[:1])})
    has_predecessor = {link.successor_id for link in template_links}
    calendar = WorkCalendar(start_date)

    with transaction.atomic():
        plan = Plan(name=name, product=product, scenario=scenario, owner=owner, start_date=start_date,
                    target_launch_date=target_launch_date)
        plan.full_clean()
        plan.save()
        phases, positions, created = {}, {}, {}
        for tt in template_tasks:
            phase_name = tt.phase.strip()
            phase = None
            if phase_name:
                phase = phases.get(phase_name)
                if phase is None:
                    phase = phases[phase_name] = Phase.objects.create(plan=plan, name=phase_name,
                                                                      position=len(phases))
            position = positions.get(phase_name, 0)
            positions[phase_name] = position + 1
            start_no_earlier_than = None
            if tt.offset and tt.pk not in has_predecessor:
                start_no_earlier_than = calendar.add_working_days(start_date, tt.offset)
            created[tt.pk] = Task.objects.create(
                plan=plan, phase=phase, title=tt.title, description=tt.description,
                duration=0 if tt.is_milestone else tt.duration, is_milestone=tt.is_milestone,
                visibility=tt.visibility, start_no_earlier_than=start_no_earlier_than, position=position,
            )
        WatchOut.objects.bulk_create(
            WatchOut(task=created[tt.pk], text=str(text).strip()[:200], position=i)
            for tt in template_tasks
            for i, text in enumerate(tt.watchouts or [])
            if str(text).strip()
        )
        TaskLink.objects.bulk_create(
            TaskLink(predecessor=created[link.predecessor_id], successor=created[link.successor_id],
                     type=link.type, lag=link.lag)
            for link in template_links
        )
        plan_changed(plan)
    return plan


# --------------------------------------------------------------------------- overview
@dataclass
class StepProgress:
    number: int
    title: str
    percent: int
    sentence: str
    url: str
    action: str

    @property
    def complete(self):
        return self.percent >= 100


def _percent(parts):
    return round(100 * sum(parts) / len(parts)) if parts else 0


def _fraction(done, total):
    return done / total if total else 0


def _docs_step(plan):
    product = plan.product
    labels = [(product.official_url, _("official site")), (product.api_docs_url, _("API docs")),
              (product.console_url, _("console"))]
    missing = [label for url, label in labels if not url]
    filled = len(labels) - len(missing)
    if missing:
        sentence = _("%(filled)s of 3 links filled; missing: %(missing)s.") % {
            "filled": filled, "missing": ", ".join(missing)}
    else:
        sentence = _("Official site, API docs and console are all linked.")
    return StepProgress(1, _("Official site and docs"), _percent([bool(url) for url, _label in labels]), sentence,
                        product.get_absolute_url(), _("Open the product"))


def _flow_step(plan):
    flows = list(plan.flows.annotate(
        lane_count=Count("lanes", distinct=True), step_count=Count("steps", distinct=True),
        metric_count=Count("metrics", distinct=True)))
    complete = sum(f.lane_count >= 2 and f.step_count >= 2 and f.metric_count >= 1 for f in flows)
    if flows:
        sentence = _("%(complete)s of %(total)s flows complete (at least 2 lanes, 2 steps and 1 key metric).") % {
            "complete": complete, "total": len(flows)}
    else:
        sentence = _("No business flow yet.")
    return StepProgress(2, _("Business flow"), round(100 * _fraction(complete, len(flows))), sentence,
                        reverse("onboarding:plan_flow", args=[plan.pk]), _("Open the flow"))


def _stakeholder_step(plan):
    people = list(plan.plan_stakeholders.select_related("stakeholder"))
    platform = sum(p.stakeholder.side == Stakeholder.Side.PLATFORM for p in people)
    partner = len(people) - platform
    unscored = sum(not (p.relevance and p.influence) for p in people)
    no_concerns = sum(not p.concerns.strip() for p in people)
    checks = [bool(people), bool(platform and partner), bool(people) and not unscored,
              bool(people) and not no_concerns]
    if not people:
        sentence = _("No stakeholders yet.")
    else:
        parts = [ngettext("%(count)s stakeholder (%(platform)s platform, %(partner)s partner).",
                          "%(count)s stakeholders (%(platform)s platform, %(partner)s partner).", len(people))
                 % {"count": len(people), "platform": platform, "partner": partner}]
        if not (platform and partner):
            parts.append(_("Both sides should be present."))
        if unscored:
            parts.append(ngettext("%(count)s not scored.", "%(count)s not scored.", unscored) % {"count": unscored})
        if no_concerns:
            parts.append(ngettext("%(count)s without concerns noted.", "%(count)s without concerns noted.",
                                  no_concerns) % {"count": no_concerns})
        sentence = " ".join(parts)
    return StepProgress(3, _("Stakeholders"), _percent(checks), sentence,
                        reverse("stakeholders:plan_stakeholders", args=[plan.pk]), _("Open stakeholders"))


def _checklist_step(plan, tasks, watchouts):
    phases = list(plan.phases.annotate(task_count=Count("tasks")))
    empty_phases = sum(not phase.task_count for phase in phases)
    owned = sum(task.owner_id is not None for task in tasks)
    total = len(tasks)
    parts = [1 if total else 0, _fraction(len(phases) - empty_phases, len(phases)) if phases else (1 if total else 0),
             _fraction(owned, total)]
    if total:
        bits = [ngettext("%(count)s task in %(phases)s phases.", "%(count)s tasks in %(phases)s phases.", total)
                % {"count": total, "phases": len(phases)},
                _("%(owned)s of %(total)s have an owner.") % {"owned": owned, "total": total}]
        if empty_phases:
            bits.append(ngettext("%(count)s phase has no tasks.", "%(count)s phases have no tasks.", empty_phases)
                        % {"count": empty_phases})
        bits.append(_("%(done)s of %(total)s watch-outs ticked off.") % watchouts)
        sentence = " ".join(bits)
    else:
        sentence = _("No tasks yet: start from a template or add them phase by phase.")
    return StepProgress(4, _("Task checklist"), _percent(parts), sentence,
                        reverse("schedule:plan_checklist", args=[plan.pk]), _("Open the checklist"))


def _schedule_step(plan, tasks):
    total = len(tasks)
    sized = sum(task.is_milestone or task.duration > 0 for task in tasks)
    linked_ids = set()
    for pred, succ in TaskLink.objects.filter(successor__plan=plan).values_list("predecessor_id", "successor_id"):
        linked_ids.update((pred, succ))
    dated = sum(task.early_start is not None for task in tasks)
    critical = sum(task.is_critical for task in tasks)
    parts = [_fraction(sized, total), _fraction(len(linked_ids), total) if total > 1 else _fraction(sized, total),
             _fraction(dated, total)]
    if total:
        sentence = _("%(sized)s of %(total)s tasks have a duration, %(linked)s are linked, "
                     "%(dated)s have computed dates (%(critical)s critical).") % {
            "sized": sized, "total": total, "linked": len(linked_ids), "dated": dated, "critical": critical}
    else:
        sentence = _("Nothing to schedule yet.")
    return StepProgress(5, _("Priorities and schedule"), _percent(parts), sentence,
                        reverse("schedule:plan_checklist", args=[plan.pk]), _("Open the checklist"))


def plan_overview(plan):
    """The five steps of the brief with how complete each is, and the task status counts."""
    tasks = list(Task.objects.filter(plan=plan).only(
        "pk", "owner_id", "duration", "is_milestone", "early_start", "is_critical", "status", "plan_id"))
    watchouts = WatchOut.objects.filter(task__plan=plan).aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    counts = {value: 0 for value in Task.Status.values}
    for task in tasks:
        counts[task.status] = counts.get(task.status, 0) + 1
    return {
        "steps": [_docs_step(plan), _flow_step(plan), _stakeholder_step(plan),
                  _checklist_step(plan, tasks, watchouts), _schedule_step(plan, tasks)],
        "status_counts": [(value, label, counts[value]) for value, label in Task.Status.choices],
        "task_total": len(tasks),
    }
