"""`jixiao evaluate`: the console, JSON and Excel outputs agree; the demo's totals."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from jixiao.core.money import ZERO, round_half_up
from jixiao.core.scoring import grade_of, plain_number
from jixiao.documents.evaluation_tables import read_evaluation_workbook
from jixiao.services.evaluating import evaluate_stored_year

from .conftest import Load

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]


def total_row(rows: list[list[Any]]) -> list[Any]:
    (row,) = [row for row in rows if row[0] == "总分"]
    return row


def test_it_writes_the_workbook_beside_the_json_and_their_totals_agree(
    jixiao: Run, load_year: Load, complete_year_text: str, tmp_path: Path
) -> None:
    load_year(complete_year_text)
    code, out, err = jixiao(
        "evaluate", "--department", "test-dept", "--year", "2024", "--json", "--out", tmp_path
    )
    assert code == 0, err
    xlsx = tmp_path / "2024-test-dept-evaluation.xlsx"
    assert f"自评表（Excel）：{xlsx}" in err
    data = json.loads(out)
    sheets = read_evaluation_workbook(xlsx)
    department = sheets["部门整体支出绩效自评表"]
    assert Decimal(data["department"]["total"]) == total_row(department)[6]
    assert Decimal(data["department"]["weight_total"]) == total_row(department)[5]
    (project,) = data["projects"]
    rows = sheets[f"{project['project_code']} {project['project_name']}"]
    assert Decimal(project["evaluation"]["total"]) == total_row(rows)[6]
    assert Decimal(project["evaluation"]["weight_total"]) == total_row(rows)[5]
    (grade,) = [row for row in rows if row[0] == "评价等级"]
    assert grade[5] == project["evaluation"]["grade"]


def test_without_json_it_prints_where_the_workbook_is(
    jixiao: Run, load_year: Load, small_year_text: str, tmp_path: Path
) -> None:
    load_year(small_year_text)
    code, out, _ = jixiao(
        "evaluate", "--department", "test-dept", "--year", "2024", "--out", tmp_path / "x"
    )
    assert code == 0
    xlsx = tmp_path / "x" / "2024-test-dept-evaluation.xlsx"
    assert out.splitlines()[0] == f"自评表（Excel）：{xlsx}"
    assert xlsx.exists()


def test_the_demo_prints_a_department_total_and_grade_consistent_with_its_rules(
    jixiao: Run, tmp_path: Path
) -> None:
    assert jixiao("demo", "--out", tmp_path / "demo")[0] == 0
    code, out, err = jixiao(
        "evaluate", "--department", "liwan-ghzy", "--year", "2023", "--out", tmp_path / "eval"
    )
    assert code == 0, err
    result = evaluate_stored_year("liwan-ghzy", 2023)
    department = result.department
    assert department is not None and department.total is not None
    scores = [row.score for row in (*department.common, *department.duties)]
    assert all(score is not None for score in scores)
    assert department.total == round_half_up(sum((s for s in scores if s), ZERO), 2)
    assert department.grade == grade_of(department.total, department.project_rules)
    line = f"  总分 {plain_number(department.total)} 分，等级 {department.grade}"
    assert line in out.splitlines()
    assert len(result.projects) == 3
    for project in result.projects:
        evaluation = project.evaluation
        assert evaluation.total is not None and evaluation.grade is not None
        assert f"  总分 {plain_number(evaluation.total)} 分，等级 {evaluation.grade}" in out
    sheets = read_evaluation_workbook(tmp_path / "eval" / "2023-liwan-ghzy-evaluation.xlsx")
    assert total_row(sheets["部门整体支出绩效自评表"])[6] == department.total
    report = Document(str(tmp_path / "demo" / "2023-liwan-ghzy-self-evaluation.docx"))
    sentence = (
        f"经自评，2023年度部门整体支出绩效自评得分为{department.total:.2f}分，"
        f"评价等级为“{department.grade}”。"
    )
    assert any(p.text.startswith(sentence) for p in report.paragraphs)
    # the department's form, two tables per project form, and the 成本效益分析 table
    assert len(report.tables) == 1 + 2 * len(result.projects) + 1
