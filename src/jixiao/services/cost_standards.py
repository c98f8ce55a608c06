"""The 定额标准 / 支出标准 table a department-year costs its outputs against (成本效益分析).

``FiscalYear.cost_standards`` names the table: one the department imported for the year
from Excel (``CostStandardTable``, read by the same checks as a shipped file), else one
shipped in ``jixiao/rules`` (``cost-standards-*.yaml``); blank means none. Importing is all
or nothing: a workbook with any bad cell stores nothing and changes no choice.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from jixiao.core.cost import CostStandards
from jixiao.errors import UserFacingError
from jixiao.interchange.cost_standard_files import (
    SHIPPED_COST_STANDARDS,
    STANDARD_FILES,
    shipped_cost_standards,
    standards_document,
)
from jixiao.interchange.problems import InputRejected
from jixiao.storage import models as m


def year_cost_standards(fiscal_year: m.FiscalYear) -> CostStandards | None:
    """The table the year names; None when it names none (or one no longer there)."""
    table_id = fiscal_year.cost_standards
    if not table_id:
        return None
    if "cost_standard_tables" in getattr(fiscal_year, "_prefetched_objects_cache", {}):
        tables = fiscal_year.cost_standard_tables.all()  # read with the year (``read_years``)
        stored = next((t for t in tables if t.table_id == table_id), None)
    else:
        stored = m.CostStandardTable.objects.filter(
            fiscal_year=fiscal_year, table_id=table_id
        ).first()
    if stored is not None:
        try:
            return STANDARD_FILES.from_document(dict(stored.document))
        except InputRejected:
            return None
    if table_id in SHIPPED_COST_STANDARDS:
        return shipped_cost_standards(table_id)
    return None


def available_cost_standards(fiscal_year: m.FiscalYear) -> list[tuple[str, str]]:
    """(id, name) of every table the year may choose: its imported ones, then the shipped."""
    imported = [
        (t.table_id, t.name)
        for t in m.CostStandardTable.objects.filter(fiscal_year=fiscal_year).order_by("id")
    ]
    known = {table_id for table_id, _ in imported}
    shipped = [
        (name, shipped_cost_standards(name).name)
        for name in SHIPPED_COST_STANDARDS
        if name not in known
    ]
    return [*imported, *shipped]


def choose_cost_standards(fiscal_year: m.FiscalYear, table_id: str) -> None:
    """The year uses table ``table_id`` ("" for none)."""
    if table_id and table_id not in dict(available_cost_standards(fiscal_year)):
        raise UserFacingError(f"没有编号为“{table_id}”的支出标准表。")
    fiscal_year.cost_standards = table_id
    fiscal_year.save(update_fields=["cost_standards"])


def store_cost_standards(
    fiscal_year: m.FiscalYear, standards: CostStandards, user_name: str = ""
) -> m.CostStandardTable:
    """Keep ``standards`` for the year (replacing a table of the same id) and use it."""
    with transaction.atomic():
        table, _ = m.CostStandardTable.objects.update_or_create(
            fiscal_year=fiscal_year,
            table_id=standards.id,
            defaults={
                "name": standards.name,
                "document": standards_document(standards),
                "imported_by_name": user_name,
            },
        )
        fiscal_year.cost_standards = standards.id
        fiscal_year.save(update_fields=["cost_standards"])
    return table


def import_cost_standards(
    fiscal_year: m.FiscalYear, path: Path, user_name: str = ""
) -> m.CostStandardTable:
    """A standards workbook (库信息 and 支出标准 sheets, amounts in 元) stored for the year
    and chosen; InputRejected naming every bad cell, nothing stored."""
    from jixiao.interchange.rule_workbooks import read_standards_workbook  # openpyxl: slow

    return store_cost_standards(fiscal_year, read_standards_workbook(path), user_name)


def write_year_standards(fiscal_year: m.FiscalYear, path: Path) -> Path:
    """The year's table (or, when it names none, the first it may choose) as a workbook to
    edit and import again."""
    from jixiao.interchange.rule_workbooks import write_standards_workbook  # openpyxl: slow

    standards = year_cost_standards(fiscal_year)
    if standards is None:
        first = available_cost_standards(fiscal_year)[0][0]
        standards = shipped_cost_standards(first)
    return write_standards_workbook(standards, path)
