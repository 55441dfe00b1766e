"""Settings from the environment, with embedded defaults so a fresh machine needs nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from production.embedded_redis import embedded_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
DEV_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
# `make run` keeps a key of its own here (written by seed_demo and serve), so sessions survive
# restarts and the development key never signs anything served with DEBUG off.
LOCAL_SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    LOCAL_SECRET_KEY_FILE.read_text().strip() if LOCAL_SECRET_KEY_FILE.exists() else ""
)
if not DEBUG and SECRET_KEY in {"", DEV_SECRET_KEY}:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off the development key is never used: set "
        f"SECRET_KEY in the environment, or keep a local key in {LOCAL_SECRET_KEY_FILE} "
        "(`make run` writes one)."
    )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_rq",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "production",
    "jobs",
    "approvals",
    "dashboards",
    "operations",
    "notifications",
    "publishing",
]

MIDDLEWARE = [
    # A trace span per request when OTEL_EXPORTER_OTLP_ENDPOINT is set (first, to time it all).
    "operations.tracing.TracingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "production.content_security.ContentSecurityPolicyMiddleware",
    # Static files from the app server itself (gunicorn), compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # PostgreSQL row security: the database shows this request only its user's clients.
    "production.tenant_scope.TenantScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "production.urls"
WSGI_APPLICATION = "production.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "production.context_processors.tenancy",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL is set --------------------------------
# Set by the test suite so that runs sharing a machine each get their own test database.
TEST_RUN_ID = os.environ.get("TEST_RUN_ID", "run")
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent: closing a WAL database checkpoints it, which would cost every step a few ms.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    # Workers and the web server write at once: WAL lets readers go on while one writer
    # holds the lock, and IMMEDIATE makes writers queue instead of failing on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Worker subprocesses in tests must open the same database file, so it is a real file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{TEST_RUN_ID}.sqlite3")}
elif "TEST_RUN_ID" in os.environ:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN_ID}"}
# PostgreSQL: a pool of at most this many connections per process instead of one per thread.
# The launcher sets it for the web server, whose threads (live streams included) outnumber
# the connections PostgreSQL allows; 0 keeps one persistent connection per thread.
DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "0"))


def _forget_tenant_scope(pooled: object) -> None:
    # A connection goes back to the pool seeing no client (production.tenant_scope); this
    # runs in the pool's own thread, off the request's path.
    pooled.execute("SELECT set_config('app.tenant_scope', '', false)")  # type: ignore[attr-defined]


if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": 10,
        "reset": _forget_tenant_scope,
    }
# PostgreSQL: the role requests and steps run as (SET ROLE after login), when the login role
# owns the tables. It must own none and have no BYPASSRLS; `migrate` grants it what it needs.
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis / RQ: an embedded server unless REDIS_URL is set --------------------------------
REDIS_URL = os.environ.get("REDIS_URL") or embedded_url()
# Shared by every web process, so API throttling counts per token across gunicorn workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
        "TIMEOUT": 300,
    }
}
QUEUE_NAMES = ("urgent", "high", "normal", "low")
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900} for name in QUEUE_NAMES}
RQ_SHOW_ADMIN_LINK = True
# The web server (manage.py serve): gthread processes, and threads per process for requests
# (live streams get theirs on top). One process more than there are cores: a process runs
# Python on one core at a time, and with one per core the busier one queues every request it
# holds while a core goes to others (live pages under load: p50 1,066 ms with two processes
# on two cores, 252 ms with three). WEB_THREADS is also each process's PostgreSQL pool.
WEB_WORKERS = int(os.environ.get("WEB_WORKERS") or (os.cpu_count() or 1) + 1)
WEB_THREADS = int(os.environ.get("WEB_THREADS", "8"))
# How long a web thread runs Python before another of its process's threads may (CPython's
# switch interval, 5 ms by default). A web process holds a hundred or more stream threads:
# when a burst of changes comes, each stream waiting to take back the interpreter after a
# Redis or database reply waited up to 5 ms behind a render, every time. At 1 ms the job
# pages' busy p95 stayed under 200 ms over 22 runs, against 4 runs in 28 over 200 at 5 ms.
WEB_SWITCH_INTERVAL = float(os.environ.get("WEB_SWITCH_INTERVAL", "0.001"))
# Worker processes (one per core suits CPU-heavy steps) and steps each runs at once (threads:
# a step waiting on a hosted model holds a thread, not a process).
WORKER_COUNT = int(os.environ.get("WORKER_COUNT", "2"))
STEP_WORKER_THREADS = int(os.environ.get("STEP_WORKER_THREADS", "32"))
# Step workers run at a lower CPU priority than the web processes: when both want the cores,
# pages and live updates (what people wait on) go first, and steps take every idle cycle.
STEP_WORKER_NICENESS = int(os.environ.get("STEP_WORKER_NICENESS", "10"))
# Open pages hear of changes over server-sent events (dashboards.live_stream): a stream holds
# a web thread while it waits, lasts LIVE_STREAM_SECONDS and then reconnects after
# LIVE_RETRY_MS; past LIVE_STREAMS_PER_PROCESS open streams a page polls instead.
LIVE_STREAMS_PER_PROCESS = int(os.environ.get("LIVE_STREAMS_PER_PROCESS", "150"))
LIVE_STREAM_SECONDS = float(os.environ.get("LIVE_STREAM_SECONDS", "25"))
LIVE_RETRY_MS = int(os.environ.get("LIVE_RETRY_MS", "500"))
# A running step's worker renews its lease every third of STEP_LEASE_SECONDS while the step
# makes progress; the reconciler takes back a step whose lease lapsed (its worker died). A
# step with no progress (a provider call returned, an item done, ffmpeg progress) for
# STEP_HEARTBEAT_SECONDS (or its Step.heartbeat_seconds) is stuck and is taken back too: keep
# it above the longest provider call (PROVIDER_TIMEOUT, IMAGE_PROVIDER_TIMEOUT: 120 s).
STEP_LEASE_SECONDS = float(os.environ.get("STEP_LEASE_SECONDS", "30"))
STEP_HEARTBEAT_SECONDS = float(os.environ.get("STEP_HEARTBEAT_SECONDS", "180"))
STEP_MAX_ATTEMPTS = int(os.environ.get("STEP_MAX_ATTEMPTS", "3"))
STEP_RETRY_DELAYS = [int(x) for x in env_list("STEP_RETRY_DELAYS", "2,8,30")]
# How long an API Idempotency-Key is remembered (its first response replayed).
IDEMPOTENCY_KEY_HOURS = float(os.environ.get("IDEMPOTENCY_KEY_HOURS", "24"))
RECONCILE_INTERVAL_SECONDS = float(os.environ.get("RECONCILE_INTERVAL_SECONDS", "15"))

# --- Operations: probes, metrics, webhooks (operations/) ----------------------------------
# /readyz fails when the oldest waiting message of any queue has waited longer than this.
READY_MAX_QUEUE_LAG_SECONDS = float(os.environ.get("READY_MAX_QUEUE_LAG_SECONDS", "300"))
# When set, /metrics asks for it as a bearer token.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Webhook deliveries and other operations messages go on this queue.
OPERATIONS_QUEUE = os.environ.get("OPERATIONS_QUEUE", "high")
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Seconds before each retry of a failed delivery (so 1 + len attempts in all).
WEBHOOK_RETRY_DELAYS = [float(x) for x in env_list("WEBHOOK_RETRY_DELAYS", "5,30,120,600,1800")]
# Deliveries in a row that fail after their last retry before an endpoint is disabled.
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "5"))
# OpenTelemetry traces over OTLP/HTTP (JSON) to this collector (its /v1/traces), e.g. Langfuse's
# /api/public/otel with OTEL_EXPORTER_OTLP_HEADERS="Authorization=Basic ..."; unset sends nothing.
OTEL_EXPORTER_OTLP_ENDPOINT = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")
# Step messages carry their job's trace context (operations/tracing.py).
RQ = {"QUEUE_CLASS": "operations.tracing.TracedQueue"}

# --- Mail: SMTP when EMAIL_HOST is set, else printed to the console ------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if env_bool("EMAIL_USE_TLS", False) else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Production engine <noreply@localhost>")
# The address e-mailed links point at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Storage: local under var/media unless S3 settings are given ---------------------------
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# Without a collectstatic run (make run, tests) WhiteNoise finds files where they live.
WHITENOISE_USE_FINDERS = True
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "querystring_expire": 600,
            "file_overwrite": False,
        },
    }
else:
    # A file-system storage; FILE_STORAGE_BACKEND names a subclass to use instead (a
    # deployment's own, or the chaos suite's storage that times out after writing).
    default_storage = {
        "BACKEND": os.environ.get("FILE_STORAGE_BACKEND")
        or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# --- Transport and session security --------------------------------------------------------
# With DEBUG off the site is assumed to be served over HTTPS: HSTS, a redirect to HTTPS and
# secure cookies. `make run` serves plain HTTP on this machine and sets HTTPS=0. Behind a
# proxy that terminates TLS, set BEHIND_PROXY=1 so its X-Forwarded-Proto is believed.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
X_FRAME_OPTIONS = "DENY"
# A sign-in lasts a working day; renewing it on every request would write a session row
# for every live-page poll.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 12 * 3600))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its challenge makes unauthenticated API calls 401, not 403.
        "jobs.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "jobs.api.schema.ApiAutoSchema",
    "DEFAULT_PARSER_CLASSES": ["jobs.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "jobs.api.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": ["jobs.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_THROTTLE_RATE", "600/min")},
    "EXCEPTION_HANDLER": "jobs.api.errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Production engine API",
    "DESCRIPTION": (
        "Create and follow production jobs, read their outputs, history and step runs, decide "
        "approvals, check texts for safety and plan video manifests. Authenticate with a "
        "personal token (`Authorization: Bearer pe_...`). Errors share one shape: "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api(/v1)?",
    "TAGS": [
        {"name": "jobs", "description": "Jobs, their actions, outputs, history and step runs."},
        {"name": "templates", "description": "Reusable job presets."},
        {"name": "approvals", "description": "Approval requests waiting for a decision."},
        {"name": "safety", "description": "Safety and truth scoring of a text."},
        {"name": "planner", "description": "Production manifests planned from treatments."},
        {"name": "tokens", "description": "Personal API tokens."},
        {"name": "seed-compat", "description": "The seed's paths and camelCase shapes."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "jobs.models.Status",
        "StepStatusEnum": "jobs.models.StepStatus",
        "ApprovalStatusEnum": "approvals.models.ApprovalStatus",
        "ApprovalTypeEnum": "approvals.models.ApprovalType",
        "RoleEnum": "production.models.Role",
        "JobTypeEnum": "jobs.models.JobType",
        "PriorityEnum": "jobs.models.Priority",
        "OutputKindEnum": "jobs.models.OutputKind",
        "BrandAssetKindEnum": "production.models.BrandAssetKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "production": {"handlers": ["console"], "level": "INFO"},
        "jobs": {"handlers": ["console"], "level": "INFO"},
        "approvals": {"handlers": ["console"], "level": "INFO"},
    },
}
