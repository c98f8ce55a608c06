"""A form's own target for a framework indicator (pure).

The department-wide framework scores 预算完成率 against 100 %; a unit's form that sets its
own 年度指标值 (≥70 %) is scored against that target, as the form states it. The framework's
scoring is moved to the form's target where the two agree in direction: a proportional
scoring takes the target of a ≥ / = target, a lower-is-better scoring the ceiling of a ≤ one
(its zero point moved by as much). Other combinations keep the framework's scoring.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.department_framework import LowerIsBetterLinear, Proportional, Scoring
from jixiao.core.money import HUNDRED, ZERO
from jixiao.core.targets import Operator, TargetError, parse_target


def percent_target(text: str | None) -> tuple[Operator, Decimal] | None:
    """A target written as a percentage (“≥70%”, “70%”) as (operator, fraction); None for a
    formula, a qualitative text or another unit."""
    if not text or "÷" in text or "/" in text:
        return None
    try:
        target = parse_target(text, qualitative=False)
    except TargetError:
        return None
    if target is None or target.quantity is None or target.operator is None:
        return None
    unit = target.quantity.unit
    if unit is None or unit.symbol != "%":
        return None
    return target.operator, target.quantity.value / HUNDRED


def scoring_for_target(scoring: Scoring, operator: Operator, target: Decimal) -> Scoring | None:
    """The framework's scoring moved to the form's target; None where they do not agree."""
    if isinstance(scoring, Proportional) and not operator.lower_is_better and target > ZERO:
        return None if target == scoring.target else Proportional(target)
    if isinstance(scoring, LowerIsBetterLinear) and operator.lower_is_better:
        if target == scoring.full_at_most:
            return None
        shift = target - scoring.full_at_most
        return LowerIsBetterLinear(target, scoring.zero_at + shift)
    return None


__all__ = ["percent_target", "scoring_for_target"]
