"""How a rate becomes points: proportional, tiers, lower-is-better and target bands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.department_framework import (
    CommonIndicatorResult,
    LowerIsBetterLinear,
    Proportional,
    TargetBand,
    Tier,
    Tiers,
    score_rate,
)
from jixiao.core.money import D
from tests.core.builders import line, lines_year
from tests.department.forms import COMPLETE_FORM, form

ADJUSTMENT_TIERS = Tiers(
    (Tier(D("0"), D("1")), Tier(D("0.1"), D("0.75")), Tier(D("0.2"), D("0.5")),
     Tier(D("0.3"), D("0.25"))),
)


def pct(text: str) -> Decimal:
    return D(text.rstrip("%")) / 100


def adjustment_row(adjusted_wan: str) -> CommonIndicatorResult:
    """The 预算调整率 row of the complete form, with adjustments of the given size (万元)."""
    filled = form(COMPLETE_FORM.replace(
        "预算调整数（剔除政策性调整）: 0", f"预算调整数（剔除政策性调整）: {adjusted_wan}"
    ))
    evaluation = filled.evaluate()
    return next(row for row in evaluation.common if row.indicator.level3 == "预算调整率")


@pytest.mark.parametrize(
    ("adjusted", "rate", "score"),
    [
        ("0", "0", "5"),
        ("100", "10", "3.75"),
        ("100.1", "10.01", "2.5"),
        ("200", "20", "2.5"),
        ("300", "30", "1.25"),
        ("300.1", "30.01", "0"),
    ],
)
def test_the_budget_adjustment_tiers_hold_at_their_boundaries(
    adjusted: str, rate: str, score: str
) -> None:
    row = adjustment_row(adjusted)  # 年初预算数 1,000 万元, 预算调整率 5 points
    assert row.value_percent == Decimal(rate)
    assert row.score == Decimal(score)


def test_the_tier_rule_reads_as_a_sentence() -> None:
    assert adjustment_row("0").rule == (
        "预算调整率 = 0.00万元÷1,000.00万元 = 0.00%；0.00%不高于0%，得满分5"
    )
    assert adjustment_row("100.1").rule.endswith(
        "10.01%高于10%、不高于20%，得分值的50%：5×50% = 2.5"
    )
    assert adjustment_row("300.1").rule.endswith("30.01%高于30%，得0分")


def test_budget_adjustment_tiers_count_the_lines_adjustments_too() -> None:
    year = lines_year(line("A", "1,100.1", initial="1,000", adjustments=("100.1",)))
    filled = form(COMPLETE_FORM, year=year)
    row = next(r for r in filled.evaluate().common if r.indicator.level3 == "预算调整率")
    assert (row.value_percent, row.score) == (Decimal("10.01"), Decimal("2.5"))


def test_tiers_compare_the_rate_as_printed() -> None:
    assert score_rate(pct("10.00%"), D(8), ADJUSTMENT_TIERS)[0] == Decimal(6)
    assert score_rate(pct("10.01%"), D(8), ADJUSTMENT_TIERS)[0] == Decimal(4)


@pytest.mark.parametrize(
    ("rate", "score"),
    [("100%", "10"), ("105%", "10"), ("74.93%", "7.49"), ("0%", "0"), ("-5%", "0")],
)
def test_proportional_scoring_is_rate_over_target_capped_at_the_weight(
    rate: str, score: str
) -> None:
    assert score_rate(pct(rate), D(10), Proportional(D(1)))[0] == Decimal(score)


def test_proportional_scoring_explains_itself() -> None:
    assert score_rate(pct("74.93%"), D(10), Proportional(D(1)))[1] == (
        "低于目标值100%，按比例计分：74.93%÷100%×10 = 7.49"
    )
    assert score_rate(pct("100%"), D(10), Proportional(D(1)))[1] == "达到目标值100%，得满分10"


@pytest.mark.parametrize(
    ("rate", "score"),
    [("100%", "3"), ("95.56%", "3"), ("105%", "1.5"), ("110%", "0"), ("120%", "0")],
)
def test_staffing_control_above_100_percent_falls_linearly_to_zero_at_110(
    rate: str, score: str
) -> None:
    rule = LowerIsBetterLinear(full_at_most=D(1), zero_at=pct("110%"))
    assert score_rate(pct(rate), D(3), rule)[0] == Decimal(score)


def test_lower_is_better_scoring_explains_itself() -> None:
    rule = LowerIsBetterLinear(full_at_most=D(0), zero_at=pct("10%"))
    assert score_rate(pct("4%"), D(3), rule)[1] == (
        "4.00%高于0%，按线性扣减（10%时为0）：3×(10%−4.00%)÷(10%−0%) = 1.8"
    )


@pytest.mark.parametrize(
    ("rate", "score"),
    [("60%", "4"), ("100%", "4"), ("100.01%", "4"), ("105%", "2"), ("110%", "0")],
)
def test_a_control_rate_within_its_band_earns_full_points(rate: str, score: str) -> None:
    band = TargetBand(high=D(1), zero_above=pct("110%"))
    assert score_rate(pct(rate), D(4), band)[0] == Decimal(score)


def test_a_band_with_a_lower_bound_scores_in_proportion_below_it() -> None:
    band = TargetBand(low=pct("90%"), high=D(1), zero_above=pct("110%"))
    assert score_rate(pct("45%"), D(4), band)[0] == Decimal(2)
    assert score_rate(pct("95%"), D(4), band)[1] == "95.00%在目标区间90%～100%内，得满分4"


def test_a_band_without_a_slope_above_gives_nothing_outside_it() -> None:
    band = TargetBand(high=D(1))
    assert score_rate(pct("100.01%"), D(4), band) == (Decimal(0), "100.01%高于目标区间≤100%，得0分")
