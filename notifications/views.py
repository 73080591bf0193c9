from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.access import current_workspace, get_plan_for_user
from onboarding.versioning import StaleEdit
from schedule import services as schedule_services
from schedule.models import Task

from .forms import MarkReadForm, NotificationPreferenceForm, TaskProgressForm
from .inbox import describe, item_url
from .selectors import MyTask, badges, inbox_of, my_tasks, my_work, unread_mentions
from .services import address_for, badges_changed, notification_mark_read, preference_for

MY_WORK_PAGE = "notifications/my_work.html"
INBOX_PAGE = "notifications/inbox.html"
INBOX_PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The user's own choices, in the app and by email; every email links here."""
    preference = preference_for(request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        status = 422
    context = {
        "form": form,
        "site_language": dict(settings.LANGUAGES).get(settings.LANGUAGE_CODE, settings.LANGUAGE_CODE),
        "address": address_for(request.user),
        "days_ahead": settings.REMINDER_DAYS_AHEAD,
    }
    return render(request, "notifications/settings.html", context, status=status)


# ------------------------------------------------------------------ My work
def _task_form(task, data=None):
    return TaskProgressForm(data, instance=task, prefix=f"t{task.pk}")


class _Urls:
    """A row's links from URLs reversed once per page (reversing three per row cost more than the
    rest of the row)."""

    def __init__(self):
        self.post = reverse("notifications:my_work_task", args=[999999999])
        self.detail = reverse("schedule:task_detail", args=[888888888, 999999999])
        self.plan = reverse("schedule:plan_checklist", args=[888888888])

    def fill(self, item):
        task = item.task
        item.post_url = self.post.replace("999999999", str(task.pk))
        item.detail_url = self.detail.replace("888888888", str(task.plan_id)).replace("999999999", str(task.pk))
        item.plan_url = self.plan.replace("888888888", str(task.plan_id))
        return item


def _shown(item, form=None, urls=None):
    """The values the row's inputs show: the task's, or what a refused form posted (its version
    moved on to the current one when it was stale)."""
    item.form = form
    if form is None or not form.is_bound:
        item.status, item.percent, item.version = item.task.status, item.task.percent_complete, item.task.version
    else:
        item.status, item.percent = form["status"].value(), form["percent_complete"].value()
        item.version = form["version"].value()
    return (urls or _Urls()).fill(item)


@login_required
@require_GET
def my_work_page(request):
    # The rows' inputs are written in the template, not rendered by a form each: a few hundred
    # rows of form widgets took seconds (bench/my_work_bench.py).
    workspace = current_workspace(request)
    work = my_work(request.user, workspace)
    urls = _Urls()
    for _name, items in work.groups:
        for item in items:
            _shown(item, urls=urls)
    mentions = unread_mentions(request.user, workspace)
    for item in mentions:
        item.text, item.url = describe(item), item_url(item)
    return render(request, MY_WORK_PAGE, {"work": work, "workspace": workspace, "statuses": Task.Status.choices,
                                          "mentions": mentions})


@login_required
@require_POST
def my_work_task(request, pk):
    """Change one of my tasks' status and % complete through the task write service."""
    workspace = current_workspace(request)
    # A task done meanwhile (in another tab, say) still answers with its row.
    task = my_tasks(request.user, workspace).filter(pk=pk).first()
    if task is None:
        raise Http404("No such task of yours")
    plan = get_plan_for_user(request, task.plan_id, write=True)
    task.plan = plan
    form = _task_form(task, request.POST)
    status = 200
    if form.is_valid():
        try:
            written = schedule_services.task_update(plan=plan, task=form.instance,
                                                    version=form.cleaned_data.get("version"))
        except StaleEdit as stale:
            task = type(task).objects.select_related("plan").get(pk=task.pk)
            form.instance = task
            form.show_stale(stale)
            status = 422
        except ValidationError as error:
            form.add_error(None, error)
            status = 422
        else:
            task = written.obj
    else:
        status = 422
    item = _shown(MyTask(task=task, due=task.deadline or task.early_finish), form if status != 200 else None)
    badges_changed([request.user.pk])
    context = {"item": item, "saved": status == 200, "oob_badges": True, "statuses": Task.Status.choices,
               "header_badges": badges(request.user, workspace.pk if workspace else None)}
    return render(request, f"{MY_WORK_PAGE}#task_row", context, status=status)


# ------------------------------------------------------------------ the inbox
@login_required
@require_GET
def inbox(request):
    workspace = current_workspace(request)
    page = Paginator(inbox_of(request.user, workspace), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.text = describe(item)
        item.url = item_url(item)
    return render(request, INBOX_PAGE, {"page": page, "workspace": workspace})


@login_required
@require_POST
def inbox_read(request):
    """Mark one item read (``item``), or every item of the current workspace."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return render(request, f"{INBOX_PAGE}#refused", {"form": form}, status=422)
    workspace = current_workspace(request)
    items = inbox_of(request.user, workspace)
    wanted = form.cleaned_data.get("item")
    if wanted is not None:
        item = items.filter(pk=wanted).first()
        if item is None:
            raise Http404("No such item")
        notification_mark_read(user=request.user, ids=[item.pk])
        item.read_at = timezone.now()
        item.text, item.url = describe(item), item_url(item)
        context = {"item": item}
        template = f"{INBOX_PAGE}#item"
    else:
        notification_mark_read(user=request.user, ids=list(items.filter(read_at__isnull=True)
                                                           .values_list("pk", flat=True)))
        if not request.htmx:
            return redirect("notifications:inbox")
        page = Paginator(inbox_of(request.user, workspace), INBOX_PAGE_SIZE).get_page(1)
        for item in page.object_list:
            item.text, item.url = describe(item), item_url(item)
        context = {"page": page}
        template = f"{INBOX_PAGE}#item_list"
    if not request.htmx:
        return redirect("notifications:inbox")
    context["header_badges"] = badges(request.user, workspace.pk if workspace else None)
    context["oob_badges"] = True
    return render(request, template, context)
