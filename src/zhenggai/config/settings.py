"""Django settings, read from the environment (see docs/configuration.md).

Safe by default: DEBUG is off unless asked for, hosts are strict, the secret key is never a
literal. SQLite (WAL) is the embedded default; PostgreSQL is chosen with DATABASE_URL.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zhenggai.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("ZHENGGAI_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written whole under a name of its own, then linked into place if no process starting
        # beside this one (a web server's or the test suite's workers) was first: every process
        # reads the one whole key, never an empty file or a key of its own.
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as stream:
            stream.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def _proxy_ssl_header() -> tuple[str, str] | None:
    """ZHENGGAI_PROXY_SSL_HEADER names the header the TLS proxy sets to `https` (`X-Forwarded-Proto`
    or Django's `HTTP_X_FORWARDED_PROTO`). Only behind a proxy that sets it on every request and
    drops the client's own: anyone else could send it and pass plain http for https."""
    name = env_str("ZHENGGAI_PROXY_SSL_HEADER", "").strip().upper().replace("-", "_")
    if not name:
        return None
    return (name if name.startswith("HTTP_") else f"HTTP_{name}", "https")


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- HTTPS: off for `make run` (plain http on 127.0.0.1); docs/deploy.md sets them behind nginx --
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: once a browser has seen it, it refuses plain http to this host for that many seconds, so
# start low (3600) when first switching to https, then raise to a year (31536000).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

INSTALLED_APPS = [
    # First: its `createsuperuser` (recorded in the history) replaces Django's.
    "zhenggai.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "zhenggai.orgs",
    "zhenggai.ledger",
    "zhenggai.repeats",
    "zhenggai.signals",
    "zhenggai.taxonomy",
    "zhenggai.history",
    "zhenggai.imports",
    "zhenggai.reports",
    "zhenggai.demo",
    "zhenggai.reminders",
    "zhenggai.receipts",
    "zhenggai.comments",
    "zhenggai.todo",
    "zhenggai.oversight",
    "zhenggai.webhooks",
    # The REST API; "ninja" so that its docs page serves Swagger UI from the package's static files
    # (without it django-ninja loads them from a CDN, which a closed network cannot reach).
    "ninja",
    "zhenggai.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhenggai.accounts.middleware.IdleSessionMiddleware",
    "zhenggai.accounts.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhenggai.accounts.middleware.PasswordChangeRequiredMiddleware",
    # request.user.is_verified(): whether this session passed a one-time code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "zhenggai.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # AxesMiddleware must come last: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhenggai.config.urls"
WSGI_APPLICATION = "zhenggai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
    # Jinja2 renders only the hottest loops (ledger/jinja2/): the measure cards of the problem page
    # (ledger.cards.render_card: ~1.3 ms a card) and the overview's rows. The rows of the ledger
    # table are written by Python (ledger/rows.py: Django templates spent ~20 ms on 50 rows, Jinja2
    # ~2.3 ms, Python ~0.6 ms). Everything else stays in Django templates, the cards' forms included.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "zhenggai.config.jinja.environment"},
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhenggai.sqlite3'}")
# Connections are kept for a minute (a new PostgreSQL connection per request costs milliseconds),
# and checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so that two writers queue instead of failing half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests that run threads against the database need a file: an in-memory test database is one
    # connection's alone.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-zhenggai-{os.getpid()}.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A parallel plan starts its workers before the first row (3-9 ms measured): for a page's short
    # queries that is most of their time (the dashboard's most overdue items read 20 rows along an
    # index in 1.5 ms serially, 16 ms in parallel), so a plan goes parallel only where it saves
    # more than that: the rebuilds' whole-table scans still do (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c parallel_setup_cost=" + str(
        env_int("DB_PARALLEL_SETUP_COST", 20000)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication, following the 等保 2.0 expectations for public bodies ------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "todo:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Sign-in through the office's own directory (OpenID Connect, docs/signin.md) ----------------
# Off unless a client is configured: OIDC_CLIENT_ID with OIDC_ISSUER (the endpoints then come
# from its discovery document) or with the four OIDC_OP_*_ENDPOINT addresses.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
# How a first sign-in finds its login (later ones find it by the stored subject): by the
# directory's verified e-mail address (`email`) or by a user-name claim (`username`).
OIDC_MATCH_BY = env_str("OIDC_MATCH_BY", "email")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
# Someone the directory knows but Zhenggai does not: refused, or (on) given a login with no role.
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", False)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and (OIDC_ISSUER or (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT))
)
if OIDC_RP_CLIENT_ID and not OIDC_ENABLED:
    raise ImproperlyConfigured(
        "OIDC_CLIENT_ID 已设置，但缺少 OIDC_ISSUER 或认证、令牌、JWKS 端点地址 / "
        "OIDC_CLIENT_ID is set without OIDC_ISSUER or the OIDC_OP_*_ENDPOINT addresses"
    )
if OIDC_ENABLED and not OIDC_RP_CLIENT_SECRET:
    raise ImproperlyConfigured("OIDC_CLIENT_SECRET 未设置 / OIDC_CLIENT_SECRET is not set")
if OIDC_MATCH_BY not in ("email", "username"):
    raise ImproperlyConfigured(f"OIDC_MATCH_BY must be email or username, got {OIDC_MATCH_BY!r}")
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("zhenggai.accounts.oidc.OidcBackend")

# --- Two-factor sign-in with a one-time code (TOTP, docs/signin.md) ------------------------------
# 等保 level 3: the inspection office's staff and the supervisors must enrol an authenticator app and
# give its code after their password or directory sign-in, before any other page.
REQUIRE_TOTP_FOR_OFFICE = env_bool("REQUIRE_TOTP_FOR_OFFICE", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Zhenggai 整改")
# After n wrong codes in a row the next is refused for 2^(n-1) seconds (django-otp); every wrong
# code also counts toward the account's lock-out (AXES_FAILURE_LIMIT).
OTP_TOTP_THROTTLE_FACTOR = 1

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
# Lock the account, not the address: an office's whole floor often shares one NAT address.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "zhenggai.accounts.views.locked_out"
AXES_VERBOSE = False

# Logged out after this many idle minutes: a request pushes the expiry forward when the last push
# is older than SESSION_REFRESH_SECONDS (accounts.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 30)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Language: Chinese first ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder before the first collectstatic
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Evidence and finished exports in an S3-compatible object store (MinIO, Ceph, a cloud's own)
# through django-storages, so that several app servers share them without a shared folder.
# Credentials come the way boto3 reads them (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an
# instance role); docs/deploy.md.
EVIDENCE_S3_BUCKET = env_str("EVIDENCE_S3_BUCKET", "")
if EVIDENCE_S3_BUCKET:
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "EVIDENCE_S3_BUCKET 已设置，但未安装 S3 存储组件：pip install 'zhenggai[s3]' / "
            "EVIDENCE_S3_BUCKET is set but django-storages[s3] is not installed"
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("EVIDENCE_S3_REGION", "") or None,
            "location": env_str("EVIDENCE_S3_PREFIX", ""),
            # Never public: evidence is read through the scoped download view, not a bucket URL.
            "default_acl": None,
            "querystring_auth": True,
            # Names are content hashes (ledger.models.evidence_upload_path): the same name is the
            # same bytes, so an existing object is never silently renamed.
            "file_overwrite": True,
        },
    }
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: evidence goes through a scoped view
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache -------------------------------------------------------------------------------------
# Kept public pages (zhenggai.public_pages) and the to-do badge's count. Their keys say what they
# show, so each process may keep its own copy (the default); CACHE_URL=redis://… shares one.
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, got {CACHE_URL!r}")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},  # a public page is a few KB: about 15 MB a process at most
        }
    }

# --- Background tasks -------------------------------------------------------------------------
# One machine: the database backend, worked by `zhenggai worker` (django-tasks-db's db_worker).
# Several: TASKS_BACKEND=django_tasks_rq.RQBackend puts the same tasks on RQ queues in Redis
# (REDIS_URL), worked by `zhenggai worker` on any machine (django-rq's rqworker); docs/deploy.md.
RQ_BACKEND = "django_tasks_rq.RQBackend"
TASKS_BACKEND = env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASK_QUEUES = ["default"]  # every task of the project is declared on the default queue
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": TASK_QUEUES}}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == RQ_BACKEND:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A job runs as long as a province's export may take (bench/ledger.py: minutes, not hours).
    RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for queue in TASK_QUEUES}

# --- E-mail (deadline reminders) ----------------------------------------------------------------
# Without an SMTP server, mail goes to the console and reminders are not planned by e-mail at all.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zhenggai@localhost")

# --- Zhenggai ---------------------------------------------------------------------------------


def _trusted_proxies() -> list[str]:
    """ZHENGGAI_TRUSTED_PROXIES: addresses or CIDR networks whose X-Forwarded-For is believed."""
    entries = env_list("ZHENGGAI_TRUSTED_PROXIES", [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"ZHENGGAI_TRUSTED_PROXIES must list addresses or networks (10.0.0.1, 10.0.0.0/8), got {entry!r}"
            ) from exc
    return entries


ZHENGGAI: dict[str, Any] = {
    # A measure whose deadline is this many days away or fewer shows a yellow light.
    "YELLOW_LIGHT_DAYS": env_int("ZHENGGAI_YELLOW_LIGHT_DAYS", 10),
    "EVIDENCE_MAX_BYTES": env_int("ZHENGGAI_EVIDENCE_MAX_MB", 20) * 1024 * 1024,
    "EVIDENCE_EXTENSIONS": env_list(
        "ZHENGGAI_EVIDENCE_EXTENSIONS",
        ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "ofd", "txt", "zip"],
    ),
    "LEDGER_PAGE_SIZE": env_int("ZHENGGAI_LEDGER_PAGE_SIZE", 50),
    # A record typed more than this many hours after the date it claims is marked 补录.
    "LATE_ENTRY_HOURS": env_int("ZHENGGAI_LATE_ENTRY_HOURS", 72),
    # Deadline reminders (docs/reminders.md); offices may set their own ladder in the back office.
    "OVERVIEW_CHART_ROUNDS": env_int("ZHENGGAI_OVERVIEW_CHART_ROUNDS", 20),
    "REMINDER_GREEN_DAYS": env_int("ZHENGGAI_REMINDER_GREEN_DAYS", 20),
    "REMINDER_RED_REPEAT_DAYS": env_int("ZHENGGAI_REMINDER_RED_REPEAT_DAYS", 7),
    "REMINDER_HOUR": env_int("ZHENGGAI_REMINDER_HOUR", 8),
    "REMINDER_CHANNELS": env_list(
        "ZHENGGAI_REMINDER_CHANNELS",
        ["inapp", "email", "wecom", "dingtalk"] if EMAIL_HOST else ["inapp", "wecom", "dingtalk"],
    ),
    "SITE_URL": env_str("ZHENGGAI_SITE_URL", ""),
    # Residents' receipt slips (docs/receipts.md): slips a batch may have, and how many answers
    # from one network and browser kind make the reviewers look twice.
    "RECEIPT_MAX_SLIPS": env_int("ZHENGGAI_RECEIPT_MAX_SLIPS", 500),
    "RECEIPT_SAME_NETWORK": env_int("ZHENGGAI_RECEIPT_SAME_NETWORK", 3),
    # Comments from the public (docs/comments.md): days to answer before a comment shows red, and
    # comments one network may send in an hour.
    "COMMENT_ANSWER_DAYS": env_int("ZHENGGAI_COMMENT_ANSWER_DAYS", 15),
    "COMMENT_HOURLY_LIMIT": env_int("ZHENGGAI_COMMENT_HOURLY_LIMIT", 5),
    # Reverse proxies in front of Zhenggai: only their X-Forwarded-For names the public's address.
    "TRUSTED_PROXIES": _trusted_proxies(),
    "WEBHOOK_TIMEOUT": env_int("ZHENGGAI_WEBHOOK_TIMEOUT", 5),
}

# Webhooks out (docs/webhooks.md): hosts that may be sent to although they resolve to internal
# addresses (an office's OA on the intranet), as names, addresses or networks. Empty: public only.
WEBHOOK_ALLOWED_HOSTS = env_list("ZHENGGAI_WEBHOOK_ALLOWED_HOSTS", [])

# The tamper-evident history: its signing key and the exported checkpoints live outside the database.
ZHENGGAI_HISTORY = {
    "KEY_FILE": env_str("ZHENGGAI_HISTORY_KEY_FILE", str(DATA_DIR / "keys" / "history-ed25519.pem")),
    "CHECKPOINT_DIR": env_str("ZHENGGAI_HISTORY_CHECKPOINT_DIR", str(DATA_DIR / "checkpoints")),
    # Entries are signed at the latest this many seconds after they were written (docs/history.md).
    "CHECKPOINT_MAX_AGE_SECONDS": env_int("ZHENGGAI_HISTORY_CHECKPOINT_MAX_AGE_SECONDS", 600),
    "CHECKPOINT_EVERY_ENTRIES": env_int("ZHENGGAI_HISTORY_CHECKPOINT_EVERY_ENTRIES", 1000),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Lock-out is by account on purpose (see AXES_LOCKOUT_PARAMETERS), so axes' advice to add the
# client address does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
