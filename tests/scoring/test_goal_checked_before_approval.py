"""A goal is checked before approval as it will be evaluated: every defect the evaluation
reports as an 错误 whatever the actuals (first-level weights, an empty required group, an
unreadable target, one indicator twice) is an 错误 of the goal-quality checks already."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.goal_quality import check_goal_quality, errors
from jixiao.core.goals import Funds, FundsRow, Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_goal
from jixiao.core.vocabulary import Severity
from tests.scoring.test_goal_quality import GOOD_ROWS, _goal

# 产出 50 / 效益 30 / 满意度 10 in GOOD_ROWS; the same goal with 产出 60 / 效益 30 / 满意度 10
SIXTY_THIRTY_TEN = GOOD_ROWS.replace(
    "| 完成控规调整 | ≥3项 | | 20 |", "| 完成控规调整 | ≥3项 | | 30 |"
)
# 产出 60 / 效益 20 / 满意度 10: the rows add up to 100 with the execution weight, the groups do not
SIXTY_TWENTY_TEN = SIXTY_THIRTY_TEN.replace(
    "| 土地出让收入 | ≥100万元 | | 15 |", "| 土地出让收入 | ≥100万元 | | 5 |"
)

FUNDS = Funds(total=FundsRow("年度资金总额", Decimal(100), Decimal(100), Decimal(90)))


def _error_ids(goal: PerformanceGoal, rules: ProjectRules) -> list[str]:
    return [f.id for f in errors(check_goal_quality(goal, rules))]


def _evaluation_error_ids(goal: PerformanceGoal, rules: ProjectRules) -> set[str]:
    found = evaluate_goal(goal, FUNDS, rules).findings
    return {f.id for f in found if f.severity is Severity.error}


def test_a_well_set_goal_has_no_error(mof: ProjectRules) -> None:
    assert _error_ids(_goal(GOOD_ROWS), mof) == []


def test_it_finds_level1_weights_of_60_30_10_before_the_evaluation_does(mof: ProjectRules) -> None:
    goal = _goal(SIXTY_THIRTY_TEN)
    found = errors(check_goal_quality(goal, mof))
    assert [f.id for f in found] == ["weights-not-100", "group-weights-mismatch"]
    assert (
        found[1].message == "一级指标“产出指标”分值为50，其下3个三级指标分值合计为60，两者应相等。"
    )


def test_it_finds_groups_that_do_not_match_when_the_total_is_100(mof: ProjectRules) -> None:
    goal = _goal(SIXTY_TWENTY_TEN)
    found = errors(check_goal_quality(goal, mof))
    assert [(f.id, f.location) for f in found] == [
        ("group-weights-mismatch", "产出指标"),
        ("group-weights-mismatch", "效益指标"),
    ]


def test_the_goals_own_level1_weights_are_the_ones_checked(mof: ProjectRules) -> None:
    goal = replace(
        _goal(SIXTY_TWENTY_TEN), level1_weights={"产出指标": Decimal(60), "效益指标": Decimal(20)}
    )
    assert _error_ids(goal, mof) == []


def test_an_indicator_entered_twice_is_an_error(mof: ProjectRules) -> None:
    goal = _goal(GOOD_ROWS)
    first = goal.indicators[0]
    twice = replace(
        goal, indicators=(first, replace(first, weight=Decimal(0)), *goal.indicators[1:])
    )
    found = errors(check_goal_quality(twice, mof))
    assert [f.id for f in found] == ["duplicate-indicator"]
    assert found[0].message == (
        "指标“产出指标/数量指标/完成控规调整”在绩效目标“测试项目”中出现2次，每个指标只能填写一次。"
    )


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("", "“产出指标/数量指标/完成控规调整”未填写年度指标值。"),
        ("≥三项", "无法识别"),
    ],
)
def test_an_unreadable_target_is_an_error_as_at_evaluation(
    mof: ProjectRules, target: str, reason: str
) -> None:
    goal = _goal(GOOD_ROWS)
    first = replace(goal.indicators[0], target=target)
    broken = replace(goal, indicators=(first, *goal.indicators[1:]))
    found = errors(check_goal_quality(broken, mof))
    assert [f.id for f in found] == ["target-unreadable"]
    assert reason in found[0].message
    scored = evaluate_goal(broken, FUNDS, mof).indicators[0]
    assert scored.findings[0].message == found[0].message


def test_the_scoring_and_the_goal_check_give_the_same_weight_findings(mof: ProjectRules) -> None:
    """The same records, so that the evaluation can say each of them once."""
    goal = _goal(SIXTY_TWENTY_TEN)
    scored = [
        f for f in evaluate_goal(goal, FUNDS, mof).findings if f.id == "group-weights-mismatch"
    ]
    checked = [f for f in check_goal_quality(goal, mof) if f.id == "group-weights-mismatch"]
    assert scored == checked and len(checked) == 2


_WEIGHTS = st.lists(st.integers(min_value=0, max_value=60), min_size=3, max_size=3)


@given(weights=_WEIGHTS)
def test_every_weight_error_of_the_evaluation_is_found_before_it(weights: list[int]) -> None:
    from jixiao.interchange.rule_files import load_rule_set

    rules = load_rule_set("mof-2020-project")
    groups = [
        ("产出指标", "数量指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    goal = PerformanceGoal(
        project_code="P001",
        name="测试项目",
        indicators=tuple(
            Indicator(l1, l2, f"指标{n}", IndicatorKind.quantitative, "≥1项", Decimal(w))
            for n, ((l1, l2), w) in enumerate(zip(groups, weights, strict=True))
        ),
    )
    before = {f.id for f in errors(check_goal_quality(goal, rules))}
    assert _evaluation_error_ids(goal, rules) <= before
