"""Django settings for Kollega.

Every value is read from the environment through `api.env.Env`, with production-safe defaults:
DEBUG off, secrets required, no hosts allowed. `make run` turns on DJANGO_DEBUG, which generates
development keys under var/ and allows the loopback hosts.
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from api.env import Env

env = Env()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.text("KOLLEGA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.flag("DJANGO_DEBUG", False)

# Time zones always come from the pinned `tzdata` package, never the host's copy, so that every
# machine computes the same local times and `GET /v1/meta` can name the database version in use.
zoneinfo.reset_tzpath(to=())


def _development_key(name: str) -> str:
    """A random key kept under var/, so that a DEBUG server's tokens survive a restart."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / f"dev-{name.lower()}"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _secret(name: str) -> str:
    value = env.optional(name)
    if value:
        if len(value) < 32:
            raise ImproperlyConfigured(f"{name} must be at least 32 characters long")
        return value
    if DEBUG:
        return _development_key(name)
    raise ImproperlyConfigured(f"{name} must be set (or {name}_FILE) when DJANGO_DEBUG is off")


SECRET_KEY = _secret("SECRET_KEY")
# Tokens are signed with a key of their own, so that rotating one key does not rotate the other.
JWT_SIGNING_KEY = _secret("JWT_SIGNING_KEY")
if SECRET_KEY == JWT_SIGNING_KEY:
    raise ImproperlyConfigured("SECRET_KEY and JWT_SIGNING_KEY must differ")

ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api.core",
    "api.organisations",
    "api.accounts",
    "api.counsellors",
    "api.availability",
    "api.bookings",
    "api.notifications",
    "api.messaging",
    "api.widgets",
    "api.followups",
    "api.metrics",
    "api.sync",
]

MIDDLEWARE = [
    "api.core.middleware.RequestIdMiddleware",
    "api.core.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.core.middleware.ApiResponseHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.core.idempotency.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "api.urls"
WSGI_APPLICATION = "api.wsgi.application"
APPEND_SLASH = False
CSRF_FAILURE_VIEW = "api.core.handlers.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL (or any dj-database-url URL) when given.
DATABASE_URL = env.text("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kollega.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env.number("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The web process and the worker share the file: WAL lets readers run beside one writer, and
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the broker and the cache when REDIS_URL is given.
REDIS_URL = env.optional("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery. Without REDIS_URL the broker is a folder of files under var/, so background jobs run
# with no broker server. Late acknowledgement with reject-on-worker-lost keeps a job whose worker
# was killed on the queue; prefetch 1 keeps one slow job from holding others back.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT = "api.core.broker:Transport"
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {"visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
)
if not REDIS_URL:
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# --- Metrics: how often the rollups are rebuilt, the longest range a request may ask for, and how
# many of one doctor's bookings differential privacy counts at most (which sets the noise).
METRICS_ROLLUP_SECONDS = env.number("METRICS_ROLLUP_SECONDS", 3600, minimum=60)
METRICS_MAX_MONTHS = env.number("METRICS_MAX_MONTHS", 36, minimum=1)
METRICS_DP_CONTRIBUTION_BOUND = env.number("METRICS_DP_CONTRIBUTION_BOUND", 3, minimum=1)

CELERY_BEAT_SCHEDULE = {
    "purge-idempotency-records": {"task": "core.purge_idempotency_records", "schedule": 3600.0},
    "purge-ended-sessions": {"task": "accounts.purge_ended_sessions", "schedule": 3600.0},
    "extend-slot-horizons": {"task": "availability.extend_horizons", "schedule": 6 * 3600.0},
    "send-due-reminders": {"task": "bookings.send_due_reminders", "schedule": 60.0},
    "send-message-notices": {"task": "messaging.send_message_notices", "schedule": 60.0},
    "purge-expired-messages": {"task": "messaging.purge_expired_messages", "schedule": 3600.0},
    "compact-change-log": {"task": "sync.compact_change_log", "schedule": 24 * 3600.0},
    "dispatch-followups": {"task": "followups.dispatch", "schedule": 300.0},
    "refresh-metric-rollups": {"task": "metrics.refresh_rollups", "schedule": float(METRICS_ROLLUP_SECONDS)},
}

# --- Notifications (content-free reminders): `console` logs them, `email` sends them by SMTP.
NOTIFICATION_BACKENDS = env.items("NOTIFICATION_BACKENDS", ["console"])
if unknown := [
    name for name in NOTIFICATION_BACKENDS if name not in {"console", "email"} and "." not in name
]:
    raise ImproperlyConfigured(f"NOTIFICATION_BACKENDS: unknown backend(s) {', '.join(unknown)}")
# A notice (a reminder, a new message) claimed by a worker that then died is sent again after this.
OUTBOX_LEASE = timedelta(seconds=env.number("OUTBOX_LEASE_SECONDS", 300, minimum=30))
# An unanswered follow-up closes this long after it falls due.
FOLLOWUP_EXPIRY = timedelta(days=env.number("FOLLOWUP_EXPIRY_DAYS", 30, minimum=1))
SYNC_CURSOR_MAX_AGE = timedelta(days=env.number("SYNC_CURSOR_MAX_AGE_DAYS", 30, minimum=1))
EMAIL_HOST = env.text("EMAIL_HOST", "localhost")
EMAIL_PORT = env.number("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.text("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env.number("EMAIL_TIMEOUT_SECONDS", 10, minimum=1)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "Kollega <no-reply@kollega.invalid>")

# --- Auth.
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.number("JWT_ACCESS_MINUTES", 5, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(hours=env.number("SESSION_MAX_AGE_HOURS", 12, minimum=1)),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "UPDATE_LAST_LOGIN": False,
}
# A session (one login) ends at this age whatever its refreshes; see api/accounts/sessions.py.
SESSION_MAX_AGE = timedelta(hours=env.number("SESSION_MAX_AGE_HOURS", 12, minimum=1))
# A refresh token presented again within this many seconds of its rotation is taken for a client
# racing itself and refused without ending the session; later, it is a replay and ends it.
REFRESH_REUSE_GRACE_SECONDS = env.number("REFRESH_REUSE_GRACE_SECONDS", 10, minimum=0)
LOGIN_LOCKOUT_FAILURES = env.number("LOGIN_LOCKOUT_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env.number("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

# --- API conventions.
IDEMPOTENCY_TTL = timedelta(hours=env.number("IDEMPOTENCY_TTL_HOURS", 24, minimum=1))
# A request holding a key longer than this is taken to have died, and a retry may take the key over.
IDEMPOTENCY_LOCK_TIMEOUT = timedelta(seconds=env.number("IDEMPOTENCY_LOCK_SECONDS", 60, minimum=1))
MAX_REQUEST_BYTES = env.number("MAX_REQUEST_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
API_PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 100

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.accounts.authentication.SessionTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["api.core.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.core.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.core.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "api.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.core.handlers.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.core.throttling.AnonRateThrottle",
        "api.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.rate("THROTTLE_ANON", "120/min"),
        "user": env.rate("THROTTLE_USER", "600/min"),
        "auth": env.rate("THROTTLE_AUTH", "30/min"),
        "public_key": env.rate("THROTTLE_PUBLIC_KEY", "600/min"),
        "public_address": env.rate("THROTTLE_PUBLIC_ADDRESS", "60/min"),
        "metrics_key": env.rate("THROTTLE_METRICS_KEY", "60/min"),
    },
    # Client addresses come from REMOTE_ADDR unless this many trusted proxies stand in front;
    # a client cannot pick its own address with X-Forwarded-For.
    "NUM_PROXIES": env.number("NUM_PROXIES", 0, minimum=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kollega API",
    "DESCRIPTION": (
        "The API behind organised peer support among doctors: counsellor availability, booking, "
        "end-to-end encrypted messaging and follow-up questionnaires.\n\n"
        "Every error is `application/problem+json` (RFC 9457) with a stable `code`; every POST "
        "accepts an `Idempotency-Key`. See docs/ in the repository for the conventions."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "ENUM_NAME_OVERRIDES": {
        "ModalityEnum": "api.counsellors.models.Modality",
        "ParticipantEnum": "api.messaging.serializers.PARTICIPANTS",
        "ApiKeyKindEnum": "api.organisations.models.ApiKeyKind",
        "FollowupKindEnum": "api.followups.serializers.FOLLOWUP_KINDS",
        "FollowupStatusEnum": "api.followups.serializers.VISIBLE_STATUS_CHOICES",
        "MetricsEntryKindEnum": "api.metrics.serializers.ENTRY_KINDS",
        "SyncMutationTypeEnum": "api.sync.serializers.MUTATION_TYPES",
        "TypeEnum": "api.followups.serializers.ITEM_TYPES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVERS": [{"url": "/", "description": "this server"}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.core.schema.postprocess_problem_responses",
    ],
    "TAGS": [
        {"name": "auth", "description": "Registration, tokens and sessions."},
        {"name": "me", "description": "The signed-in user's own account."},
        {"name": "counsellors", "description": "Peer counsellors as doctors find them, and regions."},
        {"name": "availability", "description": "Open slots across counsellors."},
        {"name": "schedules", "description": "A counsellor's weekly hours and time off."},
        {"name": "bookings", "description": "Booked conversations and their lifecycle."},
        {
            "name": "messaging",
            "description": "End-to-end encrypted threads; the server stores ciphertext only.",
        },
        {"name": "followups", "description": "Follow-up questionnaires: a doctor's own, and answering them."},
        {"name": "questionnaires", "description": "Questionnaire definitions, schedules and response rates."},
        {
            "name": "metrics",
            "description": "Anonymised aggregates for an organisation's scripts (secret key).",
        },
        {"name": "meta", "description": "Versions and service status."},
    ],
}

# --- CORS: only the listed origins (medical associations' sites) may call the API from a browser.
CORS_ALLOWED_ORIGINS = env.items("CORS_ALLOWED_ORIGINS", [])
# Public endpoints answer CORS themselves, per publishable key's allowlist (api/widgets/).
CORS_URLS_REGEX = r"^/v1/(?!public/).*$"
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "if-match",
    "if-none-match",
    "x-request-id",
]
CORS_EXPOSE_HEADERS = [
    "etag",
    "idempotent-replayed",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "retry-after",
    "x-request-id",
]

# --- Security headers and cookies (cookies serve the admin only; the API uses bearer tokens).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.number("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", False)
if env.flag("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS", [])

# --- Internationalisation.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nb", "Norsk bokmål")]
# The API speaks UTC only; local times belong to organisations and counsellors (their own zones).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (the admin and the offline API docs), served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even when empty
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Logging: one line per event, tagged with the request id. Never a body, key or token.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "api.core.logging.RequestIdFilter"},
        "redact": {"()": "api.core.logging.RedactFilter"},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger would repeat each 4xx; our handler logs what matters once.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "INFO"},
    },
}
