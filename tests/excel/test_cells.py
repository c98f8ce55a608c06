"""Reading one cell: amounts exact to the 分, percentages by declared meaning, dates, codes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.vocabulary import AmountUnit, BasicKind, FundingSource, Nature
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.cells import CellError, PercentMeaning
from jixiao.interchange.excel.workbook import cell_ref, column_letter

YUAN, WAN = AmountUnit.yuan, AmountUnit.wan


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234.5, "1234.50"),
        ("1,234.50", "1234.50"),
        ("１２３，４５６．７８", "123456.78"),
        ("(1,234.00)", "-1234.00"),
        ("（1,234.00）", "-1234.00"),
        ("-1,234", "-1234.00"),
        (" 300 ", "300.00"),
        ("¥1,200.00", "1200.00"),
        (0.1 + 0.2, "0.30"),
        (12.100000000000001, "12.10"),
        (5, "5.00"),
    ],
)
def test_it_reads_an_amount_in_yuan_exactly(raw: object, expected: str) -> None:
    assert cells.amount(raw, YUAN) == Decimal(expected)  # type: ignore[arg-type]


def _as_shown(value: float) -> Decimal | None:
    """A float amount read from the figure Excel shows (15 significant digits), or None
    when that figure is finer than a 分."""
    if value.is_integer():
        return Decimal(int(value)).quantize(Decimal("0.01"))  # -0.0 too: 0.00
    shortest = repr(value)
    shown = Decimal(shortest if len(shortest) <= 15 else format(value, ".15g"))
    exact = shown.quantize(Decimal("0.01"))
    return exact if exact == shown else None


@given(
    st.one_of(
        st.floats(-1e13, 1e13, exclude_min=True, exclude_max=True),
        st.integers(-(10**15) + 1, 10**15 - 1).map(lambda cents: cents / 100),
        st.integers(-(10**6), 10**6).map(lambda cents: cents / 100 + 1e-9),
    )
)
def test_a_float_amount_reads_as_the_figure_excel_shows(value: float) -> None:
    expected = _as_shown(value)
    if expected is None:
        with pytest.raises(CellError):
            cells.amount(value, YUAN)
    else:
        found = cells.amount(value, YUAN)
        assert found is not None and str(found) == str(expected)  # the value and its 分


def test_it_converts_wan_to_yuan_exactly() -> None:
    assert cells.amount(12.345678, WAN) == Decimal("123456.78")
    assert cells.amount("103,118.19", WAN) == Decimal("1031181900.00")


def test_a_cell_may_state_its_own_unit() -> None:
    assert cells.amount("3.5万元", YUAN) == Decimal("35000.00")
    assert cells.amount("1,200元", WAN) == Decimal("1200.00")


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "—", "/"])
def test_a_dash_or_blank_is_an_empty_amount(raw: object) -> None:
    assert cells.amount(raw, YUAN) is None  # type: ignore[arg-type]


def test_it_refuses_an_amount_finer_than_a_fen() -> None:
    with pytest.raises(CellError, match=r"“12.3456789”元超过分位精度"):
        cells.amount(12.3456789, YUAN)
    with pytest.raises(CellError, match="以万元计最多六位小数"):
        cells.amount("1.2345678", WAN)


@pytest.mark.parametrize("raw", ["7,26x", "1.234,56", "12,34", "(-5)", "五百"])
def test_it_names_a_malformed_amount(raw: str) -> None:
    with pytest.raises(CellError, match=re.escape(f"“{raw}”不是有效的金额")):
        cells.amount(raw, YUAN)


def test_an_amount_needs_a_declared_unit() -> None:
    with pytest.raises(CellError, match="没有声明金额单位"):
        cells.amount(5.0, None)


def test_a_date_or_a_truth_value_is_not_an_amount() -> None:
    with pytest.raises(CellError, match="日期"):
        cells.amount(dt.date(2024, 1, 1), YUAN)
    with pytest.raises(CellError, match="逻辑值"):
        cells.amount(True, YUAN)


@pytest.mark.parametrize(
    ("raw", "meaning", "points"),
    [
        ("95%", PercentMeaning.fraction, "95"),
        ("９５．５％", PercentMeaning.points, "95.5"),
        (0.95, PercentMeaning.fraction, "95"),
        (95, PercentMeaning.points, "95"),
        ("95", PercentMeaning.points, "95"),
        ("0.955", PercentMeaning.fraction, "95.5"),
    ],
)
def test_it_reads_a_percentage_by_the_columns_meaning(
    raw: object, meaning: PercentMeaning, points: str
) -> None:
    assert cells.percent(raw, meaning) == Decimal(points)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2023, 7, 31),
        dt.datetime(2023, 7, 31, 14, 5),
        "2023-07-31",
        "2023/7/31",
        "2023.7.31",
        "2023年7月31日",
        "２０２３年７月３１日",
        "20230731",
        20230731.0,
        45138.0,
        "2023-07-31 00:00:00",
    ],
)
def test_it_reads_a_date_written_any_usual_way(raw: object) -> None:
    assert cells.date_value(raw) == dt.date(2023, 7, 31)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["2023-02-30", "31/07/2023", "明天", 12.5, 3.0])
def test_it_names_a_bad_date(raw: object) -> None:
    with pytest.raises(CellError, match="日期"):
        cells.date_value(raw)  # type: ignore[arg-type]


def test_it_reads_codes_typed_as_numbers_as_text() -> None:
    assert cells.code(101.0) == "101"
    assert cells.code("Ｌ０１ ") == "L01"
    assert cells.code("001") == "001"
    with pytest.raises(CellError, match="超过15位"):
        cells.code(1.2345678901234567e17)


def test_free_text_is_kept_as_written_but_stripped() -> None:
    assert cells.text("  购买打印纸５箱\u3000") == "购买打印纸５箱"
    assert cells.text("a\tb") == "a\tb"
    assert cells.normalised("＞＝95％") == ">=95%"
    assert cells.text(101.0) == "101"


@pytest.mark.parametrize(
    ("raw", "member"),
    [
        ("一般公共预算财政拨款", FundingSource.general_public_budget),
        ("一般公共预算", FundingSource.general_public_budget),
        ("general_public_budget", FundingSource.general_public_budget),
        (" 政府性基金 ", FundingSource.government_fund_budget),
        ("其他资金", FundingSource.other_funds),
    ],
)
def test_it_reads_a_funding_source_by_label_or_code(raw: str, member: FundingSource) -> None:
    assert cells.FUNDING_SOURCES.read(raw) is member


def test_it_lists_the_choices_for_an_unknown_label() -> None:
    with pytest.raises(CellError, match="“专项债券”不是可选的资金来源，可选：一般公共预算财政拨款"):
        cells.FUNDING_SOURCES.read("专项债券")
    assert cells.NATURES.read("项目") is Nature.project
    assert cells.BASIC_KINDS.read("公用经费") is BasicKind.operations


@pytest.mark.parametrize(("raw", "flag"), [("是", True), ("否", False), (True, True), ("N", False),
                                           (1.0, True), (None, None)])  # fmt: skip
def test_it_reads_yes_or_no(raw: object, flag: bool | None) -> None:
    assert cells.yes_no(raw) is flag  # type: ignore[arg-type]


def test_it_reads_a_year() -> None:
    assert cells.integer("2023年度") == 2023
    assert cells.integer(2023.0) == 2023
    with pytest.raises(CellError):
        cells.integer(2023.5)


def test_it_names_cells_in_a1_form() -> None:
    assert cell_ref(0, 0) == "A1"
    assert cell_ref(4, 2) == "C5"
    assert column_letter(26) == "AA"
    assert column_letter(701) == "ZZ"
