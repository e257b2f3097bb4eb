"""Gendan settings. Everything a deployment changes comes from environment variables."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from gendan.core import secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GENDAN_DATA_DIR", Path.cwd() / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# No key in the environment: one is generated into the data folder once and reused (never a key
# from the source, which anyone can read). A known or short key is an error of `gendan check`.
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key.load_or_create(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "gendan.core",
    "gendan.accounts",
    "gendan.masterdata",
    "gendan.inventory",
    "gendan.notifications",
    "gendan.orders",
    "gendan.planning",
    "gendan.issues",
    "gendan.shopfloor",
    "gendan.purchasing",
    "gendan.stores",
    "gendan.quality",
    "gendan.delivery",
    # Above the issue register; last, so their words do not change the older apps' translations.
    "gendan.escalations",
    "gendan.meetings",
    "gendan.aftersales",
    "gendan.kpi",
    "gendan.risk",
    "gendan.archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gendan.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gendan.core.middleware.AuditSourceMiddleware",
    "gendan.accounts.address.ClientAddressMiddleware",
    # Last: turns a login refused by the lockout into our page (or the API's JSON), HTTP 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gendan.urls"
WSGI_APPLICATION = "gendan.wsgi.application"

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
                "gendan.core.context_processors.navigation",
            ],
        },
    }
]

# SQLite by default (embedded, in the data folder); PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'gendan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two writers queue
        # instead of one failing with "database is locked" halfway through.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
            "PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GENDAN_TEST_DB") or None}
# No ATOMIC_REQUESTS: under IMMEDIATE it would queue every reader behind writers.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "gendan.accounts.login_guard.LoginGuardBackend",  # first: refuses a locked-out login
    "gendan.accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login lockout (django-axes): after GENDAN_LOGIN_FAILURES wrong passwords for one user name, or
# GENDAN_LOGIN_ADDRESS_FAILURES from one address, on the login page or the API token endpoint,
# logins are refused for GENDAN_LOGIN_COOLOFF_MINUTES; `gendan axes_reset_username <name>` (or
# `axes_reset`) unlocks. An address gets more tries than a name: a whole workshop often reaches
# Gendan through one address, and one person's typing must not lock out his colleagues.
GENDAN_LOGIN_FAILURES = int(os.environ.get("GENDAN_LOGIN_FAILURES", "5"))
GENDAN_LOGIN_ADDRESS_FAILURES = int(os.environ.get("GENDAN_LOGIN_ADDRESS_FAILURES", "30"))
AXES_FAILURE_LIMIT = "gendan.accounts.login_guard.failure_limit"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("GENDAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
# axes' reset on success clears every attempt of the login's address too, so logging in as oneself
# would wipe the count of a colleague's wrong passwords: accounts.login_guard.on_login clears only
# the name that logged in.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "gendan.accounts.login_guard.lockout_response"
AXES_CLIENT_IP_CALLABLE = "gendan.accounts.address.client_address"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit trail already
# Behind a reverse proxy the address is the proxy's: say how many proxies append X-Forwarded-For.
GENDAN_PROXY_COUNT = int(os.environ.get("GENDAN_PROXY_COUNT", "0"))
# API tokens are refused this many days after they were issued; a new POST /api/token/ renews.
GENDAN_API_TOKEN_DAYS = int(os.environ.get("GENDAN_API_TOKEN_DAYS", "30"))
# Delivery tracking: a PO line not fully confirmed this many days before its delivery date
# (or expected after it) is at risk; one late more than GENDAN_PO_ESCALATE_DAYS goes to purchasing's manager and management.
GENDAN_PO_AT_RISK_DAYS = int(os.environ.get("GENDAN_PO_AT_RISK_DAYS", "7"))
GENDAN_PO_ESCALATE_DAYS = int(os.environ.get("GENDAN_PO_ESCALATE_DAYS", "3"))
# Issue follow-up: an open issue is reminded this many days before its due date, and every
# day once it is overdue (at most once a day each).
GENDAN_ISSUE_REMIND_BEFORE_DAYS = int(os.environ.get("GENDAN_ISSUE_REMIND_BEFORE_DAYS", "1"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# WhiteNoise serves static files straight from the installed packages (htmx, API docs) and ours,
# so the product needs no collectstatic step and no separate web server for assets.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MAX_UPLOAD_BYTES = int(os.environ.get("GENDAN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Imports: an Excel sheet is checked against these before it is read (issue 14), stated on every
# import page. A successful import's file is kept this many days for the audit, then deleted.
# The order dossier ZIP (archive): refused past this size.
ARCHIVE_DOSSIER_MAX_BYTES = int(os.environ.get("GENDAN_ARCHIVE_DOSSIER_MAX_BYTES", 500 * 1024 * 1024))
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("GENDAN_IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("GENDAN_IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("GENDAN_IMPORT_MAX_ROWS", 20_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("GENDAN_IMPORT_MAX_COLUMNS", 100))
# Different texts in a workbook: all are read into memory when it is opened.
IMPORT_MAX_SHARED_STRINGS = int(os.environ.get("GENDAN_IMPORT_MAX_SHARED_STRINGS", 200_000))
IMPORT_KEEP_FILES_DAYS = int(os.environ.get("GENDAN_IMPORT_KEEP_FILES_DAYS", 30))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GENDAN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its "WWW-Authenticate: Token" makes a refused token a 401 (not a 403).
        "gendan.accounts.api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["gendan.core.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gendan.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gendan API",
    "DESCRIPTION": _("Production order follow-up: master data, stock, orders."),
    "VERSION": "1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The API's description is for staff only, like the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Times as DRF writes them, and the error answers every operation may give.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gendan.core.api.schema.postprocess_schema",
    ],
}

# Chat robots post to public hosts only (notifications/addresses.py); an on-premises chat server
# needs GENDAN_WEBHOOK_ALLOW_PRIVATE=1, or better its host in GENDAN_WEBHOOK_ALLOWED_HOSTS (a,b).
GENDAN_WEBHOOK_ALLOW_PRIVATE = env_bool("GENDAN_WEBHOOK_ALLOW_PRIVATE", False)
GENDAN_WEBHOOK_ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GENDAN_WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()
]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gendan@localhost")

# Content-Security-Policy (django-csp): scripts and styles only from our own files, never inline
# (core/tests/test_csp.py keeps inline script, style and event handlers out of the templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
# Shop-floor devices are shared: a session lasts a shift (GENDAN_SESSION_HOURS, 12 by default) and
# ends when the browser closes, unless the deployment says otherwise.
SESSION_COOKIE_AGE = int(float(os.environ.get("GENDAN_SESSION_HOURS", "12")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("GENDAN_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (the default for a deployment); `gendan demo` serves plain HTTP on localhost.
if env_bool("GENDAN_HTTPS", not DEBUG):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Operations: request ids, /healthz, the worker's heartbeat and periodic jobs, backups (README "Operations").
# The request id comes first so that every response, log line and error page carries it.
MIDDLEWARE.insert(0, "gendan.core.operations.requestid.RequestIdMiddleware")
LOGGING["filters"] = {"request_id": {"()": "gendan.core.operations.requestid.RequestIdFilter"}}
LOGGING["formatters"] = {
    "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
}
LOGGING["handlers"]["console"].update(filters=["request_id"], formatter="plain")
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
GENDAN_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("GENDAN_WORKER_HEARTBEAT_SECONDS", 15))
# A worker silent for longer is dead: /healthz fails, and its "running" tasks are recovered.
GENDAN_WORKER_STALE_SECONDS = float(os.environ.get("GENDAN_WORKER_STALE_SECONDS", 120))
GENDAN_QUEUE_MAX_AGE_SECONDS = float(os.environ.get("GENDAN_QUEUE_MAX_AGE_SECONDS", 600))
GENDAN_BACKUP_DIR = Path(os.environ.get("GENDAN_BACKUP_DIR", DATA_DIR / "backups"))
GENDAN_BACKUP_KEEP = int(os.environ.get("GENDAN_BACKUP_KEEP", 7))

# Supplier scorecards: the weight of each figure in the total score 0–100 (a figure missing
# for a supplier gives its weight to the others), the score below which a supplier is flagged, and
# how many inspected lots and deliveries a period needs before it is scored at all.
GENDAN_SUPPLIER_SCORE_WEIGHTS = {"quality": 40, "delivery": 30, "price": 15, "service": 15}
GENDAN_SUPPLIER_SCORE_THRESHOLD = int(os.environ.get("GENDAN_SUPPLIER_SCORE_THRESHOLD", 70))
GENDAN_SUPPLIER_SCORE_MIN_RECORDS = int(os.environ.get("GENDAN_SUPPLIER_SCORE_MIN_RECORDS", 3))
