"""What every workbook jixiao writes for people does alike, so that it looks like the forms a
财政局 hands out: sheet names Excel accepts; 宋体 (SimSun) throughout, titles bold and larger;
landscape A4 one page wide with the header rows repeated on every page and "第 N 页，共 M
页" in the footer; rows tall enough for their wrapped text; 红灯/黄灯/绿灯 cells filled in
their colour; and the 填报单位（盖章） / 填报人 / 联系电话 / 填报日期 line at the foot.

Text addressed to the person preparing the forms (warnings, rule-set ids, requests to
complete or check) belongs on a 审核意见 sheet, never on a sheet meant for submission:
``for_preparer`` tells such text apart.
"""

from __future__ import annotations

import io
import math
import re
import stat
import time
import unicodedata
import weakref
from collections.abc import Sequence
from copy import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.cell.cell import Cell  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Font,
    PatternFill,
    Protection,
)
from openpyxl.worksheet._writer import WorksheetWriter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31

FONT_NAME = "SimSun"
"""宋体: Excel and WPS list it under its Chinese name; a file names it once, by this name."""
BODY_SIZE = 11
SMALL_SIZE = 10
TITLE_SIZE = 16
PAGE_FOOTER = "第 &P 页，共 &N 页"
"""The footer's page numbers: Excel's codes for this page (&P) and the number of pages (&N)."""
REVIEW_SHEET = "审核意见"
REVIEW_NOTICE = "（供编制人员审核，不报送）"

_LINE_POINTS = {SMALL_SIZE: 13.5, BODY_SIZE: 15.0}
_ROW_PADDING = 3.0

_PREPARER_TEXT = re.compile(
    r"【警告】|【错误】|请补充|请核实|mof-20\d\d-(?:dept|project)|monitoring-[a-z0-9][a-z0-9-]*"
)

LIGHT_COLOURS = {
    "红灯": ("FF0000", "FFFFFF"),
    "黄灯": ("FFFF00", "000000"),
    "绿灯": ("00B050", "FFFFFF"),
}
"""Fill and font colour of each light: Excel's standard red, yellow and green, with the font
that reads on it."""


def save_workbook(workbook: Any, path: Path) -> None:
    """Write ``workbook`` to ``path`` as ``Workbook.save`` does, the same parts in the same
    order, but each worksheet's XML made in memory.

    openpyxl writes every worksheet to a temporary file, copies it into the zip and
    removes it: on a disk that syncs the removal, a few milliseconds of waiting per sheet,
    which for a department's twenty-odd sheets took longer than writing them."""
    workbook.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        _SheetsInMemory(workbook, archive).write_data()


class _SheetsInMemory(ExcelWriter):  # type: ignore[misc]
    def write_worksheet(self, ws: Worksheet) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        from openpyxl.drawing.spreadsheet_drawing import (  # type: ignore[import-untyped]
            SpreadsheetDrawing,
        )

        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out)
        writer.write()
        ws._rels = writer._rels
        # the entry a temporary file would have given: a regular file, read-write
        entry = ZipInfo(ws.path[1:], date_time=time.localtime()[:6])
        entry.compress_type = ZIP_DEFLATED
        entry.external_attr = (stat.S_IFREG | 0o600) << 16
        self._archive.writestr(entry, out.getvalue())
        self.manifest.append(ws)


def merge_cells(
    sheet: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int
) -> None:
    """``sheet.merge_cells`` for a range whose top-left cell has no border and the default
    protection, as the forms merge before they draw borders.

    openpyxl then copies the top-left cell's borders to the range's edges (there are none)
    and its protection to every cell of the range, one style look-up each (the default
    again): a tenth of writing a department's tables. Here only the merged cells are made;
    a top-left cell with a border or a protection is merged by openpyxl as before."""
    from openpyxl.cell.cell import MergedCell  # type: ignore[import-untyped]
    from openpyxl.worksheet.cell_range import CellRange  # type: ignore[import-untyped]
    from openpyxl.worksheet.merge import MergedCellRange  # type: ignore[import-untyped]

    coord = CellRange(
        min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row
    ).coord
    merged = MergedCellRange(sheet, coord)
    start = merged.start_cell._style  # None: never styled
    if start is not None and (start.borderId or start.protectionId):
        sheet.merge_cells(coord)
        return
    sheet.merged_cells.add(merged)
    cells = merged.cells
    next(cells)  # the top-left cell keeps its value and style
    for row, column in cells:
        sheet._cells[row, column] = MergedCell(sheet, row, column)


_STYLE_INDICES: weakref.WeakKeyDictionary[Any, dict[tuple[object, ...], tuple[Any, ...]]] = (
    weakref.WeakKeyDictionary()
)
"""Per workbook: a style (the ids of its parts) → the style indices of the first cell given it,
and the parts themselves, kept so that their ids stay theirs while the workbook lives."""


def styled(
    cell: Cell,
    *,
    font: Font | None = None,
    alignment: Alignment | None = None,
    border: Any = None,
    number_format: str | None = None,
    quote_prefix: bool = False,
) -> None:
    """Give a cell not styled yet these style parts, as assigning each would.

    openpyxl hashes a style object field by field on every assignment to find its index in
    the workbook; for a city's batch that hashing took a third of writing its workbooks. The
    first cell of a style is assigned part by part; later ones take a copy of its indices.
    """
    parts = (font, alignment, border, number_format, quote_prefix)
    key = tuple(id(part) for part in parts[:3]) + parts[3:]
    known = _STYLE_INDICES.setdefault(cell.parent.parent, {})
    found = known.get(key)
    if found is not None:
        cell._style = copy(found[0])
        return
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    if number_format is not None:
        cell.number_format = number_format
    if quote_prefix:
        cell.quotePrefix = True
    known[key] = (copy(cell._style), *parts)


def name_workbook(book: Any, title: str) -> None:
    """The file's properties: its title, and jixiao as the author (not openpyxl's default)."""
    book.properties.creator = "jixiao"
    book.properties.lastModifiedBy = "jixiao"
    book.properties.title = title


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook
    (``taken``, to which it is added)."""
    base = _SHEET_NAME_BAD.sub("_", text).strip("'")[:SHEET_NAME_LENGTH] or "Sheet"
    name, number = base, 2
    while name in taken:
        suffix = f"_{number}"
        name, number = f"{base[: SHEET_NAME_LENGTH - len(suffix)]}{suffix}", number + 1
    taken.add(name)
    return name


def form_font(*, bold: bool = False, size: float = BODY_SIZE, colour: str | None = None) -> Font:
    """宋体 at ``size`` points."""
    return Font(name=FONT_NAME, size=size, bold=bold, color=colour)


def title_font() -> Font:
    return form_font(bold=True, size=TITLE_SIZE)


def print_landscape_a4(sheet: Worksheet) -> None:
    """Print on landscape A4, one page wide and as many pages long as it takes, with the
    page numbers in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # write-only sheets lack the name
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    footer = sheet.oddFooter.center
    footer.text = PAGE_FOOTER
    footer.font = f"{FONT_NAME},Regular"
    footer.size = SMALL_SIZE


def print_form(sheet: Worksheet, title_rows: tuple[int, int] | None) -> None:
    """A form's printing: landscape A4 one page wide, centred, page numbers in the footer,
    and rows ``title_rows`` (first, last) repeated at the top of every printed page."""
    print_landscape_a4(sheet)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.footer = 0.3
    if title_rows is not None:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


class _CharWidths(dict[str, int]):
    """Each character's width, looked up in the Unicode tables once per process."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def display_width(text: str) -> int:
    """Width in column units: CJK and full-width characters count two, others one."""
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def lines_needed(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a cell ``width`` column units wide (one unit is kept for the
    cell's inner margins)."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    """Points a row needs to show ``lines`` lines of text at ``size`` points."""
    per_line = _LINE_POINTS.get(int(size), size * 1.36)
    return round(per_line * max(lines, 1) + _ROW_PADDING, 1)


def paint_light(cell: Cell) -> None:
    """Fill a 红灯/黄灯/绿灯 cell in its colour (other cells are left as they are)."""
    colours = LIGHT_COLOURS.get(str(cell.value or ""))
    if colours is None:
        return
    fill, font = colours
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = form_font(bold=True, size=cell.font.sz or BODY_SIZE, colour=font)


def for_preparer(text: str) -> bool:
    """True when ``text`` is addressed to the person preparing the forms (a warning, a rule-set
    id, a request to complete or check): it goes to 审核意见, not on a form."""
    return _PREPARER_TEXT.search(text) is not None


def date_blanks(day: date | None) -> str:
    """填报日期 as the forms print it: the date, or blanks to write it in by hand."""
    if day is None:
        return "____ 年 __ 月 __ 日"
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def signature_line(department: str, prepared_on: date | None = None) -> str:
    """The line at the foot of a form: who fills it in, who to call, and when."""
    return (
        f"填报单位（盖章）：{department}    填报人：________    联系电话：________    "
        f"填报日期：{date_blanks(prepared_on)}"
    )


def write_signature(
    sheet: Worksheet,
    row: int,
    widths: Sequence[float],
    department: str,
    prepared_on: date | None = None,
) -> None:
    """The signature line in ``row``, merged across the form's columns (``widths``), without
    borders, open to fill in."""
    text = signature_line(department, prepared_on)
    cell = sheet.cell(row=row, column=1)
    cell.value = text
    cell.data_type = "s"
    cell.font = form_font()
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    cell.protection = Protection(locked=False)  # filled in by hand on a protected template
    if len(widths) > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    sheet.row_dimensions[row].height = row_height(lines_needed(text, sum(widths))) + 6
