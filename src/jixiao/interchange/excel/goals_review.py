"""Review of a filled 项目支出绩效目标申报表 (or 部门整体支出绩效目标申报表): its goal quality.

A 申报表 has targets and weights but no actuals or scores, so what is checked is what the
rule set asks of a goal before it is approved (``core.goal_quality``): enough indicators,
enough of them quantified, each required first-level group present, targets the scoring
can read, the weights adding up with the execution rate's to 100 and to the rule set's
first-level weights, no indicator twice. Each finding names the cell.

Rows that cannot be read (an unreadable cell, an indicator entered twice) are 读取
findings; they still count in the weight sum with the 分值 they print, and the checks that
count rows are not made while one is unread. One cause, one finding: weights short by
exactly the rule set's weight of an empty required group are that group's finding, and
the first-level groups are not compared when the whole does not add up.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.goal_quality import check_goal_quality
from jixiao.core.goals import PerformanceGoal
from jixiao.core.money import HUNDRED, ZERO
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import plain_number
from jixiao.core.vocabulary import Severity
from jixiao.interchange.excel.form_goals import IndicatorRead, RowContext, evaluation_goal
from jixiao.interchange.excel.form_sheets import FormSheet
from jixiao.interchange.excel.review import (
    COUNTS_OF_ROWS,
    ReviewFinding,
    SheetReview,
    form_title,
    read_findings,
    unread_rows,
)
from jixiao.interchange.goal_records import core_goal

_WEIGHT_CHECKS = frozenset({"weights-not-100", "group-weights-mismatch"})


def review_goals(form: FormSheet, rules: ProjectRules) -> SheetReview:
    problems = list(form.problems)
    read = evaluation_goal(form, "review", None, RowContext(rules), problems)
    findings = read_findings(problems)
    goal = core_goal(read.entry, form_title(form))
    unread = [row.weight for row in unread_rows(read, problems, rules)]
    quality = check_goal_quality(goal, rules)
    weights = sum((i.weight for i in goal.indicators), ZERO)
    weights += sum((w for w in unread if w is not None), ZERO)
    missing = {f.location for f in quality if f.id == "missing-level1"}
    short = HUNDRED - rules.execution.weight - weights
    explained = bool(missing) and short == sum(
        (rules.level1_weights.get(group, ZERO) for group in missing), ZERO
    )
    whole_off = any(f.id == "weights-not-100" for f in quality)
    rows = {"/".join(r.key): r for r in read.indicators}
    for finding in quality:
        if _said_otherwise(finding.id, bool(unread), explained, whole_off):
            continue
        findings.append(_located(form, rows, finding))
    if unread:
        findings.extend(_unread_weights(form, rules, weights, unread, explained))
    return SheetReview(
        sheet=form.name,
        kind=form.kind,
        title=form_title(form),
        findings=tuple(findings),
        summary=_summary(goal, weights, rules),
    )


def _said_otherwise(check: str, unread: bool, explained: bool, whole_off: bool) -> bool:
    """A quality finding left out: one cause, one finding."""
    if unread:  # the rows are on the form, only unread: counts and sums are made below
        return check in COUNTS_OF_ROWS or check in _WEIGHT_CHECKS
    if check == "weights-not-100":
        return explained
    return check == "group-weights-mismatch" and whole_off


def _unread_weights(
    form: FormSheet,
    rules: ProjectRules,
    weights: Decimal,
    unread: list[Decimal | None],
    explained: bool,
) -> list[ReviewFinding]:
    """The weight sum over every row, the unread ones at their printed 分值."""
    where = form.top_where()
    if any(w is None for w in unread):
        message = "分值合计无法核实：有一行的分值无法读取，不能不计该行而求和。"
        return [_finding("weights-unverifiable", where, message, "分值合计须计入每一行")]
    execution = rules.execution.weight
    total = weights + execution
    if total == HUNDRED or explained:
        return []
    message = (
        f"三级指标分值合计{plain_number(weights)}（含无法读取的行），加预算执行率分值"
        f"{plain_number(execution)}为{plain_number(total)}，应为100。"
    )
    rule = "各三级指标分值与预算执行率分值之和为100"
    return [_finding("weights-not-100", where, message, rule, Severity.error)]


def _finding(
    check_id: str, where: str, message: str, rule: str, severity: Severity = Severity.warning
) -> ReviewFinding:
    return ReviewFinding(
        id=check_id,
        severity=severity,
        category="质量",
        where=where,
        location="绩效指标",
        message=message,
        rule=rule,
    )


def _located(form: FormSheet, rows: dict[str, IndicatorRead], finding: Finding) -> ReviewFinding:
    """The finding at its row's 年度指标值 (an indicator) or first 分值 (a group)."""
    where = form.top_where()
    row = rows.get(finding.location)
    group = next((r for r in rows.values() if r.key[0] == finding.location), None)
    if row is not None:
        where = row.cell.get("target", row.where)
    elif group is not None:
        where = group.cell.get("weight", group.where)
    return ReviewFinding(
        id=finding.id,
        severity=finding.severity,
        category="质量",
        where=where,
        location=finding.location,
        message=finding.message,
    )


def _summary(goal: PerformanceGoal, weights: Decimal, rules: ProjectRules) -> str:
    groups = {indicator.level1 for indicator in goal.indicators}
    return (
        f"读取{len(goal.indicators)}个三级指标，分值合计{plain_number(weights)}"
        f"（另有预算执行率{plain_number(rules.execution.weight)}分），一级指标{len(groups)}个"
    )
