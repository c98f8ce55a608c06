"""How many decimals a cell shows: from its number format (numbers) or its text.

``PrintedPlaces.of(path)`` reads the number formats of an .xlsx file's numeric cells
(calamine gives values only); other formats have none, and a number is then taken as Excel's
General format shows it. ``places(sheet, raw, row, col, percent=None)`` answers:

- text: the decimals written (“86%” → 0, “8.62” → 2);
- a number under a format: the decimals of the format (“0.00” → 2, “#,##0” → 0, “0.0%” → 1);
- a number under General: the decimals of the value (9.29 → 2, 10 → 0).

For a percentage (``percent`` given) the answer is in percentage points: a fraction 0.9287
shown by General or “0.0000” has 4 decimals as a fraction, 2 as points; a “0%” cell shows
points directly. A cell read as points (a column headed “（%）”) is given ``points``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao.core.printed_precision import places_in_text
from jixiao.interchange.excel.cells import PercentMeaning
from jixiao.interchange.excel.workbook import CellValue, sniff_format

MAX_ROWS = 2000
MAX_COLUMNS = 64
"""Forms are small: formats are read for the first rows and columns of each sheet only."""
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_GENERAL = "general"


@dataclass(frozen=True)
class Format:
    places: int
    percent: bool


def format_places(number_format: str) -> Format | None:
    """The decimals and the % of a number format's first section; None for General."""
    section = _QUOTED.sub("", number_format.split(";", 1)[0])
    if not section.strip() or section.strip().lower() == _GENERAL or "@" in section:
        return None
    percent = "%" in section
    match = re.search(r"[0#?]\.([0#?]*)", section) or re.search(r"^\.([0#?]+)", section)
    places = len(match.group(1)) if match else 0
    return Format(places, percent)


def _value_places(raw: float | int) -> int:
    if isinstance(raw, int):
        return 0
    text = format(Decimal(repr(raw)).normalize(), "f")
    return len(text.split(".", 1)[1]) if "." in text else 0


@dataclass
class PrintedPlaces:
    """The number formats of one workbook's numeric cells, by sheet and 0-based position."""

    formats: dict[str, dict[tuple[int, int], Format | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, path: Path) -> PrintedPlaces:
        try:
            if sniff_format(path) != "xlsx":
                return cls()
            return cls(_xlsx_formats(path))
        except Exception:  # formats only refine the comparison: they never fail a review
            return cls()

    def places(
        self,
        sheet: str,
        raw: CellValue,
        row: int,
        col: int,
        percent: PercentMeaning | None = None,
    ) -> int | None:
        """Decimals shown by the cell (in percentage points for a percentage)."""
        if isinstance(raw, str):
            return places_in_text(raw)
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None
        shown = self.formats.get(sheet, {}).get((row, col))
        if shown is not None:
            if percent is None or shown.percent or percent is PercentMeaning.points:
                return shown.places
            return max(shown.places - 2, 0)
        places = _value_places(raw)
        if percent is PercentMeaning.fraction:
            return max(places - 2, 0)
        return places


    def at(self, where: str, raw: CellValue, percent: PercentMeaning | None = None) -> int | None:
        """``places`` for a cell named as problems name it (“项目A!G12”)."""
        sheet, _, ref = where.rpartition("!")
        match = _REF.match(ref)
        if not match:
            return self.places(sheet, raw, -1, -1, percent)
        letters, number = match.groups()
        col = 0
        for letter in letters:
            col = col * 26 + ord(letter) - ord("A") + 1
        return self.places(sheet, raw, int(number) - 1, col - 1, percent)


_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _xlsx_formats(path: Path) -> dict[str, dict[tuple[int, int], Format | None]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    with zipfile.ZipFile(path):  # a broken archive is refused before openpyxl parses it
        pass
    book = load_workbook(path, read_only=True, data_only=True)
    found: dict[str, dict[tuple[int, int], Format | None]] = {}
    try:
        for sheet in book.worksheets:
            cells: dict[tuple[int, int], Format | None] = {}
            for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS):
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        continue
                    shown = format_places(str(cell.number_format or ""))
                    if shown is not None:
                        cells[(cell.row - 1, cell.column - 1)] = shown
            found[sheet.title] = cells
    finally:
        book.close()
    return found


__all__ = ["Format", "PrintedPlaces", "format_places"]
