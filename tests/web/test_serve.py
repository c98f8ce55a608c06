"""`jixiao serve`: migrations, static files, the demo and its accounts, then gunicorn."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from jixiao.storage import models as m
from jixiao.web.models import Membership, Role

Run = Callable[..., tuple[int, str, str]]
ACCOUNT = re.compile(r"^\s+(demo-\w+)\s+\S+\s+密码 (\S+)", re.MULTILINE)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> list[tuple[Any]]:
    """Stand gunicorn aside: record how it would have been started."""
    calls: list[tuple[Any]] = []
    monkeypatch.setattr("jixiao.web.server.run_gunicorn", lambda *args: calls.append(args))
    settings.JIXIAO_HOME = tmp_path / "home"
    return calls


@pytest.mark.django_db
def test_serve_demo_loads_the_demo_and_prints_one_account_per_role_once(
    jixiao: Run, served: list[tuple[Any]], settings: Any
) -> None:
    code, out, err = jixiao("serve", "--demo", "--port", "8123")
    assert code == 0, err
    assert served == [("127.0.0.1", 8123, 2)]
    assert m.FiscalYear.objects.filter(department__code="liwan-ghzy", year=2023).exists()
    accounts = dict(ACCOUNT.findall(out))
    assert set(accounts) == {
        "demo-admin", "demo-finance", "demo-office", "demo-leader", "demo-bureau"
    }  # fmt: skip
    for username, password in accounts.items():
        assert User.objects.get(username=username).check_password(password)
    roles = {ms.user.username: ms for ms in Membership.objects.select_related("office")}
    assert roles["demo-office"].role == Role.office and roles["demo-office"].office.code == "K03"
    assert roles["demo-finance"].department.code == "liwan-ghzy"
    assert (Path(settings.STATIC_ROOT) / "jixiao" / "app.css").exists()

    code, again, err = jixiao("serve", "--demo")
    assert code == 0, err
    assert "不重新载入演示数据" in again and "演示账号已存在" in again
    assert not ACCOUNT.findall(again)  # the passwords were shown once only


@pytest.mark.django_db
def test_serve_without_demo_creates_no_account(jixiao: Run, served: list[tuple[Any]]) -> None:
    code, _, err = jixiao("serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3")
    assert code == 0, err
    assert served == [("0.0.0.0", 9000, 3)]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_collectstatic_writes_hashed_compressed_files(
    settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "collected"
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())["paths"]
    script = manifest["jixiao/forms.js"]
    assert script != "jixiao/forms.js"  # hashed, so browsers may cache it for ever
    assert (settings.STATIC_ROOT / f"{script}.gz").exists()
    page = Client().get("/login/").content.decode()
    assert f"/static/{manifest['jixiao/app.css']}" in page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"jixiao serve stopped:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"jixiao serve did not answer:\n{log.read_text()}")


def test_jixiao_serve_answers_under_gunicorn_with_whitenoise(tmp_path: Path) -> None:
    """The real thing: a subprocess on a free port, its own SQLite database."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.pop("DATABASE_URL", None)
    env["JIXIAO_HOME"] = str(tmp_path / "home")
    command = [sys.executable, "-m", "jixiao.cli", "serve", "--demo", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, process, log)
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = browser.open(f"{base}/login/").read().decode()
        css = re.search(r'href="(/static/jixiao/app\.[0-9a-f]+\.css)"', login_page)
        assert css, login_page
        static = browser.open(base + css.group(1))
        assert "immutable" in static.headers["Cache-Control"]

        password = dict(ACCOUNT.findall(log.read_text()))["demo-finance"]
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = {"username": "demo-finance", "password": password, "csrfmiddlewaretoken": token}
        browser.open(f"{base}/login/", urllib.parse.urlencode(form).encode())
        answer = browser.open(f"{base}/d/liwan-ghzy/2023/")
        assert answer.headers["Server"] != "gunicorn" and "gunicorn" not in answer.headers["Server"]
        assert answer.headers["Cache-Control"] == "no-store"
        dashboard = answer.read().decode()
        assert "103,118.19" in dashboard and "77,261.67" in dashboard and "74.93%" in dashboard
        assert dashboard.count('<svg class="chart-svg"') == 3  # drawn by the server, no script
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
