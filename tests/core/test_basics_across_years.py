"""上年数 against last year's 本年数 (core.year_over_year.check_against_previous_year)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.year_over_year import Column, Figure, Row, check_against_previous_year


def _row(label: str, column: Column, value: Decimal | None, *, published: bool = True) -> Row:
    places = None if value is None else max(0, -int(value.as_tuple().exponent))
    return Row(label, "万元", {column: Figure(value, places, published=published)})


amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)


@given(amounts)
def test_the_same_figure_in_both_years_agrees(value: Decimal) -> None:
    this = [_row("支出合计", Column.last_year, value)]
    before = [_row("支出 合计", Column.this_year, value)]
    assert check_against_previous_year(this, before, 2024) == ()


@given(st.integers(min_value=100, max_value=10**9), st.data())
def test_two_digits_swapped_are_found_and_named(number: int, data: st.DataObject) -> None:
    digits = str(number)
    k = data.draw(st.integers(min_value=0, max_value=len(digits) - 2))
    swapped = digits[:k] + digits[k + 1] + digits[k] + digits[k + 2 :]
    if swapped == digits or swapped[0] == "0":
        return
    this = [_row("收入合计", Column.last_year, Decimal(swapped).scaleb(-2))]
    before = [_row("收入合计", Column.this_year, Decimal(digits).scaleb(-2))]
    (finding,) = check_against_previous_year(this, before, 2024)
    assert finding.id == "last-year-differs"
    assert "两位数字颠倒" in finding.message
    assert "2023年度" in finding.message


def test_figures_printed_at_different_precision_agree_at_the_coarser() -> None:
    this = [_row("收入合计", Column.last_year, Decimal("1235"))]
    before = [_row("收入合计", Column.this_year, Decimal("1234.56"))]
    assert check_against_previous_year(this, before, 2024) == ()


def test_an_unpublished_figure_or_another_unit_is_not_compared() -> None:
    this = [_row("收入合计", Column.last_year, None, published=False)]
    before = [_row("收入合计", Column.this_year, Decimal("1"))]
    assert check_against_previous_year(this, before, 2024) == ()
    people = [Row("收入合计", "人", {Column.last_year: Figure(Decimal("2"), 0)})]
    assert check_against_previous_year(people, before, 2024) == ()
