"""The budget, adjustments and ledger tables are layouts as data, located by the same step
as the performance forms; a ledger exported by another program is added as a file only."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.interchange.excel.importing import locate_tables
from jixiao.interchange.excel.layout_files import LayoutForm, load_layouts, shipped_layout
from jixiao.interchange.excel.layouts import ADJUSTMENTS, BUDGET, LEDGER, METADATA
from jixiao.interchange.excel.locate import locate_workbook
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from tests.excel.sheets import LEDGER_HEADER, LEDGER_ROWS, TOP

_FINANCE_LEDGER = """\
format: jixiao-form-layout/2
id: finance-software-ledger
name: 财务软件导出的支出明细
form: ledger
base: ledger
identify:
  sheet_names: [凭证]
tables:
  payments:
    columns:
      line: {label: 指标文号编码, type: code, required: true}
      date: {label: 制单日期, type: date, required: true}
      amount: {label: 借方发生额, type: amount, required: true}
"""


def _xlsx(path: Path, name: str, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_named_tables_are_the_shipped_layouts() -> None:
    assert BUDGET is shipped_layout("budget").table
    assert ADJUSTMENTS is shipped_layout("budget-adjustments").table
    assert LEDGER is shipped_layout("ledger").table
    assert METADATA["year"] == ("年度", "预算年度", "年份", "所属年度")
    assert [c.key for c in LEDGER.columns][:4] == ["seq", "line", "line_name", "date"]
    assert BUDGET.column("execution_rate").percent is not None
    assert BUDGET.column("initial_budget").amount


def test_a_ledger_is_located_and_says_by_which_layout(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "l.xlsx", "支出明细", [*TOP, ["单位：元"], LEDGER_HEADER, *LEDGER_ROWS])
    (located,) = locate_workbook(read_workbook(path))
    assert located.layout.form is LayoutForm.ledger
    assert located.read_as == "按版式“支出明细表”读取"
    tables, problems = locate_tables(read_workbook(path))
    assert not problems and [t.count for t in tables.ledger] == [3]


def test_a_ledger_layout_added_as_data_only(tmp_path: Path) -> None:
    layout = tmp_path / "finance.yaml"
    layout.write_text(_FINANCE_LEDGER, encoding="utf-8")
    header = ["指标文号编码", "制单日期", "凭证号", "借方发生额", "摘要"]
    rows = [
        ["L01", "2024-03-15", "记-031", 400000, "差旅"],
        ["L01", "2024-04-01", "记-040", 5000, ""],
    ]
    path = _xlsx(tmp_path / "f.xlsx", "凭证明细", [*TOP, ["单位：元"], header, *rows])
    assert locate_tables(read_workbook(path))[0].all() == []  # unknown to the shipped layouts
    tables, problems = locate_tables(read_workbook(path), layouts=load_layouts([layout]))
    assert not problems
    (ledger,) = tables.ledger
    assert [row.values["amount"] for row in ledger.rows] == [400000, 5000]
    assert ledger.rows[0].values["line"] == "L01"
    assert ledger.where(ledger.rows[1], "amount") == "凭证明细!D6"


def test_a_version_1_file_using_version_2_fields_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(_FINANCE_LEDGER.replace("layout/2", "layout/1"), encoding="utf-8")
    with pytest.raises(InputRejected) as refused:
        load_layouts([path])
    messages = {p.where: p.message for p in refused.value.problems}
    assert "须写 format: jixiao-form-layout/2" in messages[f"{path}：form"]
    assert f"{path}：identify.sheet_names" in messages
