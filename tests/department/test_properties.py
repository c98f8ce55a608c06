"""Properties that hold for every department-year, whatever its figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.department_framework import (
    INPUTS,
    DepartmentEvaluation,
    InputKind,
    LowerIsBetterLinear,
    Proportional,
    Scoring,
    TargetBand,
    Tier,
    Tiers,
    evaluate_department,
    score_rate,
)
from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.money import HUNDRED, ZERO, wan_to_yuan
from jixiao.core.year import DepartmentYear, PublishedTotals
from tests.department.forms import MOF_DEPT, MOF_PROJECT

COMMON_NAMES = [c.level3 for c in MOF_DEPT.common]

amounts = st.decimals(min_value=Decimal(0), max_value=Decimal(200000), places=2)
rates = st.decimals(min_value=Decimal(-3), max_value=Decimal(3), places=4)
weights = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(60), places=2)
shares = st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=2)


@st.composite
def scorings(draw: st.DrawFn) -> Scoring:
    kind = draw(st.sampled_from(["proportional", "tiers", "linear", "band"]))
    if kind == "proportional":
        return Proportional(draw(st.decimals(min_value=Decimal("0.01"), max_value=2, places=2)))
    if kind == "tiers":
        bounds = sorted(set(draw(st.lists(rates, min_size=1, max_size=5))))
        return Tiers(tuple(Tier(b, draw(shares)) for b in bounds), draw(shares))
    low, high = sorted(draw(st.lists(rates, min_size=2, max_size=2, unique=True)))
    if kind == "linear":
        return LowerIsBetterLinear(low, high)
    return TargetBand(low, high, low - Decimal(1), high + Decimal(1))


@settings(deadline=None)  # behaviour, not timing
@given(rate=rates, weight=weights, scoring=scorings())
def test_every_rate_earns_between_zero_and_the_weight(
    rate: Decimal, weight: Decimal, scoring: Scoring
) -> None:
    score, rule = score_rate(rate, weight, scoring)
    assert ZERO <= score <= weight
    assert rule and "{score}" not in rule


def _figure(name: str, value: Decimal) -> Decimal:
    return wan_to_yuan(value) if INPUTS[name] is InputKind.amount else value


@st.composite
def departments(draw: st.DrawFn) -> tuple[DepartmentYear, PerformanceGoal, dict[str, Decimal],
                                         dict[str, str]]:
    totals = PublishedTotals(
        final_budget=wan_to_yuan(draw(amounts)),
        executed=wan_to_yuan(draw(amounts)),
        carryover=draw(st.one_of(st.none(), amounts.map(wan_to_yuan))),
    )
    year = DepartmentYear("demo", "示范局", 2024, totals=totals)
    inputs = {
        name: _figure(name, draw(amounts))
        for name in INPUTS
        if draw(st.booleans()) or draw(st.booleans())
    }
    indicators = tuple(
        Indicator(
            level1="产出指标", level2="数量指标", level3=f"指标{n}",
            kind=IndicatorKind.quantitative, target=f"≥{draw(amounts)}项",
            weight=draw(weights), actual=f"{draw(amounts)}项",
        )
        for n in range(draw(st.integers(min_value=0, max_value=4)))
    )
    goal = PerformanceGoal(None, "部门整体", indicators=indicators)
    declared = {
        name: "不适用" for name in draw(st.lists(st.sampled_from(COMMON_NAMES), unique=True))
    }
    return year, goal, inputs, declared


def _rows(evaluation: DepartmentEvaluation) -> list[tuple[Decimal, Decimal | None]]:
    return [
        *((row.weight, row.score) for row in evaluation.common),
        *((row.weight, row.score) for row in evaluation.duties),
    ]


@settings(max_examples=300, deadline=None)
@given(department=departments())
def test_every_score_lies_within_its_weight_and_the_total_within_100(
    department: tuple[DepartmentYear, PerformanceGoal, dict[str, Decimal], dict[str, str]],
) -> None:
    year, goal, inputs, declared = department
    evaluation = evaluate_department(year, goal, inputs, MOF_DEPT, MOF_PROJECT, declared)
    for weight, score in _rows(evaluation):
        assert score is None or ZERO <= score <= weight
    assert evaluation.weight_total <= HUNDRED
    if evaluation.total is not None:
        assert ZERO <= evaluation.total <= HUNDRED
        assert evaluation.total == sum(score or ZERO for _, score in _rows(evaluation))
        assert evaluation.grade is not None
    assert evaluation.complete == (evaluation.total is not None)


@settings(max_examples=200, deadline=None)
@given(department=departments())
def test_weights_in_force_add_up_to_100_whenever_the_duty_section_is_scored(
    department: tuple[DepartmentYear, PerformanceGoal, dict[str, Decimal], dict[str, str]],
) -> None:
    year, goal, inputs, declared = department
    evaluation = evaluate_department(year, goal, inputs, MOF_DEPT, MOF_PROJECT, declared)
    if goal.indicators and len(declared) < len(COMMON_NAMES) + len(goal.indicators):
        assert evaluation.weight_total == HUNDRED
    for row in evaluation.common:
        assert (row.score is None) == bool(row.missing_inputs or row.formula.undefined)
