"""Properties that hold for every form, whatever its figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.goals import (
    Funds,
    FundsRow,
    Indicator,
    IndicatorKind,
    PerformanceGoal,
    QualitativeState,
)
from jixiao.core.money import HUNDRED, ZERO
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_goal, grade_of, score_indicator
from jixiao.core.targets import Operator, parse_target
from jixiao.core.units import unit_registry
from jixiao.interchange.rule_files import load_rule_set

RULE_SETS = [load_rule_set("mof-2020-project"), load_rule_set("regional-tiered-project")]

rule_sets = st.sampled_from(RULE_SETS)
weights = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(50), places=2)
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
figures = st.decimals(min_value=Decimal(-1000), max_value=Decimal(200000), places=2)
unit_symbols = st.sampled_from(["%", "项", "天", "万元", "元", "个"])


def quantitative(target: str, actual: str, weight: Decimal) -> Indicator:
    return Indicator(
        level1="产出指标", level2="数量指标", level3="指标", kind=IndicatorKind.quantitative,
        target=target, weight=weight, actual=actual,
    )


@given(
    rules=rule_sets,
    operator=st.sampled_from(list(Operator)),
    target=figures,
    actual=figures,
    weight=weights,
    unit=unit_symbols,
)
def test_every_indicator_score_lies_between_zero_and_its_weight(
    rules: ProjectRules, operator: Operator, target: Decimal, actual: Decimal,
    weight: Decimal, unit: str,
) -> None:
    indicator = quantitative(f"{operator}{target}{unit}", f"{actual}{unit}", weight)
    result = score_indicator(indicator, rules)
    assert result.score is not None
    assert ZERO <= result.score <= weight


@given(
    rules=rule_sets,
    state=st.sampled_from(list(QualitativeState)),
    assessed=st.none() | st.decimals(min_value=Decimal(-10), max_value=Decimal(80), places=2),
    weight=weights,
)
def test_every_qualitative_score_lies_between_zero_and_its_weight(
    rules: ProjectRules, state: QualitativeState, assessed: Decimal | None, weight: Decimal
) -> None:
    indicator = Indicator(
        level1="效益指标", level2="社会效益指标", level3="指标", kind=IndicatorKind.qualitative,
        target="效果明显", weight=weight, state=state, assessed_score=assessed,
    )
    score = score_indicator(indicator, rules).score
    assert score is not None
    assert ZERO <= score <= weight


@given(
    rules=rule_sets,
    operator=st.sampled_from([Operator.ge, Operator.gt, Operator.eq]),
    target=figures,
    actuals=st.lists(figures, min_size=2, max_size=2),
    weight=weights,
)
def test_a_higher_actual_never_scores_less_on_a_higher_is_better_indicator(
    rules: ProjectRules, operator: Operator, target: Decimal, actuals: list[Decimal],
    weight: Decimal,
) -> None:
    low, high = sorted(actuals)
    if operator is Operator.eq and target == ZERO:
        return  # "=0" is met at or under 0: an equality, not a higher-is-better target
    scores = [
        score_indicator(quantitative(f"{operator}{target}项", f"{a}项", weight), rules).score
        for a in (low, high)
    ]
    assert scores[0] is not None and scores[1] is not None
    assert scores[0] <= scores[1]


@given(
    rules=rule_sets,
    operator=st.sampled_from([Operator.le, Operator.lt]),
    target=figures,
    actuals=st.lists(figures, min_size=2, max_size=2),
    weight=weights,
)
def test_a_higher_actual_never_scores_more_on_a_lower_is_better_indicator(
    rules: ProjectRules, operator: Operator, target: Decimal, actuals: list[Decimal],
    weight: Decimal,
) -> None:
    low, high = sorted(actuals)
    scores = [
        score_indicator(quantitative(f"{operator}{target}天", f"{a}天", weight), rules).score
        for a in (low, high)
    ]
    assert scores[0] is not None and scores[1] is not None
    assert scores[0] >= scores[1]


@st.composite
def goals(draw: st.DrawFn) -> tuple[PerformanceGoal, Funds]:
    """A goal laid out on the rule set's weights (50/30/10), with any figures filled in."""
    rows = []
    for level1, level2, weight in (
        ("产出指标", "数量指标", Decimal(25)),
        ("产出指标", "时效指标", Decimal(25)),
        ("效益指标", "社会效益指标", Decimal(30)),
    ):
        operator = draw(st.sampled_from(list(Operator)))
        rows.append(Indicator(
            level1=level1, level2=level2, level3=f"{level2}甲", kind=IndicatorKind.quantitative,
            target=f"{operator}{draw(figures)}项", weight=weight, actual=f"{draw(figures)}项",
        ))
    rows.append(Indicator(
        level1="满意度指标", level2="服务对象满意度指标", level3="满意度",
        kind=IndicatorKind.qualitative, target="满意", weight=Decimal(10),
        state=draw(st.sampled_from(list(QualitativeState))),
        assessed_score=draw(
            st.none() | st.decimals(min_value=ZERO, max_value=Decimal(12), places=2)
        ),
    ))
    budget = draw(positive)
    executed = draw(st.decimals(min_value=ZERO, max_value=budget * 2, places=2))
    funds = Funds(FundsRow("年度资金总额", budget, budget, executed))
    return PerformanceGoal(project_code="P", name="测试", indicators=tuple(rows)), funds


@settings(max_examples=200)
@given(rules=rule_sets, goal_and_funds=goals())
def test_the_total_never_exceeds_100(
    rules: ProjectRules, goal_and_funds: tuple[PerformanceGoal, Funds]
) -> None:
    goal, funds = goal_and_funds
    evaluation = evaluate_goal(goal, funds, rules)
    assert evaluation.total is not None
    assert ZERO <= evaluation.total <= HUNDRED
    assert evaluation.grade == grade_of(evaluation.total, rules)


@given(rules=rule_sets, totals=st.lists(
    st.decimals(min_value=ZERO, max_value=HUNDRED, places=3), min_size=2, max_size=2
))
def test_a_higher_total_never_gets_a_lower_grade(
    rules: ProjectRules, totals: list[Decimal]
) -> None:
    order = [band.grade for band in rules.grades]
    low, high = sorted(totals)
    assert order.index(grade_of(low, rules)) >= order.index(grade_of(high, rules))


@given(
    operator=st.sampled_from(list(Operator)),
    value=st.decimals(min_value=Decimal(-100000), max_value=Decimal(10**9), places=2)
    | st.integers(min_value=0, max_value=10**6).map(Decimal),
    unit=st.none() | st.sampled_from(sorted(unit_registry().units)),
)
def test_a_quantitative_target_reads_back_what_it_prints(
    operator: Operator, value: Decimal, unit: str | None
) -> None:
    parsed = parse_target(f"{operator}{value}{unit or ''}")
    assert parsed is not None
    again = parse_target(str(parsed))
    assert again is not None
    assert (again.operator, again.quantity) == (parsed.operator, parsed.quantity)
