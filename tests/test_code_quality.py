"""ruff is clean on the whole tree, mypy (strict) on the core and the interchange layer, and
the layers import downwards only (import-linter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_the_core() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_imports_no_framework_database_or_document_library() -> None:
    forbidden = ("django", "psycopg", "sqlite3", "docx", "docxtpl", "openpyxl", "yaml", "pydantic")
    for path in (ROOT / "src" / "jixiao" / "core").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                module = words[1].split(".")[0]
                assert module not in forbidden, f"{path.name}: {line.strip()}"


def test_the_layers_point_down_only() -> None:
    """The import-linter contracts in pyproject.toml (DESIGN.md §2)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
