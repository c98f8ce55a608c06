"""Budget figures of a department-year: one home for 执行率 and the breakdowns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

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
    """True when computed from budget lines, False when taken from published totals."""


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


def budget_figures(year: DepartmentYear) -> BudgetFigures:
    """The year's figures: from its lines when it has them, else from its totals."""
    if year.lines:
        return _figures_from_lines(year)
    return _figures_from_totals(year)


def _figures_from_lines(year: DepartmentYear) -> BudgetFigures:
    lines = year.lines
    final_budget = sum((line.final_budget for line in lines), ZERO)
    executed = sum((line_executed(line) for line in lines), ZERO)
    carryovers = [line.carryover for line in lines if line.carryover is not None]
    carryover = year.totals.carryover
    if carryover is None and carryovers:
        carryover = sum(carryovers, ZERO)
    return BudgetFigures(
        final_budget=final_budget,
        executed=executed,
        execution_rate=execution_rate(executed, final_budget),
        executed_by_source=executed_by_source(lines),
        executed_by_nature=executed_by_nature(lines),
        carryover=carryover,
        initial_budget=sum((line.initial_budget for line in lines), ZERO),
        from_lines=True,
    )


def _figures_from_totals(year: DepartmentYear) -> BudgetFigures:
    totals = year.totals
    final_budget = totals.final_budget if totals.final_budget is not None else ZERO
    executed = totals.executed
    if executed is None:
        executed = sum(totals.executed_by_source.values(), ZERO)
    return BudgetFigures(
        final_budget=final_budget,
        executed=executed,
        execution_rate=execution_rate(executed, final_budget),
        executed_by_source=dict(totals.executed_by_source),
        executed_by_nature=dict(totals.executed_by_nature),
        carryover=totals.carryover,
        initial_budget=totals.initial_budget,
        from_lines=False,
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
    return funds_of(line for line in year.lines if line.project_code == project_code)
