"""Settings read from the environment: the secret key, hosts, HTTPS; each in a fresh process."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path


def _settings_in_a_fresh_process(home: Path, **env: str) -> dict[str, object]:
    code = (
        "import json, jixiao.settings as s;"
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'DEBUG','ALLOWED_HOSTS','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE',"
        "'SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT','SECURE_PROXY_SSL_HEADER','SECRET_KEY')}))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    environ.update({"JIXIAO_HOME": str(home), **env})
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_it_keeps_a_generated_secret_key_under_jixiao_home_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    first = _settings_in_a_fresh_process(tmp_path)
    second = _settings_in_a_fresh_process(tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == key_file.read_text().strip()
    assert len(str(first["SECRET_KEY"])) >= 50
    assert first["DEBUG"] is False
    assert first["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert first["SESSION_COOKIE_SECURE"] is None and first["SECURE_HSTS_SECONDS"] is None


def test_https_turns_on_secure_cookies_hsts_and_the_redirect(tmp_path: Path) -> None:
    loaded = _settings_in_a_fresh_process(
        tmp_path,
        JIXIAO_HTTPS="1",
        JIXIAO_SECRET_KEY="from-the-environment",
        JIXIAO_ALLOWED_HOSTS="jixiao.example.gov.cn, localhost",
    )
    assert loaded["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
    assert loaded["ALLOWED_HOSTS"] == ["jixiao.example.gov.cn", "localhost"]
    assert loaded["SESSION_COOKIE_SECURE"] is True and loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert int(str(loaded["SECURE_HSTS_SECONDS"])) >= 31536000
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_bad_https_value_stops_the_settings(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    environ.update({"JIXIAO_HOME": str(tmp_path), "JIXIAO_HTTPS": "maybe"})
    result = subprocess.run(
        [sys.executable, "-c", "import jixiao.settings"],
        env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and "JIXIAO_HTTPS='maybe'" in result.stderr
