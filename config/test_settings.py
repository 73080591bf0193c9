"""The test suite's settings: config.settings with a random SECRET_KEY when none is set.

Tests run with DEBUG false, like production, and so need a real key. It goes into the
environment before the settings are read, so the Celery workers and servers that tests start
(tests/workers.py passes os.environ on) sign with the same key.
"""
import os
import secrets

if not os.environ.get("SECRET_KEY"):
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)

from config.settings import *  # noqa: E402, F401, F403
