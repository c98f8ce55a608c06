"""Dataset goal entries → the core's goal records (used for stored and unstored tables)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core import goals as core
from jixiao.interchange.dataset import GoalEntry

PERCENT = Decimal(100)


def core_goal(entry: GoalEntry, default_name: str = "部门整体支出") -> core.PerformanceGoal:
    """The core record of a goal; the claimed execution rate turns from % into a fraction."""
    claimed = entry.claimed
    return core.PerformanceGoal(
        project_code=entry.project,
        name=entry.name or default_name,
        expected_objective=entry.expected_objective,
        actual_objective=entry.actual_objective,
        indicators=tuple(
            core.Indicator(
                level1=i.level1,
                level2=i.level2,
                level3=i.level3,
                kind=i.kind,
                target=i.target,
                weight=i.weight,
                actual=i.actual,
                state=i.state,
                assessed_score=i.assessed_score,
                claimed_score=i.claimed_score,
                deviation_reason=i.deviation_reason,
                improvement=i.improvement,
                last_year_actual=i.last_year_actual,
                illustrative=i.illustrative,
                cost_standard=i.cost_standard,
                cost_share=i.cost_share,
            )
            for i in entry.indicators
        ),
        level1_weights=dict(entry.level1_weights),
        claimed=core.ClaimedFigures(
            execution_rate=None
            if claimed.execution_rate is None
            else claimed.execution_rate / PERCENT,
            execution_score=claimed.execution_score,
            total=claimed.total,
            grade=claimed.grade,
            level1_scores=dict(claimed.level1_scores),
            weight_total=claimed.weight_total,
        ),
        execution_reason=entry.execution_reason,
    )
