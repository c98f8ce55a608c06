"""Junk never crashes an import, and nothing half-written ever stays in the database."""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jixiao.interchange.excel.layouts import BUDGET, LEDGER
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services import excel_import as importing
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import (
    BUDGET_ROWS,
    LEDGER_ROWS,
    budget_sheet,
    ledger_sheet,
    store_small_year,
    stored_text,
    table_counts,
    xlsx,
)

LABELS = [name for spec in (BUDGET, LEDGER) for column in spec.columns for name in column.names]
WORDS = [*LABELS, "合计", "小计", "注：本表", "单位：元", "单位：万元", "部门代码", "test-dept",
         "年度", "2024", "2024年度", "L01", "L02", "B01", "P001", "是", "否", "-", "(1,234.00)",
         "１２３", "95%", "2024-02-30", "2024/7/31", "一般公共预算", "项目支出", "基本支出", "=1+1",
         "  "]  # fmt: skip

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12)
cells = st.one_of(
    st.none(),
    _TEXT,
    st.sampled_from(WORDS),
    st.integers(-(10**9), 10**9),
    st.floats(-1e13, 1e13, allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    st.booleans(),
)
grids = st.lists(st.lists(cells, max_size=10), max_size=14)


@st.composite
def sheets(draw: st.DrawFn) -> list[list[Any]]:
    """Random junk, sometimes with a real header and the labelled cells planted in it, or a
    valid sheet of the small year with junk dropped into some of its cells and rows."""
    if draw(st.integers(0, 2)) == 0:
        grid = draw(st.sampled_from([budget_sheet, ledger_sheet]))()
        for _ in range(draw(st.integers(0, 3))):
            row = grid[draw(st.integers(0, len(grid) - 1))]
            row.extend([None] * (10 - len(row)))
            row[draw(st.integers(0, 9))] = draw(cells)
        if draw(st.booleans()):
            grid.insert(draw(st.integers(0, len(grid))), draw(st.lists(cells, max_size=10)))
        return grid
    grid = draw(grids)
    if draw(st.booleans()):
        spec = draw(st.sampled_from((BUDGET, LEDGER)))
        names = draw(st.permutations([c.label for c in spec.columns]))
        header = names[: draw(st.integers(2, len(names)))]
        grid.insert(draw(st.integers(0, len(grid))), [None] * draw(st.integers(0, 3)) + header)
    if draw(st.booleans()):
        grid[:0] = [["部门代码", "test-dept"], ["年度", 2024], [draw(st.sampled_from(
            ["单位：元", "单位：万元", "单位：美元"]))]]  # fmt: skip
    return grid


def _write(path: Path, grid: list[list[Any]], kind: str) -> Path:
    if kind == "xlsx":
        book = Workbook()
        for row in grid:
            book.active.append(row)
        book.save(path)
        return path
    path = path.with_suffix(".csv")
    encoding = "utf-8" if kind == "csv-utf8" else "gb18030"
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows([["" if v is None else v for v in row] for row in grid])
    return path


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("JIXIAO_JUNK_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(grid=sheets(), kind=st.sampled_from(["xlsx", "csv-utf8", "csv-gb18030"]),
       dry_run=st.booleans())  # fmt: skip
def test_junk_sheets_never_crash_and_leave_the_database_alone_when_refused(
    small_year_text: str, grid: list[list[Any]], kind: str, dry_run: bool
) -> None:
    if not stored_text():
        store_small_year(small_year_text)
    before, counts = stored_text(), table_counts()
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder) / "junk.xlsx", grid, kind)
        try:
            result = import_workbook(path, dry_run=dry_run)
        except InputRejected as refused:
            event("refused")
            assert refused.problems
            assert all(isinstance(p, Problem) and p.where and p.message for p in refused.problems)
            assert stored_text() == before and table_counts() == counts
            return
    event("imported")
    if dry_run:
        assert stored_text() == before
    assert result.department_code == "test-dept"


@pytest.mark.django_db(transaction=True)
def test_a_fault_halfway_through_an_import_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_year_text: str
) -> None:
    store_small_year(small_year_text)
    before, counts = stored_text(), table_counts()
    budget = [list(r) for r in BUDGET_ROWS]
    budget[0][7] = 310
    budget[1][8] = None
    ledger = [["L01", f"2024-05-{d:02d}", f"记-5{d}", 100 * d, "否", "新"] for d in range(1, 7)]
    path = xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget)),
                ("支出明细", ledger_sheet(rows=[*LEDGER_ROWS[:2], *ledger])))  # fmt: skip
    monkeypatch.setattr(importing, "PAYMENT_BATCH", 2)
    real, calls = importing.insert_payments, []

    def fails_on_the_second_batch(rows: list[tuple[Any, ...]]) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            raise OSError("磁盘已满")
        real(rows)

    monkeypatch.setattr(importing, "insert_payments", fails_on_the_second_batch)
    with pytest.raises(OSError, match="磁盘已满"):
        import_workbook(path)
    assert calls == [2, 2]
    assert stored_text() == before
    assert table_counts() == counts
    monkeypatch.setattr(importing, "insert_payments", real)
    assert import_workbook(path).summary() == (
        "预算行：新增 0，修改 1，删除 0；支出：新增 6，修改 0，删除 1"
    )
