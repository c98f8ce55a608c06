"""Qualitative indicators (定性指标): the three completion states and their bands, per rule set."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.goals import QualitativeState
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import IndicatorStatus, evaluate_goal, score_indicator
from jixiao.interchange.rule_files import load_rule_set
from tests.scoring.forms import form, row

HEADER = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 评定分 | 偏差原因分析"
ACHIEVED = "达成年度指标"
PARTLY = "部分达成年度指标并具有一定效果"
NOT_ACHIEVED = "未达成年度指标且效果较差"

#  实际完成值 (state), 评定分, 分值 → 得分 under mof-2020-project, under regional-tiered-project
CASES = [
    (ACHIEVED, "", "10", "9", "9"),
    (PARTLY, "", "10", "7", "6.5"),
    (NOT_ACHIEVED, "", "10", "3", "2.5"),
    (ACHIEVED, "8.5", "10", "8.5", "8.5"),
    (ACHIEVED, "10", "10", "10", "10"),
    (ACHIEVED, "8", "10", "8", "8"),
    (PARTLY, "6", "10", "6", "6"),
    (PARTLY, "5.5", "10", "6", "5.5"),
    (PARTLY, "7.99", "10", "7.99", "7.99"),
    (NOT_ACHIEVED, "0", "10", "0", "0"),
    (NOT_ACHIEVED, "5.5", "10", "5.5", "4.99"),
    (ACHIEVED, "", "15", "13.5", "13.5"),
    (PARTLY, "", "15", "10.5", "9.75"),
]


@pytest.mark.parametrize(("state", "assessed", "weight", "mof_score", "regional_score"), CASES)
def test_it_scores_a_qualitative_row_inside_the_band_of_its_state(
    state: str, assessed: str, weight: str, mof_score: str, regional_score: str
) -> None:
    line = f"效益指标 | 社会效益指标 | 引领作用 | 效果明显 | {state} | {weight} | {assessed} | 说明"
    for rule_id, expected in (
        ("mof-2020-project", mof_score),
        ("regional-tiered-project", regional_score),
    ):
        result = score_indicator(row(line, HEADER), load_rule_set(rule_id))
        assert result.score == Decimal(expected), (rule_id, result.rule)
        assert result.status == state


@pytest.mark.parametrize(
    ("state", "assessed", "clamped"),
    [(ACHIEVED, "12", "10"), (ACHIEVED, "7", "8"), (PARTLY, "8", "7.99"), (PARTLY, "4", "6")],
)
def test_it_clamps_a_score_outside_the_band_and_says_so(
    mof: ProjectRules, state: str, assessed: str, clamped: str
) -> None:
    line = f"效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | {state} | 10 | {assessed} | 说明"
    result = score_indicator(row(line, HEADER), mof)
    assert result.score == Decimal(clamped)
    assert [f.id for f in result.findings] == ["qualitative-score-outside-band"]
    assert f"按{clamped}分计" in result.findings[0].message


def test_it_documents_the_default_share_in_the_rule_text(mof: ProjectRules) -> None:
    line = f"效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | {PARTLY} | 10 | | 说明"
    result = score_indicator(row(line, HEADER), mof)
    assert result.rule == (
        "定性：部分达成年度指标并具有一定效果，得分区间[60%, 80%)×分值，"
        "未评定分值，按70%×分值 = 70%×10"
    )


def test_it_treats_a_qualitative_row_without_state_as_not_reported(packaged: ProjectRules) -> None:
    line = "效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | | 10 | | "
    result = score_indicator(row(line, HEADER), packaged)
    assert (result.score, result.status) == (None, IndicatorStatus.not_reported)


def test_it_reads_the_state_from_the_actual_cell_when_no_state_is_picked(
    mof: ProjectRules,
) -> None:
    indicator = replace(
        row(f"效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | {PARTLY} | 10 | | 说明", HEADER),
        state=None,
    )
    result = score_indicator(indicator, mof)
    assert result.status is IndicatorStatus.partly_achieved
    assert result.score == Decimal(7)


def test_it_prefers_the_picked_state_over_the_actual_text(mof: ProjectRules) -> None:
    indicator = replace(
        row("效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | 效果较好 | 10 | | ", HEADER),
        state=QualitativeState.achieved,
    )
    assert score_indicator(indicator, mof).score == Decimal(9)


def test_it_asks_for_a_reason_when_a_qualitative_target_is_only_partly_achieved(
    mof: ProjectRules,
) -> None:
    line = f"效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | {PARTLY} | 10 | | "
    result = score_indicator(row(line, HEADER), mof)
    assert [f.id for f in result.findings] == ["deviation-reason-missing"]


def test_it_makes_an_evaluation_incomplete_when_a_state_is_missing(mof: ProjectRules) -> None:
    filled = form("""
        全年预算数: 100
        全年执行数: 100
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
          产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 50
          效益指标 | 社会效益指标 | 规划引领作用 | 效果明显 | | 30
          满意度指标 | 服务对象满意度指标 | 满意度 | ≥90% | 95% | 10
    """)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert evaluation.missing == ("效益指标/社会效益指标/规划引领作用：完成状态未填报，不计分",)
    assert evaluation.total is None
