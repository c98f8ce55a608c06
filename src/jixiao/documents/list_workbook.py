"""A list a clerk reads on a page, as a workbook: one sheet per list, a title row, a header
row, one row per entry and, where the list has amounts, a 合计 row.

Every export of the web's lists (预算与支出, 整改, 一致性检查与监控发现, 待办) goes through
``list_workbook``, so they look alike and like the forms jixiao writes (``sheet_setup``):
宋体 throughout, the title bold and larger, landscape A4 one page wide with the header
repeated on every printed page.

Amounts are given in 元 (``Decimal``) and written in 万元 rounded half-up to two decimals,
as numbers with the format ``#,##0.00``; the 合计 is the exact sum of the rows' 元, rounded
once (as the reports print it: a cent between it and the sum of the rounded rows is the
rounding, not an error), or the totals the list gives (a rate of the totals). Text is
written as text, never as a formula: an entry typed as ``=HYPERLINK(…)`` stays the text it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from jixiao.core.money import ZERO, round_half_up, yuan_to_wan
from jixiao.documents.sheet_setup import (
    form_font,
    lines_needed,
    name_workbook,
    print_form,
    row_height,
    sheet_name,
    title_font,
)

TOTAL_LABEL = "合计"
WAN_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class Kind(Enum):
    text = "text"
    wan = "wan"
    """An amount in 元, written in 万元 with two decimals and summed in the 合计 row."""
    number = "number"
    percent = "percent"
    """A rate (0.7493), written as 74.93%."""
    date = "date"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.text
    width: float = 14


@dataclass(frozen=True)
class ListSheet:
    """One list: its sheet's name, the title above it, its columns and its rows."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    note: str = ""
    """A line under the table (the filters applied, what the list leaves out)."""
    totals: Sequence[Any] | None = None
    """The 合计 row after its label, one value per further column; None: the sums of the
    amount columns."""


def _value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind is Kind.wan:
        return round_half_up(yuan_to_wan(Decimal(value)))
    if kind is Kind.date and isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if kind in (Kind.number, Kind.percent, Kind.date):
        return value
    return str(value)


def _write_cell(sheet: Worksheet, row: int, column: int, kind: Kind, value: Any) -> None:
    cell = sheet.cell(row=row, column=column)
    written = _value(kind, value)
    cell.value = written
    if isinstance(written, str):
        cell.data_type = "s"  # text, even when it starts with "="
    cell.font = form_font()
    cell.border = _BORDER
    if kind is Kind.wan:
        cell.number_format = WAN_FORMAT
    elif kind is Kind.percent:
        cell.number_format = PERCENT_FORMAT
    elif kind is Kind.date and written is not None:
        cell.number_format = DATE_FORMAT
    horizontal = "right" if kind in (Kind.wan, Kind.number, Kind.percent) else "left"
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


def _write_sheet(sheet: Worksheet, listed: ListSheet) -> None:
    width = len(listed.columns)
    title = sheet.cell(row=1, column=1, value=listed.title)
    title.data_type = "s"
    title.font = title_font()
    title.alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 28
    for number, column in enumerate(listed.columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
        cell = sheet.cell(row=2, column=number, value=column.header)
        cell.font = form_font(bold=True)
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _fit_height(sheet, 2, ((column.width, column.header) for column in listed.columns))
    row_number = 2
    for row_number, row in enumerate(listed.rows, start=3):
        for number, (column, value) in enumerate(zip(listed.columns, row, strict=True), start=1):
            _write_cell(sheet, row_number, number, column.kind, value)
        _fit_height(
            sheet,
            row_number,
            (
                (c.width, value)
                for c, value in zip(listed.columns, row, strict=True)
                if c.kind is Kind.text
            ),
        )  # figures keep to one line
    totals = _totals(listed)
    if totals is not None:
        row_number += 1
        _write_cell(sheet, row_number, 1, Kind.text, TOTAL_LABEL)
        for number, (column, value) in enumerate(
            zip(listed.columns[1:], totals, strict=True), start=2
        ):
            _write_cell(sheet, row_number, number, column.kind, value)
        for number in range(1, width + 1):
            sheet.cell(row=row_number, column=number).font = form_font(bold=True)
    if listed.note:
        note = sheet.cell(row=row_number + 2, column=1, value=listed.note)
        note.data_type = "s"
        note.font = form_font()
        note.alignment = Alignment(vertical="top", wrap_text=True)
        if width > 1:
            sheet.merge_cells(
                start_row=row_number + 2, start_column=1, end_row=row_number + 2, end_column=width
            )
        total_width = sum(column.width for column in listed.columns)
        sheet.row_dimensions[row_number + 2].height = row_height(
            lines_needed(listed.note, total_width)
        )
    sheet.freeze_panes = "A3"
    print_form(sheet, (1, 2))


def _fit_height(sheet: Worksheet, row: int, texts: Iterable[tuple[float, Any]]) -> None:
    """A row tall enough for its most wrapped text (``texts``: column width, value)."""
    lines = max(
        (lines_needed(str(value), width) for width, value in texts if value not in (None, "")),
        default=1,
    )
    if lines > 1:
        sheet.row_dimensions[row].height = row_height(lines)


def _totals(listed: ListSheet) -> Sequence[Any] | None:
    if listed.totals is not None:
        return listed.totals
    if not listed.rows or not any(column.kind is Kind.wan for column in listed.columns):
        return None
    return [
        sum((Decimal(row[index]) for row in listed.rows if row[index] is not None), ZERO)
        if column.kind is Kind.wan
        else None
        for index, column in enumerate(listed.columns)
        if index > 0
    ]


def list_workbook(sheets: Sequence[ListSheet]) -> bytes:
    """The lists as one workbook, a sheet each, in the order given."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for listed in sheets:
        _write_sheet(book.create_sheet(sheet_name(listed.name, taken)), listed)
    if sheets:
        name_workbook(book, sheets[0].title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_title(department: str, year: int, what: str, on: date) -> str:
    """The title row of an export: whose list, of which year, as of which day."""
    return f"{department}{year}年度{what}（{on.year}年{on.month}月{on.day}日导出）"
