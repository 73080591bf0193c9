"""A real Celery worker on a real Redis, for the job tests."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

from config.celery import app

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER_START_S = 180


def test_database_url():
    """The URL of the test database pytest-django created, for the worker process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class RealWorker:
    """Starts `celery worker` on a queue of its own and points this process's app at it."""

    def __init__(self, app_module="config", env=None):
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.process = None
        self._saved = {}
        self.app_module = app_module  # the fault tests' worker runs the same jobs with a slow middle
        self.env = env or {}

    def start(self):
        env = {**os.environ, "DATABASE_URL": test_database_url(), "REDIS_URL": REDIS_URL,
               "CELERY_TASK_ALWAYS_EAGER": "false", "DJANGO_SETTINGS_MODULE": "config.settings", **self.env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", self.app_module, "worker", "--pool=solo", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "-Q", self.queue, "-n", f"{self.queue}@%h", "--loglevel=WARNING"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        for key, value in {"broker_url": REDIS_URL, "result_backend": REDIS_URL, "task_always_eager": False,
                           "task_default_queue": self.queue}.items():
            self._saved[key] = app.conf[key]
            app.conf[key] = value
        _forget_connections()
        # A worker imports Django, Celery and the engine (numba) first: on a loaded 2-core machine that
        # took over 45 s in a CI run, so allow minutes; a worker that dies says so at once.
        deadline = time.monotonic() + WORKER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("celery worker exited: " + self.process.stdout.read().decode(errors="replace"))
            if app.control.ping(destination=[f"{self.queue}@{os.uname().nodename}"], timeout=0.5):
                return self
        raise RuntimeError(f"celery worker did not answer within {WORKER_START_S} s")

    def stop(self):
        for key, value in self._saved.items():
            app.conf[key] = value
        _forget_connections()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _forget_connections():
    """Drop cached broker connections so the next send uses the current broker_url."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a global registry keyed by connection: a closed one
    # would be handed to the next test.
    pools.reset()
