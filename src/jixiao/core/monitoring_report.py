"""The monitoring report of a department-year at a date, and its frozen (snapshot) form.

``MonitoringReport`` is the one object every monitoring output is made from: the core's
``MonitoringResult``, the forecasts, the adjustment plan, the profile the forecasts used,
the monthly execution per budget line the result was computed from (the charts draw it),
and the project names and 年初预算数 the forms print. Nothing here touches the database,
so the document writers can use it without Django.

``freeze_report`` turns a report into JSON-safe data for ``MonitoringSnapshot.result``.
The top level is exactly ``jixiao.core.snapshots.freeze(result)`` (so ``thaw`` reads it
as it is), with one more key, ``"report"``, holding the rest; ``thaw_report`` rebuilds an
equal report from it. Forecasts and proposals are stored as they were computed, not
recomputed on thawing, so a snapshot keeps saying what was reported even if the
forecasting method changes later. Keys added later (a forecast's ``profile_basis``, a
line's ``current_budget``, ``rounding_note``) are optional when thawing, so an older
snapshot reads as it was stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from jixiao.core.consistency import Finding
from jixiao.core.forecast import (
    AdjustmentAction,
    AdjustmentPlan,
    AdjustmentProposal,
    CumulativeProfile,
    ProfileBasis,
    ProjectForecast,
)
from jixiao.core.money import ZERO, D
from jixiao.core.monitoring import LineExecution, MonitoringResult, Progress
from jixiao.core.snapshots import SnapshotError, freeze, thaw
from jixiao.core.vocabulary import FundingSource, Nature

REPORT_FORMAT = "jixiao-monitoring-report/1"
REPORTED_FINDINGS = frozenset({"absolute-execution-rule"})
"""Findings the monitoring report itself states (spending below a rule, 重点监控); every
other finding is addressed to the preparer (审核意见)."""


@dataclass(frozen=True)
class ProjectInfo:
    """What the forms print about a project besides the monitored figures."""

    code: str
    name: str
    initial_budget: Decimal
    """年初预算数: the sum of its lines' initial budgets, 元."""


@dataclass(frozen=True)
class MonitoringReport:
    """One monitoring run of a stored department-year: every output is made from it."""

    department_code: str
    department_name: str
    result: MonitoringResult
    forecasts: tuple[ProjectForecast, ...]
    """One per project of ``result.projects``, in the same order."""
    plan: AdjustmentPlan
    profile: CumulativeProfile
    """The cumulative spending profile the forecasts used."""
    lines: tuple[LineExecution, ...]
    """The monthly execution per budget line the result was computed from."""
    projects: tuple[ProjectInfo, ...]
    """Names and 年初预算数 of the monitored projects, in ``result.projects`` order."""
    snapshot_id: int | None = None
    """The stored snapshot this report is, or was frozen into; None when not stored."""
    rounding_note: bool = False
    """The department prints 注 尾差系四舍五入所致 under a table whose rows and total differ
    by rounding; otherwise the difference is a review note."""

    @property
    def review_findings(self) -> tuple[Finding, ...]:
        """The findings addressed to the preparer (审核意见), not printed in the report:
        indicators without progress or reasons, lines that cannot be monitored … each
        with the subject the 审核意见 groups it under."""
        return tuple(
            f if f.subject else replace(f, subject=self._subject(f.location))
            for f in self.result.findings
            if f.id not in REPORTED_FINDINGS
        )

    def _subject(self, location: str) -> str:
        """ "LW23-P04 国土空间总体规划编制" for a project's finding, else what it is about."""
        inner = location.partition("[")[2].rstrip("]")
        code: str | None = inner
        if location.startswith("indicators[") and inner.isdigit():
            index = int(inner)
            if index >= len(self.result.indicators):
                return "绩效指标"
            code = self.result.indicators[index].project_code
            if code is None:
                return "部门整体"
        elif not location.startswith(("projects[", "budget.projects[")):
            return "预算行" if location.startswith("budget.lines") else ""
        return f"{code} {self.project_name(code)}" if code else ""

    @property
    def fiscal_year(self) -> int:
        return self.result.fiscal_year

    @property
    def as_of(self) -> date:
        return self.result.as_of

    @cached_property
    def _info_by_code(self) -> dict[str, ProjectInfo]:
        """The first entry per code (a look-up per project, not a scan: forms of 500
        projects ask tens of thousands of times)."""
        index: dict[str, ProjectInfo] = {}
        for info in self.projects:
            index.setdefault(info.code, info)
        return index

    @cached_property
    def _forecast_by_code(self) -> dict[str, ProjectForecast]:
        index: dict[str, ProjectForecast] = {}
        for forecast in self.forecasts:
            index.setdefault(forecast.project_code, forecast)
        return index

    def project_info(self, code: str) -> ProjectInfo:
        found = self._info_by_code.get(code)
        return found if found is not None else ProjectInfo(code, code, ZERO)

    def project_name(self, code: str) -> str:
        return self.project_info(code).name

    def forecast(self, code: str) -> ProjectForecast:
        return self._forecast_by_code[code]

    def projects_by_light(self) -> dict[str, tuple[Progress, ...]]:
        """The projects grouped by light value ("red", "yellow", "green", "none")."""
        groups: dict[str, list[Progress]] = {"red": [], "yellow": [], "green": [], "none": []}
        for progress in self.result.projects:
            groups[progress.light.value if progress.light else "none"].append(progress)
        return {key: tuple(value) for key, value in groups.items()}


# Freezing


def _n(value: Decimal) -> str:
    return format(value, "f")


def _mn(value: Decimal | None) -> str | None:
    return None if value is None else _n(value)


def _d(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise SnapshotError(f"快照中的数值应为文本，读到“{value!r}”")
    return D(value)


def _md(value: Any) -> Decimal | None:
    return None if value is None else _d(value)


def _profile(profile: CumulativeProfile) -> dict[str, Any]:
    return {
        "shares": [_n(v) for v in profile.shares],
        "low": [_n(v) for v in profile.low],
        "high": [_n(v) for v in profile.high],
        "source": profile.source,
        "years": list(profile.years),
        "basis": profile.basis.value,
    }


def _forecast(forecast: ProjectForecast) -> dict[str, Any]:
    return {
        "project_code": forecast.project_code,
        "as_of": forecast.as_of.isoformat(),
        "final_budget": _n(forecast.final_budget),
        "executed": _n(forecast.executed),
        "profile_share": _n(forecast.profile_share),
        "projected": _n(forecast.projected),
        "projected_low": _n(forecast.projected_low),
        "projected_high": _n(forecast.projected_high),
        "linear_projected": _mn(forecast.linear_projected),
        "demand": _mn(forecast.demand),
        "progress_ratio": _mn(forecast.progress_ratio),
        "profile_source": forecast.profile_source,
        "profile_basis": forecast.profile_basis.value if forecast.profile_basis else None,
        "stated": _mn(forecast.stated),
        "stated_as_of": forecast.stated_as_of.isoformat() if forecast.stated_as_of else None,
    }


def _plan(plan: AdjustmentPlan, result: MonitoringResult) -> dict[str, Any]:
    at_risk = []
    for status in plan.indicators_at_risk:
        try:
            at_risk.append(result.indicators.index(status))
        except ValueError:
            raise SnapshotError("调整建议中的指标不在监控结果中") from None
    return {
        "threshold": _n(plan.threshold),
        "proposals": [
            {
                "project_code": p.project_code,
                "action": p.action.value,
                "amount": _n(p.amount),
                "to_project": p.to_project,
                "message": p.message,
            }
            for p in plan.proposals
        ],
        "lagging": list(plan.lagging),
        "ahead": list(plan.ahead),
        "indicators_at_risk": at_risk,
    }


def _line(line: LineExecution) -> dict[str, Any]:
    return {
        "code": line.code,
        "funding_source": line.funding_source.value,
        "nature": line.nature.value,
        "final_budget": _n(line.final_budget),
        "monthly": [_n(v) for v in line.monthly],
        "project_code": line.project_code,
        "recurrent": line.recurrent,
        "current_budget": _mn(line.current_budget),
    }


def freeze_report(report: MonitoringReport) -> dict[str, Any]:
    """The report as JSON-safe data: ``freeze(result)`` plus a ``"report"`` key."""
    data = freeze(report.result)
    data["report"] = {
        "format": REPORT_FORMAT,
        "department_code": report.department_code,
        "department_name": report.department_name,
        "rounding_note": report.rounding_note,
        "profile": _profile(report.profile),
        "forecasts": [_forecast(f) for f in report.forecasts],
        "plan": _plan(report.plan, report.result),
        "lines": [_line(line) for line in report.lines],
        "projects": [
            {"code": p.code, "name": p.name, "initial_budget": _n(p.initial_budget)}
            for p in report.projects
        ],
    }
    return data


# Thawing


def _basis(value: Any) -> ProfileBasis | None:
    return None if value is None else ProfileBasis(value)


def _old_basis(data: Mapping[str, Any]) -> ProfileBasis:
    """Before profiles recorded their basis, one with years was the department's."""
    return ProfileBasis.department if data["years"] else ProfileBasis.default


def _thaw_profile(data: Mapping[str, Any]) -> CumulativeProfile:
    return CumulativeProfile(
        shares=tuple(_d(v) for v in data["shares"]),
        low=tuple(_d(v) for v in data["low"]),
        high=tuple(_d(v) for v in data["high"]),
        source=data["source"],
        years=tuple(int(y) for y in data["years"]),
        basis=_basis(data.get("basis")) or _old_basis(data),
    )


def _thaw_forecast(data: Mapping[str, Any]) -> ProjectForecast:
    return ProjectForecast(
        project_code=data["project_code"],
        as_of=date.fromisoformat(data["as_of"]),
        final_budget=_d(data["final_budget"]),
        executed=_d(data["executed"]),
        profile_share=_d(data["profile_share"]),
        projected=_d(data["projected"]),
        projected_low=_d(data["projected_low"]),
        projected_high=_d(data["projected_high"]),
        linear_projected=_md(data["linear_projected"]),
        demand=_md(data["demand"]),
        progress_ratio=_md(data["progress_ratio"]),
        profile_source=data["profile_source"],
        profile_basis=_basis(data.get("profile_basis")),
        stated=_md(data.get("stated")),
        stated_as_of=date.fromisoformat(data["stated_as_of"]) if data.get("stated_as_of") else None,
    )


def _thaw_plan(data: Mapping[str, Any], result: MonitoringResult) -> AdjustmentPlan:
    return AdjustmentPlan(
        threshold=_d(data["threshold"]),
        proposals=tuple(
            AdjustmentProposal(
                project_code=p["project_code"],
                action=AdjustmentAction(p["action"]),
                amount=_d(p["amount"]),
                to_project=p["to_project"],
                message=p["message"],
            )
            for p in data["proposals"]
        ),
        lagging=tuple(data["lagging"]),
        ahead=tuple(data["ahead"]),
        indicators_at_risk=tuple(result.indicators[int(i)] for i in data["indicators_at_risk"]),
    )


def _thaw_line(data: Mapping[str, Any]) -> LineExecution:
    return LineExecution(
        code=data["code"],
        funding_source=FundingSource(data["funding_source"]),
        nature=Nature(data["nature"]),
        final_budget=_d(data["final_budget"]),
        monthly=tuple(_d(v) for v in data["monthly"]),
        project_code=data["project_code"],
        recurrent=bool(data["recurrent"]),
        current_budget=_md(data.get("current_budget")),
    )


def thaw_report(data: Mapping[str, Any], snapshot_id: int | None = None) -> MonitoringReport:
    """The report ``freeze_report`` froze; SnapshotError (Chinese) when it is not one."""
    result = thaw(data)
    extra = data.get("report")
    if not isinstance(extra, Mapping) or extra.get("format") != REPORT_FORMAT:
        raise SnapshotError(f"监控快照缺少预测和调整建议（report.format 应为 {REPORT_FORMAT}）")
    try:
        return MonitoringReport(
            department_code=extra["department_code"],
            department_name=extra["department_name"],
            result=result,
            forecasts=tuple(_thaw_forecast(f) for f in extra["forecasts"]),
            plan=_thaw_plan(extra["plan"], result),
            profile=_thaw_profile(extra["profile"]),
            lines=tuple(_thaw_line(line) for line in extra["lines"]),
            projects=tuple(
                ProjectInfo(p["code"], p["name"], _d(p["initial_budget"]))
                for p in extra["projects"]
            ),
            snapshot_id=snapshot_id,
            rounding_note=bool(extra.get("rounding_note", False)),
        )
    except SnapshotError:
        raise
    except KeyError as error:
        raise SnapshotError(f"监控快照缺少字段 {error.args[0]}") from None
    except (TypeError, ValueError, IndexError) as error:
        raise SnapshotError(f"监控快照内容无法识别：{error}") from None


__all__ = [
    "REPORTED_FINDINGS",
    "REPORT_FORMAT",
    "MonitoringReport",
    "ProjectInfo",
    "freeze_report",
    "thaw_report",
]
