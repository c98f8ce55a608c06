"""Monitoring snapshots (监控快照): a result frozen to plain JSON-safe data, and compared.

``freeze`` turns a ``MonitoringResult`` into dicts, lists, strings, booleans, ints and
None only: Decimals as plain-notation strings ("0.29995"), dates ISO ("2024-07-31"),
enums as their values. ``thaw`` rebuilds an equal result. The rule set travels with
the snapshot, so a snapshot still says what it was judged by after the rules change.
Keys added later (a progress's ``current_budget``, an indicator's ``rate``) are optional
when thawing: a snapshot taken before them reads as it was stored (no later budget, no
rate-type indicator), and says what it said then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from jixiao.core.consistency import Finding
from jixiao.core.money import D
from jixiao.core.monitoring import (
    AbsoluteRule,
    BudgetConsequence,
    ConsequenceRule,
    IndicatorStatus,
    Light,
    LightThresholds,
    Likelihood,
    MonitoringResult,
    MonitoringRules,
    Progress,
    ReasonCategory,
    Scope,
    TimeBasis,
)
from jixiao.core.vocabulary import Severity

FORMAT = "jixiao-monitoring-snapshot/1"

Plain = dict[str, Any]
T = TypeVar("T")


class SnapshotError(ValueError):
    """A frozen snapshot that cannot be thawed; the message is Chinese."""


# Freezing


def _number(value: Decimal) -> str:
    return format(value, "f")


def _maybe_number(value: Decimal | None) -> str | None:
    return None if value is None else _number(value)


def _rules(rules: MonitoringRules) -> Plain:
    lights = rules.lights
    return {
        "name": rules.name,
        "time_basis": rules.time_basis,
        "lights": None
        if lights is None
        else {
            "red_below": _number(lights.red_below),
            "yellow_below": _number(lights.yellow_below),
            "source": lights.source,
            "evidence": lights.evidence,
        },
        "absolute_rules": [
            {
                "min_budget": _number(rule.min_budget),
                "month": rule.month,
                "min_rate": _number(rule.min_rate),
                "source": rule.source,
                "evidence": rule.evidence,
            }
            for rule in rules.absolute_rules
        ],
        "consequence_rules": [
            {
                "month": rule.month,
                "below_rate": _number(rule.below_rate),
                "next_year_share": _number(rule.next_year_share),
                "source": rule.source,
                "evidence": rule.evidence,
            }
            for rule in rules.consequence_rules
        ],
        "forecast_threshold": _number(rules.forecast_threshold),
        "source": rules.source,
        "evidence": rules.evidence,
    }


def _progress(progress: Progress) -> Plain:
    return {
        "scope": progress.scope.value,
        "code": progress.code,
        "final_budget": _number(progress.final_budget),
        "executed": _number(progress.executed),
        "execution_rate": _maybe_number(progress.execution_rate),
        "progress_ratio": _maybe_number(progress.progress_ratio),
        "light": None if progress.light is None else progress.light.value,
        "recurrent": progress.recurrent,
        "current_budget": _maybe_number(progress.current_budget),
    }


def _indicator(status: IndicatorStatus) -> Plain:
    return {
        "project_code": status.project_code,
        "indicator_path": status.indicator_path,
        "target": status.target,
        "progress": status.progress,
        "progress_as_of": status.progress_as_of.isoformat(),
        "time_progress": _number(status.time_progress),
        "lower_is_better": status.lower_is_better,
        "progress_ratio": _maybe_number(status.progress_ratio),
        "projected_ratio": _maybe_number(status.projected_ratio),
        "likelihood": None if status.likelihood is None else status.likelihood.value,
        "likelihood_suggested": status.likelihood_suggested,
        "reason_category": None if status.reason_category is None else status.reason_category.value,
        "reason": status.reason,
        "rate": status.rate,
    }


def _finding(finding: Finding) -> Plain:
    return {
        "id": finding.id,
        "severity": finding.severity.value,
        "message": finding.message,
        "figures": {name: _number(value) for name, value in finding.figures.items()},
        "location": finding.location,
    }


def _consequence(consequence: BudgetConsequence) -> Plain:
    return {
        "project_code": consequence.project_code,
        "month": consequence.month,
        "executed_at_month_end": _number(consequence.executed_at_month_end),
        "rate_at_month_end": _number(consequence.rate_at_month_end),
        "below_rate": _number(consequence.below_rate),
        "next_year_share": _number(consequence.next_year_share),
        "this_year_budget": _number(consequence.this_year_budget),
    }


def freeze(result: MonitoringResult) -> Plain:
    """The result as JSON-safe plain data; ``thaw`` gives back an equal result."""
    return {
        "format": FORMAT,
        "fiscal_year": result.fiscal_year,
        "as_of": result.as_of.isoformat(),
        "rules": _rules(result.rules),
        "time_progress": _number(result.time_progress),
        "department": _progress(result.department),
        "sources": [_progress(p) for p in result.sources],
        "projects": [_progress(p) for p in result.projects],
        "indicators": [_indicator(s) for s in result.indicators],
        "findings": [_finding(f) for f in result.findings],
        "consequences": [_consequence(c) for c in result.consequences],
    }


# Thawing


def _decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise SnapshotError(f"快照中的数值应为文本，读到“{value!r}”")
    return D(value)


def _maybe_decimal(value: Any) -> Decimal | None:
    return None if value is None else _decimal(value)


def _maybe(value: Any, build: Callable[[Any], T]) -> T | None:
    return None if value is None else build(value)


def _time_basis(value: Any) -> TimeBasis:
    if value not in ("days", "months"):
        raise SnapshotError(f"快照中的序时进度口径“{value}”无法识别")
    return cast(TimeBasis, value)


def _thaw_rules(data: Mapping[str, Any]) -> MonitoringRules:
    lights = data["lights"]
    return MonitoringRules(
        name=data["name"],
        time_basis=_time_basis(data["time_basis"]),
        lights=None
        if lights is None
        else LightThresholds(
            red_below=_decimal(lights["red_below"]),
            yellow_below=_decimal(lights["yellow_below"]),
            source=lights["source"],
            evidence=lights["evidence"],
        ),
        absolute_rules=tuple(
            AbsoluteRule(
                min_budget=_decimal(rule["min_budget"]),
                month=int(rule["month"]),
                min_rate=_decimal(rule["min_rate"]),
                source=rule["source"],
                evidence=rule["evidence"],
            )
            for rule in data["absolute_rules"]
        ),
        consequence_rules=tuple(
            ConsequenceRule(
                month=int(rule["month"]),
                below_rate=_decimal(rule["below_rate"]),
                next_year_share=_decimal(rule["next_year_share"]),
                source=rule["source"],
                evidence=rule["evidence"],
            )
            for rule in data["consequence_rules"]
        ),
        forecast_threshold=_decimal(data["forecast_threshold"]),
        source=data["source"],
        evidence=data["evidence"],
    )


def _thaw_progress(data: Mapping[str, Any]) -> Progress:
    return Progress(
        scope=Scope(data["scope"]),
        code=data["code"],
        final_budget=_decimal(data["final_budget"]),
        executed=_decimal(data["executed"]),
        execution_rate=_maybe_decimal(data["execution_rate"]),
        progress_ratio=_maybe_decimal(data["progress_ratio"]),
        light=_maybe(data["light"], Light),
        recurrent=bool(data["recurrent"]),
        current_budget=_maybe_decimal(data.get("current_budget")),
    )


def _thaw_indicator(data: Mapping[str, Any]) -> IndicatorStatus:
    return IndicatorStatus(
        project_code=data["project_code"],
        indicator_path=data["indicator_path"],
        target=data["target"],
        progress=data["progress"],
        progress_as_of=date.fromisoformat(data["progress_as_of"]),
        time_progress=_decimal(data["time_progress"]),
        lower_is_better=bool(data["lower_is_better"]),
        progress_ratio=_maybe_decimal(data["progress_ratio"]),
        projected_ratio=_maybe_decimal(data["projected_ratio"]),
        likelihood=_maybe(data["likelihood"], Likelihood),
        likelihood_suggested=bool(data["likelihood_suggested"]),
        reason_category=_maybe(data["reason_category"], ReasonCategory),
        reason=data["reason"],
        rate=bool(data.get("rate", False)),
    )


def _thaw_finding(data: Mapping[str, Any]) -> Finding:
    return Finding(
        id=data["id"],
        severity=Severity(data["severity"]),
        message=data["message"],
        figures={name: _decimal(value) for name, value in data["figures"].items()},
        location=data["location"],
    )


def _thaw_consequence(data: Mapping[str, Any]) -> BudgetConsequence:
    return BudgetConsequence(
        project_code=data["project_code"],
        month=int(data["month"]),
        executed_at_month_end=_decimal(data["executed_at_month_end"]),
        rate_at_month_end=_decimal(data["rate_at_month_end"]),
        below_rate=_decimal(data["below_rate"]),
        next_year_share=_decimal(data["next_year_share"]),
        this_year_budget=_decimal(data["this_year_budget"]),
    )


def thaw(data: Mapping[str, Any]) -> MonitoringResult:
    """The result a ``freeze`` produced; SnapshotError (Chinese) when the data is not one."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise SnapshotError(f"不是监控快照（format 应为 {FORMAT}）")
    try:
        return MonitoringResult(
            fiscal_year=int(data["fiscal_year"]),
            as_of=date.fromisoformat(data["as_of"]),
            rules=_thaw_rules(data["rules"]),
            time_progress=_decimal(data["time_progress"]),
            department=_thaw_progress(data["department"]),
            sources=tuple(_thaw_progress(p) for p in data["sources"]),
            projects=tuple(_thaw_progress(p) for p in data["projects"]),
            indicators=tuple(_thaw_indicator(s) for s in data["indicators"]),
            findings=tuple(_thaw_finding(f) for f in data["findings"]),
            consequences=tuple(_thaw_consequence(c) for c in data["consequences"]),
        )
    except SnapshotError:
        raise
    except KeyError as error:
        raise SnapshotError(f"监控快照缺少字段 {error.args[0]}") from None
    except (TypeError, ValueError) as error:
        raise SnapshotError(f"监控快照内容无法识别：{error}") from None


# Comparing


@dataclass(frozen=True)
class SnapshotChange:
    """How one project moved between two snapshots; None where it is absent from one."""

    project_code: str
    executed_before: Decimal | None
    executed_after: Decimal | None
    rate_before: Decimal | None
    rate_after: Decimal | None
    light_before: Light | None
    light_after: Light | None

    @property
    def executed_change(self) -> Decimal | None:
        if self.executed_before is None or self.executed_after is None:
            return None
        return self.executed_after - self.executed_before

    @property
    def rate_change(self) -> Decimal | None:
        if self.rate_before is None or self.rate_after is None:
            return None
        return self.rate_after - self.rate_before

    @property
    def light_changed(self) -> bool:
        return self.light_before is not self.light_after


def compare(before: MonitoringResult, after: MonitoringResult) -> list[SnapshotChange]:
    """The projects whose executed amount, rate or light differ between two snapshots.

    Projects come in the order of ``before``, then those only in ``after``; a project in
    one snapshot only is a change with None on the other side.
    """
    earlier = {p.code: p for p in before.projects}
    later = {p.code: p for p in after.projects}
    changes = []
    for code in [*earlier, *(code for code in later if code not in earlier)]:
        a, b = earlier.get(code), later.get(code)
        change = SnapshotChange(
            project_code=code,
            executed_before=None if a is None else a.executed,
            executed_after=None if b is None else b.executed,
            rate_before=None if a is None else a.execution_rate,
            rate_after=None if b is None else b.execution_rate,
            light_before=None if a is None else a.light,
            light_after=None if b is None else b.light,
        )
        if (
            a is None
            or b is None
            or a.executed != b.executed
            or a.execution_rate != b.execution_rate
            or a.light is not b.light
        ):
            changes.append(change)
    return changes


__all__ = ["FORMAT", "SnapshotChange", "SnapshotError", "compare", "freeze", "thaw"]
