"""A large .xlsx worksheet read row by row, in bounded memory.

python-calamine (``workbook.py``) holds a whole sheet twice — in Rust, then as Python
lists — which for a 500,000-row ledger is gigabytes of a web worker. A worksheet part
larger than ``Limits.stream_bytes`` unpacked is read here instead: its XML is inflated in chunks
and scanned with regular expressions, one row at a time, and gives the same values
calamine gives (``tests/excel/test_streamed_rows.py`` compares them):

- a number is a float; with a date format (calamine's rules: a built-in date id, or a
  custom code with d, m, h, y or s outside quotes and brackets, first section only) a
  ``date`` (whole day), ``datetime``, ``time`` (under one day) or, for ``[h]``, ``[m]``,
  ``[s]`` codes, a ``timedelta``; Excel's 1900 leap-year slip is kept as calamine keeps it;
- shared and inline strings as written (entities and ``_x0007_`` escapes decoded,
  phonetic runs left out); ``t="b"`` a bool; an empty text or an empty cell None;
- an error value or a formula saved without its result is a ``FaultyCell``, in the same
  pass (calamine needs a second read of the sheet for those).

``SheetPart`` names a worksheet's zip member; ``survey`` reads the part once for its
merged ranges and its last row (both needed before the first row is handed out: merges
are written after the rows); ``iter_rows`` yields ``(row index, cells)`` with merged
cells filled from their top-left cell, as ``workbook._clean`` fills them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.interchange.excel.workbook import (
    CellValue,
    FaultyCell,
    MergedRange,
    hidden_row_numbers,
)

CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
"""A zip member's local file header (its name and extra field follow)."""
INTERNED = 200_000
"""Distinct texts remembered, so that repeated cells (codes, 摘要, 否) share one string."""

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATION = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\s([\w:]+)="([^"]*)"')
_PIECE = re.compile(  # possessive where backtracking could not match anyway: fewer steps
    rb'<c r="([A-Z]{1,3}+)[0-9]{1,7}+"(?: s="([0-9]++)")?(?: t="(\w++)")?>'
    rb"(?:<v>([^<]*+)</v>|<is><t>([^<]*+)</t></is>)</c>"
    rb'|<(row)(?=[\s/>])(?: r="([0-9]{1,7})")?([^>]*?)/?>|<c\b([^>]*?)(?:/>|>(.*?)</c>)',
    re.S,
)
"""A cell of a common shape (a number, an inline text, a shared text), a row (its number
when written first, as it usually is), or any cell."""
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_KIND = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_FORMULA = re.compile(rb"<f[^>]*?(?:/>|>(.*?)</f>)", re.S)
_TEXT = re.compile(rb"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_SHARED = re.compile(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.S)
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_LAST_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"')
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMBER_FORMAT = re.compile(rb"<numFmt\b[^>]*>")
_CELL_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b[^>]*>")

_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47})
_DURATION_IDS = frozenset({46})
_EPOCH = dt.datetime(1899, 12, 30)
_EARLY_EPOCH = dt.datetime(1899, 12, 31)  # serials before 60: Excel's 1900 is a leap year
_LEAP_DAY = dt.datetime(1900, 2, 28)  # serial 60, Excel's 1900-02-29, reads as the 28th
_DAY = 86_400_000


@dataclass(frozen=True)
class SheetPart:
    """A worksheet as the workbook lists it, and the zip member holding its XML."""

    name: str
    member: str
    hidden: bool
    size: int


def _tags(pattern: re.Pattern[bytes], xml: bytes) -> list[dict[bytes, bytes]]:
    return [dict(_ATTRIBUTE.findall(tag)) for tag in pattern.findall(xml)]


def sheet_parts(archive: zipfile.ZipFile) -> list[SheetPart]:
    """The worksheets in workbook order (a missing part is left out)."""
    targets = {
        tag.get(b"Id", b"").decode(): tag.get(b"Target", b"").decode()
        for tag in _tags(_RELATION, archive.read("xl/_rels/workbook.xml.rels"))
    }
    sizes = {info.filename: info.file_size for info in archive.infolist()}
    parts = []
    for tag in _tags(_SHEET, archive.read("xl/workbook.xml")):
        target = targets.get(tag.get(b"r:id", b"").decode(), "")
        member = "xl/" + target.lstrip("/").removeprefix("xl/")
        if member in sizes:
            name = html.unescape(tag.get(b"name", b"").decode())
            hidden = tag.get(b"state", b"visible") != b"visible"
            parts.append(SheetPart(name, member, hidden, sizes[member]))
    return parts


def column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
    return text


def _rich_text(body: bytes) -> str:
    if b"<rPh" in body:
        body = _PHONETIC.sub(b"", body)
    return "".join(_text(part or b"") for part in _TEXT.findall(body))


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        xml = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    return [_rich_text(body or b"") for body in _SHARED.findall(xml)]


def _format_kind(code: str) -> str | None:
    """ "date", "duration" or None for a number format code, by calamine's rules."""
    escaped = quoted = False
    brackets = 0
    previous = " "
    hms = False
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return None
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and hms:
            return "duration"
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and char in "dmhysDMHYS":
            return "date"
        elif not (hms and char.lower() == previous.lower()):
            hms = previous == "[" and char in "mhsMHS"
        previous = char
    return None


def number_styles(archive: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index → "date" or "duration", for the styles that are either."""
    try:
        xml = archive.read("xl/styles.xml")
    except KeyError:
        return {}
    codes = {}
    for tag in _tags(_NUMBER_FORMAT, xml):
        identifier = tag.get(b"numFmtId", b"")
        if identifier.isdigit():
            codes[int(identifier)] = html.unescape(tag.get(b"formatCode", b"").decode())
    found = _CELL_XFS.search(xml)
    kinds = {}
    for index, tag in enumerate(_tags(_XF, found.group(1) if found else b"")):
        identifier = tag.get(b"numFmtId", b"0")
        number = int(identifier) if identifier.isdigit() else 0
        if number in codes:
            kind = _format_kind(codes[number])
        elif number in _DATE_IDS:
            kind = "date"
        else:
            kind = "duration" if number in _DURATION_IDS else None
        if kind is not None:
            kinds[index] = kind
    return kinds


def _date(serial: float, kind: str) -> CellValue:
    """A dated number as calamine reads it: to the millisecond; past year 9999, a number."""
    milliseconds = round(serial * _DAY)
    if kind == "duration":
        return dt.timedelta(milliseconds=milliseconds)
    try:
        if serial < 1:
            return (_EPOCH + dt.timedelta(milliseconds=milliseconds)).time()
        if serial < 60:
            moment = _EARLY_EPOCH + dt.timedelta(milliseconds=milliseconds)
        elif serial < 61:
            moment = _LEAP_DAY + dt.timedelta(milliseconds=milliseconds - 60 * _DAY)
        else:
            moment = _EPOCH + dt.timedelta(milliseconds=milliseconds)
    except OverflowError:
        return serial
    return moment.date() if moment.time() == dt.time() else moment


@dataclass(frozen=True)
class Survey:
    """What must be known before the first row: merged ranges, and the last row's number."""

    merged: tuple[MergedRange, ...]
    last_row: int
    width: int
    """Columns up to the last one holding a cell: how far a merged range is filled."""
    hidden_rows: frozenset[int] = frozenset()
    """The rows hidden (0-based)."""


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def survey(path: Path, member: str) -> Survey:
    """One pass over the part: merged ranges (0-based, inclusive), the last row number and
    the hidden rows."""
    merged: list[MergedRange] = []
    hidden: set[int] = set()
    last_row = 0
    tail = b""
    for chunk in _inflated(path, member):
        window = tail + chunk
        cut = window.rfind(b">") + 1
        start = window.rfind(b"<row ", 0, cut)
        if start >= 0:
            match = _LAST_ROW.match(window, start, cut)
            if match:
                last_row = int(match.group(1))
        if window.find(b'hidden="', 0, cut) >= 0:
            hidden.update(hidden_row_numbers(window[:cut]))
        if window.find(b"<mergeCell ", 0, cut) >= 0:
            for first, top, last, bottom in _MERGE.findall(window, 0, cut):
                left, right = column_index(first), column_index(last or first)
                merged.append((int(top) - 1, left, int(bottom or top) - 1, right))
        tail = window[cut:]
    width = _width(path, member) if merged else 0
    return Survey(tuple(merged), last_row, width, frozenset(hidden))


def _inflated(path: Path, member: str) -> Iterator[bytes]:
    """The part's XML in chunks, inflated straight from the file without checking its
    CRC (a fifth of a pass over a large part): for ``survey``, whose findings only the
    reading pass uses, and that pass checks it. A part not simply deflated is read as
    ``_chunks`` reads it."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
            yield from _chunks(archive, member)
            return
    with path.open("rb") as stream:
        stream.seek(info.header_offset)
        header = stream.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"{member}: bad local file header")
        name_size, extra_size = _LOCAL_HEADER.unpack(header)[-2:]
        stream.seek(info.header_offset + _LOCAL_HEADER.size + name_size + extra_size)
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        left = info.compress_size
        while left > 0:
            block = stream.read(min(CHUNK, left))
            if not block:
                raise EOFError(f"{member}: truncated")
            left -= len(block)
            data = inflate.decompress(block, CHUNK)
            while data:
                yield data
                data = inflate.decompress(inflate.unconsumed_tail, CHUNK)


def _width(path: Path, member: str) -> int:
    """Columns up to the last one holding a cell (another pass: only a sheet with merged
    ranges needs it)."""
    letters: set[bytes] = set()
    tail = b""
    with zipfile.ZipFile(path) as archive:
        for chunk in _chunks(archive, member):
            window = tail + chunk
            cut = window.rfind(b">") + 1
            letters.update(_COLUMN.findall(window, 0, cut))
            tail = window[cut:]
    return max((column_index(found) + 1 for found in letters), default=0)


class _Cells:
    """Turns one ``<c>`` element into a value; remembers texts to share them."""

    def __init__(self, strings: Sequence[str], styles: dict[int, str]):
        self.strings, self.styles = strings, styles
        self.style_kinds = {str(index).encode(): kind for index, kind in styles.items()}
        self.interned: dict[bytes, str] = {}
        self.dates: dict[tuple[bytes, str], CellValue] = {}

    def date(self, raw: bytes, kind: str) -> CellValue:
        key = (raw, kind)
        found = self.dates.get(key)
        if found is None:
            found = _date(float(raw), kind)
            if len(self.dates) < INTERNED:
                self.dates[key] = found
        return found

    def text(self, raw: bytes) -> str:
        found = self.interned.get(raw)
        if found is None:
            found = _text(raw)
            if len(self.interned) < INTERNED:
                self.interned[raw] = found
        return found

    def value(self, attributes: bytes, body: bytes | None) -> CellValue:
        if not body:
            return None
        kind_match = _KIND.search(attributes) if b"t=" in attributes else None
        kind = kind_match.group(1) if kind_match else b"n"
        cached = _VALUE.search(body)
        raw = cached.group(1) if cached else None
        if kind == b"inlineStr":
            return self.text_of(body)
        if b"<f" in body and not raw:
            if kind == b"e":
                return FaultyCell.error("#错误")
            formula = _FORMULA.search(body)
            text = html.unescape((formula.group(1) or b"").decode()) if formula else ""
            return FaultyCell.formula(text) if text else None
        if not raw:
            return None
        if kind == b"n":
            style = _STYLE.search(attributes) if b"s=" in attributes else None
            date_kind = self.styles.get(int(style.group(1))) if style else None
            return float(raw) if date_kind is None else self.date(raw, date_kind)
        if kind == b"s":
            text = self.strings[int(raw)]
            return text or None
        if kind == b"b":
            return raw.strip() == b"1"
        if kind == b"e":
            return FaultyCell.error(raw.decode())
        return self.text(raw) or None  # "str" (a formula's text), "d" (an ISO date) as written

    def text_of(self, body: bytes) -> str | None:
        if b"<r>" in body or b"<r " in body or b"<rPh" in body:
            return _rich_text(body) or None
        match = _TEXT.search(body)
        return (self.text(match.group(1) or b"") or None) if match else None


def iter_rows(
    path: Path,
    member: str,
    strings: Sequence[str],
    styles: dict[int, str],
    merged: Sequence[MergedRange] = (),
    width: int = 0,
) -> Iterator[tuple[int, list[CellValue]]]:
    """(0-based row index, cells) for every row that holds a value, in sheet order; cells
    from column A, None where empty; merged ranges filled from their top-left cell, cut to
    ``width`` columns (``Survey.width``: what ``workbook._clipped`` cuts them to)."""
    rows = _rows(path, member, _Cells(strings, styles))
    if not merged:
        yield from rows
        return
    ranges = sorted(merged)
    position = 0
    active: list[tuple[int, int, int, int, CellValue]] = []
    previous = -1
    for index, row in rows:
        while position < len(ranges) and ranges[position][0] <= index:
            top, left, bottom, right = ranges[position]
            position += 1
            if left >= width:
                continue
            value = row[left] if top == index and left < len(row) else None
            active.append((top, left, bottom, right, value))
        active = [item for item in active if item[2] > previous]
        for missing in range(previous + 1, index):  # rows with no value of their own
            covering = [item for item in active if item[0] <= missing <= item[2]]
            if covering:
                yield missing, _merged_into([], covering, width)
        covering = [item for item in active if item[0] <= index <= item[2]]
        yield index, _merged_into(row, covering, width) if covering else row
        previous = index


def _merged_into(
    row: list[CellValue], ranges: list[tuple[int, int, int, int, CellValue]], width: int
) -> list[CellValue]:
    for _, left, _, right, value in ranges:
        right = min(right, width - 1)
        if len(row) <= right:
            row.extend([None] * (right + 1 - len(row)))
        for col in range(left, right + 1):
            row[col] = value
    return row


def _rows(path: Path, member: str, cells: _Cells) -> Iterator[tuple[int, list[CellValue]]]:
    row_index = -1
    col = -1
    current: list[CellValue] = []
    tail = b""
    columns: dict[bytes, int] = {}
    texts = cells.interned
    styles = cells.style_kinds
    strings = cells.strings
    with zipfile.ZipFile(path) as archive:
        for chunk in _chunks(archive, member):
            window = tail + chunk
            cut = window.rfind(b"</row>")
            if cut < 0:
                tail = window
                continue
            cut += len(b"</row>")
            part, tail = window[:cut], window[cut:]
            value: CellValue
            pieces = _PIECE.findall(part)
            for letters, style, kind, number, inline, row, row_number, row_tag, tag, body in pieces:
                if letters:  # the common shapes, decoded here for speed
                    found = columns.get(letters)
                    if found is None:
                        found = columns.setdefault(letters, column_index(letters))
                    col = found
                    if kind == b"inlineStr":
                        value = texts.get(inline) or cells.text(inline) or None
                    elif not number:
                        value = None
                    elif not kind or kind == b"n":
                        date_kind = styles.get(style) if style else None
                        value = (
                            float(number) if date_kind is None else cells.date(number, date_kind)
                        )
                    elif kind == b"s":
                        value = strings[int(number)] or None
                    else:
                        value = cells.value(b' t="' + kind + b'"', b"<v>" + number + b"</v>")
                elif row:
                    if current:
                        yield row_index, current
                        current = []
                    if row_number:
                        row_index = int(row_number) - 1
                    else:
                        found_number = _ROW_NUMBER.search(row_tag)
                        row_index = (
                            int(found_number.group(1)) - 1 if found_number else row_index + 1
                        )
                    col = -1
                    continue
                else:  # any other cell
                    ref = _REF.search(tag)
                    col = column_index(ref.group(1)) if ref else col + 1
                    value = cells.value(tag, body)
                if value is None:
                    continue
                size = len(current)
                if size == col:
                    current.append(value)
                elif size < col:
                    current.extend([None] * (col - size))
                    current.append(value)
                else:
                    current[col] = value
    if current:
        yield row_index, current
