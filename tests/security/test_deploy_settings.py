"""Production settings pass Django's deployment checks; with DEBUG false a public or short key stops
the start; docker-compose insists on a key; every response carries the Content-Security-Policy;
logged-in pages are private and not stored; /healthz answers without a session."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {"DEBUG": "false", "ALLOWED_HOSTS": "paasport.example.com", "SECURE_SSL_REDIRECT": "true",
                  "SECURE_COOKIES": "true", "BEHIND_PROXY": "true"}


def manage(*args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest; a deployment never has it.
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "DATABASE_URL", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"  # not the tests' settings (config/test_settings.py)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50),
                    **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PUBLIC_KEYS = ["", "change-me-in-production", "paasport-insecure-local-key-do-not-use-in-production", "short-key",
               "django-insecure-" + "x7Gq2" * 10, "ab" * 40]


@pytest.mark.parametrize("key", PUBLIC_KEYS)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = manage("check", SECRET_KEY=key, **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", PUBLIC_KEYS)
def test_any_start_with_debug_false_refuses_a_public_or_short_key(key):
    """Not only "production": DEBUG=false alone (docker-compose's old default key) stops the start."""
    for command in (["check"], ["migrate", "--plan"]):
        result = manage(*command, SECRET_KEY=key, DEBUG="false")
        assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr, result.stderr[-500:]


def test_debug_false_starts_with_a_real_key_and_debug_true_with_none():
    assert manage("check", SECRET_KEY=secrets.token_urlsafe(50), DEBUG="false").returncode == 0
    local = manage("check", DEBUG="true")  # make run
    assert local.returncode == 0, local.stderr


def test_docker_compose_requires_a_secret_key_instead_of_a_default():
    compose = (REPO / "docker-compose.yml").read_text()
    assert re.search(r"SECRET_KEY: \"\$\{SECRET_KEY:\?[^}]+\}\"", compose)
    assert "change-me" not in compose


def test_the_test_suite_itself_runs_with_debug_false_and_a_random_key(settings):
    from config.settings import PUBLIC_SECRET_KEYS

    assert not settings.DEBUG
    assert settings.SECRET_KEY not in PUBLIC_SECRET_KEYS and len(settings.SECRET_KEY) >= 50
    assert os.environ["SECRET_KEY"] == settings.SECRET_KEY  # what the Celery workers of the tests inherit


def test_logged_in_pages_are_private_and_not_stored(pm_client, plan):
    for path in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/checklist/", "/plans/", "/notifications/"):
        response = pm_client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path
    partial = pm_client.get(f"/plans/{plan.pk}/checklist/", HTTP_HX_REQUEST="true")
    assert partial["Cache-Control"] == "private, no-store"
    # Responses that chose their policy keep it; static files are not touched.
    assert "max-age=0" in pm_client.get("/healthz")["Cache-Control"]
    static = pm_client.get("/static/js/app.js")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
    # Nobody logged in: nothing to keep private.
    assert "Cache-Control" not in Client().get("/")


def test_every_response_carries_the_policy_and_healthz_is_bare(pm_client, plan, django_assert_num_queries):
    page = pm_client.get(f"/plans/{plan.pk}/")
    policy = page["Content-Security-Policy"]
    for part in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                 "base-uri 'self'", "form-action 'self'", "connect-src 'self'", "img-src 'self' data:"):
        assert part in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert page["X-Frame-Options"] == "DENY" and page["X-Content-Type-Options"] == "nosniff"
    assert '"allowEval":false' in page.content.decode()
    client = Client()  # no session: a load balancer's probe
    with django_assert_num_queries(0):
        health = client.get("/healthz")
    assert health.status_code == 200 and health.content == b"ok"
    assert "Content-Security-Policy" in health
    assert client.post("/healthz").status_code == 405
