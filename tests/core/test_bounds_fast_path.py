"""A number within bounds is recognised without stripping its trailing zeros; the answer
is the same as the full check's, for every kind of number."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.bounds import (
    AMOUNT,
    FIGURE,
    MOST_DIGITS,
    PERCENT,
    WEIGHT,
    NumberBound,
    decimal_places,
    significant_digits,
)

BOUNDS = st.sampled_from([AMOUNT, FIGURE, PERCENT, WEIGHT])
NUMBERS = st.builds(
    lambda digits, exponent, negative: Decimal((int(negative), tuple(digits), exponent)),
    st.lists(st.integers(0, 9), min_size=1, max_size=20),
    st.integers(-10, 6),
    st.booleans(),
)


def _within(bound: NumberBound, value: Decimal) -> bool:
    return (
        (bound.negative or value >= 0)
        and value.copy_abs() <= bound.most
        and decimal_places(value) <= bound.places
        and significant_digits(value) <= MOST_DIGITS
    )


@given(BOUNDS, NUMBERS)
def test_it_accepts_exactly_the_numbers_the_full_check_accepts(
    bound: NumberBound, value: Decimal
) -> None:
    assert (bound.problem(value) is None) == _within(bound, value)


def test_it_accepts_trailing_zeros_past_the_decimals_kept() -> None:
    assert AMOUNT.problem(Decimal("12.5000")) is None
    assert AMOUNT.problem(Decimal("12.501")) is not None
    assert FIGURE.problem(Decimal("1E+3")) is None
