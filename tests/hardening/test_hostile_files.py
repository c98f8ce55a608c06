"""Hostile files through the real command line, each in a subprocess under a 1 GB memory
ceiling and 60 s: refused with exit 2 and a located Chinese message, or read and reported
without error. Never an internal error, never a traceback, never the machine's memory."""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.hostile import (
    ALIAS_BOMB,
    declare_rows,
    error_cells,
    jixiao_command,
    merge_everything,
    tiny_workbook,
)

MEMORY = 1024**3
SECONDS = 60
CHINESE = re.compile(r"[\u4e00-\u9fff]")

Build = Callable[[Path, str], Path]


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _jixiao(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    command, env = jixiao_command(home, *args)
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=SECONDS, preexec_fn=_ceiling
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the shared small year, and a filled 自评表 of it."""
    from tests.conftest import SMALL_YEAR

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "year.yaml").write_text(SMALL_YEAR, encoding="utf-8")
    loaded = _jixiao(folder / "home", "load", folder / "year.yaml")
    assert loaded.returncode == 0, loaded.stderr
    exported = _jixiao(
        folder / "home", "export-xlsx", "--department", "test-dept", "--year", "2024",
        "--kind", "evaluation", "--out", folder / "form.xlsx",
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    return folder


def _yaml(text: str) -> Build:
    def build(folder: Path, name: str) -> Path:
        from tests.conftest import SMALL_YEAR

        path = folder / f"{name}.yaml"
        path.write_text(SMALL_YEAR.replace("year: 2024", f"year: 2024\n{text}", 1), "utf-8")
        return path

    return build


def _form(change: Callable[[Path], Path], suffix: str = ".xlsx") -> Build:
    def build(folder: Path, name: str) -> Path:
        return change(shutil.copy(folder / "form.xlsx", folder / f"{name}{suffix}"))

    return build


def _bytes(content: bytes, suffix: str) -> Build:
    def build(folder: Path, name: str) -> Path:
        path = folder / f"{name}{suffix}"
        path.write_bytes(content)
        return path

    return build


def _tiny_merged(folder: Path, name: str) -> Path:
    return merge_everything(tiny_workbook(folder / f"{name}.xlsx", {"A1": "标题", "B2": 1}))


HOSTILE: dict[str, tuple[Build, tuple[str, ...]]] = {
    "yaml alias bomb": (_yaml(ALIAS_BOMB), ("load",)),
    "yaml 5000-deep nesting": (_yaml("source: " + "[" * 5000 + "]" * 5000), ("load",)),
    "yaml 5000-digit integer": (_yaml("x: " + "9" * 5000), ("load",)),
    "yaml 1.0e+400": (_yaml("attachment_label: 1.0e+400"), ("load",)),
    "yaml binary junk": (_bytes(b"\xff\xfe\x00junk" * 100, ".yaml"), ("load",)),
    "form merged over the whole grid": (
        _form(merge_everything), ("import", "import --dry-run", "review"),
    ),
    "tiny workbook merged over the whole grid": (
        _tiny_merged, ("import", "import --dry-run", "review"),
    ),
    "form declaring 2,000,000 rows": (
        _form(lambda p: declare_rows(p, 2_000_000)), ("import --dry-run", "review"),
    ),
    "form with #DIV/0! and a formula without result": (
        _form(lambda p: error_cells(p, {"G12": "#DIV/0!", "G13": ""}, sheet=2)),
        ("import --dry-run", "review"),
    ),
    "form named .xls": (_form(lambda p: p, ".xls"), ("import --dry-run", "review")),
    "csv of NUL bytes": (_bytes(b"\x00" * 50_000, ".csv"), ("import --dry-run", "review")),
    "html named .xls": (
        _bytes(b"<html><table><tr><td>1</td></tr></table></html>", ".xls"),
        ("import --dry-run", "review"),
    ),
}  # fmt: skip


def _cases() -> list[tuple[str, str]]:
    return [(name, command) for name, (_, commands) in HOSTILE.items() for command in commands]


@pytest.mark.parametrize(("name", "command"), _cases())
def test_a_hostile_file_is_refused_or_reported_within_1_gb_and_60_s(
    home: Path, name: str, command: str
) -> None:
    build, _ = HOSTILE[name]
    path = build(home, re.sub(r"\W+", "-", name))
    done = _jixiao(home / "home", *command.split(), path)
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "内部错误" not in output, output
    assert "MemoryError" not in output and "内存不足" not in output, output
    assert done.returncode in (0, 1, 2), output
    if done.returncode == 2:
        problems = [line for line in done.stderr.splitlines()[1:] if line.strip()]
        assert problems, output
        assert all(CHINESE.search(line) and ":" in line for line in problems), output
        assert not re.search(r"[A-Za-z]+Error|<class", done.stderr), output
