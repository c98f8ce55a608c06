"""Properties that hold for any sane input, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from jixiao.core.forecast import DEFAULT_PROFILE, forecast_project, profile_from_history
from jixiao.core.money import ZERO
from jixiao.core.monitoring import LightThresholds, LineExecution, monitor, time_progress
from jixiao.core.snapshots import freeze, thaw
from jixiao.core.vocabulary import FundingSource, Nature

from .builders import RATIO_RULES

dates_2024 = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31))
any_year_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
bases = st.sampled_from(["days", "months"])
amounts = st.decimals(min_value=0, max_value=10**10, places=2)
signed_amounts = st.decimals(min_value=-(10**6), max_value=10**8, places=2)
ratios = st.decimals(min_value=0, max_value=3, places=4)
shares = st.decimals(min_value=0, max_value=1, places=4)


@given(any_year_dates, bases)
def test_time_progress_is_between_zero_and_one(as_of, basis):
    assert ZERO <= time_progress(as_of.year, as_of, basis) <= 1


@given(dates_2024, st.integers(min_value=0, max_value=365), bases)
def test_time_progress_never_goes_back(as_of, days, basis):
    later = min(as_of + timedelta(days=days), date(2024, 12, 31))
    assert time_progress(2024, as_of, basis) <= time_progress(2024, later, basis)


@st.composite
def spent_within_budget(draw):
    budget = draw(st.decimals(min_value=Decimal("0.01"), max_value=10**10, places=2))
    parts = draw(st.lists(shares, min_size=12, max_size=12))
    total = sum(parts, ZERO)
    scale = draw(shares) / total if total else ZERO
    monthly = tuple(budget * part * scale for part in parts)
    assume(sum(monthly, ZERO) <= budget)
    return budget, monthly


@given(spent_within_budget(), dates_2024)
def test_the_execution_rate_is_between_zero_and_one_when_spending_stays_within_budget(
    budget_and_monthly, as_of
):
    budget, monthly = budget_and_monthly
    line = LineExecution(
        "L1", FundingSource.general_public_budget, Nature.project, budget, monthly, "P01"
    )
    result = monitor(2024, as_of, [line], [], RATIO_RULES)
    rate = result.project("P01").execution_rate
    assert rate is not None
    assert ZERO <= rate <= 1
    assert ZERO <= result.time_progress <= 1


@given(ratios, ratios, ratios, ratios)
def test_a_higher_ratio_never_gets_a_worse_light(a, b, red, yellow):
    low, high = sorted((a, b))
    red, yellow = sorted((red, yellow))
    thresholds = LightThresholds(red_below=red, yellow_below=yellow)
    assert thresholds.light(low).rank <= thresholds.light(high).rank


history = st.dictionaries(
    st.integers(min_value=2010, max_value=2023),
    st.lists(signed_amounts, min_size=12, max_size=12),
    min_size=1,
    max_size=4,
)


@given(history)
def test_a_history_profile_never_falls_and_ends_at_one(years):
    assume(any(sum(months, ZERO) > 0 for months in years.values()))
    profile = profile_from_history(years)
    assert list(profile.shares) == sorted(profile.shares)
    assert profile.shares[-1] == 1
    bounds = zip(profile.low, profile.shares, profile.high, strict=True)
    assert all(lo <= s <= hi for lo, s, hi in bounds)


@given(amounts, amounts, dates_2024, st.one_of(st.just(None), history))
def test_the_projected_year_end_is_never_below_what_is_already_spent(
    budget, executed, as_of, years
):
    profile = DEFAULT_PROFILE
    if years is not None:
        assume(any(sum(months, ZERO) > 0 for months in years.values()))
        profile = profile_from_history(years)
    forecast = forecast_project("P01", budget, executed, as_of, profile)
    assert forecast.projected >= executed
    assert forecast.projected <= max(budget, executed)
    assert forecast.projected_low <= forecast.projected <= forecast.projected_high


@given(st.lists(spent_within_budget(), min_size=1, max_size=4), dates_2024)
def test_any_result_freezes_and_thaws_to_itself(budgets, as_of):
    lines = [
        LineExecution(
            f"L{i}", FundingSource.general_public_budget, Nature.project, budget, monthly, f"P{i}"
        )
        for i, (budget, monthly) in enumerate(budgets)
    ]
    result = monitor(2024, as_of, lines, [], RATIO_RULES)
    assert thaw(freeze(result)) == result
