"""Auditing filled tables: every kind of error a unit's table can hold, each found once."""

from __future__ import annotations

from collections import Counter

from jixiao.core.audit import audit_claims
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_goal
from tests.scoring.forms import form

CORRECT_TABLE = """
    项目名称: 国土空间规划编制
    全年预算数: 100
    全年执行数: 92.87
    执行率: 92.87%
    执行率得分: 9.29
    总分: 100
    总得分: 92.84
    评价等级: 优
    小计: {产出指标: 44.55, 效益指标: 29, 满意度指标: 10}
    指标: |
      一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析
      产出指标 | 数量指标 | 规划编制完成率 | ≥100% | 72.74% | 20 | 14.55 | 部分片区待批复
      产出指标 | 质量指标 | 成果验收通过率 | =100% | 100% | 20 | 20 |
      产出指标 | 时效指标 | 审批办结时限 | ≤30天 | 30天 | 10 | 10 |
      效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | 达成年度指标 | 10 | 9 |
      效益指标 | 经济效益指标 | 土地出让收入 | ≥90% | 95% | 20 | 20 |
      满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 92% | 10 | 10 |
"""

PLANTED_TABLE = """
    项目名称: 国土空间规划编制
    全年预算数: 100
    全年执行数: 92.87
    执行率: 100%                 # execution-rate-wrong (92.87 %)
    执行率得分: 10               # execution-score-wrong (9.29)
    总分: 100                    # weights-not-100 (rows 100 + execution 10 = 110)
    总得分: 100                  # total-not-sum-of-rows (rows 93 + 10 = 103)
    评价等级: 良                 # grade-outside-band (100 is 优)
    小计: {产出指标: 60, 效益指标: 17, 满意度指标: 10}   # subtotal-contradicts-rows (产出 66)
    指标: |
      一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析
      产出指标 | 数量指标 | 规划编制完成率 | ≥100% | 72.74% | 20 | 20 | 部分片区待批复
      产出指标 | 质量指标 | 成果验收通过率 | =100% | 100% | 20 | 18 |
      产出指标 | 质量指标 | 数据入库合格率 | ≥95% | 90% | 20 | 18 | 部分数据需返工
      产出指标 | 时效指标 | 审批办结时限 | ≤30天 | 30天 | 10 | 10 |
      效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | 达成年度指标 | 10 | 7 |
      效益指标 | 经济效益指标 | 土地出让收入 | ≥90% | 95% | 10 | 10 |
      满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 92% | 10 | 10 |
"""


def audit(text: str, rules: ProjectRules) -> list[str]:
    filled = form(text)
    return [finding.id for finding in audit_claims(evaluate_goal(filled.goal, filled.funds, rules))]


def test_it_finds_nothing_in_a_correct_table(mof: ProjectRules) -> None:
    filled = form(CORRECT_TABLE)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert evaluation.total == filled.goal.claimed.total
    assert evaluation.findings == ()
    assert audit_claims(evaluation) == []


def test_it_finds_every_planted_error_exactly_once(mof: ProjectRules) -> None:
    assert Counter(audit(PLANTED_TABLE, mof)) == Counter({
        "full-marks-on-unmet-target": 1,
        "deduction-on-met-target-without-reason": 1,
        "indicator-score-off-rule": 1,
        "qualitative-score-outside-band": 1,
        "execution-rate-wrong": 1,
        "execution-score-wrong": 1,
        "weights-not-100": 1,
        "subtotal-contradicts-rows": 1,
        "total-not-sum-of-rows": 1,
        "grade-outside-band": 1,
    })


def test_it_names_the_row_and_both_figures_in_each_finding(mof: ProjectRules) -> None:
    filled = form(PLANTED_TABLE)
    findings = {f.id: f for f in audit_claims(evaluate_goal(filled.goal, filled.funds, mof))}
    off_rule = findings["indicator-score-off-rule"]
    assert off_rule.location == "产出指标/质量指标/数据入库合格率"
    assert off_rule.message == (
        "“产出指标/质量指标/数据入库合格率”填报得分18，按规则应得18.95"
        "（未达成：实际值÷指标值×分值 = 90÷95×20）。"
    )
    assert findings["total-not-sum-of-rows"].message == (
        "总得分填报100，各行得分（含预算执行率得分）合计为103。"
    )
    assert findings["subtotal-contradicts-rows"].location == "产出指标（小计）"
    assert findings["grade-outside-band"].message == (
        "填报的总得分100对应等级为“优”（90≤得分≤100），填报为“良”。"
    )
    assert findings["weights-not-100"].message == (
        "各行分值合计110（三级指标100＋预算执行率10），与总分行填报的100不符。"
    )


def test_it_finds_a_total_printed_as_zero_while_its_rows_are_full(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("总得分: 92.84", "总得分: 0").replace("    评价等级: 优\n", "")
    assert audit(text, mof) == ["total-not-sum-of-rows"]


def test_it_finds_weights_adding_to_110_under_a_printed_100(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("| 92% | 10 | 10 |", "| 92% | 20 | 20 |")
    text = text.replace("总得分: 92.84", "总得分: 102.84")
    text = text.replace("满意度指标: 10}", "满意度指标: 20}")
    assert audit(text, mof) == ["weights-not-100"]


def test_it_finds_points_deducted_from_a_target_met_exactly_without_a_reason(
    mof: ProjectRules,
) -> None:
    text = CORRECT_TABLE.replace("| 100% | 20 | 20 |", "| 100% | 20 | 19 |")
    text = text.replace("总得分: 92.84", "总得分: 91.84")
    text = text.replace("产出指标: 44.55", "产出指标: 43.55")
    assert audit(text, mof) == ["deduction-on-met-target-without-reason"]


def test_it_finds_full_execution_points_for_a_rate_of_92_87_percent(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("执行率得分: 9.29", "执行率得分: 10").replace(
        "总得分: 92.84", "总得分: 93.55"
    )
    assert audit(text, mof) == ["execution-score-wrong"]


def test_it_finds_full_marks_for_72_74_percent_of_a_100_percent_target(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("| 72.74% | 20 | 14.55 |", "| 72.74% | 20 | 20 |")
    text = text.replace("总得分: 92.84", "总得分: 98.29").replace("产出指标: 44.55", "产出指标: 50")
    assert audit(text, mof) == ["full-marks-on-unmet-target"]


def test_it_compares_claims_at_two_decimals(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("执行率得分: 9.29", "执行率得分: 9.287").replace(
        "执行率: 92.87%", "执行率: 92.866%"
    )
    assert audit(text, mof) == []


def test_it_accepts_a_moderate_deduction_on_an_explained_over_achievement(
    mof: ProjectRules,
) -> None:
    text = CORRECT_TABLE.replace(
        "| ≥90% | 95% | 20 | 20 |", "| ≥60% | 95% | 20 | 18 | 年初指标值设置偏低，按偏离度调减"
    )
    text = text.replace("总得分: 92.84", "总得分: 90.84").replace("效益指标: 29", "效益指标: 27")
    assert audit(text, mof) == []


def test_it_questions_a_deduction_on_a_met_target_even_with_a_reason(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("| 100% | 20 | 20 |", "| 100% | 20 | 19 | 验收延期一周")
    text = text.replace("总得分: 92.84", "总得分: 91.84")
    text = text.replace("产出指标: 44.55", "产出指标: 43.55")
    filled = form(text)
    findings = audit_claims(evaluate_goal(filled.goal, filled.funds, mof))
    assert [(f.id, f.severity.value) for f in findings] == [("indicator-score-off-rule", "warning")]


def test_it_finds_a_qualitative_claim_that_differs_from_the_assessed_score(
    mof: ProjectRules,
) -> None:
    assessed = """
        全年预算数: 100
        全年执行数: 100
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 评定分 | 得分
          产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 50 | | 50
          效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | 达成年度指标 | 30 | 25 | 28
          满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 95% | 10 | | 10
    """
    filled = form(assessed)
    findings = audit_claims(evaluate_goal(filled.goal, filled.funds, mof))
    assert [f.id for f in findings] == ["indicator-score-off-rule"]
    assert findings[0].location == "效益指标/社会效益指标/规划引领作用"
    assert "填报得分28，评定分为25" in findings[0].message


def test_it_expects_the_capped_total_under_the_regional_rules(regional: ProjectRules) -> None:
    capped = """
        全年预算数: 100
        全年执行数: 59
        执行偏差原因: 征拆进度滞后
        执行率: 59%
        执行率得分: 0
        总分: 100
        总得分: 90
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分
          产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 50 | 50
          效益指标 | 社会效益指标 | 群众办事时长 | ≤5天 | 4天 | 30 | 30
          满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 95% | 10 | 10
    """
    filled = form(capped)
    findings = audit_claims(evaluate_goal(filled.goal, filled.funds, regional))
    assert [f.id for f in findings] == ["total-not-sum-of-rows"]
    assert "预算执行率低于60%时总分最高69，应为69" in findings[0].message
    assert audit(capped.replace("总得分: 90", "总得分: 69"), regional) == []


def test_it_finds_a_grade_that_does_not_fit_the_computed_total(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("    总得分: 92.84\n", "").replace("评价等级: 优", "评价等级: 良")
    assert audit(text, mof) == ["grade-outside-band"]
