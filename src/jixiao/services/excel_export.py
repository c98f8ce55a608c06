"""Exports of a stored year as Excel workbooks that import back.

- ``export_workbook(department, year, kind, path)``: 预算与执行 or 支出明细 as a filled
  template (``interchange.excel.exporting.write_workbook``);
- ``export_form_workbook(department, year, kind, path, as_of=None, projects=None)``: the
  performance forms (``interchange.excel.form_exports``: the 申报表; the self-evaluation and
  monitoring tables from ``documents``).

The Excel package writes the files; this module reads what they hold from storage.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from jixiao.interchange.excel.exporting import LedgerEntry, write_workbook
from jixiao.interchange.excel.form_exports import EXPORT_KINDS, write_goals_workbook
from jixiao.interchange.excel.layouts import Kind
from jixiao.interchange.rule_files import load_rule_set
from jixiao.services.reading import export_dataset, find_fiscal_year
from jixiao.storage import models as m


def export_workbook(department_code: str, year: int, kind: Kind, path: Path) -> Path:
    """Write the stored year's ``kind`` (budget or ledger) to ``path`` (.xlsx)."""
    fiscal_year = find_fiscal_year(department_code, year)
    dataset = export_dataset(department_code, year, payments=False)
    totals = _ledger_totals(fiscal_year)
    payments = _ledger_entries(fiscal_year) if kind.name != "budget" else ()
    return write_workbook(dataset, kind, path, totals, payments)


def _ledger_totals(fiscal_year: m.FiscalYear) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    rows = m.Payment.objects.filter(budget_line__fiscal_year=fiscal_year).values_list(
        "budget_line__code", "amount"
    )
    for code, amount in rows.iterator(chunk_size=20000):
        totals[code] = totals.get(code, Decimal(0)) + amount
    return totals


def _ledger_entries(fiscal_year: m.FiscalYear) -> Iterator[LedgerEntry]:
    """The year's payments by date, read in chunks as the sheet is written."""
    rows = (
        m.Payment.objects.filter(budget_line__fiscal_year=fiscal_year)
        .order_by("date", "id")
        .values_list("budget_line__code", "date", "voucher", "amount", "is_refund", "description")
    )
    return rows.iterator(chunk_size=20000)


def export_goals(
    department_code: str, year: int, path: Path, projects: Collection[str] | None = None
) -> Path:
    """Write the stored year's goal declarations (申报表) to ``path``: every goal, or only
    those of ``projects`` (then not the department's)."""
    fiscal_year = find_fiscal_year(department_code, year)
    dataset = export_dataset(department_code, year, payments=False)
    return write_goals_workbook(dataset, load_rule_set(fiscal_year.project_rules), path, projects)


def export_form_workbook(
    department_code: str,
    year: int,
    kind: str,
    path: Path,
    as_of: date | None = None,
    projects: Collection[str] | None = None,
) -> Path:
    """Export one of the forms (``EXPORT_KINDS``) of a stored year to ``path``.

    ``projects`` narrows the 申报表 and 自评表 to those projects' sheets (a 业务科室's own;
    the department's forms are left out); the 监控表 is department-wide.
    """
    from jixiao.errors import UserFacingError

    chosen = EXPORT_KINDS[kind]
    if chosen == "goals":
        return export_goals(department_code, year, path, projects)
    if chosen == "evaluation":
        from jixiao.documents.evaluation_tables import write_evaluation_workbook
        from jixiao.services.evaluating import evaluate_stored_year

        result = evaluate_stored_year(department_code, year)
        if projects is not None:
            own = tuple(p for p in result.projects if p.project_code in projects)
            result = replace(result, projects=own, department=None)
        return write_evaluation_workbook(result, Path(path))
    if projects is not None:
        raise UserFacingError("绩效目标执行监控表是全部门的，只能由财务科导出")
    if as_of is None:
        raise UserFacingError("导出监控表须指定截至日期：--as-of 2023-07-31")
    from jixiao.documents.monitoring_tables import write_monitoring_workbook
    from jixiao.services.monitoring import monitor_stored_year

    return write_monitoring_workbook(monitor_stored_year(department_code, year, as_of), Path(path))
