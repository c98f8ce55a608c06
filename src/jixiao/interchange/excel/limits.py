"""Limits on what an import will read, checked before any spreadsheet parser runs.

``Limits.from_env()`` reads them from the environment (``jixiao.env``, failing loudly on a bad
value):

====================================  ==========================================  ===========
variable                              meaning                                     default
====================================  ==========================================  ===========
``JIXIAO_IMPORT_MAX_BYTES``           largest file accepted, in bytes             20 MB
``JIXIAO_IMPORT_MAX_ROWS``            most rows in any one sheet                  1,000,000
``JIXIAO_IMPORT_MAX_UNCOMPRESSED``    .xlsx: sum of the unpacked members, bytes   200 MB
``JIXIAO_IMPORT_MAX_RATIO``           .xlsx: unpacked ÷ packed for a member       100
                                      larger than 1 MB unpacked
``JIXIAO_IMPORT_STREAM_BYTES``        .xlsx: an import reads a worksheet part     16 MB
                                      larger than this unpacked row by row
                                      (``xlsx_rows``), in bounded memory
====================================  ==========================================  ===========

``check_file(path, limits)`` returns the problems (empty when the file may be read):

- the file's size on disk, before it is opened for parsing;
- for a zip container (.xlsx, .ods): the members' declared unpacked sizes, summed, and the
  compression ratio of each member larger than 1 MB; both read from the zip directory, so a
  zip bomb is refused without inflating a byte of it;
- for .xlsx: each worksheet's ``<dimension ref="A1:H120000"/>`` element, read from the first
  few kilobytes of the sheet, so a sheet declaring too many rows is refused before parsing.
  The readers count rows again as they read (a sheet may omit or misstate its dimension).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jixiao.env import env_int
from jixiao.interchange.problems import Problem

MB = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_PEEK = 4096


@dataclass(frozen=True)
class Limits:
    """How much an import reads at most."""

    max_bytes: int = 20 * MB
    max_rows: int = 1_000_000
    max_uncompressed: int = 200 * MB
    max_ratio: int = 100
    ratio_floor: int = 1 * MB
    """Members smaller than this unpacked are not ratio-checked (small XML packs very well)."""
    stream_bytes: int = 16 * MB
    """A worksheet part larger than this unpacked (about 30,000 ledger rows) is streamed."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        default = cls()
        return cls(
            max_bytes=env_int("JIXIAO_IMPORT_MAX_BYTES", default.max_bytes, environ),
            max_rows=env_int("JIXIAO_IMPORT_MAX_ROWS", default.max_rows, environ),
            max_uncompressed=env_int(
                "JIXIAO_IMPORT_MAX_UNCOMPRESSED", default.max_uncompressed, environ
            ),
            max_ratio=env_int("JIXIAO_IMPORT_MAX_RATIO", default.max_ratio, environ),
            stream_bytes=env_int("JIXIAO_IMPORT_STREAM_BYTES", default.stream_bytes, environ),
        )


def size_text(size: int) -> str:
    """1536 → "1.5 KB"; sizes as a person reads them."""
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} 字节"


def rows_problem(where: str, rows: int, limits: Limits) -> Problem:
    return Problem(
        where,
        f"工作表有 {rows:,} 行，超过导入上限 {limits.max_rows:,} 行"
        "（可用环境变量 JIXIAO_IMPORT_MAX_ROWS 调整）；请拆分后分别导入",
    )


def check_file(path: Path, limits: Limits) -> list[Problem]:
    """Problems that forbid reading the file at all; [] when it may be parsed."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        return [Problem(name, f"无法读取文件：{error.strerror or error}")]
    if size > limits.max_bytes:
        return [
            Problem(
                name,
                f"文件大小 {size_text(size)}，超过导入上限 {size_text(limits.max_bytes)}"
                "（可用环境变量 JIXIAO_IMPORT_MAX_BYTES 调整）",
            )
        ]
    if size == 0:
        return [Problem(name, "文件是空的（0 字节）")]
    if zipfile.is_zipfile(path):
        return _check_zip(path, limits)
    return []


def _check_zip(path: Path, limits: Limits) -> list[Problem]:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(member.file_size for member in members)
            if total > limits.max_uncompressed:
                return [
                    Problem(
                        name,
                        f"文件解压后共 {size_text(total)}，超过上限 "
                        f"{size_text(limits.max_uncompressed)}；文件可能已损坏或是恶意构造的压缩包"
                        "（zip 炸弹），未读取",
                    )
                ]
            for member in members:
                if member.file_size <= limits.ratio_floor:
                    continue
                ratio = member.file_size / max(member.compress_size, 1)
                if ratio > limits.max_ratio:
                    return [
                        Problem(
                            name,
                            f"文件中的 {member.filename} 压缩比为 {ratio:,.0f}:1"
                            f"（解压后 {size_text(member.file_size)}），超过上限 "
                            f"{limits.max_ratio}:1；文件可能是恶意构造的压缩包（zip 炸弹），未读取",
                        )
                    ]
            return _check_dimensions(archive, name, limits)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return [Problem(name, "文件不是有效的 .xlsx（压缩包已损坏、加密或使用了不支持的压缩方式）")]


def _check_dimensions(archive: zipfile.ZipFile, name: str, limits: Limits) -> list[Problem]:
    problems = []
    for member in archive.infolist():
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        with archive.open(member) as stream:
            head = stream.read(_PEEK)
        match = _DIMENSION.search(head)
        if not match:
            continue
        last_row = match.group(4) or match.group(2)
        first_row = match.group(2) or b"1"
        if last_row is None:
            continue
        rows = int(last_row) - int(first_row) + 1
        if rows > limits.max_rows:
            sheet = member.filename.removeprefix("xl/worksheets/").removesuffix(".xml")
            problems.append(rows_problem(f"{name}（{sheet}）", rows, limits))
    return problems
