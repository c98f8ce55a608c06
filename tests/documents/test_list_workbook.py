"""A list as a workbook: title, header, 万元 with two decimals, 合计, text kept as text."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from jixiao.documents.list_workbook import Column, Kind, ListSheet, export_title, list_workbook


def _read(sheets: list[ListSheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(list_workbook(sheets)))


def test_it_writes_amounts_in_wan_with_a_total_of_the_exact_sums() -> None:
    columns = [Column("名称"), Column("金额（万元）", Kind.wan), Column("日期", Kind.date)]
    rows = [
        ["甲", Decimal("12345.5"), date(2024, 3, 1)],  # 1.23455 万元 → 1.23
        ["乙", Decimal("12345.5"), None],
    ]
    title = export_title("测试局", 2024, "清单", date(2024, 5, 6))
    book = _read([ListSheet("清单", title, columns, rows)])
    sheet = book["清单"]
    assert sheet["A1"].value == "测试局2024年度清单（2024年5月6日导出）"
    assert sheet["A1"].font.name == "SimSun" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == ["名称", "金额（万元）", "日期"]
    assert sheet["B3"].value == 1.23 and sheet["B3"].number_format == "#,##0.00"
    assert sheet["C3"].value.date() == date(2024, 3, 1) and sheet["C4"].value is None
    assert [c.value for c in sheet[5]][:2] == ["合计", 2.47]  # 2.4691 万元, not 1.23 + 1.23
    assert "A1:C1" in sheet.merged_cells


def test_text_that_looks_like_a_formula_stays_text() -> None:
    book = _read([ListSheet("清单", "题", [Column("问题")], [["=1+1"]])])
    cell = book["清单"]["A3"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_a_list_without_amounts_has_no_total_and_given_totals_are_written() -> None:
    plain = _read([ListSheet("清单", "题", [Column("问题")], [["甲"]])])["清单"]
    assert plain.max_row == 3
    columns = [Column("名称"), Column("预算", Kind.wan), Column("执行率", Kind.percent)]
    rows = [["甲", Decimal("10000"), Decimal("0.5")]]
    sheet = _read(
        [ListSheet("清单", "题", columns, rows, totals=[Decimal("10000"), Decimal("0.5")])]
    )["清单"]
    assert [c.value for c in sheet[4]] == ["合计", 1, 0.5]
    assert sheet["C4"].number_format == "0.00%"
