"""Auditing a filled self-evaluation table: what the unit claimed against what the rules give.

Two kinds of difference are told apart:

* the table's own arithmetic (its total is not the sum of its rows, a subtotal contradicts its
  rows, the weights do not add up to the printed 总分, the grade is not the band of the total);
* a claimed figure that differs from the rule (a row's score, the execution rate or its score,
  a qualitative score outside its band).

Every check is a small function returning findings, run from one list. Figures are compared
at the precision they are printed with (``AsPrinted.places``, ``core.printed_precision``): a
执行率 printed “86%” agrees with a computed 86.20 %, a 得分 printed “9” with 8.62; a figure
whose printed precision is unknown is compared at the rule set's rounding places (a claimed
9.29 and a computed 9.287 are the same). Each finding on a printed figure says which
precision was applied.
Where the table prints no score for a row, the row's computed score stands in for it in the
sums, so that one missing cell does not hide an arithmetic error elsewhere. A row the table
prints but that cannot be read (``AsPrinted.unread``) is never left out of a sum: its printed
分值 and 得分 count where they can be read, and a sum that needs a figure it lacks cannot be
verified (无法核实) — a finding naming the row's cell, not a comparison without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.money import HUNDRED, ZERO, format_wan, round_half_up
from jixiao.core.printed_precision import (
    Printed,
    comparison_places,
    consistent,
    precision_note,
    sum_consistent,
    summand,
)
from jixiao.core.scoring import (
    GoalEvaluation,
    IndicatorResult,
    IndicatorStatus,
    grade_of,
    level1_group_sums,
    plain_number,
    qualitative_band_scores,
    tightest_cap,
)
from jixiao.core.vocabulary import Severity
from jixiao.core.wording import quoted

EXECUTION_RATE = "执行率"
EXECUTION_SCORE = "执行率得分"
TOTAL = "总得分"


def subtotal_key(group: str) -> str:
    return f"{group}小计"


@dataclass(frozen=True)
class UnreadRow:
    """An indicator row the table prints but that cannot be read: what of it can be."""

    where: str
    """The cell that cannot be read (“项目A!E14”)."""
    level1: str = ""
    """Its first-level group; "" when that cannot be read either."""
    weight: Decimal | None = None
    score: Decimal | None = None


@dataclass(frozen=True)
class AsPrinted:
    """How the table prints its figures: the decimals of each claimed figure, by key
    (an indicator's path, ``EXECUTION_RATE``, ``EXECUTION_SCORE``, ``TOTAL``,
    ``subtotal_key(group)``), and the rows it prints that cannot be read."""

    places: Mapping[str, int] = field(default_factory=dict)
    unread: tuple[UnreadRow, ...] = ()

    def unread_cells(self, rows: Iterable[UnreadRow] | None = None) -> str:
        return "、".join(row.where for row in (self.unread if rows is None else rows))


PRINTED_AS_RULES = AsPrinted()

Audit = Callable[[GoalEvaluation, AsPrinted], Iterable[Finding]]


def _round(value: Decimal, evaluation: GoalEvaluation) -> Decimal:
    return round_half_up(value, evaluation.rules.rounding_places)


def _places(evaluation: GoalEvaluation, printed: AsPrinted, key: str) -> int:
    """The decimals a claimed score is compared at: as printed, at most the rule's."""
    places = evaluation.rules.rounding_places
    return comparison_places(printed.places.get(key), places, places)


def _note(printed: AsPrinted, key: str, places: int) -> str:
    """“（按填报精度（整数）比较）” where the figure's printed precision is known."""
    return f"（{precision_note(places)}）" if key in printed.places else ""


def _shown(value: Decimal, places: int) -> Decimal:
    return round_half_up(value, places)


def _unverifiable(
    check_id: str, what: str, rows: Iterable[UnreadRow], needed: str, location: str
) -> Finding:
    cells = "、".join(row.where for row in rows)
    return Finding(
        id=check_id,
        severity=Severity.warning,
        message=f"{what}无法核实：{cells}一行无法读取，缺少其{needed}，不能不计该行而求和。",
        location=location,
    )


def _n(value: Decimal) -> str:
    return plain_number(value)


def audit_indicator_scores(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """Each row's claimed 得分 against the rule, at the precision the row prints it."""
    for row in evaluation.indicators:
        claimed = row.indicator.claimed_score
        left_out = row.status is IndicatorStatus.not_applicable and row.score is None
        if claimed is not None and left_out:
            yield _not_applicable_claim(row, claimed)
            continue
        if claimed is not None and row.status is IndicatorStatus.not_reported:
            # "无" with no reason printed beside a score: the scoring's finding says why it
            # is not counted; a blank actual beside a score is a score given without 评价
            without_reason = [f for f in row.findings if f.id == "not-applicable-without-reason"]
            yield from without_reason or [_score_without_actual(row, claimed)]
        if claimed is None or row.score is None:
            continue
        places = _places(evaluation, printed, row.path)
        claimed = _shown(claimed, places)
        if row.indicator.kind is IndicatorKind.qualitative:
            note = _note(printed, row.path, places)
            yield from _qualitative_claim(evaluation, row, claimed, places, note)
        elif not consistent(row.score, claimed, places):
            finding = _quantitative_claim(row, claimed, _note(printed, row.path, places))
            if finding is not None:
                yield finding


def _score_without_actual(row: IndicatorResult, claimed: Decimal) -> Finding:
    """A 得分 printed on a row whose 实际完成值 (or completion state) is blank."""
    what = (
        "没有填写完成情况（评价）"
        if row.indicator.kind is IndicatorKind.qualitative
        else "实际完成值未填报"
    )
    return Finding(
        id="score-without-actual",
        severity=Severity.error,
        message=(
            f"{quoted(row.path)}{what}，却填报得分{_n(claimed)}：得分无据可依，"
            f"按规则不计分，评价不完整。请填写实际完成情况。"
        ),
        figures={"填报得分": claimed, "分值": row.indicator.weight},
        location=row.path,
    )


def _not_applicable_claim(row: IndicatorResult, claimed: Decimal) -> Finding:
    """A score printed for a row the rule set leaves out as not applicable."""
    return Finding(
        id="not-applicable-row-scored",
        severity=Severity.error,
        message=(
            f"{quoted(row.path)}实际完成值为{quoted(str(row.actual))}，按规则不适用、不计分"
            f"（总分按适用指标的分值折算），表中却填报得分{_n(claimed)}。"
        ),
        figures={"填报得分": claimed, "分值": row.indicator.weight},
        location=row.path,
    )


def _quantitative_claim(row: IndicatorResult, claimed: Decimal, precision: str) -> Finding | None:
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
                f"{_n(claimed)}；按规则应得{_n(row.score)}（{row.rule}）{precision}。"
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
                    f"{_n(row.score)}分，填报得分{_n(claimed)}，扣分却未说明原因{precision}。"
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
            f"{quoted(row.path)}填报得分{_n(claimed)}，按规则应得{_n(row.score)}（{row.rule}）"
            f"{precision}。"
        ),
        figures=figures,
        location=row.path,
    )


def _qualitative_claim(
    evaluation: GoalEvaluation, row: IndicatorResult, claimed: Decimal, places: int, note: str
) -> Iterator[Finding]:
    band = evaluation.rules.band(QualitativeState(row.status.value))
    low, high = qualitative_band_scores(row.indicator.weight, band.state, evaluation.rules)
    if not _shown(low, places) <= claimed <= _shown(high, places):
        yield Finding(
            id="qualitative-score-outside-band",
            severity=Severity.error,
            message=(
                f"{quoted(row.path)}完成状态为{quoted(band.state.value)}，得分区间为{band.describe()}×"
                f"{_n(row.indicator.weight)}（{_n(low)}～{_n(high)}分），填报得分{_n(claimed)}"
                f"不在区间内{note}。"
            ),
            figures={"填报得分": claimed, "区间下限": low, "区间上限": high},
            location=row.path,
        )
        return
    assessed = row.indicator.assessed_score
    if assessed is not None and row.score is not None and not consistent(
        row.score, claimed, places
    ):
        yield Finding(
            id="indicator-score-off-rule",
            severity=Severity.error,
            message=(
                f"{quoted(row.path)}填报得分{_n(claimed)}，评定分为{_n(row.score)}（{row.rule}）"
                f"{note}。"
            ),
            figures={"填报得分": claimed, "评定得分": row.score},
            location=row.path,
        )


def audit_execution(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """The claimed 执行率 and its 得分 against B ÷ A and the execution rule.

    The rate is compared with B ÷ A unrounded, at the decimals the rate is printed with (a
    rule set rounding to 0 places does not make a printed 92.87 % be read as 93 %)."""
    claimed = evaluation.goal.claimed
    execution = evaluation.execution
    rule_places = evaluation.rules.rounding_places
    if (
        claimed.execution_rate is not None
        and execution.rate is not None
        and execution.rate_percent is not None
    ):
        places = printed.places.get(EXECUTION_RATE, rule_places)
        claimed_percent = _shown(claimed.execution_rate * HUNDRED, places)
        exact = execution.rate * HUNDRED
        if not consistent(exact, claimed_percent, places):
            shown = _shown(exact, places)
            yield Finding(
                id="execution-rate-wrong",
                severity=Severity.error,
                message=(
                    f"预算执行率填报{_n(claimed_percent)}%，按全年执行数÷全年预算数 = "
                    f"{format_wan(execution.executed)}÷{format_wan(execution.final_budget)}万元"
                    f"计算应为{_n(execution.rate_percent)}%{_rate_note(printed, places, shown)}。"
                ),
                figures={"填报执行率": claimed_percent, "计算执行率": shown},
                location="年度资金总额/执行率",
            )
    if claimed.execution_score is not None and execution.score is not None:
        places = _places(evaluation, printed, EXECUTION_SCORE)
        claimed_score = _shown(claimed.execution_score, places)
        if not consistent(execution.score, claimed_score, places):
            yield Finding(
                id="execution-score-wrong",
                severity=Severity.error,
                message=(
                    f"预算执行率{_n(execution.rate_percent or ZERO)}%，执行率得分填报"
                    f"{_n(claimed_score)}，按规则应得{_n(execution.score)}（{execution.rule}）"
                    f"{_note(printed, EXECUTION_SCORE, places)}。"
                ),
                figures={"填报得分": claimed_score, "计算得分": execution.score},
                location="年度资金总额/得分",
            )


def _rate_note(printed: AsPrinted, places: int, shown: Decimal) -> str:
    if EXECUTION_RATE not in printed.places:
        return ""
    return f"（{precision_note(places)}，应为{_n(shown)}%）"


def audit_weights(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """The rows' weights and the execution weight add up to 100 and to the printed 总分;
    a row that cannot be read counts with its printed 分值, or the sum cannot be verified."""
    unknown = [row for row in printed.unread if row.weight is None]
    if unknown:
        yield _unverifiable("weights-unverifiable", "分值合计", unknown, "分值", "总分")
        return
    printed_total = evaluation.goal.claimed.weight_total
    unread = sum((row.weight for row in printed.unread if row.weight is not None), ZERO)
    total = evaluation.weight_total + unread
    rows = total - evaluation.execution.weight
    terms = f"三级指标{_n(rows)}＋预算执行率{_n(evaluation.execution.weight)}"
    if unread:
        terms += f"，含无法读取的{printed.unread_cells()}一行分值{_n(unread)}"
    if printed_total is not None and printed_total != total:
        message = f"各行分值合计{_n(total)}（{terms}），与总分行填报的{_n(printed_total)}不符"
        message += "。" if HUNDRED in (total, printed_total) else "，两者均应为100。"
    elif total != HUNDRED:
        message = f"各行分值合计{_n(total)}（{terms}），应为100。"
    else:
        return
    figures = {
        "分值合计": total,
        **({"填报总分": printed_total} if printed_total is not None else {}),
    }
    yield Finding(
        id="weights-not-100", severity=Severity.error, message=message, figures=figures,
        location="总分",
    )


def audit_group_weights(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """Each first-level group's rows add up to the group's weight in the rule set (产出 50,
    效益 30, 满意度 10 under 10号); a group without rows is left to the quality checks.
    Weights that do not add up to the 总分 are ``audit_weights``'s finding: one wrong weight
    is one finding, so the groups are compared only when the whole adds up (every unread
    row's 分值 is then known)."""
    if any(True for _ in audit_weights(evaluation, printed)):
        return
    if any(row.level1 == "" for row in printed.unread):
        return  # a row of no known group: no group can be summed
    unread = ((row.level1, row.weight or ZERO) for row in printed.unread)
    indicators = (result.indicator for result in evaluation.indicators)
    for group in level1_group_sums(indicators, evaluation.level1_weights, unread):
        if group.rows == 0 or group.total == group.weight:
            continue
        yield Finding(
            id="group-weights-mismatch",
            severity=Severity.error,
            message=(
                f"一级指标{quoted(group.name)}下{group.rows}个三级指标分值合计{_n(group.total)}，"
                f"规则集{quoted(evaluation.rules.name)}中该一级指标分值为{_n(group.weight)}。"
            ),
            figures={"三级指标分值合计": group.total, "一级指标分值": group.weight},
            location=group.name,
        )


def _row_printed(
    row: IndicatorResult, evaluation: GoalEvaluation, printed: AsPrinted
) -> Printed | None:
    """A row's score as it enters a sum: as printed, else as computed."""
    places = printed.places.get(row.path)
    return summand(row.indicator.claimed_score, row.score, places, evaluation.rules.rounding_places)


def _unread_score(row: UnreadRow, evaluation: GoalEvaluation) -> Printed | None:
    return summand(row.score, None, None, evaluation.rules.rounding_places)


def _sum_of(parts: list[Printed], evaluation: GoalEvaluation) -> Decimal:
    return _round(sum((p.value for p in parts), ZERO), evaluation)


def audit_subtotals(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """Each printed first-level subtotal equals the sum of its printed rows."""
    for group, claimed in evaluation.goal.claimed.level1_scores.items():
        values = [
            _row_printed(row, evaluation, printed)
            for row in evaluation.indicators
            if row.indicator.level1 == group
        ]
        unread = [row for row in printed.unread if row.level1 in (group, "")]
        if any(row.score is None for row in unread):
            yield _unverifiable(
                "subtotal-unverifiable", f"{quoted(group)}小计", unread, "得分",
                f"{group}（小计）",
            )
            continue
        values += [_unread_score(row, evaluation) for row in unread]
        known = [value for value in values if value is not None]
        if len(known) != len(values) or any(row.level1 == "" for row in unread):
            continue
        rows_sum = _sum_of(known, evaluation)
        rule = evaluation.rules.rounding_places
        total = summand(claimed, None, printed.places.get(subtotal_key(group)), rule)
        assert total is not None
        if sum_consistent(total, known, rule):
            continue
        places = _places(evaluation, printed, subtotal_key(group))
        claimed_rounded = _shown(claimed, places)
        yield Finding(
            id="subtotal-contradicts-rows",
            severity=Severity.error,
            message=(
                f"{quoted(group)}小计填报{_n(claimed_rounded)}，其下{len(values)}行得分合计为"
                f"{_n(rows_sum)}{_note(printed, subtotal_key(group), places)}。"
            ),
            figures={"填报小计": claimed_rounded, "各行合计": rows_sum},
            location=f"{group}（小计）",
        )


def audit_total(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """The printed total is the sum of the printed rows (capped where the rules cap it)."""
    claimed = evaluation.goal.claimed
    if claimed.total is None:
        return
    unknown = [row for row in printed.unread if row.score is None]
    if unknown:
        yield _unverifiable("total-unverifiable", "总得分", unknown, "得分", "总得分")
        return
    left_out = [row for row in evaluation.indicators if _left_out_unprinted(row)]
    values = [
        _row_printed(row, evaluation, printed)
        for row in evaluation.indicators
        if not _left_out_unprinted(row)
    ]
    values += [_unread_score(row, evaluation) for row in printed.unread]
    rule = evaluation.rules.rounding_places
    execution_places = printed.places.get(EXECUTION_SCORE)
    execution = evaluation.execution.score
    values.append(summand(claimed.execution_score, execution, execution_places, rule))
    known = [value for value in values if value is not None]
    if len(known) != len(values):
        return
    rows_sum = _sum_of(known, evaluation)
    places = _places(evaluation, printed, TOTAL)
    total = _shown(claimed.total, places)
    scaled, scale_text = _rescaled(rows_sum, left_out, evaluation)
    cap = tightest_cap(evaluation.execution.rate_percent, evaluation.rules)
    cap_text = ""
    if cap is not None and cap.total_at_most < scaled:
        expected = _round(cap.total_at_most, evaluation)
        if consistent(expected, total, places):
            return
        cap_text = (
            f"，预算执行率低于{_n(cap.rate_below * HUNDRED)}%时总分最高{_n(cap.total_at_most)}，"
            f"应为{_n(expected)}"
        )
    elif left_out:
        expected = scaled
        if consistent(expected, total, places):
            return
    else:
        expected = rows_sum
        total_printed = summand(claimed.total, None, printed.places.get(TOTAL), rule)
        assert total_printed is not None
        if sum_consistent(total_printed, known, rule):
            return
    yield Finding(
        id="total-not-sum-of-rows",
        severity=Severity.error,
        message=(
            f"总得分填报{_n(total)}，各行得分（含预算执行率得分）合计为{_n(rows_sum)}{scale_text}"
            f"{cap_text}"
            f"{_note(printed, TOTAL, places)}。"
        ),
        figures={"填报总得分": total, "各行合计": rows_sum, "应为": expected},
        location="总得分",
    )


def _left_out_unprinted(row: IndicatorResult) -> bool:
    """A row the rule set leaves out as not applicable, with no score printed for it."""
    return (
        row.status is IndicatorStatus.not_applicable
        and row.score is None
        and row.indicator.claimed_score is None
    )


def _rescaled(
    rows_sum: Decimal, left_out: list[IndicatorResult], evaluation: GoalEvaluation
) -> tuple[Decimal, str]:
    """The rows' sum scaled to the weights that apply, as the scoring scales the total, and
    the words that say so; the sum itself when no row is left out."""
    if not left_out:
        return rows_sum, ""
    weight = sum((row.indicator.weight for row in left_out), ZERO)
    applicable = evaluation.weight_total - weight
    if applicable <= ZERO:
        return rows_sum, ""
    scaled = _round(rows_sum * evaluation.weight_total / applicable, evaluation)
    return scaled, (
        f"，不适用指标分值{_n(weight)}不计分，按适用分值折算为{_n(rows_sum)}×"
        f"{_n(evaluation.weight_total)}÷{_n(applicable)} = {_n(scaled)}"
    )


def audit_grade(
    evaluation: GoalEvaluation, printed: AsPrinted = PRINTED_AS_RULES
) -> Iterator[Finding]:
    """The printed grade is the band of the printed total (or of the computed one)."""
    claimed = evaluation.goal.claimed
    if claimed.grade is None:
        return
    total = claimed.total if claimed.total is not None else evaluation.total
    if total is None or (claimed.total is None and printed.unread):
        return
    total = _round(total, evaluation)
    expected = grade_of(total, evaluation.rules)
    bands = evaluation.rules.grades
    if any(band.grade == expected and band.named(claimed.grade) for band in bands):
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
REVIEW_AUDITS: tuple[Audit, ...] = (*AUDITS, audit_group_weights)
"""What ``jixiao review`` checks on a filled form: also each group's weights against the
rule set (a stored goal may override them; a form states none)."""


def audit_claims(
    evaluation: GoalEvaluation,
    audits: Iterable[Audit] = AUDITS,
    printed: AsPrinted = PRINTED_AS_RULES,
) -> list[Finding]:
    """Every difference between the unit's claimed figures and the computed ones."""
    return [finding for audit in audits for finding in audit(evaluation, printed)]
