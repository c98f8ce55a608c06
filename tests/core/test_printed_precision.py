"""Printed precision and indicator direction: pure properties of the core."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.direction import DirectionVocabulary, has_operator, inferred_target
from jixiao.core.indicator_library import Direction
from jixiao.core.money import round_half_up
from jixiao.core.printed_precision import (
    Printed,
    comparison_places,
    consistent,
    describe_places,
    places_in_text,
    sum_consistent,
    summand,
)
from jixiao.interchange.direction_file import load_direction_vocabulary
from jixiao.interchange.excel.printed_places import Format, format_places

values = st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False)
places = st.integers(min_value=0, max_value=4)


@given(values, places)
def test_a_value_rounded_to_n_places_is_consistent_with_itself_at_n(
    value: Decimal, n: int
) -> None:
    assert consistent(value, round_half_up(value, n), n)


@given(values, places)
def test_a_printed_value_agrees_only_with_its_own_rounding(value: Decimal, n: int) -> None:
    printed = round_half_up(value, n)
    off = printed + Decimal(1).scaleb(-n)
    assert not consistent(value, off, n)


@given(values, places, places)
def test_fewer_printed_places_never_turn_a_match_into_a_mismatch(
    value: Decimal, n: int, m: int
) -> None:
    """Rounding is monotone: what agrees at n places … agrees at its own rounding to fewer."""
    low = min(n, m)
    assert consistent(value, round_half_up(value, low), low)


@given(st.lists(values, min_size=1, max_size=8), places)
def test_rounded_parts_are_consistent_with_their_rounded_total(
    parts: list[Decimal], n: int
) -> None:
    total = Printed(round_half_up(sum(parts, Decimal(0)), n), n)
    shown = [Printed(round_half_up(p, n), n) for p in parts]
    assert sum_consistent(total, shown)


@given(values, places)
def test_the_places_of_a_written_number_are_read_back(value: Decimal, n: int) -> None:
    text = f"{round_half_up(value, n):,.{n}f}"
    assert places_in_text(text) == n
    assert places_in_text(text + "%") == n


scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(st.lists(scores, min_size=1, max_size=10), st.integers(0, 2), st.integers(0, 2))
def test_scores_printed_as_their_roundings_sum_to_their_rounded_total(
    computed: list[Decimal], n: int, m: int
) -> None:
    """A form printing every score and its total rounded (to any places) is consistent; a
    total one unit off at its printed places is not."""
    terms = [summand(round_half_up(c, n), c, n, 2) for c in computed]
    known = [term for term in terms if term is not None]
    assert [term.value for term in known] == computed
    total = round_half_up(sum(computed, Decimal(0)), m)
    assert sum_consistent(Printed(total, m), known, 2)
    assert not sum_consistent(Printed(total + Decimal(1).scaleb(-m), m), known, 2)


def test_places_in_text_of_forms() -> None:
    assert places_in_text("86%") == 0
    assert places_in_text("8.62") == 2
    assert places_in_text("１２０．００万元") == 2
    assert places_in_text("≥95.5%") == 1
    assert places_in_text("无") is None


def test_comparison_places_never_exceed_the_computed_ones() -> None:
    assert comparison_places(0, 2, 2) == 0
    assert comparison_places(3, 2, 2) == 2
    assert comparison_places(None, None, 2) == 2
    assert comparison_places(4, None, 2) == 4
    assert describe_places(0) == "整数" and describe_places(2) == "2位小数"


def test_a_sum_past_the_rounding_slack_is_inconsistent() -> None:
    total = Printed(Decimal("100.00"), 2)
    assert sum_consistent(total, [Printed(Decimal("33.33"), 2), Printed(Decimal("66.66"), 2)])
    assert not sum_consistent(total, [Printed(Decimal("33.33"), 2), Printed(Decimal("66.63"), 2)])
    assert not sum_consistent(Printed(Decimal(0), 2), [Printed(Decimal("251.89"), 2)])
    exact = [Printed(Decimal("9.29"), 2), Printed(Decimal("90.70"), 2)]
    assert not sum_consistent(Printed(Decimal("100.00"), 2), exact, exact_at=2)


def test_number_formats_give_their_decimals() -> None:
    assert format_places("General") is None
    assert format_places("0") == Format(0, False)
    assert format_places("0.00") == Format(2, False)
    assert format_places("#,##0.00;[Red]-#,##0.00") == Format(2, False)
    assert format_places("0%") == Format(0, True)
    assert format_places("0.0%") == Format(1, True)
    assert format_places('0.00"分"') == Format(2, False)
    assert format_places("@") is None


VOCABULARY = DirectionVocabulary(("控制率", "投诉率", "成本"), ("完成率", "满意度"))


def test_a_lower_is_better_name_without_operator_gets_at_most() -> None:
    inferred = inferred_target("5%", "群众投诉率", VOCABULARY)
    assert inferred is not None and inferred.target == "≤5%" and inferred.word == "投诉率"
    assert "推定" in inferred.explain("产出/质量/群众投诉率", "5%")
    assert inferred_target("≥5%", "群众投诉率", VOCABULARY) is None  # the operator decides
    assert inferred_target("95%", "任务完成率", VOCABULARY) is None  # higher is the default
    assert inferred_target("效果明显", "成本控制", VOCABULARY) is None  # not a quantity


@given(st.sampled_from(["≥", "≤", ">", "<", "=", "不低于", "不超过"]), st.integers(0, 1000))
def test_a_written_operator_is_always_seen(operator: str, number: int) -> None:
    assert has_operator(f"{operator}{number}%")
    assert not has_operator(f"{number}%")


def test_the_packaged_vocabulary_names_the_control_type_rates() -> None:
    vocabulary = load_direction_vocabulary()
    for name in ("公用经费控制率", "群众投诉率", "登记差错率", "单位成本", "成本控制率"):
        found = vocabulary.infer(name)
        assert found is not None and found[0] is Direction.lower_is_better, name
    found = vocabulary.infer("任务完成率")
    assert found is not None and found[0] is Direction.higher_is_better
