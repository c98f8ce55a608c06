"""Scoring a project self-evaluation (项目支出绩效自评评分) under a rule set.

One home for the formulas of 财预〔2020〕10号 as a rule set configures them:

* quantitative indicators, ≥ / > / =: reaching the target earns the full weight; short of it,
  actual ÷ target × weight (never above the weight, never below 0). ">" is scored as "≥":
  the proportional formula already gives the full weight at the target, so a strict reading
  would only relabel the same score as "not met";
* quantitative indicators, ≤ / <: at or under the target the full weight, above it linearly
  down to 0 at ``lower_is_better_zero_at`` × target ("<" is scored as "≤");
* a target of 0: "≥0" earns the full weight for any actual ≥ 0, ">0" for any actual > 0;
  "=0", "≤0" and "<0" for any actual ≤ 0; otherwise 0 (there is no ratio to take);
* a negative target (e.g. a change rate "≥-5%"): reaching it earns the full weight, missing it
  earns 0 (a ratio of negative numbers means nothing);
* over-achievement (actual ÷ target ≥ ``over_achievement_at``, ≥ and = only): full weight minus
  the configured deduction, and a finding when no deviation reason is given;
* qualitative indicators: the assessor's score, clamped into the band of the chosen state
  (a finding says so); with no score, the state's default share of the weight;
* a missing actual (未填报) is never counted as 0 or as full: the evaluation is incomplete,
  and its total and grade are None;
* execution rate = 全年执行数 ÷ 全年预算数 (the adjusted budget). The rate as printed (percent,
  rounded half-up to ``rounding_places``) is the one every later step uses — the score, the
  tiers, the caps and the reason threshold — so that a table checked by hand agrees;
* scores are rounded half-up per row; the total is the sum of the rounded rows, then capped;
  the grade is read from the rounded total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from jixiao.core.bounds import AMOUNT, FIGURE, WEIGHT
from jixiao.core.consistency import Finding
from jixiao.core.goals import (
    Funds,
    Indicator,
    IndicatorKind,
    PerformanceGoal,
    QualitativeState,
)
from jixiao.core.money import HUNDRED, ONE, ZERO, ratio, round_half_up
from jixiao.core.rules import (
    ExecutionMethod,
    NotApplicableWeight,
    ProjectRules,
    StepCounting,
    TotalCap,
)
from jixiao.core.targets import (
    FigureMissing,
    NotApplicable,
    Operator,
    Quantity,
    Target,
    TargetError,
    comparable,
    is_blank,
    not_applicable,
    parse_target,
    read_quantitative_actual,
    unregistered_unit,
    unregistered_unit_warning,
)
from jixiao.core.vocabulary import Severity


class IndicatorStatus(StrEnum):
    """How an indicator row came out: met, not met, not reported, or a qualitative state."""

    met = "达成"
    over_achieved = "超额完成"
    not_met = "未达成"
    not_reported = "未填报"
    unscorable = "无法评分"
    not_applicable = "不适用"
    achieved = QualitativeState.achieved.value
    partly_achieved = QualitativeState.partly_achieved.value
    not_achieved = QualitativeState.not_achieved.value

    @classmethod
    def of_state(cls, state: QualitativeState) -> IndicatorStatus:
        return cls(state.value)

    @property
    def target_met(self) -> bool:
        return self in (
            IndicatorStatus.met, IndicatorStatus.over_achieved, IndicatorStatus.achieved
        )


@dataclass(frozen=True)
class IndicatorResult:
    """The scoring of one third-level indicator row."""

    indicator: Indicator
    target: Target | None
    """The parsed 年度指标值; None when it is blank or cannot be read."""
    actual: Quantity | str | None
    """The parsed 实际完成值: a quantity, a text (qualitative), or None when not reported."""
    score: Decimal | None
    """得分, rounded half-up; None when not reported or not scorable."""
    status: IndicatorStatus
    rule: str
    """The rule applied, in Chinese, with its figures:
    "未达成：实际值÷指标值×分值 = 72.74÷100×20"."""
    findings: tuple[Finding, ...] = ()

    @property
    def path(self) -> str:
        return self.indicator.path


@dataclass(frozen=True)
class ExecutionResult:
    """The scoring of the budget execution row (年度资金总额)."""

    final_budget: Decimal
    """全年预算数 (A), in 元."""
    executed: Decimal
    """全年执行数 (B), in 元."""
    weight: Decimal
    rate: Decimal | None
    """B ÷ A, unrounded; None when the budget is 0."""
    rate_percent: Decimal | None
    """The rate as printed: a percentage rounded half-up to the rule set's places (92.87)."""
    score: Decimal | None
    reason_required: bool
    """True when the rate is below the rule set's reason threshold."""
    rule: str


@dataclass(frozen=True)
class GoalEvaluation:
    """A goal scored under a rule set: every row, the subtotals, the total and the grade."""

    goal: PerformanceGoal
    rules: ProjectRules
    indicators: tuple[IndicatorResult, ...]
    execution: ExecutionResult
    level1_weights: Mapping[str, Decimal]
    """The first-level weights in force: the rule set's, overridden by the goal's."""
    level1_scores: Mapping[str, Decimal | None]
    """Subtotal per first-level group (sum of its rounded rows); None when a row has no score."""
    weight_total: Decimal
    """Sum of the rows' weights and the execution weight (总分, normally 100)."""
    uncapped_total: Decimal | None
    """Sum of the rounded row scores and the execution score; None when incomplete."""
    cap_applied: TotalCap | None
    """The execution-rate cap that lowered the total; None when none did."""
    total: Decimal | None
    """The total after caps; None when incomplete."""
    grade: str | None
    """The grade of the total; None when incomplete."""
    missing: tuple[str, ...]
    """What is not reported or cannot be scored, in Chinese, one text per item."""
    findings: tuple[Finding, ...]
    """Every finding: the rows' in row order, then the goal's (weights, reasons)."""

    @property
    def complete(self) -> bool:
        return not self.missing


def plain_number(value: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros ("20", "72.74")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def grade_of(total: Decimal, rules: ProjectRules) -> str:
    """The grade of a total: the first band whose lower bound the rounded total reaches."""
    rounded = round_half_up(total, rules.rounding_places)
    for band in rules.grades:
        if rounded >= band.at_least:
            return band.grade
    return rules.grades[-1].grade


def evaluate_goal(goal: PerformanceGoal, funds: Funds, rules: ProjectRules) -> GoalEvaluation:
    """Score every indicator and the execution rate, then the total, the cap and the grade."""
    places = rules.rounding_places
    rows = tuple(score_indicator(indicator, rules) for indicator in goal.indicators)
    execution = evaluate_execution(funds, rules)
    weights = level1_weights_in_force(goal, rules)
    goal_findings = [*level1_weight_findings(goal.indicators, weights, rules)]
    if execution.reason_required and not goal.execution_reason.strip():
        goal_findings.append(_execution_reason_finding(execution, rules))
    missing = [f"{row.path}：{row.rule}" for row in rows if _counts_missing(row)]
    if execution.score is None:
        missing.append(f"年度资金总额：{execution.rule}")
    weight_total = sum((row.indicator.weight for row in rows), ZERO) + execution.weight
    left_out = sum((row.indicator.weight for row in rows if _left_out(row)), ZERO)
    uncapped: Decimal | None = None
    total: Decimal | None = None
    cap: TotalCap | None = None
    grade: str | None = None
    if left_out and left_out >= weight_total:
        missing.append("全部指标均不适用，无法折算总分")
    if not missing:
        scores = [row.score for row in rows if row.score is not None]
        assert execution.score is not None
        summed = sum(scores, ZERO) + execution.score
        if left_out:
            summed = summed * weight_total / (weight_total - left_out)
            goal_findings.append(_rescale_finding(weight_total, left_out, places))
        uncapped = round_half_up(summed, places)
        total = uncapped
        binding = tightest_cap(execution.rate_percent, rules)
        if binding is not None and binding.total_at_most < uncapped:
            cap, total = binding, round_half_up(binding.total_at_most, places)
        grade = grade_of(total, rules)
    return GoalEvaluation(
        goal=goal,
        rules=rules,
        indicators=rows,
        execution=execution,
        level1_weights=weights,
        level1_scores=_subtotals(rows, weights),
        weight_total=weight_total,
        uncapped_total=uncapped,
        cap_applied=cap,
        total=total,
        grade=grade,
        missing=tuple(missing),
        findings=(*(f for row in rows for f in row.findings), *goal_findings),
    )


def _left_out(row: IndicatorResult) -> bool:
    """A row declared not applicable whose weight the rule set leaves out (no score)."""
    return row.status is IndicatorStatus.not_applicable and row.score is None


def _counts_missing(row: IndicatorResult) -> bool:
    return row.score is None and not _left_out(row)


def _rescale_finding(weight_total: Decimal, left_out: Decimal, places: int) -> Finding:
    applicable = weight_total - left_out
    factor = round_half_up(weight_total / applicable, 4)
    return Finding(
        id="total-rescaled-for-not-applicable",
        severity=Severity.info,
        message=(
            f"不适用指标分值合计{plain_number(left_out)}不参与评分，总分按适用分值折算："
            f"得分合计×{plain_number(weight_total)}÷{plain_number(applicable)}"
            f"（×{plain_number(factor)}）。"
        ),
        figures={"不适用分值": left_out, "适用分值": applicable},
        location="总分",
    )


def tightest_cap(rate_percent: Decimal | None, rules: ProjectRules) -> TotalCap | None:
    """The lowest cap whose threshold the printed execution rate is below; None if none is."""
    if rate_percent is None:
        return None
    caps = [cap for cap in rules.total_caps if rate_percent < cap.rate_below * HUNDRED]
    return min(caps, key=lambda cap: cap.total_at_most, default=None)


def _subtotals(
    rows: tuple[IndicatorResult, ...], weights: Mapping[str, Decimal]
) -> dict[str, Decimal | None]:
    names = [*weights, *(row.indicator.level1 for row in rows)]
    subtotals: dict[str, Decimal | None] = {}
    for name in dict.fromkeys(names):
        group = [row.score for row in rows if row.indicator.level1 == name and not _left_out(row)]
        scores = [score for score in group if score is not None]
        subtotals[name] = sum(scores, ZERO) if len(scores) == len(group) else None
    return subtotals


def level1_weights_in_force(goal: PerformanceGoal, rules: ProjectRules) -> dict[str, Decimal]:
    """The first-level weights a goal is scored with: the rule set's, overridden by the goal's."""
    return {**rules.level1_weights, **goal.level1_weights}


@dataclass(frozen=True)
class GroupSum:
    """A first-level group (一级指标): its weight and its rows' weights added up."""

    name: str
    weight: Decimal
    rows: int
    total: Decimal


def level1_group_sums(
    indicators: Iterable[Indicator],
    weights: Mapping[str, Decimal],
    more: Iterable[tuple[str, Decimal]] = (),
) -> list[GroupSum]:
    """Each group of ``weights``, in order, with the weights of its rows summed: the
    ``indicators`` and any ``more`` rows given as (一级指标, 分值) (the printed audit's rows
    the scoring could not read)."""
    rows = [(indicator.level1, indicator.weight) for indicator in indicators]
    rows += more
    sums = []
    for name, weight in weights.items():
        group = [row_weight for level1, row_weight in rows if level1 == name]
        sums.append(GroupSum(name, weight, len(group), sum(group, ZERO)))
    return sums


def level1_weight_findings(
    indicators: Sequence[Indicator], weights: Mapping[str, Decimal], rules: ProjectRules
) -> Iterator[Finding]:
    """The first-level weights and the execution weight add up to 100; each group's rows
    add up to its weight; every row belongs to a group. Needs no actual: the goal-quality
    checks run it while the goal is set, the scoring when it is evaluated."""
    execution_weight = rules.execution.weight
    level1_total = sum(weights.values(), ZERO)
    if level1_total + execution_weight != HUNDRED:
        terms = "＋".join(f"{name}{plain_number(w)}" for name, w in weights.items())
        yield Finding(
            id="weights-not-100",
            severity=Severity.error,
            message=(
                f"一级指标分值（{terms}）与预算执行率分值{plain_number(execution_weight)}"
                f"合计为{plain_number(level1_total + execution_weight)}，应为100。"
            ),
            figures={**weights, "预算执行率": execution_weight},
            location="一级指标分值",
        )
    for group in level1_group_sums(indicators, weights):
        if group.total == group.weight:
            continue
        yield Finding(
            id="group-weights-mismatch",
            severity=Severity.error,
            message=(
                f"一级指标“{group.name}”分值为{plain_number(group.weight)}，其下{group.rows}个"
                f"三级指标分值合计为{plain_number(group.total)}，两者应相等。"
            ),
            figures={"一级指标分值": group.weight, "三级指标分值合计": group.total},
            location=group.name,
        )
    for indicator in indicators:
        if indicator.level1 not in weights:
            yield Finding(
                id="indicator-outside-groups",
                severity=Severity.error,
                message=(
                    f"“{indicator.path}”的一级指标“{indicator.level1}”不在规则集“{rules.name}”"
                    f"的一级指标中，其分值{plain_number(indicator.weight)}没有所属权重。"
                ),
                location=indicator.path,
            )


def _execution_reason_finding(execution: ExecutionResult, rules: ProjectRules) -> Finding:
    threshold = rules.execution.reason_required_below
    assert threshold is not None and execution.rate_percent is not None
    return Finding(
        id="execution-reason-missing",
        severity=Severity.warning,
        message=(
            f"预算执行率{plain_number(execution.rate_percent)}%低于"
            f"{plain_number(threshold * HUNDRED)}%，应说明执行率偏低的原因。"
        ),
        figures={"执行率": execution.rate_percent, "阈值": threshold * HUNDRED},
        location="年度资金总额",
    )


# --- the execution row -------------------------------------------------------------


def evaluate_execution(funds: Funds, rules: ProjectRules) -> ExecutionResult:
    """Rate and score of the funds block's total row under the rule set."""
    row, rule, places = funds.total, rules.execution, rules.rounding_places
    for label, value in (("全年预算数", row.final_budget), ("全年执行数", row.executed)):
        reason = AMOUNT.problem(value)
        if reason is not None:
            return ExecutionResult(
                row.final_budget, row.executed, rule.weight, None, None, None, False,
                f"{label}无法计算：{reason}",
            )
    rate = ratio(row.executed, row.final_budget)
    if rate is None:
        return ExecutionResult(
            row.final_budget, row.executed, rule.weight, None, None, None, False,
            "全年预算数为0，无法计算预算执行率",
        )
    percent = round_half_up(rate * HUNDRED, places)
    shown = f"{plain_number(percent)}%"
    weight = rule.weight
    if rule.method is ExecutionMethod.proportional:
        counted = min(max(percent, ZERO), HUNDRED)
        score = round_half_up(counted / HUNDRED * weight, places)
        text = f"执行率×分值 = {shown}×{plain_number(weight)}"
        if percent > HUNDRED:
            text = f"执行率{shown}超过100%，按100%计：100%×{plain_number(weight)}"
    else:
        full_at, step = rule.full_at * HUNDRED, rule.step * HUNDRED
        if percent >= full_at:
            score = round_half_up(weight, places)
            text = f"分档：执行率{shown}达到{plain_number(full_at)}%，得满分{plain_number(weight)}"
        else:
            shortfall = full_at - percent
            steps_exact = shortfall / step
            steps = (
                math.floor(steps_exact)
                if rule.steps_counted is StepCounting.whole
                else math.ceil(steps_exact)
            )
            score = round_half_up(max(weight - steps * rule.deduction, ZERO), places)
            text = (
                f"分档：执行率{shown}低于{plain_number(full_at)}%共{plain_number(shortfall)}"
                f"个百分点，每低{plain_number(step)}个百分点扣{plain_number(rule.deduction)}分，"
                f"计{steps}档：{plain_number(weight)}−{steps}×{plain_number(rule.deduction)}"
                f" = {plain_number(score)}"
            )
            if score == ZERO:
                text += "（最低0分）"
    below = rule.reason_required_below
    required = below is not None and percent < below * HUNDRED
    return ExecutionResult(
        row.final_budget, row.executed, weight, rate, percent, score, required, text
    )


# --- indicator rows ------------------------------------------------------------------


def score_indicator(indicator: Indicator, rules: ProjectRules) -> IndicatorResult:
    """Score one indicator row under the rule set; a weight or an assessed score outside
    the domain's bounds (stored past them) makes the row unscorable, not the goal fail."""
    for bound, value in ((WEIGHT, indicator.weight), (FIGURE, indicator.assessed_score)):
        reason = None if value is None else bound.problem(value)
        if reason is not None:
            return _unscorable(
                indicator, None, None, "value-out-of-bounds", f"“{indicator.path}”{reason}"
            )
    if indicator.kind is IndicatorKind.qualitative:
        return _score_qualitative(indicator, rules)
    return _score_quantitative(indicator, rules)


def _finding(
    indicator: Indicator, check_id: str, severity: Severity, message: str,
    figures: Mapping[str, Decimal] | None = None,
) -> Finding:
    return Finding(
        id=check_id, severity=severity, message=message, figures=dict(figures or {}),
        location=indicator.path,
    )


def _unscorable(
    indicator: Indicator, target: Target | None, actual: Quantity | str | None,
    check_id: str, reason: str,
) -> IndicatorResult:
    return IndicatorResult(
        indicator, target, actual, None, IndicatorStatus.unscorable, f"无法评分：{reason}",
        (_finding(indicator, check_id, Severity.error, f"{reason}。"),),
    )


@dataclass(frozen=True)
class _Outcome:
    raw: Decimal
    status: IndicatorStatus
    rule: str


def quantitative_target(indicator: Indicator) -> Target:
    """The 年度指标值 of a quantitative row as the scoring reads it; TargetError when it
    cannot be scored (unreadable, or blank)."""
    where = f"“{indicator.path}”年度指标值"
    target = parse_target(indicator.target, where, qualitative=False)
    if target is None or target.quantity is None or target.operator is None:
        raise TargetError(where, indicator.target, "未填写年度指标值")
    return target


def target_error_text(error: TargetError) -> str:
    """The reason a target cannot be scored, as a finding says it."""
    if is_blank(error.text):
        return f"{error.where.removesuffix('年度指标值')}未填写年度指标值"
    return str(error)


def _score_quantitative(indicator: Indicator, rules: ProjectRules) -> IndicatorResult:
    path = indicator.path
    try:
        target = quantitative_target(indicator)
    except TargetError as error:
        return _unscorable(indicator, None, None, "target-unreadable", target_error_text(error))
    assert target.quantity is not None and target.operator is not None
    try:
        actual = read_quantitative_actual(
            indicator.actual, f"“{path}”实际完成值",
            reason=indicator.deviation_reason, target=str(target),
        )
    except FigureMissing as error:
        return _unscorable(indicator, target, error.text, "actual-figure-missing", str(error))
    except TargetError as error:
        text = indicator.actual.strip() if indicator.actual else None
        return _unscorable(indicator, target, text, "actual-unreadable", str(error))
    if isinstance(actual, NotApplicable):
        return _not_applicable(indicator, target, actual, rules)
    if actual is None:
        return _not_reported(indicator, target, "实际完成值未填报，不计分")
    unit_findings = tuple(_unregistered_unit_findings(indicator, target.quantity, actual))
    try:
        target_value, actual_value = comparable(target.quantity, actual, f"“{path}”实际完成值")
    except TargetError as error:
        unscorable = _unscorable(indicator, target, actual, "unit-mismatch", str(error))
        return replace(unscorable, findings=(*unit_findings, *unscorable.findings))
    outcome = _quantitative_outcome(
        target, actual, target_value, actual_value, indicator.weight, rules
    )
    score = round_half_up(outcome.raw, rules.rounding_places)
    findings = (
        *unit_findings, *_quantitative_findings(indicator, target, actual, outcome, rules)
    )
    return IndicatorResult(indicator, target, actual, score, outcome.status, outcome.rule, findings)


def _not_reported(indicator: Indicator, target: Target | None, rule: str) -> IndicatorResult:
    findings: tuple[Finding, ...] = ()
    written = (indicator.actual or "").strip()
    if written in ("无", "不适用", "无此项"):
        findings = (_finding(
            indicator, "not-applicable-without-reason", Severity.warning,
            f"“{indicator.path}”实际完成值写“{written}”但未说明理由，"
            f"按未填报处理；如该指标本年不适用，请在同一单元格（如“无（本年未发生）”）"
            f"或偏差原因中写明理由。",
        ),)
    return IndicatorResult(
        indicator, target, None, None, IndicatorStatus.not_reported, rule, findings
    )


def _not_applicable(
    indicator: Indicator, target: Target | None, declared: NotApplicable, rules: ProjectRules
) -> IndicatorResult:
    """A row whose actual declares it not applicable: the rule set says what its weight
    becomes (full marks here, or left out and the total rescaled in ``evaluate_goal``)."""
    w = plain_number(indicator.weight)
    if rules.not_applicable is NotApplicableWeight.full_marks:
        score: Decimal | None = indicator.weight
        rule = f"不适用（{declared.reason}），按规则视同满分{w}"
    else:
        score = None
        rule = f"不适用（{declared.reason}），不计分，总分按适用指标的分值折算"
    finding = _finding(
        indicator, "indicator-not-applicable", Severity.info,
        f"“{indicator.path}”实际完成值为“{declared.text}”，按不适用处理（理由：{declared.reason}）；"
        f"{'视同满分' if score is not None else '其分值' + w + '不参与评分，总分按比例折算'}。",
        {"分值": indicator.weight},
    )
    return IndicatorResult(
        indicator, target, declared.text, score, IndicatorStatus.not_applicable, rule, (finding,)
    )


def _unregistered_unit_findings(
    indicator: Indicator, target: Quantity | None, actual: Quantity
) -> Iterator[Finding]:
    """The actual's unregistered unit; the target's own is a goal-quality finding
    (``goal_quality.check_target_form``), so a shared one is said once."""
    symbol = unregistered_unit(actual)
    shared = target is not None and target.unit is not None and target.unit.symbol == symbol
    if symbol is not None and not shared:
        yield _finding(
            indicator, "unit-unregistered", Severity.warning,
            unregistered_unit_warning(f"“{indicator.path}”实际完成值", symbol),
        )


def _quantitative_outcome(
    target: Target, actual: Quantity, t: Decimal, a: Decimal, weight: Decimal,
    rules: ProjectRules,
) -> _Outcome:
    operator = target.operator
    assert operator is not None and target.quantity is not None
    w = plain_number(weight)
    full_text = f"达成：实际完成值{actual}，达到年度指标值{target}，得满分{w}"
    if t <= ZERO:
        met = _meets_zero_or_negative_target(operator, t, a)
        kind = "指标值为0" if t == ZERO else "指标值为负数"
        if met:
            return _Outcome(weight, IndicatorStatus.met, f"{full_text}（{kind}）")
        return _Outcome(
            ZERO, IndicatorStatus.not_met,
            f"未达成：{kind}，实际完成值{actual}未达到年度指标值{target}，得0分",
        )
    shown_t, shown_a = _shown(target.quantity, actual, a)
    if operator.lower_is_better:
        return _lower_is_better(target, actual, t, a, weight, shown_t, shown_a, rules)
    if a >= t:
        share = a / t
        quantitative = rules.quantitative
        if share >= quantitative.over_achievement_at:
            deduction = min(weight, quantitative.over_achievement_deduction.points_of(weight))
            text = (
                f"超额完成：实际值÷指标值 = {shown_a}÷{shown_t} = "
                f"{plain_number(round_half_up(share * HUNDRED, rules.rounding_places))}%，"
                f"达到{plain_number(quantitative.over_achievement_at * HUNDRED)}%，得满分{w}"
            )
            if deduction > ZERO:
                text += (
                    f"，按偏离度扣减{plain_number(deduction)}分："
                    f"{w}−{plain_number(deduction)}"
                )
            return _Outcome(weight - deduction, IndicatorStatus.over_achieved, text)
        return _Outcome(weight, IndicatorStatus.met, full_text)
    raw = max(a / t, ZERO) * weight
    return _Outcome(
        raw, IndicatorStatus.not_met, f"未达成：实际值÷指标值×分值 = {shown_a}÷{shown_t}×{w}"
    )


def _meets_zero_or_negative_target(operator: Operator, t: Decimal, a: Decimal) -> bool:
    """Target 0: ≥0 any actual ≥ 0, >0 any actual > 0, =0 ≤0 <0 any actual ≤ 0.
    Negative target: ≤ and < met at or under it, the others at or above it."""
    if t == ZERO:
        if operator is Operator.ge:
            return a >= ZERO
        if operator is Operator.gt:
            return a > ZERO
        return a <= ZERO
    return a <= t if operator.lower_is_better else a >= t


def _lower_is_better(
    target: Target, actual: Quantity, t: Decimal, a: Decimal, weight: Decimal,
    shown_t: str, shown_a: str, rules: ProjectRules,
) -> _Outcome:
    w = plain_number(weight)
    if a <= t:
        return _Outcome(
            weight, IndicatorStatus.met,
            f"达成：实际完成值{actual}，未超过年度指标值{target}，得满分{w}",
        )
    zero_at = rules.quantitative.lower_is_better_zero_at
    z = plain_number(zero_at)
    if a >= zero_at * t:
        return _Outcome(
            ZERO, IndicatorStatus.not_met,
            f"未达成（反向指标）：实际完成值{actual}达到指标值的{z}倍及以上，得0分",
        )
    raw = weight * (zero_at * t - a) / ((zero_at - ONE) * t)
    if zero_at == 2:
        formula = f"分值×(1−(实际值−指标值)÷指标值) = {w}×(1−({shown_a}−{shown_t})÷{shown_t})"
    else:
        formula = (
            f"分值×(1−(实际值−指标值)÷(({z}−1)×指标值)) = "
            f"{w}×(1−({shown_a}−{shown_t})÷(({z}−1)×{shown_t}))"
        )
    return _Outcome(raw, IndicatorStatus.not_met, f"未达成（反向指标）：{formula}")


def _shown(target: Quantity, actual: Quantity, actual_base: Decimal) -> tuple[str, str]:
    """Target and actual as figures in the target's unit, for the rule text."""
    if actual.unit is None or target.unit is None or actual.unit == target.unit:
        return plain_number(target.value), plain_number(actual.value)
    return plain_number(target.value), plain_number((actual_base / target.unit.factor).normalize())


def _quantitative_findings(
    indicator: Indicator, target: Target, actual: Quantity, outcome: _Outcome,
    rules: ProjectRules,
) -> Iterator[Finding]:
    if indicator.deviation_reason.strip():
        return
    if outcome.status is IndicatorStatus.over_achieved:
        at = plain_number(rules.quantitative.over_achievement_at * HUNDRED)
        yield _finding(
            indicator, "over-achievement-reason-missing", Severity.warning,
            f"“{indicator.path}”实际完成值{actual}达到年度指标值{target}的{at}%以上，"
            f"应分析偏差原因（指标值是否设置偏低）并填写偏差原因分析。",
        )
    elif outcome.status is IndicatorStatus.not_met:
        yield _finding(
            indicator, "deviation-reason-missing", Severity.warning,
            f"“{indicator.path}”实际完成值{actual}未达到年度指标值{target}，"
            f"应填写偏差原因分析及改进措施。",
        )


def _state_from_text(text: str | None) -> QualitativeState | None:
    if text is None:
        return None
    cleaned = text.strip()
    return next((state for state in QualitativeState if state.value == cleaned), None)


def _score_qualitative(indicator: Indicator, rules: ProjectRules) -> IndicatorResult:
    target = parse_target(indicator.target, qualitative=True)
    declared = not_applicable(indicator.actual, indicator.deviation_reason)
    if declared is not None and indicator.state is None:
        return _not_applicable(indicator, target, declared, rules)
    actual = None if is_blank(indicator.actual) else (indicator.actual or "").strip()
    state = indicator.state or _state_from_text(indicator.actual)
    if state is None:
        if actual is None:
            return _not_reported(indicator, target, "完成状态未填报，不计分")
        return IndicatorResult(
            indicator, target, actual, None, IndicatorStatus.not_reported, "完成状态未填报，不计分"
        )
    places = rules.rounding_places
    band = rules.band(state)
    weight = indicator.weight
    low, high = qualitative_band_scores(indicator.weight, state, rules)
    w = plain_number(weight)
    band_text = f"{state.value}，得分区间{band.describe()}×分值"
    findings: list[Finding] = []
    assessed = indicator.assessed_score
    if assessed is None:
        score = round_half_up(band.default_share * weight, places)
        share = plain_number(band.default_share * HUNDRED)
        text = f"定性：{band_text}，未评定分值，按{share}%×分值 = {share}%×{w}"
    else:
        score = round_half_up(assessed, places)
        text = f"定性：{band_text}，评定{plain_number(score)}分"
        if not (low <= score <= high):
            clamped = min(max(score, low), high)
            findings.append(_finding(
                indicator, "qualitative-score-outside-band", Severity.warning,
                f"“{indicator.path}”完成状态为“{state.value}”，得分区间为{band.describe()}×{w}"
                f"（{plain_number(low)}～{plain_number(high)}分），评定分{plain_number(score)}"
                f"不在区间内，按{plain_number(clamped)}分计。",
                {"评定分": score, "区间下限": low, "区间上限": high},
            ))
            text += f"，超出区间，按{plain_number(clamped)}分计"
            score = clamped
    if state is not QualitativeState.achieved and not indicator.deviation_reason.strip():
        findings.append(_finding(
            indicator, "deviation-reason-missing", Severity.warning,
            f"“{indicator.path}”完成状态为“{state.value}”，应填写偏差原因分析及改进措施。",
        ))
    return IndicatorResult(
        indicator, target, actual, score, IndicatorStatus.of_state(state), text, tuple(findings)
    )


def qualitative_band_scores(
    weight: Decimal, state: QualitativeState, rules: ProjectRules
) -> tuple[Decimal, Decimal]:
    """The lowest and highest score a state allows, rounded as scores are.

    For a half-open band the highest is one unit of the last place below the upper limit
    ([60 %, 80 %) of 10 points → 6.00 to 7.99), as the vendor validation reads it.
    """
    places = rules.rounding_places
    band = rules.band(state)
    low = round_half_up(band.low * weight, places)
    high = round_half_up(band.high * weight, places)
    if not band.closed_above:
        high = max(low, high - Decimal(1).scaleb(-places))
    return low, high
