"""What the 首页 and the 财政局 view show about a department-year, gathered from the services.

Nothing here computes a figure of its own: budget figures come from
``jixiao.core.budget``, lights and forecasts from the monitoring service, grades from
the evaluation service, findings from ``jixiao.core.consistency``. This module only
collects them, for one explicit ``as_of`` date, into one record the templates read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from jixiao.core.budget import BudgetFigures, budget_figures, execution_rate, funds_of
from jixiao.core.consistency import Finding, run_checks
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.money import ZERO
from jixiao.core.monitoring import Light, Progress
from jixiao.core.monitoring import time_progress as core_time_progress
from jixiao.core.vocabulary import FundingSource
from jixiao.core.year import DepartmentYear
from jixiao.errors import UserFacingError
from jixiao.services.evaluating import evaluate_stored_year, evaluate_stored_years
from jixiao.services.reading import department_year, department_years, read_years

if TYPE_CHECKING:
    from jixiao.core.monitoring_report import MonitoringReport

MonitorFunction = Callable[[str, int, date], "MonitoringReport"]


def _monitoring_service() -> MonitorFunction | None:
    """``jixiao.services.monitoring.monitor_stored_year`` when that service is installed."""
    try:
        from jixiao.services.monitoring import monitor_stored_year
    except ImportError:  # pragma: no cover - the service ships with jixiao now
        return None
    return monitor_stored_year


def default_as_of(year: int, today: date) -> date:
    """The date a year's pages are shown at: today for the current year, the year end
    for past years, 1 January for a year that has not started."""
    if year < today.year:
        return date(year, 12, 31)
    if year == today.year:
        return today
    return date(year, 1, 1)


@dataclass(frozen=True)
class SourceRow:
    """One funding source: its budget, executed amount (figure of record) and rate."""

    source: FundingSource
    final_budget: Decimal | None
    executed: Decimal
    execution_rate: Decimal | None


@dataclass(frozen=True)
class ProjectRow:
    """A project on the 首页: its monitored progress, light and evaluated grade."""

    code: str
    name: str
    progress: Progress
    projected_rate: Decimal | None
    total: Decimal | None
    grade: str | None


@dataclass(frozen=True)
class ForecastSummary:
    projected: Decimal
    """Projected year-end executed of the monitored projects, 元."""
    final_budget: Decimal
    projected_rate: Decimal | None
    lagging: int
    """Projects projected below the rule set's threshold."""
    proposals: int


@dataclass(frozen=True)
class GradeSummary:
    total: Decimal | None
    grade: str | None
    missing: int
    framework: str


@dataclass(frozen=True)
class YearSummary:
    """Everything the 首页 shows, for one department-year at one date."""

    department_code: str
    department_name: str
    fiscal_year: int
    as_of: date
    figures: BudgetFigures
    time_progress: Decimal
    sources: tuple[SourceRow, ...]
    findings: tuple[Finding, ...]
    monitoring: MonitoringReport | None
    monitoring_note: str
    projects: tuple[ProjectRow, ...]
    forecast: ForecastSummary | None
    grade: GradeSummary | None
    evaluation_note: str
    light_counts: dict[str, int] = field(default_factory=dict)
    requested: Decimal | None = None
    """A year in 申报 (no budget lines, no published budget): the projects' requested 年初预算数
    in 元, shown instead of a 全年预算数 of 0; None once the year has a budget."""

    @property
    def department_progress(self) -> Progress | None:
        return self.monitoring.result.department if self.monitoring else None

    @property
    def year_ended(self) -> bool:
        return self.as_of == date(self.fiscal_year, 12, 31)


def _source_rows(year: DepartmentYear, figures: BudgetFigures) -> tuple[SourceRow, ...]:
    by_source_budget: dict[FundingSource, Decimal] = dict(year.totals.budget_by_source)
    if not by_source_budget and year.lines:
        funds = funds_of(year.lines)
        by_label = {row.label: row.final_budget for row in funds.rows}
        by_source_budget = {s: by_label[s.label] for s in FundingSource if s.label in by_label}
    rows = []
    for source in FundingSource:
        executed = figures.executed_by_source.get(source)
        budget = by_source_budget.get(source)
        if executed is None and budget is None:
            continue
        executed = executed if executed is not None else ZERO
        rate = execution_rate(executed, budget) if budget is not None else None
        rows.append(SourceRow(source, budget, executed, rate))
    return tuple(rows)


def _monitor(department: str, year: int, as_of: date) -> tuple[MonitoringReport | None, str]:
    monitor = _monitoring_service()
    if monitor is None:
        return None, _("运行监控服务尚未安装，预警灯和预测暂不显示。")
    try:
        return monitor(department, year, as_of), ""
    except UserFacingError as error:
        return None, str(error)


def _evaluate(records: DepartmentYear) -> tuple[YearEvaluation | None, str]:
    try:
        return evaluate_stored_year(records.department_code, records.fiscal_year, None, records), ""
    except UserFacingError as error:
        return None, str(error)


def _grade(evaluation: YearEvaluation | None) -> GradeSummary | None:
    if evaluation is None or evaluation.department is None:
        return None
    dept = evaluation.department
    return GradeSummary(dept.total, dept.grade, len(dept.missing), dept.framework.name)


def _forecast(report: MonitoringReport, codes: Collection[str] | None) -> ForecastSummary | None:
    forecasts = [f for f in report.forecasts if codes is None or f.project_code in codes]
    if not forecasts:
        return None
    projected = sum((f.projected for f in forecasts), ZERO)
    budget = sum((f.final_budget for f in forecasts), ZERO)
    lagging = [code for code in report.plan.lagging if codes is None or code in codes]
    proposals = [p for p in report.plan.proposals if codes is None or p.project_code in codes]
    return ForecastSummary(
        projected, budget, execution_rate(projected, budget), len(lagging), len(proposals)
    )


def _project_rows(
    report: MonitoringReport | None,
    evaluation: YearEvaluation | None,
    codes: Collection[str] | None,
) -> tuple[ProjectRow, ...]:
    if report is None:
        return ()
    evaluated = {p.project_code: p.evaluation for p in evaluation.projects} if evaluation else {}
    forecasts = {f.project_code: f for f in report.forecasts}
    rows = []
    for progress in report.result.projects:
        if codes is not None and progress.code not in codes:
            continue
        scored = evaluated.get(progress.code)
        forecast = forecasts.get(progress.code)
        rows.append(
            ProjectRow(
                code=progress.code,
                name=report.project_name(progress.code),
                progress=progress,
                projected_rate=forecast.projected_rate if forecast else None,
                total=scored.total if scored else None,
                grade=scored.grade if scored else None,
            )
        )
    return tuple(rows)


def light_counts(projects: Collection[ProjectRow]) -> dict[str, int]:
    counts = {light.value: 0 for light in (Light.red, Light.yellow, Light.green)}
    counts["none"] = 0
    for row in projects:
        counts[row.progress.light.value if row.progress.light else "none"] += 1
    return counts


def summarise_year(
    department: str,
    year: int,
    as_of: date,
    project_codes: Collection[str] | None = None,
) -> YearSummary:
    """The 首页 of a department-year at ``as_of``.

    ``project_codes`` narrows the project lists (lights, grades, forecast) to the
    projects a user may see; None shows every project.
    """
    records = department_year(department, year)
    report, monitoring_note = _monitor(department, year, as_of)
    evaluation, evaluation_note = _evaluate(records)
    return _summary(
        records, as_of, (report, monitoring_note), (evaluation, evaluation_note), project_codes
    )


def summarise_years(fiscal_year_ids: Iterable[int], as_of: date) -> dict[int, YearSummary]:
    """``summarise_year`` (every project shown) of many department-years of ``as_of``'s
    year, by fiscal year id: their records, monitoring and evaluation read together, a
    fixed number of queries however many departments (the 财政局 pages, nothing kept)."""
    read = read_years(fiscal_year_ids)
    records = department_years(read)
    monitor = _monitoring_service()
    reports = _monitor_many(read.years, as_of) if monitor is not None else {}
    evaluations = evaluate_stored_years(read, records)
    summaries = {}
    for fy in read.years:
        report = reports.get(fy.pk)
        monitored: tuple[MonitoringReport | None, str] = (
            (None, _("运行监控服务尚未安装，预警灯和预测暂不显示。"))
            if monitor is None
            else (None, str(report))
            if isinstance(report, UserFacingError)
            else (report, "")
        )
        evaluation = evaluations[fy.pk]
        evaluated: tuple[YearEvaluation | None, str] = (
            (None, str(evaluation)) if isinstance(evaluation, UserFacingError) else (evaluation, "")
        )
        summaries[fy.pk] = _summary(records[fy.pk], as_of, monitored, evaluated, None)
    return summaries


def _monitor_many(
    fiscal_years: list[Any], as_of: date
) -> dict[int, MonitoringReport | UserFacingError]:
    from jixiao.services.monitoring import monitor_stored_years  # as ``_monitoring_service``

    return monitor_stored_years(fiscal_years, as_of)


def _summary(
    records: DepartmentYear,
    as_of: date,
    monitored: tuple[MonitoringReport | None, str],
    evaluated: tuple[YearEvaluation | None, str],
    project_codes: Collection[str] | None,
) -> YearSummary:
    (report, monitoring_note), (evaluation, evaluation_note) = monitored, evaluated
    year = records.fiscal_year
    figures = budget_figures(records)
    projects = _project_rows(report, evaluation, project_codes)
    elapsed = report.result.time_progress if report else core_time_progress(year, as_of)
    return YearSummary(
        department_code=records.department_code,
        department_name=records.department_name,
        fiscal_year=year,
        as_of=as_of,
        figures=figures,
        time_progress=elapsed,
        sources=_source_rows(records, figures),
        findings=tuple(run_checks(records)),
        monitoring=report,
        monitoring_note=monitoring_note,
        projects=projects,
        forecast=_forecast(report, project_codes) if report else None,
        grade=_grade(evaluation),
        evaluation_note=evaluation_note,
        light_counts=light_counts(projects),
        requested=_requested(records, project_codes),
    )


def _requested(year: DepartmentYear, project_codes: Collection[str] | None) -> Decimal | None:
    if year.lines or year.totals.final_budget is not None:
        return None
    amounts = [
        p.initial_budget
        for p in year.projects
        if p.initial_budget is not None and (project_codes is None or p.code in project_codes)
    ]
    return sum(amounts, ZERO) if amounts else None
