"""全年预算数 computed from 年初预算数 + 预算调整 when it is left blank, checked when all three
are given; and the per-sheet rows and 合计 an import reports for its preview."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import BUDGET_HEADER, BUDGET_ROWS, budget_sheet, ledger_sheet, xlsx

pytestmark = pytest.mark.django_db

ADJUSTMENT = BUDGET_HEADER.index("全年预算数")
"""预算调整 goes in before 全年预算数 (column H of the sheet)."""


def _with_adjustments(*changes: tuple[Any, Any]) -> list[list[Any]]:
    """The small year's budget sheet with a 预算调整 column; ``changes``: per row, the
    (预算调整, 全年预算数) to write, None for a blank cell."""
    sheet = budget_sheet()
    header = sheet[3]
    header.insert(ADJUSTMENT, "预算调整")
    for row, (adjustment, final) in zip(sheet[4:], changes, strict=True):
        row.insert(ADJUSTMENT, adjustment)
        row[ADJUSTMENT + 1] = final
    return sheet


@pytest.fixture(autouse=True)
def _stored(small_year_text: str) -> None:
    from tests.excel.sheets import store_small_year

    store_small_year(small_year_text)


def _import(path: Path, rows: list[list[Any]]) -> Any:
    return import_workbook(xlsx(path, ("预算与执行", rows)), dry_run=True)


def test_a_blank_final_budget_is_the_initial_budget_plus_the_adjustment(tmp_path: Path) -> None:
    rows = _with_adjustments((0, None), (20, None), (None, 500))
    assert not _import(tmp_path / "same.xlsx", rows).changed  # 100 + 20 = the stored 120
    rows = _with_adjustments((0, None), (-10, None), (None, 500))
    result = _import(tmp_path / "less.xlsx", rows)
    line = next(line for line in result.plan.after.budget.lines if line.code == "L01")
    assert line.final_budget == Decimal(90)
    assert [(c.key, c.action) for c in result.changes()] == [("L01", "changed")]


def test_all_three_given_must_agree_with_a_located_message(tmp_path: Path) -> None:
    rows = _with_adjustments((0, 300), (30, 120), (0, 500))
    with pytest.raises(InputRejected) as refused:
        _import(tmp_path / "wrong.xlsx", rows)
    [problem] = refused.value.problems
    assert problem.where == "预算与执行!H6"  # the 预算调整 cell of L01
    assert problem.message.startswith(
        "预算调整：年初预算数 100 万元 + 预算调整 30 万元 = 130 万元，与全年预算数 120 万元 不一致"
    )
    assert "预算调整应为 20 万元" in problem.message


def test_a_row_without_final_budget_or_adjustment_says_what_to_fill(tmp_path: Path) -> None:
    rows = _with_adjustments((0, 300), (None, None), (0, 500))
    with pytest.raises(InputRejected) as refused:
        _import(tmp_path / "blank.xlsx", rows)
    [problem] = refused.value.problems
    assert problem.where == "预算与执行!I6"
    assert (
        problem.message == "全年预算数：不能为空（或填写 预算调整，按 年初预算数 + 预算调整 计算）"
    )
    without_column = budget_sheet()
    without_column[5][BUDGET_HEADER.index("全年预算数")] = None
    with pytest.raises(InputRejected) as refused:
        _import(tmp_path / "no-column.xlsx", without_column)
    assert [p.message for p in refused.value.problems] == ["全年预算数：不能为空"]


def test_the_result_gives_each_sheets_rows_and_the_total_of_each_amount_column(
    tmp_path: Path,
) -> None:
    path = xlsx(
        tmp_path / "both.xlsx", ("预算与执行", budget_sheet()), ("支出明细", ledger_sheet())
    )
    result = import_workbook(path, dry_run=True)
    budget, ledger = result.totals
    assert (budget.sheet, budget.table, budget.rows) == (
        "预算与执行",
        "预算与执行表",
        len(BUDGET_ROWS),
    )
    assert [(a.label, a.yuan, a.unit) for a in budget.amounts] == [
        ("年初预算数", Decimal("9000000"), AmountUnit.wan),
        ("全年预算数", Decimal("9200000"), AmountUnit.wan),
        ("执行数", Decimal("6187500"), AmountUnit.wan),
    ]
    assert (ledger.sheet, ledger.rows) == ("支出明细", 3)
    assert [(a.label, a.yuan, a.unit) for a in ledger.amounts] == [
        ("金额", Decimal("1100000"), AmountUnit.yuan)
    ]
