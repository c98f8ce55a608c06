"""The budget execution row (预算执行率): proportional and tiered scoring, reasons and caps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.goals import Funds, FundsRow
from jixiao.core.money import D, wan_to_yuan
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_execution, evaluate_goal
from jixiao.interchange.rule_files import parse_rule_set
from tests.scoring.forms import form


def funds(final_wan: str, executed_wan: str) -> Funds:
    final, executed = wan_to_yuan(D(final_wan)), wan_to_yuan(D(executed_wan))
    return Funds(FundsRow("年度资金总额", final, final, executed))


def full_marks_form(executed_wan: str, reason: str = "") -> str:
    """A form whose every indicator is met (90 points), with the given execution."""
    return f"""
        全年预算数: 100
        全年执行数: {executed_wan}
        执行偏差原因: "{reason}"
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
          产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 30
          产出指标 | 时效指标 | 按时完成率 | ≥95% | 96% | 20
          效益指标 | 社会效益指标 | 群众办事时长 | ≤5天 | 4天 | 30
          满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 95% | 10
    """


@pytest.mark.parametrize(
    ("executed", "rate", "score"),
    [
        ("92.87", "92.87", "9.29"),
        ("100", "100", "10"),
        ("105", "105", "10"),
        ("0", "0", "0"),
        ("59", "59", "5.9"),
        ("92.8666", "92.87", "9.29"),
    ],
)
def test_it_scores_execution_in_proportion_under_the_national_rules(
    mof: ProjectRules, executed: str, rate: str, score: str
) -> None:
    result = evaluate_execution(funds("100", executed), mof)
    assert (result.rate_percent, result.score) == (Decimal(rate), Decimal(score))
    assert not result.reason_required


def test_it_keeps_the_unrounded_rate_beside_the_printed_one(mof: ProjectRules) -> None:
    result = evaluate_execution(funds("3", "2"), mof)
    assert result.rate == Decimal(2) / Decimal(3)
    assert result.rate_percent == Decimal("66.67")
    assert result.rule == "执行率×分值 = 66.67%×10"


@pytest.mark.parametrize(
    ("executed", "score"),
    [
        ("100", "10"),
        ("101", "10"),
        ("99", "10"),
        ("95", "8"),
        ("94.99", "8"),
        ("90", "6"),
        ("85", "4"),
        ("80", "2"),
        ("75.01", "2"),
        ("75", "0"),
        ("50", "0"),
    ],
)
def test_it_deducts_two_points_per_five_points_below_full_under_the_tiered_rules(
    regional: ProjectRules, executed: str, score: str
) -> None:
    assert evaluate_execution(funds("100", executed), regional).score == Decimal(score)


def test_it_explains_a_tiered_deduction(regional: ProjectRules) -> None:
    result = evaluate_execution(funds("100", "88"), regional)
    assert result.rule == (
        "分档：执行率88%低于100%共12个百分点，每低5个百分点扣2分，计2档：10−2×2 = 6"
    )


def test_it_counts_every_started_step_when_the_rule_says_so() -> None:
    rules = parse_rule_set(STARTED_STEPS)
    assert evaluate_execution(funds("100", "99.99"), rules).score == Decimal(8)
    assert evaluate_execution(funds("100", "95"), rules).score == Decimal(8)
    assert evaluate_execution(funds("100", "94.99"), rules).score == Decimal(6)


def test_it_cannot_score_execution_when_the_budget_is_zero(mof: ProjectRules) -> None:
    filled = form(full_marks_form("0").replace("全年预算数: 100", "全年预算数: 0"))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert evaluation.execution.rate is None
    assert evaluation.execution.score is None
    assert evaluation.missing == ("年度资金总额：全年预算数为0，无法计算预算执行率",)
    assert evaluation.total is None


def test_it_requires_a_reason_when_execution_is_below_90_percent_under_the_regional_rules(
    regional: ProjectRules,
) -> None:
    filled = form(full_marks_form("89.99"))
    evaluation = evaluate_goal(filled.goal, filled.funds, regional)
    assert evaluation.execution.reason_required
    assert [f.id for f in evaluation.findings] == ["execution-reason-missing"]


def test_it_accepts_a_low_execution_rate_that_is_explained(regional: ProjectRules) -> None:
    filled = form(full_marks_form("89.99", reason="土地收储受征拆进度影响，部分资金未支付"))
    assert evaluate_goal(filled.goal, filled.funds, regional).findings == ()


def test_it_requires_no_reason_at_exactly_90_percent(regional: ProjectRules) -> None:
    filled = form(full_marks_form("90"))
    assert not evaluate_goal(filled.goal, filled.funds, regional).execution.reason_required


def test_it_requires_no_execution_reason_under_the_national_rules(mof: ProjectRules) -> None:
    filled = form(full_marks_form("50"))
    assert evaluate_goal(filled.goal, filled.funds, mof).findings == ()


@pytest.mark.parametrize(
    ("executed", "uncapped", "total", "grade"),
    [
        ("100", "100", "100", "优"),
        ("80", "92", "92", "优"),
        ("79.996", "92", "92", "优"),  # printed 80.00 %: not below 80 %
        ("79", "92", "89", "良"),
        ("69", "90", "79", "中"),
        ("59", "90", "69", "中"),
        ("49", "90", "59", "差"),
    ],
)
def test_it_caps_the_total_by_the_execution_rate_under_the_regional_rules(
    regional: ProjectRules, executed: str, uncapped: str, total: str, grade: str
) -> None:
    filled = form(full_marks_form(executed, reason="已说明"))
    evaluation = evaluate_goal(filled.goal, filled.funds, regional)
    assert (evaluation.uncapped_total, evaluation.total, evaluation.grade) == (
        Decimal(uncapped), Decimal(total), grade,
    )


def test_it_caps_the_total_when_execution_is_below_60_percent(regional: ProjectRules) -> None:
    filled = form(full_marks_form("59", reason="项目延期"))
    evaluation = evaluate_goal(filled.goal, filled.funds, regional)
    assert evaluation.cap_applied is not None
    assert evaluation.cap_applied.rate_below == Decimal("0.6")
    assert evaluation.total == Decimal(69)


def test_it_reports_no_cap_when_the_cap_does_not_lower_the_total(regional: ProjectRules) -> None:
    text = full_marks_form("59", reason="项目延期")
    filled = form(text.replace("| 96% | 20", "| 0% | 20").replace("| 3项 | 30", "| 0项 | 30"))
    evaluation = evaluate_goal(filled.goal, filled.funds, regional)
    assert (evaluation.uncapped_total, evaluation.cap_applied, evaluation.total) == (
        Decimal(40), None, Decimal(40),
    )


def test_it_never_caps_under_the_national_rules(mof: ProjectRules) -> None:
    filled = form(full_marks_form("59"))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert (evaluation.cap_applied, evaluation.total, evaluation.grade) == (
        None, Decimal("95.9"), "优",
    )


STARTED_STEPS = """
format: jixiao-project-rules/1
id: started-steps
version: "1"
name: 每开始一档即扣分
sources: [测试]
level1:
  - {name: 产出指标, weight: 50, level2: [数量指标]}
  - {name: 效益指标, weight: 30, level2: [社会效益指标]}
  - {name: 满意度指标, weight: 10, level2: [服务对象满意度指标]}
execution:
  {weight: 10, method: tiered, full_at: 100%, step: 5%, deduction: 2, steps_counted: started}
qualitative:
  达成年度指标: {band: [80%, 100%], default: 90%}
  部分达成年度指标并具有一定效果: {band: [60%, 80%], default: 70%}
  未达成年度指标且效果较差: {band: [0%, 60%], default: 30%}
grades:
  - {grade: 优, at_least: 90}
  - {grade: 差, at_least: 0}
"""
