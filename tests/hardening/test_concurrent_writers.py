"""On SQLite, writers started together wait for each other (busy timeout, transactions
that take the write lock when they begin) instead of failing with "database is locked"."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import SMALL_YEAR
from tests.hardening.hostile import jixiao_command


def _start(home: Path, *args: str | Path) -> subprocess.Popen[str]:
    command, env = jixiao_command(home, *args)
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_four_loads_started_together_all_succeed(tmp_path: Path) -> None:
    year = tmp_path / "year.yaml"
    year.write_text(SMALL_YEAR, encoding="utf-8")
    home = tmp_path / "home"
    first = _start(home, "load", year)
    assert first.wait(timeout=120) == 0, first.communicate()
    runs = [_start(home, "load", "--replace", year) for _ in range(4)]
    answers = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    for code, _, err in answers:
        assert "database is locked" not in err and "内部错误" not in err, err
        assert code == 0, err
