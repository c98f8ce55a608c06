"""Reading real-world sheets: headers anywhere, merged cells, units, skipped rows, encodings."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.excel.headers import RowKind, find_header, find_labelled, read_table
from jixiao.interchange.excel.layouts import BUDGET, LEDGER, METADATA
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from tests.excel.sheets import LEDGER_HEADER, csv_file, xlsx


def test_it_finds_the_header_below_a_title_and_blank_rows(tmp_path: Path) -> None:
    rows = [["2024年度支出明细表"], [], ["编制单位：测试区测试局", None, None, "单位：元"], [],
            LEDGER_HEADER, ["L01", "2024-03-15", "记-031", 400000, "否", "差旅"]]  # fmt: skip
    sheet = read_workbook(xlsx(tmp_path / "a.xlsx", ("明细", rows))).sheets[0]
    table = read_table(sheet, LEDGER)
    assert table is not None and table.problems == []
    assert table.header.rows == (4,)
    assert table.header.declared["amount"].unit is AmountUnit.yuan
    [row] = table.rows
    assert row.index == 5
    assert row.values["amount"] == Decimal("400000.00")
    assert row.values["date"] == dt.date(2024, 3, 15)


def test_it_matches_headers_despite_spaces_breaks_brackets_and_synonyms(tmp_path: Path) -> None:
    rows = [["单位：万元"],
            ["预算行 代码", "名称", "资金来源", "支出\n性质", "年初预算数（万元）",
             "预算数（调整后）", "执行率（%）"],
            ["B01", "人员经费", "一般公共预算", "基本支出", 300, 300, 99.5]]  # fmt: skip
    sheet = read_workbook(xlsx(tmp_path / "a.xlsx", ("预算", rows))).sheets[0]
    header = find_header(sheet, BUDGET)
    assert header is not None
    assert set(header.columns) == {"code", "name", "funding_source", "nature", "initial_budget",
                                   "final_budget", "execution_rate"}  # fmt: skip
    assert header.declared["execution_rate"].percent == "points"
    table = read_table(sheet, BUDGET, header)
    assert table is not None
    assert table.rows[0].values["execution_rate"] == Decimal("99.5")


def test_a_unit_in_the_header_wins_over_the_sheets(tmp_path: Path) -> None:
    rows = [["单位：万元"], ["预算行代码", "支付日期", "金额（元）"], ["L01", "2024-01-02", 1500]]
    sheet = read_workbook(xlsx(tmp_path / "a.xlsx", ("s", rows))).sheets[0]
    table = read_table(sheet, LEDGER)
    assert table is not None
    assert table.rows[0].values["amount"] == Decimal("1500.00")


def test_it_reads_a_two_level_header(tmp_path: Path) -> None:
    rows = [["单位：万元"],
            ["预算行代码", "预算行名称", "资金来源", "支出性质", "预算数", None],
            [None, None, None, None, "年初", "全年"],
            ["B01", "人员经费", "一般公共预算", "基本支出", 300, 310]]  # fmt: skip
    merged = [("s", f"{c}2:{c}3") for c in "ABCD"] + [("s", "E2:F2")]
    sheet = read_workbook(xlsx(tmp_path / "a.xlsx", ("s", rows), merged=merged)).sheets[0]
    table = read_table(sheet, BUDGET)
    assert table is not None and table.problems == []
    assert table.rows[0].values["final_budget"] == Decimal("3100000.00")


def test_merged_cells_take_their_top_left_value(tmp_path: Path) -> None:
    rows = [["单位：元"], LEDGER_HEADER,
            ["L01", "2024-03-15", "记-031", 100, "否", "会议费"],
            [None, "2024-03-16", "记-032", 200, "否", None]]  # fmt: skip
    path = xlsx(tmp_path / "a.xlsx", ("s", rows), merged=[("s", "A3:A4"), ("s", "F3:F4")])
    table = read_table(read_workbook(path).sheets[0], LEDGER)
    assert table is not None
    assert [r.values["line"] for r in table.rows] == ["L01", "L01"]
    assert [r.values["description"] for r in table.rows] == ["会议费", "会议费"]


def test_it_skips_blank_subtotal_and_note_rows(tmp_path: Path) -> None:
    rows = [["单位：元"], ["序号", *LEDGER_HEADER],
            [1, "L01", "2024-03-15", "记-031", 100, "否", None],
            [2, None, None, None, None, None, None],
            [None, "小计", None, None, 100, None, None],
            [3, "L02 ", "2024-04-01", "记-040", 50, None, "  "],
            ["合 计", None, None, None, 150, None, None],
            ["其中：项目支出", None, None, None, 150, None, None],
            [],
            ["注：本表金额单位为元。"],
            ["填表人：张三", None, "审核人：李四"]]  # fmt: skip
    table = read_table(read_workbook(xlsx(tmp_path / "a.xlsx", ("s", rows))).sheets[0], LEDGER)
    assert table is not None and table.problems == []
    assert [r.values["line"] for r in table.rows] == ["L01", "L02"]
    assert table.skipped == {RowKind.blank: 2, RowKind.subtotal: 3, RowKind.note: 2}


def test_it_lists_every_unreadable_cell_with_its_place_and_value(tmp_path: Path) -> None:
    rows = [["单位：元"], LEDGER_HEADER,
            ["L01", "2024-13-01", "记-1", "7,26x", "也许", None],
            ["L01", "昨天", "记-2", 12.3456789, "否", None]]  # fmt: skip
    table = read_table(read_workbook(xlsx(tmp_path / "a.xlsx", ("明细", rows))).sheets[0], LEDGER)
    assert table is not None
    assert [(p.where, p.message.split("：")[0]) for p in table.problems] == [
        ("明细!B3", "支付日期"), ("明细!D3", "金额"), ("明细!E3", "退款"),
        ("明细!B4", "支付日期"), ("明细!D4", "金额"),
    ]  # fmt: skip
    assert "“7,26x”不是有效的金额" in table.problems[1].message
    assert "“12.3456789”元超过分位精度" in table.problems[4].message
    assert table.rows[0].failed == {"date", "amount", "refund"}


def test_an_amount_column_without_a_unit_is_one_problem_not_one_per_row(tmp_path: Path) -> None:
    rows = [LEDGER_HEADER, ["L01", "2024-03-15", "记-031", 100, "否", None],
            ["L01", "2024-03-16", "记-032", 100, "否", None]]  # fmt: skip
    table = read_table(read_workbook(xlsx(tmp_path / "a.xlsx", ("s", rows))).sheets[0], LEDGER)
    assert table is not None
    [problem] = table.problems
    assert problem.where == "s!D1"
    assert "金额单位不明" in problem.message


def test_it_reads_labelled_values_above_a_table(tmp_path: Path) -> None:
    rows = [["部门代码", None, "test-dept"], ["年度：2024"], ["部门名称", None]]
    sheet = read_workbook(xlsx(tmp_path / "a.xlsx", ("s", rows))).sheets[0]
    found = find_labelled(sheet, METADATA, range(3))
    assert found["department_code"].value == "test-dept"
    assert found["year"].value == "2024"
    assert "department_name" not in found


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_it_reads_csv_in_utf8_with_or_without_bom_and_in_gbk(
    tmp_path: Path, encoding: str
) -> None:
    row = ["L01", "2024/3/15", "记-031", "1,200.50", "否", "办公用品"]
    rows = [["单位：元"], LEDGER_HEADER, row]
    workbook = read_workbook(csv_file(tmp_path / "明细.csv", rows, encoding))
    assert workbook.format == "csv"
    table = read_table(workbook.sheets[0], LEDGER)
    assert table is not None and table.problems == []
    assert table.rows[0].values["amount"] == Decimal("1200.50")
    assert table.rows[0].values["description"] == "办公用品"


def test_it_refuses_csv_in_another_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("预算行代码,金额\n".encode("utf-16"))
    with pytest.raises(InputRejected, match="UTF-16"):
        read_workbook(path)
    path.write_bytes(b"\x81\x30\xff\xff,1\n")
    with pytest.raises(InputRejected, match="既不是 UTF-8 也不是 GBK"):
        read_workbook(path)


def test_it_refuses_a_web_page_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", "utf-8")
    with pytest.raises(InputRejected, match="网页"):
        read_workbook(path)


def test_it_refuses_a_file_that_is_no_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputRejected) as refused:
        read_workbook(path)
    assert refused.value.problems[0].where == "a.xlsx"
    (tmp_path / "b.docx").write_bytes(b"hello")
    with pytest.raises(InputRejected, match="不认识的文件类型"):
        read_workbook(tmp_path / "b.docx")


def test_rows_of_empty_cells_above_do_not_use_up_the_rows_scanned(tmp_path: Path) -> None:
    """Rows left blank above (another form's) are skipped whether read as [] or as a row of
    empty cells (calamine gives [None, None, …]), so the header below is still found."""
    rows = [LEDGER_HEADER, ["L01", "2024-03-15", "记-031", 400000, "否", "差旅"]]
    sheet = read_workbook(xlsx(tmp_path / "a.xlsx", ("明细", rows))).sheets[0]
    for blank in ([], [None] * len(LEDGER_HEADER), [None, " "]):
        moved = replace(sheet, rows=[list(blank) for _ in range(40)] + sheet.rows)
        header = find_header(moved, LEDGER)
        assert header is not None and header.rows == (40,)
