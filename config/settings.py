"""Paasport settings, read from environment variables.

Every value comes from the environment through a small typed helper that
fails loudly on a value it cannot read, so a typo in production is an error at
start-up rather than a silent default.
"""
import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.caches import local_caches, redis_caches

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def _env_number(name, default, kind, word):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not {word}") from None


def env_int(name, default):
    return _env_number(name, default, int, "an integer")


def env_float(name, default):
    return _env_number(name, default, float, "a number")


def env_list(name, default=""):
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Whenever DEBUG is false the key must be real: with a public or guessable one, sessions, CSRF
# tokens and password-reset links are forgeable. Keys published anywhere (our local key, the old
# docker-compose default) and keys Django's own check calls weak are refused at start-up.
# `make run` sets DEBUG=true and keeps the local key; the tests get a random one (config/test_settings.py).
LOCAL_SECRET_KEY = "paasport-insecure-local-key-do-not-use-in-production"
PUBLIC_SECRET_KEYS = {LOCAL_SECRET_KEY, "change-me-in-production"}
SECRET_KEY = env_str("SECRET_KEY")
if not DEBUG and (SECRET_KEY in PUBLIC_SECRET_KEYS or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
                  or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to 50 or more random characters whenever DEBUG is false "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); for local use set DEBUG=true")
SECRET_KEY = SECRET_KEY or LOCAL_SECRET_KEY  # DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "onboarding",
    "stakeholders",
    "schedule",
    "sharing",
    "notifications",
    "portfolio",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "webhooks",
    "collab",
    "interfaces",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL in the path or query string: 400 with a message, before any view or query sees it
    # (after LocaleMiddleware so the message is in the visitor's language).
    "config.query_strings.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a logged-in user are never kept by a browser or a proxy (back button after logout).
    "config.cache_control.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "onboarding.middleware.PlanBusyMiddleware",
    "schedule.middleware.ScheduleRefusedMiddleware",
    # Turns a throttled login (ours or the admin's) into the login page with why, answered 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onboarding.context_processors.workspaces",
                "notifications.context_processors.header_badges",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
# Each request's writes land together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several users at once (`make run`): WAL lets pages be read while someone writes; every
    # transaction (each request is one) takes the write lock when it begins, so a request never
    # fails with "database is locked" on upgrading a read lock, and waits up to SQLITE_TIMEOUT
    # seconds behind a long write such as an import instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 30),
    }
    # A file, not memory, so that a real Celery worker started by the job tests
    # sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}
# PostgreSQL: how long a write waits for another write of the same plan (its row lock) before it
# answers "someone else is saving" (409). SQLite waits SQLITE_TIMEOUT for the database instead.
PLAN_LOCK_TIMEOUT_S = env_float("PLAN_LOCK_TIMEOUT_S", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "onboarding:plan_list"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Log-in throttling (onboarding/accounts.py): django-axes on the database, so that it works with
# Redis down. Every authenticate(request, …) passes ThrottleBackend first: the admin's login too.
AUTHENTICATION_BACKENDS = ["onboarding.accounts.ThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "onboarding.accounts.ThrottleHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # per account and address together, per 15 minutes
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A try while locked neither counts nor extends the lock: the owner retrying does no harm.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "onboarding.accounts.lockout_response"
AXES_USERNAME_CALLABLE = "onboarding.accounts.axes_username"
AXES_CLIENT_IP_CALLABLE = "onboarding.accounts.axes_client_ip"
AXES_VERBOSE = False
# Spray back-off: past this many failures in 15 minutes on one account from addresses that never
# logged in to it, those addresses together get one try per LOGIN_SPRAY_DELAY seconds.
LOGIN_SPRAY_THRESHOLD = env_int("LOGIN_SPRAY_THRESHOLD", 10)
LOGIN_SPRAY_DELAY = env_int("LOGIN_SPRAY_DELAY", 30)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 90)  # an address stays "known" this long

# The default language is Simplified Chinese; LocaleMiddleware follows the
# browser's Accept-Language when it asks for one we have.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js straight from the installed plotly package, so the
    # served file always matches the Python library's version.
    "config.staticfinders.PlotlyJsFinder",
]
# Production images run collectstatic and set STATIC_MANIFEST=true for hashed,
# compressed files; local runs and tests serve straight from the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
FORMS_URLFIELD_ASSUME_HTTPS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded and generated files (PDF exports) go to S3-compatible storage when a bucket is named;
# credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY through boto3's usual chain.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,  # e.g. MinIO or another S3-compatible service
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "location": env_str("AWS_S3_LOCATION", "media"),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO setups
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)  # PDF export jobs and their files are purged after this
# Files attached to plans, tasks and products: larger uploads are refused before they are stored.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

# Celery: without REDIS_URL the embedded default runs tasks eagerly in-process.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A page that queues a job must answer at once while Redis is down ("the queue is unavailable"):
# one short connection try, and no result backend round trip (the job rows are the results; with
# results, a send waited ~20 s for the result store and then needed a restart).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5,
                                   "socket_connect_timeout": 2}
CELERY_TASK_IGNORE_RESULT = True
# Seconds a webhook receiver has to answer (webhooks/services.py) before the try counts as failed.
WEBHOOK_TIMEOUT_S = env_int("WEBHOOK_TIMEOUT_S", 5)
# Webhooks may be sent to loopback and private addresses (tests, `make run`, on-premise partners on
# the same network). Off: such receivers are refused at save and at delivery (webhooks/addresses.py).
WEBHOOK_ALLOW_PRIVATE_HOSTS = env_bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", False)
# Days a delivered or failed webhook delivery stays in its hook's log (webhooks/services.py sweep).
WEBHOOK_LOG_DAYS = env_int("WEBHOOK_LOG_DAYS", 30)
# Jobs never hang (onboarding/jobs.py): a running job's worker stamps a heartbeat every JOB_HEARTBEAT_S;
# a job is failed, with a retry, when queued for JOB_QUEUED_S without a worker taking it, when its
# heartbeat is older than JOB_STALE_S (its worker died), or when it ran JOB_DEADLINE_S in all.
JOB_HEARTBEAT_S = env_float("JOB_HEARTBEAT_S", 10)
JOB_STALE_S = env_float("JOB_STALE_S", 60)
JOB_QUEUED_S = env_float("JOB_QUEUED_S", 110)
JOB_DEADLINE_S = env_float("JOB_DEADLINE_S", 900)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# The cache holds cached pages and rate-limit counters; with Redis they are shared by every web
# process, and a Redis that is down only makes them misses (config/caches.py).
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 0.5)  # seconds a web request waits for Redis before going on without it
CACHES = redis_caches(REDIS_URL, REDIS_TIMEOUT) if REDIS_URL else local_caches()
# The REST API (api/): tokens or the browser's session, per-token throttling, OpenAPI 3 by drf-spectacular.
API_RATE = env_str("API_RATE", "1200/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # JSON bodies only: a form body cannot say null, and DRF would read its "" as null.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
    "EXCEPTION_HANDLER": "api.concurrency.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Paasport API",
    "DESCRIPTION": "Plans, tasks, stakeholders, baselines and share links of the workspaces you belong to. "
                   "Writes to tasks, plans and plan stakeholders need If-Match with the ETag you read.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {"TaskStatus": "schedule.models.Task.Status", "PlanStatus": "onboarding.models.Plan.Status",
                            "ShareAudience": "sharing.models.ShareLink.Audience",
                            "StakeholderAudience": "stakeholders.models.PlanStakeholder.Audience",
                            "WebhookEvent": "webhooks.models.Event"},
}
SHARE_RATE_LIMIT = env_int("SHARE_RATE_LIMIT", 120)  # share-link requests per client address per minute

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Paasport <paasport@localhost>")
# Emails are read outside the app, so their links are absolute, built from this address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
REMINDER_DAYS_AHEAD = env_int("REMINDER_DAYS_AHEAD", 3)  # daily reminders cover tasks due within this many working days

# Behind a reverse proxy, trust its X-Forwarded-Proto and X-Forwarded-For headers.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Health checks come over plain HTTP from inside the container or the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS only makes sense once the site is served over HTTPS: on whenever SSL redirect is.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if SECURE_SSL_REDIRECT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (config/csp.py): scripts only from this site, no eval, no inline
# script unless it carries the request's nonce. style-src allows inline styles because
# plotly.js and htmx (its indicator styles) inject <style> elements and style attributes.
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
