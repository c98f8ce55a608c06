"""成本指标 as a first-level group (财预〔2021〕101号): a rule file option, data only."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_goal
from jixiao.interchange.rule_files import load_rule_set, parse_rule_set
from tests.scoring.forms import form

TRAINING = """
    项目名称: 业务培训
    全年预算数: 66
    全年执行数: 66
    指标: |
      一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
      产出指标 | 数量指标 | 培训人天 | ≥1200人天 | 1200人天 | {quantity}
      产出指标 | 质量指标 | 考核合格率 | ≥95% | 98% | {quality}
      成本指标 | 经济成本指标 | 人均每天培训费用 | ≤550元 | 550元 | {cost}
      效益指标 | 社会效益指标 | 业务能力提升 | ≥90% | 92% | 30
      满意度指标 | 服务对象满意度指标 | 参训人员满意度 | ≥90% | 95% | 10
"""


def _training(quantity: int, quality: int, cost: int) -> str:
    return TRAINING.format(quantity=quantity, quality=quality, cost=cost)


def test_the_shipped_variant_scores_cost_as_its_own_first_level_group() -> None:
    rules = load_rule_set("cost-level1-project")
    assert rules.cost_is_level1
    assert rules.level1_weights == {
        "产出指标": 40, "成本指标": 10, "效益指标": 30, "满意度指标": 10,
    }  # fmt: skip
    filled = form(_training(20, 20, 10))
    evaluation = evaluate_goal(filled.goal, filled.funds, rules)
    assert evaluation.findings == ()
    assert evaluation.level1_scores["成本指标"] == Decimal(10)
    assert evaluation.total == Decimal(100)


def test_the_default_rule_set_keeps_cost_under_outputs(mof: ProjectRules) -> None:
    assert not mof.cost_is_level1
    assert mof.level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    filled = form(_training(20, 20, 10))
    findings = evaluate_goal(filled.goal, filled.funds, mof).findings
    assert "indicator-outside-groups" in {f.id for f in findings}


GUANGDONG_STYLE = """
format: jixiao-project-rules/1
id: cost-heavy-project
version: "2024"
name: 成本指标20分的地区规则集（测试用）
sources: [某地区 2024 年项目支出绩效自评通知]
level1:
  - {name: 产出指标, weight: 30, level2: [数量指标, 质量指标]}
  - {name: 成本指标, weight: 20, level2: [经济成本指标]}
  - {name: 效益指标, weight: 30, level2: [社会效益指标]}
  - {name: 满意度指标, weight: 10, level2: [服务对象满意度指标]}
cost_is_level1: true
execution: {weight: 10, method: proportional}
quantitative: {over_achievement_at: 130%}
qualitative:
  达成年度指标: {band: [80%, 100%], default: 90%}
  部分达成年度指标并具有一定效果: {band: [60%, 80%], default: 70%}
  未达成年度指标且效果较差: {band: [0%, 60%], default: 30%}
grades:
  - {grade: 优, at_least: 90}
  - {grade: 良, at_least: 80}
  - {grade: 中, at_least: 60}
  - {grade: 差, at_least: 0}
"""


def test_a_variant_written_only_as_data_weighs_cost_as_it_says() -> None:
    rules = parse_rule_set(GUANGDONG_STYLE)
    over_cost = _training(15, 15, 20).replace("| 550元 |", "| 605元 |")
    filled = form(over_cost)
    evaluation = evaluate_goal(filled.goal, filled.funds, rules)
    assert [f.id for f in evaluation.findings] == ["deviation-reason-missing"]
    # ≤550元 reached 605元: 10 % over, deducted linearly to 0 at twice the target
    assert evaluation.level1_scores["成本指标"] == Decimal(18)
    assert evaluation.total == Decimal(98)
