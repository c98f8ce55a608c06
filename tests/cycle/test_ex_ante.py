"""事前绩效评估: which projects need one, scoring on the sheet, and the budget gate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.ex_ante import (
    Assessment,
    AssessmentSheet,
    Conclusion,
    ItemScore,
    ProposedProject,
    assessment_reason,
    conclusion_text,
    may_enter_budget,
    score_assessment,
)
from jixiao.interchange.ex_ante_files import (
    SHIPPED_EX_ANTE_RULES,
    parse_ex_ante_rules,
    shipped_ex_ante_rules,
)
from jixiao.interchange.problems import InputRejected

WAN = Decimal(10000)


def _sheet(name: str = "ex-ante-mof-guangdong") -> AssessmentSheet:
    return shipped_ex_ante_rules(name)


def _new_project(code: str = "P24-01", wan: int = 300) -> ProposedProject:
    return ProposedProject(code, "历史文化街区活化利用", 2024, Decimal(wan) * WAN)


def _all_items(sheet: AssessmentSheet, score: str, band: str | None = None) -> Assessment:
    return Assessment("P24-01", tuple(ItemScore(i.code, Decimal(score), band) for i in sheet.items))


def test_every_shipped_sheet_reads_and_weighs_100() -> None:
    for name in SHIPPED_EX_ANTE_RULES:
        sheet = _sheet(name)
        assert sum(d.weight for d in sheet.dimensions) == 100
        assert [d.name for d in sheet.dimensions] == [
            "立项必要性",
            "投入经济性",
            "绩效目标合理性",
            "实施方案可行性",
            "筹资合规性",
        ]


def test_a_new_project_needs_an_assessment_and_a_small_rise_does_not() -> None:
    sheet = _sheet()
    assert "新增项目" in (assessment_reason(_new_project(), sheet) or "")
    steady = ProposedProject("P1", "耕地保护", 2024, Decimal(110) * WAN, Decimal(100) * WAN)
    assert assessment_reason(steady, sheet) is None


def test_a_rise_above_the_threshold_needs_an_assessment_and_one_at_it_does_not() -> None:
    sheet = _sheet()
    rising = ProposedProject("P1", "耕地保护", 2024, Decimal(121) * WAN, Decimal(100) * WAN)
    reason = assessment_reason(rising, sheet)
    assert reason is not None and "增长21.00%" in reason and "超过20.00%" in reason
    at_threshold = ProposedProject("P1", "耕地保护", 2024, Decimal(120) * WAN, Decimal(100) * WAN)
    assert assessment_reason(at_threshold, sheet) is None


def test_a_well_scored_assessment_is_supported_and_may_enter_the_budget() -> None:
    sheet = _sheet()
    result = score_assessment(_all_items(sheet, "4.5"), sheet)
    assert result.total == Decimal("90.0")
    assert result.conclusion is Conclusion.supported
    assert result.findings == ()
    decision = may_enter_budget(_new_project(), result, sheet)
    assert decision.allowed
    assert "予以支持" in decision.reason
    assert conclusion_text(result) == "评估得分90分，评估结论：予以支持。"


def test_a_poor_assessment_is_not_supported_and_the_gate_says_why() -> None:
    sheet = _sheet()
    result = score_assessment(_all_items(sheet, "2.5"), sheet)
    assert result.conclusion is Conclusion.not_supported
    decision = may_enter_budget(_new_project(), result, sheet)
    assert not decision.allowed
    assert (
        decision.reason
        == "“历史文化街区活化利用”事前绩效评估结论为“不予支持”（得分50分），不能纳入预算。"
    )


def test_a_project_that_needs_an_assessment_cannot_enter_the_budget_without_one() -> None:
    decision = may_enter_budget(_new_project(), None, _sheet())
    assert not decision.allowed
    assert decision.reason.endswith("尚无事前绩效评估结果，不能纳入预算。")


def test_the_middle_conclusion_starts_at_60_inclusive() -> None:
    sheet = _sheet()
    result = score_assessment(_all_items(sheet, "3"), sheet)
    assert result.total == 60
    assert result.conclusion is Conclusion.supported_after_revision
    assert may_enter_budget(_new_project(), result, sheet).allowed


def test_a_score_outside_its_chosen_band_is_a_finding_and_leaves_no_conclusion() -> None:
    sheet = _sheet()
    scores = list(_all_items(sheet, "4.5", "优").scores)
    scores[0] = ItemScore("1.1", Decimal("4"), "优")  # 优 is [4.5, 5] of 5 points
    result = score_assessment(Assessment("P24-01", tuple(scores)), sheet)
    assert result.conclusion is None
    assert [f.id for f in result.findings] == ["ex-ante-item-score"]
    assert "不在该等级的分数范围[4.5, 5]内" in result.findings[0].message
    assert not may_enter_budget(_new_project(), result, sheet).allowed


def test_a_missing_item_leaves_the_assessment_incomplete() -> None:
    sheet = _sheet()
    scores = _all_items(sheet, "5").scores[1:]
    result = score_assessment(Assessment("P24-01", scores), sheet)
    assert result.conclusion is None
    assert "评分项“1.1 政策相关性”未评分。" in [f.message for f in result.findings]
    assert conclusion_text(result) == "评分未完成（已评得分合计95分），暂无评估结论。"


def test_the_regional_variant_vetoes_a_weak_necessity_whatever_the_total() -> None:
    sheet = _sheet("ex-ante-county-veto")
    scores = {"A1": "5", "A2": "5", "A3": "4"}  # 14 of 25: below 60 %
    assessment = Assessment(
        "P24-01",
        tuple(ItemScore(i.code, Decimal(scores.get(i.code, str(i.weight)))) for i in sheet.items),
    )
    result = score_assessment(assessment, sheet)
    assert result.total == 89
    assert result.conclusion is Conclusion.not_supported
    assert any(f.id == "ex-ante-veto" for f in result.findings)


def test_the_regional_variant_admits_only_supported_projects_above_its_threshold() -> None:
    sheet = _sheet("ex-ante-county-veto")
    small = _new_project(wan=50)
    assert assessment_reason(small, sheet) is None
    assert may_enter_budget(small, None, sheet).allowed
    scores = tuple(ItemScore(i.code, i.weight * Decimal("0.75")) for i in sheet.items)
    result = score_assessment(Assessment("P24-01", scores), sheet)
    assert result.conclusion is Conclusion.supported_after_revision
    assert not may_enter_budget(_new_project(), result, sheet).allowed


VARIANT = """\
format: jixiao-ex-ante-rules/1
id: ex-ante-two-dimensions
version: 1
name: 两个方面的简化评分表
sources: [测试用]
unit: 元
trigger: {new_projects: false, new_policies: true, increase_above: 50%}
gate: {required: true, passing: [予以支持]}
bands: [{label: 合格, from: 50%, to: 100%}, {label: 不合格, from: 0%, to: 50%}]
conclusions: [{conclusion: 予以支持, at_least: 50}, {conclusion: 不予支持, at_least: 0}]
dimensions:
  - {name: 立项必要性, weight: 60, items: [{code: N, name: 必要性, weight: 60}]}
  - {name: 投入经济性, weight: 40, items: [{code: E, name: 经济性, weight: 40}]}
"""


def test_a_variant_written_only_as_data_works() -> None:
    sheet = parse_ex_ante_rules(VARIANT)
    new = _new_project()
    assert assessment_reason(new, sheet) is None  # this region assesses new policies only
    policy = ProposedProject("Z1", "新政策", 2024, Decimal(1), is_policy=True)
    assert "新出台政策" in (assessment_reason(policy, sheet) or "")
    result = score_assessment(
        Assessment("Z1", (ItemScore("N", Decimal(30)), ItemScore("E", Decimal(20)))), sheet
    )
    assert result.conclusion is Conclusion.supported
    assert result.items[0].band is not None and result.items[0].band.label == "合格"
    assert may_enter_budget(policy, result, sheet).allowed


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ("weight: 60, items", "dimensions", "合计为110，应为100"),
        ("from: 50%, to: 100%", "bands", "各等级之间不能有空档或重叠"),
        ("at_least: 50}", "conclusions[1].at_least", "应按分数从高到低排列"),
    ],
)
def test_a_broken_sheet_is_refused_with_located_chinese_problems(
    change: str, where: str, message: str
) -> None:
    broken = {
        "weight: 60, items": VARIANT.replace("weight: 60, items", "weight: 70, items").replace(
            "weight: 60}", "weight: 70}"
        ),
        "from: 50%, to: 100%": VARIANT.replace("from: 50%, to: 100%", "from: 60%, to: 100%"),
        "at_least: 50}": VARIANT.replace("at_least: 0}", "at_least: 50}"),
    }[change]
    with pytest.raises(InputRejected) as caught:
        parse_ex_ante_rules(broken)
    assert any(p.where.startswith(where) and message in p.message for p in caught.value.problems)


def test_a_bare_number_for_a_percentage_is_refused() -> None:
    with pytest.raises(InputRejected) as caught:
        parse_ex_ante_rules(VARIANT.replace("increase_above: 50%", "increase_above: 50"))
    assert caught.value.problems[0].where == "trigger.increase_above"
    assert "应写成百分数" in caught.value.problems[0].message
