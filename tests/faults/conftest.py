"""The fault suite: the app as config/settings.py builds it for a given REDIS_URL, a Redis that
is down (a port where nothing listens) or one that stops and comes back (a real redis-server)."""
import importlib.util
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from config.celery import app
from tests.workers import REPO, _forget_connections

# Celery's settings, as config/celery.py reads them from Django's (namespace CELERY).
CELERY_SETTINGS = {
    "broker_url": "CELERY_BROKER_URL", "result_backend": "CELERY_RESULT_BACKEND",
    "task_always_eager": "CELERY_TASK_ALWAYS_EAGER", "broker_connection_timeout": "CELERY_BROKER_CONNECTION_TIMEOUT",
    "broker_transport_options": "CELERY_BROKER_TRANSPORT_OPTIONS", "task_ignore_result": "CELERY_TASK_IGNORE_RESULT",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_for(monkeypatch, **environment):
    """config/settings.py read afresh with these environment variables."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("faults_settings_probe", REPO / "config" / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def configure_redis(monkeypatch, settings):
    """Point the cache and the job queue at ``url`` exactly as a deployment with REDIS_URL=url would."""
    saved = {key: app.conf[key] for key in CELERY_SETTINGS}

    def configure(url):
        built = settings_for(monkeypatch, REDIS_URL=url)
        settings.CACHES = built.CACHES
        for key in [name for name in dir(built) if name.startswith(("JOB_", "REDIS_", "DJANGO_REDIS_"))]:
            setattr(settings, key, getattr(built, key))
        for key, name in CELERY_SETTINGS.items():
            app.conf[key] = getattr(built, name, app.conf[key] if key != "task_ignore_result" else False)
        app._local.__dict__.pop("backend", None)
        _forget_connections()

    yield configure
    for key, value in saved.items():
        app.conf[key] = value
    app._local.__dict__.pop("backend", None)
    _forget_connections()
    for cache in caches.all(initialized_only=True):
        cache.close()


@pytest.fixture
def redis_down(configure_redis):
    """Redis unreachable: REDIS_URL names a port where nothing listens."""
    configure_redis(f"redis://127.0.0.1:{free_port()}/0")


class RedisServer:
    """A real redis-server of the test's own, to stop and start again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()
