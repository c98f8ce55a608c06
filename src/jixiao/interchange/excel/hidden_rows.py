"""Which rows of an .xls or .ods workbook are hidden (calamine reads their values but does
not say), by sheet name, 0-based.

- .xls: the workbook is a compound file (OLE2); its ``Workbook`` stream is a run of BIFF8
  records. Each sheet's substream starts where its BOUNDSHEET record says, and a ROW
  record with the fDyZero bit (0x20) set is a hidden row. Only the records' headers are
  walked, cells are not decoded: a second pass costs little beside calamine's.
- .ods: ``content.xml`` inflated in chunks and its table and row tags scanned with
  regular expressions (as ``xlsx_rows`` scans a large sheet; a tree of every cell would
  cost as much as reading the values); a ``table:table-row`` whose ``table:visibility`` is
  ``collapse`` or ``filter`` is hidden, as many rows as its ``table:number-rows-repeated``
  says.

Rows at or past ``heights[name]`` (the rows read) are not reported: a hidden blank tail
of a million rows says nothing. A file these readers cannot follow gives no hidden rows:
calamine has read its values, and hiding is only told as a warning.
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFA  # this and above: end of chain, free, FAT or DIFAT sector
_BOF, _EOF, _BOUNDSHEET, _ROW, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0208, 0x002F
_ROW_HIDDEN = 0x0020
_BIFF8 = 0x0600
_MAYBE_HIDDEN_ROW = re.compile(
    rb"\x08\x02\x10\x00.{12}[\x20-\x3f\x60-\x7f\xa0-\xbf\xe0-\xff]", re.S
)
"""Bytes that may be a ROW record (type 0x0208, 16 bytes) with fDyZero set; a match inside
another record's body is possible, so the records are then walked to be sure."""

CHUNK = 1024 * 1024
_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row)(?=[\s/>])([^>]*)>")
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ODS_REPEATED = re.compile(rb'\btable:number-rows-repeated="([0-9]{1,9})"')
_ODS_HIDDEN = re.compile(rb'\btable:visibility="(?:collapse|filter)"')

Hidden = dict[str, frozenset[int]]


def hidden_rows(path: Path, kind: str, heights: Mapping[str, int]) -> Hidden:
    """The hidden rows of each sheet of an .xls or .ods file (other formats: none)."""
    try:
        if kind == "xls":
            return _xls(path.read_bytes(), heights)
        if kind == "ods":
            return _ods(path, heights)
    except (ValueError, IndexError, KeyError, OSError, EOFError, struct.error,
            zipfile.BadZipFile, zlib.error, UnicodeDecodeError):  # fmt: skip
        return {}
    return {}


# --- .xls ---------------------------------------------------------------------------------


def _xls(data: bytes, heights: Mapping[str, int]) -> Hidden:
    stream = _workbook_stream(data)
    if stream is None or not _MAYBE_HIDDEN_ROW.search(stream):
        return {}  # the common case: no record even looks like a hidden row, none walked
    sheets: list[tuple[str, int]] = []
    for kind, at, _ in _records(stream, 0):
        if kind == _BOF and struct.unpack_from("<H", stream, at)[0] != _BIFF8:
            return {}  # BIFF5 and older: names in a code page, rarely met now
        if kind == _FILEPASS:
            return {}  # encrypted: the records' bodies are not readable
        if kind == _BOUNDSHEET:
            sheets.append((_sheet_name(stream, at), struct.unpack_from("<I", stream, at)[0]))
        elif kind == _EOF:
            break
    found: Hidden = {}
    for name, offset in sheets:
        height = heights.get(name, 0)
        rows = set()
        for kind, at, length in _records(stream, offset):
            if kind == _EOF:
                break
            if kind == _ROW and length >= 14:
                row = struct.unpack_from("<H", stream, at)[0]
                flags = struct.unpack_from("<H", stream, at + 12)[0]
                if flags & _ROW_HIDDEN and row < height:
                    rows.add(row)
        if rows:
            found[name] = frozenset(rows)
    return found


def _records(stream: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    """Each record from ``offset``: its type, where its body starts, its length."""
    header = struct.Struct("<HH")
    while offset + 4 <= len(stream):
        kind, length = header.unpack_from(stream, offset)
        yield kind, offset + 4, length
        offset += 4 + length


def _sheet_name(stream: bytes, at: int) -> str:
    """A BOUNDSHEET record's name: a short string, compressed (Latin-1) or UTF-16."""
    count, flags, start = stream[at + 6], stream[at + 7], at + 8
    if flags & 1:
        return stream[start : start + 2 * count].decode("utf-16-le")
    return stream[start : start + count].decode("latin-1")


def _workbook_stream(data: bytes) -> bytes | None:
    """The ``Workbook`` stream of a compound file (None where it has none)."""
    if not data.startswith(_OLE2) or len(data) < 512:
        return None
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    fat_count, directory_start = struct.unpack_from("<II", data, 0x2C)
    cutoff, minifat_start, _, difat_start, difat_count = struct.unpack_from("<IIIII", data, 0x38)

    def at(sid: int) -> bytes:
        start = (sid + 1) * sector
        return data[start : start + sector]

    fat_sectors = [sid for sid in struct.unpack_from("<109I", data, 0x4C) if sid < _END_OF_CHAIN]
    per = sector // 4
    sid = difat_start
    for _ in range(difat_count):
        if sid >= _END_OF_CHAIN:
            break
        entries = struct.unpack(f"<{per}I", at(sid))
        fat_sectors.extend(s for s in entries[:-1] if s < _END_OF_CHAIN)
        sid = entries[-1]
    fat: list[int] = []
    for fat_sid in fat_sectors[:fat_count]:
        fat.extend(struct.unpack(f"<{per}I", at(fat_sid)))

    directory = b"".join(at(sid) for sid in _chain(directory_start, fat))
    listed = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not listed:
        return None
    root_start = struct.unpack_from("<I", listed[0], 0x74)[0]
    for entry in listed:
        length = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if name not in ("Workbook", "Book") or entry[0x42] != 2:
            continue
        start, size = struct.unpack_from("<II", entry, 0x74)
        if size >= cutoff:
            return b"".join(at(sid) for sid in _chain(start, fat))[:size]
        # a small stream lives in the mini stream (the root entry's), by the mini FAT
        table = b"".join(at(sid) for sid in _chain(minifat_start, fat))
        minifat = list(struct.unpack(f"<{len(table) // 4}I", table))
        ministream = b"".join(at(sid) for sid in _chain(root_start, fat))
        parts = (ministream[sid * mini : (sid + 1) * mini] for sid in _chain(start, minifat))
        return b"".join(parts)[:size]
    return None


def _chain(start: int, table: list[int]) -> Iterator[int]:
    """The sectors of a chain from ``start`` by ``table`` (a FAT), a loop cut short."""
    seen = 0
    while start < _END_OF_CHAIN and start < len(table) and seen <= len(table):
        yield start
        start, seen = table[start], seen + 1


# --- .ods ---------------------------------------------------------------------------------


def _ods(path: Path, heights: Mapping[str, int]) -> Hidden:
    if not _ods_hides_any(path):
        return {}  # the common case: one search of the text, no tag walked
    found: Hidden = {}
    depth = 0  # tables within tables (a cell's subtable) are not sheets
    name, row, rows = "", 0, set[int]()
    for closing, tag, attributes in _ods_tags(path):
        if tag == b"table":
            if closing:
                depth -= 1
                if depth == 0 and rows:
                    found[name] = frozenset(rows)
            elif not attributes.endswith(b"/"):
                depth += 1
                if depth == 1:
                    named = _ODS_NAME.search(attributes)
                    name = html.unescape(named.group(1).decode()) if named else ""
                    row, rows = 0, set()
        elif not closing and depth == 1:  # a row
            repeated = _ODS_REPEATED.search(attributes)
            count = int(repeated.group(1)) if repeated else 1
            if _ODS_HIDDEN.search(attributes):
                rows.update(range(row, min(row + count, heights.get(name, 0))))
            row += count
    return found


def _ods_hides_any(path: Path) -> bool:
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        while chunk := content.read(CHUNK):
            window = tail + chunk
            if b':visibility="collapse"' in window or b':visibility="filter"' in window:
                return True
            tail = chunk[-32:]
    return False


def _ods_tags(path: Path) -> Iterator[tuple[bool, bytes, bytes]]:
    """The table and row tags of ``content.xml``, read in chunks: (closing, tag, attributes)."""
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        while chunk := content.read(CHUNK):
            window = tail + chunk
            cut = window.rfind(b">") + 1
            for closing, tag, attributes in _ODS_TAG.findall(window, 0, cut):
                yield closing == b"/", tag, attributes
            tail = window[cut:]


__all__ = ["hidden_rows"]
