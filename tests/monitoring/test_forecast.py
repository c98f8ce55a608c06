"""Year-end forecasts from a spending profile, and the 调减 / 调剂 proposals they lead to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.forecast import (
    DEFAULT_PROFILE,
    AdjustmentAction,
    CumulativeProfile,
    ForecastError,
    cumulative_shares,
    forecast_project,
    forecast_projects,
    profile_from_history,
    propose_adjustments,
)

from .builders import indicator, line, run, wan

END_OF_JUNE = date(2024, 6, 30)
END_OF_JULY = date(2024, 7, 31)


def monthly(*wan_amounts: str) -> list[Decimal]:
    return [wan(a) for a in wan_amounts]


EVEN_YEAR = monthly(*["10"] * 12)
DECEMBER_YEAR = monthly(*["0"] * 11, "120")


# The default profile


def test_the_default_profile_is_back_loaded_and_says_it_is_an_assumption():
    assert [s * 100 for s in DEFAULT_PROFILE.shares] == [
        4, 9, 16, 23, 30, 38, 45, 52, 60, 68, 78, 100
    ]
    assert "假设" in DEFAULT_PROFILE.source
    assert DEFAULT_PROFILE.years == ()


def test_from_the_default_a_project_45_percent_spent_at_the_end_of_july_is_on_course():
    forecast = forecast_project("P01", wan("100"), wan("45"), END_OF_JULY)
    assert forecast.profile_share == Decimal("0.45")
    assert forecast.projected == wan("100")
    assert forecast.projected_unspent == 0


def test_from_the_default_a_slow_project_is_projected_to_leave_half_unspent():
    forecast = forecast_project("P01", wan("100"), wan("22.5"), END_OF_JULY)
    assert forecast.projected == wan("50")
    assert forecast.projected_unspent == wan("50")
    assert forecast.projected_rate == Decimal("0.5")
    assert forecast.projected_low == wan("45")  # share + 5 points = 50 %
    assert forecast.projected_high == wan("56.25")  # share − 5 points = 40 %
    # 22.5 ÷ 7/12 = 38.5714…万元, stated to 0.01 万元 like every forecast amount
    assert forecast.linear_projected == wan("38.57")
    assert forecast.demand == wan("50")


def test_within_a_month_the_share_is_interpolated_by_day():
    share = DEFAULT_PROFILE.share_at(date(2024, 7, 16))
    assert share == Decimal("0.38") + Decimal("0.07") * Decimal(16) / Decimal(31)
    assert DEFAULT_PROFILE.share_at(date(2024, 1, 31)) == Decimal("0.04")


def test_the_projection_is_capped_at_the_budget():
    forecast = forecast_project("P01", wan("100"), wan("90"), END_OF_JULY)
    assert forecast.projected == wan("100")
    assert forecast.demand == wan("200")


def test_a_project_already_over_budget_keeps_its_executed_amount():
    forecast = forecast_project("P01", wan("100"), wan("110"), END_OF_JULY)
    assert forecast.projected == wan("110")
    assert forecast.projected_unspent == wan("-10")


def test_a_project_with_nothing_spent_is_projected_to_spend_nothing():
    forecast = forecast_project("P01", wan("100"), wan("0"), END_OF_JULY)
    assert forecast.projected == forecast.projected_low == forecast.projected_high == 0
    assert forecast.projected_unspent == wan("100")


# A profile from the department's own history


def test_the_history_profile_averages_the_years_cumulative_shares():
    profile = profile_from_history({2022: DECEMBER_YEAR, 2021: EVEN_YEAR})
    assert profile.years == (2021, 2022)
    assert profile.source == "2021—2022年支出台账平均"
    assert profile.shares[5] == Decimal("0.25")  # (6/12 + 0) ÷ 2
    assert profile.shares[11] == 1
    assert profile.low[5] == 0
    assert profile.high[5] == Decimal("0.5")


def test_from_history_a_project_a_quarter_spent_at_mid_year_is_projected_by_that_profile():
    profile = profile_from_history({2021: EVEN_YEAR, 2022: DECEMBER_YEAR})
    forecast = forecast_project("P01", wan("200"), wan("25"), END_OF_JUNE, profile)
    assert forecast.projected == wan("100")
    assert forecast.projected_low == wan("50")  # the even year's 50 %
    assert forecast.projected_high == wan("200")  # the December year's 0 %: capped
    assert forecast.profile_source == profile.source


def test_a_single_year_of_history_gets_the_default_band():
    profile = profile_from_history({2023: EVEN_YEAR})
    assert profile.shares[5] == Decimal("0.5")
    assert (profile.low[5], profile.high[5]) == (Decimal("0.45"), Decimal("0.55"))
    assert profile.source == "2023年支出台账"


def test_when_the_profile_expects_nothing_yet_any_spending_projects_the_full_budget():
    profile = profile_from_history({2023: DECEMBER_YEAR})
    forecast = forecast_project("P01", wan("100"), wan("1"), END_OF_JUNE, profile)
    assert forecast.profile_share == 0
    assert forecast.projected == wan("100")
    assert forecast.demand is None


def test_refunds_never_make_the_cumulative_share_fall():
    shares = cumulative_shares(monthly("10", "-5", "5", *["10"] * 9))
    assert shares is not None
    assert shares[0] == shares[1] == Decimal(10) / Decimal(100)
    assert list(shares) == sorted(shares)


def test_years_without_spending_are_left_out_and_none_at_all_is_an_error():
    profile = profile_from_history({2022: monthly(*["0"] * 12), 2023: EVEN_YEAR})
    assert profile.years == (2023,)
    with pytest.raises(ForecastError, match="没有可用的年度"):
        profile_from_history({2022: monthly(*["0"] * 12)})


def test_a_history_year_must_have_twelve_months():
    with pytest.raises(ForecastError, match="应为12个月"):
        profile_from_history({2023: monthly("1", "2")})


def test_a_profile_that_falls_or_does_not_end_at_one_is_refused():
    ones = (Decimal(1),) * 12
    falling = (Decimal("0.5"), Decimal("0.4"), *ones[2:])
    with pytest.raises(ForecastError, match="逐月不减"):
        CumulativeProfile(falling, falling, ones, "测试")
    short = (*ones[:11], Decimal("0.9"))
    with pytest.raises(ForecastError, match="12月末应为100%"):
        CumulativeProfile(short, short, short, "测试")


def test_every_project_of_a_monitoring_result_can_be_forecast():
    result = run(END_OF_JULY, [line("P01", "100", {7: "45"}), line("P02", "100", {})])
    forecasts = forecast_projects(result)
    assert [(f.project_code, f.projected) for f in forecasts] == [
        ("P01", wan("100")),
        ("P02", wan("0")),
    ]


# Proposals


def three_projects():
    return [
        forecast_project("P01", wan("100"), wan("22.5"), END_OF_JULY),  # → 50, lagging
        forecast_project("P02", wan("100"), wan("54"), END_OF_JULY),  # → needs 120
        forecast_project("P03", wan("100"), wan("42.75"), END_OF_JULY),  # → 95, on course
    ]


def test_a_lagging_projects_unspent_money_goes_first_to_a_project_that_needs_more():
    plan = propose_adjustments(three_projects())
    assert plan.lagging == ("P01",)
    assert plan.ahead == ("P02",)
    assert [(p.project_code, p.action, p.amount, p.to_project) for p in plan.proposals] == [
        ("P01", AdjustmentAction.reallocate, wan("20"), "P02"),
        ("P01", AdjustmentAction.reduce, wan("30"), None),
    ]
    assert plan.proposals[0].message == (
        "项目“P01”预计全年执行50.00万元，为全年预算数的50.00%，低于90.00%，"
        "建议将20.00万元调剂至执行较快的项目“P02”。"
    )
    assert plan.proposals[1].message.endswith("预计结转结余30.00万元，建议按程序调减。")


def test_with_no_project_needing_more_the_fastest_is_named_and_the_rest_is_cut():
    forecasts = [f for f in three_projects() if f.project_code != "P02"]
    plan = propose_adjustments(forecasts)
    assert plan.ahead == ("P03",)
    (proposal,) = plan.proposals
    assert (proposal.action, proposal.amount) == (AdjustmentAction.reduce, wan("50"))
    assert proposal.message.endswith("建议按程序调减，或视需要调剂至执行较快的项目“P03”。")
    assert AdjustmentAction.reduce.value == "按程序调减"


def test_projects_at_or_above_the_threshold_get_no_proposal():
    plan = propose_adjustments(three_projects(), threshold=Decimal("0.5"))
    assert plan.proposals == ()


def test_indicators_projected_to_miss_their_target_are_listed():
    result = run(
        END_OF_JULY,
        [],
        [
            indicator("≥100个", "50个", indicator_path="产出/数量/甲"),
            indicator("≥100个", "60个", indicator_path="产出/数量/乙"),
            indicator("≤30万元", "36万元", indicator_path="产出/成本/丙"),
        ],
    )
    plan = propose_adjustments(three_projects(), indicators=result.indicators)
    assert [s.indicator_path for s in plan.indicators_at_risk] == ["产出/数量/甲", "产出/成本/丙"]
