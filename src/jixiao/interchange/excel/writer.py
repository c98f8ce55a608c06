"""Writing workbooks in the template layout: templates and exports share this writer.

Layout of every data sheet (rows 1-based):

====  =====================================================================
1     title, e.g. “2024年度 预算与执行”
2     部门代码 | value
3     部门名称 | value
4     年度     | value
5     单位：万元  (a dropdown: 单位：万元 / 单位：元)
6     the header (locked, bold, shaded)
7…    data rows, the 合计 row of an export (locked), then blank rows ready to fill (unlocked)
last  填报单位（盖章） / 填报人 / 联系电话 / 填报日期 (the import skips it, as it skips 注 rows)
====  =====================================================================

Cells are in 宋体; sheets print on landscape A4 one page wide, the header row repeated on
every page and the page numbers in the footer.

Sheets are protected without a password (against slips, not people): header and labels
are locked, the value cells unlocked; rows may be inserted, deleted, sorted and filtered.
Dropdowns (data validation) for 资金来源, 支出性质, 基本支出类别 and 退款. Amounts are
numbers formatted ``#,##0.00``, rates numbers formatted ``0.00%``, dates real dates, codes
text (``@``, so 001 stays 001). A text value that begins with ``= + - @`` (or a tab or
carriage return) is written as a string cell with Excel's quote prefix, so it is never a
formula, not even after the cell is edited. Workbooks are written in openpyxl's write-only
mode (a 100,000-row ledger streams to disk).

The first sheet is 说明 (instructions): what each column means and how the import reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Border,
    PatternFill,
    Protection,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from jixiao.core.vocabulary import AmountUnit
from jixiao.documents.sheet_setup import (
    BODY_SIZE,
    form_font,
    lines_needed,
    print_landscape_a4,
    row_height,
    signature_line,
)
from jixiao.interchange.excel.cells import (
    BASIC_KINDS,
    FUNDING_SOURCES,
    NATURES,
    read_amount,
    read_code,
    read_date,
    read_percent,
    read_yes_no,
)
from jixiao.interchange.excel.headers import Column, TableSpec

HEADER_ROW = 6
FIRST_DATA_ROW = HEADER_ROW + 1
UNIT_CELL = "A5"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_TOP_LEFT = Alignment(wrap_text=True, vertical="top")
_FONT = form_font()
_TEXT = Alignment(wrap_text=True, vertical="center")
_NUMBER = Alignment(vertical="center")
_TITLE = Alignment(horizontal="center", vertical="center")


@dataclass(frozen=True)
class Meta:
    """The labelled cells above the table; None leaves a blank to fill."""

    department_code: str | None = None
    department_name: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class SheetContent:
    """One data sheet to write."""

    name: str
    spec: TableSpec
    heading: str
    unit: AmountUnit
    rows: Iterable[Mapping[str, Any]]
    """Values by column key (amounts in ``unit``, rates as fractions)."""
    blank_rows: int = 200
    total: Mapping[str, Any] | None = None
    """The 合计 row under the rows, by column key (figures computed as the rows' are);
    None: no 合计 row. The import skips it like any 合计 row."""


def column_format(column: Column) -> str | None:
    if column.read is read_amount:
        return "#,##0.00"
    if column.read is read_percent:
        return "0.00%"
    if column.read is read_date:
        return "yyyy-mm-dd"
    if column.read is read_code:
        return "@"
    return None


def _choices(column: Column) -> list[str] | None:
    if column.read == FUNDING_SOURCES.read:
        return FUNDING_SOURCES.options
    if column.read == NATURES.read:
        return NATURES.options
    if column.read == BASIC_KINDS.read:
        return BASIC_KINDS.options
    if column.read is read_yes_no:
        return ["是", "否"]
    return None


def _width(column: Column) -> float:
    if column.key in ("name", "project_name", "description", "reason", "over_budget_explanation"):
        return 30
    if column.read == FUNDING_SOURCES.read:
        return 26
    return max(10.0, len(column.label) * 2.2 + 2)


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def data_cell(ws: WriteOnlyWorksheet, value: Any, number_format: str | None) -> WriteOnlyCell:
    """An unlocked value cell; text that looks like a formula stays text."""
    if isinstance(value, Decimal) and not value.is_finite():  # pragma: no cover - never stored
        value = None
    cell = WriteOnlyCell(ws, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format and not (number_format == "@" and not isinstance(value, str | None)):
        cell.number_format = number_format
    cell.protection = _UNLOCKED
    cell.border = _BORDER
    cell.font = _FONT
    cell.alignment = _TEXT if isinstance(value, str) else _NUMBER
    return cell


def _text_cell(
    ws: WriteOnlyWorksheet, value: str, *, bold: bool = False, size: int = BODY_SIZE
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.font = form_font(bold=bold, size=size)
    cell.protection = _LOCKED
    return cell


def _page(ws: WriteOnlyWorksheet) -> None:
    """Print landscape, all columns on one page width, pages numbered in the footer."""
    print_landscape_a4(ws)


def _protect(ws: WriteOnlyWorksheet) -> None:
    protection = ws.protection
    protection.sheet = True
    protection.insertRows = False
    protection.deleteRows = False
    protection.sort = False
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _validation(choices: Sequence[str], area: str, what: str) -> DataValidation:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从下拉列表中选择",
        error=f"{what}只能是：{'、'.join(choices)}",
    )
    validation.add(area)
    return validation


def write_data_sheet(book: Workbook, content: SheetContent, meta: Meta) -> None:
    ws: WriteOnlyWorksheet = book.create_sheet(content.name)
    columns = content.spec.columns
    last = get_column_letter(len(columns))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width(column)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _page(ws)
    ws.merged_cells.ranges.add(f"A1:{last}1")
    heading = _text_cell(ws, content.heading, bold=True, size=14)
    heading.alignment = _TITLE
    ws.append([heading])
    for label, value in (
        ("部门代码", meta.department_code),
        ("部门名称", meta.department_name),
        ("年度", meta.year),
    ):
        number_format = "0" if label == "年度" else "@"
        value_cell = data_cell(ws, value, number_format)
        value_cell.alignment = _NUMBER  # one line, running on over the empty cells beside
        ws.append([_text_cell(ws, label, bold=True), value_cell])
    unit_cell = data_cell(ws, f"单位：{content.unit.value}", None)
    unit_cell.border = Border()
    unit_cell.alignment = _NUMBER
    ws.append([unit_cell])
    header = []
    for column in columns:
        cell = _text_cell(ws, column.label, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _WRAP
        header.append(cell)
    ws.append(header)
    formats = [column_format(column) for column in columns]
    widths = [_width(column) for column in columns]
    written = 0
    for values in content.rows:
        written += 1
        row = [values.get(c.key) for c in columns]
        lines = _wrapped_lines(row, widths)
        if lines > 1:  # a row is as tall as its longest text (no spreadsheet sizes them)
            ws.row_dimensions[HEADER_ROW + written].height = row_height(lines)
        ws.append([data_cell(ws, value, f) for value, f in zip(row, formats, strict=True)])
    if content.total is not None:
        ws.append(_total_cells(ws, columns, formats, content.total))
        written += 1
    for _ in range(content.blank_rows):
        ws.append([data_cell(ws, None, f) for f in formats])
    end = FIRST_DATA_ROW + written + content.blank_rows - 1
    _signature(ws, end + 2, widths, meta)
    ws.data_validations.append(_validation(["单位：万元", "单位：元"], UNIT_CELL, "金额单位"))
    for index, column in enumerate(columns, start=1):
        choices = _choices(column)
        if choices:
            letter = get_column_letter(index)
            area = f"{letter}{FIRST_DATA_ROW}:{letter}{max(end, FIRST_DATA_ROW)}"
            ws.data_validations.append(_validation(choices, area, column.label))
    _protect(ws)


def _wrapped_lines(values: Sequence[Any], widths: Sequence[float]) -> int:
    """Lines the row's longest text wraps to (a short text is one line, without measuring)."""
    return max(
        (
            lines_needed(value, width)
            for value, width in zip(values, widths, strict=True)
            if isinstance(value, str) and len(value) * 2 >= width - 1
        ),
        default=1,
    )


def _total_cells(
    ws: WriteOnlyWorksheet,
    columns: Sequence[Column],
    formats: Sequence[str | None],
    total: Mapping[str, Any],
) -> list[WriteOnlyCell]:
    """The 合计 row: the label in the first column, bold and locked."""
    cells = []
    for index, (column, number_format) in enumerate(zip(columns, formats, strict=True)):
        cell = data_cell(ws, "合计" if index == 0 else total.get(column.key), number_format)
        cell.font = form_font(bold=True)
        cell.protection = _LOCKED
        cells.append(cell)
    return cells


def _signature(ws: WriteOnlyWorksheet, row: int, widths: Sequence[float], meta: Meta) -> None:
    """The 填报单位 line at ``row`` (after one blank row), merged across the table; open to
    fill in on a protected sheet."""
    text = signature_line(meta.department_name or "")
    cell = _text_cell(ws, text)
    cell.protection = _UNLOCKED
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = row_height(lines_needed(text, sum(widths)))
    ws.merged_cells.ranges.add(f"A{row}:{get_column_letter(len(widths))}{row}")
    ws.append([])
    ws.append([cell])


def write_instructions(
    book: Workbook, title: str, lines: Sequence[str], specs: Sequence[tuple[str, TableSpec]]
) -> None:
    ws: WriteOnlyWorksheet = book.create_sheet("说明")
    widths = (18, 90, 8)
    for letter, width in zip("ABC", widths, strict=True):
        ws.column_dimensions[letter].width = width
    _page(ws)
    heading = _text_cell(ws, f"{title} 填表说明", bold=True, size=14)
    heading.alignment = _TITLE
    ws.merged_cells.ranges.add(f"A1:{get_column_letter(len(widths))}1")
    rows: list[list[WriteOnlyCell | None]] = [[heading], []]
    for line in lines:
        cell = _text_cell(ws, line)
        cell.alignment = _TOP_LEFT
        rows.append([None, cell])
    for sheet_name, spec in specs:
        rows.append([])
        rows.append([_text_cell(ws, f"“{sheet_name}”表各列", bold=True)])
        rows.append([_text_cell(ws, "列名", bold=True), _text_cell(ws, "填写要求", bold=True),
                     _text_cell(ws, "必填", bold=True)])  # fmt: skip
        for column in spec.columns:
            note = column.note
            if column.synonyms:
                also = "、".join(column.synonyms)
                note = f"{note}（也认：{also}）" if note else f"也认：{also}"
            cells = [_text_cell(ws, column.label), _text_cell(ws, note),
                     _text_cell(ws, "是" if column.required else "")]  # fmt: skip
            for cell in cells:
                cell.alignment = _TOP_LEFT
            rows.append(cells)
    for number, row in enumerate(rows, start=1):
        line_counts = [
            lines_needed(str(cell.value), width)
            for cell, width in zip(row, widths, strict=False)
            if cell is not None and cell.alignment.wrap_text and cell.value
        ]
        if line_counts:  # wrapped text: rows as tall as their lines (no spreadsheet sizes them)
            ws.row_dimensions[number].height = row_height(max(line_counts))
    for row in rows:
        ws.append(row)
    _protect(ws)


def save(book: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def new_book() -> Workbook:
    return Workbook(write_only=True)
