"""Budget figures of a department-year: one home for 执行率 and the breakdowns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from jixiao.core.goals import Funds, FundsRow
from jixiao.core.money import ZERO, ratio
from jixiao.core.vocabulary import FundingSource, Nature
from jixiao.core.year import BudgetLine, DepartmentYear


@dataclass(frozen=True)
class BudgetFigures:
    """The headline figures, in 元, unrounded."""

    final_budget: Decimal
    executed: Decimal
    execution_rate: Decimal | None
    executed_by_source: Mapping[FundingSource, Decimal]
    executed_by_nature: Mapping[Nature, Decimal]
    carryover: Decimal | None
    initial_budget: Decimal | None
    from_lines: bool
    """True when the year has budget lines (figures not published are computed from them)."""


def execution_rate(executed: Decimal, final_budget: Decimal) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 (the adjusted budget)."""
    return ratio(executed, final_budget)


def line_executed(line: BudgetLine) -> Decimal:
    return line.executed if line.executed is not None else ZERO


def executed_by_source(lines: Iterable[BudgetLine]) -> dict[FundingSource, Decimal]:
    sums = dict.fromkeys(FundingSource, ZERO)
    for line in lines:
        sums[line.funding_source] += line_executed(line)
    return sums


def executed_by_nature(lines: Iterable[BudgetLine]) -> dict[Nature, Decimal]:
    sums = dict.fromkeys(Nature, ZERO)
    for line in lines:
        sums[line.nature] += line_executed(line)
    return sums


@overload
def _first(published: Decimal | None, from_lines: Decimal) -> Decimal: ...
@overload
def _first(published: Decimal | None, from_lines: Decimal | None) -> Decimal | None: ...
def _first(published: Decimal | None, from_lines: Decimal | None) -> Decimal | None:
    return published if published is not None else from_lines


def budget_figures(year: DepartmentYear) -> BudgetFigures:
    """The year's figures of record.

    A published total (决算) is the figure of record where it is given; what is not
    published is computed from the budget lines. Disagreements between the two are
    reported by the consistency checks, never settled here.
    """
    computed = lines_figures(year) if year.lines else None
    totals = year.totals

    final_budget = _first(totals.final_budget, computed.final_budget if computed else ZERO)
    executed = _first(totals.executed, computed.executed if computed else None)
    if executed is None:
        executed = sum(totals.executed_by_source.values(), ZERO)
    return BudgetFigures(
        final_budget=final_budget,
        executed=executed,
        execution_rate=execution_rate(executed, final_budget),
        executed_by_source=dict(
            totals.executed_by_source or (computed.executed_by_source if computed else {})
        ),
        executed_by_nature=dict(
            totals.executed_by_nature or (computed.executed_by_nature if computed else {})
        ),
        carryover=_first(totals.carryover, computed.carryover if computed else None),
        initial_budget=_first(totals.initial_budget, computed.initial_budget if computed else None),
        from_lines=computed is not None,
    )


def lines_figures(year: DepartmentYear) -> BudgetFigures:
    """The figures the budget lines (and their ledger) add up to, ignoring published totals."""
    lines = year.lines
    final_budget = sum((line.final_budget for line in lines), ZERO)
    executed = sum((line_executed(line) for line in lines), ZERO)
    carryovers = [line.carryover for line in lines if line.carryover is not None]
    return BudgetFigures(
        final_budget=final_budget,
        executed=executed,
        execution_rate=execution_rate(executed, final_budget),
        executed_by_source=executed_by_source(lines),
        executed_by_nature=executed_by_nature(lines),
        carryover=sum(carryovers, ZERO) if carryovers else None,
        initial_budget=sum((line.initial_budget for line in lines), ZERO),
        from_lines=True,
    )


def funds_of(lines: Iterable[BudgetLine], label: str = "年度资金总额") -> Funds:
    """The funds block of a set of lines (a project's, or the whole year's), by source."""
    chosen = list(lines)

    def row(name: str, part: list[BudgetLine]) -> FundsRow:
        return FundsRow(
            label=name,
            initial_budget=sum((line.initial_budget for line in part), ZERO),
            final_budget=sum((line.final_budget for line in part), ZERO),
            executed=sum((line_executed(line) for line in part), ZERO),
        )

    rows = tuple(
        row(source.label, part)
        for source in FundingSource
        if (part := [line for line in chosen if line.funding_source is source])
    )
    return Funds(total=row(label, chosen), rows=rows)


def project_funds(year: DepartmentYear, project_code: str) -> Funds:
    """A project's funds block: from its budget lines, else from its own figures."""
    lines = [line for line in year.lines if line.project_code == project_code]
    if lines:
        return funds_of(lines)
    project = next((p for p in year.projects if p.code == project_code), None)
    if project is None or project.final_budget is None:
        return funds_of([])
    return Funds(
        total=FundsRow(
            label="年度资金总额",
            initial_budget=project.initial_budget if project.initial_budget is not None else ZERO,
            final_budget=project.final_budget,
            executed=project.executed if project.executed is not None else ZERO,
        )
    )
