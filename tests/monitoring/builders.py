"""Monitoring inputs written as a finance office would say them: budgets and spending in 万元.

``line("P01", budget="200", spent={8: "119.99"})`` is a project line of 200 万元 of which
119.99 万元 was paid in August; the core receives 元.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from jixiao.core.money import ZERO, D, wan_to_yuan
from jixiao.core.monitoring import (
    IndicatorProgress,
    LightThresholds,
    LineExecution,
    MonitoringResult,
    MonitoringRules,
    monitor,
)
from jixiao.core.vocabulary import FundingSource, Nature

GENERAL = FundingSource.general_public_budget
FUND = FundingSource.government_fund_budget

RATIO_RULES = MonitoringRules(
    name="测试：60%/80%",
    time_basis="months",
    lights=LightThresholds(red_below=D("0.6"), yellow_below=D("0.8")),
)


def wan(text: str) -> Decimal:
    """An amount written in 万元, as 元."""
    return wan_to_yuan(D(text))


def line(
    project: str | None,
    budget: str,
    spent: Mapping[int, str] | None = None,
    *,
    code: str | None = None,
    source: FundingSource = GENERAL,
    recurrent: bool = False,
) -> LineExecution:
    """A budget line of ``budget`` 万元 with ``spent`` {month: 万元}; no project → 基本支出."""
    monthly = [ZERO] * 12
    for month, amount in (spent or {}).items():
        monthly[month - 1] += wan(amount)
    return LineExecution(
        code=code or f"L-{project or 'basic'}",
        funding_source=source,
        nature=Nature.project if project else Nature.basic,
        final_budget=wan(budget),
        monthly=tuple(monthly),
        project_code=project,
        recurrent=recurrent,
    )


def indicator(target: str, progress: str | None, **fields: object) -> IndicatorProgress:
    """An indicator row of project P01's 监控表."""
    values: dict[str, object] = {
        "project_code": "P01",
        "indicator_path": "产出指标/数量指标/完成数量",
        "target": target,
        "progress": progress,
        **fields,
    }
    return IndicatorProgress(**values)  # type: ignore[arg-type]


def run(
    as_of: date,
    lines: list[LineExecution],
    indicators: list[IndicatorProgress] | None = None,
    rules: MonitoringRules = RATIO_RULES,
) -> MonitoringResult:
    return monitor(as_of.year, as_of, lines, indicators or [], rules)
