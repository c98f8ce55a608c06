"""What every workbook jixiao writes does alike: sheet names Excel accepts, and printing
on landscape A4, one page wide."""

from __future__ import annotations

import re

from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31


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


def print_landscape_a4(sheet: Worksheet) -> None:
    """Print on landscape A4, one page wide and as many pages long as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
