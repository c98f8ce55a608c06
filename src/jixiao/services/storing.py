"""Writing a validated dataset into storage, all or nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import suppress
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import chain, islice

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from jixiao.core.amounts import optional_to_yuan, to_yuan
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange import dataset as ds
from jixiao.interchange.dataset_file import paused_gc
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services import ledger_sums
from jixiao.storage import models as m


def store_dataset(dataset: ds.Dataset, *, replace: bool = False) -> m.FiscalYear:
    """Store a department-year in one transaction; refuse an existing one unless replace."""
    with paused_gc(), transaction.atomic():
        department, _ = m.Department.objects.update_or_create(
            code=dataset.department.code, defaults={"name": dataset.department.name}
        )
        existing = m.FiscalYear.objects.filter(department=department, year=dataset.year)
        if existing.exists():
            if not replace:
                raise InputRejected(
                    [
                        Problem(
                            "year",
                            f"{dataset.department.name}（{department.code}）{dataset.year}年度已存在；"
                            "如需覆盖，请加 --replace",
                        )
                    ]
                )
            existing.delete()
        units = _upsert(m.Unit, department, dataset.department.units)
        offices = _upsert(m.Office, department, dataset.department.offices)
        fiscal_year = _store_year(department, dataset)
        _store_narrative(fiscal_year, dataset)
        store_basics(fiscal_year, dataset.basics)
        projects = _store_budget(fiscal_year, dataset.budget, dataset.unit, units, offices)
        _store_evaluation(fiscal_year, dataset)
        _store_goals(fiscal_year, dataset.goals, projects, dataset.unit)
        return fiscal_year


def _upsert(
    model: type[m.Unit] | type[m.Office], department: m.Department, items: list[ds.NamedCode]
) -> dict[str, m.Unit | m.Office]:
    stored = {}
    for item in items:
        row, _ = model.objects.update_or_create(
            department=department, code=item.code, defaults={"name": item.name}
        )
        stored[item.code] = row
    return stored


def _store_year(department: m.Department, dataset: ds.Dataset) -> m.FiscalYear:
    totals, unit = dataset.budget.totals, dataset.unit
    fiscal_year = m.FiscalYear.objects.create(
        department=department,
        year=dataset.year,
        entry_unit=unit.value,
        source=dataset.source,
        attachment_label=dataset.attachment_label,
        functions_preamble=dataset.functions.preamble,
        annual_objective=dataset.annual_objective,
        conclusion=dataset.self_evaluation.conclusion,
        key_task_analysis=dataset.self_evaluation.key_task_analysis,
        total_final_budget=optional_to_yuan(totals.final_budget, unit),
        total_initial_budget=optional_to_yuan(totals.initial_budget, unit),
        total_executed=optional_to_yuan(totals.executed, unit),
        carryover=optional_to_yuan(totals.carryover, unit),
        project_rules=dataset.evaluation.project_rules,
        department_rules=dataset.evaluation.department_rules,
        monitoring_rules=dataset.evaluation.monitoring_rules,
        cost_standards=dataset.evaluation.cost_standards,
        not_applicable=dataset.evaluation.not_applicable,
        rounding_note=dataset.report.rounding_note,
    )
    m.PublishedAmount.objects.bulk_create(
        m.PublishedAmount(
            fiscal_year=fiscal_year, measure=measure, key=key.value, amount=to_yuan(amount, unit)
        )
        for measure in ("executed_by_source", "executed_by_nature", "budget_by_source")
        for key, amount in getattr(totals, measure).items()
    )
    return fiscal_year


def _store_narrative(fiscal_year: m.FiscalYear, dataset: ds.Dataset) -> None:
    for model, texts in (
        (m.DepartmentFunction, dataset.functions.items),
        (m.KeyTask, dataset.key_tasks),
        (m.ImprovementMeasure, dataset.improvement_measures),
    ):
        model.objects.bulk_create(
            model(fiscal_year=fiscal_year, position=n, text=text) for n, text in enumerate(texts)
        )
    m.Problem.objects.bulk_create(
        m.Problem(fiscal_year=fiscal_year, position=n, title=p.title, text=p.text)
        for n, p in enumerate(dataset.problems)
    )
    for n, item in enumerate(dataset.achievements):
        achievement = m.Achievement.objects.create(
            fiscal_year=fiscal_year, position=n, title=item.title, text=item.text
        )
        m.AchievementMetric.objects.bulk_create(
            m.AchievementMetric(
                achievement=achievement,
                position=k,
                name=metric.name,
                value=metric.value,
                places=_places(metric.value),
                unit=metric.unit,
                ratio_numerator=metric.ratio_of[0] if metric.ratio_of else "",
                ratio_denominator=metric.ratio_of[1] if metric.ratio_of else "",
            )
            for k, metric in enumerate(item.metrics)
        )


def store_basics(fiscal_year: m.FiscalYear, rows: list[ds.BasicsRow]) -> None:
    m.BasicsRow.objects.bulk_create(
        m.BasicsRow(
            fiscal_year=fiscal_year,
            position=n,
            label=row.label,
            unit=row.unit,
            part_of=row.part_of or "",
            **_basics_figure("last_year", row.last_year),
            **_basics_figure("this_year", row.this_year),
        )
        for n, row in enumerate(rows)
    )


def _basics_figure(column: str, value: Decimal | str | None) -> dict[str, object]:
    if isinstance(value, Decimal):
        return {column: value, f"{column}_places": _places(value)}
    return {column: None, f"{column}_unpublished": value == ds.UNPUBLISHED}


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _store_budget(
    fiscal_year: m.FiscalYear,
    budget: ds.Budget,
    unit: AmountUnit,
    units: dict[str, m.Unit | m.Office],
    offices: dict[str, m.Unit | m.Office],
) -> dict[str, m.Project]:
    projects = {}
    for item in budget.projects:
        projects[item.code] = m.Project.objects.create(
            fiscal_year=fiscal_year,
            code=item.code,
            name=item.name,
            office=offices.get(item.office) if item.office else None,
            unit=units.get(item.unit) if item.unit else None,
            recurrent=item.recurrent,
            category=item.category.value if item.category else "",
            initial_budget=optional_to_yuan(item.initial_budget, unit),
            final_budget=optional_to_yuan(item.final_budget, unit),
            executed=optional_to_yuan(item.executed, unit),
        )
    lines = {}
    for line in budget.lines:
        stored = m.BudgetLine.objects.create(
            fiscal_year=fiscal_year,
            code=line.code,
            name=line.name,
            funding_source=line.funding_source.value,
            nature=line.nature.value,
            basic_kind=line.basic_kind.value if line.basic_kind else "",
            project=projects.get(line.project) if line.project else None,
            functional_class=line.functional_class,
            economic_class=line.economic_class,
            initial_budget=to_yuan(line.initial_budget, unit),
            final_budget=to_yuan(line.final_budget, unit),
            executed=optional_to_yuan(line.executed, unit),
            carryover=optional_to_yuan(line.carryover, unit),
            over_budget_explanation=line.over_budget_explanation,
        )
        bulk_create_with_history(
            [
                m.BudgetAdjustment(
                    budget_line=stored,
                    position=n,
                    date=a.date,
                    amount=to_yuan(a.amount, unit),
                    document_number=a.document_number,
                    reason=a.reason,
                )
                for n, a in enumerate(line.adjustments)
            ],
            m.BudgetAdjustment,
        )
        lines[line.code] = stored
    with ledger_sums.adding_many_on_sqlite():
        insert_payments(
            (lines[p.line].pk, p.date, to_yuan(p.amount, unit), p.refund, p.voucher, p.description)
            for p in budget.payments
        )
    return projects


PAYMENT_COLUMNS = ("budget_line_id", "date", "amount", "is_refund", "voucher", "description")


def insert_payments(rows: Iterable[tuple[int, date, Decimal, bool, str, str]]) -> None:
    """Payments as rows of ``PAYMENT_COLUMNS`` (amounts in 元), in the caller's transaction.

    A large file is mostly payments: a model instance and the ORM's compiling of each row
    took most of a load's writing time, where only the date and the amount need adapting
    for the database (as the ORM adapts them). On PostgreSQL one ``COPY`` takes them all
    (psycopg adapts each value as it adapts a query parameter; the statement triggers see
    the rows as one insert); on SQLite each INSERT carries up to ``ROWS_PER_INSERT`` rows
    (a third less of SQLite's time than one statement executed per row).
    """
    ops = connection.ops
    table = ops.quote_name(m.Payment._meta.db_table)
    columns = ", ".join(ops.quote_name(column) for column in PAYMENT_COLUMNS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    amount = m.Payment._meta.get_field("amount")
    digits, decimals = amount.max_digits, amount.decimal_places  # type: ignore[attr-defined]
    adapt_date, adapt_amount = ops.adapt_datefield_value, ops.adapt_decimalfield_value
    adapted = (
        (line, adapt_date(day), adapt_amount(value, digits, decimals), refund, voucher, text)
        for line, day, value, refund, voucher, text in rows
    )
    with connection.cursor() as cursor:
        size = _rows_per_insert()
        rest: list[tuple[object, ...]] = []

        def full_inserts() -> Iterator[list[object]]:
            for batch in iter(lambda: list(islice(adapted, size)), []):
                if len(batch) < size:
                    rest.extend(batch)
                    return
                yield list(chain.from_iterable(batch))

        # one statement, prepared once, for every full batch (Django rewrites the
        # placeholders of each statement it is given: once here, not once per batch)
        cursor.executemany(_insert_sql(table, columns, size), full_inserts())
        if rest:
            cursor.execute(_insert_sql(table, columns, len(rest)), list(chain.from_iterable(rest)))


ROWS_PER_INSERT = 500


def _rows_per_insert() -> int:
    """Rows per INSERT: ``ROWS_PER_INSERT``, within the parameters SQLite takes at once."""
    limit = connection.features.max_query_params
    with suppress(AttributeError, sqlite3.Error):  # the limit the library was built with
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_INSERT, limit // len(PAYMENT_COLUMNS)))


@cache
def _insert_sql(table: str, columns: str, rows: int) -> str:
    row = f"({', '.join(['%s'] * len(PAYMENT_COLUMNS))})"
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)}"


def _store_evaluation(fiscal_year: m.FiscalYear, dataset: ds.Dataset) -> None:
    m.EvaluationInput.objects.bulk_create(
        m.EvaluationInput(fiscal_year=fiscal_year, name=name, value=value, places=_places(value))
        for name, value in dataset.evaluation.inputs.items()
    )


def _store_goals(
    fiscal_year: m.FiscalYear,
    goals: list[ds.GoalEntry],
    projects: dict[str, m.Project],
    unit: AmountUnit,
) -> None:
    for position, goal in enumerate(goals):
        claimed = goal.claimed
        stored = m.PerformanceGoal.objects.create(
            fiscal_year=fiscal_year,
            project=projects[goal.project] if goal.project else None,
            position=position,
            name=goal.name,
            expected_objective=goal.expected_objective,
            actual_objective=goal.actual_objective,
            level1_weights={k: str(v) for k, v in goal.level1_weights.items()},
            execution_reason=goal.execution_reason,
            claimed_execution_rate=claimed.execution_rate,
            claimed_execution_score=claimed.execution_score,
            claimed_total=claimed.total,
            claimed_grade=claimed.grade or "",
            claimed_level1_scores={k: str(v) for k, v in claimed.level1_scores.items()},
            claimed_weight_total=claimed.weight_total,
        )
        indicators = bulk_create_with_history(
            [
                m.Indicator(
                    goal=stored,
                    position=n,
                    level1=i.level1,
                    level2=i.level2,
                    level3=i.level3,
                    kind=i.kind.value,
                    target=i.target,
                    weight=i.weight,
                    actual=i.actual,
                    state=i.state.value if i.state else "",
                    assessed_score=i.assessed_score,
                    claimed_score=i.claimed_score,
                    deviation_reason=i.deviation_reason,
                    improvement=i.improvement,
                    last_year_actual=i.last_year_actual,
                    illustrative=i.illustrative,
                    cost_standard=i.cost_standard,
                    cost_share=i.cost_share,
                )
                for n, i in enumerate(goal.indicators)
            ],
            m.Indicator,
        )
        bulk_create_with_history(
            [
                m.IndicatorProgress(
                    indicator=stored_indicator,
                    date=p.date,
                    value=p.value,
                    likelihood=p.likelihood.value if p.likelihood else "",
                    reason_category=p.reason_category.value if p.reason_category else "",
                    reason=p.reason,
                )
                for stored_indicator, entry in zip(indicators, goal.indicators, strict=True)
                for p in entry.progress
            ],
            m.IndicatorProgress,
        )
        bulk_create_with_history(
            [
                m.StatedForecast(goal=stored, date=f.date, amount=to_yuan(f.amount, unit))
                for f in goal.forecasts
            ],
            m.StatedForecast,
        )
