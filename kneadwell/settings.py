"""Kneadwell settings: every value comes from a typed environment variable (see docs/deploy.md)."""

import os
import secrets
from pathlib import Path

import dj_database_url

from kneadwell.core.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent
# Everything Kneadwell writes (the database and its WAL, keys, mail, documents, backups) is for
# the service user alone, whatever umask the shell or the service manager started it with.
os.umask(0o077)
DATA_DIR = Path(envstr("KNEADWELL_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _private_data_dir() -> None:
    """Tighten a data directory made before the umask was set (an upgrade): 0700, files 0600.
    SQLite gives the WAL and shared-memory files the database file's mode."""
    try:
        DATA_DIR.chmod(0o700)
        for path in DATA_DIR.glob("*.sqlite3*"):
            path.chmod(0o600)
    except PermissionError:
        pass  # another user's directory (a read-only check, say): not ours to change


_private_data_dir()


def _kept_secret(variable: str, filename: str) -> str:
    """The value of `variable`, or a secret generated once and kept in the data directory."""
    if key := envstr(variable):
        return key
    path = DATA_DIR / filename
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(64))
    path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("KNEADWELL_SECRET_KEY", "secret_key")
# The access log's chain is keyed with this (HMAC-SHA256), kept outside the database, so that
# someone who can write the database cannot rewrite the log and recompute its hashes.
KNEADWELL_AUDIT_KEY = _kept_secret("KNEADWELL_AUDIT_KEY", "audit_key")
# Signed checkpoints of the log's length and head, outside the database: they show truncation.
KNEADWELL_AUDIT_CHECKPOINTS = Path(
    envstr("KNEADWELL_AUDIT_CHECKPOINTS") or DATA_DIR / "audit_checkpoints"
)
KNEADWELL_AUDIT_CHECKPOINT_EVERY = envint("KNEADWELL_AUDIT_CHECKPOINT_EVERY", 1000)
DEBUG = envbool("KNEADWELL_DEBUG", False)
ALLOWED_HOSTS = envlist("KNEADWELL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("KNEADWELL_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",
    "kneadwell.core",
    "kneadwell.accounts",
    "kneadwell.audit",
    "kneadwell.clients",
    "kneadwell.knowledge",
    "kneadwell.screening",
    "kneadwell.measures",
    "kneadwell.plans",
    "kneadwell.appointments",
    "kneadwell.visits",
    "kneadwell.reports",
    "kneadwell.analytics",
    "kneadwell.portal",
    "kneadwell.api",
    "huey.contrib.djhuey",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's sessions, with clients' portal sessions in a cookie of their own under /portal/.
    "kneadwell.portal.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kneadwell.accounts.middleware.IdleLogoutMiddleware",
    "kneadwell.accounts.middleware.MembershipMiddleware",
    "kneadwell.audit.middleware.RefusalLogMiddleware",
    "kneadwell.accounts.middleware.TwoFactorMiddleware",
    "kneadwell.portal.sessions.PortalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kneadwell.core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a sign-in that locked the account into the lock page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kneadwell.urls"
WSGI_APPLICATION = "kneadwell.wsgi.application"

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
                "kneadwell.core.context_processors.kneadwell",
            ],
        },
    },
]

FORM_RENDERER = "kneadwell.core.forms.KneadwellFormRenderer"

_database_url = envstr("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=envint("KNEADWELL_DB_CONN_MAX_AGE", 60)
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "kneadwell.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock
                # at the start of a transaction so two writers queue instead of deadlocking.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, for tests: the browser tests' live server then answers
            # concurrent requests (autosave beside a page load) on connections of its own.
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "clients:list"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection and idle logout
KNEADWELL_LOCKOUT_ATTEMPTS = envint("KNEADWELL_LOCKOUT_ATTEMPTS", 5)
KNEADWELL_LOCKOUT_MINUTES = envint("KNEADWELL_LOCKOUT_MINUTES", 15)
KNEADWELL_IDLE_MINUTES = envint("KNEADWELL_IDLE_MINUTES", 30)

# The lockout is django-axes: failed sign-ins counted by email address (not network address, so
# a shared clinic connection does not lock everyone out); the lock lasts its full time from the
# last failed attempt, tries during the lock do not lengthen it, and signing in clears the count.
# The two callables read the KNEADWELL_LOCKOUT_* values above at request time.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kneadwell.accounts.backends.MemberBackend",
]
AXES_FAILURE_LIMIT = "kneadwell.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "kneadwell.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"  # what the sign-in form passes to authenticate()
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kneadwell.accounts.lockout.locked_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept; failures only while they count
AXES_VERBOSE = False
# axes.W006 asks to lock by network address too; a clinic's staff share one connection, and
# locking it would lock everyone out at once. The email address is the documented unit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Forgotten passwords: a single-use link by email, valid this many minutes; requests are
# limited per typed address and per network address in the hour, and answered no sooner than
# KNEADWELL_RESET_ANSWER_MS whether or not the address is known.
KNEADWELL_RESET_LINK_MINUTES = envint("KNEADWELL_RESET_LINK_MINUTES", 60)
PASSWORD_RESET_TIMEOUT = KNEADWELL_RESET_LINK_MINUTES * 60
KNEADWELL_RESETS_PER_EMAIL = envint("KNEADWELL_RESETS_PER_EMAIL", 3)
KNEADWELL_RESETS_PER_ADDRESS = envint("KNEADWELL_RESETS_PER_ADDRESS", 20)
KNEADWELL_RESET_ANSWER_MS = envint("KNEADWELL_RESET_ANSWER_MS", 800)

# Two-factor sign-in (django-otp): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Kneadwell"
KNEADWELL_RECOVERY_CODES = 10

# The client portal (docs/portal.md): its own session cookie, signed out after idle minutes;
# single-use sign-in links by email, invitations and desk codes; rate limits per hour.
KNEADWELL_PORTAL_COOKIE = "kneadwell_portal"
KNEADWELL_PORTAL_IDLE_MINUTES = envint("KNEADWELL_PORTAL_IDLE_MINUTES", 15)
KNEADWELL_PORTAL_SESSION_HOURS = envint("KNEADWELL_PORTAL_SESSION_HOURS", 8)
KNEADWELL_PORTAL_LINK_MINUTES = envint("KNEADWELL_PORTAL_LINK_MINUTES", 15)
KNEADWELL_PORTAL_INVITATION_DAYS = envint("KNEADWELL_PORTAL_INVITATION_DAYS", 7)
KNEADWELL_PORTAL_LINKS_PER_EMAIL = envint("KNEADWELL_PORTAL_LINKS_PER_EMAIL", 5)
KNEADWELL_PORTAL_TRIES_PER_ADDRESS = envint("KNEADWELL_PORTAL_TRIES_PER_ADDRESS", 30)
KNEADWELL_PORTAL_FAILURES_PER_ACCOUNT = envint("KNEADWELL_PORTAL_FAILURES_PER_ACCOUNT", 6)
# A sign-in link request answers no sooner than this, known address or not (docs/portal.md).
KNEADWELL_PORTAL_ANSWER_MS = envint("KNEADWELL_PORTAL_ANSWER_MS", 800)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "kneadwell.core.views.csrf_failure"

# HTTPS: set KNEADWELL_HTTPS=1 behind TLS; `manage.py check --deploy` is then clean.
HTTPS = envbool("KNEADWELL_HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("KNEADWELL_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if envbool("KNEADWELL_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en"
TIME_ZONE = envstr("KNEADWELL_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email: written as files to the data directory's `mail/` folder unless an SMTP host is set.
# No health data goes into any email (see docs/deploy.md).
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = envstr("KNEADWELL_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_PORT = envint("KNEADWELL_EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("KNEADWELL_EMAIL_USER")
EMAIL_HOST_PASSWORD = envstr("KNEADWELL_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("KNEADWELL_EMAIL_TLS", True)
EMAIL_TIMEOUT = envint("KNEADWELL_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = envstr("KNEADWELL_EMAIL_FROM", "Kneadwell <no-reply@localhost>")
# Where clients reach this server: links in emails sent by the worker, which has no request.
KNEADWELL_BASE_URL = envstr("KNEADWELL_BASE_URL", "http://127.0.0.1:8000")

# Background jobs (reminders, exports) run in `kneadwell worker`, a huey consumer. Its queue is a
# SQLite file in the data directory on either database, so no extra server is needed. Tests run
# tasks at once (kneadwell/conftest.py); the worker's own tests start a real consumer.
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "kneadwell",
    "filename": str(DATA_DIR / "tasks.sqlite3"),
    "immediate": envbool("KNEADWELL_TASKS_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "consumer": {"workers": envint("KNEADWELL_WORKER_THREADS", 2), "worker_type": "thread"},
}

# Server logs never carry request bodies or query strings with health data: Django's request
# logger only reports paths, and Kneadwell keeps health data out of paths.
# A refused or missing page (403, 404) is one line, without the traceback Django attaches.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_client_errors": {"()": "kneadwell.core.logs.QuietClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"filters": ["quiet_client_errors"]},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
