"""预算与支出: budget lines with their adjustments, and the ledger with filters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jixiao.core import year as core
from jixiao.core.budget import execution_rate, funds_of, line_executed
from jixiao.core.goals import FundsRow
from jixiao.core.money import CENT, ZERO
from jixiao.documents.list_workbook import Column, Kind, ListSheet
from jixiao.services import result_application
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.web.exports import title, xlsx_response
from jixiao.web.forms import LedgerFilter
from jixiao.web.models import Role
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


@dataclass(frozen=True)
class LedgerView:
    """The page's budget lines and its ledger with the filters applied."""

    rows: list[LineRow]
    totals: FundsRow
    form: LedgerFilter
    payments: QuerySet[m.Payment]
    narrowed: bool


def _ledger_view(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> LedgerView:
    lines = visible_lines(scope, fiscal_year)
    whole = can_view_department_detail(scope, fiscal_year)
    choices = list(lines.order_by("code").values_list("code", "name"))
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    rows = _line_rows(records, None if whole else {code for code, _ in choices})
    form = LedgerFilter(request.GET or None, [(code, f"{code} {name}") for code, name in choices])
    payments = (
        m.Payment.objects.filter(budget_line__in=lines)
        .filter(form.condition())
        .select_related("budget_line")
        .order_by("date", "id")
    )
    totals = funds_of([row.line for row in rows]).total
    return LedgerView(rows, totals, form, payments, not whole)


def _requested(scope: Scope, fiscal_year: m.FiscalYear) -> list[m.Project]:
    """The projects whose 年初预算数 is their own, as in a year still in 申报 (no lines)."""
    projects = m.Project.objects.filter(fiscal_year=fiscal_year, initial_budget__isnull=False)
    if scope.role is Role.office:
        projects = projects.filter(office_id=scope.office_id or 0)
    return list(projects.select_related("office").order_by("code"))


@year_view()
def budget(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    view = _ledger_view(request, scope, fiscal_year)
    requested = [] if view.rows else _requested(scope, fiscal_year)
    totals = view.totals
    summary = view.payments.aggregate(total=Sum("amount"), count=Count("id"))
    paginator = Paginator(view.payments, LEDGER_PAGE_SIZE)
    paginator.count = summary["count"]  # already counted with the total: one query fewer
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "web/budget.html",
        {
            "fiscal_year": fiscal_year,
            "rows": view.rows,
            "totals": totals,
            "totals_rate": execution_rate(totals.executed, totals.final_budget),
            "form": view.form,
            "page": page,
            "ledger_total": _cents(summary["total"]),
            "ledger_count": summary["count"],
            "narrowed": view.narrowed,
            "requested": requested,
            "requested_total": sum((p.initial_budget or ZERO for p in requested), ZERO),
            # last year's accepted 结果应用 proposals, for whoever sees the whole department
            "carried": [] if view.narrowed else result_application.carried_into(fiscal_year),
        },
    )


def _lines_sheet(fiscal_year: m.FiscalYear, view: LedgerView) -> ListSheet:
    columns = [
        Column(_("预算行代码"), Kind.text, 14),
        Column(_("名称"), Kind.text, 30),
        Column(_("资金来源"), Kind.text, 24),
        Column(_("支出性质"), Kind.text, 22),
        Column(_("项目"), Kind.text, 30),
        Column(_("年初预算数（万元）"), Kind.wan, 16),
        Column(_("预算调整（万元）"), Kind.wan, 16),
        Column(_("全年预算数（万元）"), Kind.wan, 16),
        Column(_("执行数（万元）"), Kind.wan, 16),
        Column(_("执行率"), Kind.percent, 10),
    ]
    rows = [
        [
            row.line.code,
            row.line.name,
            row.line.funding_source.label,
            row.line.nature.label
            + (f"（{row.line.basic_kind.label}）" if row.line.basic_kind else ""),
            f"{row.line.project_code} {row.project_name}" if row.line.project_code else "",
            row.line.initial_budget,
            row.adjusted if row.line.adjustments else None,
            row.line.final_budget,
            row.executed,
            row.execution_rate,
        ]
        for row in view.rows
    ]
    totals = view.totals
    return ListSheet(
        _("预算行"),
        title(fiscal_year, _("预算执行情况")),
        columns,
        rows,
        note=_("只含您科室项目的预算行。") if view.narrowed else "",
        totals=[
            None, None, None, None,
            totals.initial_budget,
            sum((row.adjusted for row in view.rows), ZERO),
            totals.final_budget,
            totals.executed,
            execution_rate(totals.executed, totals.final_budget),
        ],
    )  # fmt: skip


def _payments_sheet(fiscal_year: m.FiscalYear, view: LedgerView) -> ListSheet:
    columns = [
        Column(_("支付日期"), Kind.date, 12),
        Column(_("预算行"), Kind.text, 36),
        Column(_("凭证号"), Kind.text, 16),
        Column(_("摘要"), Kind.text, 40),
        Column(_("金额（万元）"), Kind.wan, 16),
        Column(_("金额（元）"), Kind.number, 18),
    ]
    rows = [
        [
            payment.date,
            f"{payment.budget_line.code} {payment.budget_line.name}",
            payment.voucher,
            (_("【退款】") if payment.is_refund else "") + payment.description,
            payment.amount,
            payment.amount,
        ]
        for payment in view.payments.iterator(chunk_size=2000)
    ]
    filters = view.form.description()
    return ListSheet(
        _("支出明细"),
        title(fiscal_year, _("支出明细（台账）")),
        columns,
        rows,
        note=_("筛选条件：%(filters)s") % {"filters": filters} if filters else "",
        totals=[None, None, None, sum((row[4] for row in rows), ZERO), None],
    )


@year_view()
def budget_export(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """预算与支出 as a workbook: the budget lines, and the ledger with the page's filters."""
    view = _ledger_view(request, scope, fiscal_year)
    sheets = [_lines_sheet(fiscal_year, view), _payments_sheet(fiscal_year, view)]
    return xlsx_response(fiscal_year, _("预算与支出"), "budget", sheets)


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
