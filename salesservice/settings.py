"""Settings for the Sales Service Management System.

Every value that differs between machines comes from an environment variable with a safe
default; see the configuration table in README.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once into var/ and reused."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "axes",
    "django_htmx",
    "salesservice.core",
    "salesservice.documents",
    "salesservice.catalog",
    "salesservice.customers",
    "salesservice.people",
    "salesservice.network",
    "salesservice.service",
    "salesservice.inspection",
    "salesservice.suppliers",
    "salesservice.inventory",
    "salesservice.purchasing",
    "salesservice.sales",
    "salesservice.trace",
    "salesservice.delivery",
    "salesservice.complaints",
    "salesservice.returns",
    "salesservice.feedback",
    "salesservice.supervision",
    "salesservice.dashboards",
    "salesservice.appraisals",
    "salesservice.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "salesservice.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "salesservice.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "salesservice.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]
# A request to /api/ with `Authorization: Token …` (core.handlers, issue 17 §2): the same chain without what only a
# session, a page or the login needs — DRF authenticates it by the token or refuses it.
TOKEN_API_MIDDLEWARE = [
    entry
    for entry in MIDDLEWARE
    if entry
    not in {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
    }
]

ROOT_URLCONF = "salesservice.urls"
WSGI_APPLICATION = "salesservice.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "salesservice" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "salesservice.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'salesservice.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
        # half-way through a transaction; WAL lets readers run beside the writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif env_bool("DB_SERVER_SIDE_BINDING", True):
    # Issue 17 §2, measured in docs/performance.md: parameters bound by the server and a statement run five times
    # on a connection prepared there (psycopg `prepare_threshold`) — less quoting in Python, no re-parse in
    # PostgreSQL. The whole suite runs with it (CI's PostgreSQL pass). Set DB_SERVER_SIDE_BINDING=false behind a
    # transaction-mode pooler that cannot keep prepared statements (PgBouncer < 1.21).
    # A prepared statement's plan is still made for each execution's values (plan_cache_mode): PostgreSQL's generic
    # plan for a list filter walked the received_at index over 1 M rows (1.3 s instead of 2 ms, docs/performance.md).
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 5,
        "options": "-c plan_cache_mode=force_custom_plan",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The audit log masks personal data exactly as the pages do (head and tail kept), so that no two views
# together show more than one of them (issue 12 §7).
AUDITLOG_MASK_CALLABLE = "salesservice.core.privacy.mask_any"

# --- Cache -----------------------------------------------------------------------------
# Shared by every worker and node: rate limits (core/ratelimit.py) and login counters must not be
# per-process. CACHE_URL=redis://host:6379/1 in production; the embedded setup uses files under var/.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# --- Auth -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "salesservice.core.auth.FailedLoginGuard",  # per-IP failures across usernames (password spraying)
    "axes.backends.AxesStandaloneBackend",
    "salesservice.core.auth.MembershipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "salesservice.core.views.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
# Besides axes' per-user lockout: failed logins from one IP across all usernames (issue 12 §9).
# Generous enough for an office behind one NAT address; a spraying script meets it within a minute.
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "30"))
LOGIN_IP_WINDOW_SECONDS = int(os.environ.get("LOGIN_IP_WINDOW_SECONDS", "900"))

# --- I18N -----------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "salesservice" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "salesservice" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Submitting a domain to the browsers' HSTS preload list is a one-way decision for the
# operator (SECURE_HSTS_PRELOAD=true); not doing so is no defect a deployment must fix.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Text messages (core/sms.py): console (the log) unless an HTTP gateway is configured; none in quiet hours.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SIGN = os.environ.get("SMS_SIGN", "")
SMS_QUIET_HOURS = os.environ.get("SMS_QUIET_HOURS", "21:00-08:00")
# Printed documents (单据): the letterhead's company name and the service hotline; the embedded CJK font.
COMPANY_NAME = os.environ.get("COMPANY_NAME", "销售服务管理系统")
SERVICE_HOTLINE = os.environ.get("SERVICE_HOTLINE", "")
PDF_FONT_PATH = os.environ.get("PDF_FONT_PATH", "")  # default: core/fonts/wqy-microhei.ttc (embedded)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "销售服务管理系统 <noreply@example.com>")
if os.environ.get("EMAIL_URL"):
    # smtp://user:pass@host:port — parsed here to keep one variable per concern.
    from urllib.parse import unquote, urlparse

    _email = urlparse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "salesservice.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The browsable API is a developer aid; production serves JSON only.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PAGINATION_CLASS": "salesservice.core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "salesservice.core.api.schema.AutoSchema",  # nullable where responses hold null
    "EXCEPTION_HANDLER": "salesservice.core.api.errors.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "salesservice.core.api.negotiation.ContentNegotiation",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "销售服务管理系统 API",
    "DESCRIPTION": (
        "Sales Service Management System REST API. Token auth: `POST /api/v1/auth/token/` then "
        "`Authorization: Token <key>`. Errors are `{code, detail, fields}`. Lists use cursor pagination. "
        "Creates accept `Idempotency-Key`; updates require the current `version` (stale → 409)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Hundreds of operations: start with the tags collapsed and a filter box, so the page is usable at once.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "filter": True, "deepLinking": True},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choice sets stay inline on their field (an `enum` where they are used): with ~200 choice
    # fields called "status", "kind" or "channel", hoisting them into named components only
    # produces hash-suffixed names (Status228Enum) that a generated client cannot read anyway.
    "POSTPROCESSING_HOOKS": [],
}

# --- Jobs (Celery) --------------------------------------------------------------------
# The embedded default is kombu's filesystem transport under var/: no server to run.
# Production sets CELERY_BROKER_URL=redis://... and runs worker and beat separately.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The address customers reach (tokenised survey / acceptance links in SMS and email texts).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
# connections a deadline sweep takes batches on at once (PostgreSQL, outside a transaction; core.clocks.sweep_lanes)
SWEEP_LANES = int(os.environ.get("SWEEP_LANES", "2"))
HEARTBEAT_INTERVAL_SECONDS = int(os.environ.get("HEARTBEAT_INTERVAL_SECONDS", "30"))
# /healthz calls the scheduler stale when its last heartbeat is older than this.
HEARTBEAT_STALE_SECONDS = int(os.environ.get("HEARTBEAT_STALE_SECONDS", "180"))

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- Application ----------------------------------------------------------------------
SITE_NAME = _("销售服务管理系统")
# Days ahead of a year's end from which a missing statutory-holiday schedule is flagged.
HOLIDAY_WARNING_DAYS = int(os.environ.get("HOLIDAY_WARNING_DAYS", "60"))
AXES_VERBOSE = False
