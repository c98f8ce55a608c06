"""A 部门整体 基础信息表 in an imported workbook, stored with the year it names.

The sheet is read as ``jixiao review`` reads it (``department_basics``); only 上年数 and
本年数 are stored (增减额 and 增减率 are computed and checked, not kept). The table replaces
the stored one as a whole, in the import's transaction; a cell that cannot be read refuses
the import at its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.core.year_over_year import Column, Figure
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel.department_basics import BasicsTable, basics_tables, is_basics_sheet
from jixiao.interchange.excel.planning import Change
from jixiao.interchange.excel.printed_places import PrintedPlaces
from jixiao.interchange.excel.workbook import Workbook
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services.storing import store_basics
from jixiao.storage import models as m

WHAT = "基础信息表"


def planned_basics(workbook: Workbook) -> Planned | None:
    """The workbook's 基础信息表: its sheet and its rows (None: the workbook has none); raise
    InputRejected naming every cell that cannot be read, or a second such table."""
    tables = basics_tables(workbook, PrintedPlaces())
    if not tables:
        return None
    problems = [problem for table in tables for problem in table.problems]
    problems += [
        Problem(table.sheet, f"工作簿中有多张基础信息表，已读取“{tables[0].sheet}”，请只保留一张")
        for table in tables[1:]
    ]
    if problems:
        raise InputRejected(problems)
    return tables[0].sheet, _dataset_rows(tables[0])


Planned = tuple[str, list[ds.BasicsRow]]
"""A workbook's 基础信息表: its sheet's name and its rows."""


def basics_change(planned: Planned | None, before: ds.Dataset) -> Change | None:
    """The change importing the planned table makes; None when there is none or it is the same."""
    if planned is None or planned[1] == before.basics:
        return None
    sheet, rows = planned
    return Change("changed" if before.basics else "added", WHAT, f"{len(rows)}行", sheet)


def only_basics(workbook: Workbook) -> bool:
    """The workbook holds a 基础信息表 and nothing else to import (blank sheets aside)."""
    sheets = [sheet for sheet in workbook.sheets if sheet.height > 0]
    return bool(sheets) and all(is_basics_sheet(sheet) for sheet in sheets)


def write_basics(fiscal_year: m.FiscalYear, rows: Sequence[ds.BasicsRow]) -> None:
    m.BasicsRow.objects.filter(fiscal_year=fiscal_year).delete()
    store_basics(fiscal_year, list(rows))


def _dataset_rows(table: BasicsTable) -> list[ds.BasicsRow]:
    return [
        ds.BasicsRow(
            label=row.label,
            unit=row.unit or "万元",
            last_year=_value(row.figure(Column.last_year)),
            this_year=_value(row.figure(Column.this_year)),
            part_of=table.rows[row.part_of].label if row.part_of is not None else None,
        )
        for row in table.rows
    ]


def _value(figure: Figure) -> Decimal | str | None:
    if not figure.published:
        return ds.UNPUBLISHED
    if figure.value is None:
        return None
    if figure.places is None:
        return figure.value
    return figure.value.quantize(Decimal(1).scaleb(-figure.places))
