"""Workbooks: error cells and formulas without results are named, review does not answer
"未发现问题" for what it cannot compute, a .xlsx named .xls reads, a typo does not delete."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.excel_forms.forms import P07, counts, edit, export, store_demo
from tests.hardening.hostile import error_cells, merge_everything

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def evaluation_form(tmp_path: Path) -> Path:
    store_demo()
    return export("evaluation", tmp_path / "自评表.xlsx")


def _p07_sheet_number() -> int:
    return 2  # the department form comes first, then the projects in code order


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ({"G12": "#DIV/0!"}, ("G12", "Excel 错误值 #DIV/0!")),
        ({"H6": "#N/A", "G12": "#REF!"}, ("H6", "#N/A", "G12", "#REF!")),
        ({"G12": ""}, ("G12", "没有保存计算结果")),
    ],
)
def test_review_names_error_cells_and_formulas_without_results(
    evaluation_form: Path, tmp_path: Path, jixiao: Run, refs: dict[str, str],
    expected: tuple[str, ...],
) -> None:  # fmt: skip
    faulty = error_cells(
        shutil.copy(evaluation_form, tmp_path / "faulty.xlsx"), refs, _p07_sheet_number()
    )
    code, out, err = jixiao("review", faulty)
    assert code == 1, (out, err)
    assert "未发现问题" not in out.split("审核结论")[-1]
    for words in expected:
        assert words in out
    assert "不能为空" not in out


def test_review_finds_a_zero_budget_with_money_spent(
    evaluation_form: Path, tmp_path: Path, jixiao: Run
) -> None:
    zero = edit(evaluation_form, tmp_path / "zero.xlsx", P07, {"D6": 0, "D7": 0})
    code, out, _ = jixiao("review", zero)
    assert code == 1
    assert "execution-rate-uncomputable" in out and "全年执行数265.14万元" in out


def test_review_of_a_score_of_1e300_is_a_finding_not_an_internal_error(
    evaluation_form: Path, tmp_path: Path, jixiao: Run
) -> None:
    huge = edit(evaluation_form, tmp_path / "huge.xlsx", P07, {"H6": 1e300})
    code, out, err = jixiao("review", huge)
    assert code == 1, err
    assert "内部错误" not in err and "H6" in out


def test_a_xlsx_named_xls_is_read_by_its_content(
    evaluation_form: Path, tmp_path: Path, jixiao: Run
) -> None:
    renamed = shutil.copy(evaluation_form, tmp_path / "自评表.xls")
    code, out, err = jixiao("review", renamed)
    assert code == 0, (out, err)
    assert "审核结论：未发现问题" in out


def test_a_merged_range_over_the_whole_grid_is_clipped_to_the_used_area(
    evaluation_form: Path, tmp_path: Path, jixiao: Run
) -> None:
    merged = merge_everything(shutil.copy(evaluation_form, tmp_path / "merged.xlsx"))
    for command in (("review",), ("import", "--dry-run"), ("import",)):
        code, _, err = jixiao(*command, merged)
        assert code == 2, err
        assert "merged.xlsx" in err and "Traceback" not in err


def test_a_typo_in_a_first_level_name_is_refused_and_deletes_nothing(
    evaluation_form: Path, tmp_path: Path, jixiao: Run
) -> None:
    typo = edit(evaluation_form, tmp_path / "typo.xlsx", P07, {"A11": "产出指表"})
    before = counts()
    for command in (("import", "--dry-run"), ("import",)):
        code, _, err = jixiao(*command, typo)
        assert code == 2, err
        assert "一级指标“产出指表”不是规则集" in err and P07 in err
    assert counts() == before
