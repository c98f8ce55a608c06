"""Quantitative indicators (定量指标) under both packaged rule sets, case by case as on the form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import IndicatorStatus, evaluate_goal, score_indicator
from jixiao.interchange.rule_files import parse_rule_set
from tests.scoring.forms import form, row

MET, NOT_MET, OVER = IndicatorStatus.met, IndicatorStatus.not_met, IndicatorStatus.over_achieved

# 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值   →   得分, 状态
CASES = [
    ("产出指标 | 数量指标 | 规划编制完成率 | ≥100% | 100% | 20", "20", MET),
    ("产出指标 | 数量指标 | 规划编制完成率 | ≥100% | 72.74% | 20", "14.55", NOT_MET),
    ("产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 2项 | 15", "10", NOT_MET),
    ("产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 5项 | 15", "15", OVER),
    ("产出指标 | 数量指标 | 宗地供应 | ≥100宗 | 129宗 | 10", "10", MET),
    ("产出指标 | 数量指标 | 宗地供应 | ≥100宗 | 130宗 | 10", "10", OVER),
    ("产出指标 | 质量指标 | 验收合格率 | >95% | 95% | 10", "10", MET),
    ("产出指标 | 质量指标 | 验收合格率 | =100% | 100% | 10", "10", MET),
    ("产出指标 | 质量指标 | 验收合格率 | =100% | 98% | 10", "9.8", NOT_MET),
    ("产出指标 | 数量指标 | 培训场次 | =12场 | 13场 | 10", "10", MET),
    ("产出指标 | 质量指标 | 整改完成率 | 100% | 90% | 10", "9", NOT_MET),
    ("产出指标 | 质量指标 | 达标率 | ≥95% | 90 | 10", "9.47", NOT_MET),
    ("产出指标 | 时效指标 | 办结时限 | ≤90天 | 80天 | 10", "10", MET),
    ("产出指标 | 时效指标 | 办结时限 | ≤90天 | 90天 | 10", "10", MET),
    ("产出指标 | 成本指标 | 成本控制数 | ≤100万元 | 120万元 | 20", "16", NOT_MET),
    ("产出指标 | 成本指标 | 成本控制数 | ≤100万元 | 1200000元 | 20", "16", NOT_MET),
    ("产出指标 | 成本指标 | 成本控制数 | ≤100万元 | 199万元 | 20", "0.2", NOT_MET),
    ("产出指标 | 成本指标 | 成本控制数 | ≤100万元 | 200万元 | 20", "0", NOT_MET),
    ("产出指标 | 成本指标 | 成本控制数 | ≤100万元 | 250万元 | 20", "0", NOT_MET),
    ("产出指标 | 质量指标 | 差错率 | <5% | 6% | 10", "8", NOT_MET),
    ("效益指标 | 经济效益指标 | 土地出让收入 | ≥50万元 | 499000元 | 10", "9.98", NOT_MET),
    ("效益指标 | 经济效益指标 | 土地出让收入 | ≥50万元 | 720000元 | 10", "10", OVER),
    ("产出指标 | 质量指标 | 达标率 | ≥95% | -10% | 10", "0", NOT_MET),
]

# Targets of 0 and negative targets: no ratio to take.
ZERO_AND_NEGATIVE_CASES = [
    ("产出指标 | 质量指标 | 新增违法用地 | ≥0宗 | 0宗 | 5", "5", MET),
    ("产出指标 | 质量指标 | 新增收益 | >0元 | 0元 | 5", "0", NOT_MET),
    ("产出指标 | 质量指标 | 新增收益 | >0元 | 1元 | 5", "5", MET),
    ("产出指标 | 质量指标 | 安全事故 | =0次 | 0次 | 5", "5", MET),
    ("产出指标 | 质量指标 | 安全事故 | =0次 | 1次 | 5", "0", NOT_MET),
    ("产出指标 | 质量指标 | 安全事故 | ≤0次 | 2次 | 5", "0", NOT_MET),
    ("产出指标 | 质量指标 | 安全事故 | ≤0次 | 0次 | 5", "5", MET),
    ("产出指标 | 成本指标 | 三公经费变动率 | ≥-5% | -3% | 5", "5", MET),
    ("产出指标 | 成本指标 | 三公经费变动率 | ≥-5% | -8% | 5", "0", NOT_MET),
    ("产出指标 | 成本指标 | 三公经费变动率 | ≤-5% | -8% | 5", "5", MET),
    ("产出指标 | 成本指标 | 三公经费变动率 | ≤-5% | -3% | 5", "0", NOT_MET),
]


@pytest.mark.parametrize(("line", "score", "status"), CASES + ZERO_AND_NEGATIVE_CASES)
def test_it_scores_a_quantitative_row_by_its_operator(
    packaged: ProjectRules, line: str, score: str, status: IndicatorStatus
) -> None:
    result = score_indicator(row(line), packaged)
    assert (result.score, result.status) == (Decimal(score), status), result.rule


def test_it_shows_the_proportional_rule_with_its_figures(packaged: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 完成率 | ≥100% | 72.74% | 20"), packaged)
    assert result.rule == "未达成：实际值÷指标值×分值 = 72.74÷100×20"


def test_it_shows_the_lower_is_better_rule_in_the_targets_unit(packaged: ProjectRules) -> None:
    result = score_indicator(
        row("产出指标 | 成本指标 | 成本控制数 | ≤100万元 | 1200000元 | 20"), packaged
    )
    assert result.rule == (
        "未达成（反向指标）：分值×(1−(实际值−指标值)÷指标值) = 20×(1−(120−100)÷100)"
    )


def test_it_gives_full_weight_when_the_target_is_met(packaged: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 完成率 | ≥100% | 100% | 20"), packaged)
    assert result.rule == "达成：实际完成值100%，达到年度指标值≥100%，得满分20"


def test_it_asks_for_a_reason_when_the_target_is_exceeded_by_30_percent(
    packaged: ProjectRules,
) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 宗地供应 | ≥100宗 | 130宗 | 10"), packaged)
    assert [f.id for f in result.findings] == ["over-achievement-reason-missing"]
    assert "130%" in result.rule


def test_it_accepts_an_over_achievement_that_is_explained(packaged: ProjectRules) -> None:
    header = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 偏差原因分析"
    line = "产出指标 | 数量指标 | 宗地供应 | ≥100宗 | 150宗 | 10 | 年中追加收储任务"
    result = score_indicator(row(line, header), packaged)
    assert result.findings == ()
    assert result.status is OVER


def test_it_asks_for_a_reason_when_a_target_is_missed(packaged: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 完成率 | ≥100% | 90% | 20"), packaged)
    assert [f.id for f in result.findings] == ["deviation-reason-missing"]


def test_it_reports_a_unit_mismatch_instead_of_crashing(packaged: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3天 | 15"), packaged)
    assert result.score is None
    assert result.status is IndicatorStatus.unscorable
    assert [f.id for f in result.findings] == ["unit-mismatch"]
    assert "不可比较" in result.findings[0].message


def test_it_reports_a_target_it_cannot_read(packaged: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 查处案件 | ≥3%以上 | 3起 | 15"), packaged)
    assert result.score is None
    assert [f.id for f in result.findings] == ["target-unreadable"]


def test_it_reports_a_text_where_a_quantitative_actual_belongs(packaged: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 完成率 | ≥100% | 基本到位 | 20"), packaged)
    assert result.score is None
    assert [f.id for f in result.findings] == ["actual-unreadable"]


@pytest.mark.parametrize("actual", ["", "—", "无"])
def test_it_never_counts_a_missing_actual_as_zero_or_full(
    packaged: ProjectRules, actual: str
) -> None:
    filled = form(f"""
        全年预算数: 100
        全年执行数: 100
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
          产出指标 | 数量指标 | 完成控规调整 | ≥3项 | {actual} | 50
          效益指标 | 社会效益指标 | 群众办事时长 | ≤5天 | 4天 | 30
          满意度指标 | 服务对象满意度指标 | 满意度 | ≥90% | 95% | 10
    """)
    evaluation = evaluate_goal(filled.goal, filled.funds, packaged)
    first = evaluation.indicators[0]
    assert (first.score, first.status) == (None, IndicatorStatus.not_reported)
    assert not evaluation.complete
    assert (evaluation.total, evaluation.uncapped_total, evaluation.grade) == (None, None, None)
    assert evaluation.missing == ("产出指标/数量指标/完成控规调整：实际完成值未填报，不计分",)
    assert evaluation.level1_scores["产出指标"] is None
    assert evaluation.level1_scores["效益指标"] == Decimal(30)


DEDUCTING_RULES = """
format: jixiao-project-rules/1
id: deducting
version: "1"
name: 超额完成扣分的规则集
sources: [测试]
level1:
  - {{name: 产出指标, weight: 50, level2: [数量指标]}}
  - {{name: 效益指标, weight: 30, level2: [社会效益指标]}}
  - {{name: 满意度指标, weight: 10, level2: [服务对象满意度指标]}}
quantitative:
  over_achievement_at: 150%
  over_achievement_deduction: {deduction}
qualitative:
  达成年度指标: {{band: [80%, 100%], default: 90%}}
  部分达成年度指标并具有一定效果: {{band: [60%, 80%], default: 70%}}
  未达成年度指标且效果较差: {{band: [0%, 60%], default: 30%}}
grades:
  - {{grade: 优, at_least: 90}}
  - {{grade: 差, at_least: 0}}
"""


@pytest.mark.parametrize(
    ("deduction", "actual", "score"),
    [("10%", "160宗", "13.5"), ("2", "160宗", "13"), ("2", "149宗", "15"), ("20", "200宗", "0")],
)
def test_it_takes_the_configured_deduction_off_an_over_achieved_row(
    deduction: str, actual: str, score: str
) -> None:
    rules = parse_rule_set(DEDUCTING_RULES.format(deduction=deduction))
    result = score_indicator(row(f"产出指标 | 数量指标 | 宗地供应 | ≥100宗 | {actual} | 15"), rules)
    assert result.score == Decimal(score)
