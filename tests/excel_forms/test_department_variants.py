"""jixiao review on correct 部门整体支出绩效自评表 written every way departments write them,
and on the same forms with one mistake each: no false alarm on the correct form, each
mistake reported once (``department_variants``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.interchange.excel.review import review_lines, review_workbook
from tests.excel_forms.department_variants import (
    DEPARTMENT_MISTAKES,
    DEPARTMENT_VARIANTS,
    written,
)
from tests.excel_forms.real_variants import FILES, save
from tests.excel_forms.variant_checks import OFFICE, assert_reported_once, file_params

DEPARTMENT_FILES = ("xlsx", "hidden-sheet", "xls", "office-xlsx")
"""The ways of saving that fit a department's single form (no 汇总 of projects)."""


@pytest.mark.parametrize("variant", list(DEPARTMENT_VARIANTS))
def test_a_correct_department_form_written_any_way_raises_no_alarm(
    variant: str, tmp_path: Path
) -> None:
    result = review_workbook(save([written(variant)], tmp_path / f"{variant}.xlsx"))
    (sheet,) = result.sheets
    assert sheet.findings == (), "\n".join(review_lines(result))
    assert sheet.total == sheet.claimed_total == Decimal("97.03")
    assert sheet.grade == "优"


@pytest.mark.parametrize("mistake", list(DEPARTMENT_MISTAKES))
@pytest.mark.parametrize("variant", list(DEPARTMENT_VARIANTS))
def test_a_seeded_mistake_in_a_department_form_is_reported_once(
    variant: str, mistake: str, tmp_path: Path
) -> None:
    result = review_workbook(save([written(variant, mistake)], tmp_path / "form.xlsx"))
    assert_reported_once(result, DEPARTMENT_MISTAKES[mistake][1])


@pytest.mark.parametrize("how", file_params(DEPARTMENT_FILES))
@pytest.mark.parametrize("variant", ["merged-levels", "formulas-cached", "percent-numbers"])
def test_every_way_of_saving_a_department_form_reads_the_same(
    how: str, variant: str, tmp_path: Path
) -> None:
    result = review_workbook(FILES[how](written(variant), tmp_path / "form.xlsx"))
    (sheet,) = result.sheets
    assert result.findings == (), "\n".join(review_lines(result))
    assert sheet.total == Decimal("97.03")


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
def test_a_mistake_in_a_department_xls_file_is_reported(tmp_path: Path) -> None:
    path = FILES["xls"](written("merged-levels", "rate-wrong"), tmp_path / "rate.xlsx")
    assert [f.id for f in review_workbook(path).findings] == ["execution-rate-wrong"]


def test_a_zero_total_over_its_uses_still_has_its_rate_checked(tmp_path: Path) -> None:
    """年度资金总额 left at 0 over 基本支出 / 项目支出 is scored on their sum, so a wrong
    printed 执行率 is found besides the total."""
    form = written("base", "zero-total")
    form.funds[0][6] = 0.95
    result = review_workbook(save([form], tmp_path / "zero.xlsx"))
    found = [(f.id, f.where, f.computed) for f in result.findings]
    assert found[-1] == ("execution-rate-wrong", "部门整体!G5", "91.09%")
    assert {f[0] for f in found[:-1]} == {"funds-total-not-sum-of-rows"}
