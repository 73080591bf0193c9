"""Production settings pass Django's deployment checks; a production start with the local key fails;
every response carries the Content-Security-Policy; /healthz answers without a session."""
import os
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
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50),
                    **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "change-me-in-production", "short-key"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = manage("check", SECRET_KEY=key, **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


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
