"""Django settings for Cruscotto.

Everything a deployment changes comes from the environment:

``DATABASE_URL``
    e.g. ``postgres://user@host:5432/cruscotto``. Unset or empty: the embedded
    SQLite file ``cruscotto.sqlite3`` in the data directory.
``CRUSCOTTO_DATA_DIR``
    where the SQLite file and collected static files live (default
    ``<cwd>/var``, created when missing).
``CRUSCOTTO_ENV``
    ``production`` for a deployment (``development`` or unset for a local run;
    anything else is refused): debug off, and Cruscotto refuses to start
    unless ``CRUSCOTTO_SECRET_KEY``, ``CRUSCOTTO_ALLOWED_HOSTS`` and
    ``DATABASE_URL`` are set; HTTPS only (SSL redirect, HSTS, secure cookies).
    See docs/deployment.md for every setting.
``CRUSCOTTO_DEBUG``
    ``1`` (the default outside production, for a first local run) or ``0``.
``CRUSCOTTO_SECRET_KEY``
    required when ``CRUSCOTTO_DEBUG=0``; a development key is used otherwise.
``CRUSCOTTO_ALLOWED_HOSTS``
    comma-separated host names (outside production ``localhost`` and
    ``127.0.0.1`` are always allowed).
"""

from __future__ import annotations

import contextlib
import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


#: the values CRUSCOTTO_ENV may take; anything else (a typo such as ``prod``) is refused,
#: never read as "not production" (which would run with DEBUG and the development key)
ENVIRONMENTS = ("", "development", "production")
_ENV = os.environ.get("CRUSCOTTO_ENV", "").strip().lower()
if _ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"CRUSCOTTO_ENV={_ENV!r} is not known: use 'production' for a deployment, "
        "'development' or nothing for a local run")
#: a deployment: everything secret or site-specific comes from the environment
PRODUCTION = _ENV == "production"
#: what a production secret key must have at least (Django's deployment check asks the same)
SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_CHARS = 50, 5
DEBUG = _env_flag("CRUSCOTTO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("CRUSCOTTO_DEBUG=1 is refused with CRUSCOTTO_ENV=production")
if PRODUCTION:
    _missing = [n for n in ("CRUSCOTTO_SECRET_KEY", "CRUSCOTTO_ALLOWED_HOSTS", "DATABASE_URL")
                if not os.environ.get(n, "").strip()]
    if _missing:
        raise ImproperlyConfigured(
            "CRUSCOTTO_ENV=production needs " + ", ".join(_missing)
            + " from the environment (see docs/deployment.md)")

DATA_DIR = Path(os.environ.get("CRUSCOTTO_DATA_DIR") or Path.cwd() / "var").resolve()

SECRET_KEY = os.environ.get("CRUSCOTTO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("set CRUSCOTTO_SECRET_KEY when CRUSCOTTO_DEBUG=0")
    SECRET_KEY = "django-insecure-cruscotto-development-only"  # noqa: S105 - DEBUG only
if PRODUCTION and (len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
                   or len(set(SECRET_KEY)) < SECRET_KEY_MIN_CHARS
                   or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        f"CRUSCOTTO_SECRET_KEY is too weak for production: at least {SECRET_KEY_MIN_LENGTH} "
        f"characters, {SECRET_KEY_MIN_CHARS} of them different (e.g. python -c \"import "
        "secrets; print(secrets.token_urlsafe(50))\")")

_HOSTS = [h.strip() for h in os.environ.get("CRUSCOTTO_ALLOWED_HOSTS", "").split(",")
          if h.strip()]
ALLOWED_HOSTS = _HOSTS if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", *_HOSTS]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # whitenoise serves static files under runserver too, as in production
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # django-ninja: its docs page (Swagger UI) served from our static files, not a CDN
    "ninja",
    "cruscotto.web.accounts",
    "cruscotto.web.plans",
    "cruscotto.web.measurements",
    "cruscotto.web.public",
    # failed sign-ins counted and locked out (login page and the API's HTTP Basic)
    "axes",
    "cruscotto.web.reports",
    "cruscotto.web.evaluations",
    # the worker queue in the database (reports rendered out of the request):
    # django-tasks (the backport of Django 6's tasks) with its ORM backend
    "django_tasks",
    "django_tasks_db",
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last: turns a locked-out sign-in into the lock-out answer
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # refuses any sign-in of a locked-out user name, before the password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
#: after this many wrong passwords for one user name from one address, that name is
#: locked from that address...
CRUSCOTTO_LOGIN_FAILURE_LIMIT = _env_int("CRUSCOTTO_LOGIN_FAILURE_LIMIT", 5)
#: ...and after this many from one address, whatever the names, the address is locked
#: (password spraying across names); offices behind one NAT address share it
CRUSCOTTO_LOGIN_IP_FAILURE_LIMIT = _env_int("CRUSCOTTO_LOGIN_IP_FAILURE_LIMIT", 30)
#: the two limits above, one for each kind of count (cruscotto.web.lockout)
AXES_FAILURE_LIMIT = "cruscotto.web.lockout.failure_limit"
#: ...for this long (then the count starts again); a success resets the count
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_env_int("CRUSCOTTO_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# per user name AND address: nobody can lock the OIV's or the administrator's name from
# elsewhere with five wrong passwords; plus per address across names, with its own higher
# limit (docs/deployment.md, "Sign-in lock-out", says what each choice costs)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_CALLABLE = "cruscotto.web.lockout.lockout_response"
AXES_VERBOSE = False


ROOT_URLCONF = "cruscotto.web.urls"
WSGI_APPLICATION = "cruscotto.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        # template_partials wraps the loaders itself (see its LoaderAppConfig)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # stale_results: the page shows stored figures older than the data
                "cruscotto.web.measurements.results.context",
            ],
        },
    },
]


#: every SQLite database gets these, the default file or one named by DATABASE_URL:
#: WAL lets readers work while an import writes; IMMEDIATE takes the write lock at
#: BEGIN, so two writers queue instead of failing with "database is locked" half-way
#: through a transaction; the second waits up to ``timeout`` seconds
SQLITE_OPTIONS: dict[str, object] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        db = dict(dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True))
        if db.get("ENGINE") == "django.db.backends.sqlite3":
            db["OPTIONS"] = {**SQLITE_OPTIONS, **dict(db.get("OPTIONS") or {})}
            db["CONN_MAX_AGE"] = 0  # the default's: one connection per request
        return db
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "cruscotto.sqlite3"),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- language and formats ----------------------------------------------------
LANGUAGE_CODE = "it"
# The switcher shows each language in its own name (name_local), so no gettext here.
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
# Numbers in the active language's format: 19.350.072 in Italian.
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Europe/Rome"
USE_TZ = True

# -- static files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
# whitenoise warns on every start when STATIC_ROOT is missing (no collectstatic yet)
# (a read-only data directory is fine: static files then come from the finders)
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [WEB_DIR / "static"]
# evidence files attached to values: through Django's storage API (swap the
# "default" backend for object storage in production)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
#: evidence uploads: at most this many bytes, of these types
CRUSCOTTO_EVIDENCE_MAX_BYTES = int(os.environ.get("CRUSCOTTO_EVIDENCE_MAX_BYTES", 10 * 2**20))
#: a plan's main pages kept rendered per process until anything they show changes
#: (measurements.page_cache): at most this many megabytes per process; 0 turns it off
PAGE_CACHE_BYTES = int(float(os.environ.get("CRUSCOTTO_PAGE_CACHE_MB", "64")) * 2**20)
CRUSCOTTO_EVIDENCE_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".csv": "text/csv", ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
#: the plan's official documents (the PIAO as adopted, acts, SMVP): at most this many bytes
CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES = _env_int("CRUSCOTTO_PLAN_DOCUMENT_MAX_BYTES", 20 * 2**20)
#: values uploads (CSV/XLSX): at most this many bytes
CRUSCOTTO_UPLOAD_MAX_BYTES = int(os.environ.get("CRUSCOTTO_UPLOAD_MAX_BYTES", 20 * 2**20))
#: an XLSX decompressed (all its members), and its shared strings alone, in bytes
CRUSCOTTO_UPLOAD_MAX_UNCOMPRESSED = _env_int("CRUSCOTTO_UPLOAD_MAX_UNCOMPRESSED", 50 * 2**20)
CRUSCOTTO_UPLOAD_MAX_SHARED_STRINGS = _env_int("CRUSCOTTO_UPLOAD_MAX_SHARED_STRINGS",
                                               10 * 2**20)
#: seconds of checking an uploaded file may take before it is refused
CRUSCOTTO_UPLOAD_TIME_BUDGET = _env_int("CRUSCOTTO_UPLOAD_TIME_BUDGET", 60)
# request bodies other than files (forms, API JSON) up to the upload limit;
# uploaded files above 2.5 MB go to a temporary file, not memory
DATA_UPLOAD_MAX_MEMORY_SIZE = CRUSCOTTO_UPLOAD_MAX_BYTES
# a file is dropped while it is read, as soon as it passes the larger of the two limits
FILE_UPLOAD_HANDLERS = [
    "cruscotto.web.measurements.upload_limit.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_PERMISSIONS = 0o640
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # no manifest: `cruscotto serve` works without a collectstatic step
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app and vendor directories when collectstatic was not run.
WHITENOISE_USE_FINDERS = True

# -- security headers and cookies -------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = _env_flag("CRUSCOTTO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    # HTTPS only. Behind a proxy that ends TLS, set CRUSCOTTO_PROXY_SSL_HEADER=1 (the
    # proxy must set X-Forwarded-Proto and strip it from clients).
    SECURE_SSL_REDIRECT = _env_flag("CRUSCOTTO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = _env_int("CRUSCOTTO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("CRUSCOTTO_HSTS_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _env_flag("CRUSCOTTO_HSTS_PRELOAD", default=True)
    if _env_flag("CRUSCOTTO_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_AGE = _env_int("CRUSCOTTO_SESSION_SECONDS", 8 * 3600)
    # forms posted from these origins pass the CSRF check (default: https://<each host>)
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("CRUSCOTTO_CSRF_TRUSTED_ORIGINS", "").split(",")
        if o.strip()] or [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]

#: signing in lands on the person's queue ("I miei aggiornamenti")
LOGIN_REDIRECT_URL = "/start/"
LOGOUT_REDIRECT_URL = "/"


def email_settings(url: str) -> dict[str, object]:
    """Django's mail settings from one URL: ``console:`` (the default, mails are
    printed), ``smtp://user:pass@host:587?tls=1`` or ``smtps://...`` (SSL)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("", "console"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(
            f"CRUSCOTTO_EMAIL_URL: {parts.scheme!r} is not console, smtp or smtps")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    ssl = parts.scheme == "smtps" or query.get("ssl") == "1"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if ssl else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls") == "1",
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": 30,
    }


# -- mail: reminders and workflow notices --------------------------------------------------
globals().update(email_settings(os.environ.get("CRUSCOTTO_EMAIL_URL", "console:")))
#: the sender of every e-mail
DEFAULT_FROM_EMAIL = os.environ.get("CRUSCOTTO_EMAIL_FROM", "cruscotto@localhost")
#: the site's address, for the links in e-mails (e.g. https://cruscotto.example.it)
CRUSCOTTO_SITE_URL = os.environ.get("CRUSCOTTO_SITE_URL", "").rstrip("/")


def remind_at(value: str) -> datetime.time | None:
    """``CRUSCOTTO_REMIND_AT``: the local time the worker sends the day's reminders
    (``07:00``), or None when ``off`` (reminders then run from cron, if at all)."""
    text = value.strip().lower()
    if text in ("", "off", "no", "0"):
        return None
    try:
        return datetime.time.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"CRUSCOTTO_REMIND_AT={value!r}: expected a time such as "
                                   "07:00, or off") from None


# -- the worker's daily jobs (cruscotto db_worker, docs/deployment.md) ----------------------
#: when the worker sends the day's reminders (local time; None: it does not)
CRUSCOTTO_REMIND_AT = remind_at(os.environ.get("CRUSCOTTO_REMIND_AT", "07:00"))
#: finished report jobs' files are deleted after this many days (approved editions never)
CRUSCOTTO_REPORT_JOBS_KEEP_DAYS = _env_int("CRUSCOTTO_REPORT_JOBS_KEEP_DAYS", 7)


# -- single sign-on: OpenID Connect (docs/deployment.md, docs/decisions/0004) -------------
#: on when a client id is set; people sign in with the organisation's identity provider,
#: matched by e-mail to a person already invited (no account is made on the fly)
OIDC_RP_CLIENT_ID = os.environ.get("CRUSCOTTO_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("CRUSCOTTO_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("CRUSCOTTO_OIDC_AUTHORIZATION_URL", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("CRUSCOTTO_OIDC_TOKEN_URL", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("CRUSCOTTO_OIDC_USERINFO_URL", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("CRUSCOTTO_OIDC_JWKS_URL", "") or None
OIDC_RP_SIGN_ALGO = os.environ.get("CRUSCOTTO_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "cruscotto.web.accounts.sso.Backend"]
