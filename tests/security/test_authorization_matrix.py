"""Every URL × every kind of visitor × GET and POST answers as the expectation table says.

The URLs come from the URL configuration (tests/security/urls.py), so a new URL without an entry
in EXPECTED fails `test_every_url_has_an_expectation` until someone decides who may use it.
Parameters are filled with real ids of objects inside the plan (tests/security/conftest.py); a
POST that is allowed runs inside a savepoint that is rolled back, so every request sees the same
world.
"""
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client

from sharing import exports
from sharing.models import ExportJob
from tests.security.conftest import PASSWORD, PERSON_EMAIL, value_for
from tests.security.urls import fill, key_of, walk

ROLES = ["anonymous", "share", "viewer", "editor", "owner", "other", "manager", "staff"]

# What each rule means for each role. Outcomes:
#   ok     2xx, a redirect elsewhere than a log-in page, 409 (conflict) or 422 (form errors)
#   login  302 to the log-in page          admin-login  302 to the admin's log-in page
#   403 / 404 / 405                        any          anything but a 5xx (Django admin decides)
RULES = {
    "public": dict.fromkeys(ROLES, "ok"),
    "login": {**dict.fromkeys(ROLES, "ok"), "anonymous": "login", "share": "login"},
    # "other" is a PM of another workspace: 404 for everything of this one. "staff" administers
    # this workspace: reads and changes every plan of it.
    "reader": {"anonymous": "login", "share": "login", "viewer": "ok", "editor": "ok", "owner": "ok",
               "other": "404", "manager": "ok", "staff": "ok"},
    "writer": {"anonymous": "login", "share": "login", "viewer": "403", "editor": "ok", "owner": "ok",
               "other": "404", "manager": "403", "staff": "ok"},
    "post-only": {**dict.fromkeys(ROLES, "405"), "anonymous": "login", "share": "login"},
    "get-only": {**dict.fromkeys(ROLES, "405"), "anonymous": "login", "share": "login"},
    "not-allowed": dict.fromkeys(ROLES, "405"),
    "not-found": {**dict.fromkeys(ROLES, "404"), "anonymous": "login", "share": "login"},
    "to-login": dict.fromkeys(ROLES, "login"),
    "any": dict.fromkeys(ROLES, "any"),
    # Managers read everything and change nothing, not even by creating.
    "creator": {**dict.fromkeys(ROLES, "ok"), "anonymous": "login", "share": "login", "manager": "403"},
    "owner": {"anonymous": "login", "share": "login", "viewer": "403", "editor": "403", "owner": "ok",
              "other": "404", "manager": "403", "staff": "ok"},
    # The workspace's catalogue (products, scenarios): its members read it, its PMs and admins keep it.
    "catalogue-reader": {"anonymous": "login", "share": "login", "viewer": "ok", "editor": "ok", "owner": "ok",
                         "other": "404", "manager": "ok", "staff": "ok"},
    "catalogue-writer": {"anonymous": "login", "share": "login", "viewer": "ok", "editor": "ok", "owner": "ok",
                         "other": "404", "manager": "403", "staff": "ok"},
    # Moving a plan to another team: staff administering both workspaces only (none here has two).
    "mover": {"anonymous": "login", "share": "login", "viewer": "403", "editor": "403", "owner": "403",
              "other": "404", "manager": "403", "staff": "403"},
    # A share token works for anyone who holds it; the anonymous visitor here holds a wrong one.
    "token": {**dict.fromkeys(ROLES, "ok"), "anonymous": "404"},
    "admin": {**dict.fromkeys(ROLES, "admin-login"), "staff": "any"},
    # Webhooks: the workspace's PMs and admins keep them; to anyone else (managers too) they are 404.
    "hook-keeper": {"anonymous": "login", "share": "login", "viewer": "ok", "editor": "ok", "owner": "ok",
                    "other": "404", "manager": "404", "staff": "ok"},
    # A product's interface inventory and the workspace's platform requirements: like the catalogue (the joint-test matrix too).
    "interface-keeper": {"anonymous": "login", "share": "login", "viewer": "ok", "editor": "ok", "owner": "ok",
                         "other": "404", "manager": "403", "staff": "ok"},
    # A comment is edited by its author alone (the world's comment is the owner's), even against admins.
    "author": {"anonymous": "login", "share": "login", "viewer": "403", "editor": "403", "owner": "ok",
               "other": "404", "manager": "403", "staff": "403"},
    # Holiday years move every plan's dates: staff only (the header shows them the page).
    "staff": {**dict.fromkeys(ROLES, "403"), "anonymous": "login", "share": "login", "staff": "ok"},
}

READ = {"get": "reader", "post": "reader"}
READ_ONLY = {"get": "reader", "post": "get-only"}
WRITE = {"get": "writer", "post": "writer"}
POST_WRITE = {"get": "post-only", "post": "writer"}
LOGGED_IN = {"get": "login", "post": "login"}
READ_PAGE = {"get": "login", "post": "get-only"}
CREATE = {"get": "creator", "post": "creator"}


def _row_kind(namespace, name):
    return {
        f"{namespace}:{name}_row": READ_ONLY, f"{namespace}:{name}_edit": WRITE, f"{namespace}:{name}_add": WRITE,
        f"{namespace}:{name}_delete": POST_WRITE, f"{namespace}:{name}_move": POST_WRITE,
    }


EXPECTED = {
    "home": {"get": "public", "post": "public"},
    "healthz": {"get": "public", "post": "not-allowed"},
    "login": {"get": "public", "post": "public"},
    "logout": {"get": "not-allowed", "post": "to-login"},
    "admin:login": {"get": "public", "post": "public"}, "admin:logout": {"get": "any", "post": "any"},
    "set_language": {"get": "public", "post": "public"},
    "notifications:settings": LOGGED_IN,
    # Each user's own My work, inbox and workspace activity (scoped inside); a task that is not
    # theirs is 404 (the world's task has no owner linked to an account).
    "notifications:my_work": READ_PAGE, "notifications:inbox": READ_PAGE, "notifications:activity": READ_PAGE,
    "notifications:my_work_task": {"get": "post-only", "post": "not-found"},
    "notifications:inbox_read": {"get": "post-only", "post": "login"},
    "notifications:plan_activity": READ_ONLY,
    # A user's own API tokens: anyone logged in manages theirs; another's token id is 404.
    "api_tokens:list": LOGGED_IN, "api_tokens:revoke": {"get": "post-only", "post": "not-found"},
    # The webhooks of the current workspace: its PMs and admins (a manager: 403 on the list).
    "webhooks:list": CREATE, "webhooks:detail": {"get": "hook-keeper", "post": "hook-keeper"},
    "webhooks:delete": {"get": "post-only", "post": "hook-keeper"},
    "webhooks:redeliver": {"get": "post-only", "post": "hook-keeper"},
    # Products and scenarios are the workspace's catalogue its PMs build on.
    "onboarding:product_list": LOGGED_IN, "onboarding:product_new": CREATE,
    "onboarding:product_detail": {"get": "catalogue-reader", "post": "catalogue-reader"},
    "onboarding:product_edit": {"get": "catalogue-writer", "post": "catalogue-writer"},
    "onboarding:scenario_list": LOGGED_IN, "onboarding:scenario_new": CREATE,
    "onboarding:scenario_edit": {"get": "catalogue-writer", "post": "catalogue-writer"},
    "onboarding:workspace_switch": {"get": "post-only", "post": "not-found"},  # no such workspace posted
    "stakeholders:plan_move": {"get": "mover", "post": "mover"},
    "onboarding:plan_list": LOGGED_IN, "onboarding:plan_new": CREATE,
    "schedule:plan_from_template": CREATE, "sharing:import_json": CREATE,
    "onboarding:plan_edit": WRITE,
    "onboarding:plan_delete": {"get": "owner", "post": "owner"},  # only the owner deletes a plan
    "onboarding:plan_flow": READ, "onboarding:flow_swimlane": READ,
    "onboarding:plan_history": READ, "onboarding:plan_history_restore": POST_WRITE,
    **_row_kind("onboarding", "flow"), **_row_kind("onboarding", "lane"), **_row_kind("onboarding", "step"),
    **_row_kind("onboarding", "metric"), **_row_kind("stakeholders", "stakeholder"),
    **_row_kind("schedule", "phase"), **_row_kind("schedule", "task"), **_row_kind("schedule", "watchout"),
    **{key: rule for key, rule in _row_kind("schedule", "tasklink").items() if not key.endswith("_move")},
    "stakeholders:plan_stakeholders": READ_ONLY,
    "schedule:tasklink_move": {"get": "post-only", "post": "not-found"},  # links have no order
    "schedule:plan_overview": READ, "schedule:plan_checklist": READ, "schedule:task_detail": READ,
    "schedule:watchout_toggle": POST_WRITE, "schedule:task_bulk": POST_WRITE,
    # A person's own choice of columns: every reader of the plan may make it.
    "schedule:checklist_columns": {"get": "post-only", "post": "reader"},
    "schedule:plan_schedule": READ, "schedule:schedule_recompute": POST_WRITE,
    "schedule:schedule_settings": POST_WRITE, "schedule:baseline_create": POST_WRITE,
    "schedule:baseline_delete": POST_WRITE, "schedule:level_start": POST_WRITE, "schedule:level_status": READ,
    "schedule:plan_priorities": READ, "schedule:plan_gantt": READ, "schedule:gantt_task_edit": {"get": "reader", "post": "writer"},
    # Links open the plan to outsiders: only those who may change it manage them.
    "sharing:links": WRITE, "sharing:link_create": POST_WRITE, "sharing:link_revoke": POST_WRITE,
    "sharing:shared_plan": {"get": "token", "post": "not-allowed"},
    "sharing:shared_gantt": {"get": "token", "post": "not-allowed"},
    "sharing:shared_flow": {"get": "token", "post": "not-allowed"},
    # Exports change nothing in the plan: every reader (managers above all) may make them.
    "sharing:exports": READ, "sharing:export_create": {"get": "post-only", "post": "reader"},
    "sharing:export_status": READ, "sharing:export_download": READ,
    "sharing:export_retry": {"get": "post-only", "post": "reader"}, "sharing:chart_image": READ,
    "sharing:exchange": READ_ONLY, "sharing:export_xlsx": READ_ONLY, "sharing:export_json": READ_ONLY,
    "sharing:export_mspdi": READ_ONLY, "sharing:import_xlsx": POST_WRITE, "sharing:import_mspdi": POST_WRITE,
    "sharing:feed_create": POST_WRITE, "sharing:feed_revoke": POST_WRITE,
    "sharing:ical_feed": {"get": "token", "post": "not-allowed"},
    # The portfolio shows each member what they read (a PM of another workspace: their own plans).
    "portfolio:portfolio": READ_PAGE, "portfolio:timeline": READ_PAGE, "portfolio:workload": READ_PAGE,
    "portfolio:export_xlsx": READ_PAGE,
    "portfolio:workload_cell": {"get": "not-found", "post": "get-only"},  # no person or week given
    "portfolio:report_create": {"get": "post-only", "post": "login"},
    # Reports are their requester's alone (the id filled in here is no report of anyone's).
    "portfolio:report_status": {"get": "not-found", "post": "get-only"},
    "portfolio:report_download": {"get": "not-found", "post": "get-only"},
    "portfolio:report_retry": {"get": "post-only", "post": "not-found"},
    # The interface inventory of a product and the platform's requirements (interfaces/views/inventory.py, requirements.py)
    "interfaces:inventory": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:interface_row": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:interface_add": {"get": "interface-keeper", "post": "interface-keeper"},
    "interfaces:interface_edit": {"get": "interface-keeper", "post": "interface-keeper"},
    "interfaces:interface_delete": {"get": "post-only", "post": "interface-keeper"},
    "interfaces:interface_import": {"get": "post-only", "post": "interface-keeper"},
    "interfaces:spec_diff": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:spec_accept": {"get": "post-only", "post": "interface-keeper"},
    "interfaces:spec_discard": {"get": "post-only", "post": "interface-keeper"},
    "interfaces:gaps": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:gaps_pdf": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:requirement_list": READ_PAGE, "interfaces:requirement_add": CREATE,
    "interfaces:requirement_row": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:requirement_edit": {"get": "interface-keeper", "post": "interface-keeper"},
    "interfaces:requirement_delete": {"get": "post-only", "post": "interface-keeper"},
    # The joint-test matrix (issue 17): per product, and per plan with the plan's 联调 tasks.
    "interfaces:matrix": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:matrix_export": {"get": "catalogue-reader", "post": "get-only"},
    "interfaces:joint_test_bulk": {"get": "post-only", "post": "interface-keeper"},
    "interfaces:joint_test_cell": {"get": "catalogue-reader", "post": "interface-keeper"},
    "interfaces:plan_interfaces": READ_ONLY, "interfaces:plan_interface_link": POST_WRITE,
    "schedule:holidays": {"get": "staff", "post": "get-only"},
    "schedule:holiday_year": {"get": "staff", "post": "staff"},
    "schedule:holiday_year_delete": {"get": "post-only", "post": "staff"},
    # Comments and files: readers read (and download), writers add; a comment is its author's to edit,
    # its author's or an admin's to delete. A product's files follow the catalogue.
    "collab:comments": {"get": "reader", "post": "writer"}, "collab:comment_row": READ_ONLY,
    "collab:comment_edit": {"get": "author", "post": "author"},
    "collab:comment_delete": {"get": "post-only", "post": "owner"}, "collab:mention_search": READ_ONLY,
    "collab:plan_attachments": {"get": "reader", "post": "writer"},
    "collab:product_attachments": {"get": "catalogue-reader", "post": "catalogue-writer"},
    "collab:attachment_file": READ_ONLY, "collab:attachment_delete": POST_WRITE,
    "collab:attachment_restore": POST_WRITE,
}
ADMIN = {"get": "admin", "post": "admin"}


def expectation(route, name):
    # The admin is Django's own, with its own staff-and-permission checks: one family rule.
    if ((name or "").startswith("admin:") or route.startswith("admin/")) and name not in EXPECTED:
        return ADMIN
    return EXPECTED.get(key_of(route, name))


def outcome(response):
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target == "/accounts/login/":
            return "login"
        if target == "/admin/login/":
            return "admin-login"
        return "ok"
    if status in (403, 404, 405):
        return str(status)
    if status < 300 or status in (409, 422):
        return "ok"
    return str(status)


def matches(expected, got):
    if expected == "any":
        return not got.isdigit() or int(got) < 500
    return expected == got


def client_for(world, role):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role not in ("anonymous", "share"):
        client.login(username=world["users"][role].username, password=PASSWORD)
    return client


def request(client, method, path, role, world):
    extra = {"token": world["tokens"]["share"]} if role == "share" else {}
    # Log-out and log-in replace the session cookie; every request starts from the role's own.
    cookies = SimpleCookie(client.cookies.output(header="", sep=";"))
    # Allowed writes change the world: each request runs in a savepoint that is rolled back.
    with transaction.atomic():
        if method == "get":
            response = client.get(path, extra)
        else:
            response = client.post(path, extra)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


@pytest.fixture
def matrix_world(world, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    job = world["job"]
    job.state = ExportJob.State.DONE
    job.file.save("plan.pdf", ContentFile(b"%PDF-1.4 MARKER-export"), save=True)
    world["attachment"].file.save("world.pdf", ContentFile(b"%PDF-1.4 MARKER-attachment"), save=True)
    # Authorization, not drawing, is under test: no Chromium for chart images.
    monkeypatch.setattr(exports, "render", lambda figure, fmt, width, height, scale=1: b"<svg></svg>")
    return world


def routes():
    return [(route, name) for route, name in walk()]


def test_every_url_has_an_expectation():
    missing = [key_of(route, name) for route, name in routes() if expectation(route, name) is None]
    assert not missing, f"URLs with no entry in EXPECTED: {missing}"
    known = {key_of(route, name) for route, name in routes()}
    stale = sorted(set(EXPECTED) - known)
    assert not stale, f"EXPECTED names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_what_the_table_says(matrix_world, role):
    world = matrix_world
    value = value_for(world)
    if role == "anonymous":
        wrong = value_for({**world, "tokens": {"share": "not-a-token", "feed": "not-a-token"}})
        value = wrong
    client = client_for(world, role)
    wrong_answers, checked = [], 0
    for route, name in routes():
        rules = expectation(route, name)
        path = fill(route, value)
        for method in ("get", "post"):
            expected = RULES[rules[method]][role]
            response = request(client, method, path, role, world)
            got = outcome(response)
            checked += 1
            if not matches(expected, got):
                wrong_answers.append(f"{method.upper()} {path} ({key_of(route, name)}): expected {expected}, got "
                                     f"{response.status_code} {response.get('Location', '')}")
            if role in ("anonymous", "other") and rules[method] != "token":
                body = response.content.decode(errors="replace")
                # Not a name, text, email or phone of this workspace's plan, people or products.
                assert "MARKER-" not in body and PERSON_EMAIL not in body, (
                    f"{role} sees this workspace's data at {method.upper()} {path}")
    assert checked > 200
    assert not wrong_answers, "\n".join(wrong_answers)


OTHER_TEAM_PAGES = ["/plans/", "/products/", "/scenarios/", "/notifications/", "/my-work/", "/inbox/", "/activity/"]


def test_another_team_never_sees_the_plan_in_lists_charts_or_exports(matrix_world):
    """The other PM's own lists, pages, charts and exports: full of their plan, never of ours."""
    world = matrix_world
    client = client_for(world, "other")
    value = value_for(world, ids={**world["ids"], **world["other_ids"]})
    seen = 0
    for route, name in routes():
        rules = expectation(route, name)
        # Their pages, and their forms (the choices of an "add stakeholder" or "new plan" form).
        if rules is ADMIN or rules["get"] not in ("reader", "login", "writer", "creator", "catalogue-reader",
                                                  "catalogue-writer"):
            continue
        path = fill(route, value)
        for query in ({}, {"zoom": "weeks"}, {"audience": "management"}):
            response = client.get(path, query, HTTP_HX_REQUEST="true" if "/add/" in path else "")
            assert response.status_code < 500, path
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace")
            assert "MARKER-" not in text and PERSON_EMAIL not in text, f"{path} {query}"
            seen += response.status_code == 200
    assert seen > 30
    # And the pages that list everything a user may read.
    for url in OTHER_TEAM_PAGES:
        assert "Other team plan" in client.get("/plans/").content.decode()
        assert "MARKER-plan.name" not in client.get(url).content.decode()


def test_another_team_cannot_add_or_change_this_teams_people_or_products(matrix_world):
    """The attack of the probe: a PM of another team picks a person (or a product) of this team by
    id for their own plan. Refused without a name, and nothing changes."""
    world = matrix_world
    client = client_for(world, "other")
    other_plan = world["other_plan"]
    person = world["person"]
    response = client.post(f"/plans/{other_plan.pk}/stakeholders/add/",
                           {"existing": person.pk, "relevance": 3, "influence": 3, "audience": "team",
                            "capacity": 1, "side": "platform"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    body = response.content.decode()
    assert "MARKER-" not in body and PERSON_EMAIL not in body
    assert not other_plan.plan_stakeholders.filter(stakeholder=person).exists()
    response = client.post(f"/products/{world['product'].pk}/edit/", {"name": "钓鱼", "official_url": "https://evil.example"})
    assert response.status_code == 404
    world["product"].refresh_from_db()
    assert world["product"].name.startswith("MARKER-") and "evil" not in world["product"].official_url
    response = client.post(f"/plans/{other_plan.pk}/edit/", {
        "name": "x", "product": world["product"].pk, "start_date": "2026-09-01", "status": "active",
        "version": other_plan.version})
    assert response.status_code == 422 and "MARKER-" not in response.content.decode()
    other_plan.refresh_from_db()
    assert other_plan.product_id != world["product"].pk
