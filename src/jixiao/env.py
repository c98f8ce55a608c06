"""Typed readers of environment variables that fail loudly on a bad value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class SettingError(ValueError):
    """An environment variable holds a value jixiao cannot use."""


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None


def env_path(name: str, default: str, environ: Mapping[str, str] = os.environ) -> Path:
    raw = environ.get(name) or default
    path = Path(raw).expanduser()
    if path.exists() and not path.is_dir():
        raise SettingError(f"{name}={raw!r}: exists and is not a folder")
    return path.resolve()
