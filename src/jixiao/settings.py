"""Django settings, read from the environment.

JIXIAO_HOME    data folder (default ./jixiao-data); holds the SQLite database.
DATABASE_URL   a database URL, e.g. postgres://user:pass@host:5432/jixiao (production).
JIXIAO_DEBUG   1 to turn Django's debug mode on (off by default).
"""

from __future__ import annotations

import dj_database_url

from jixiao.env import SettingError, env_bool, env_path, env_str

JIXIAO_HOME = env_path("JIXIAO_HOME", "./jixiao-data")
DEBUG = env_bool("JIXIAO_DEBUG", False)
SECRET_KEY = env_str("JIXIAO_SECRET_KEY", "jixiao-cli-only-not-for-serving")


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

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "jixiao.storage",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
USE_I18N = True
