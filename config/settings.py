"""Settings for the partner-program knowledge base.

Everything comes from the environment, with safe defaults for local use.
See the README's "Settings" section for the full list.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DEBUG is off unless asked for: DJANGO_DEBUG=1 (or DEBUG=1). `make run` and the
# other development targets of the Makefile, and the tests, turn it on.
DEBUG = env_bool("DJANGO_DEBUG", env_bool("DEBUG", False))

_INSECURE_KEY = "django-insecure-local-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", os.environ.get("DJANGO_SECRET_KEY", ""))
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _INSECURE_KEY
elif SECRET_KEY == _INSECURE_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must not be the development default when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: the records' descriptive text in English and French
    # (each app's translation.py), edited side by side in the admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # intcomma etc.: numbers written the language's way
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # /sitemap.xml (kb/sitemaps.py)
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_rq",  # the ingestion queue (knowledge/ingest/service.py)
    "csp",  # Content-Security-Policy
    "axes",  # login lockout (keep after the auth/admin apps)
    # The project's layers, lowest first (README, "Layout").
    "utilities",
    "kb",
    "sources",
    "vendors",
    "programs",
    "partners",
    "knowledge",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",  # HTTPS redirect before any 304
    # Response headers (CSP, X-Frame-Options) outermost, so that every answer
    # gets them, including the 304s and 400s of the two middlewares below.
    "csp.middleware.CSPMiddleware",  # see CONTENT_SECURITY_POLICY below
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above every middleware that may set a cookie, so that on the way out it
    # sees them all (see kb/caching.py).
    "kb.caching.ConditionalGetMiddleware",
    # Before CommonMiddleware's slash redirect: a NUL byte is refused, not redirected.
    "utilities.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.language.LocaleMiddleware",  # after sessions, before CommonMiddleware
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.i18n",
                "kb.context_processors.canonical",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# DATABASE_URL selects the engine: sqlite:///path (default: db.sqlite3 in the
# project folder) or postgres://user:pass@host:port/name (psycopg2).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# SQLite under concurrent writes (several gunicorn workers, two staff saving
# at once): WAL so readers never block the writer, and BEGIN IMMEDIATE so a
# transaction takes the write lock up front and waits for it (up to
# `timeout` seconds) instead of failing with "database is locked" when it
# tries to upgrade a read lock. Found by bench/load.py.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
# PostgreSQL without its JIT compiler: the change log's UNION over the history
# tables (portal/changes.py) is estimated above jit_above_cost whenever the
# planner has no statistics yet (a new or freshly written table) and then
# spends 3-7 s compiling ~540 functions to run a query that takes 1 ms
# (measured with auto_explain on the test database). The site's queries are
# short; JIT only pays off for long analytical ones.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"options": "-c jit=off"})
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages (see README, "Languages"). LocaleMiddleware (after sessions, before
# CommonMiddleware) picks the language from the cookie the switcher sets
# (portal.language.set_language), else from the browser's Accept-Language, else
# LANGUAGE_CODE. No URL prefixes: every page keeps its one address.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("fr", "Français")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
# The records' descriptive text in both languages (django-modeltranslation; each
# domain app's translation.py lists its fields): ``summary`` reads
# ``summary_<reader's language>``, and a missing translation falls back to the
# other language (the pages mark it with its ``lang``: the ``translated`` tag).
MODELTRANSLATION_LANGUAGES = tuple(dict(LANGUAGES))
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # slugs from the English name or title
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": MODELTRANSLATION_LANGUAGES}
# modeltranslation copies each index on a translated field per language and,
# for the indexes Django named itself, says at every start that it names them anew.
warnings.filterwarnings("ignore", message=r"Index name .* exceeds 30 characters", category=UserWarning)
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security settings that matter once DEBUG is off (see README, "Production").
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# Caches: fragments and aggregates keyed by the knowledge stamp (kb/caching.py).
# Default: per-process memory. CACHE_URL picks another backend:
# locmem://, dummy://, file:///path/to/dir, db://table_name (run createcachetable),
# redis://host:6379/0 (the redis package, pinned: the cache several app servers share),
# memcached://host:11211 (needs pymemcache).
def cache_from_url(url):
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kb"}
    scheme, _, rest = url.partition("://")
    backends = {
        "dummy": ("django.core.cache.backends.dummy.DummyCache", None),
        "file": ("django.core.cache.backends.filebased.FileBasedCache", rest),
        "db": ("django.core.cache.backends.db.DatabaseCache", rest),
        "redis": ("django.core.cache.backends.redis.RedisCache", url),
        "memcached": ("django.core.cache.backends.memcached.PyMemcacheCache", rest),
    }
    if scheme not in backends:
        raise ImproperlyConfigured(f"CACHE_URL: unknown scheme {scheme!r}")
    backend, location = backends[scheme]
    return {"BACKEND": backend, **({"LOCATION": location} if location else {})}


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Several sites (or test runs) sharing one Redis: each its own key prefix.
if os.environ.get("CACHE_KEY_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"]
# /health/ (kb/health.py) is never cached, and answers over plain HTTP too:
# load balancers probe app servers directly.
KB_HTTP_CACHE_EXCLUDE = ["/health/"]
# How long a cached fragment may live at most (a staff save invalidates it anyway).
KB_FRAGMENT_CACHE_SECONDS = int(os.environ.get("KB_FRAGMENT_CACHE_SECONDS", "600"))
# Answers larger than this (exports, huge pages) are never kept in the server-side page cache.
KB_CACHE_MAX_ENTRY_BYTES = int(os.environ.get("KB_CACHE_MAX_ENTRY_BYTES", str(256 * 1024)))
# ETag / Last-Modified / 304 on anonymous GETs of public pages (kb.caching.ConditionalGetMiddleware).
KB_HTTP_CACHE = env_bool("KB_HTTP_CACHE", True)

# The source articles' text files (load_knowledge fills Source.text from them
# when the file is there): ../shared/seeds/ beside the clone by default.
KNOWLEDGE_SEEDS_DIR = Path(os.environ.get("KNOWLEDGE_SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds"))

# Spreadsheet import in the admin (django-import-export): every import runs in
# one transaction. Limits, checked before any row is processed (kb/import_formats.py):
# the upload's size, an XLSX's unzipped size and compression ratio, the rows, one cell.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_MAX_FILE_SIZE = int(os.environ.get("IMPORT_MAX_FILE_SIZE", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "2000"))
IMPORT_MAX_CELL_LENGTH = int(os.environ.get("IMPORT_MAX_CELL_LENGTH", "50000"))
IMPORT_MAX_UNZIPPED_SIZE = int(os.environ.get("IMPORT_MAX_UNZIPPED_SIZE", str(50 * 1024 * 1024)))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
# The uploaded file waits for its confirmation in the database (kb.models.ImportFile),
# not in a local temp folder: with several app servers, any of them can confirm.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "kb.import_storage.DatabaseStorage"

# A Source's text may be uploaded (.txt, .html, .pdf) on its admin form; larger
# files are refused with a message.
SOURCE_UPLOAD_MAX_SIZE = int(os.environ.get("SOURCE_UPLOAD_MAX_SIZE", str(10 * 1024 * 1024)))

# Ingestion (README, "Ingestion"): documents are read like a Source's upload
# above (utilities.documents, the same size limit). INGEST_QUEUE_URL empty (the
# default, development and tests): extraction runs in the request or command
# that asks for it. Set to redis://host:6379/N: documents over
# INGEST_BACKGROUND_CHARS characters are extracted by an RQ worker
# (`python manage.py rqworker ingest`), and the review page shows their progress.
INGEST_QUEUE_URL = os.environ.get("INGEST_QUEUE_URL", "")
INGEST_BACKGROUND_CHARS = int(os.environ.get("INGEST_BACKGROUND_CHARS", "20000"))
RQ_QUEUES = {
    "ingest": {
        "URL": INGEST_QUEUE_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 600,
        # without a queue URL, jobs run synchronously in the calling process
        "ASYNC": bool(INGEST_QUEUE_URL),
    }
}

# Read-only JSON API under /api/ (Django REST framework), its OpenAPI schema
# and docs (drf-spectacular; Swagger UI served from local files by the sidecar).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "kb.api.pagination.KBPagination",
    "DEFAULT_FILTER_BACKENDS": ["kb.api.filters.KBFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "kb.api.schema.KBAutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Partner-program knowledge base API"),
    # Markdown; it ends with a level-2 heading so that the operations' level-3
    # headings follow the title's level 1 in order (Lighthouse/axe heading-order).
    "DESCRIPTION": format_lazy(
        "{}\n\n## {}",
        _(
            "Read-only access to the knowledge base: vendors, programs, tiers, partners, memberships, "
            "events, people, quotes and sources. Drafts are never shown. Lists are paginated "
            "(page, page_size) and take the same filters as the HTML lists; an unknown parameter "
            "or an invalid value is a 400 naming the parameter."
        ),
        _("Endpoints"),
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI puts each one inside the operation's button
    # (a link inside a button: axe's nested-interactive, WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TierKindEnum": "programs.models.TierKind",
        "DatePrecisionEnum": "kb.models.DatePrecision",
        "PartnerKindEnum": "partners.models.PartnerKind",
        "EventKindEnum": "programs.models.EventKind",
        "BenefitKindEnum": "programs.models.BenefitKind",
        "RelationKindEnum": "vendors.models.RelationKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# -- Production hardening -----------------------------------------------------
# check --deploy passes with zero warnings under DJANGO_DEBUG=0 (tested in
# tests/security/test_security_settings.py). See the README, "Production".

# The admin's path, e.g. ADMIN_URL=staff-7f3a/ (default admin/).
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty.")

# HSTS preload is an opt-in to the browsers' built-in list (hard to undo):
# off by default, so its check is silenced unless SECURE_HSTS_PRELOAD=1.
if not DEBUG and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): everything from this origin only, no
# inline script or style, no framing. Templates carry no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login lockout (django-axes): 5 failed attempts for one user name from one
# address lock that pair out. Unlock: admin "Axes → Access attempts" (delete
# the row) or `manage.py axes_reset_username NAME` / `axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Minutes a lockout lasts by itself; 0 = until a superuser unlocks it.
_axes_cooloff = int(os.environ.get("AXES_COOLOFF_MINUTES", "60"))
AXES_COOLOFF_TIME = timedelta(minutes=_axes_cooloff) if _axes_cooloff > 0 else None
# Behind N trusted proxies appending to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N
# so lockouts see the client's address rather than the proxy's.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "utilities.middleware.client_ip"

# Site search: the bilingual glossary that expands a query into the other
# language's terms (reviewable data; see the file's header).
# Not in knowledge/data/: the loader reads every file there as knowledge.
KB_SEARCH_GLOSSARY = BASE_DIR / "knowledge" / "glossary.yaml"
