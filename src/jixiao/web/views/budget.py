"""预算与支出: budget lines with their adjustments, and the ledger with filters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.core import year as core
from jixiao.core.budget import execution_rate, funds_of, line_executed
from jixiao.core.money import CENT, ZERO
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.web.forms import LedgerFilter
from jixiao.web.permissions import (
    Scope,
    can_view_department_detail,
    can_view_line,
    load_line,
    object_view,
    visible_lines,
    year_view,
)

LEDGER_PAGE_SIZE = 50


@dataclass(frozen=True)
class LineRow:
    line: core.BudgetLine
    project_name: str
    executed: Decimal
    execution_rate: Decimal | None
    adjusted: Decimal
    """The sum of the line's adjustments, 元."""


def _cents(total: Decimal | None) -> Decimal:
    """A database sum of amounts with whole cents, exact (SQLite sums in floating point)."""
    return ZERO if total is None else total.quantize(CENT)


def _line_rows(records: core.DepartmentYear, codes: set[str] | None) -> list[LineRow]:
    names = {project.code: project.name for project in records.projects}
    rows = []
    for line in records.lines:
        if codes is not None and line.code not in codes:
            continue
        executed = line_executed(line)
        rows.append(
            LineRow(
                line=line,
                project_name=names.get(line.project_code or "", ""),
                executed=executed,
                execution_rate=execution_rate(executed, line.final_budget),
                adjusted=sum((a.amount for a in line.adjustments), ZERO),
            )
        )
    return rows


@year_view()
def budget(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    lines = visible_lines(scope, fiscal_year)
    whole = can_view_department_detail(scope, fiscal_year)
    choices = list(lines.order_by("code").values_list("code", "name"))
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    rows = _line_rows(records, None if whole else {code for code, _ in choices})
    shown = [row.line for row in rows]
    totals = funds_of(shown).total

    form = LedgerFilter(request.GET or None, [(code, f"{code} {name}") for code, name in choices])
    payments = (
        m.Payment.objects.filter(budget_line__in=lines)
        .filter(form.condition())
        .select_related("budget_line")
        .order_by("date", "id")
    )
    summary = payments.aggregate(total=Sum("amount"), count=Count("id"))
    paginator = Paginator(payments, LEDGER_PAGE_SIZE)
    paginator.count = summary["count"]  # already counted with the total: one query fewer
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "web/budget.html",
        {
            "fiscal_year": fiscal_year,
            "rows": rows,
            "totals": totals,
            "totals_rate": execution_rate(totals.executed, totals.final_budget),
            "form": form,
            "page": page,
            "ledger_total": _cents(summary["total"]),
            "ledger_count": summary["count"],
            "narrowed": not whole,
        },
    )


@object_view(load_line, can_view_line)
def line_detail(request: HttpRequest, scope: Scope, line: m.BudgetLine) -> HttpResponse:
    fiscal_year = line.fiscal_year
    adjustments = list(line.adjustments.order_by("position"))
    ledger = line.payments.aggregate(total=Sum("amount"), count=Count("id"))
    executed = _cents(ledger["total"]) if ledger["count"] else line.executed
    return render(
        request,
        "web/line.html",
        {
            "fiscal_year": fiscal_year,
            "line": line,
            "adjustments": adjustments,
            "adjusted": sum((a.amount for a in adjustments), ZERO),
            "executed": executed,
            "execution_rate": execution_rate(executed, line.final_budget)
            if executed is not None
            else None,
            "ledger_count": ledger["count"],
        },
    )
