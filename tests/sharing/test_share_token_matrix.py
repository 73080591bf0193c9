"""A share-link visitor (no session, only the token) reaches the shared pages and nothing else.

Walks every URL pattern of the project, fills its parameters with real ids of the shared plan's
objects (and the token wherever a string fits), and requests each with GET and POST from a fresh
anonymous client, the token also in the query string. Only the /s/<token>/ pages may answer
200; nothing any URL returns may contain the internal data planted below.
"""
import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client

from onboarding.models import Lane, Metric, Plan, Step
from schedule import scheduling
from schedule import services as schedule_services
from schedule.models import Task
from sharing.models import ShareLink
from tests.factories import FlowFactory, LevellingRunFactory, MetricFactory, PhaseFactory, PlanFactory, PlanStakeholderFactory, StakeholderFactory, TaskFactory, TaskLinkFactory, WatchOutFactory
from tests.security.urls import PARAM, walk

SHARED_NAMES = {"sharing:shared_plan", "sharing:shared_gantt", "sharing:shared_flow"}
# Pages anyone may open (log-in forms, language switch, log-out): they must simply show no plan data.
PUBLIC_NAMES = {"login", "logout", "set_language", "admin:login", "admin:logout", "healthz"}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")

SHARED_TITLE = "SHARED-TASK-MARKER"
# Internal data of the shared plan and of another plan; none of it may reach a visitor.
ALWAYS_SECRET = [
    "INTERNAL-NOTES-MARKER", "CONCERNS-MARKER", "STAKEHOLDER-EMAIL-MARKER", "PHONE-MARKER-555", "OWNER-EMAIL-MARKER",
    "OTHER-PLAN-MARKER", "OTHER-PLAN-TASK-MARKER", "TASK-DESCRIPTION-MARKER", "WATCHOUT-MARKER", "LINK-LABEL-MARKER",
    "PLAN-SUMMARY-MARKER", "PAIN-POINTS-MARKER", "MODULES-MARKER",
    # scores, strategies, capacity, hand-set priority (English page; see the zh test below)
    "relevance", "influence", "Relevance", "Influence", "capacity", "Capacity", "Manage closely", "Keep satisfied",
    "Keep informed", "Priority set by hand", "priority override", "Engagement", "engagement",
]
PARTNER_SECRET = ["INTERNAL-TASK-MARKER"]


@pytest.fixture
def shared(plan, flow, pm, product):
    pm.email = "OWNER-EMAIL-MARKER@example.com"
    pm.save()
    plan.summary = "PLAN-SUMMARY-MARKER"
    plan.save()
    plan.scenario.pain_points = "PAIN-POINTS-MARKER"
    plan.scenario.save()
    person = StakeholderFactory(name="Partner Person", organisation="Example Games", side="partner",
                                        email="STAKEHOLDER-EMAIL-MARKER@example.com", phone="PHONE-MARKER-555")
    member = PlanStakeholderFactory(
        plan=plan, stakeholder=person, audience="partner", relevance=5, influence=5, capacity=9,
        internal_notes="INTERNAL-NOTES-MARKER", concerns="CONCERNS-MARKER", modules="MODULES-MARKER")
    member.steps.add(*flow.steps.all())
    phase = PhaseFactory(plan=plan, name="Integration")
    shared_task = TaskFactory(plan=plan, phase=phase, title=SHARED_TITLE, duration=2, visibility="shared",
                                      owner=member, priority_override=77, description="TASK-DESCRIPTION-MARKER",
                                      status=Task.Status.BLOCKED)
    internal = TaskFactory(plan=plan, phase=phase, title="INTERNAL-TASK-MARKER", duration=3, owner=member,
                                   description="TASK-DESCRIPTION-MARKER", priority_override=-5)
    milestone = TaskFactory(plan=plan, phase=phase, title="Launch", duration=0, is_milestone=True,
                                    visibility="shared")
    TaskLinkFactory(predecessor=shared_task, successor=internal)
    tasklink = TaskLinkFactory(predecessor=internal, successor=milestone)
    watchout = WatchOutFactory(task=shared_task, text="WATCHOUT-MARKER")
    MetricFactory(flow=flow, name="Daily players", target="1000")
    scheduling.recompute(plan)
    baseline = schedule_services.baseline_create(plan=plan, name="Baseline one").obj
    run = LevellingRunFactory(plan=plan)
    other = PlanFactory(name="OTHER-PLAN-MARKER", product=product, owner=pm,
                                start_date=datetime.date(2026, 9, 1))
    TaskFactory(duration=1, plan=other, title="OTHER-PLAN-TASK-MARKER", visibility="shared")
    partner_link, partner_token = ShareLink.create(plan=plan, audience="partner", label="LINK-LABEL-MARKER")
    management_link, management_token = ShareLink.create(plan=plan, audience="management",
                                                         label="LINK-LABEL-MARKER")
    ids = {
        "plans": plan.pk, "plan": plan.pk, "products": plan.product_id, "product": plan.product_id,
        "scenarios": plan.scenario_id, "scenario": plan.scenario_id, "flows": flow.pk, "flow": flow.pk,
        "lanes": Lane.objects.filter(flow=flow).first().pk, "steps": Step.objects.filter(flow=flow).first().pk,
        "metrics": Metric.objects.filter(flow=flow).first().pk, "stakeholders": member.pk,
        "planstakeholder": member.pk, "stakeholder": person.pk, "phases": phase.pk, "phase": phase.pk,
        "tasks": internal.pk, "task": internal.pk, "watchouts": watchout.pk, "tasklinks": tasklink.pk,
        "baselines": baseline.pk, "levelling": run.pk, "share": partner_link.pk, "sharelink": partner_link.pk,
        "user": pm.pk, "users": pm.pk,
    }
    return {"plan": plan, "ids": ids, "tokens": {"partner": partner_token, "management": management_token},
            "flow": flow}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.SHARE_RATE_LIMIT = 0
    cache.clear()


def fill(route, shared, token):
    """The route with every parameter replaced by a real id (chosen by the segment before it)."""
    ids = shared["ids"]
    plan = shared["plan"]
    out, position = [], 0
    for match in PARAM.finditer(route):
        before = route[:match.start()].rstrip("/").rsplit("/", 1)[-1]
        name = match.group("name") or match.group("group")
        converter = match.group("converter") or ("str" if match.group("name") else "regex")
        if name == "token":
            value = token
        elif name == "direction":
            value = "up"
        elif name == "content_type_id":
            value = ContentType.objects.get_for_model(Plan).pk
        elif name == "app_label":
            value = "sharing"
        elif name == "url":
            value = "anything/"
        elif converter in ("int", "path") or name in ("id", "pk", "object_id") or name.endswith("_id"):
            value = ids.get(before, plan.pk)
        else:
            value = token
        out.append(route[position:match.start()])
        out.append(str(value))
        position = match.end()
    out.append(route[position:])
    return "/" + "".join(out)


def follow_to_refusal(client, response, method):
    """Follow local redirects; True when the visitor ends at a log-in page or a refusal."""
    for _hop in range(5):
        if response.status_code in (403, 404, 405):
            return True
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        target = urlsplit(response["Location"])
        if target.netloc and target.netloc != "testserver":
            return False
        if target.path in LOGIN_PATHS:
            return True
        response = client.get(target.path, data=dict(p.split("=", 1) for p in target.query.split("&") if "=" in p))
    return False


def assert_no_secrets(body, secrets, where):
    leaked = [secret for secret in secrets if secret in body]
    assert not leaked, f"{where} shows {leaked}"


@pytest.mark.parametrize("audience", ["partner", "management"])
def test_only_shared_pages_answer_and_nothing_internal_leaks(shared, audience):
    token = shared["tokens"][audience]
    secrets = ALWAYS_SECRET + (PARTNER_SECRET if audience == "partner" else [])
    answered = {}
    checked = 0
    for route, name in walk():
        path = fill(route, shared, token)
        for method in ("get", "post"):
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            query = {"token": token, "t": token}
            if method == "get":
                response = client.get(path, query)
            else:
                response = client.post(f"{path}?token={token}", {"token": token, "title": "CHANGED", "name": "CHANGED"})
            checked += 1
            body = response.content.decode(errors="replace")
            assert_no_secrets(body, secrets, f"{method.upper()} {path} ({name})")
            if name in SHARED_NAMES:
                if method == "post":
                    assert response.status_code == 405, path
                continue
            if name in PUBLIC_NAMES:
                assert response.status_code < 500, path
                continue
            assert response.status_code != 200, f"{method.upper()} {path} ({name}) answered 200"
            assert follow_to_refusal(client, response, method), (
                f"{method.upper()} {path} ({name}) → {response.status_code} {response.get('Location', '')}")
            answered[path] = response.status_code
    assert checked > 100  # the walk really covered the project
    # Nothing changed through any of those requests.
    assert not Task.objects.filter(title="CHANGED").exists()
    assert ShareLink.objects.filter(revoked_at__isnull=True).count() == 2


@pytest.mark.parametrize("audience", ["partner", "management"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_shared_pages_and_partials_answer_without_internal_fields(shared, audience, language):
    from django.utils import translation

    token = shared["tokens"][audience]
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    pages = [
        client.get(f"/s/{token}/"),
        client.get(f"/s/{token}/gantt/?zoom=weeks", HTTP_HX_REQUEST="true"),
        client.get(f"/s/{token}/gantt/?zoom=quarters", HTTP_HX_REQUEST="true"),
        client.get(f"/s/{token}/flows/{shared['flow'].pk}/", HTTP_HX_REQUEST="true"),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    with translation.override(language):
        # Translated names of the same internal words, in the page's language.
        translated = [translation.gettext(word) for word in (
            "Manage closely", "Keep satisfied", "Keep informed", "Priority set by hand", "relevance", "influence",
            "internal notes", "capacity", "priority override")]
    secrets = ALWAYS_SECRET + translated + (PARTNER_SECRET if audience == "partner" else [])
    for page in pages:
        assert_no_secrets(page.content.decode(), secrets, page.request["PATH_INFO"])
        assert not page.cookies
    assert SHARED_TITLE in pages[0].content.decode()
    if audience == "management":
        assert "INTERNAL-TASK-MARKER" in pages[0].content.decode()


def test_the_token_of_one_plan_opens_no_other_plan(shared, client):
    token = shared["tokens"]["partner"]
    other = Plan.objects.get(name="OTHER-PLAN-MARKER")
    other_flow = FlowFactory(plan=other, name="OTHER-FLOW")
    assert client.get(f"/s/{token}/flows/{other_flow.pk}/", HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(f"/plans/{other.pk}/", {"token": token}).status_code == 302
