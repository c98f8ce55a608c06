"""Checking a performance goal as it is set (绩效目标审核), before anything is scored.

Small checks returning findings, run from one list. The thresholds come from the rule set
(``ProjectRules.goal_quality``: Guangzhou 2017 asked for at least 4 indicators and at least
50 % quantified; no national figure was found, so both are per-jurisdiction settings).

A quantitative target needs a number and a unit of measure. The operator may be implied:
a bare quantity ("100%", "3项") is read as "=", as the parser reads it and as forms with a
separate 指标性质 column often leave it. A bare number without unit ("0", "100") is a finding:
nobody can tell whether "100" means 100 %, 100 项 or 100 万元.

Every defect that makes the evaluation report an 错误 whatever the actuals are is an 错误
here too, found by the same function the scoring uses: the first-level weights
(``scoring.level1_weight_findings``), a target the scoring cannot read
(``scoring.quantitative_target``), a required first-level group left empty, one
indicator entered twice. ``errors`` picks them out: they block the submission and the
approval of a goal (绩效目标申报) and of its self-evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.money import HUNDRED, ZERO
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import (
    level1_weight_findings,
    level1_weights_in_force,
    plain_number,
    quantitative_target,
    target_error_text,
)
from jixiao.core.targets import (
    Operator,
    Quantity,
    TargetError,
    comparable,
    parse_actual,
    parse_target,
    unregistered_unit,
    unregistered_unit_warning,
)
from jixiao.core.vocabulary import Severity
from jixiao.core.wording import quoted

QualityCheck = Callable[[PerformanceGoal, ProjectRules, PerformanceGoal | None], Iterable[Finding]]


def check_indicator_count(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """At least ``min_indicators`` third-level indicators."""
    minimum = rules.goal_quality.min_indicators
    count = len(goal.indicators)
    if count < minimum:
        yield Finding(
            id="too-few-indicators",
            severity=Severity.warning,
            message=f"绩效目标{quoted(goal.name)}只有{count}个三级指标，规则要求至少{minimum}个。",
            figures={"指标数": Decimal(count), "最少": Decimal(minimum)},
            location="绩效指标",
        )


def check_quantified_share(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """At least ``min_quantified_share`` of the indicators are quantitative."""
    count = len(goal.indicators)
    if count == 0:
        return
    quantified = sum(1 for i in goal.indicators if i.kind is IndicatorKind.quantitative)
    share = Decimal(quantified) / Decimal(count)
    minimum = rules.goal_quality.min_quantified_share
    if share < minimum:
        yield Finding(
            id="too-few-quantified",
            severity=Severity.warning,
            message=(
                f"绩效目标{quoted(goal.name)}的{count}个指标中定量指标{quantified}个，占"
                f"{plain_number((share * HUNDRED).quantize(Decimal('0.01')))}%，"
                f"规则要求不低于{plain_number(minimum * HUNDRED)}%。"
            ),
            figures={"定量指标数": Decimal(quantified), "指标数": Decimal(count)},
            location="绩效指标",
        )


def check_required_level1(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """Every first-level group the rule set requires has at least one indicator."""
    present = {indicator.level1 for indicator in goal.indicators}
    for name in rules.goal_quality.required_level1:
        if name not in present:
            yield Finding(
                id="missing-level1",
                severity=Severity.error,
                message=f"绩效目标{quoted(goal.name)}缺少一级指标{quoted(name)}下的指标。",
                location=name,
            )


def check_weights(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """The indicators' weights and the execution weight add up to 100."""
    rows = sum((indicator.weight for indicator in goal.indicators), ZERO)
    execution = rules.execution.weight
    if rows + execution != HUNDRED:
        yield Finding(
            id="weights-not-100",
            severity=Severity.error,
            message=(
                f"三级指标分值合计{plain_number(rows)}，加预算执行率分值{plain_number(execution)}"
                f"为{plain_number(rows + execution)}，应为100。"
            ),
            figures={"三级指标分值合计": rows, "预算执行率分值": execution},
            location="绩效指标",
        )


def check_level1_weights(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """The first-level weights as the scoring checks them (产出 50 / 效益 30 / 满意度 10 under
    the MoF 2020 rules). An empty required group is ``check_required_level1``'s to name."""
    required = set(rules.goal_quality.required_level1)
    present = {indicator.level1 for indicator in goal.indicators}
    weights = level1_weights_in_force(goal, rules)
    for finding in level1_weight_findings(goal.indicators, weights, rules):
        empty_required = finding.location in required and finding.location not in present
        if not (finding.id == "group-weights-mismatch" and empty_required):
            yield finding


def check_duplicate_indicators(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """One indicator (same first-, second- and third-level names) entered twice: its actual
    and its score would be counted twice, and a dataset file refuses it."""
    seen: set[str] = set()
    reported: set[str] = set()
    for indicator in goal.indicators:
        path = indicator.path
        if path in seen and path not in reported:
            reported.add(path)
            count = sum(1 for other in goal.indicators if other.path == path)
            yield Finding(
                id="duplicate-indicator",
                severity=Severity.error,
                message=f"指标{quoted(path)}在绩效目标{quoted(goal.name)}中出现{count}次，每个指标只能填写一次。",
                figures={"次数": Decimal(count)},
                location=path,
            )
        seen.add(path)


def check_target_form(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """A quantitative target is one the scoring can read (else an 错误, as at evaluation),
    with a unit (the operator may be implied "=")."""
    for indicator in goal.indicators:
        if indicator.kind is not IndicatorKind.quantitative:
            continue
        try:
            target = quantitative_target(indicator)
        except TargetError as error:
            yield Finding(
                id="target-unreadable",
                severity=Severity.error,
                message=f"{target_error_text(error)}。",
                location=indicator.path,
            )
            continue
        assert target.quantity is not None
        if target.quantity.unit is None:
            yield Finding(
                id="target-without-operator-or-unit",
                severity=Severity.warning,
                message=(
                    f"{quoted(indicator.path)}年度指标值{quoted(indicator.target)}缺少计量单位，"
                    f"应写成计算符号、数值和单位，如“≥95%”“≥3项”。"
                ),
                location=indicator.path,
            )
            continue
        symbol = unregistered_unit(target.quantity)
        if symbol is not None:
            yield Finding(
                id="unit-unregistered",
                severity=Severity.warning,
                message=unregistered_unit_warning(f"{quoted(indicator.path)}年度指标值", symbol),
                location=indicator.path,
            )


def check_level_names(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """First- and second-level names come from the rule set's vocabulary."""
    for indicator in goal.indicators:
        group = rules.group(indicator.level1)
        if group is None:
            names = "、".join(g.name for g in rules.level1)
            yield Finding(
                id="unknown-level-name",
                severity=Severity.warning,
                message=(
                    f"{quoted(indicator.path)}的一级指标{quoted(indicator.level1)}不在规则集{quoted(rules.name)}"
                    f"的一级指标中（{names}）。"
                ),
                location=indicator.path,
            )
        elif indicator.level2 not in group.level2:
            yield Finding(
                id="unknown-level-name",
                severity=Severity.warning,
                message=(
                    f"{quoted(indicator.path)}的二级指标{quoted(indicator.level2)}不是{quoted(group.name)}下的"
                    f"二级指标（{'、'.join(group.level2)}）。"
                ),
                location=indicator.path,
            )


def check_targets_against_last_year(
    goal: PerformanceGoal, rules: ProjectRules, last_year: PerformanceGoal | None
) -> Iterator[Finding]:
    """A ≥ target below last year's actual for the same indicator may be set too low."""
    previous = {i.path: i.actual for i in last_year.indicators} if last_year else {}
    for indicator in goal.indicators:
        if indicator.kind is not IndicatorKind.quantitative:
            continue
        last_text = indicator.last_year_actual or previous.get(indicator.path)
        pair = _target_and_last_year(indicator, last_text)
        if pair is None:
            continue
        target, last = pair
        yield Finding(
            id="target-below-last-year",
            severity=Severity.warning,
            message=(
                f"{quoted(indicator.path)}年度指标值{indicator.target}低于上年实际完成值{last}，"
                f"指标值可能设置偏低。"
            ),
            figures={"指标值": target, "上年实际": last.value},
            location=indicator.path,
        )


def _target_and_last_year(
    indicator: Indicator, last_text: str | None
) -> tuple[Decimal, Quantity] | None:
    """(target, last year's actual) when the target is ≥/> and below it; else None."""
    try:
        target = parse_target(indicator.target, qualitative=False)
        last = parse_actual(last_text)
        if target is None or target.quantity is None or not isinstance(last, Quantity):
            return None
        if target.operator not in (Operator.ge, Operator.gt):
            return None
        target_value, last_value = comparable(target.quantity, last)
    except TargetError:
        return None  # an unreadable target is reported by check_target_form
    return (target.quantity.value, last) if target_value < last_value else None


QUALITY_CHECKS: tuple[QualityCheck, ...] = (
    check_indicator_count,
    check_quantified_share,
    check_required_level1,
    check_weights,
    check_level1_weights,
    check_duplicate_indicators,
    check_target_form,
    check_level_names,
    check_targets_against_last_year,
)


def check_goal_quality(
    goal: PerformanceGoal,
    rules: ProjectRules,
    last_year: PerformanceGoal | None = None,
    checks: Iterable[QualityCheck] = QUALITY_CHECKS,
) -> list[Finding]:
    """Every finding of every goal-quality check, in the order of the list."""
    return [finding for check in checks for finding in check(goal, rules, last_year)]


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block submitting and approving (severity 错误)."""
    return [finding for finding in findings if finding.severity is Severity.error]


def _normalised(target: str) -> str:
    return "".join(target.split())


def check_same_indicator_across_goals(goals: Sequence[PerformanceGoal]) -> Iterator[Finding]:
    """One indicator name with different targets in two goals of one year.

    The department goal and a project goal that both measure “历史存量违法用地整改率”
    should aim at the same value, or the year is scored as met in one and unmet in the other.
    """
    seen: dict[str, tuple[PerformanceGoal, Indicator]] = {}
    for goal in goals:
        for indicator in goal.indicators:
            name = indicator.level3.strip()
            if name not in seen:
                seen[name] = (goal, indicator)
                continue
            first_goal, first = seen[name]
            if first_goal is goal or _normalised(first.target) == _normalised(indicator.target):
                continue
            yield Finding(
                id="same-indicator-different-targets",
                severity=Severity.warning,
                message=(
                    f"指标{quoted(name)}在{quoted(first_goal.name)}中的年度指标值为{first.target}，在"
                    f"{quoted(goal.name)}中为{indicator.target}；同一年度同一指标的目标应一致，"
                    f"或在指标名称中写明口径的不同。"
                ),
                location=indicator.path,
            )
