"""Totals, subtotals, weights and grades of a whole self-evaluation form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_goal, grade_of
from tests.scoring.forms import form

PLANNING = """
    项目名称: 国土空间规划编制
    全年预算数: 100
    全年执行数: 92.87
    指标: |
      一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 评定分 | 偏差原因分析
      产出指标 | 数量指标 | 规划编制完成率 | ≥100% | 72.74% | 20 | | 部分片区待批复
      产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 20 | |
      产出指标 | 时效指标 | 按时办结率 | ≤30天 | 25天 | 10 | |
      效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | 达成年度指标 | 10 | 8.5 |
      效益指标 | 经济效益指标 | 土地出让收入 | ≥5000万元 | 5000万元 | 20 | |
      满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 92% | 10 | |
"""


def test_it_adds_the_rounded_rows_into_subtotals_and_a_graded_total(mof: ProjectRules) -> None:
    filled = form(PLANNING)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert [row.score for row in evaluation.indicators] == [
        Decimal("14.55"), Decimal(20), Decimal(10), Decimal("8.5"), Decimal(20), Decimal(10),
    ]
    assert evaluation.execution.score == Decimal("9.29")
    assert dict(evaluation.level1_scores) == {
        "产出指标": Decimal("44.55"), "效益指标": Decimal("28.5"), "满意度指标": Decimal(10),
    }
    assert evaluation.weight_total == Decimal(100)
    assert (evaluation.uncapped_total, evaluation.total) == (Decimal("92.34"), Decimal("92.34"))
    assert evaluation.grade == "优"
    assert evaluation.complete
    assert evaluation.findings == ()


def test_it_sums_the_rounded_row_scores_not_the_unrounded_ones(mof: ProjectRules) -> None:
    filled = form("""
        全年预算数: 100
        全年执行数: 100
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 偏差原因分析
          产出指标 | 数量指标 | 甲 | ≥3项 | 2项 | 10 | 说明
          产出指标 | 数量指标 | 乙 | ≥3项 | 2项 | 10 | 说明
          产出指标 | 数量指标 | 丙 | ≥3项 | 3项 | 30 |
          效益指标 | 社会效益指标 | 丁 | ≥3项 | 3项 | 30 |
          满意度指标 | 服务对象满意度指标 | 戊 | ≥90% | 90% | 10 |
    """)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert evaluation.indicators[0].score == Decimal("6.67")
    assert evaluation.total == Decimal("93.34")  # 6.67 + 6.67, not 13.33


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"), ("90", "优"), ("89.995", "优"), ("89.99", "良"), ("89.994", "良"),
        ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差"),
    ],
)
def test_it_grades_the_rounded_total(packaged: ProjectRules, total: str, grade: str) -> None:
    assert grade_of(Decimal(total), packaged) == grade


def test_it_reports_group_weights_that_do_not_match_their_rows(mof: ProjectRules) -> None:
    filled = form(PLANNING.replace("| ≤30天 | 25天 | 10 |", "| ≤30天 | 25天 | 20 |"))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert [f.id for f in evaluation.findings] == ["group-weights-mismatch"]
    assert evaluation.findings[0].location == "产出指标"
    assert "分值为50" in evaluation.findings[0].message
    assert "合计为60" in evaluation.findings[0].message
    assert evaluation.weight_total == Decimal(110)


def test_it_lets_a_goal_override_the_first_level_weights(mof: ProjectRules) -> None:
    text = PLANNING.replace("| ≥3项 | 3项 | 20 |", "| ≥3项 | 3项 | 10 |")
    text = text.replace("| 5000万元 | 20 |", "| 5000万元 | 30 |")
    filled = form(text + "    一级指标分值: {产出指标: 40, 效益指标: 40}\n")
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert evaluation.findings == ()
    assert dict(evaluation.level1_weights) == {
        "产出指标": Decimal(40), "效益指标": Decimal(40), "满意度指标": Decimal(10),
    }


def test_it_reports_overridden_weights_that_do_not_add_up_to_100(mof: ProjectRules) -> None:
    filled = form(PLANNING + "    一级指标分值: {产出指标: 40}\n")
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert sorted(f.id for f in evaluation.findings) == [
        "group-weights-mismatch", "weights-not-100",
    ]
    weights = next(f for f in evaluation.findings if f.id == "weights-not-100")
    assert "合计为90，应为100" in weights.message


def test_it_reports_a_row_outside_every_first_level_group(mof: ProjectRules) -> None:
    filled = form(PLANNING.replace("产出指标 | 时效指标 |", "成本指标 | 经济成本指标 |"))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert sorted(f.id for f in evaluation.findings) == [
        "group-weights-mismatch", "indicator-outside-groups",
    ]
    assert evaluation.level1_scores["成本指标"] == Decimal(10)
