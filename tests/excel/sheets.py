"""Building small spreadsheets the way finance offices fill them, and reading the stored year."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from jixiao.interchange.dataset_file import dump_dataset, parse_dataset
from jixiao.services.errors import NotFound
from jixiao.services.reading import export_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m

Rows = Sequence[Sequence[Any]]

TOP = [["部门代码", "test-dept"], ["年度", 2024]]
"""The labelled cells above a table, as the templates write them."""

BUDGET_HEADER = ["预算行代码", "预算行名称", "资金来源", "支出性质", "基本支出类别", "项目代码",
                 "年初预算数", "全年预算数", "执行数"]  # fmt: skip
BUDGET_ROWS = [
    ["B01", "人员经费", "一般公共预算财政拨款", "基本支出", "人员经费", None, 300, 300, 298.5],
    ["L01", "国土空间规划编制", "一般公共预算财政拨款", "项目支出", None, "P001", 100, 120, 110],
    ["L02", "土地储备前期", "政府性基金预算财政拨款", "项目支出", None, "P002", 500, 500, 210.25],
]
"""The small year's budget (万元), as a sheet shows it."""

LEDGER_HEADER = ["预算行代码", "支付日期", "凭证号", "金额", "退款", "摘要"]
LEDGER_ROWS = [
    ["L01", "2024-03-15", "记-031", 400000, "否", None],
    ["L01", "2024-09-20", "记-092", 705000, "否", None],
    ["L01", "2024-10-08", "记-101", -5000, "是", None],
]
"""The small year's ledger (元)."""


def budget_sheet(unit: str = "万元", rows: Rows = BUDGET_ROWS) -> list[list[Any]]:
    """A fresh copy (safe to change) of a budget sheet: labels, unit, header, rows."""
    top = [list(r) for r in TOP]
    return [*top, [f"单位：{unit}"], list(BUDGET_HEADER), *[list(r) for r in rows]]


def ledger_sheet(unit: str = "元", rows: Rows = LEDGER_ROWS) -> list[list[Any]]:
    top = [list(r) for r in TOP]
    return [*top, [f"单位：{unit}"], list(LEDGER_HEADER), *[list(r) for r in rows]]


def xlsx(path: Path, *sheets: tuple[str, Rows], merged: Iterable[tuple[str, str]] = ()) -> Path:
    """Write sheets of plain values (row 1 first); ``merged``: (sheet, "A1:B2") ranges."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    for name, area in merged:
        book[name].merge_cells(area)
    book.save(path)
    return path


def csv_file(path: Path, rows: Rows, encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def store_small_year(text: str) -> None:
    store_dataset(parse_dataset(text.encode("utf-8")), replace=True)


def stored_text(department: str = "test-dept", year: int = 2024) -> str:
    """The whole stored year as dataset text, for before/after comparisons ("" if none)."""
    try:
        return dump_dataset(export_dataset(department, year))
    except NotFound:
        return ""


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (m.Department, m.FiscalYear, m.Project, m.BudgetLine, m.BudgetAdjustment,
                      m.Payment, m.MonitoringSnapshot)
    }  # fmt: skip
