"""Django settings, read from the environment.

JIXIAO_HOME    data folder (default ./jixiao-data); holds the SQLite database.
DATABASE_URL   a database URL, e.g. postgres://user:pass@host:5432/jixiao (production).
JIXIAO_DEBUG   1 to turn Django's debug mode on (off by default).
JIXIAO_SECRET_KEY      the secret key; without it one is generated once and kept in
                       JIXIAO_HOME/secret_key (mode 600).
JIXIAO_ALLOWED_HOSTS   host names the web app answers to, comma-separated
                       (default localhost,127.0.0.1).
JIXIAO_HTTPS           1 when served over HTTPS (behind a TLS proxy): secure cookies,
                       HSTS, redirect to https, trust X-Forwarded-Proto.
JIXIAO_PROXY_COUNT     how many reverse proxies stand in front (0: none); the client
                       address for login throttling is then read from X-Forwarded-For.
JIXIAO_LOGIN_FAILURES  failed sign-ins to one account (from any address) before each
                       further try must wait (default 5); the wait doubles per failure.
JIXIAO_LOGIN_FAILURES_PER_ADDRESS  the same, for one address across accounts (default 30).
JIXIAO_LOGIN_LONGEST_WAIT          the longest wait, in seconds (default 900).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from jixiao.env import SettingError, env_bool, env_int, env_path, env_str

JIXIAO_HOME = env_path("JIXIAO_HOME", "./jixiao-data")
DEBUG = env_bool("JIXIAO_DEBUG", False)
PACKAGE_DIR = Path(__file__).resolve().parent


def _secret_key(home: Path) -> str:
    """JIXIAO_SECRET_KEY, else the key kept in JIXIAO_HOME/secret_key, made once (mode 600)."""
    given = env_str("JIXIAO_SECRET_KEY", "")
    if given:
        return given
    path = home / "secret_key"
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if not key:
            raise SettingError(f"{path} is empty: delete it to have a new key made") from None
        return key
    except OSError as error:
        raise SettingError(
            f"JIXIAO_HOME={str(home)!r}: cannot keep the secret key: {error}"
        ) from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


SECRET_KEY = _secret_key(JIXIAO_HOME)


def _database(url: str) -> dict[str, object]:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(JIXIAO_HOME / "jixiao.sqlite3")}
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as error:  # dj-database-url raises several kinds
        raise SettingError(f"DATABASE_URL={url!r}: {error}") from None
    if config.get("ENGINE") not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise SettingError(f"DATABASE_URL={url!r}: only postgres:// and sqlite:// are supported")
    return config


DATABASES = {"default": _database(env_str("DATABASE_URL", ""))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other (up to 30 s) instead of failing with "database is locked";
    # IMMEDIATE takes the write lock when a transaction begins, so two imports queue.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "jixiao.storage",
    "jixiao.web",
    "jixiao.web.api",
    "ninja",  # the API docs page and its static files (served locally, no CDN)
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
USE_I18N = True
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "web" / "locale"]

# The web application (jixiao serve; see src/jixiao/web/README.md)

ALLOWED_HOSTS = [
    host.strip()
    for host in env_str("JIXIAO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if host.strip()
]
ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jixiao.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jixiao.web.middleware.SecurityHeadersMiddleware",
    "jixiao.web.middleware.OneRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.navigation.navigation",
            ],
        },
    }
]
STATIC_URL = "/static/"
STATIC_ROOT = JIXIAO_HOME / "static"
# Uploaded 佐证材料 of the bureau's 财政评价, under names the server makes (never the user's).
MEDIA_ROOT = JIXIAO_HOME / "media"
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Shared by the server's worker processes: the ledger's sums and the costly page parts
# (jixiao.services.versioned_cache), keyed by versions the database changes with the data,
# so never stale.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": JIXIAO_HOME / "cache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
# Scripts come from our static files only (no inline script). Styles may be inline: the
# API docs (Swagger UI) and the progress bars' widths set them.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "midi",
        "magnetometer",
        "gyroscope",
        "accelerometer",
        "display-capture",
    )
)

if env_bool("JIXIAO_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the proxy's other sites are not ours to pin

# Sign-in throttling (jixiao.web.security): waits that grow, per account and per address.
PROXY_COUNT = env_int("JIXIAO_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise SettingError(f"JIXIAO_PROXY_COUNT={PROXY_COUNT}: expected 0 or more")


def _positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise SettingError(f"{name}={value}: expected 1 or more")
    return value


LOGIN_FREE_FAILURES = _positive("JIXIAO_LOGIN_FAILURES", 5)
LOGIN_FREE_FAILURES_PER_ADDRESS = _positive("JIXIAO_LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_LONGEST_WAIT = _positive("JIXIAO_LOGIN_LONGEST_WAIT", 900)

# Audit trail (django-simple-history): who changed what, kept per model.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
