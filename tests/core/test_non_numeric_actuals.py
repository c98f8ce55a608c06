"""Actuals that are not figures, as real forms write them: "无（本年未发生）" declares the
indicator not applicable and the rule set decides its weight; "完成" against a quantitative
target asks for the figure instead of scoring."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.rules import NotApplicableWeight, ProjectRules
from jixiao.core.scoring import IndicatorStatus, evaluate_goal, score_indicator
from jixiao.core.targets import (
    FigureMissing,
    NotAFigure,
    NotApplicable,
    Quantity,
    not_applicable,
    read_quantitative_actual,
    says_completed,
)
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_files import load_rule_set, parse_rule_set
from tests.scoring.forms import form, row

WITH_REASON = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 偏差原因分析"


@pytest.fixture(scope="module")
def mof() -> ProjectRules:
    return load_rule_set("mof-2020-project")


@pytest.mark.parametrize(("text", "reason"), [
    ("无（本年度未发生违法用地）", "本年度未发生违法用地"),
    ("无(本年度未发生)", "本年度未发生"),
    ("不适用：项目未涉及征地", "项目未涉及征地"),
    ("无此项，年内未安排", "年内未安排"),
    ("无。因政策调整取消", "因政策调整取消"),
])
def test_it_reads_a_not_applicable_declaration_with_its_reason_in_the_cell(
    text: str, reason: str
) -> None:
    assert not_applicable(text) == NotApplicable(text, reason)


def test_it_takes_the_reason_from_the_deviation_column_when_the_cell_has_none() -> None:
    declared = not_applicable("不适用", "本年未开展此项工作")
    assert declared == NotApplicable("不适用", "本年未开展此项工作")


@pytest.mark.parametrize("text", ["无", "不适用", "无投诉", "无重大安全事故", "无明显变化", "3项"])
def test_without_a_reason_or_as_part_of_a_phrase_it_is_no_declaration(text: str) -> None:
    assert not_applicable(text) is None


@pytest.mark.parametrize("text", ["完成", "已完成", "全部完成", "已完成。", " 已全部完成 "])
def test_it_recognises_a_completion_claim_without_a_figure(text: str) -> None:
    assert says_completed(text)
    with pytest.raises(FigureMissing, match="没有实际完成的数值") as raised:
        read_quantitative_actual(text, "绩效指标表!G9", target="≥12个")
    assert "绩效指标表!G9" in str(raised.value) and "≥12个" in str(raised.value)


def test_a_quantitative_actual_reads_as_a_figure_a_declaration_or_nothing() -> None:
    assert isinstance(read_quantitative_actual("12个"), Quantity)
    assert read_quantitative_actual("无") is None
    assert read_quantitative_actual("") is None
    assert isinstance(read_quantitative_actual("无（未发生）"), NotApplicable)
    with pytest.raises(NotAFigure):
        read_quantitative_actual("基本到位")


def test_completion_against_a_quantitative_target_asks_for_the_figure(mof: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 培训场次 | =12场 | 已完成 | 10"), mof)
    assert result.score is None and result.status is IndicatorStatus.unscorable
    [finding] = result.findings
    assert finding.id == "actual-figure-missing"
    assert finding.location == "产出指标/数量指标/培训场次"
    assert "没有实际完成的数值" in finding.message and "=12场" in finding.message


def test_a_row_without_a_reason_stays_unreported_and_asks_for_the_reason(
    mof: ProjectRules,
) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 查处违法用地 | ≥5宗 | 无 | 20"), mof)
    assert result.status is IndicatorStatus.not_reported and result.score is None
    assert [f.id for f in result.findings] == ["not-applicable-without-reason"]


def test_a_qualitative_row_can_be_declared_not_applicable(mof: ProjectRules) -> None:
    result = score_indicator(
        row("效益指标 | 社会效益指标 | 群众知晓度 | 明显提高 | 不适用：本年未开展宣传 | 10"), mof
    )
    assert result.status is IndicatorStatus.not_applicable
    assert "本年未开展宣传" in result.rule


FORM = f"""
全年预算数: 100
全年执行数: 100
指标: |
  {WITH_REASON}
  产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 30 |
  产出指标 | 数量指标 | 查处违法用地 | ≥5宗 | {{actual}} | 20 | {{reason}}
  效益指标 | 社会效益指标 | 群众办事时长 | ≤5天 | 4天 | 30 |
  满意度指标 | 服务对象满意度指标 | 满意度 | ≥90% | 81% | 10 |
"""


@pytest.mark.parametrize(("actual", "reason"), [
    ("无（本年度未发现违法用地）", ""),
    ("无", "本年度未发现违法用地"),
])
def test_a_not_applicable_row_is_left_out_and_the_total_rescaled(
    mof: ProjectRules, actual: str, reason: str
) -> None:
    filled = form(FORM.format(actual=actual, reason=reason))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    declared = evaluation.indicators[1]
    assert declared.status is IndicatorStatus.not_applicable and declared.score is None
    assert evaluation.complete
    # 30 + 30 + 9 (81 ÷ 90 × 10) + 执行率 10 = 79 of the 80 points that apply → 79 × 100 ÷ 80
    assert evaluation.total == Decimal("98.75")
    assert evaluation.level1_scores["产出指标"] == Decimal(30)
    ids = [f.id for f in evaluation.findings]
    assert "indicator-not-applicable" in ids and "total-rescaled-for-not-applicable" in ids


def test_a_rule_set_may_score_a_not_applicable_row_its_full_weight(mof: ProjectRules) -> None:
    full_marks = replace(mof, not_applicable=NotApplicableWeight.full_marks)
    filled = form(FORM.format(actual="不适用（本年度未发现违法用地）", reason=""))
    evaluation = evaluate_goal(filled.goal, filled.funds, full_marks)
    assert evaluation.indicators[1].score == Decimal(20)
    assert evaluation.total == Decimal(99)


def test_a_completion_claim_keeps_the_total_open(mof: ProjectRules) -> None:
    filled = form(FORM.format(actual="全部完成", reason=""))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    assert evaluation.total is None
    assert any("查处违法用地" in text for text in evaluation.missing)


def test_the_rule_file_states_what_a_not_applicable_weight_becomes() -> None:
    text = _packaged_text("mof-2020-project")
    rules = parse_rule_set(text.replace("not_applicable: rescale", "not_applicable: full_marks"))
    assert rules.not_applicable is NotApplicableWeight.full_marks
    with pytest.raises(InputRejected):
        parse_rule_set(text.replace("not_applicable: rescale", "not_applicable: 满分"))


def _packaged_text(rule_id: str) -> str:
    from importlib import resources

    return (resources.files("jixiao") / "rules" / f"{rule_id}.yaml").read_text("utf-8")
