"""Read a spreadsheet file (.xlsx, .xls, .ods, .csv) into plain sheets of raw cell values.

``read_workbook(path, limits=None) -> Workbook`` is the only entry point. It checks the
limits first (``limits.check_file``: size, zip bomb, declared rows), then reads:

- .xlsx / .xlsm / .xlsb / .xls / .ods with python-calamine (fast, Rust); the format is
  taken from the file's first bytes, not its name (a ``.xls`` that is really .xlsx reads);
  a web page saved under an Excel name (common in exports of government finance systems)
  is refused with advice;
- .csv / .txt / .tsv as text: UTF-8 with or without BOM, else GB18030 (a superset of GBK
  and GB2312); anything else is refused with a Chinese problem. Comma-separated, or
  tab-separated when the first line has tabs and no commas.

A ``Sheet`` holds ``rows``: a list of rows, each a list of raw values, 0-based, position
(0, 0) being cell A1 whatever the first filled cell is. A value is one of ``str``, ``float``
(every number in .xlsx; see ``cells.py`` for how a number becomes an exact Decimal),
``int``, ``bool``, ``datetime.date``, ``datetime.datetime``, ``datetime.time``,
``datetime.timedelta``, or ``None`` for an empty cell. Strings are as typed (not stripped).
CSV cells are all strings or None. Rows may be of different lengths: use
``Sheet.value(row, col)``, which answers None outside the data.

Merged cells are filled from their top-left cell: every cell of a merged range holds the
top-left value (merged ranges are listed in ``Sheet.merged`` too).

``cell_ref(row, col)`` turns a 0-based position into an A1 reference (``cell_ref(0, 0) ==
"A1"``), and ``Sheet.where(row, col)`` into the ``"sheet!A1"`` form every ``Problem`` uses.

Everything that goes wrong is raised as ``InputRejected`` with Chinese problems; no parser
exception escapes.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import Any

import python_calamine

from jixiao.interchange.excel.limits import Limits, check_file, rows_problem
from jixiao.interchange.problems import InputRejected, Problem

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
"""A raw cell value as read (datetime is a subclass of date)."""


class FaultyCell(str):
    """A cell Excel could not compute: an error value (``#DIV/0!``, ``#N/A``, ``#REF!``…) or
    a formula saved without its result. The text is the error or the formula; ``reason``
    says which in Chinese, and every reader of ``cells`` refuses the cell with it."""

    reason: str
    typed: str = ""
    """The formula as typed ("=12个"), when the cell holds one."""

    @classmethod
    def error(cls, code: str, formula: str = "") -> FaultyCell:
        cell = cls(code)
        cell.reason = f"单元格是 Excel 错误值 {code}（公式计算出错），不是有效的值；请修正公式"
        cell.typed = f"={formula}" if formula else ""
        return cell

    @classmethod
    def formula(cls, formula: str) -> FaultyCell:
        shown = formula if len(formula) <= 40 else formula[:37] + "…"
        cell = cls(f"={formula}")
        cell.reason = (
            f"单元格是公式“={shown}”，但文件中没有保存计算结果；"
            "请用 Excel 或 WPS 打开、重新计算并保存后再导入"
        )
        cell.typed = f"={formula}"
        return cell


MergedRange = tuple[int, int, int, int]
"""(first_row, first_col, last_row, last_col), 0-based and inclusive."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_BOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def column_letter(col: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    if col < 0:
        raise ValueError(f"negative column {col}")
    letters = ""
    col += 1
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A 0-based (row, col) as an A1 reference: (4, 2) → "C5"."""
    return f"{column_letter(col)}{row + 1}"


@dataclass(frozen=True, eq=False)
class Sheet:
    """One worksheet: its name and its rows of raw values (0-based, A1 at [0][0])."""

    name: str
    rows: list[list[CellValue]]
    merged: tuple[MergedRange, ...] = ()
    hidden: bool = False
    rest: Callable[[], Iterator[tuple[int, list[CellValue]]]] | None = None
    """A large sheet read row by row (``read_workbook(stream=True)``): ``rows`` holds its
    first ``HEAD_ROWS`` rows only, and ``rest()`` yields (row index, cells) of the others:
    the first time going on from where the head was read, then reading the file again."""
    hidden_rows: frozenset[int] = frozenset()
    """The rows hidden (0-based): in .xlsx (read whole or streamed), .xls and .ods; a CSV
    hides none."""

    def hidden_data_rows(self) -> list[tuple[int, int]]:
        """The hidden rows holding a value of their own (not one merged down into them from
        a row above): (row, its first such column)."""
        spread = {
            (row, col)
            for top, left, bottom, right in self.merged
            for row in range(top + 1, bottom + 1)
            for col in range(left, right + 1)
            if row in self.hidden_rows
        }
        found = []
        for row in sorted(self.hidden_rows):
            cells = self.rows[row] if row < len(self.rows) else []
            col = next(
                (c for c, v in enumerate(cells)
                 if v is not None and str(v).strip() and (row, c) not in spread),
                None,
            )  # fmt: skip
            if col is not None:
                found.append((row, col))
        return found

    def materialized(self) -> Sheet:
        """This sheet with every row in ``rows`` (itself when it is not streamed)."""
        if self.rest is None:
            return self
        rows = list(self.rows)
        for index, cells in self.rest():
            while len(rows) < index:
                rows.append([])
            rows.append(cells)
        return replace(self, rows=rows, rest=None)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def value(self, row: int, col: int) -> CellValue:
        """The raw value at a 0-based position; None outside the data."""
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return None

    def where(self, row: int, col: int) -> str:
        """ "预算与执行!C5" for (4, 2)."""
        return f"{self.name}!{cell_ref(row, col)}"

    def row_where(self, row: int) -> str:
        """ "预算与执行!5" for row 4: a whole row, as change lists name it."""
        return f"{self.name}!{row + 1}"


@dataclass(frozen=True, eq=False)
class Workbook:
    """A file's sheets, in file order."""

    name: str
    format: str
    """ "xlsx", "xls", "xlsb", "ods" or "csv"."""
    sheets: tuple[Sheet, ...]
    encoding: str | None = None
    """CSV only: "utf-8", "utf-8-sig" (with BOM) or "gb18030"."""

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


HEAD_ROWS = 200
"""A streamed sheet's rows kept in ``Sheet.rows``: where titles, labels and headers are."""


def read_workbook(path: Path, limits: Limits | None = None, *, stream: bool = False) -> Workbook:
    """Read every sheet of a file; raise InputRejected (nothing read) on any defect.

    ``stream``: an .xlsx worksheet larger than ``Limits.stream_bytes`` is not read
    whole but row by row as it is used (``Sheet.rest``), in bounded memory; for a caller
    that reads such a sheet once, as an import reads its ledger."""
    limits = limits or Limits.from_env()
    problems = check_file(path, limits)
    if problems:
        raise InputRejected(problems)
    kind = sniff_format(path)
    if kind == "csv":
        return _read_csv(path, limits)
    return _read_with_calamine(path, kind, limits, stream and kind == "xlsx")


def sniff_format(path: Path) -> str:
    """The file's format from its first bytes (and, for text, its name)."""
    name = path.name
    with path.open("rb") as stream:
        head = stream.read(2048)
    if head.startswith(_OLE2):
        return "xls"
    if head.startswith(b"PK"):
        return _zip_format(path)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")) or (
        b"<table" in lowered
    ):
        raise InputRejected(
            [
                Problem(
                    name,
                    "这是网页（HTML/XML）文件，只是扩展名像 Excel 文件"
                    "（财务系统导出的表格常见此情况）；"
                    "请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入",
                )
            ]
        )
    if path.suffix.lower() in _TEXT_SUFFIXES:
        return "csv"
    if path.suffix.lower() in _BOOK_SUFFIXES:  # named a workbook, its content is none
        raise InputRejected(
            [
                Problem(
                    name,
                    f"文件已损坏，无法打开（扩展名是“{path.suffix}”，内容却不是 Excel 工作簿）；"
                    "请用 Excel 或 WPS 打开确认后重新保存",
                )
            ]
        )
    raise InputRejected(
        [
            Problem(
                name,
                f"不认识的文件类型（扩展名“{path.suffix or '无'}”）："
                "请导入 .xlsx、.xls 或 CSV 文件",
            )
        ]
    )


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, EOFError):
        raise InputRejected(
            [Problem(path.name, "文件已损坏，无法打开（压缩包结构有误）")]
        ) from None
    raise InputRejected(
        [Problem(path.name, "这是一个压缩包，但不是 Excel 工作簿（找不到 xl/workbook.xml）")]
    )


def _is_interrupt(error: BaseException) -> bool:
    return isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError)


def _read_with_calamine(path: Path, kind: str, limits: Limits, streamed: bool) -> Workbook:
    with path.open("rb") as stream:
        return _read_stream(stream, path, kind, limits, streamed)


def _read_stream(stream: Any, path: Path, kind: str, limits: Limits, streamed: bool) -> Workbook:
    name = path.name
    try:
        # From the open file, not the path: calamine would pick its reader by the name, and
        # refuse a .xlsx named .xls that ``sniff_format`` has recognised by its content.
        book = python_calamine.CalamineWorkbook.from_filelike(stream)
    except BaseException as error:  # calamine raises its own errors and, rarely, a Rust panic
        if _is_interrupt(error):
            raise
        raise InputRejected([_unreadable(name, kind, error)]) from None
    large = _large_parts(path, limits) if streamed else {}
    faults, hidden_rows = _xlsx_marks(path, set(large)) if kind == "xlsx" else ({}, {})
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    with book:
        for meta in book.sheets_metadata:
            if meta.name in large:
                found = _streamed_sheet(path, large[meta.name], limits)
                if isinstance(found, Problem):
                    problems.append(found)
                else:
                    sheets.append(found)
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                end = sheet.end
                rows_declared = end[0] + 1 if end else 0
                if rows_declared > limits.max_rows:
                    problems.append(rows_problem(meta.name, rows_declared, limits))
                    continue
                raw = sheet.to_python(skip_empty_area=False)
                merged = _clipped(sheet.merged_cell_ranges or [], raw)
            except BaseException as error:
                if _is_interrupt(error):
                    raise
                problems.append(_unreadable(f"{name}（{meta.name}）", kind, error))
                continue
            hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
            rows = _clean(raw, merged)
            _mark_faults(rows, faults.get(meta.name, {}))
            hides = hidden_rows.get(meta.name, _NONE)
            sheets.append(Sheet(meta.name, rows, merged, hidden, hidden_rows=hides))
    if problems:
        raise InputRejected(problems)
    if kind in ("xls", "ods"):
        sheets = _with_hidden_rows(path, kind, sheets)
    return Workbook(name, kind, tuple(sheets))


def _with_hidden_rows(path: Path, kind: str, sheets: list[Sheet]) -> list[Sheet]:
    from jixiao.interchange.excel.hidden_rows import hidden_rows

    found = hidden_rows(path, kind, {sheet.name: sheet.height for sheet in sheets})
    if not found:
        return sheets
    return [replace(s, hidden_rows=found[s.name]) if s.name in found else s for s in sheets]


_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_FORMULA = re.compile(rb"<f[^>]*?(?:/>|>(.*?)</f>)", re.S)
_CACHED = re.compile(rb"<v>(.*?)</v>", re.S)


_Faults = dict[str, dict[tuple[int, int], FaultyCell]]
_NONE: frozenset[int] = frozenset()
_ROW = re.compile(rb"<row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def _xlsx_marks(path: Path, streamed: set[str]) -> tuple[_Faults, dict[str, frozenset[int]]]:
    """Per sheet name (the streamed ones aside: their reader marks them), the cells holding
    an error value or a formula without its result (calamine reads both as empty, which
    would make "#DIV/0!" look like a blank cell), and the hidden rows (calamine does not
    say which are)."""
    from jixiao.interchange.excel.xlsx_rows import sheet_parts  # it imports this module

    found: _Faults = {}
    hidden: dict[str, frozenset[int]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for part in sheet_parts(archive):
                if part.name not in streamed:
                    xml = archive.read(part.member)
                    cells = _sheet_faults(xml)
                    if cells:
                        found[part.name] = cells
                    rows = hidden_row_numbers(xml)
                    if rows:
                        hidden[part.name] = rows
    except (KeyError, zipfile.BadZipFile, OSError, UnicodeDecodeError):
        return {}, {}  # calamine has read the file: a part it does not need is missing
    return found, hidden


def hidden_row_numbers(xml: bytes) -> frozenset[int]:
    """The hidden rows (0-based) of worksheet XML, whole or a piece cut after a tag."""
    if b'hidden="' not in xml:
        return _NONE
    rows = set()
    for attributes in _ROW.findall(xml):
        number = _ROW_NUMBER.search(attributes)
        if number and _HIDDEN.search(attributes):
            rows.add(int(number.group(1)) - 1)
    return frozenset(rows)


def _large_parts(path: Path, limits: Limits) -> dict[str, Any]:
    """The worksheets to stream, by name: parts larger than ``limits.stream_bytes``."""
    from jixiao.interchange.excel.xlsx_rows import sheet_parts  # it imports this module

    try:
        with zipfile.ZipFile(path) as archive:
            return {p.name: p for p in sheet_parts(archive) if p.size > limits.stream_bytes}
    except (KeyError, zipfile.BadZipFile, OSError, UnicodeDecodeError):
        return {}  # read whole, as calamine reads it


_STREAM_ERRORS = (ValueError, IndexError, KeyError, OSError, EOFError, zipfile.BadZipFile,
                  zlib.error, UnicodeDecodeError)  # fmt: skip


def _streamed_sheet(path: Path, part: Any, limits: Limits) -> Sheet | Problem:
    """A large worksheet: its first rows read, the others read as ``Sheet.rest`` is used."""
    from jixiao.interchange.excel import xlsx_rows

    where = f"{path.name}（{part.name}）"
    try:
        with zipfile.ZipFile(path) as archive:
            strings = xlsx_rows.shared_strings(archive)
            styles = xlsx_rows.number_styles(archive)
        survey = xlsx_rows.survey(path, part.member)
    except _STREAM_ERRORS as error:
        return _unreadable(where, "xlsx", error)
    if survey.last_row > limits.max_rows:
        return rows_problem(part.name, survey.last_row, limits)
    merged = tuple(
        (top, left, min(bottom, survey.last_row - 1), right)
        for top, left, bottom, right in survey.merged
        if top < survey.last_row and left < survey.width
    )

    def rows() -> Iterator[tuple[int, list[CellValue]]]:
        try:
            yield from xlsx_rows.iter_rows(
                path, part.member, strings, styles, merged, survey.width
            )
        except _STREAM_ERRORS as error:
            raise InputRejected([_unreadable(where, "xlsx", error)]) from None

    head: list[list[CellValue]] = []
    first = rows()
    reading: Iterator[tuple[int, list[CellValue]]] | None = None
    for index, cells in first:
        if index >= HEAD_ROWS:
            reading = chain([(index, cells)], first)
            break
        head.extend([] for _ in range(index - len(head)))
        head.append(cells)

    def rest() -> Iterator[tuple[int, list[CellValue]]]:
        nonlocal reading
        if reading is not None:  # the first time, from where the head stopped
            going, reading = reading, None
            return going
        return ((index, cells) for index, cells in rows() if index >= HEAD_ROWS)

    return Sheet(part.name, head, merged, part.hidden, rest, survey.hidden_rows)


def _sheet_faults(xml: bytes) -> dict[tuple[int, int], FaultyCell]:
    if b't="e"' not in xml and b"<f" not in xml:
        return {}
    faults: dict[tuple[int, int], FaultyCell] = {}
    for letters, number, attributes, body in _CELL.findall(xml):
        body = body or b""
        cached = _CACHED.search(body)
        formula = _FORMULA.search(body)
        if b't="e"' in attributes:
            code = cached.group(1).decode() if cached else "#错误"
            typed = html.unescape((formula.group(1) or b"").decode()) if formula else ""
            faults[(int(number) - 1, _column_index(letters.decode()))] = FaultyCell.error(
                code, typed
            )
            continue
        if formula and not (cached and cached.group(1)):
            text = html.unescape((formula.group(1) or b"").decode())
            if text:  # a shared formula's followers carry no text: their master is named
                faults[(int(number) - 1, _column_index(letters.decode()))] = FaultyCell.formula(
                    text
                )
    return faults


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _mark_faults(rows: list[list[CellValue]], faults: dict[tuple[int, int], FaultyCell]) -> None:
    for (row, col), cell in faults.items():
        if row < len(rows) and col < len(rows[row]) and rows[row][col] in (None, ""):
            rows[row][col] = cell


def _clipped(ranges: Sequence[Any], raw: Sequence[Sequence[Any]]) -> tuple[MergedRange, ...]:
    """Merged ranges cut to the cells the sheet uses: a tiny file may declare a merge of
    A1:XFD1048576, and filling that would take gigabytes for cells that hold nothing."""
    height = len(raw)
    width = max((len(row) for row in raw), default=0)
    return tuple(
        (top, left, min(bottom, height - 1), min(right, width - 1))
        for (top, left), (bottom, right) in ranges
        if top < height and left < width
    )


def _unreadable(where: str, kind: str, error: BaseException) -> Problem:
    advice = "文件可能已损坏、加密（设置了打开密码）或不是 Excel 文件"
    return Problem(where, f"无法读取 .{kind} 文件：{advice}")


def _clean(raw: Sequence[Sequence[Any]], merged: Sequence[MergedRange]) -> list[list[CellValue]]:
    rows: list[list[CellValue]] = [
        [None if v == "" else v for v in row] if "" in row else row  # type: ignore[misc]
        for row in raw
    ]
    for top, left, bottom, right in merged:
        value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        for r in range(top, bottom + 1):
            while len(rows) <= r:
                rows.append([])
            cells = rows[r]
            if len(cells) <= right:
                cells.extend([None] * (right + 1 - len(cells)))
            for c in range(left, right + 1):
                cells[c] = value
    return rows


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """CSV bytes → (text, encoding): UTF-8 (with or without BOM), else GB18030; else refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputRejected(
            [
                Problem(
                    name,
                    "文件是 UTF-16 编码（Excel“Unicode 文本”格式），不支持；"
                    "请另存为“CSV UTF-8（逗号分隔）”或 .xlsx 再导入",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
        return text, "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputRejected(
            [
                Problem(
                    f"{name} 第{line}行",
                    f"文件编码无法识别（第{error.start + 1}个字节 0x{raw[error.start]:02x} 既不是"
                    " UTF-8 也不是 GBK/GB18030）；请另存为 UTF-8 或 GBK 编码的 CSV，或另存为 .xlsx",
                )
            ]
        ) from None


def _read_csv(path: Path, limits: Limits) -> Workbook:
    name = path.name
    text, encoding = decode_text(path.read_bytes(), name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[list[CellValue]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= limits.max_rows:
                raise InputRejected([rows_problem(name, len(rows) + 1, limits)])
            rows.append([cell if cell != "" else None for cell in record])
    except csv.Error:
        raise InputRejected(
            [
                Problem(
                    f"{name} 第{len(rows) + 1}行", "CSV 格式错误：引号没有闭合，或含有空字符（NUL）"
                )
            ]
        ) from None
    return Workbook(name, "csv", (Sheet(path.stem, rows),), encoding=encoding)
