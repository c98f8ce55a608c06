"""In-year monitoring (双监控) of a stored department-year, and its snapshots.

The ledger is summed by the database: one aggregate query per run groups the year's
payments up to ``as_of`` by budget line and month (``monthly_execution``), and one
groups earlier years' payments by year and month for the spending profile
(``history_profile``). No payment row is loaded into Python.

Decisions (documented here, tested in ``tests/monitoring_service``):

* A budget line with an executed total (执行数, 决算口径) but no payment in the ledger
  cannot be monitored by month: its total is undated. It is left out of the run and a
  warning finding names it (id ``line-without-ledger``), so totals are not silently
  mixed. A line with neither payments nor an executed total is monitored with nothing
  spent (a budget early in the year). A line whose payments all fall after ``as_of``
  has a ledger: it is monitored, with nothing spent to date.
* A project stored with funds but no budget line (aggregated data) is not monitored
  either; a warning names it (``project-without-lines``). A year with no budget line at
  all (published totals only) gives an empty run with one warning (``year-without-lines``).
* 全年预算数 at ``as_of`` is the stored 全年预算数 less the adjustments dated after
  ``as_of`` (for a line whose adjustments are all recorded, the initial budget plus
  those dated on or before it); the stored figure is carried as the current budget.
  Payments dated after ``as_of`` and indicator progress recorded for a later date are
  not read: the run knows what was known on ``as_of``.
* Each project's spending profile is the closest history there is: the project's own
  payments last year (the project of the same code in the previous fiscal year), else
  last year's payments of the projects of its category (项目类别; a recurrent project
  without one is of the recurrent category), else the department's profile: the
  payments of the project lines of its earlier years that have a ledger (基本支出,
  mostly salaries, runs evenly and would flatten the curve), at most the
  ``HISTORY_YEARS`` most recent years. Lacking any, ``DEFAULT_PROFILE``. One GROUP BY
  over the earlier years (by year, project and month) serves all three.
* Indicator progress: every indicator of the year's goals takes its latest progress
  value dated on or before ``as_of`` (ties: the last entered). An indicator without
  one is monitored as not reported, so the form shows the gap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import ExtractMonth

from jixiao.core.consistency import Finding
from jixiao.core.forecast import (
    DEFAULT_PROFILE,
    CumulativeProfile,
    ForecastError,
    ProfileBasis,
    forecast_projects,
    profile_from_history,
    propose_adjustments,
)
from jixiao.core.money import CENT, ZERO, format_wan
from jixiao.core.monitoring import (
    MONTHS,
    IndicatorProgress,
    Likelihood,
    LineExecution,
    MonitoringError,
    MonitoringRules,
    ReasonCategory,
    monitor,
)
from jixiao.core.monitoring_report import (
    MonitoringReport,
    ProjectInfo,
    freeze_report,
    thaw_report,
)
from jixiao.core.snapshots import SnapshotChange, SnapshotError, compare
from jixiao.core.stated_forecast import StatedForecast, beside_computed
from jixiao.core.vocabulary import FundingSource, Nature, ProjectCategory, Severity
from jixiao.errors import UserFacingError
from jixiao.interchange.monitoring_rule_files import (
    read_monitoring_rules,
    shipped_monitoring_rules,
)
from jixiao.services import ledger_sums
from jixiao.services.errors import NotFound
from jixiao.services.reading import find_fiscal_year
from jixiao.services.versioned_cache import cached_sums
from jixiao.storage import models as m

HISTORY_YEARS = 3
"""At most this many earlier years (the most recent with a ledger) make the profile."""


class MonitoringInputError(UserFacingError, ValueError):
    """A monitoring request that cannot be run (a date outside the year, bad progress)."""


class PaymentMonth(ExtractMonth):
    """The month of a payment date, with SQLite's own ``strftime`` rather than Django's
    Python function (``django_date_extract``), which is called once per row and makes
    a million-row aggregation several times slower than the same SQL written by hand.
    PostgreSQL uses ``EXTRACT(MONTH FROM …)`` as usual."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%m', {sql}) AS INTEGER)", params


# Ledger


@dataclass(frozen=True)
class LedgerExecution:
    """The lines monitored at month grain, and findings about those that cannot be."""

    lines: tuple[LineExecution, ...]
    findings: tuple[Finding, ...]
    initial_budgets: dict[str, Decimal]
    """年初预算数 per project code, 元 (of the monitored lines)."""
    project_names: dict[str, str]
    categories: dict[str, ProjectCategory | None]
    """项目类别 per project code; None where not known."""


def _cents(total: Decimal | None) -> Decimal:
    """A database sum of amounts stored with two decimals, exact to the cent.

    PostgreSQL sums ``numeric`` exactly; SQLite sums in binary floating point, so a sum
    of many payments can carry noise far below a cent (…99999997). Every payment has
    whole cents, so the exact sum does too: quantizing recovers it (not a presentation
    rounding).
    """
    return ZERO if total is None else total.quantize(CENT)


def _monthly_sums(fiscal_year: m.FiscalYear, as_of: date) -> dict[int, list[Decimal]]:
    """Executed per line id and month up to ``as_of``: the whole months from the sums the
    triggers keep (``ledger_sums``), the month of ``as_of`` up to that day from its
    payments unless the day ends the month (kept while the ledger is unchanged:
    ``versioned_cache``)."""

    def compute() -> dict[int, list[Decimal]]:
        return _monthly_sums_of([fiscal_year.pk], fiscal_year.year, as_of)

    return cached_sums("line-months", fiscal_year.pk, compute, fiscal_year.year, as_of.isoformat())


def _monthly_sums_of(
    fiscal_year_ids: Sequence[int], year: int, as_of: date
) -> dict[int, list[Decimal]]:
    """``_monthly_sums`` of fiscal years of ``year``, in two queries for them all (line
    ids are unique across years)."""
    month_start = as_of.replace(day=1)
    whole_months_to = as_of if _ends_month(as_of) else month_start - timedelta(days=1)
    sums: dict[int, list[Decimal]] = {}
    if whole_months_to.year == year:
        first = date(year, 1, 1)
        for row in ledger_sums.line_months(fiscal_year_ids, first, whole_months_to):
            months = sums.setdefault(row.budget_line_id, [ZERO] * MONTHS)
            months[row.month - 1] = row.amount
    if not _ends_month(as_of):
        partial = ledger_sums.payments_between(fiscal_year_ids, month_start, as_of)
        for line_id, total in partial.items():
            sums.setdefault(line_id, [ZERO] * MONTHS)[as_of.month - 1] = total
    return sums


def _ends_month(day: date) -> bool:
    return (day + timedelta(days=1)).month != day.month


def _later_adjustments(fiscal_year_ids: Sequence[int], as_of: date) -> dict[int, Decimal]:
    """The adjustments dated after ``as_of``, summed per line id by the database."""
    rows = (
        m.BudgetAdjustment.objects.filter(
            budget_line__fiscal_year_id__in=fiscal_year_ids, date__gt=as_of
        )
        .values("budget_line_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["budget_line_id"]: _cents(row["total"]) for row in rows}


def category(code: str | None, recurrent: bool) -> ProjectCategory | None:
    """A stored project's category: as recorded, else recurrent for a recurrent project."""
    if code:
        return ProjectCategory(code)
    return ProjectCategory.recurrent if recurrent else None


def _lines_with_any_payment(line_ids: Sequence[int]) -> set[int]:
    if not line_ids:
        return set()
    return set(
        m.Payment.objects.filter(budget_line_id__in=line_ids)
        .values_list("budget_line_id", flat=True)
        .distinct()
        .order_by()
    )


def ledger_execution(fiscal_year: m.FiscalYear, as_of: date) -> LedgerExecution:
    """The year's budget lines as they stood on ``as_of``, with their monthly executed
    amounts up to it."""
    sums = _monthly_sums(fiscal_year, as_of)
    return _ledger_executions([fiscal_year], as_of, sums)[fiscal_year.pk]


def _ledger_executions(
    fiscal_years: Sequence[m.FiscalYear], as_of: date, sums: dict[int, list[Decimal]]
) -> dict[int, LedgerExecution]:
    """``ledger_execution`` of each fiscal year from ``sums`` (per line id), with one
    query per kind of record for them all."""
    ids = [fy.pk for fy in fiscal_years]
    later = _later_adjustments(ids, as_of)
    by_year: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in (
        m.BudgetLine.objects.filter(fiscal_year_id__in=ids).order_by("id").values(
            "id", "fiscal_year_id", "code", "name", "funding_source", "nature", "initial_budget",
            "final_budget", "executed", "project__code", "project__name", "project__recurrent",
            "project__category",
        )
    ):  # fmt: skip
        by_year[row["fiscal_year_id"]].append(row)
    undated = {
        row["id"]
        for rows in by_year.values()
        for row in rows
        if row["id"] not in sums and row["executed"] is not None
    }
    ledgered = _lines_with_any_payment(sorted(undated))
    without_lines = _projects_without_lines(ids)
    return {
        fy.pk: _ledger_execution(
            fy, by_year[fy.pk], sums, later, undated - ledgered, without_lines.get(fy.pk, [])
        )
        for fy in fiscal_years
    }


def _ledger_execution(
    fiscal_year: m.FiscalYear,
    rows: list[dict[str, Any]],
    sums: dict[int, list[Decimal]],
    later: dict[int, Decimal],
    unledgered: set[int],
    without_lines: list[Finding],
) -> LedgerExecution:
    lines: list[LineExecution] = []
    findings: list[Finding] = []
    initial: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    categories: dict[str, ProjectCategory | None] = {}
    for row in rows:
        if row["id"] in unledgered:
            findings.append(_undated_line(row))
            continue
        project = row["project__code"]
        adjusted_later = later.get(row["id"], ZERO)
        lines.append(
            LineExecution(
                code=row["code"],
                funding_source=FundingSource(row["funding_source"]),
                nature=Nature(row["nature"]),
                final_budget=row["final_budget"] - adjusted_later,
                monthly=tuple(sums.get(row["id"], [ZERO] * MONTHS)),
                project_code=project,
                recurrent=bool(row["project__recurrent"]) if project else False,
                current_budget=row["final_budget"] if adjusted_later else None,
            )
        )
        if project is not None:
            initial[project] = initial.get(project, ZERO) + row["initial_budget"]
            names[project] = row["project__name"]
            categories[project] = category(row["project__category"], row["project__recurrent"])
    if not rows:
        findings.append(Finding(
            id="year-without-lines",
            severity=Severity.warning,
            message=(
                f"{fiscal_year.year}年度没有预算行和支出明细（只有公布的合计数），无法按月监控；"
                "请在数据文件中补充 budget.lines 和 budget.payments。"
            ),
            location="budget.lines",
        ))  # fmt: skip
    findings.extend(without_lines)
    return LedgerExecution(tuple(lines), tuple(findings), initial, names, categories)


def monthly_execution(fiscal_year: m.FiscalYear, as_of: date) -> list[LineExecution]:
    """Executed per budget line per month up to ``as_of``, summed by the database.

    Lines that only have an executed total (决算口径) and no ledger are left out; see
    the module docstring and ``ledger_execution`` for the finding that names them.
    """
    return list(ledger_execution(fiscal_year, as_of).lines)


def _undated_line(row: dict[str, Any]) -> Finding:
    return Finding(
        id="line-without-ledger",
        severity=Severity.warning,
        message=(
            f"预算行“{row['code']}”（{row['name']}）只有全年执行数{format_wan(row['executed'])}"
            "万元（决算口径），没有支出明细，无法按月监控，未计入本次监控。"
        ),
        figures={"全年预算数": row["final_budget"], "执行数": row["executed"]},
        location=f"budget.lines[{row['code']}]",
    )


def _projects_without_lines(fiscal_year_ids: Sequence[int]) -> dict[int, list[Finding]]:
    projects = m.Project.objects.filter(
        fiscal_year_id__in=fiscal_year_ids, budget_lines__isnull=True
    ).order_by("id")
    found: dict[int, list[Finding]] = {}
    for p in projects:
        found.setdefault(p.fiscal_year_id, []).append(_project_without_lines(p))
    return found


def _project_without_lines(p: m.Project) -> Finding:
    return Finding(
        id="project-without-lines",
        severity=Severity.warning,
        message=f"项目“{p.code}”（{p.name}）没有预算行和支出明细，无法按月监控，未计入本次监控。",
        location=f"budget.projects[{p.code}]",
    )


# Profile


@dataclass(frozen=True)
class EarlierLedgers:
    """The department's earlier years' project spending per month, from one GROUP BY:
    per year (the department's curve), and last year's per project and per category."""

    by_year: dict[int, list[Decimal]]
    last_year: int
    by_project: dict[str, list[Decimal]]
    """Last year's spending per project code."""
    by_category: dict[ProjectCategory, list[Decimal]]
    """Last year's spending per project category."""


def _months() -> list[Decimal]:
    return [ZERO] * MONTHS


def earlier_ledgers(fiscal_year: m.FiscalYear) -> EarlierLedgers:
    """Project spending per month of the department's earlier years, from the monthly
    sums the triggers keep (``ledger_sums``)."""
    return _earlier_ledgers_of([fiscal_year])[fiscal_year.pk]


def _earlier_ledgers_of(fiscal_years: Sequence[m.FiscalYear]) -> dict[int, EarlierLedgers]:
    """``earlier_ledgers`` of each fiscal year, in two queries for them all."""
    if not fiscal_years:
        return {}
    rows = m.BudgetLine.objects.filter(
        fiscal_year__department_id__in={fy.department_id for fy in fiscal_years},
        fiscal_year__year__lt=max(fy.year for fy in fiscal_years),
        nature=Nature.project.value,
    ).values(
        "id", "fiscal_year_id", "fiscal_year__year", "fiscal_year__department_id",
        "project__code", "project__category", "project__recurrent",
    )  # fmt: skip
    lines = {row["id"]: row for row in rows}
    sums = ledger_sums.line_months({row["fiscal_year_id"] for row in lines.values()})
    return {fy.pk: _earlier_ledgers(fy, lines, sums) for fy in fiscal_years}


def _earlier_ledgers(
    fiscal_year: m.FiscalYear,
    all_lines: dict[int, dict[str, Any]],
    all_sums: list[ledger_sums.LineMonth],
) -> EarlierLedgers:
    lines = {
        pk: row
        for pk, row in all_lines.items()
        if row["fiscal_year__department_id"] == fiscal_year.department_id
        and row["fiscal_year__year"] < fiscal_year.year
    }
    last_year = fiscal_year.year - 1
    by_year: dict[int, list[Decimal]] = defaultdict(_months)
    by_project: dict[str, list[Decimal]] = defaultdict(_months)
    by_category: dict[ProjectCategory, list[Decimal]] = defaultdict(_months)
    for sums in all_sums:
        line = lines.get(sums.budget_line_id)
        if line is None:  # a basic line
            continue
        month, total = sums.month - 1, sums.amount
        by_year[line["fiscal_year__year"]][month] += total
        code = line["project__code"]
        if line["fiscal_year__year"] != last_year or code is None:
            continue
        by_project[code][month] += total
        kind = category(line["project__category"], line["project__recurrent"])
        if kind is not None:
            by_category[kind][month] += total
    return EarlierLedgers(dict(by_year), last_year, dict(by_project), dict(by_category))


def history_monthly_totals(fiscal_year: m.FiscalYear) -> dict[int, list[Decimal]]:
    """Project spending per month of the department's earlier years, by the database."""
    return earlier_ledgers(fiscal_year).by_year


def history_profile(
    fiscal_year: m.FiscalYear, ledgers: EarlierLedgers | None = None
) -> CumulativeProfile:
    """The department's own spending profile from earlier ledgers, else the default."""
    by_year = (ledgers or earlier_ledgers(fiscal_year)).by_year
    history = {year: months for year, months in by_year.items() if sum(months, ZERO) > ZERO}
    recent = sorted(history)[-HISTORY_YEARS:]
    if not recent:
        return DEFAULT_PROFILE
    try:
        return profile_from_history({year: history[year] for year in recent}, subject="本部门")
    except ForecastError:
        return DEFAULT_PROFILE


def _profile_of(
    months: Sequence[Decimal] | None, year: int, basis: ProfileBasis, subject: str
) -> CumulativeProfile | None:
    if months is None or sum(months, ZERO) <= ZERO:
        return None
    try:
        return profile_from_history({year: months}, basis=basis, subject=subject)
    except ForecastError:
        return None


def project_profiles(
    fiscal_year: m.FiscalYear,
    categories: dict[str, ProjectCategory | None],
    ledgers: EarlierLedgers | None = None,
) -> dict[str, CumulativeProfile]:
    """Each project's own profile from last year, else its category's; a project with
    neither is left out (it takes the department's profile)."""
    ledger = ledgers or earlier_ledgers(fiscal_year)
    year = ledger.last_year
    by_category = {
        kind: profile
        for kind, months in ledger.by_category.items()
        if (profile := _profile_of(months, year, ProfileBasis.category, kind.label))
    }
    profiles: dict[str, CumulativeProfile] = {}
    for code, kind in categories.items():
        own = _profile_of(ledger.by_project.get(code), year, ProfileBasis.own, "本项目")
        chosen = own or (by_category.get(kind) if kind is not None else None)
        if chosen is not None:
            profiles[code] = chosen
    return profiles


# Indicators


def indicator_progress(fiscal_year: m.FiscalYear, as_of: date) -> list[IndicatorProgress]:
    """Every indicator of the year's goals with its latest progress dated ≤ ``as_of``."""
    found = _indicator_progress_of([fiscal_year.pk], as_of).get(fiscal_year.pk, [])
    if isinstance(found, MonitoringInputError):
        raise found
    return found


def _indicator_progress_of(
    fiscal_year_ids: Sequence[int], as_of: date
) -> dict[int, list[IndicatorProgress] | MonitoringInputError]:
    """``indicator_progress`` of each fiscal year (or the error that refuses its
    progress), in two queries for them all."""
    latest = (
        m.IndicatorProgress.objects.filter(indicator=OuterRef("pk"), date__lte=as_of)
        .order_by("-date", "-id")
        .values("id")[:1]
    )
    indicators = list(
        m.Indicator.objects.filter(goal__fiscal_year_id__in=fiscal_year_ids)
        .select_related("goal__project")
        .annotate(progress_id=Subquery(latest))
        .order_by("goal__position", "goal__id", "position", "id")
    )
    wanted = [i.progress_id for i in indicators if i.progress_id is not None]  # type: ignore[attr-defined]
    progress = m.IndicatorProgress.objects.in_bulk(wanted)
    found: dict[int, list[IndicatorProgress] | MonitoringInputError] = {}
    for indicator in indicators:
        row = progress.get(indicator.progress_id)  # type: ignore[attr-defined]
        project = indicator.goal.project
        items = found.setdefault(indicator.goal.fiscal_year_id, [])
        if isinstance(items, MonitoringInputError):
            continue
        try:
            items.append(
                IndicatorProgress(
                    project_code=project.code if project else None,
                    indicator_path=f"{indicator.level1}/{indicator.level2}/{indicator.level3}",
                    target=indicator.target,
                    progress=row.value if row else None,
                    progress_as_of=row.date if row else None,
                    likelihood=Likelihood(row.likelihood) if row and row.likelihood else None,
                    reason_category=ReasonCategory(row.reason_category)
                    if row and row.reason_category
                    else None,
                    reason=row.reason if row else "",
                )
            )
        except ValueError as error:
            found[indicator.goal.fiscal_year_id] = MonitoringInputError(
                f"指标“{indicator.level3}”的进度记录无法识别：{error}"
            )
    return found


def stated_forecasts(fiscal_year: m.FiscalYear, as_of: date) -> dict[str, StatedForecast]:
    """Each project's latest 全年预计执行数 stated by its unit on or before ``as_of``."""
    return _stated_forecasts_of([fiscal_year.pk], as_of).get(fiscal_year.pk, {})


def _stated_forecasts_of(
    fiscal_year_ids: Sequence[int], as_of: date
) -> dict[int, dict[str, StatedForecast]]:
    found: dict[int, dict[str, StatedForecast]] = {}
    rows = (
        m.StatedForecast.objects.filter(
            goal__fiscal_year_id__in=fiscal_year_ids, goal__project__isnull=False,
            date__lte=as_of,
        )
        .order_by("date", "id")
        .values_list("goal__fiscal_year_id", "goal__project__code", "date", "amount")
    )  # fmt: skip
    for fiscal_year_id, code, day, amount in rows:
        found.setdefault(fiscal_year_id, {})[code] = StatedForecast(code, day, amount)
    return found


# The run


def _rules(fiscal_year: m.FiscalYear, rules_file: Path | None) -> MonitoringRules:
    if rules_file is not None:
        return read_monitoring_rules(rules_file)
    return shipped_monitoring_rules(fiscal_year.monitoring_rules)


def check_as_of(year: int, as_of: date) -> None:
    """Refuse a monitoring date outside the fiscal year, naming the date."""
    if as_of.year != year:
        raise MonitoringInputError(
            f"监控日期{as_of.isoformat()}不在{year}年度内"
            f"（应在{year}-01-01至{year}-12-31之间），未生成任何结果。"
        )


def monitor_stored_year(
    department_code: str,
    year: int,
    as_of: date,
    rules_file: Path | None = None,
    snapshot: bool = False,
) -> MonitoringReport:
    """Monitor a stored year as of a date; with ``snapshot``, also store the result."""
    check_as_of(year, as_of)
    fiscal_year = find_fiscal_year(department_code, year)
    rules = _rules(fiscal_year, rules_file)
    ledger = ledger_execution(fiscal_year, as_of)
    inputs = StoredInputs(
        ledger,
        indicator_progress(fiscal_year, as_of),
        earlier_ledgers(fiscal_year),
        stated_forecasts(fiscal_year, as_of),
    )
    report = _report(fiscal_year, as_of, rules, inputs)
    if snapshot:
        report = replace(report, snapshot_id=take_snapshot(report).id)
    return report


@dataclass(frozen=True)
class StoredInputs:
    """What a monitoring run reads of a stored year."""

    ledger: LedgerExecution
    indicators: list[IndicatorProgress] | MonitoringInputError
    earlier: EarlierLedgers
    stated: dict[str, StatedForecast]


def monitor_stored_years(
    fiscal_years: Sequence[m.FiscalYear], as_of: date
) -> dict[int, MonitoringReport | UserFacingError]:
    """``monitor_stored_year`` of each fiscal year (their departments selected with them)
    under the rules it names, with a fixed number of queries for them all: the same
    reports. A year that cannot be monitored gets its error."""
    years = [fy for fy in fiscal_years if fy.year == as_of.year]
    ids = [fy.pk for fy in years]
    sums = _monthly_sums_of(ids, as_of.year, as_of)
    ledgers = _ledger_executions(years, as_of, sums)
    indicators = _indicator_progress_of(ids, as_of)
    earlier = _earlier_ledgers_of(years)
    stated = _stated_forecasts_of(ids, as_of)
    reports: dict[int, MonitoringReport | UserFacingError] = {}
    for fy in fiscal_years:
        try:
            check_as_of(fy.year, as_of)
            inputs = StoredInputs(
                ledgers[fy.pk], indicators.get(fy.pk, []), earlier[fy.pk], stated.get(fy.pk, {})
            )
            reports[fy.pk] = _report(fy, as_of, _rules(fy, None), inputs)
        except UserFacingError as error:
            reports[fy.pk] = error
    return reports


def _report(
    fiscal_year: m.FiscalYear, as_of: date, rules: MonitoringRules, inputs: StoredInputs
) -> MonitoringReport:
    if isinstance(inputs.indicators, MonitoringInputError):
        raise inputs.indicators
    ledger, indicators, earlier = inputs.ledger, inputs.indicators, inputs.earlier
    year = fiscal_year.year
    profile = history_profile(fiscal_year, earlier)
    profiles = project_profiles(fiscal_year, ledger.categories, earlier)
    try:
        result = monitor(year, as_of, ledger.lines, indicators, rules)
        result = replace(result, findings=(*ledger.findings, *result.findings))
        forecasts = forecast_projects(result, profile, profiles)
    except (MonitoringError, ForecastError) as error:
        raise MonitoringInputError(str(error)) from None
    forecasts, stated = beside_computed(forecasts, inputs.stated)
    result = replace(result, findings=(*result.findings, *stated))
    plan = propose_adjustments(forecasts, rules.forecast_threshold, result.indicators)
    report = MonitoringReport(
        department_code=fiscal_year.department.code,
        department_name=fiscal_year.department.name,
        result=result,
        forecasts=forecasts,
        plan=plan,
        profile=profile,
        lines=ledger.lines,
        rounding_note=fiscal_year.rounding_note,
        projects=tuple(
            ProjectInfo(
                p.code,
                ledger.project_names.get(p.code, p.code),
                ledger.initial_budgets.get(p.code, ZERO),
            )
            for p in result.projects
        ),
    )
    return report


# Snapshots


@dataclass(frozen=True)
class SnapshotSummary:
    """One stored snapshot, as a list shows it."""

    id: int
    as_of: date
    taken_at: datetime
    rules: str


def take_snapshot(report: MonitoringReport) -> m.MonitoringSnapshot:
    """Store the report, frozen; the stored row can never be changed (FrozenError)."""
    fiscal_year = find_fiscal_year(report.department_code, report.fiscal_year)
    return m.MonitoringSnapshot.objects.create(
        fiscal_year=fiscal_year,
        as_of=report.as_of,
        rules=report.result.rules.name,
        result=freeze_report(report),
    )


def _snapshot(snapshot_id: int) -> m.MonitoringSnapshot:
    try:
        return m.MonitoringSnapshot.objects.get(pk=snapshot_id)
    except m.MonitoringSnapshot.DoesNotExist:
        raise NotFound(f"未找到编号为{snapshot_id}的监控快照") from None


def snapshot_report(snapshot_id: int) -> MonitoringReport:
    """The report as it was frozen in a snapshot."""
    snapshot = _snapshot(snapshot_id)
    try:
        return thaw_report(snapshot.result, snapshot_id=snapshot.id)
    except SnapshotError as error:
        raise MonitoringInputError(f"监控快照{snapshot_id}无法读取：{error}") from None


def list_snapshots(department_code: str, year: int) -> list[SnapshotSummary]:
    return snapshots_of(find_fiscal_year(department_code, year))


def snapshots_of(fiscal_year: m.FiscalYear) -> list[SnapshotSummary]:
    """The snapshots of a fiscal year already read, by date."""
    return [
        SnapshotSummary(row["id"], row["as_of"], row["taken_at"], row["rules"])
        for row in fiscal_year.snapshots.order_by("as_of", "id").values(
            "id", "as_of", "taken_at", "rules"
        )
    ]


def compare_snapshots(id_a: int, id_b: int) -> list[SnapshotChange]:
    """The projects whose executed amount, rate or light differ from snapshot a to b."""
    return compare(snapshot_report(id_a).result, snapshot_report(id_b).result)


# Outputs


@dataclass(frozen=True)
class WrittenMonitoring:
    """The files one monitoring run was written to."""

    xlsx: Path
    docx: Path
    review: Path
    """The 审核意见 (.docx): findings for the preparer, not sent with the report."""


def write_monitoring(report: MonitoringReport, out_dir: Path) -> WrittenMonitoring:
    """Write DIR/YYYY-CODE-monitoring-YYYYMMDD.xlsx, .docx and -review.docx from one report."""
    from jixiao.documents.monitoring_report import render_monitoring_docx
    from jixiao.documents.monitoring_tables import write_monitoring_workbook
    from jixiao.documents.monitoring_text import report_title, review_findings
    from jixiao.documents.review_notes import render_review_notes_docx

    stem = f"{report.fiscal_year}-{report.department_code}-monitoring-{report.as_of:%Y%m%d}"
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx = write_monitoring_workbook(report, out_dir / f"{stem}.xlsx")
    docx = render_monitoring_docx(report, out_dir / f"{stem}.docx")
    rules = report.result.rules
    review = render_review_notes_docx(
        report_title(report),
        review_findings(report),
        out_dir / f"{stem}-review.docx",
        department=report.department_name,
        prepared_on=report.as_of,
        rule_sets=(rules.name,),
    )
    return WrittenMonitoring(xlsx, docx, review)


__all__ = [
    "HISTORY_YEARS",
    "EarlierLedgers",
    "LedgerExecution",
    "MonitoringInputError",
    "MonitoringReport",
    "PaymentMonth",
    "SnapshotSummary",
    "WrittenMonitoring",
    "category",
    "check_as_of",
    "compare_snapshots",
    "earlier_ledgers",
    "history_monthly_totals",
    "history_profile",
    "indicator_progress",
    "ledger_execution",
    "list_snapshots",
    "monitor_stored_year",
    "monitor_stored_years",
    "monthly_execution",
    "project_profiles",
    "snapshot_report",
    "take_snapshot",
    "write_monitoring",
]
