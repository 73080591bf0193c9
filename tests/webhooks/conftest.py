"""A webhook receiver on 127.0.0.1 (http.server in a thread) and a scheduled plan with a hook."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.celery import app
from schedule import services as schedule_services
from tests.factories import MilestoneFactory, PhaseFactory, PlanFactory, TaskFactory, TaskLinkFactory
from webhooks.models import Event, Webhook
from webhooks.services import webhook_save


class Receiver:
    """Records every POST; answers ``status`` (and ``body``)."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.body = b"ok"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": self.rfile.read(length)})
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def json(self, index=-1):
        return json.loads(self.requests[index]["body"])


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the receiver is on 127.0.0.1
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def eager(monkeypatch):
    """Celery runs the delivery task at once, in the test (whatever REDIS_URL is)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def plan(pm):
    plan = PlanFactory(owner=pm)
    phase = PhaseFactory(plan=plan)
    first = TaskFactory(plan=plan, phase=phase, title="Sign the contract", duration=3)
    second = TaskFactory(plan=plan, phase=phase, title="Integrate the SDK", duration=5)
    launch = MilestoneFactory(plan=plan, phase=phase, title="Launch", is_launch=True)
    TaskLinkFactory(predecessor=first, successor=second)
    TaskLinkFactory(predecessor=second, successor=launch)
    schedule_services.plan_reschedule(plan=plan)
    return plan


def make_hook(for_plan, url, **fields):
    fields = {"name": "Partner", "events": [value for value, _label in Event.choices], "language": "en", **fields}
    return webhook_save(webhook=Webhook(workspace=for_plan.workspace, url=url, **fields),
                        secret=fields.pop("secret", ""))
