"""The unit's own 全年预计执行数 (stated in its monitoring form) beside jixiao's forecast.

A monitoring form's 项目资金 block prints the 全年预计执行数 the unit expects; jixiao
forecasts the same figure from the spending so far (``core.forecast``: a projected amount
within an interval). The stated figure never replaces the computed one: it is shown beside
it, and a stated figure outside the computed interval is a 提示 for the reviewer
(``monitoring-stated-forecast-outside``), who asks the unit what it knows that the
spending curve does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.forecast import ProjectForecast
from jixiao.core.money import format_wan
from jixiao.core.vocabulary import Severity


@dataclass(frozen=True)
class StatedForecast:
    """A project's 全年预计执行数 as its unit stated it, in 元, at a form's 截至日期."""

    project_code: str
    as_of: date
    amount: Decimal


def stated_outside(forecast: ProjectForecast) -> bool:
    """The unit's stated figure set beside the forecast lies outside its computed interval."""
    stated = forecast.stated
    return stated is not None and not forecast.projected_low <= stated <= forecast.projected_high


def beside_computed(
    forecasts: Sequence[ProjectForecast], stated: Mapping[str, StatedForecast]
) -> tuple[tuple[ProjectForecast, ...], tuple[Finding, ...]]:
    """The forecasts with the unit's stated figure set beside each, and a 提示 for every
    stated figure outside its computed interval."""
    kept, findings = [], []
    for forecast in forecasts:
        own = stated.get(forecast.project_code)
        if own is None:
            kept.append(forecast)
            continue
        kept.append(replace(forecast, stated=own.amount, stated_as_of=own.as_of))
        if not stated_outside(kept[-1]):
            continue
        findings.append(
            Finding(
                id="monitoring-stated-forecast-outside",
                severity=Severity.info,
                message=(
                    f"项目“{forecast.project_code}”的监控表（截至{own.as_of.isoformat()}）填报全年预计"
                    f"执行数{format_wan(own.amount)}万元，不在按支出进度测算的区间"
                    f"{format_wan(forecast.projected_low)}至{format_wan(forecast.projected_high)}"
                    f"万元内（测算{format_wan(forecast.projected)}万元），请单位说明依据。"
                ),
                figures={
                    "单位填报全年预计执行数": own.amount,
                    "测算全年预计执行数": forecast.projected,
                    "测算区间下限": forecast.projected_low,
                    "测算区间上限": forecast.projected_high,
                },
                location=f"projects[{forecast.project_code}]",
            )
        )
    return tuple(kept), tuple(findings)


__all__ = ["StatedForecast", "beside_computed", "stated_outside"]
