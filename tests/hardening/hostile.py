"""A small set of hostile files, built in the tests in the spirit of the ones that once
exhausted memory or ended in an internal error: each must be refused (exit 2, a located
Chinese message) or read and reported without error, under a memory ceiling."""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook


def jixiao_command(home: Path, *args: str | Path) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of ``jixiao ARGS`` in a subprocess with its own
    SQLite database in ``home`` (whatever the test run's own settings are)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.pop("DATABASE_URL", None)
    env["JIXIAO_HOME"] = str(home)
    return [sys.executable, "-m", "jixiao.cli", *map(str, args)], env


ALIAS_BOMB = "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 14)]
)


def _rewrite_sheets(path: Path, change: Callable[[str], str]) -> Path:
    """Rewrite every worksheet's XML of an .xlsx in place."""
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                data = change(data.decode("utf-8")).encode("utf-8")
            archive.writestr(name, data)
    return path


def merge_everything(path: Path) -> Path:
    """Every sheet declares one merged range over the whole grid, A1:XFD1048576."""

    def change(xml: str) -> str:
        xml = re.sub(r"<mergeCells[^>]*>.*?</mergeCells>|<mergeCells[^>]*/>", "", xml, flags=re.S)
        merge = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        return xml.replace("</sheetData>", "</sheetData>" + merge, 1)

    return _rewrite_sheets(path, change)


def declare_rows(path: Path, rows: int) -> Path:
    """Every sheet's dimension claims ``rows`` rows."""
    return _rewrite_sheets(
        path, lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:H{rows}"', xml)
    )


def tiny_workbook(path: Path, cells: dict[str, object]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def error_cells(path: Path, refs: dict[str, str], sheet: int = 1) -> Path:
    """Put Excel error values (``#DIV/0!``, ``#N/A``) in the given cells of a sheet, as
    Excel stores them: ``t="e"`` with the error text as the cached value; an empty error
    text writes a formula without a cached value."""

    def change(xml: str) -> str:
        for ref, error in refs.items():
            pattern = rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)'
            cached = f"<v>{error}</v>" if error else ""
            kind = ' t="e"' if error else ""
            replacement = f'<c r="{ref}"{kind}><f>1/0</f>{cached}</c>'
            xml, count = re.subn(pattern, replacement, xml, count=1, flags=re.S)
            assert count == 1, ref
        return xml

    members: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    first = f"xl/worksheets/sheet{sheet}.xml"
    members[first] = change(members[first].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
