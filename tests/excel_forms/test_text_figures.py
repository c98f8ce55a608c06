"""Figures restated in free text (偏差原因, 总体目标完成情况) are compared with the table: the
pure finder and comparer (``core.text_figures``) and ``jixiao review`` on forms built the way
units fill them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.core.text_figures import TableFigure, figures_in_text, text_figure_findings
from jixiao.interchange.excel.review import review_workbook
from tests.excel_forms.test_review_as_printed import FUNDS, ROWS, SHEET, project_form

D = Decimal


def ids(text: str, figures: list[TableFigure]) -> list[str]:
    return [f.id for f in text_figure_findings(text, figures, "偏差原因")]


# --- finding figures in text ------------------------------------------------------------


def test_it_finds_amounts_and_percentages_with_their_labels() -> None:
    text = "全年执行数89.97万元，其中基本支出50.00万元、项目支出39.99万元。执行率为86.5%，共12项。"
    found = [(f.label, f.value, f.unit, f.places) for f in figures_in_text(text)]
    assert found == [
        ("全年执行数", D("89.97"), "万元", 2),
        ("其中基本支出", D("50.00"), "万元", 2),
        ("项目支出", D("39.99"), "万元", 2),
        ("执行率为", D("86.5"), "%", 1),
    ]  # "12项" is neither an amount nor a percentage


def test_amounts_in_any_unit_and_grouped_digits_are_read_in_yuan() -> None:
    (yuan, wan, yi, full_width) = figures_in_text("支出1,234,567.8元、89.97万元、1.2亿元、12％")
    assert (yuan.base, wan.base, yi.base) == (D("1234567.8"), D("899700"), D("120000000"))
    assert (full_width.unit, full_width.value) == ("%", D(12))


# --- comparing with the table -----------------------------------------------------------

RATE = TableFigure("执行率", (D("86.2"),), True, D("0.01"), "P010!G6", "86.20%")
EXECUTED = TableFigure("全年执行数", (D("899700"),), False, D(100))
BASIC = TableFigure("基本支出", (D("500000"),), False, D(100))
PROJECTS = TableFigure("项目支出", (D("399700"),), False, D(100))
TABLE = [RATE, EXECUTED, BASIC, PROJECTS]


def test_a_rate_restated_differently_is_found_and_one_at_coarser_precision_is_not() -> None:
    found = text_figure_findings("本年执行率为86.5%。", TABLE, "偏差原因", "P010!H12")
    assert [f.id for f in found] == ["text-figure-differs"]
    assert found[0].message == (
        "偏差原因写“本年执行率为86.5%”，表中执行率（P010!G6）为86.20%，两者不符（按1位小数比较）。"
    )
    assert found[0].location == "P010!H12"
    assert ids("执行率为86%", TABLE) == []  # 86.20 % printed as a whole percent
    assert ids("执行率为86.2%", TABLE) == []


def test_parts_that_do_not_add_up_to_the_total_in_the_same_sentence_are_found() -> None:
    text = "全年执行数89.97万元，其中基本支出50.00万元、项目支出39.99万元。"
    found = text_figure_findings(text, TABLE, "偏差原因")
    assert [f.id for f in found] == ["text-figure-differs", "text-parts-not-total"]
    assert "合计89.99万元，与总数不符" in found[1].message
    assert ids("全年执行数89.97万元，其中基本支出50.00万元、项目支出39.97万元。", TABLE) == []


def test_parts_without_a_total_in_the_sentence_are_footed_against_the_named_table_figure() -> None:
    text = "全年执行数中，其中基本支出50.00万元、项目支出39.99万元"
    assert "text-parts-not-total" in ids(text, [RATE, EXECUTED])


def test_changes_and_plans_are_not_restatements() -> None:
    text = "执行率较上年提高3.2%；年初计划执行率为95%；执行率目标100%；上年执行率80%。"
    assert ids(text, TABLE) == []


def test_an_amount_written_in_yuan_agrees_with_the_same_amount_in_wan() -> None:
    assert ids("基本支出500,000元", TABLE) == []
    assert ids("基本支出500,100元", TABLE) == ["text-figure-differs"]
    # the table prints to 0.01 万元 (100 元): 500,040 元 rounds to the printed 50.00 万元
    assert ids("基本支出500,040元", TABLE) == []


def test_the_longest_name_wins_and_a_figure_with_several_values_matches_any() -> None:
    part = TableFigure("本年财政拨款", (D("1000000"), D("862000")), False, D(100))
    project_rate = TableFigure("预算执行率", (D("90"),), True, D("0.01"))
    assert ids("本年财政拨款86.20万元", [part]) == []
    assert ids("本年财政拨款100.00万元", [part]) == []
    assert ids("预算执行率为90%", [RATE, project_rate]) == []


@settings(deadline=None)  # behaviour, not timing
@given(
    cents=st.integers(min_value=10, max_value=10**10),
    in_yuan=st.booleans(),
    off=st.integers(min_value=-3, max_value=3),
)
def test_an_amount_agrees_exactly_when_it_is_the_table_figure_at_its_precision(
    cents: int, in_yuan: bool, off: int
) -> None:
    """The table prints 万元 at 2 decimals; the text writes 万元 at 2 decimals or 元 at 0."""
    yuan = D(cents) * 100  # a whole number of 0.01 万元
    table = [TableFigure("全年执行数", (yuan,), False, D(100))]
    written_yuan = yuan + off * 100
    text = (
        f"全年执行数{written_yuan:,.0f}元"
        if in_yuan
        else f"全年执行数{written_yuan / 10000:,.2f}万元"
    )
    assert (ids(text, table) == []) == (off == 0)


# --- jixiao review ----------------------------------------------------------------------


def reason_rows(reason: str) -> list[list[object]]:
    rows = [list(row) for row in ROWS]
    rows[2] = [*rows[2], reason]  # 按期办结率 96 %
    return rows


def text_findings(path: Path) -> list[tuple[str, str]]:
    (sheet,) = review_workbook(path).sheets
    return [(f.id, f.where) for f in sheet.findings if f.id.startswith("text-")]


def test_review_compares_a_deviation_reason_with_the_rate_and_the_row_it_restates(
    tmp_path: Path,
) -> None:
    right = project_form(tmp_path / "ok.xlsx", rows=reason_rows(
        "执行率为86.2%，实际完成值96%，超额完成。"
    ))  # fmt: skip
    assert text_findings(right) == []
    wrong = project_form(tmp_path / "wrong.xlsx", rows=reason_rows(
        "执行率为86.5%，按期办结率97%。"
    ))  # fmt: skip
    (sheet,) = review_workbook(wrong).sheets
    found = [f for f in sheet.findings if f.id == "text-figure-differs"]
    assert [f.where for f in found] == [f"{SHEET}!H15", f"{SHEET}!H15"]
    assert "表中执行率" in found[0].message and "86.20%" in found[0].message
    assert "表中按期办结率" in found[1].message and "96%" in found[1].message


def test_review_foots_the_parts_a_completion_text_gives_under_its_total(tmp_path: Path) -> None:
    funds = [
        ["年度资金总额", None, 100, 100, 89.97, 10, 0.8997, 9],
        ["其中：本年财政拨款", None, 60, 60, 50.00],
        ["上年结转资金", None, 40, 40, 39.97],
        ["其他资金", None, None, None, None],
    ]
    path = project_form(tmp_path / "parts.xlsx", funds=funds, total=97)
    book = load_workbook(path)
    sheet = book[SHEET]
    sheet["E11"] = "全年执行89.97万元，其中本年财政拨款50.00万元，上年结转资金39.99万元。"
    book.save(path)
    found = text_findings(path)
    assert ("text-parts-not-total", f"{SHEET}!E11") in found
    assert ("text-figure-differs", f"{SHEET}!E11") in found  # 上年结转资金 39.97 in the table


def test_a_form_without_figures_in_its_text_is_unchanged(tmp_path: Path) -> None:
    assert FUNDS[0][4] == 86.2
    (sheet,) = review_workbook(project_form(tmp_path / "ok.xlsx")).sheets
    assert sheet.findings == ()
