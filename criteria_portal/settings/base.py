"""Settings shared by every environment. Configuration comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "criteria_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "criteria_portal.apps.AxesConfig",
    # Two-factor sign-in (TOTP apps and one-use recovery codes); before accounts, whose admin replaces theirs.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "communes",
    "assessments",
    "reports",
    "data_exchange",
    "inventory",
    "notifications",
    "django_tasks_db",
    "operations",
    "jobs",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First: every log line of the request, and the response, carry its id.
    "operations.request_id.RequestIdMiddleware",
    "operations.metrics.MetricsMiddleware",
    # Health and metrics probes come by address over HTTP: answered before the host check and HTTPS redirect.
    "operations.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "criteria_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second step (django-otp) …
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # … and a role that must use it reaches nothing else until it has (accounts/two_factor.py).
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "criteria_portal.urls"
WSGI_APPLICATION = "criteria_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
                "notifications.context_processors.notifications",
                "jobs.context_processors.jobs",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions live in the database so that any number of app servers can answer.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A working day (Django's default was 14 days: a shared office computer stayed signed in for two weeks).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))

# django-axes: lock an account + address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The second step's code is kept out of the failure log like the password (and axes' own defaults).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# Two-factor sign-in (TOTP, django-otp). Administrators always; these roles too (comma-separated role values).
PORTAL_2FA_REQUIRED = env_list("PORTAL_2FA_REQUIRED", "admin,province_viewer,national_viewer")
# The demo (`make run`, PORTAL_DEMO on) requires it of nobody, so that the printed demo logins work with their
# password alone; anyone may still enrol. prod.py turns this off whatever PORTAL_DEMO says.
PORTAL_2FA_DEMO_EXEMPT = env_bool("PORTAL_DEMO", False)
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = "Cổng tiêu chí"
# Minutes between the password and the code before the password must be typed again.
PORTAL_2FA_PENDING_MINUTES = 5
# Days a link confirming a new e-mail address stays valid.
PORTAL_EMAIL_CONFIRM_DAYS = 3

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# The project's catalogues; then Vietnamese for the strings of Django, axes and simple-history that their
# own catalogues lack (hand-written, never touched by scripts/messages.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese dates are written dd/mm/yyyy; the vi locale's formats are overridden here.
FORMAT_MODULE_PATH = ["criteria_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry with pinned versions (package.json) and served by us.
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
# Evidence files, scanned decisions and the files of background jobs: private storage, served only through
# scoped views that read them with storage.open() — no code assumes a local path. Local disk by default;
# an S3-compatible store with STORAGE_BACKEND=s3 (django-storages), for several app servers.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
if STORAGE_BACKEND == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "location": os.environ.get("S3_PREFIX", ""),
            # Private objects: never a public URL; downloads go through the portal's scoped views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "local":
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media"))},
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'.")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = None  # never served publicly
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Import files (data_exchange). A file over a limit is refused before it is read further: a 5 KB
# .xlsx declaring A1:XFD1048576, or 1 MB inflating to 280 MB, must not exhaust a worker. Rows, cells and
# the unzipped size bound web uploads only: import_data streams a backup of any size.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))  # data rows of one file
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "1000000"))  # cells of an .xlsx sheet, empty ones too
IMPORT_MAX_INFLATED_BYTES = int(os.environ.get("IMPORT_MAX_INFLATED_MB", "50")) * 2**20  # .xlsx, unzipped
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))  # our exports: ~15
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "1000"))  # one cell; our longest text: 255
# At most this many problems are listed (page and import_data), then a count.
IMPORT_MAX_PROBLEMS = int(os.environ.get("IMPORT_MAX_PROBLEMS", "200"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Computed reports are cached under the tokens of the stored figures they read (criteria_portal/figures.py,
# assessments/facts): a write forgets only the entries of its programme and year. Redis in production (REDIS_URL, e.g. redis://127.0.0.1:6379/0), a local
# in-process cache otherwise, so `make run` needs nothing more.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Short timeouts: an unreachable cache is skipped (criteria_portal/figures.py), never waited for.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}

# Logs: one line per event on standard error (journald keeps them), every line with the request id;
# LOG_FORMAT=json writes one JSON object per line for a log collector (operations/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Every 403 and 400 came with a traceback; one line is enough for an answer the portal meant to give.
        "client_errors": {"()": "criteria_portal.log_filters.ClientErrorsWithoutTraceback"},
        "request_id": {"()": "operations.request_id.RequestIdFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "operations.logs.json_formatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id", "client_errors"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    # On the logger too, for handlers added elsewhere; django.security.* (400s) pass through the handler's.
    "loggers": {
        "django.request": {"filters": ["client_errors"]},
        # The worker's own lines (task started/finished) through the same handler, not a second one.
        "django_tasks_db": {"level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Background work (issue 19): Django's Tasks framework. The database backend of django-tasks-db keeps the
# queue in the portal's own database and `manage.py db_worker` runs it (make run starts one beside the
# server; see Deploying). TASKS_BACKEND=immediate runs a task inside the request that enqueues it (tests);
# any other value is the dotted path of another backend (e.g. django_tasks_rq.RQBackend, with its app and
# RQ_QUEUES added in a settings module) — the code only uses django.tasks.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip()
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND),
    }
}
# A running job whose progress has not moved for this long died with its worker: it is marked failed
# (and can be retried) when someone looks at it or a worker starts another job.
JOBS_STALE_MINUTES = int(os.environ.get("JOBS_STALE_MINUTES", "15"))
# Finished jobs and their files are deleted after this many days (`prune_jobs`, daily).
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "7"))
# Progress written inside the import's one transaction goes through a second connection (PostgreSQL), so
# the bar moves and the heartbeat is seen; not with the immediate backend, whose job row is not committed yet.
JOBS_PROGRESS_APART = TASKS_BACKEND != "immediate"

# GET /health/ (operations/health.py): 503 when the oldest queued task waits longer than this (no worker),
# or the disk holding the media has less free space than this.
HEALTH_QUEUE_MAX_AGE = int(os.environ.get("HEALTH_QUEUE_MAX_AGE", "600"))  # seconds
HEALTH_MEDIA_MIN_FREE_MB = int(os.environ.get("HEALTH_MEDIA_MIN_FREE_MB", "500"))
# Prometheus metrics at /metrics, only for these client addresses (404 for any other).
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")

# Error reporting: only when SENTRY_DSN is set (sentry-sdk is not even imported otherwise).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from operations.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
                traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")))

# E-mail (deadline reminders, `send_reminders`): the SMTP server named by the environment, as
# Django 6.1's MAILERS (the EMAIL_* settings are deprecated; the variables keep their usual names).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        },
    },
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng tiêu chí <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as users reach it, for the links in e-mails (no request to read it from).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# The web API (issue 20): REST_FRAMEWORK, SPECTACULAR_SETTINGS, API_RATE_LIMIT.
from .api import *  # noqa: E402, F403

# Shows a "demo data" banner on every page (set by `make run`).
PORTAL_DEMO = env_bool("PORTAL_DEMO", False)
