"""Sums over a dataset's ledger, in 元, as the tests of the synthetic demo need them."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from jixiao.interchange.dataset import Budget, Line

YUAN_PER_WAN = Decimal(10000)
ZERO = Decimal(0)


def yuan(wan: Decimal) -> Decimal:
    return wan * YUAN_PER_WAN


def published_precision(amount_yuan: Decimal) -> Decimal:
    """How the report prints an amount: 万元, two decimals, half-up."""
    return (amount_yuan / YUAN_PER_WAN).quantize(Decimal("0.01"), ROUND_HALF_UP)


def executed_by_line(budget: Budget, through_month: int = 12) -> dict[str, Decimal]:
    """Executed 元 per line code, from the payments up to the end of ``through_month``."""
    executed = {line.code: ZERO for line in budget.lines}
    for payment in budget.payments:
        if payment.date.month <= through_month:
            executed[payment.line] += yuan(payment.amount)
    return executed


def executed_by_project(budget: Budget, through_month: int = 12) -> dict[str, Decimal]:
    executed: dict[str, Decimal] = defaultdict(Decimal)
    lines = {line.code: line for line in budget.lines}
    for code, amount in executed_by_line(budget, through_month).items():
        project = lines[code].project
        if project:
            executed[project] += amount
    return dict(executed)


def final_budget_by_project(budget: Budget) -> dict[str, Decimal]:
    finals: dict[str, Decimal] = defaultdict(Decimal)
    for line in budget.lines:
        if line.project:
            finals[line.project] += yuan(line.final_budget)
    return dict(finals)


def rate_by_project(budget: Budget, through_month: int) -> dict[str, Decimal]:
    """Cumulative executed at the end of ``through_month`` ÷ the final budget, per project."""
    executed = executed_by_project(budget, through_month)
    return {
        code: executed.get(code, ZERO) / final
        for code, final in final_budget_by_project(budget).items()
    }


def monthly_totals(budget: Budget) -> list[Decimal]:
    """Executed 元 per calendar month, January first."""
    months = [ZERO] * 12
    for payment in budget.payments:
        months[payment.date.month - 1] += yuan(payment.amount)
    return months


def line_total(lines: list[Line], executed: dict[str, Decimal], **match: object) -> Decimal:
    """Executed 元 of the lines whose attributes equal ``match``."""
    return sum(
        (
            executed[line.code]
            for line in lines
            if all(getattr(line, name) == value for name, value in match.items())
        ),
        ZERO,
    )
