"""The "Import / export" page of a plan: Excel, JSON, MS Project XML downloads and uploads, iCal feeds.

Readers (managers included) download; writers import and manage feeds. A refused import
answers 422 with every problem listed where the form is, and changes nothing.
"""
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from onboarding.access import can_create_plans, current_workspace, get_plan_for_user

from .. import services
from schedule.models import Task

from ..exchange import ImportFailed, Problem, content_disposition, download_filename, excel, ical, json_backup, mspdi
from ..exchange_forms import CalendarFeedForm, JsonImportForm, MspdiImportForm, XlsxImportForm
from ..models import CalendarFeed
from ..ratelimit import share_rate_limited

PAGE = "sharing/exchange.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(plan, content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback=f"plan-{plan.pk}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _context(request, plan, **extra):
    context = {
        "plan": plan, "tab": "exchange",
        "xlsx_form": XlsxImportForm(auto_id="id_xlsx_%s"), "mspdi_form": MspdiImportForm(auto_id="id_mspdi_%s"),
        "json_form": JsonImportForm(auto_id="id_json_%s"),
        "feeds": list(plan.calendar_feeds.all()) if plan is not None and plan.user_can_write else [],
        "feed_form": CalendarFeedForm(auto_id="id_feed_%s", initial={"language": request.LANGUAGE_CODE}),
    }
    context.update(extra)
    return context


def summary_text(result):
    parts = [ngettext("%(count)s task created", "%(count)s tasks created", result.created) % {"count": result.created}]
    if result.updated or result.unchanged:
        parts.append(ngettext("%(count)s updated", "%(count)s updated", result.updated) % {"count": result.updated})
        parts.append(ngettext("%(count)s unchanged", "%(count)s unchanged", result.unchanged)
                     % {"count": result.unchanged})
    if result.phases_created:
        parts.append(_("new phases: %(names)s") % {"names": "、".join(result.phases_created)})
    if result.kept:
        parts.append(ngettext(
            "%(count)s cell changed in Paasport since the file was exported kept its newer value",
            "%(count)s cells changed in Paasport since the file was exported kept their newer values",
            result.kept) % {"count": result.kept})
    return " ".join(["; ".join(parts) + ".", *result.notes])


# ------------------------------------------------------------------ page and downloads
@login_required
@require_GET
def exchange_page(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, PAGE, _context(request, plan))


@login_required
@require_GET
def export_xlsx(request, pk):
    plan = get_plan_for_user(request, pk)
    return _download(plan, excel.export_workbook(plan), XLSX_TYPE,
                     download_filename(plan.name, _("checklist"), ext="xlsx"))


@login_required
@require_GET
def export_json(request, pk):
    plan = get_plan_for_user(request, pk)
    return _download(plan, json_backup.export_json(plan), "application/json; charset=utf-8",
                     download_filename(plan.name, ext="paasport.json"))


@login_required
@require_GET
def export_mspdi(request, pk):
    plan = get_plan_for_user(request, pk)
    return _download(plan, mspdi.export_xml(plan), "application/xml; charset=utf-8",
                     download_filename(plan.name, "MSProject", ext="xml"))


# ------------------------------------------------------------------ imports
def _imported(request, plan, kind, result):
    summary = summary_text(result)
    if not request.htmx:
        messages.success(request, summary)
        return redirect("sharing:exchange", plan.pk)
    return render(request, f"{PAGE}#import_{kind}", _context(request, plan, **{f"{kind}_summary": summary}))


def _run_import(request, plan, kind, form, service, data=None):
    """Run ``service`` on the uploaded file (or on ``data``, a file kept by a preview)."""
    problems, result = [], None
    if data is None and form.is_valid():
        data = form.data_bytes()
    if data is not None:
        try:
            result = service(data)
        except ImportFailed as failed:
            problems = failed.problems
    if result is not None:
        return _imported(request, plan, kind, result)
    context = _context(request, plan, **{f"{kind}_form": form, f"{kind}_problems": problems})
    return render(request, f"{PAGE}#import_{kind}" if request.htmx else PAGE, context, status=422)


@login_required
@require_POST
def import_xlsx(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    form = XlsxImportForm(request.POST, request.FILES, auto_id="id_xlsx_%s")
    return _run_import(request, plan, "xlsx", form, lambda data: services.import_checklist(plan=plan, data=data))


PREVIEW_SECONDS = 15 * 60


def _preview_key(token):
    return f"mspdi-preview:{token}"


def _change_text(change):
    """One line of the preview: "方案: duration 2 → 5; predecessors change"."""
    if change.task is None:
        return _("%(title)s: new task") % {"title": change.item.name}
    parts = []
    for name, (now, new) in change.fields.items():
        label = {"phase": _("phase"), "watchouts": _("watch-outs")}.get(name) or Task._meta.get_field(name).verbose_name
        parts.append(f"{label} {_shown(now)} → {_shown(new)}")
    if change.links:
        parts.append(_("predecessors change"))
    return _("%(title)s: %(changes)s") % {"title": change.task.title, "changes": "; ".join(parts)}


def _shown(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):  # watch-outs
        return "、".join(("✓" if done else "") + text for text, done in value) or "—"
    return str(value)


def _mspdi_preview(request, plan, data, *, form, problems=(), status=200):
    """The page showing what importing ``data`` changes, its confirmation kept in the cache with the
    tasks as shown (so that applying it can tell whether they changed since). None when the file updates
    no task of the plan (or is refused): the caller imports it at once, or lists its problems."""
    try:
        changes, notes = mspdi.preview_xml(plan, data)
    except ImportFailed:
        return None  # the import lists the problems
    if not any(change.task is not None for change in changes):
        return None
    token = secrets.token_urlsafe(16)
    try:
        cache.set(_preview_key(token), {"plan": plan.pk, "user": request.user.pk, "data": data,
                                        "seen": mspdi.seen_in_preview(changes)}, PREVIEW_SECONDS)
    except Exception:  # noqa: BLE001 - no cache: no preview, and no blind update either
        problem = Problem(_("The preview cannot be prepared right now (the cache is unavailable); nothing "
                            "was changed. Try again in a moment."))
        context = _context(request, plan, mspdi_form=form, mspdi_problems=[*problems, problem])
        return render(request, f"{PAGE}#import_mspdi" if request.htmx else PAGE, context, status=503)
    preview = {"token": token, "rows": [_change_text(change) for change in changes if change.changed],
               "unchanged": sum(1 for change in changes if not change.changed), "notes": notes}
    context = _context(request, plan, mspdi_preview=preview, mspdi_problems=list(problems))
    return render(request, f"{PAGE}#import_mspdi" if request.htmx else PAGE, context, status=status)


def _apply_mspdi_preview(request, plan, data, seen):
    """Apply a confirmed preview; refused, naming the tasks, when any of them changed since it was shown,
    and shown again as the plan is now."""
    form = MspdiImportForm(auto_id="id_mspdi_%s")
    try:
        result = services.import_msproject(plan=plan, data=data, seen=seen)
    except mspdi.PreviewStale as stale:
        again = _mspdi_preview(request, plan, data, form=form, status=422, problems=[
            *stale.problems, Problem(_("Here is the preview again, against the plan as it is now: check it and "
                                       "apply it if it is still what you want."))])
        if again is not None:
            return again
        problems = [*stale.problems, Problem(_("Choose the file again to see what it changes now."))]
    except ImportFailed as failed:
        problems = failed.problems
    else:
        return _imported(request, plan, "mspdi", result)
    context = _context(request, plan, mspdi_form=form, mspdi_problems=problems)
    return render(request, f"{PAGE}#import_mspdi" if request.htmx else PAGE, context, status=422)


@login_required
@require_POST
def import_mspdi(request, pk):
    """A file whose tasks an earlier import created is shown first (what changes), then applied on
    confirmation, unless one of those tasks changed meanwhile; a file of new tasks only is imported at once."""
    plan = get_plan_for_user(request, pk, write=True)
    token = request.POST.get("preview")
    if token:
        try:
            kept = cache.get(_preview_key(token))
        except Exception:  # noqa: BLE001 - the cache (Redis) is down: the preview cannot be found
            kept = None
        if not kept or kept["plan"] != plan.pk or kept["user"] != request.user.pk:
            problem = Problem(_("This preview has expired: choose the file again."))
            context = _context(request, plan, mspdi_problems=[problem])
            return render(request, f"{PAGE}#import_mspdi" if request.htmx else PAGE, context, status=422)
        cache.delete(_preview_key(token))
        # A preview kept without what it showed (from before this check existed) counts as stale: it is shown again.
        return _apply_mspdi_preview(request, plan, kept["data"], kept.get("seen", {}))

    form = MspdiImportForm(request.POST, request.FILES, auto_id="id_mspdi_%s")
    if request.POST.get("as_new"):
        return _import_mspdi_as_plan(request, plan, form)
    if form.is_valid():
        preview = _mspdi_preview(request, plan, form.data_bytes(), form=form)
        if preview is not None:
            return preview
    return _run_import(request, plan, "mspdi", form, lambda data: services.import_msproject(plan=plan, data=data))


def _import_mspdi_as_plan(request, plan, form):
    """"Import as a new plan": a plan of the file's name and dates beside this one, opened after."""
    if not can_create_plans(request.user, plan.workspace):
        raise PermissionDenied("Managers read plans; PMs create them.")
    problems = []
    if form.is_valid():
        try:
            new, result = services.import_msproject_as_plan(owner=request.user, like=plan, data=form.data_bytes())
        except ImportFailed as failed:
            problems = failed.problems
        else:
            messages.success(request, _("Plan “%(name)s” imported: %(summary)s")
                             % {"name": new.name, "summary": summary_text(result)})
            url = reverse("sharing:exchange", args=[new.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = _context(request, plan, mspdi_form=form, mspdi_problems=problems)
    return render(request, f"{PAGE}#import_mspdi" if request.htmx else PAGE, context, status=422)


@login_required
def import_json(request):
    """A new plan from a JSON export; the page works on its own, the form also sits on each plan's page."""
    workspace = current_workspace(request)
    if workspace is None or not can_create_plans(request.user, workspace):
        raise PermissionDenied("Managers read plans; PMs create them.")
    form = JsonImportForm(request.POST or None, request.FILES or None, auto_id="id_json_%s")
    problems = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.import_plan_json(owner=request.user, workspace=workspace, data=form.data_bytes())
            except ImportFailed as failed:
                problems = failed.problems
            else:
                messages.success(request, _("Plan “%(name)s” imported.") % {"name": plan.name})
                url = reverse("sharing:exchange", args=[plan.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 422
    context = {"plan": None, "json_form": form, "json_problems": problems, "standalone": True}
    return render(request, f"{PAGE}#import_json" if request.htmx else PAGE, context, status=status)


# ------------------------------------------------------------------ calendar feeds
def _feeds_response(request, plan, status=200, **extra):
    if not request.htmx:
        return render(request, PAGE, _context(request, plan, **extra), status=status)
    return render(request, f"{PAGE}#feeds", _context(request, plan, **extra), status=status)


@login_required
@require_POST
def feed_create(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    # A missing choice (an old page, a script) means the default; a wrong one is refused.
    form = CalendarFeedForm({"audience": request.POST.get("audience") or CalendarFeed.Audience.TEAM,
                             "language": request.POST.get("language") or request.LANGUAGE_CODE},
                            auto_id="id_feed_%s")
    if not form.is_valid():
        return _feeds_response(request, plan, status=422, feed_form=form)
    feed, token = ical.create_feed(plan, request.user, **form.cleaned_data)
    url = request.build_absolute_uri(reverse("sharing:ical_feed", args=[token]))
    # The full URL is shown in this response only; the database keeps a hash.
    return _feeds_response(request, plan, new_feed=feed, new_feed_url=url)


@login_required
@require_POST
def feed_revoke(request, pk, feed_id):
    plan = get_plan_for_user(request, pk, write=True)
    feed = plan.calendar_feeds.filter(pk=feed_id).first()
    if feed is None:
        raise Http404
    ical.revoke_feed(feed)
    if not request.htmx:
        return redirect("sharing:exchange", plan.pk)
    return _feeds_response(request, plan)


@require_GET
@share_rate_limited
def ical_feed(request, token):
    feed = ical.feed_for_token(token)
    if feed is None:
        return HttpResponseNotFound("Not found\n", content_type="text/plain; charset=utf-8")
    response = HttpResponse(ical.build_calendar(feed.plan, audience=feed.audience, language=feed.language),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(download_filename(feed.plan.name, ext="ics"),
                                                          fallback=f"plan-{feed.plan_id}", inline=True)
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns = [
    path("plans/<int:pk>/exchange/", exchange_page, name="exchange"),
    path("plans/<int:pk>/exchange/checklist.xlsx", export_xlsx, name="export_xlsx"),
    path("plans/<int:pk>/exchange/plan.json", export_json, name="export_json"),
    path("plans/<int:pk>/exchange/msproject.xml", export_mspdi, name="export_mspdi"),
    path("plans/<int:pk>/exchange/import/xlsx/", import_xlsx, name="import_xlsx"),
    path("plans/<int:pk>/exchange/import/msproject/", import_mspdi, name="import_mspdi"),
    path("plans/import/json/", import_json, name="import_json"),
    path("plans/<int:pk>/exchange/feeds/", feed_create, name="feed_create"),
    path("plans/<int:pk>/exchange/feeds/<int:feed_id>/revoke/", feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", ical_feed, name="ical_feed"),
]
