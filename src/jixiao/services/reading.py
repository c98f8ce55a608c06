"""Reading a stored department-year: as core records, or back as a dataset."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from pydantic import BaseModel, ValidationError

from jixiao.core import goals as core_goals
from jixiao.core import year as core
from jixiao.core import year_over_year as two_years
from jixiao.core.amounts import from_yuan, optional_from_yuan, optional_tidy, tidy
from jixiao.core.money import ZERO
from jixiao.core.monitoring import Likelihood, ReasonCategory
from jixiao.core.vocabulary import AmountUnit, BasicKind, FundingSource, Nature, ProjectCategory
from jixiao.interchange import dataset as ds
from jixiao.interchange.goal_records import core_goal
from jixiao.services import ledger_sums
from jixiao.services.errors import NotFound
from jixiao.services.versioned_cache import cached_sums
from jixiao.storage import models as m

Entry = TypeVar("Entry", bound=BaseModel)


def _read_back(model: type[Entry], **fields: Any) -> Entry:
    """A stored record as a dataset entry. One that breaks the dataset's rules (a negative
    budget written straight into the database, or by an older version) is taken as stored
    rather than refused: reading the year must not fail, the year's checks name the row
    (``consistency.check_amounts_within_bounds``), and loading such an export refuses it
    at its place."""
    try:
        return model(**fields)
    except ValidationError:
        return model.model_construct(**fields)


def department_named(name: str) -> str | None:
    """The code of the one stored department with exactly this name (None: none or several)."""
    matches = list(m.Department.objects.filter(name=name).values_list("code", flat=True))
    return matches[0] if len(matches) == 1 else None


def find_fiscal_year(department_code: str, year: int) -> m.FiscalYear:
    try:
        return m.FiscalYear.objects.select_related("department").get(
            department__code=department_code, year=year
        )
    except m.FiscalYear.DoesNotExist:
        raise NotFound(
            f"未找到部门“{department_code}”的{year}年度数据，请先用 jixiao load 导入"
        ) from None


def ledger_totals(fiscal_year: m.FiscalYear) -> dict[int, Decimal]:
    """Executed per budget line from the ledger: its monthly sums as the triggers keep
    them (``ledger_sums``), added up by the database (kept while the ledger is unchanged:
    ``versioned_cache``)."""

    return cached_sums(
        "line-totals-to-the-cent",
        fiscal_year.pk,
        lambda: ledger_sums.line_totals([fiscal_year.pk]),
    )


M = TypeVar("M", bound=Model)


def _related(fiscal_year: m.FiscalYear, name: str, query: Callable[[], QuerySet[M]]) -> list[M]:
    """The year's records of one kind: those read with it (``read_years``), else ``query()``."""
    if name in getattr(fiscal_year, "_prefetched_objects_cache", {}):
        return list(getattr(fiscal_year, name).all())
    return list(query())


READ = "read_"
"""Where ``read_years`` puts the records of a record read with it (``read_adjustments`` of
a budget line…): plain lists, which Django fills without building a query set for each of
thousands of lines and goals."""


def _each(parent: Model, name: str) -> list[Any]:
    """The records of one kind of ``parent``: those read with it, else its related ones."""
    found = getattr(parent, READ + name, None)
    return list(found) if found is not None else list(getattr(parent, name).all())


def _lines(fiscal_year: m.FiscalYear) -> list[m.BudgetLine]:
    return _related(
        fiscal_year,
        "budget_lines",
        lambda: fiscal_year.budget_lines.select_related("project").prefetch_related(
            Prefetch("adjustments", queryset=m.BudgetAdjustment.objects.order_by("position"))
        ),
    )


def _published(fiscal_year: m.FiscalYear, measure: str) -> dict[str, Decimal]:
    return {
        row.key: row.amount for row in fiscal_year.published_amounts.all() if row.measure == measure
    }


def department_year(department_code: str, year: int) -> core.DepartmentYear:
    """The stored year as the core's immutable records (amounts in 元)."""
    fy = find_fiscal_year(department_code, year)
    return _records(fy, ledger_totals(fy), _previous_basics)


def _records(
    fy: m.FiscalYear,
    ledger: dict[int, Decimal],
    previous_basics: Callable[[m.FiscalYear], tuple[two_years.Row, ...]],
) -> core.DepartmentYear:
    lines = tuple(
        core.BudgetLine(
            code=line.code,
            name=line.name,
            funding_source=FundingSource(line.funding_source),
            nature=Nature(line.nature),
            basic_kind=BasicKind(line.basic_kind) if line.basic_kind else None,
            project_code=line.project.code if line.project else None,
            functional_class=line.functional_class,
            economic_class=line.economic_class,
            initial_budget=line.initial_budget,
            final_budget=line.final_budget,
            adjustments=tuple(
                core.Adjustment(a.date, a.amount, a.document_number, a.reason)
                for a in _each(line, "adjustments")
            ),
            executed=ledger.get(line.id, line.executed),
            carryover=line.carryover,
            over_budget_explanation=line.over_budget_explanation,
        )
        for line in _lines(fy)
    )
    totals = core.PublishedTotals(
        final_budget=fy.total_final_budget,
        executed=fy.total_executed,
        executed_by_source={
            FundingSource(k): v for k, v in _published(fy, "executed_by_source").items()
        },
        executed_by_nature={Nature(k): v for k, v in _published(fy, "executed_by_nature").items()},
        budget_by_source={
            FundingSource(k): v for k, v in _published(fy, "budget_by_source").items()
        },
        initial_budget=fy.total_initial_budget,
        carryover=fy.carryover,
    )
    basics = basics_rows(fy)
    return core.DepartmentYear(
        department_code=fy.department.code,
        department_name=fy.department.name,
        fiscal_year=fy.year,
        lines=lines,
        projects=tuple(
            core.ProjectRecord(
                code=p.code,
                name=p.name,
                office_code=p.office.code if p.office else None,
                recurrent=p.recurrent,
                category=ProjectCategory(p.category) if p.category else None,
                initial_budget=p.initial_budget,
                final_budget=p.final_budget,
                executed=p.executed,
            )
            for p in _related(fy, "projects", lambda: fy.projects.select_related("office"))
        ),
        totals=totals,
        functions_preamble=fy.functions_preamble,
        functions=tuple(f.text for f in fy.functions.all()),
        annual_objective=fy.annual_objective,
        key_tasks=tuple(t.text for t in fy.key_tasks.all()),
        conclusion=fy.conclusion,
        key_task_analysis=fy.key_task_analysis,
        achievements=tuple(_achievement(a) for a in _achievements(fy)),
        problems=tuple(core.Problem(p.title, p.text) for p in fy.problems.all()),
        improvement_measures=tuple(i.text for i in fy.improvement_measures.all()),
        rounding_note=fy.rounding_note,
        basics=basics,
        # last year's table is compared row by row with this year's: none to read without one
        previous_basics=previous_basics(fy) if basics else (),
    )


def _read(name: str, queryset: QuerySet[Any] | None = None) -> Prefetch[Any]:
    return Prefetch(name, queryset=queryset, to_attr=READ + name)


YEAR_RECORDS = (
    Prefetch(
        "budget_lines",
        queryset=m.BudgetLine.objects.select_related("project").prefetch_related(
            _read("adjustments", m.BudgetAdjustment.objects.order_by("position"))
        ),
    ),
    Prefetch("projects", queryset=m.Project.objects.select_related("office")),
    Prefetch("achievements", queryset=m.Achievement.objects.prefetch_related(_read("metrics"))),
    "published_amounts", "basics_rows", "functions", "key_tasks", "problems",
    "improvement_measures", "evaluation_inputs", "cost_standard_tables",
)  # fmt: skip
"""Every kind of record the core reads of a year (``department_year``, its goals and
evaluation settings), to be read for many years at once."""


def _goal_records() -> Prefetch[Any]:
    return Prefetch(
        "goals",
        queryset=m.PerformanceGoal.objects.select_related("project").prefetch_related(
            _read(
                "indicators", m.Indicator.objects.order_by("position").prefetch_related(
                    _read("progress")
                )
            ),
            _read("stated_forecasts"),
        ),
    )


@dataclass(frozen=True)
class YearsRead:
    """Fiscal years read together with every record the core reads of them (one query
    per kind of record for them all), and the year before each (None: none stored)."""

    years: list[m.FiscalYear]
    previous: dict[int, m.FiscalYear | None]


def read_years(fiscal_year_ids: Iterable[int]) -> YearsRead:
    ids = sorted(set(fiscal_year_ids))
    years = list(
        m.FiscalYear.objects.filter(pk__in=ids)
        .select_related("department")
        .prefetch_related(*YEAR_RECORDS, _goal_records())
    )
    wanted = {(fy.department_id, fy.year - 1) for fy in years}
    earlier = m.FiscalYear.objects.filter(
        department_id__in={d for d, _ in wanted}, year__in={y for _, y in wanted}
    ).prefetch_related("basics_rows", _goal_records())
    found = {(fy.department_id, fy.year): fy for fy in earlier}
    previous = {fy.pk: found.get((fy.department_id, fy.year - 1)) for fy in years}
    return YearsRead(years, previous)


def department_years(read: YearsRead) -> dict[int, core.DepartmentYear]:
    """``department_year`` of each year read, from what was read: each year's ledger from
    the monthly sums of them all in one query."""
    ledger: dict[int, Decimal] = {}
    for row in ledger_sums.line_months(fy.pk for fy in read.years):
        ledger[row.budget_line_id] = ledger.get(row.budget_line_id, ZERO) + row.amount

    def previous_basics(fy: m.FiscalYear) -> tuple[two_years.Row, ...]:
        previous = read.previous.get(fy.pk)
        return basics_rows(previous) if previous is not None else ()

    return {fy.pk: _records(fy, ledger, previous_basics) for fy in read.years}


def _achievements(fy: m.FiscalYear) -> list[m.Achievement]:
    return _related(fy, "achievements", lambda: fy.achievements.prefetch_related("metrics"))


def basics_rows(fy: m.FiscalYear) -> tuple[two_years.Row, ...]:
    """The stored 基础信息表 as the core's rows (增减额 and 增减率 left to compute)."""
    stored = list(fy.basics_rows.all())
    index = {row.label: n for n, row in enumerate(stored)}
    return tuple(
        two_years.Row(
            label=row.label,
            unit=row.unit,
            figures={
                two_years.Column.last_year: _basics_figure(row, "last_year"),
                two_years.Column.this_year: _basics_figure(row, "this_year"),
            },
            where=f"基础信息表第{n + 1}行",
            part_of=index.get(row.part_of),
        )
        for n, row in enumerate(stored)
    )


def _previous_basics(fy: m.FiscalYear) -> tuple[two_years.Row, ...]:
    previous = m.FiscalYear.objects.filter(department_id=fy.department_id, year=fy.year - 1).first()
    return basics_rows(previous) if previous is not None else ()


def _basics_figure(row: m.BasicsRow, column: str) -> two_years.Figure:
    value: Decimal | None = getattr(row, column)
    places: int = getattr(row, f"{column}_places")
    if value is None:
        return two_years.Figure(None, published=not getattr(row, f"{column}_unpublished"))
    return two_years.Figure(_with_places(value, places), places)


def _export_basics(fy: m.FiscalYear) -> list[ds.BasicsRow]:
    return [
        _read_back(
            ds.BasicsRow,
            label=row.label,
            unit=row.unit,
            last_year=_exported_figure(row, "last_year"),
            this_year=_exported_figure(row, "this_year"),
            part_of=row.part_of or None,
        )
        for row in fy.basics_rows.all()
    ]


def _exported_figure(row: m.BasicsRow, column: str) -> Decimal | str | None:
    value: Decimal | None = getattr(row, column)
    if value is not None:
        return _with_places(value, getattr(row, f"{column}_places"))
    return ds.UNPUBLISHED if getattr(row, f"{column}_unpublished") else None


def _metric_value(metric: m.AchievementMetric) -> Decimal:
    return metric.value.quantize(Decimal(1).scaleb(-metric.places))


def _achievement(achievement: m.Achievement) -> core.Achievement:
    return core.Achievement(
        title=achievement.title,
        text=achievement.text,
        metrics=tuple(
            core.Metric(
                name=metric.name,
                value=_metric_value(metric),
                unit=metric.unit,
                stated=str(_metric_value(metric)),
                ratio_of=(metric.ratio_numerator, metric.ratio_denominator)
                if metric.ratio_numerator
                else None,
            )
            for metric in _each(achievement, "metrics")
        ),
    )


def export_dataset(department_code: str, year: int, *, payments: bool = True) -> ds.Dataset:
    """The stored year as a dataset, amounts in the unit it was entered in.

    ``payments=False`` leaves the ledger out (a large ledger is read faster in bulk).
    """
    fy = find_fiscal_year(department_code, year)
    unit = AmountUnit(fy.entry_unit)
    department = fy.department
    return ds.Dataset(
        unit=unit,
        department=ds.Department(
            code=department.code,
            name=department.name,
            units=[ds.NamedCode(code=u.code, name=u.name) for u in department.units.all()],
            offices=[ds.NamedCode(code=o.code, name=o.name) for o in department.offices.all()],
        ),
        year=fy.year,
        source=fy.source,
        attachment_label=fy.attachment_label,
        functions=ds.Functions(
            preamble=fy.functions_preamble, items=[f.text for f in fy.functions.all()]
        ),
        annual_objective=fy.annual_objective,
        key_tasks=[t.text for t in fy.key_tasks.all()],
        self_evaluation=ds.SelfEvaluation(
            conclusion=fy.conclusion, key_task_analysis=fy.key_task_analysis
        ),
        achievements=[_export_achievement(a) for a in fy.achievements.prefetch_related("metrics")],
        problems=[ds.ProblemText(title=p.title, text=p.text) for p in fy.problems.all()],
        improvement_measures=[i.text for i in fy.improvement_measures.all()],
        budget=_export_budget(fy, unit, payments),
        evaluation=ds.EvaluationSettings(
            project_rules=fy.project_rules,
            department_rules=fy.department_rules,
            monitoring_rules=fy.monitoring_rules,
            cost_standards=fy.cost_standards,
            not_applicable=fy.not_applicable,
            inputs={i.name: _with_places(i.value, i.places) for i in fy.evaluation_inputs.all()},
        ),
        report=ds.ReportSettings(rounding_note=fy.rounding_note),
        goals=[_export_goal(goal, unit) for goal in _goals(fy)],
        basics=_export_basics(fy),
    )


def _with_places(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places))


def _goals(fy: m.FiscalYear) -> list[m.PerformanceGoal]:
    return _related(
        fy,
        "goals",
        lambda: fy.goals.select_related("project").prefetch_related(
            Prefetch(
                "indicators",
                queryset=m.Indicator.objects.order_by("position").prefetch_related("progress"),
            ),
            "stated_forecasts",
        ),
    )


def _decimal_map(stored: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in stored.items()}


def _export_goal(goal: m.PerformanceGoal, unit: AmountUnit) -> ds.GoalEntry:
    return ds.GoalEntry(
        project=goal.project.code if goal.project else None,
        name=goal.name,
        expected_objective=goal.expected_objective,
        actual_objective=goal.actual_objective,
        level1_weights=_decimal_map(goal.level1_weights),
        execution_reason=goal.execution_reason,
        claimed=ds.ClaimedEntry(
            execution_rate=optional_tidy(goal.claimed_execution_rate),
            execution_score=optional_tidy(goal.claimed_execution_score),
            total=optional_tidy(goal.claimed_total),
            grade=goal.claimed_grade or None,
            level1_scores=_decimal_map(goal.claimed_level1_scores),
            weight_total=optional_tidy(goal.claimed_weight_total),
        ),
        indicators=[
            ds.IndicatorEntry(
                level1=i.level1,
                level2=i.level2,
                level3=i.level3,
                kind=core_goals.IndicatorKind(i.kind),
                target=i.target,
                weight=tidy(i.weight),
                actual=i.actual,
                state=core_goals.QualitativeState(i.state) if i.state else None,
                assessed_score=optional_tidy(i.assessed_score),
                claimed_score=optional_tidy(i.claimed_score),
                deviation_reason=i.deviation_reason,
                improvement=i.improvement,
                last_year_actual=i.last_year_actual,
                illustrative=i.illustrative,
                cost_standard=i.cost_standard,
                cost_share=optional_tidy(i.cost_share),
                progress=[
                    ds.ProgressEntry(
                        date=p.date,
                        value=p.value,
                        likelihood=Likelihood(p.likelihood) if p.likelihood else None,
                        reason_category=ReasonCategory(p.reason_category)
                        if p.reason_category
                        else None,
                        reason=p.reason,
                    )
                    for p in _each(i, "progress")
                ],
            )
            for i in _each(goal, "indicators")
        ],
        forecasts=[
            ds.ForecastEntry(date=f.date, amount=from_yuan(f.amount, unit))
            for f in _each(goal, "stated_forecasts")
        ],
    )


def performance_goals(fy: m.FiscalYear) -> tuple[core_goals.PerformanceGoal, ...]:
    """The year's goals as core records."""
    return tuple(
        core_goal(
            _export_goal(goal, AmountUnit(fy.entry_unit)),
            goal.project.name if goal.project else "部门整体支出",
        )
        for goal in _goals(fy)
    )


def _export_achievement(achievement: m.Achievement) -> ds.Achievement:
    return ds.Achievement(
        title=achievement.title,
        text=achievement.text,
        metrics=[
            ds.Metric(
                name=metric.name,
                value=_metric_value(metric),
                unit=metric.unit,
                ratio_of=(metric.ratio_numerator, metric.ratio_denominator)
                if metric.ratio_numerator
                else None,
            )
            for metric in _each(achievement, "metrics")
        ],
    )


def _export_budget(fy: m.FiscalYear, unit: AmountUnit, with_payments: bool = True) -> ds.Budget:
    def published(measure: str, key: type[FundingSource | Nature]) -> dict[Any, Decimal]:
        return {key(k): from_yuan(v, unit) for k, v in _published(fy, measure).items()}

    totals = _read_back(
        ds.Totals,
        final_budget=optional_from_yuan(fy.total_final_budget, unit),
        initial_budget=optional_from_yuan(fy.total_initial_budget, unit),
        executed=optional_from_yuan(fy.total_executed, unit),
        executed_by_source=published("executed_by_source", FundingSource),
        executed_by_nature=published("executed_by_nature", Nature),
        budget_by_source=published("budget_by_source", FundingSource),
        carryover=optional_from_yuan(fy.carryover, unit),
    )
    projects = [
        _read_back(
            ds.Project,
            code=p.code,
            name=p.name,
            office=p.office.code if p.office else None,
            unit=p.unit.code if p.unit else None,
            recurrent=p.recurrent,
            category=ProjectCategory(p.category) if p.category else None,
            initial_budget=optional_from_yuan(p.initial_budget, unit),
            final_budget=optional_from_yuan(p.final_budget, unit),
            executed=optional_from_yuan(p.executed, unit),
        )
        for p in fy.projects.select_related("office", "unit")
    ]
    lines = [
        _read_back(
            ds.Line,
            code=line.code,
            name=line.name,
            funding_source=FundingSource(line.funding_source),
            nature=Nature(line.nature),
            basic_kind=BasicKind(line.basic_kind) if line.basic_kind else None,
            project=line.project.code if line.project else None,
            functional_class=line.functional_class,
            economic_class=line.economic_class,
            initial_budget=from_yuan(line.initial_budget, unit),
            adjustments=[
                ds.AdjustmentEntry(
                    date=a.date,
                    amount=from_yuan(a.amount, unit),
                    document_number=a.document_number,
                    reason=a.reason,
                )
                for a in _each(line, "adjustments")
            ],
            final_budget=from_yuan(line.final_budget, unit),
            executed=optional_from_yuan(line.executed, unit),
            carryover=optional_from_yuan(line.carryover, unit),
            over_budget_explanation=line.over_budget_explanation,
        )
        for line in _lines(fy)
    ]
    payments = (
        [
            _read_back(
                ds.Payment,
                line=p.budget_line.code,
                date=p.date,
                amount=from_yuan(p.amount, unit),
                refund=p.is_refund,
                voucher=p.voucher,
                description=p.description,
            )
            for p in m.Payment.objects.filter(budget_line__fiscal_year=fy)
            .select_related("budget_line")
            .order_by("date", "id")
        ]
        if with_payments
        else []
    )
    return _read_back(ds.Budget, totals=totals, projects=projects, lines=lines, payments=payments)
