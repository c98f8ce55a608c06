"""Auditing a filled self-evaluation table: what the unit claimed against what the rules give.

Two kinds of difference are told apart:

* the table's own arithmetic (its total is not the sum of its rows, a subtotal contradicts its
  rows, the weights do not add up to the printed 总分, the grade is not the band of the total);
* a claimed figure that differs from the rule (a row's score, the execution rate or its score,
  a qualitative score outside its band).

Every check is a small function returning findings, run from one list. Figures are compared
at the rule set's rounding places: a claimed 9.29 and a computed 9.287 are the same.
Where the table prints no score for a row, the row's computed score stands in for it in the
sums, so that one missing cell does not hide an arithmetic error elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.money import HUNDRED, ZERO, format_wan, round_half_up
from jixiao.core.scoring import (
    GoalEvaluation,
    IndicatorResult,
    IndicatorStatus,
    grade_of,
    plain_number,
    qualitative_band_scores,
    tightest_cap,
)
from jixiao.core.vocabulary import Severity
from jixiao.core.wording import quoted

Audit = Callable[[GoalEvaluation], Iterable[Finding]]


def _round(value: Decimal, evaluation: GoalEvaluation) -> Decimal:
    return round_half_up(value, evaluation.rules.rounding_places)


def _n(value: Decimal) -> str:
    return plain_number(value)


def audit_indicator_scores(evaluation: GoalEvaluation) -> Iterator[Finding]:
    """Each row's claimed 得分 against the rule."""
    for row in evaluation.indicators:
        claimed = row.indicator.claimed_score
        if claimed is None or row.score is None:
            continue
        claimed = _round(claimed, evaluation)
        if row.indicator.kind is IndicatorKind.qualitative:
            yield from _qualitative_claim(evaluation, row, claimed)
        elif claimed != row.score:
            finding = _quantitative_claim(row, claimed)
            if finding is not None:
                yield finding


def _quantitative_claim(row: IndicatorResult, claimed: Decimal) -> Finding | None:
    assert row.score is not None
    indicator = row.indicator
    figures = {"填报得分": claimed, "计算得分": row.score, "分值": indicator.weight}
    met = row.status.target_met
    if not met and claimed >= indicator.weight:
        return Finding(
            id="full-marks-on-unmet-target",
            severity=Severity.error,
            message=(
                f"{quoted(row.path)}实际完成值{row.actual}未达到年度指标值{row.target}，却填报满分"
                f"{_n(claimed)}；按规则应得{_n(row.score)}（{row.rule}）。"
            ),
            figures=figures,
            location=row.path,
        )
    if met and claimed < row.score:
        reason = indicator.deviation_reason.strip()
        if not reason:
            return Finding(
                id="deduction-on-met-target-without-reason",
                severity=Severity.error,
                message=(
                    f"{quoted(row.path)}实际完成值{row.actual}已达到年度指标值{row.target}，应得"
                    f"{_n(row.score)}分，填报得分{_n(claimed)}，扣分却未说明原因。"
                ),
                figures=figures,
                location=row.path,
            )
        if row.status is IndicatorStatus.met:
            return Finding(
                id="indicator-score-off-rule",
                severity=Severity.warning,
                message=(
                    f"{quoted(row.path)}已达到年度指标值，按规则应得{_n(row.score)}分，填报得分"
                    f"{_n(claimed)}，扣分理由为{quoted(reason)}；未超额完成的指标按规则不扣分，请核实。"
                ),
                figures=figures,
                location=row.path,
            )
        # Over-achieved with a reason given: 10号 lets the unit reduce the points moderately.
        return None
    return Finding(
        id="indicator-score-off-rule",
        severity=Severity.error,
        message=(
            f"{quoted(row.path)}填报得分{_n(claimed)}，按规则应得{_n(row.score)}（{row.rule}）。"
        ),
        figures=figures,
        location=row.path,
    )


def _qualitative_claim(
    evaluation: GoalEvaluation, row: IndicatorResult, claimed: Decimal
) -> Iterator[Finding]:
    band = evaluation.rules.band(QualitativeState(row.status.value))
    low, high = qualitative_band_scores(row.indicator.weight, band.state, evaluation.rules)
    if not low <= claimed <= high:
        yield Finding(
            id="qualitative-score-outside-band",
            severity=Severity.error,
            message=(
                f"{quoted(row.path)}完成状态为{quoted(band.state.value)}，得分区间为{band.describe()}×"
                f"{_n(row.indicator.weight)}（{_n(low)}～{_n(high)}分），填报得分{_n(claimed)}"
                f"不在区间内。"
            ),
            figures={"填报得分": claimed, "区间下限": low, "区间上限": high},
            location=row.path,
        )
        return
    assessed = row.indicator.assessed_score
    if assessed is not None and row.score is not None and claimed != row.score:
        yield Finding(
            id="indicator-score-off-rule",
            severity=Severity.error,
            message=(
                f"{quoted(row.path)}填报得分{_n(claimed)}，评定分为{_n(row.score)}（{row.rule}）。"
            ),
            figures={"填报得分": claimed, "评定得分": row.score},
            location=row.path,
        )


def audit_execution(evaluation: GoalEvaluation) -> Iterator[Finding]:
    """The claimed 执行率 and its 得分 against B ÷ A and the execution rule."""
    claimed = evaluation.goal.claimed
    execution = evaluation.execution
    places = evaluation.rules.rounding_places
    if claimed.execution_rate is not None and execution.rate_percent is not None:
        claimed_percent = round_half_up(claimed.execution_rate * HUNDRED, places)
        if claimed_percent != execution.rate_percent:
            yield Finding(
                id="execution-rate-wrong",
                severity=Severity.error,
                message=(
                    f"预算执行率填报{_n(claimed_percent)}%，按全年执行数÷全年预算数 = "
                    f"{format_wan(execution.executed)}÷{format_wan(execution.final_budget)}万元"
                    f"计算应为{_n(execution.rate_percent)}%。"
                ),
                figures={"填报执行率": claimed_percent, "计算执行率": execution.rate_percent},
                location="年度资金总额/执行率",
            )
    if claimed.execution_score is not None and execution.score is not None:
        claimed_score = round_half_up(claimed.execution_score, places)
        if claimed_score != execution.score:
            yield Finding(
                id="execution-score-wrong",
                severity=Severity.error,
                message=(
                    f"预算执行率{_n(execution.rate_percent or ZERO)}%，执行率得分填报"
                    f"{_n(claimed_score)}，按规则应得{_n(execution.score)}（{execution.rule}）。"
                ),
                figures={"填报得分": claimed_score, "计算得分": execution.score},
                location="年度资金总额/得分",
            )


def audit_weights(evaluation: GoalEvaluation) -> Iterator[Finding]:
    """The rows' weights and the execution weight add up to 100 and to the printed 总分."""
    printed = evaluation.goal.claimed.weight_total
    total = evaluation.weight_total
    rows = total - evaluation.execution.weight
    terms = f"三级指标{_n(rows)}＋预算执行率{_n(evaluation.execution.weight)}"
    if printed is not None and printed != total:
        message = f"各行分值合计{_n(total)}（{terms}），与总分行填报的{_n(printed)}不符"
        message += "。" if HUNDRED in (total, printed) else "，两者均应为100。"
    elif total != HUNDRED:
        message = f"各行分值合计{_n(total)}（{terms}），应为100。"
    else:
        return
    figures = {"分值合计": total, **({"填报总分": printed} if printed is not None else {})}
    yield Finding(
        id="weights-not-100", severity=Severity.error, message=message, figures=figures,
        location="总分",
    )


def _row_value(row: IndicatorResult, evaluation: GoalEvaluation) -> Decimal | None:
    claimed = row.indicator.claimed_score
    return _round(claimed, evaluation) if claimed is not None else row.score


def audit_subtotals(evaluation: GoalEvaluation) -> Iterator[Finding]:
    """Each printed first-level subtotal equals the sum of its printed rows."""
    for group, claimed in evaluation.goal.claimed.level1_scores.items():
        values = [
            _row_value(row, evaluation)
            for row in evaluation.indicators
            if row.indicator.level1 == group
        ]
        known = [value for value in values if value is not None]
        if len(known) != len(values):
            continue
        rows_sum = sum(known, ZERO)
        claimed_rounded = _round(claimed, evaluation)
        if claimed_rounded == rows_sum:
            continue
        yield Finding(
            id="subtotal-contradicts-rows",
            severity=Severity.error,
            message=(
                f"{quoted(group)}小计填报{_n(claimed_rounded)}，其下{len(values)}行得分合计为"
                f"{_n(rows_sum)}。"
            ),
            figures={"填报小计": claimed_rounded, "各行合计": rows_sum},
            location=f"{group}（小计）",
        )


def audit_total(evaluation: GoalEvaluation) -> Iterator[Finding]:
    """The printed total is the sum of the printed rows (capped where the rules cap it)."""
    claimed = evaluation.goal.claimed
    if claimed.total is None:
        return
    values = [_row_value(row, evaluation) for row in evaluation.indicators]
    execution = (
        _round(claimed.execution_score, evaluation)
        if claimed.execution_score is not None
        else evaluation.execution.score
    )
    values.append(execution)
    known = [value for value in values if value is not None]
    if len(known) != len(values):
        return
    rows_sum = sum(known, ZERO)
    expected = rows_sum
    cap = tightest_cap(evaluation.execution.rate_percent, evaluation.rules)
    cap_text = ""
    if cap is not None and cap.total_at_most < rows_sum:
        expected = _round(cap.total_at_most, evaluation)
        cap_text = (
            f"，预算执行率低于{_n(cap.rate_below * HUNDRED)}%时总分最高{_n(cap.total_at_most)}，"
            f"应为{_n(expected)}"
        )
    total = _round(claimed.total, evaluation)
    if total == expected:
        return
    yield Finding(
        id="total-not-sum-of-rows",
        severity=Severity.error,
        message=(
            f"总得分填报{_n(total)}，各行得分（含预算执行率得分）合计为{_n(rows_sum)}{cap_text}。"
        ),
        figures={"填报总得分": total, "各行合计": rows_sum, "应为": expected},
        location="总得分",
    )


def audit_grade(evaluation: GoalEvaluation) -> Iterator[Finding]:
    """The printed grade is the band of the printed total (or of the computed one)."""
    claimed = evaluation.goal.claimed
    if claimed.grade is None:
        return
    total = claimed.total if claimed.total is not None else evaluation.total
    if total is None:
        return
    total = _round(total, evaluation)
    expected = grade_of(total, evaluation.rules)
    if claimed.grade.strip() == expected:
        return
    source = "填报的总得分" if claimed.total is not None else "计算的总得分"
    yield Finding(
        id="grade-outside-band",
        severity=Severity.error,
        message=(
            f"{source}{_n(total)}对应等级为{quoted(expected)}"
            f"（{_band_text(evaluation, expected)}），"
            f"填报为{quoted(claimed.grade)}。"
        ),
        figures={"总得分": total},
        location="评价等级",
    )


def _band_text(evaluation: GoalEvaluation, grade: str) -> str:
    bands = evaluation.rules.grades
    for index, band in enumerate(bands):
        if band.grade != grade:
            continue
        upper = f"得分<{_n(bands[index - 1].at_least)}" if index else "得分≤100"
        lower = f"{_n(band.at_least)}≤" if band.at_least > ZERO else ""
        return f"{lower}{upper}"
    return ""


AUDITS: tuple[Audit, ...] = (
    audit_indicator_scores,
    audit_execution,
    audit_weights,
    audit_subtotals,
    audit_total,
    audit_grade,
)


def audit_claims(
    evaluation: GoalEvaluation, audits: Iterable[Audit] = AUDITS
) -> list[Finding]:
    """Every difference between the unit's claimed figures and the computed ones."""
    return [finding for audit in audits for finding in audit(evaluation)]
