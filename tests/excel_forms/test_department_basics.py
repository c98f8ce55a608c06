"""A 部门整体 基础信息表 over two years (上年数 / 本年数 / 增减额 / 增减率), built the way units
fill it, reviewed by ``jixiao review``: the change against the two columns (a digit transposed
between the years is caught), 其中 rows footed in each column, and "未公布" kept unpublished."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jixiao.core.year_over_year import Column, Figure, Row, check_two_years, show
from jixiao.interchange.excel.review import review_lines, review_workbook

SHEET = "基础信息表"
HEADER = ["项目", "上年数", "本年数", "增减额", "增减率"]
# 万元; rates as the cell holds them (fractions, shown "0.00%").
ROWS: list[list[Any]] = [
    ["一、收入合计", 1234.56, 1358.02, 123.46, 0.1],
    ["其中：财政拨款收入", 1000, 1100, 100, 0.1],
    ["其他收入", 234.56, 258.02, 23.46, 0.1],
    ["二、支出合计", 1200, 1320, 120, 0.1],
    ["其中：基本支出", 400, 420, 20, 0.05],
    ["项目支出", 800, 900, 100, 0.125],
    ["三、“三公经费”", "未公布", 12.6, None, None],
    ["四、编制数（人）", 45, 45, 0, 0],
]


def basics_form(
    path: Path,
    rows: list[list[Any]] | None = None,
    *,
    header: list[str] | None = None,
    note: str | None = None,
) -> Path:
    """A 基础信息表 as a unit fills it: title, 单位：万元, header, rows, and a note."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["部门整体支出绩效评价基础信息表"])
    sheet.append(["部门名称：测试区测试局", None, None, "单位：万元"])
    sheet.append(header or HEADER)
    for row in ROWS if rows is None else rows:
        sheet.append(row)
    if note:
        sheet.append([note])
    for line in sheet.iter_rows(min_row=4, max_row=3 + len(ROWS if rows is None else rows)):
        for cell in line[1:4]:
            cell.number_format = "#,##0.00"
        line[4].number_format = "0.00%"
    book.save(path)
    return path


def found(path: Path) -> list[tuple[str, str]]:
    (sheet,) = review_workbook(path).sheets
    return [(f.id, f.where) for f in sheet.findings]


def messages(path: Path) -> list[str]:
    (sheet,) = review_workbook(path).sheets
    return [f.message for f in sheet.findings]


def changed(row: int, col: int, value: Any) -> list[list[Any]]:
    rows = [list(r) for r in ROWS]
    rows[row][col] = value
    return rows


def test_a_correct_table_gives_no_finding_and_says_what_it_reviewed(tmp_path: Path) -> None:
    path = basics_form(tmp_path / "ok.xlsx")
    (sheet,) = review_workbook(path).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]
    lines = review_lines(review_workbook(path))
    assert (
        "【基础信息表】部门整体支出绩效评价基础信息表：部门整体支出绩效评价基础信息表；"
        "读取8行上年数、本年数及增减；未发现问题"
    ) in lines


def test_a_digit_transposed_between_the_years_is_caught(tmp_path: Path) -> None:
    """其他收入 上年 234.56 typed as 243.56: its 增减额 and 增减率 no longer follow from the
    columns, and 收入合计's 上年数 no longer foots."""
    path = basics_form(tmp_path / "swap.xlsx", changed(2, 1, 243.56))
    assert found(path) == [
        ("change-not-difference", f"{SHEET}!D6"),
        ("change-rate-wrong", f"{SHEET}!E6"),
        ("total-not-sum-of-parts", f"{SHEET}!B4"),
    ]
    text = messages(path)
    assert text[0] == (
        "“其他收入”增减额填报23.46万元，本年数258.02万元−上年数243.56万元为14.46万元"
        "（已计入各数四舍五入的尾差）；差额是末位的9的倍数，可能是两位数字颠倒，请核对两年的数字。"
    )
    assert "增减率填报10.00%" in text[1] and "为5.94%" in text[1]
    assert "其中各行合计1,243.56万元" in text[2]


def test_a_change_within_the_rounding_of_the_printed_figures_passes(tmp_path: Path) -> None:
    rows = changed(0, 4, 0.1)  # 123.46 ÷ 1,234.56 = 10.0003 %: "10.00%"
    rows[3] = ["二、支出合计", 1200, 1320, 120, 0.1]
    assert found(basics_form(tmp_path / "ok.xlsx", rows)) == []
    whole = changed(4, 4, "5%")  # printed as a whole percent
    assert found(basics_form(tmp_path / "whole.xlsx", whole)) == []


def test_an_unpublished_figure_stays_unpublished_and_what_needs_it_is_unverifiable(
    tmp_path: Path,
) -> None:
    rows = changed(6, 3, 12.6)  # a 增减额 beside an unpublished 上年数
    path = basics_form(tmp_path / "unpublished.xlsx", rows)
    assert found(path) == [("change-unverifiable", f"{SHEET}!D10")]
    (message,) = messages(path)
    assert message == "“三、“三公经费””的上年数未公布，增减额12.60万元无从核实。"
    assert "0.00" not in message


def test_a_blank_is_unpublished_only_where_the_form_says_so(tmp_path: Path) -> None:
    rows = changed(6, 1, None)
    rows[6][3] = 12.6
    assert found(basics_form(tmp_path / "blank.xlsx", rows)) == []  # not filled: nothing to check
    declared = basics_form(tmp_path / "declared.xlsx", rows, note="注：空白表示未公布。")
    assert found(declared) == [("change-unverifiable", f"{SHEET}!D10")]


def test_a_total_over_an_unpublished_part_cannot_be_footed(tmp_path: Path) -> None:
    path = basics_form(tmp_path / "part.xlsx", changed(4, 1, "未公布"))
    ids = found(path)
    assert ("total-unverifiable", f"{SHEET}!B7") in ids
    assert ("change-unverifiable", f"{SHEET}!D8") in ids
    assert not any(check == "total-not-sum-of-parts" for check, _ in ids)


def test_year_columns_and_a_zero_last_year(tmp_path: Path) -> None:
    rows = [["一、收入合计", 0, 100, 100, 1]]
    path = basics_form(
        tmp_path / "years.xlsx", rows, header=["项目", "2022年", "2023年", "增减额", "增减率"]
    )
    assert found(path) == [("change-rate-undefined", f"{SHEET}!E4")]


def test_a_workbook_with_only_a_basics_table_is_reviewed(tmp_path: Path) -> None:
    result = review_workbook(basics_form(tmp_path / "only.xlsx"))
    assert [s.sheet for s in result.sheets] == [SHEET]


# --- the pure checks -------------------------------------------------------------------


def test_an_unpublished_figure_is_shown_as_unpublished_never_as_zero() -> None:
    assert show(Figure(None, published=False), "万元") == "未公布"
    assert show(Figure(Decimal("0"), 2), "万元") == "0.00万元"


@settings(deadline=None)  # behaviour, not timing
@given(
    last=st.integers(min_value=1, max_value=10**9),
    this=st.integers(min_value=0, max_value=10**9),
)
def test_a_change_printed_from_the_columns_always_passes(last: int, this: int) -> None:
    """Any two amounts to the 分, with 增减额 and 增减率 printed from them, give no finding."""
    last_wan, this_wan = Decimal(last).scaleb(-2), Decimal(this).scaleb(-2)
    change = this_wan - last_wan
    rate = (change / last_wan * 100).quantize(Decimal("0.01"))
    row = Row("收入合计", "万元", {
        Column.last_year: Figure(last_wan, 2),
        Column.this_year: Figure(this_wan, 2),
        Column.change: Figure(change, 2),
        Column.change_rate: Figure(rate, 2),
    })  # fmt: skip
    assert check_two_years([row]) == ()


@settings(deadline=None)  # behaviour, not timing
@given(
    last=st.integers(min_value=10, max_value=10**8),
    swap=st.integers(min_value=1, max_value=8),
)
def test_a_shifted_last_year_is_always_caught_by_the_printed_change(last: int, swap: int) -> None:
    """增减额 printed from the true columns; 上年数 then typed 9 × k units of the last place
    off (what swapping two adjacent digits does): always found, with the hint."""
    true_last = Decimal(last).scaleb(-2)
    this = true_last + Decimal(5)
    typed = true_last + Decimal(9 * swap).scaleb(-2)
    row = Row("收入合计", "万元", {
        Column.last_year: Figure(typed, 2),
        Column.this_year: Figure(this, 2),
        Column.change: Figure(Decimal(5), 2),
    })  # fmt: skip
    (finding,) = check_two_years([row])
    assert finding.id == "change-not-difference" and "两位数字颠倒" in finding.message


def test_an_unreadable_figure_is_reported_and_what_needs_it_is_not_computed_without_it(
    tmp_path: Path,
) -> None:
    path = basics_form(tmp_path / "unread.xlsx", changed(4, 1, "约400"))
    ids = found(path)
    assert ids[0] == ("cell-unreadable", f"{SHEET}!B8")
    assert ("total-unverifiable", f"{SHEET}!B7") in ids
    assert ("change-unverifiable", f"{SHEET}!D8") in ids
    assert not any(check == "total-not-sum-of-parts" for check, _ in ids)
    assert any("“基本支出”无法读取" in text for text in messages(path))
