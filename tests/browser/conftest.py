"""Browser tests drive Debian's Chromium (no browser downloads work here)."""
import os
import shutil
import time

import pytest

# pytest-django's live_server runs the ORM from Playwright's sync API.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1400, "height": 900}}


@pytest.fixture(autouse=True)
def _live_data(transactional_db):
    """The live server runs in another thread: data must be committed to be seen there."""


@pytest.fixture(autouse=True)
def _settled(page, _live_data):
    """Let the page's last requests finish before the database is emptied.

    htmx refreshes parts of a page after an edit (``plan-changed``); a request still running in
    the live server when the test ends holds table locks that PostgreSQL's TRUNCATE then
    deadlocks with. This fixture is torn down before the page and the database.
    """
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield
    deadline = time.monotonic() + 10
    try:
        while in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # lets Playwright deliver the pending events
    except Exception:  # noqa: BLE001 - a closed or crashed page has nothing in flight
        pass


@pytest.fixture
def login(page, live_server):
    def log_in(username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return log_in
