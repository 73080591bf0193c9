"""Share links: the owner's page to create and revoke them, and the read-only pages they open.

Shared pages (/s/<token>/…) have no session and offer no way to change anything. What they show
is gathered here into plain dicts of audience-safe fields, so an internal field cannot reach a
template or a chart by accident: partners see only tasks shared with them; nobody sees
stakeholders' scores, strategies, internal notes, capacities, priority overrides or contact details.
"""
import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onboarding import revisions
from onboarding.access import get_plan_for_user
from onboarding.selectors import flows_for_charts
from onboarding.swimlane import swimlane_figure
from schedule import scheduling
from schedule.engine import EXPLANATIONS, PART_LABELS
from schedule.figures.gantt import build_gantt, zoom_range
from schedule.gantt_data import gantt_labels, gantt_tasks, non_working_days, person_label
from schedule.models import Task
from schedule.selectors import plan_status
from stakeholders.models import Stakeholder

from .. import extras, links, ratelimit, selectors
from ..forms import ShareLinkForm
from ..models import ShareLink

LINKS_PAGE = "sharing/links_page.html"
SHARE_PAGE = "sharing/share_page.html"
NOT_FOUND_PAGE = "sharing/share_not_found.html"

# Ranking parts a visitor may see. "stakeholder" and "override" are left out (their text names
# relevance × influence scores and hand-set priorities); "partner_action" and "criticality" show
# their label only, because their explanations carry scores and float.
VISIBLE_PARTS = {"milestone", "launch", "urgency", "status", "risk_float", "risk_blocked", "risk_slipped"}
LABEL_ONLY_PARTS = {"partner_action", "criticality"}
ZOOMS = ("all", "weeks", "months", "quarters")


# ============================================================== the owner's page
def _links_context(plan, *, form, new_link=None, new_url=None):
    return {
        "plan": plan, "tab": "share", "form": form, "new_link": new_link, "new_url": new_url,
        "links": list(selectors.share_links_of(plan)), "today": timezone.localdate(),
    }


def _no_store(response):
    # The create response holds the only copy of the token: keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def links_page(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    return render(request, LINKS_PAGE, _links_context(plan, form=ShareLinkForm()))


@login_required
@require_POST
def link_create(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    form = ShareLinkForm(request.POST)
    template = f"{LINKS_PAGE}#links_panel" if request.htmx else LINKS_PAGE
    if not form.is_valid():
        return render(request, template, _links_context(plan, form=form), status=422)
    link, token = links.create_link(plan, created_by=request.user, **form.cleaned_data)
    url = request.build_absolute_uri(links.share_path(token))
    return _no_store(render(request, template, _links_context(plan, form=ShareLinkForm(), new_link=link,
                                                                 new_url=url)))


@login_required
@require_POST
def link_revoke(request, pk, link_id):
    plan = get_plan_for_user(request, pk, write=True)
    link = get_object_or_404(selectors.share_links_of(plan), pk=link_id)
    links.revoke_link(link)
    if request.htmx:
        return render(request, f"{LINKS_PAGE}#link_row", {"plan": plan, "link": link,
                                                           "today": timezone.localdate()})
    return redirect("sharing:links", plan.pk)


# ============================================================== shared pages
def _shared_headers(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL: never pass it on
    response["Cache-Control"] = "private, no-store"
    return response


def _not_found(request):
    # One page for unknown, expired and revoked tokens alike: the body must not tell them apart.
    return _shared_headers(render(request, NOT_FOUND_PAGE, status=404))


def _activate_language(request):
    """?lang= wins over Accept-Language, without a cookie or a session."""
    lang = request.GET.get("lang", "")
    if lang in dict(settings.LANGUAGES):
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    return translation.get_language()


def shared_view(view):
    """Rate limit, language, token → active link (or the one not-found page), and the headers."""
    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        _activate_language(request)
        # Counted before the token is looked at, so that guessing tokens is slowed down too.
        retry_after = ratelimit.check(request)
        if retry_after is not None:
            return _shared_headers(ratelimit.too_many_requests(retry_after))
        if request.method not in ("GET", "HEAD"):
            return _shared_headers(HttpResponseNotAllowed(["GET", "HEAD"]))
        link = selectors.active_link(token)
        if link is None:
            return _not_found(request)
        try:
            response = view(request, link, token, *args, **kwargs)
        except Http404:
            response = _not_found(request)
        return _shared_headers(response)

    return wrapped


def _query(**params):
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"?{urlencode(params)}" if params else ""


FIRST_SCREEN_OWED = 5  # partner's open tasks listed on the first screen; the rest are counted


def _owner_display(plan, audience, platform_names):
    """The plan owner as this link names them: a platform-side person, by role unless names were chosen."""
    owner = plan.owner
    profile = selectors.owner_profile(plan)
    return person_label(owner.get_full_name() or owner.username, profile.get("organisation", ""),
                        side=profile.get("side", Stakeholder.Side.PLATFORM), role=profile.get("role", ""),
                        audience=audience, platform_names=platform_names)


def _task_dates(task):
    start = task.actual_start or task.early_start
    finish = task.actual_finish or task.early_finish
    if task.is_milestone or (start and finish and finish < start):
        finish = start
    return start, finish


def _safe_task(task, link):
    """The fields of a task a visitor may see, as a plain dict."""
    start, finish = _task_dates(task)
    owner, side = "", ""
    if task.owner_id:
        stakeholder = task.owner.stakeholder
        side = stakeholder.side
        owner = person_label(stakeholder.name, stakeholder.organisation, side=side, role=stakeholder.role,
                             audience=link.audience, platform_names=link.platform_names)
    return {
        "id": task.pk, "title": task.title, "phase": task.phase.name if task.phase_id else "",
        "start": start, "finish": finish, "status": task.status, "status_display": task.get_status_display(),
        "milestone": task.is_milestone, "critical": task.is_critical,
        "percent": 100 if task.status == Task.Status.DONE else task.percent_complete, "owner": owner,
        "owner_side": side, "deadline": task.deadline,
    }


def _reasons(item):
    reasons = []
    for part in item.parts:
        if part.key in VISIBLE_PARTS:
            reasons.append({"label": _(PART_LABELS[part.key]),
                            "explanation": _(EXPLANATIONS[part.explanation.template]) % part.explanation.params})
        elif part.key in LABEL_ONLY_PARTS:
            reasons.append({"label": _(PART_LABELS[part.key]), "explanation": ""})
    return reasons


def _figure_json(fig):
    """Figure JSON safe inside <script type="application/json"> (same escapes as json_script)."""
    return fig.to_json().translate({ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"})


def _gantt(link, zoom, today):
    plan = link.plan
    rows = gantt_tasks(plan, audience=link.audience, platform_names=link.platform_names)
    if not rows:
        return None
    x_range = None
    non_working = []
    if zoom != "all":
        x_range = zoom_range(zoom, today=today)
        first, last = (datetime.date.fromisoformat(day) for day in x_range)
        non_working = non_working_days(plan, first, last - datetime.timedelta(days=1))
    fig = build_gantt(rows, group_by="phase", today=today, x_range=x_range, non_working_days=non_working,
                      labels=gantt_labels(), show_baselines=False)
    return _figure_json(fig)


def _first_screen(status, safe_tasks, today):
    """What the first screen answers: when is the launch against the plan, what happens next, and what
    the partner owes. Every date and figure comes from ``plan_status``; tasks are the visible ones."""
    visible = {task["id"]: task for task in safe_tasks}
    late_ids = {flag.id for flag in status.late}
    planned = status.target or status.baseline_launch
    gap = status.target_gap if status.target else status.slip
    milestones = [{"title": m.title, "date": m.date, "status": m.status, "status_display": m.status_display,
                   "late": m.id in late_ids, "is_launch": m.is_launch}
                  for m in status.next_milestones if m.id in visible][:3]
    owed = [dict(task, due=task["deadline"] or task["finish"]) for task in safe_tasks
            if task["owner_side"] == Stakeholder.Side.PARTNER and task["status"] != Task.Status.DONE]
    for task in owed:
        task["overdue"] = bool(task["due"] and task["due"] < today)
    owed.sort(key=lambda task: (not task["overdue"], task["due"] or datetime.date.max, task["id"]))
    return {"planned_launch": planned, "launch_gap": gap, "launch_ahead": -gap if gap and gap < 0 else 0,
            "next_milestones": milestones,
            "owed": owed[:FIRST_SCREEN_OWED], "owed_count": len(owed),
            "owed_more": max(0, len(owed) - FIRST_SCREEN_OWED),
            "owed_overdue": sum(task["overdue"] for task in owed)}


def _shared_context(request, link, token, *, zoom="all", flow_id=None, part=None):
    """Everything a shared page shows; ``part`` limits the work to one partial."""
    plan = link.plan
    audience = link.audience
    lang = translation.get_language()
    today = timezone.localdate()
    context = {"token": token, "audience": audience, "plan_name": plan.name, "lang": lang,
               "is_partner": audience == ShareLink.Audience.PARTNER, "expires_on": link.expires_on,
               "zoom": zoom if zoom in ZOOMS else "all"}
    context["zoom_links"] = [
        {"key": key, "label": label,
         "url": reverse("sharing:shared_gantt", args=[token]) + _query(zoom=key, lang=lang),
         "page_url": _query(zoom=key, lang=lang)}
        for key, label in (("all", _("Whole plan")), ("weeks", _("Weeks")), ("months", _("Months")),
                           ("quarters", _("Quarters")))
    ]

    if part in (None, "gantt"):
        scheduling.ensure_fresh(plan)
        context["gantt_json"] = _gantt(link, context["zoom"], today)
        if part is None:
            tasks = selectors.tasks_visible_to(plan, audience=audience)
            visible_ids = {task.pk for task in tasks}
            status = plan_status(plan, today=today)
            baseline = status.baseline if audience == ShareLink.Audience.MANAGEMENT else None
            ranked = [item for item in scheduling.rankings(plan, audience, baseline=baseline)
                      if item.id in visible_ids]
            safe_by_id = {task.pk: _safe_task(task, link) for task in tasks}
            context["rows"] = [{"rank": item.rank, "task": safe_by_id[item.id], "reasons": _reasons(item)}
                               for item in ranked]
            safe_tasks = list(safe_by_id.values())
            context["all_tasks"] = sorted(safe_tasks, key=lambda t: (t["start"] or datetime.date.max, t["id"]))
            context["done_tasks"] = [task for task in safe_tasks if task["status"] == Task.Status.DONE]
            if audience == ShareLink.Audience.PARTNER:
                # Comments the team marked for the partner, on the plan or the tasks shown here, as plain
                # rows (collab, above this app, provides them: sharing/extras.py).
                context["partner_comments"] = extras.partner_comments(
                    plan, {task.pk: task.title for task in tasks}, platform_names=link.platform_names)
            context["status"] = status
            context.update(_first_screen(status, safe_tasks, today))
            context["holiday_notes"] = scheduling.holiday_notes(plan)
            # The partner-provided interfaces and their joint tests: statuses and dates only, never notes.
            context["interfaces"] = extras.partner_interfaces(plan.product)
            context.update({
                "plan_product": plan.product.name, "plan_status": plan.get_status_display(),
                "plan_start": plan.start_date, "plan_target_launch": plan.target_launch_date,
                "owner_label": _owner_display(plan, audience, link.platform_names),
            })

    if part in (None, "flow"):
        flows = list(flows_for_charts(plan))
        flow = next((item for item in flows if item.pk == flow_id), None) if flow_id else None
        if flow_id and flow is None:
            raise Http404
        flow = flow or (flows[0] if flows else None)
        context["flows"] = [
            {"id": item.pk, "name": item.name, "active": item == flow,
             "url": reverse("sharing:shared_flow", args=[token, item.pk]) + _query(lang=lang),
             "page_url": _query(flow=item.pk, lang=lang)}
            for item in flows
        ]
        context["flow_name"] = flow.name if flow else ""
        context["swimlane_json"] = _figure_json(swimlane_figure(flow, audience=audience)) if flow else None
    return context


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@shared_view
def shared_plan(request, link, token):
    zoom = request.GET.get("zoom", "all")
    flow_id = _int_or_none(request.GET.get("flow"))
    scheduling.ensure_fresh(link.plan)  # a first view of the day reschedules: before the key is taken
    # The page is the same for every visitor of this link in this language until the plan changes;
    # the link itself is still resolved, checked, rate-limited and counted on every request.
    content = revisions.cached(
        "share-page", link.plan,
        [link.pk, translation.get_language(), zoom if zoom in ZOOMS else "all", flow_id or "", link.expires_on or ""],
        lambda: render(request, SHARE_PAGE, _shared_context(request, link, token, zoom=zoom, flow_id=flow_id)).content)
    response = HttpResponse(content)
    if request.method == "GET" and not request.htmx:
        links.record_view(link)
    return response


@shared_view
def shared_gantt(request, link, token):
    zoom = request.GET.get("zoom", "all")
    if not request.htmx:
        return redirect(reverse("sharing:shared_plan", args=[token]) + _query(zoom=zoom, lang=request.GET.get("lang")))
    return render(request, f"{SHARE_PAGE}#gantt", _shared_context(request, link, token, zoom=zoom, part="gantt"))


@shared_view
def shared_flow(request, link, token, flow_id):
    if not request.htmx:
        return redirect(reverse("sharing:shared_plan", args=[token]) + _query(flow=flow_id,
                                                                                lang=request.GET.get("lang")))
    return render(request, f"{SHARE_PAGE}#flow", _shared_context(request, link, token, flow_id=flow_id,
                                                                    part="flow"))


urlpatterns = [
    path("plans/<int:pk>/share/", links_page, name="links"),
    path("plans/<int:pk>/share/create/", link_create, name="link_create"),
    path("plans/<int:pk>/share/<int:link_id>/revoke/", link_revoke, name="link_revoke"),
    path("s/<str:token>/", shared_plan, name="shared_plan"),
    path("s/<str:token>/gantt/", shared_gantt, name="shared_gantt"),
    path("s/<str:token>/flows/<int:flow_id>/", shared_flow, name="shared_flow"),
]
