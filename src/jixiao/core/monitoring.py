"""In-year dual monitoring (双监控): budget execution against time, and indicator progress.

中发〔2018〕34号 asks for both at once: how far spending has got (预算执行进度) and how far
the performance targets have got (绩效目标实现程度). 财预〔2019〕136号 sets the method
(compare with the targets, forecast the year, explain deviations) but no numeric
thresholds; those are local and live in rule files (``jixiao/rules/monitoring-*.yaml``).

The core receives executed amounts already summed per budget line and month (the
database sums the ledger) and the indicator progress as entered. It reads no clock:
every figure is "as of" an explicit date. Amounts are Decimal 元; rates are unrounded.

Decisions where the sources are silent (documented here, tested in tests/monitoring):

* Executed to date is the sum of the monthly amounts up to and including the month of
  ``as_of``; later months are ignored whatever they hold.
* 序时进度 (time progress) is computed in one of two ways, chosen by the rule set; see
  ``time_progress``.
* A scope with no budget (rate undefined) or with no elapsed time (ratio undefined)
  gets no light rather than a red one.
* Lights: ratio < red threshold → red; < yellow threshold → yellow; else green
  (vendor convention: the lower bound of each band is inclusive).
* An absolute rule "budget ≥ B, below R executed at the end of month M" is checked once
  the end of month M has passed (``as_of`` on or after the month's last day), on the
  amount executed by that month end, so a later snapshot still shows it. Budget ≥ B is
  inclusive, rate < R strict.
* A consequence rule (Guangzhou's 80 %/50 %) applies to recurrent projects only, is
  checked the same way, and when several rules match the lowest next-year share wins.
  "This year's amount" is the project's budget as it stood on ``as_of``.
* 全年预算数 is the budget as it stood on ``as_of``: the initial budget plus the
  adjustments dated on or before it. An adjustment approved later was not known at the
  monitoring date, so it changes no rate, light, rule or forecast of that date; the
  budget as it is now is carried alongside (``current_budget``) for the forms to show.
* A rate-type indicator (a target in %: 满意度, 合格率, 整改率) is a level: its progress is
  compared with the target as it stands, never accumulated or extrapolated over months.
* Indicator likelihood, when not entered, is suggested (see ``suggest_likelihood``).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from jixiao.core.budget import execution_rate
from jixiao.core.consistency import Finding
from jixiao.core.goals import QualitativeState
from jixiao.core.money import ONE, ZERO, format_percent, format_wan
from jixiao.core.targets import (
    Operator,
    Quantity,
    TargetError,
    comparable,
    parse_actual,
    parse_target,
)
from jixiao.core.vocabulary import FundingSource, Nature, Severity

TimeBasis = Literal["days", "months"]
"""How 序时进度 is measured: elapsed days ÷ days in the year, or completed months ÷ 12."""

MonthlyExecution = tuple[Decimal, ...]
"""Twelve monthly executed amounts (元), January first; refunds may make one negative."""

MONTHS = 12
TWELVE = Decimal(MONTHS)


class MonitoringError(ValueError):
    """Monitoring input that cannot be used; the message is Chinese."""


class Light(StrEnum):
    """预警灯: the colour of execution progress against time progress."""

    green = "green"
    yellow = "yellow"
    red = "red"

    @property
    def label(self) -> str:
        return {Light.green: "绿", Light.yellow: "黄", Light.red: "红"}[self]

    @property
    def rank(self) -> int:
        """0 for red, 1 for yellow, 2 for green: larger is better."""
        return {Light.red: 0, Light.yellow: 1, Light.green: 2}[self]


class Likelihood(StrEnum):
    """完成目标可能性, as the 136号 form's dropdown offers it."""

    certain = "确定能"
    possible = "有可能"
    impossible = "完全不可能"


class ReasonCategory(StrEnum):
    """偏差原因分析: the 136号 form's cause columns."""

    funding = "经费保障"
    rules = "制度保障"
    staff = "人员保障"
    equipment = "硬件条件保障"
    other = "其他"


class Scope(StrEnum):
    """What a progress figure covers."""

    department = "department"
    source = "source"
    project = "project"

    @property
    def label(self) -> str:
        return {Scope.department: "部门整体", Scope.source: "资金来源", Scope.project: "项目"}[self]


# Inputs


@dataclass(frozen=True)
class LineExecution:
    """One budget line's monthly executed amounts, as the database summed them."""

    code: str
    """The budget line's code."""
    funding_source: FundingSource
    nature: Nature
    final_budget: Decimal
    """全年预算数 as it stood on ``as_of``: the initial budget plus the adjustments dated
    on or before it, 元. Every rate, light and rule of the run uses this budget."""
    monthly: MonthlyExecution
    """Executed per month, 元; months after ``as_of`` are ignored."""
    project_code: str | None = None
    """The project the line funds; None for 基本支出."""
    recurrent: bool = False
    """True when the line's project is a recurrent (经常性) project."""
    current_budget: Decimal | None = None
    """全年预算数 now, with adjustments dated after ``as_of``; None when it is the same."""

    @property
    def budget_now(self) -> Decimal:
        return self.final_budget if self.current_budget is None else self.current_budget

    def __post_init__(self) -> None:
        if len(self.monthly) != MONTHS:
            raise MonitoringError(
                f"预算行“{self.code}”的月度执行数应为12个月，实际为{len(self.monthly)}个"
            )

    def executed_through(self, month: int) -> Decimal:
        """Executed from January to the end of ``month`` (0 gives nothing)."""
        return sum(self.monthly[:month], ZERO)


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator row of the 绩效目标执行监控表, as a unit filled it in."""

    project_code: str | None
    """The goal's project; None for the department-wide goal."""
    indicator_path: str
    """一级/二级/三级 names joined by "/", as ``Indicator.path``."""
    target: str
    """年度指标值 as written: "≥95%", "≤30万元", "效果明显"."""
    progress: str | None
    """完成值 so far, as written; None when not reported."""
    progress_as_of: date | None = None
    """The date the progress value stands at; None means the monitoring date."""
    likelihood: Likelihood | None = None
    """完成目标可能性 as entered; None when not entered."""
    reason_category: ReasonCategory | None = None
    reason: str = ""
    """偏差原因分析 text."""


# Rules


@dataclass(frozen=True)
class LightThresholds:
    """Execution rate ÷ time progress below ``red_below`` is red, below ``yellow_below`` yellow."""

    red_below: Decimal
    yellow_below: Decimal
    source: str = ""
    evidence: str = ""

    def light(self, progress_ratio: Decimal) -> Light:
        if progress_ratio < self.red_below:
            return Light.red
        if progress_ratio < self.yellow_below:
            return Light.yellow
        return Light.green


@dataclass(frozen=True)
class AbsoluteRule:
    """Projects with a final budget ≥ ``min_budget`` below ``min_rate`` at the end of ``month``."""

    min_budget: Decimal
    """元, inclusive."""
    month: int
    """1..12: checked on the amount executed by this month's end."""
    min_rate: Decimal
    """Execution rate (executed ÷ final budget) below which the rule warns."""
    source: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class ConsequenceRule:
    """Recurrent projects below ``below_rate`` at the end of ``month``: next year at a share."""

    month: int
    below_rate: Decimal
    next_year_share: Decimal
    """Next year's budget as a share of this year's final budget (0.9 for 90 %)."""
    source: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class MonitoringRules:
    """A monitoring rule set; regional variants are data (``jixiao/rules/monitoring-*.yaml``)."""

    name: str
    time_basis: TimeBasis = "months"
    lights: LightThresholds | None = None
    """None: the rule set gives no lights."""
    absolute_rules: tuple[AbsoluteRule, ...] = ()
    consequence_rules: tuple[ConsequenceRule, ...] = ()
    forecast_threshold: Decimal = Decimal("0.9")
    """Projects projected below this share of their budget are proposed for adjustment."""
    source: str = ""
    evidence: str = ""


# Results


@dataclass(frozen=True)
class Progress:
    """Execution progress of the department, one funding source, or one project."""

    scope: Scope
    code: str
    """Project code, funding source value, or "" for the department."""
    final_budget: Decimal
    executed: Decimal
    """Executed to date, 元."""
    execution_rate: Decimal | None
    """executed ÷ final budget; None when the budget is zero."""
    progress_ratio: Decimal | None
    """execution rate ÷ time progress; None when either is undefined or zero time."""
    light: Light | None
    """None when the ratio is undefined or the rule set gives no lights."""
    recurrent: bool = False
    current_budget: Decimal | None = None
    """全年预算数 now, when adjustments dated after ``as_of`` changed it; None otherwise."""

    @property
    def budget_now(self) -> Decimal:
        return self.final_budget if self.current_budget is None else self.current_budget

    @property
    def adjusted_later(self) -> bool:
        """True when the budget was adjusted after the monitoring date."""
        return self.budget_now != self.final_budget

    @property
    def label(self) -> str:
        if self.scope is Scope.department:
            return "部门整体"
        if self.scope is Scope.source:
            return FundingSource(self.code).label
        return self.code


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator's progress against its target, with the likelihood of meeting it."""

    project_code: str | None
    indicator_path: str
    target: str
    progress: str | None
    progress_as_of: date
    time_progress: Decimal
    """序时进度 at ``progress_as_of``."""
    lower_is_better: bool
    progress_ratio: Decimal | None
    """Completion against the target (see ``progress_ratio``); None when not computable."""
    projected_ratio: Decimal | None
    """Year-end completion projected linearly (see ``projected_ratio``)."""
    likelihood: Likelihood | None
    likelihood_suggested: bool
    """True when ``likelihood`` was not entered but suggested by ``suggest_likelihood``."""
    reason_category: ReasonCategory | None = None
    reason: str = ""
    rate: bool = False
    """True for a rate-type indicator (target in %): compared with its target as a level."""

    @property
    def projected_to_miss(self) -> bool:
        return self.projected_ratio is not None and self.projected_ratio < ONE


@dataclass(frozen=True)
class BudgetConsequence:
    """A budget consequence of slow spending, e.g. Guangzhou's 80 %/50 % rule."""

    project_code: str
    month: int
    """The month whose end the rate was taken at."""
    executed_at_month_end: Decimal
    rate_at_month_end: Decimal
    below_rate: Decimal
    next_year_share: Decimal
    this_year_budget: Decimal
    """This year's final budget, 元."""

    @property
    def next_year_budget(self) -> Decimal:
        return self.this_year_budget * self.next_year_share

    @property
    def reduction(self) -> Decimal:
        return self.this_year_budget - self.next_year_budget


@dataclass(frozen=True)
class MonitoringResult:
    """Everything one monitoring run decided, as of one date."""

    fiscal_year: int
    as_of: date
    rules: MonitoringRules
    time_progress: Decimal
    department: Progress
    sources: tuple[Progress, ...]
    projects: tuple[Progress, ...]
    indicators: tuple[IndicatorStatus, ...] = ()
    findings: tuple[Finding, ...] = ()
    """Absolute-rule warnings and indicator findings."""
    consequences: tuple[BudgetConsequence, ...] = ()

    def project(self, code: str) -> Progress:
        for progress in self.projects:
            if progress.code == code:
                return progress
        raise KeyError(code)


# Time


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_in_year(year: int, as_of: date) -> None:
    if as_of.year != year:
        raise MonitoringError(f"监控日期{as_of.isoformat()}不在{year}年度内")


def time_progress(year: int, as_of: date, basis: TimeBasis = "months") -> Decimal:
    """序时进度 at the end of ``as_of``, in [0, 1].

    ``days``: elapsed days ÷ days in the year, ``as_of`` itself counted as elapsed, so
    1 January gives 1/365 (1/366 in a leap year) and 31 December gives 1.
    ``months``: completed months ÷ 12; the month of ``as_of`` counts as complete only on
    its last day, so 15 July gives 6/12 and 31 July 7/12. This is the vendor's month/12
    when monitoring at a month end.
    """
    _check_in_year(year, as_of)
    if basis == "days":
        elapsed = as_of.toordinal() - date(year, 1, 1).toordinal() + 1
        days = 366 if calendar.isleap(year) else 365
        return Decimal(elapsed) / Decimal(days)
    if basis == "months":
        completed = as_of.month if as_of == month_end(year, as_of.month) else as_of.month - 1
        return Decimal(completed) / TWELVE
    raise MonitoringError(f"不认识的序时进度口径“{basis}”，可选：days（按天）、months（按月）")


# Budget execution


def progress_ratio(rate: Decimal | None, elapsed: Decimal) -> Decimal | None:
    """Execution rate ÷ time progress; None when the rate is undefined or no time elapsed."""
    if rate is None or elapsed == ZERO:
        return None
    return rate / elapsed


def _progress(
    scope: Scope,
    code: str,
    lines: Sequence[LineExecution],
    month: int,
    elapsed: Decimal,
    rules: MonitoringRules,
    recurrent: bool = False,
) -> Progress:
    final_budget = sum((line.final_budget for line in lines), ZERO)
    budget_now = sum((line.budget_now for line in lines), ZERO)
    executed = sum((line.executed_through(month) for line in lines), ZERO)
    rate = execution_rate(executed, final_budget)
    ratio_ = progress_ratio(rate, elapsed)
    light = rules.lights.light(ratio_) if rules.lights and ratio_ is not None else None
    current = None if budget_now == final_budget else budget_now
    return Progress(scope, code, final_budget, executed, rate, ratio_, light, recurrent, current)


def _check_lines(lines: Sequence[LineExecution]) -> dict[str, list[LineExecution]]:
    """The lines grouped by project, after refusing duplicates and mixed recurrence flags."""
    seen: set[str] = set()
    by_project: dict[str, list[LineExecution]] = {}
    for line in lines:
        if line.code in seen:
            raise MonitoringError(f"预算行“{line.code}”重复出现")
        seen.add(line.code)
        if line.project_code is not None:
            by_project.setdefault(line.project_code, []).append(line)
    for code, project_lines in by_project.items():
        if len({line.recurrent for line in project_lines}) > 1:
            raise MonitoringError(f"项目“{code}”的各预算行对是否经常性项目的标记不一致")
    return by_project


def _due(year: int, month: int, as_of: date) -> bool:
    return as_of >= month_end(year, month)


def _absolute_findings(
    year: int,
    as_of: date,
    by_project: Mapping[str, Sequence[LineExecution]],
    rules: Iterable[AbsoluteRule],
) -> list[Finding]:
    findings = []
    for rule in rules:
        if not _due(year, rule.month, as_of):
            continue
        for code, lines in by_project.items():
            budget = sum((line.final_budget for line in lines), ZERO)
            if budget == ZERO or budget < rule.min_budget:
                continue
            executed = sum((line.executed_through(rule.month) for line in lines), ZERO)
            rate = executed / budget
            if rate >= rule.min_rate:
                continue
            findings.append(
                Finding(
                    id="absolute-execution-rule",
                    severity=Severity.warning,
                    message=(
                        f"项目“{code}”全年预算数{format_wan(budget)}万元，截至{rule.month}月末执行"
                        f"{format_wan(executed)}万元，执行率{format_percent(rate)}，"
                        f"低于{format_percent(rule.min_rate)}，应列为重点监控。"
                    ),
                    figures={
                        "全年预算数": budget,
                        f"{rule.month}月末执行数": executed,
                        "执行率": rate,
                        "规定执行率": rule.min_rate,
                        "预算数下限": rule.min_budget,
                    },
                    location=f"projects[{code}]",
                )
            )
    return findings


def _consequences(
    year: int,
    as_of: date,
    by_project: Mapping[str, Sequence[LineExecution]],
    rules: Sequence[ConsequenceRule],
) -> list[BudgetConsequence]:
    consequences = []
    for code, lines in by_project.items():
        if not lines[0].recurrent:
            continue
        budget = sum((line.final_budget for line in lines), ZERO)
        if budget == ZERO:
            continue
        matched: list[BudgetConsequence] = []
        for rule in rules:
            if not _due(year, rule.month, as_of):
                continue
            executed = sum((line.executed_through(rule.month) for line in lines), ZERO)
            rate = executed / budget
            if rate < rule.below_rate:
                matched.append(
                    BudgetConsequence(
                        project_code=code,
                        month=rule.month,
                        executed_at_month_end=executed,
                        rate_at_month_end=rate,
                        below_rate=rule.below_rate,
                        next_year_share=rule.next_year_share,
                        this_year_budget=budget,
                    )
                )
        if matched:
            consequences.append(min(matched, key=lambda c: c.next_year_share))
    return consequences


# Indicators


def _met(operator: Operator, target: Decimal, actual: Decimal) -> bool:
    if operator is Operator.ge:
        return actual >= target
    if operator is Operator.gt:
        return actual > target
    if operator is Operator.le:
        return actual <= target
    if operator is Operator.lt:
        return actual < target
    # "=" is scored like a positive indicator; "=0" means "none at all" (vendor rule).
    return actual <= target if target == ZERO else actual >= target


def indicator_ratio(operator: Operator, target: Decimal, actual: Decimal) -> Decimal:
    """Completion of a quantitative target, both values in one base unit.

    Higher is better (≥, >, =): actual ÷ target, uncapped so that over-achievement shows.
    Lower is better (≤, <): 1 while within the cap, else target ÷ actual (S6's A/B); a
    value further below the cap is not "more" achieved, so the ratio is capped at 1.
    A target of zero or below ("=0起", "≤0"): 1 when met, else 0.
    """
    if target <= ZERO:
        return ONE if _met(operator, target, actual) else ZERO
    if operator.lower_is_better:
        return ONE if actual <= target else target / actual
    return actual / target


def is_rate(quantity: Quantity) -> bool:
    """True for a target written in % (满意度 ≥95%, 合格率, 整改率): a rate, not a count."""
    return quantity.unit is not None and quantity.unit.dimension == "ratio"


def projected_ratio(
    operator: Operator,
    target: Decimal,
    completion: Decimal,
    elapsed: Decimal,
    *,
    level: bool = False,
) -> Decimal | None:
    """Year-end completion projected from the completion so far.

    A higher-is-better indicator with a positive target accumulates (数量 counted so far):
    its completion is extrapolated linearly, completion ÷ time progress, unless it is
    already met (then it stays as it is). A rate (``level``), a lower-is-better indicator,
    or one with a zero target is read as a level that must be reached or hold (满意度,
    days, "0 accidents"): the level so far is the projection. None when nothing can be
    extrapolated (no time elapsed).
    """
    if level or operator.lower_is_better or target <= ZERO or completion >= ONE:
        return completion
    if elapsed == ZERO:
        return None
    return completion / elapsed


def suggest_likelihood(
    projected: Decimal | None, elapsed: Decimal, state: QualitativeState | None = None
) -> Likelihood | None:
    """The likelihood suggested when a unit entered none.

    Quantitative: projected year-end completion ≥ 1 → 确定能; below 1 with the year over
    (time progress 1) → 完全不可能; below 1 otherwise → 有可能. Qualitative progress
    written as a completion state: 达成 → 确定能, 部分达成 → 有可能, 未达成 → 有可能
    (完全不可能 once the year is over). Nothing to go on → None (the unit must answer).
    """
    if projected is not None:
        if projected >= ONE:
            return Likelihood.certain
        return Likelihood.impossible if elapsed >= ONE else Likelihood.possible
    if state is QualitativeState.achieved:
        return Likelihood.certain
    if state is QualitativeState.partly_achieved:
        return Likelihood.possible
    if state is QualitativeState.not_achieved:
        return Likelihood.impossible if elapsed >= ONE else Likelihood.possible
    return None


_STATES = frozenset(state.value for state in QualitativeState)


def _indicator_name(item: IndicatorProgress) -> str:
    owner = f"项目“{item.project_code}”" if item.project_code else "部门整体目标"
    return f"{owner}指标“{item.indicator_path}”"


def _indicator_status(
    index: int, item: IndicatorProgress, year: int, as_of: date, basis: TimeBasis
) -> tuple[IndicatorStatus, list[Finding]]:
    findings: list[Finding] = []
    location = f"indicators[{index}]"
    stand = item.progress_as_of or as_of
    _check_in_year(year, stand)
    if stand > as_of:
        raise MonitoringError(
            f"{_indicator_name(item)}的进度日期{stand.isoformat()}晚于监控日期{as_of.isoformat()}"
        )
    elapsed = time_progress(year, stand, basis)
    lower = rate = False
    completion: Decimal | None = None
    projected: Decimal | None = None
    state: QualitativeState | None = None
    try:
        target = parse_target(item.target, location)
        actual = parse_actual(item.progress, location)
        if target is not None and target.quantity is not None and target.operator is not None:
            lower = target.operator.lower_is_better
            rate = is_rate(target.quantity)
            if isinstance(actual, Quantity):
                target_value, actual_value = comparable(target.quantity, actual, location)
                completion = indicator_ratio(target.operator, target_value, actual_value)
                projected = projected_ratio(
                    target.operator, target_value, completion, elapsed, level=rate
                )
            elif actual is not None:
                raise TargetError(location, actual, "定量指标的完成值应为数值和单位")
        elif isinstance(actual, str) and actual.strip() in _STATES:
            state = QualitativeState(actual.strip())
    except TargetError as error:
        findings.append(
            Finding(
                id="indicator-progress-unreadable",
                severity=Severity.error,
                message=f"{_indicator_name(item)}：{error}",
                location=location,
            )
        )
    likelihood, suggested = item.likelihood, False
    if likelihood is None:
        likelihood = suggest_likelihood(projected, elapsed, state)
        suggested = likelihood is not None
    findings.extend(_likelihood_findings(item, likelihood, suggested, location))
    status = IndicatorStatus(
        project_code=item.project_code,
        indicator_path=item.indicator_path,
        target=item.target,
        progress=item.progress,
        progress_as_of=stand,
        time_progress=elapsed,
        lower_is_better=lower,
        progress_ratio=completion,
        projected_ratio=projected,
        likelihood=likelihood,
        likelihood_suggested=suggested,
        reason_category=item.reason_category,
        reason=item.reason,
        rate=rate,
    )
    return status, findings


def _likelihood_findings(
    item: IndicatorProgress, likelihood: Likelihood | None, suggested: bool, location: str
) -> list[Finding]:
    name = _indicator_name(item)
    if likelihood is None:
        return [
            Finding(
                id="likelihood-missing",
                severity=Severity.warning,
                message=f"{name}未填报完成目标可能性，且无法根据进度推算，请填报。",
                location=location,
            )
        ]
    if likelihood is Likelihood.certain:
        return []
    missing = []
    if item.reason_category is None:
        missing.append("偏差原因类别")
    if not item.reason.strip():
        missing.append("偏差原因分析")
    if not missing:
        return []
    answer = likelihood.value
    basis = f"按进度推算为“{answer}”" if suggested else f"完成目标可能性为“{answer}”"
    return [
        Finding(
            id="likelihood-reason-required",
            severity=Severity.warning if suggested else Severity.error,
            message=f"{name}{basis}，须填写{'和'.join(missing)}。",
            location=location,
        )
    ]


# The run


def monitor(
    year: int,
    as_of: date,
    lines: Sequence[LineExecution],
    indicators: Sequence[IndicatorProgress],
    rules: MonitoringRules,
) -> MonitoringResult:
    """Monitor a department-year as of a date under one rule set."""
    elapsed = time_progress(year, as_of, rules.time_basis)
    by_project = _check_lines(lines)
    month = as_of.month
    department = _progress(Scope.department, "", lines, month, elapsed, rules)
    sources = tuple(
        _progress(Scope.source, source.value, part, month, elapsed, rules)
        for source in FundingSource
        if (part := [line for line in lines if line.funding_source is source])
    )
    projects = tuple(
        _progress(Scope.project, code, part, month, elapsed, rules, part[0].recurrent)
        for code, part in by_project.items()
    )
    statuses: list[IndicatorStatus] = []
    findings = _absolute_findings(year, as_of, by_project, rules.absolute_rules)
    for index, item in enumerate(indicators):
        status, found = _indicator_status(index, item, year, as_of, rules.time_basis)
        statuses.append(status)
        findings.extend(found)
    return MonitoringResult(
        fiscal_year=year,
        as_of=as_of,
        rules=rules,
        time_progress=elapsed,
        department=department,
        sources=sources,
        projects=projects,
        indicators=tuple(statuses),
        findings=tuple(findings),
        consequences=tuple(_consequences(year, as_of, by_project, rules.consequence_rules)),
    )


__all__ = [
    "AbsoluteRule",
    "BudgetConsequence",
    "ConsequenceRule",
    "IndicatorProgress",
    "IndicatorStatus",
    "Light",
    "LightThresholds",
    "Likelihood",
    "LineExecution",
    "MonitoringError",
    "MonitoringResult",
    "MonitoringRules",
    "MonthlyExecution",
    "Progress",
    "ReasonCategory",
    "Scope",
    "TimeBasis",
    "indicator_ratio",
    "is_rate",
    "monitor",
    "month_end",
    "progress_ratio",
    "projected_ratio",
    "suggest_likelihood",
    "time_progress",
]
