"""``jixiao report --all`` writes every department's report for a year in one process, or
in several with ``--jobs``; ``jixiao report`` wants either a department or ``--all``."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.hostile import jixiao_command
from tests.web.conftest import department_text

Run = Callable[..., tuple[int, str, str]]
Write = Callable[..., Path]


def _two_departments(small_year_text: str, write_file: Write) -> list[Path]:
    return [
        write_file(small_year_text, "first.yaml"),
        write_file(department_text(small_year_text, "other-dept", "另一区另一局"), "other.yaml"),
    ]


@pytest.mark.django_db
def test_it_writes_every_departments_report_of_the_year(
    jixiao: Run, write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    for path in _two_departments(small_year_text, write_file):
        assert jixiao("load", path)[0] == 0
    code, out, err = jixiao("report", "--all", "--year", "2024", "--out", tmp_path / "out")
    assert code == 0, err
    assert "已生成 2 个部门的报告" in out
    written = sorted(p.name for p in (tmp_path / "out").glob("*-self-evaluation.docx"))
    assert written == [
        "2024-other-dept-self-evaluation.docx",
        "2024-test-dept-self-evaluation.docx",
    ]


@pytest.mark.django_db
def test_it_wants_a_department_or_all_but_not_both(jixiao: Run, tmp_path: Path) -> None:
    for extra in ([], ["--all", "--department", "x"]):
        code, _, err = jixiao("report", "--year", "2024", "--out", tmp_path, *extra)
        assert code == 2 and "--department" in err and "--all" in err


@pytest.mark.django_db
def test_a_year_without_departments_is_refused(jixiao: Run, tmp_path: Path) -> None:
    code, _, err = jixiao("report", "--all", "--year", "1999", "--out", tmp_path)
    assert code == 2 and "没有任何部门的数据" in err


def test_parallel_processes_write_the_same_reports(
    write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    for path in _two_departments(small_year_text, write_file):
        command, env = jixiao_command(home, "load", path)
        subprocess.run(command, env=env, check=True, capture_output=True)
    out = tmp_path / "out"
    command, env = jixiao_command(home, "report", "--all", "--year", "2024", "--out", out,
                                  "--jobs", "2")  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "已生成 2 个部门的报告" in done.stdout
    assert len(list(out.glob("*-self-evaluation.docx"))) == 2
