"""Steps 4–5: every write to a plan's checklist and schedule.

Each service runs in ``plan_write`` (onboarding/services.py): it takes the plan's lock first, claims
the version of the row it changes (a missing or stale version is refused with StaleEdit), writes,
reschedules the plan once, and returns a ``Written`` with the ids of the tasks whose dates moved.
Checklist rows, the Gantt panel, bulk edits, history restore, imports, levelling and the API all
call these; none of them touches the lock or the scheduler itself.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from onboarding import jobs
from onboarding.history import history_fields_of
from onboarding.models import Flow, Plan
from onboarding.services import Written, plan_dates_changed, plan_write, restored_row, tasks_detach, touch
from onboarding.versioning import StaleEdit, bump, claim
from stakeholders.models import PlanStakeholder

from . import scheduling
from .engine import cycle_text, find_cycle
from .engine.calendar import WorkCalendar
from .models import CHECKLIST_COLUMNS, Baseline, ChecklistPreference, LevellingRun, Phase, Task, TaskLink, WatchOut

# A deleted task's watch-outs and links are deleted in the same moment, just before it.
CASCADE_WINDOW = datetime.timedelta(seconds=10)
TASK_REFERENCES = [("phase", Phase, "plan"), ("owner", PlanStakeholder, "plan"), ("related_flow", Flow, "plan")]


# Sent inside a task write's transaction, after it rescheduled the plan: ``tasks`` written (saved
# or created), ``owners_before`` {task id: owner id before the write, None for a new task},
# ``moved`` (ids) and ``moved_from`` {task id: (start, finish) before}. The inbox
# (notifications/producers.py) tells owners about assignments and moved dates from it, so this
# app never imports the apps above it.
tasks_written = Signal()


def rescheduled(plan, *, detail=False):
    """Reschedule after a write that can move dates; the ids of the tasks whose schedule changed
    (``detail``: recompute's whole result, with where they were before).

    Callers hold the plan's lock (every service here runs inside plan_write).
    """
    touch(plan)
    result = scheduling.recompute(plan)
    return result if detail else result["moved"]


def _written(plan, tasks, owners_before, result):
    tasks_written.send(sender=Task, plan=plan, tasks=tasks, owners_before=owners_before,
                       moved=result["moved"], moved_from=result.get("moved_from", {}))
    return Written(tasks[0] if len(tasks) == 1 else tasks, result["moved"])


@receiver(plan_dates_changed, dispatch_uid="schedule-plan-dates-changed")
def _plan_dates_changed(sender, plan, **kwargs):
    # A new start date moves the tasks: their owners hear of it like any other move.
    result = rescheduled(plan, detail=True)
    tasks_written.send(sender=Task, plan=plan, tasks=[], owners_before={}, moved=result["moved"],
                       moved_from=result.get("moved_from", {}))
    return result["moved"]


# ----------------------------------------------------------------------------- tasks
def _only_launch(plan, task):
    """A plan has one launch milestone: marking this one unmarks the other (a versioned change of it)."""
    if not task.is_launch:
        return
    for other in Task.objects.filter(plan=plan, is_launch=True).exclude(pk=task.pk):
        other.is_launch = False
        bump(other)
        other.save(update_fields=["is_launch", "version"])


def _end_of_phase(plan, task):
    last = Task.objects.filter(plan=plan, phase_id=task.phase_id).exclude(pk=task.pk).aggregate(
        Max("position"))["position__max"]
    return 0 if last is None else last + 1


def task_create(*, plan, task):
    """A new task at the end of its phase."""
    with plan_write(plan):
        task.plan = plan
        task.position = _end_of_phase(plan, task)
        _only_launch(plan, task)
        task.full_clean()
        task.save()
        return _written(plan, [task], {task.pk: None}, rescheduled(plan, detail=True))


def task_update(*, plan, task, version):
    """Save a task's fields (``task`` carries the new values) if it is still at ``version``."""
    with plan_write(plan):
        old_phase, old_owner = Task.objects.filter(pk=task.pk, plan=plan).values_list(
            "phase_id", "owner_id").first() or (None, None)
        claim(task, version)
        if old_phase != task.phase_id:
            # Moved to another phase: it joins the end of that phase.
            task.position = _end_of_phase(plan, task)
        _only_launch(plan, task)
        task.full_clean()
        task.save()
        return _written(plan, [task], {task.pk: old_owner}, rescheduled(plan, detail=True))


def task_delete(*, plan, task, version):
    with plan_write(plan):
        claim(task, version)
        task.delete()
        return Written(task, rescheduled(plan))


BULK_ACTIONS = ("owner", "status", "phase", "shift", "delete")
MAX_SHIFT = 2000  # working days, the longest a task can last


def task_bulk_edit(*, plan, versions, action, value=None):
    """One change to many tasks at once, under one lock: set their owner, status or phase, shift them
    by ``value`` working days (a "not earlier than" start), or delete them.

    ``versions``: {task id: the version the user saw}; one stale or unknown task refuses the whole
    edit (StaleEdit / ValidationError), nothing changed. Each task is saved once (one history entry
    each) and the plan is rescheduled once. Returns a Written whose object is the list of tasks
    changed; started or done tasks are not shifted (``skipped``).
    """
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Choose what to change."))
    if not versions:
        raise ValidationError(_("Select at least one task."))
    with plan_write(plan):
        tasks = {task.pk: task for task in Task.objects.filter(plan=plan, pk__in=list(versions)).select_related(
            "plan", "phase", "owner", "related_flow")}
        if len(tasks) != len(versions):
            raise ValidationError(_("Some of the selected tasks are no longer in this plan. Reload the page."))
        if action == "owner" and value is not None and value.plan_id != plan.pk:
            raise ValidationError(_("This stakeholder is not part of this plan."))
        if action == "phase" and value is not None and value.plan_id != plan.pk:
            raise ValidationError(_("This phase belongs to another plan."))
        if action == "status" and value not in Task.Status.values:
            raise ValidationError(_("Choose a status."))
        if action == "shift" and (not isinstance(value, int) or not value or abs(value) > MAX_SHIFT):
            raise ValidationError(_("Shift by a whole number of working days, not 0 and at most %(max)s either way.")
                                  % {"max": MAX_SHIFT})
        calendar = scheduling.plan_calendar(plan) if action == "shift" else None
        changed, skipped = [], []
        owners_before = {pk: task.owner_id for pk, task in tasks.items()}
        for pk in sorted(tasks, key=lambda pk: (tasks[pk].phase_id or 0, tasks[pk].position, pk)):
            task = tasks[pk]
            if action == "shift" and task.status != Task.Status.NOT_STARTED:
                if task.version != versions[pk]:
                    raise StaleEdit(task, started=versions[pk], current=task.version)
                skipped.append(task)  # its dates are its actual ones: nothing to shift
                continue
            claim(task, versions[pk])
            if action == "delete":
                task.delete()
                changed.append(task)
                continue
            if action == "owner":
                task.owner = value
            elif action == "phase":
                if task.phase_id != (value.pk if value else None):
                    task.phase = value
                    task.position = _end_of_phase(plan, task)
            elif action == "status":
                task.status = value
                if value == Task.Status.DONE:
                    task.percent_complete = 100
            elif action == "shift":
                start = task.early_start or task.must_start_on or task.start_no_earlier_than or plan.start_date
                # a fixed start moves with the shift; any other task gets a start no earlier than
                constraint = "must_start_on" if task.must_start_on else "start_no_earlier_than"
                try:
                    setattr(task, constraint, calendar.add_working_days(start, value))
                except (ValueError, OverflowError):
                    raise ValidationError(_("“%(title)s” cannot be shifted that far: dates run from 2000 to 2100.")
                                          % {"title": task.title}) from None
            # The one constraint (one launch milestone a plan) is on a field a bulk edit never sets.
            task.full_clean(validate_constraints=False)
            task.save()
            changed.append(task)
        result = rescheduled(plan, detail=True)
        tasks_written.send(sender=Task, plan=plan, tasks=[] if action == "delete" else changed,
                           owners_before=owners_before, moved=result["moved"],
                           moved_from=result.get("moved_from", {}))
        written = Written(changed, result["moved"])
        written.skipped = skipped
        return written


def checklist_columns_set(*, user, columns):
    """Save which optional checklist columns ``user`` shows (on every plan); unknown keys are refused."""
    known = [key for key, _label, _default in CHECKLIST_COLUMNS]
    unknown = [column for column in columns if column not in known]
    if unknown:
        raise ValidationError(_("There is no column “%(column)s” to show.") % {"column": str(unknown[0])[:40]})
    chosen = [key for key in known if key in set(columns)]
    preference, _created = ChecklistPreference.objects.update_or_create(user=user, defaults={"columns": chosen})
    return preference


def task_restore(*, plan, record, user=None):
    """Bring back a task as it was in ``record`` (an earlier version, or a deleted task with its
    watch-outs and links). Returns the message to show.

    Restoring never refuses because a reference went away: a phase, owner or related flow deleted
    since is left empty and the message names it, because the rest of the task is still worth
    having back. It refuses only what would be invalid (full_clean), with the reason.
    """
    with plan_write(plan):
        task = Task.objects.filter(plan=plan, pk=record.id).first()
        recreated = task is None
        if recreated:
            task = Task(id=record.id, plan=plan, version=record.version)
        else:
            claim(task, task.version)  # a restore deliberately overwrites whatever is there now
        for f in history_fields_of(Task):
            if f.name not in ("plan", "version"):
                setattr(task, f.attname, getattr(record, f.attname))
        dropped = []
        for name, model, plan_field in TASK_REFERENCES:
            value = getattr(task, f"{name}_id")
            if value is not None and not model.objects.filter(pk=value, **{plan_field: plan}).exists():
                setattr(task, f"{name}_id", None)
                dropped.append(str(Task._meta.get_field(name).verbose_name))
        if recreated:
            task.position = _end_of_phase(plan, task)
            bump(task)
        if task.is_launch and Task.objects.filter(plan=plan, is_launch=True).exclude(pk=task.pk).exists():
            task.is_launch = False  # the plan named another launch since
        try:
            task.full_clean(exclude=["plan"])
        except ValidationError as error:
            raise ValidationError(_("This version cannot be restored: %(reasons)s")
                                  % {"reasons": " ".join(error.messages)}) from None
        task.save(force_insert=recreated)

        parts = [_("Task “%(title)s” restored.") % {"title": task.title}]
        if dropped:
            parts.append(_("It was restored without what no longer exists: %(fields)s.")
                         % {"fields": ", ".join(dropped)})
        if recreated:
            watchouts, links, skipped = _restore_parts(plan, task, record.history_date)
            parts.append(ngettext("%(count)d watch-out restored.", "%(count)d watch-outs restored.", watchouts)
                         % {"count": watchouts})
            parts.append(ngettext("%(count)d link restored.", "%(count)d links restored.", links)
                         % {"count": links})
            if skipped:
                parts.append(ngettext(
                    "%(count)d link was left out: its other task is gone or it would close a cycle.",
                    "%(count)d links were left out: their other task is gone or they would close a cycle.",
                    skipped) % {"count": skipped})
        rescheduled(plan)
    return " ".join(parts)


def _restore_parts(plan, task, deleted_at):
    """Bring back the watch-outs and links deleted together with ``task``."""
    window = {"history_type": "-", "history_date__gte": deleted_at - CASCADE_WINDOW,
              "history_date__lte": deleted_at}
    watchouts = 0
    for position, record in enumerate(WatchOut.history.filter(task_id=task.pk, **window).order_by("id")):
        if not WatchOut.objects.filter(pk=record.id).exists():
            WatchOut(id=record.id, task=task, text=record.text, done=record.done, position=position).save(
                force_insert=True)
            watchouts += 1
    links = skipped = 0
    candidates = TaskLink.history.filter(Q(predecessor_id=task.pk) | Q(successor_id=task.pk), **window)
    task_ids = set(Task.objects.filter(plan=plan).values_list("pk", flat=True))
    for record in candidates.order_by("id"):
        if TaskLink.objects.filter(Q(pk=record.id) | Q(predecessor_id=record.predecessor_id,
                                                       successor_id=record.successor_id)).exists():
            continue
        existing = list(TaskLink.objects.filter(successor__plan=plan).values_list("predecessor_id", "successor_id"))
        pair = (record.predecessor_id, record.successor_id)
        if not set(pair) <= task_ids or find_cycle(task_ids, existing + [pair]):
            skipped += 1
            continue
        TaskLink(id=record.id, predecessor_id=record.predecessor_id, successor_id=record.successor_id,
                 type=record.type, lag=record.lag).save(force_insert=True)
        links += 1
    return watchouts, links, skipped


# ----------------------------------------------------------------------------- links
def _check_link(plan, link):
    """The rules a predecessor link keeps, checked under the plan's lock (two links saved at once
    could otherwise close a cycle neither check saw)."""
    predecessor, successor = link.predecessor, link.successor
    if predecessor.pk == successor.pk:
        raise ValidationError({"predecessor": _("A task cannot depend on itself.")})
    if predecessor.plan_id != plan.pk or successor.plan_id != plan.pk:
        raise ValidationError({"predecessor": _("Both tasks of a link must belong to the same plan.")})
    if TaskLink.objects.filter(predecessor=predecessor, successor=successor).exclude(pk=link.pk).exists():
        raise ValidationError({"predecessor": _("This task is already a predecessor of this task.")})
    titles = dict(plan.tasks.values_list("pk", "title"))
    pairs = list(TaskLink.objects.filter(successor__plan=plan).exclude(pk=link.pk)
                 .values_list("predecessor_id", "successor_id"))
    cycle = find_cycle(titles.keys(), pairs + [(predecessor.pk, successor.pk)])
    if cycle:
        raise ValidationError({"predecessor": _("This link would create a cycle: %(cycle)s")
                               % {"cycle": cycle_text(cycle, titles)}})


def link_add(*, plan, link):
    with plan_write(plan):
        _check_link(plan, link)
        link.full_clean(validate_constraints=False)
        link.save()
        return Written(link, rescheduled(plan))


def link_update(*, plan, link, version):
    with plan_write(plan):
        claim(link, version)
        _check_link(plan, link)
        link.full_clean(validate_constraints=False)
        link.save()
        return Written(link, rescheduled(plan))


def link_delete(*, plan, link, version):
    with plan_write(plan):
        claim(link, version)
        link.delete()
        return Written(link, rescheduled(plan))


# ----------------------------------------------------------------------------- watch-outs
def watchout_set_done(*, plan, watchout, done):
    """Tick a watch-out off (or on again): the state is set, not toggled, so a double click is harmless."""
    with plan_write(plan):
        watchout.done = done
        bump(watchout)
        watchout.save(update_fields=["done", "version"])
    return Written(watchout)


# ----------------------------------------------------------------------------- phases
def phase_removal_reason(phase_id):
    """The history's change reason on each task of a deleted phase (restoring the phase puts them back)."""
    return f"phase {phase_id} deleted"


def phase_delete(*, plan, phase, version):
    """Delete a phase; its tasks stay in the plan without a phase (dates do not move), each with a
    history entry, so that restoring the phase puts them back."""
    with plan_write(plan):
        claim(phase, version)
        tasks_detach(phase.tasks.all(), field="phase", reason=phase_removal_reason(phase.pk))
        phase.delete()
    return Written(phase)


def phase_restore(*, plan, record, user=None):
    """Bring back a phase as it was in ``record`` (renamed since, or deleted with its tasks moved
    out of it). Returns the message to show."""
    with plan_write(plan):
        phase, _recreated = restored_row(Phase, found=Phase.objects.filter(plan=plan, pk=record.id).first(),
                                         siblings=plan.phases, record=record, plan=plan)
        phase.name = record.name
        phase.full_clean(exclude=["plan"])
        phase.save()
        ids = set(Task.history.filter(history_change_reason=phase_removal_reason(record.id))
                  .values_list("id", flat=True))
        back = 0
        for task in Task.objects.filter(pk__in=ids, plan=plan, phase__isnull=True):
            task.phase = phase
            task.position = _end_of_phase(plan, task)
            bump(task)
            task.save(update_fields=["phase", "position", "version"])
            back += 1
    message = _("Phase “%(name)s” restored.") % {"name": phase.name}
    if back:
        message += " " + ngettext("%(count)d task is back in it.", "%(count)d tasks are back in it.", back) % {
            "count": back}
    return message


# ----------------------------------------------------------------------------- plan-wide
def plan_reschedule(*, plan):
    with plan_write(plan):
        return Written(plan, rescheduled(plan))


def settings_save(*, plan, version, extra_days_off, extra_working_days, weights, capacities, launch_id=None):
    """The plan's calendar exceptions, priority weights, owners' capacities and launch milestone."""
    with plan_write(plan):
        settings = scheduling.settings_for(plan)
        claim(settings, version)
        settings.extra_days_off = extra_days_off
        settings.extra_working_days = extra_working_days
        settings.weights = weights
        settings.full_clean()
        settings.save()
        for member in plan.plan_stakeholders.filter(pk__in=capacities):
            if member.capacity != capacities[member.pk]:
                member.capacity = capacities[member.pk]
                bump(member)
                member.save(update_fields=["capacity", "version"])
        if launch_id is not None:
            launch = Task.objects.filter(plan=plan, pk=launch_id, is_milestone=True).first()
            if launch is None:
                raise ValidationError({"launch": _("Choose one of this plan's milestones.")})
            if not launch.is_launch:
                launch.is_launch = True
                bump(launch)
                _only_launch(plan, launch)
                launch.save(update_fields=["is_launch", "version"])
        return Written(settings, rescheduled(plan))


def baseline_create(*, plan, name, user=None):
    """Snapshot every task's dates, and the forecast launch, to measure slip against later."""
    with plan_write(plan):
        if plan.baselines.filter(name=name).exists():
            raise ValidationError({"name": _("A baseline with this name already exists.")})
        tasks = list(plan.tasks.all())
        launch, _how = scheduling.launch_task(tasks)
        baseline = Baseline.objects.create(plan=plan, name=name, created_by=user,
                                           launch_date=launch.early_finish if launch else None)
        baseline.tasks.bulk_create([
            baseline.tasks.model(baseline=baseline, task=task, title=task.title, start=task.early_start,
                                 finish=task.early_finish)
            for task in tasks
        ])
    return Written(baseline)


def baseline_delete(*, plan, baseline):
    with plan_write(plan):
        baseline.delete()
    return Written(baseline)


def plan_create_from_template(template, *, workspace, owner, name, product, scenario, start_date,
                              target_launch_date=None, stakeholders=(), task_owner=None, creator=None):
    """A new plan with the template's phases, tasks, watch-outs and links, all or nothing.

    A task with no predecessor and an offset starts no earlier than start_date + offset working days.
    ``stakeholders`` (people of the workspace) join the plan; ``task_owner`` joins it too and owns
    every task. A ``creator`` who hands the new plan to another PM stays on as an editor.
    Raises ValidationError when the template's links form a cycle or a person belongs to another workspace.
    """
    people = list(dict.fromkeys([*stakeholders, *([task_owner] if task_owner else [])]))
    if any(person.workspace_id != workspace.pk for person in people):
        raise ValidationError({"stakeholders": _("Choose people of this workspace.")})
    template_tasks = list(template.tasks.order_by("position", "id"))
    known = {tt.pk for tt in template_tasks}
    template_links = [link for link in template.links.order_by("id")
                      if link.predecessor_id in known and link.successor_id in known]
    # in template order: the cycle is named from its first task, not from wherever a set's order starts
    cycle = find_cycle([tt.pk for tt in template_tasks],
                       [(link.predecessor_id, link.successor_id) for link in template_links])
    if cycle:
        raise ValidationError(_("The template's links form a cycle: %(cycle)s")
                              % {"cycle": cycle_text(cycle, {tt.pk: tt.title for tt in template_tasks})})
    has_predecessor = {link.successor_id for link in template_links}
    calendar = WorkCalendar(start_date, custom_years=scheduling.official_years())

    with transaction.atomic():
        plan = Plan(workspace=workspace, name=name, product=product, scenario=scenario, owner=owner,
                    start_date=start_date, target_launch_date=target_launch_date)
        plan.full_clean()
        plan.save()
        if creator is not None and creator.pk != owner.pk:
            plan.editors.add(creator)
        lock_and_fill = plan_write(plan)
        with lock_and_fill:
            members = {person.pk: PlanStakeholder.objects.create(
                plan=plan, stakeholder=person, position=i,
                audience=PlanStakeholder.Audience.PARTNER if person.side == "partner" else PlanStakeholder.Audience.TEAM)
                for i, person in enumerate(people)}
            _fill_from_template(plan, template_tasks, template_links, has_predecessor, calendar, start_date,
                                owner=members[task_owner.pk] if task_owner else None)
            rescheduled(plan)
    return plan


def _fill_from_template(plan, template_tasks, template_links, has_predecessor, calendar, start_date, owner=None):
    phases, positions, created = {}, {}, {}
    launch_taken = False
    for tt in template_tasks:
        phase_name = tt.phase.strip()
        phase = None
        if phase_name:
            phase = phases.get(phase_name)
            if phase is None:
                phase = phases[phase_name] = Phase.objects.create(plan=plan, name=phase_name, position=len(phases))
        position = positions.get(phase_name, 0)
        positions[phase_name] = position + 1
        start_no_earlier_than = None
        if tt.offset and tt.pk not in has_predecessor:
            start_no_earlier_than = calendar.add_working_days(start_date, tt.offset)
        is_launch = tt.is_launch and tt.is_milestone and not launch_taken
        launch_taken = launch_taken or is_launch
        created[tt.pk] = Task.objects.create(
            plan=plan, phase=phase, title=tt.title, description=tt.description,
            duration=0 if tt.is_milestone else tt.duration, is_milestone=tt.is_milestone, is_launch=is_launch,
            visibility=tt.visibility, start_no_earlier_than=start_no_earlier_than, position=position, owner=owner,
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


# ----------------------------------------------------------------------------- levelling
# A run's error is stored untranslated (the worker has no reader's language): LevellingRun.error_text
# shows it in the language of whoever reads the page.
LEVELLING_FAILED = gettext_noop("Levelling failed. Try again; if it fails again, tell an administrator (the details are "
                     "in the server log).")
PLAN_CHANGED = gettext_noop("The plan changed while levelling ran (a task, link, owner or capacity was edited), so its "
                 "result was not applied. Run it again to level the plan as it is now.")


def levelling_apply(*, run, outcome):
    """Store a levelling result under the plan's lock if nothing it depends on changed since it
    was computed; otherwise say so on the run. Returns True when applied."""
    plan = run.plan
    with plan_write(plan):
        if LevellingRun.objects.filter(pk=run.pk, state=LevellingRun.State.FAILED).exists():
            return False  # given up on meanwhile (past its deadline): the user was told to run it again
        *_inputs, fingerprint = scheduling.levelling_inputs(plan, today=outcome.today)
        if fingerprint != outcome.fingerprint:
            run.state = LevellingRun.State.FAILED
            run.error = PLAN_CHANGED
            run.result = {**outcome.result, "plan_changed": True}
            run.finished_at = timezone.now()
            run.save(update_fields=["state", "error", "result", "finished_at"])
            return False
        tasks = list(plan.tasks.filter(pk__in=outcome.dates))
        for task in tasks:
            task.levelled_start, task.levelled_finish, task.levelling_note = outcome.dates[task.pk]
        Task.objects.bulk_update(tasks, ["levelled_start", "levelled_finish", "levelling_note"], batch_size=500)
        settings = scheduling.settings_for(plan)
        settings.levelled_at = timezone.now()
        settings.save(update_fields=["levelled_at"])
        touch(plan)
        run.method = outcome.method
        run.finish_before = outcome.finish_before
        run.finish_after = outcome.finish_after
        run.result = outcome.result
        run.state = LevellingRun.State.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.save(update_fields=["method", "finish_before", "finish_after", "result", "state", "progress",
                                "finished_at"])
    return True


def levelling_run(*, run_id, today=None):
    """The whole job: compute without locks, then apply under the plan's lock (see levelling_apply)."""
    run = LevellingRun.objects.select_related("plan").get(pk=run_id)
    if not jobs.start(LevellingRun, run_id, progress=5):
        return False  # given up on (its worker was lost) before this delivery reached a worker
    run.state = LevellingRun.State.RUNNING

    def progress(percent):
        LevellingRun.objects.filter(pk=run_id, state=LevellingRun.State.RUNNING).update(progress=percent)

    with jobs.heartbeat(LevellingRun, run_id):
        outcome = scheduling.compute_levelling(run.plan, time_limit_s=run.time_limit_s, progress=progress,
                                               today=today)
        with transaction.atomic():
            return levelling_apply(run=run, outcome=outcome)


def levelling_failed(*, run_id):
    LevellingRun.objects.filter(pk=run_id, state__in=[LevellingRun.State.QUEUED, LevellingRun.State.RUNNING]).update(
        state=LevellingRun.State.FAILED, error=LEVELLING_FAILED, finished_at=timezone.now())


def levelling_start(*, plan, user):
    """A queued levelling run; the caller queues the job on commit."""
    if not plan.tasks.exists():
        raise ValidationError(_("The plan has no tasks to level."))
    return LevellingRun.objects.create(plan=plan, requested_by=user)
