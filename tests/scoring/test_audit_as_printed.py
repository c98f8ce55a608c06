"""The audit at the precision a table prints, and with rows the table prints but that cannot
be read: never a comparison at a precision the table does not print, never a sum without a row."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.audit import (
    EXECUTION_RATE,
    EXECUTION_SCORE,
    REVIEW_AUDITS,
    TOTAL,
    AsPrinted,
    UnreadRow,
    audit_claims,
    subtotal_key,
)
from jixiao.core.money import ONE
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import evaluate_goal, level1_group_sums, level1_weight_findings
from tests.scoring.forms import form
from tests.scoring.test_audit import CORRECT_TABLE

# 86.2 万元 of 100: 86.20 %, 8.62 points; printed as whole numbers.
WHOLE = (
    CORRECT_TABLE.replace("全年执行数: 92.87", "全年执行数: 86.2")
    .replace("执行率: 92.87%", "执行率: 86%")
    .replace("执行率得分: 9.29", "执行率得分: 9")
    .replace("总得分: 92.84", "总得分: 92")
)
WHOLE_PLACES = {EXECUTION_RATE: 0, EXECUTION_SCORE: 0, TOTAL: 0}


def ids(text: str, rules: ProjectRules, printed: AsPrinted | None = None) -> list[str]:
    filled = form(text)
    evaluation = evaluate_goal(filled.goal, filled.funds, rules)
    return [f.id for f in audit_claims(evaluation, printed=printed or AsPrinted())]


def test_whole_numbers_agree_at_the_precision_they_are_printed(mof: ProjectRules) -> None:
    assert ids(WHOLE, mof, AsPrinted(WHOLE_PLACES)) == []
    # the same figures, taken at two decimals, are wrong
    assert ids(WHOLE, mof) == [
        "execution-rate-wrong", "execution-score-wrong", "total-not-sum-of-rows"
    ]


def test_the_finding_names_the_precision_applied(mof: ProjectRules) -> None:
    text = WHOLE.replace("执行率得分: 9", "执行率得分: 8")
    filled = form(text)
    findings = audit_claims(
        evaluate_goal(filled.goal, filled.funds, mof), printed=AsPrinted(WHOLE_PLACES)
    )
    wrong = {f.id: f for f in findings}
    assert "按填报精度（整数）比较" in wrong["execution-score-wrong"].message


def test_an_unread_row_counts_in_the_weights_and_the_total(mof: ProjectRules) -> None:
    """The table's rows and execution weigh 100; a 10-point row that cannot be read makes
    110 under a 总分 of 100 — and the 总得分 is footed with its printed score."""
    unread = UnreadRow("表!E20", "产出指标", Decimal(10), Decimal(10))
    found = ids(CORRECT_TABLE, mof, AsPrinted(unread=(unread,)))
    assert "weights-not-100" in found and "total-not-sum-of-rows" in found
    text = CORRECT_TABLE.replace("总得分: 92.84", "总得分: 102.84").replace(
        "产出指标: 44.55", "产出指标: 54.55"
    )
    found = ids(text, mof, AsPrinted(unread=(unread,)))
    assert found == ["weights-not-100"]


def test_a_row_without_a_readable_weight_or_score_makes_the_sums_unverifiable(
    mof: ProjectRules,
) -> None:
    unread = UnreadRow("表!F20", "产出指标", None, None)
    filled = form(CORRECT_TABLE)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    findings = audit_claims(evaluation, REVIEW_AUDITS, AsPrinted(unread=(unread,)))
    assert sorted(f.id for f in findings) == [
        "subtotal-unverifiable",
        "total-unverifiable",
        "weights-unverifiable",
    ]
    assert all("表!F20" in f.message and "无法核实" in f.message for f in findings)


def test_a_subtotal_printed_as_a_whole_number_allows_its_rounding(mof: ProjectRules) -> None:
    text = CORRECT_TABLE.replace("产出指标: 44.55", "产出指标: 45")
    places = {subtotal_key("产出指标"): 0}
    assert ids(text, mof, AsPrinted(places)) == []
    assert ids(text.replace("产出指标: 45", "产出指标: 46"), mof, AsPrinted(places)) == [
        "subtotal-contradicts-rows"
    ]


def test_group_weights_are_checked_against_the_rule_set(mof: ProjectRules) -> None:
    filled = form(CORRECT_TABLE)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    # 产出 20 + 20 + 10 = 50, 效益 10 + 20 = 30, 满意度 10: as 10号 weighs them
    assert audit_claims(evaluation, REVIEW_AUDITS) == []
    text = CORRECT_TABLE.replace("| 30天 | 10 | 10 |", "| 30天 | 5 | 5 |")
    text = text.replace("| 达成年度指标 | 10 | 9 |", "| 达成年度指标 | 15 | 14 |")
    text = text.replace("产出指标: 44.55", "产出指标: 39.55")
    text = text.replace("效益指标: 29", "效益指标: 34")
    filled = form(text)
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    findings = audit_claims(evaluation, REVIEW_AUDITS)
    found = [f for f in findings if f.id == "group-weights-mismatch"]
    assert [(f.location, f.figures["三级指标分值合计"]) for f in found] == [
        ("产出指标", Decimal(45)),
        ("效益指标", Decimal(35)),
    ]


def test_the_groups_are_summed_once_for_the_quality_check_and_the_audit(
    mof: ProjectRules,
) -> None:
    """``level1_group_sums`` is the one sum of the first-level groups: the goal checks
    (``level1_weight_findings``) report what it sums from the rows, the printed audit what
    it sums with the rows the table prints but that cannot be read."""
    text = CORRECT_TABLE.replace("| 30天 | 10 | 10 |", "| 30天 | 5 | 5 |")
    filled = form(text)
    goal = filled.goal
    weights = {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
    sums = level1_group_sums(goal.indicators, weights)
    assert [(s.name, s.weight, s.total) for s in sums] == [
        ("产出指标", Decimal(50), Decimal(45)),
        ("效益指标", Decimal(30), Decimal(30)),
        ("满意度指标", Decimal(10), Decimal(10)),
    ]
    assert sums[0].rows == sum(1 for i in goal.indicators if i.level1 == "产出指标")
    quality = [f for f in level1_weight_findings(goal.indicators, weights, mof)
               if f.id == "group-weights-mismatch"]  # fmt: skip
    assert [(f.location, f.figures["三级指标分值合计"]) for f in quality] == [
        ("产出指标", Decimal(45))
    ]
    more = level1_group_sums(goal.indicators, weights, [("产出指标", Decimal(5)), ("其他", ONE)])
    assert (more[0].rows, more[0].total) == (sums[0].rows + 1, Decimal(50))
    unread = UnreadRow("表!E14", "产出指标", Decimal(5))
    evaluation = evaluate_goal(filled.goal, filled.funds, mof)
    audit = audit_claims(evaluation, REVIEW_AUDITS, AsPrinted(unread=(unread,)))
    assert "group-weights-mismatch" not in [f.id for f in audit]  # 45 read + 5 unread = 50
    assert level1_group_sums([], {}) == []
