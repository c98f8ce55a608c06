"""Money: Decimal built in one place, rounding half-up only when presenting."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.money import (
    AmountError,
    D,
    format_percent,
    format_thousands,
    format_wan,
    percent_places,
    ratio,
    round_half_up,
    wan_to_yuan,
    yuan_to_wan,
)

from .builders import wan

HAN = re.compile(r"[\u4e00-\u9fff]")

# Department budgets in 元 stay far below 10^15 (千万亿); the bound keeps every
# quotient within Decimal's 28 significant digits, where division is exact.
LIMIT = Decimal(10) ** 15


def amounts(places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=-LIMIT, max_value=LIMIT, places=places, allow_nan=False, allow_infinity=False
    )


amounts_in_cents = st.integers(min_value=0, max_value=2).flatmap(amounts)
amounts_in_yuan_any_precision = st.integers(min_value=0, max_value=6).flatmap(amounts)


# D(): one way in


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, Decimal("0")),
        (77261, Decimal("77261")),
        (-5, Decimal("-5")),
        (Decimal("3734.82"), Decimal("3734.82")),
        ("77261.67", Decimal("77261.67")),
        ("  32.58 ", Decimal("32.58")),
        ("-0.01", Decimal("-0.01")),
        ("+2578.28", Decimal("2578.28")),
        (".5", Decimal("0.5")),
        ("0.00", Decimal("0.00")),
    ],
)
def test_it_builds_a_decimal_from_an_int_a_decimal_or_a_numeric_text(value, expected):
    assert D(value) == expected
    assert isinstance(D(value), Decimal)


def test_it_keeps_the_places_a_text_is_written_with():
    assert str(D("0.00")) == "0.00"
    assert str(D("97.50")) == "97.50"


def test_it_returns_a_decimal_it_is_given_unchanged():
    amount = Decimal("71968.65")
    assert D(amount) is amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("103,118.19", Decimal("103118.19")),
        ("77,261.67", Decimal("77261.67")),
        ("1,000", Decimal("1000")),
        ("-1,234,567.891", Decimal("-1234567.891")),
    ],
)
def test_it_reads_thousands_separated_text(text, expected):
    assert D(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１０３，１１８．１９", Decimal("103118.19")),
        ("７７２６１．６７", Decimal("77261.67")),
        ("－０．０１", Decimal("-0.01")),
        ("３２.58", Decimal("32.58")),
    ],
)
def test_it_reads_full_width_digits_and_punctuation(text, expected):
    assert D(text) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "7,26x",
        "1,2345.6",
        "12,34",
        ",123",
        "1,234,",
        "1..2",
        ".",
        "-",
        "1e5",
        "NaN",
        "Infinity",
        "七万",
        "77261.67万元",
        "74.93%",
    ],
)
def test_it_refuses_junk_text_with_a_chinese_message_naming_it(junk):
    with pytest.raises(AmountError) as caught:
        D(junk)
    message = str(caught.value)
    assert HAN.search(message)
    assert f"“{junk}”" in message


def test_it_refuses_a_float_and_says_to_write_text_or_an_integer():
    with pytest.raises(AmountError) as caught:
        D(2.675)  # type: ignore[arg-type]
    message = str(caught.value)
    assert HAN.search(message)
    assert "浮点数" in message


@pytest.mark.parametrize("flag", [True, False])
def test_it_refuses_a_bool_although_bool_is_an_int(flag):
    with pytest.raises(AmountError) as caught:
        D(flag)
    assert HAN.search(str(caught.value))


@pytest.mark.parametrize("special", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_it_refuses_a_decimal_that_is_not_finite(special):
    with pytest.raises(AmountError) as caught:
        D(Decimal(special))
    assert HAN.search(str(caught.value))


def test_it_refuses_values_of_other_types():
    with pytest.raises(AmountError):
        D(None)  # type: ignore[arg-type]
    with pytest.raises(AmountError):
        D([1])  # type: ignore[arg-type]


def test_an_amount_error_is_a_value_error():
    assert issubclass(AmountError, ValueError)


# Rounding: half-up, at presentation


def test_it_rounds_half_up_at_presentation():
    assert round_half_up(Decimal("0.005")) == Decimal("0.01")
    assert round_half_up(Decimal("0.004")) == Decimal("0.00")
    assert round_half_up(Decimal("-0.005")) == Decimal("-0.01")


def test_it_rounds_two_point_six_seven_five_up_where_float_round_goes_down():
    assert round(2.675, 2) == 2.67  # the binary float is 2.67499999…
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")


def test_it_rounds_a_half_away_from_zero_unlike_bankers_rounding():
    assert round(Decimal("0.125"), 2) == Decimal("0.12")  # Python's default: half-even
    assert round_half_up(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("74.925355"), 2, Decimal("74.93")),
        (Decimal("97.509081"), 1, Decimal("97.5")),
        (Decimal("86.185260"), 2, Decimal("86.19")),
        (Decimal("92.5"), 0, Decimal("93")),
        (Decimal("3"), 2, Decimal("3.00")),
    ],
)
def test_it_rounds_to_the_places_asked_for(value, places, expected):
    rounded = round_half_up(value, places)
    assert rounded == expected
    assert rounded.as_tuple().exponent == -places


@given(amounts_in_yuan_any_precision, st.integers(min_value=0, max_value=4))
def test_rounding_never_moves_a_value_by_more_than_half_a_unit_of_the_last_place(value, places):
    half_unit = Decimal(5).scaleb(-places - 1)
    assert abs(round_half_up(value, places) - value) <= half_unit


# 元 ↔ 万元


def test_it_converts_yuan_to_wan_and_back_without_rounding():
    assert yuan_to_wan(Decimal("1031181900")) == Decimal("103118.19")
    assert yuan_to_wan(Decimal("1")) == Decimal("0.0001")
    assert wan_to_yuan(Decimal("77261.67")) == Decimal("772616700")
    assert wan("0.01") == Decimal("100")


@given(amounts_in_cents)
def test_yuan_to_wan_and_back_is_exact_for_any_amount_in_cents(yuan):
    assert wan_to_yuan(yuan_to_wan(yuan)) == yuan


# Formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("103118.19"), "103,118.19"),
        (Decimal("103118.185"), "103,118.19"),
        (Decimal("103118.184999"), "103,118.18"),
        (Decimal("0"), "0.00"),
        (Decimal("32.58"), "32.58"),
        (Decimal("999.995"), "1,000.00"),
        (Decimal("1234567.8"), "1,234,567.80"),
        (Decimal("-1234.565"), "-1,234.57"),
    ],
)
def test_it_formats_thousands_separated_with_two_decimals(value, expected):
    assert format_thousands(value) == expected


@pytest.mark.parametrize("tiny", [Decimal("-0.001"), Decimal("-0.004999"), Decimal("-0.00")])
def test_it_prints_zero_never_minus_zero(tiny):
    assert format_thousands(tiny) == "0.00"


def test_it_formats_with_the_places_asked_for():
    assert format_thousands(Decimal("97.509"), 1) == "97.5"
    assert format_thousands(Decimal("1234.5"), 0) == "1,235"
    assert format_thousands(Decimal("-0.4"), 0) == "0"


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (Decimal("1031181900"), "103,118.19"),
        (Decimal("772616700"), "77,261.67"),
        (Decimal("0"), "0.00"),
        (Decimal("325800"), "32.58"),
        (Decimal("50"), "0.01"),
        (Decimal("49.99"), "0.00"),
        (Decimal("-49"), "0.00"),
    ],
)
def test_it_formats_yuan_as_wan(yuan, expected):
    assert format_wan(yuan) == expected


@given(amounts_in_yuan_any_precision)
def test_format_wan_reads_back_as_the_half_up_rounded_wan(yuan):
    assert D(format_wan(yuan)) == round_half_up(yuan_to_wan(yuan), 2)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (Decimal("772616700") / Decimal("1031181900"), "74.93%"),
        (Decimal("0.7493"), "74.93%"),
        (Decimal("1"), "100.00%"),
        (Decimal("0"), "0.00%"),
        (Decimal("0.00005"), "0.01%"),
        (Decimal("12.5"), "1,250.00%"),
    ],
)
def test_it_formats_a_rate_as_a_percentage_with_two_decimals(rate, expected):
    assert format_percent(rate) == expected


def test_it_formats_a_rate_with_the_places_asked_for():
    assert format_percent(Decimal("394.59") / Decimal("404.67"), 1) == "97.5%"


def test_it_prints_a_dash_for_an_undefined_rate():
    assert format_percent(None) == "—"


@pytest.mark.parametrize(
    ("stated", "places"),
    [
        ("97.5", 1),
        ("86.19", 2),
        ("93", 0),
        ("74.93%", 2),
        ("97.5％", 1),
        (" 86.19 ", 2),
        ("100.000", 3),
    ],
)
def test_it_counts_the_decimals_a_stated_number_carries(stated, places):
    assert percent_places(stated) == places


# Ratios


def test_a_ratio_is_unrounded():
    assert ratio(Decimal("1"), Decimal("3")) == Decimal(1) / Decimal(3)


def test_a_ratio_of_a_zero_whole_is_undefined():
    assert ratio(Decimal("5"), Decimal("0")) is None
    assert ratio(Decimal("0"), Decimal("0.00")) is None


def test_a_ratio_of_a_zero_part_is_zero_not_undefined():
    assert ratio(Decimal("0"), Decimal("5")) == Decimal("0")


@given(amounts_in_yuan_any_precision, amounts_in_yuan_any_precision)
def test_a_ratio_is_none_only_when_the_whole_is_zero(part, whole):
    assert (ratio(part, whole) is None) == (whole == 0)


def test_rounding_does_not_fail_on_a_figure_wider_than_28_digits():
    huge = Decimal("1" * 40 + ".125")
    assert round_half_up(huge) == Decimal("1" * 40 + ".13")
