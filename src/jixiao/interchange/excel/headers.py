"""Finding a table in a sheet by its header text, and reading its rows into typed values.

A table is described by a ``TableSpec``: a name and ``Column``s, each with a key, the label
templates print, synonyms real-world sheets use, a cell reader (``cells.py``) and whether
it is required. Then:

``find_header(sheet, spec) -> Header | None``
    Scans the first 30 rows for the row (or pair of rows, for a two-level header such as
    “预算数” over “年初 | 调整 | 全年”) whose cells name the most columns of the spec.
    Header text is compared after folding: spaces and line breaks removed, full-width
    letters, digits, brackets and colons made half-width, a ``*`` (required mark) dropped;
    and, failing that, with any bracketed part removed (“全年预算数（调整后）” →
    “全年预算数”). A unit in a header cell — “全年预算数（万元）”, “金额(元)”, “执行率（%）”
    — is taken as that column's declaration. The sheet's own unit is found in any cell above
    (or in) the header: “单位：万元”, “金额单位:元”, “单位：人民币万元”. A column's unit
    wins over the sheet's. Problems (in ``Header.problems``): a required column missing, a
    column found twice, an amount column without any unit declared, conflicting units.

``read_table(sheet, spec, header=None) -> Table``
    Reads every row below the header: skips blank rows (a row whose only filled cells are
    columns marked ``counts_as_data=False``, such as 序号, is blank too), subtotal rows (the
    row's first filled cell starts with 合计, 小计, 总计, 共计, 累计, 本月合计, 其中 …; a
    spec with ``part_rows`` reads the 其中 rows as data) and
    note rows (注：, 说明：, 备注：, 填表人, 审核人, 制表日期 …). Each kept row becomes a
    ``TableRow`` (its 0-based sheet row, and ``values`` by column key: the typed value, or
    None for an empty cell or a column the sheet lacks). Every unreadable cell becomes a
    ``Problem("sheet!C7", "列名：…“value”…")`` in ``Table.problems`` and its key is listed in
    ``TableRow.failed``; reading never stops at the first problem.

``find_labelled(sheet, labels, rows)``
    Values written beside a label above a table, as forms do: “部门代码 | liwan-ghzy”,
    “年度：2023”, “编制单位：广州市…”. Returns ``Labelled(value, row, col)`` by key.

``find_year_in_text(sheet, rows)``
    A year written in a title such as “2023年度部门预算执行情况表”.

``classify_row(cells)`` tells blank / subtotal / note / data for one row of raw values, and
``fold(text)`` is the folding used for header matching, for your own comparisons.

Building a new template on this (e.g. a goals table): declare its ``TableSpec``, call
``read_table`` on each sheet (``find_header`` first if several specs compete for a sheet),
collect ``table.problems``, and map each ``TableRow`` to your records, adding problems with
``table.where(row, key)`` for rule violations that involve a cell. For form-like sheets
(label → value blocks, as in the self-evaluation table), use ``find_labelled`` for the
blocks and ``find_header``/``read_table`` with ``start_row`` for each table block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import chain
from typing import Any

from jixiao.core.money import ZERO
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.excel.cells import (
    CellError,
    Declared,
    PercentMeaning,
    Reader,
    display,
    is_blank,
    read_text,
)
from jixiao.interchange.excel.workbook import CellValue, Sheet, cell_ref
from jixiao.interchange.problems import Problem

SCAN_ROWS = 30
_CACHE_LIMIT = 50_000
BATCH = 10_000
"""Rows of a streamed sheet read together (column by column, as a whole sheet is read)."""

_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(ord("a") + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)},
        "（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]", "：": ":", "％": "%",
        "／": "/", "＊": "*", "\u3000": " ", "\xa0": " ",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_HEADER_UNIT = re.compile(r"[(\[](?:金额)?(?:单位:?)?(?:人民币)?(万元|元|%)[)\]]")
_SHEET_UNIT = re.compile(r"单位:?(?:人民币)?(万元|元)")
_SUBTOTAL = re.compile(r"^(本月|本季|本年|本期|全年)?(合计|小计|总计|共计|累计)|^其中")
_NOTE = re.compile(
    r"^(注\d*[:.、]|注$|说明[:：]|备注[:：]|填表说明|填表人|填报单位|填报人|制表人|审核人|复核人|"
    r"负责人|单位负责人|财务负责人|联系人|联系电话|填表日期|填报日期|制表日期)"
)
_YEAR_IN_TEXT = re.compile(r"(199\d|20\d\d)年")
_FISCAL_YEAR_IN_TEXT = re.compile(r"(199\d|20\d\d)年度")


def fold(value: object) -> str:
    """Header text folded for comparison: half-width, no spaces, lower-case, no ``*``."""
    text = str(value).translate(_FOLD)
    return _SPACES.sub("", text).strip("*").rstrip(":").lower()


class RowKind(StrEnum):
    data = "data"
    blank = "blank"
    subtotal = "subtotal"
    note = "note"


def classify_row(cells: Sequence[CellValue]) -> RowKind:
    """Blank, subtotal (合计…), note (注：…) or data, by the row's first filled cell."""
    first = next((value for value in cells if not is_blank(value)), None)
    if first is None:
        return RowKind.blank
    if not isinstance(first, str):
        return RowKind.data
    folded = fold(first)
    if _SUBTOTAL.match(folded):
        return RowKind.subtotal
    if _NOTE.match(folded):
        return RowKind.note
    return RowKind.data


@dataclass(frozen=True)
class Column:
    """One column a table may have."""

    key: str
    label: str
    """The header text templates print, e.g. “全年预算数”."""
    synonyms: tuple[str, ...] = ()
    """Other header texts that mean this column, e.g. “调整后预算数”, “预算数（调整后）”."""
    read: Reader | None = read_text
    """How a cell is read (``cells.py``); None keeps the raw value (e.g. 序号, not used)."""
    required: bool = False
    amount: bool = False
    """Amounts: the header or the sheet must declare 元 or 万元."""
    percent: PercentMeaning | None = None
    """A percent column and how a bare number reads in it; “（%）” in the header → points."""
    counts_as_data: bool = True
    """False for columns such as 序号: a row with only these filled is a blank row."""
    note: str = ""
    """What to write in it, for the instructions sheet."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class TableSpec:
    """A table's columns; ``name`` names it in messages (“预算与执行表”)."""

    name: str
    columns: tuple[Column, ...]
    part_rows: bool = False
    """True where a row starting with 其中 is a part of the row above (the funds block's
    本年财政拨款 / 上年结转资金 …): read as data, not skipped as a subtotal."""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def lookup(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for column in self.columns:
            for name in column.names:
                names.setdefault(_label_and_unit(name)[0], column.key)
        return names


@dataclass(frozen=True)
class Header:
    """Where a table's header is in a sheet and what it declares."""

    sheet: Sheet
    rows: tuple[int, ...]
    columns: dict[str, int]
    """Column key → 0-based column index, for the columns the sheet has."""
    declared: dict[str, Declared]
    sheet_unit: AmountUnit | None
    unknown: tuple[str, ...]
    """Header texts that name no column of the spec (those columns are ignored)."""
    problems: tuple[Problem, ...]

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1

    @property
    def matched(self) -> int:
        return len(self.columns)


def _label_and_unit(text: object) -> tuple[str, str | None]:
    folded = fold(text)
    unit = None
    match = _HEADER_UNIT.search(folded)
    if match:
        unit = match.group(1)
        folded = (folded[: match.start()] + folded[match.end() :]).strip("*").rstrip(":")
    elif folded.endswith("%") and len(folded) > 1:
        unit, folded = "%", folded[:-1]
    return folded, unit


def _match(text: str, lookup: Mapping[str, str]) -> str | None:
    if text in lookup:
        return lookup[text]
    stripped = _BRACKETED.sub("", text)
    return lookup.get(stripped) if stripped else None


def _header_texts(
    sheet: Sheet, rows: Sequence[int], col: int, spans: Mapping[tuple[int, int], CellValue]
) -> list[str]:
    parts: list[str] = []
    for row in rows:
        value = sheet.value(row, col)
        if value is None:
            value = spans.get((row, col))
        if isinstance(value, str) and value.strip() and (not parts or parts[-1] != value):
            parts.append(value)
    return parts


def _group_spans(sheet: Sheet, rows: Sequence[int]) -> dict[tuple[int, int], CellValue]:
    """The text of a group header merged across columns (“预算数” over 年初 | 全年), for each
    column it spans, in the upper row of a two-row header. A form's view keeps a wide
    merge's text in its first column only; the columns under it are named by both rows."""
    upper = set(rows[:-1])
    spans: dict[tuple[int, int], CellValue] = {}
    for first_row, first_col, last_row, last_col in sheet.merged:
        if first_col == last_col:
            continue
        value = sheet.value(first_row, first_col)
        for row in upper.intersection(range(first_row, last_row + 1)):
            for col in range(first_col + 1, last_col + 1):
                spans[(row, col)] = value
    return spans


def _column_key(
    parts: Sequence[str], lookup: Mapping[str, str]
) -> tuple[str | None, str | None, str]:
    """(key, unit in the header, the header text) for one column's header cells."""
    labelled = [_label_and_unit(p) for p in parts]
    unit = next((u for _, u in reversed(labelled) if u), None)
    texts = [t for t, _ in labelled]
    candidates: list[str] = []
    if len(texts) == 1:
        candidates = texts
    elif len(texts) == 2:
        candidates = [texts[1], texts[0] + texts[1], texts[1] + texts[0]]
    for candidate in candidates:
        key = _match(candidate, lookup)
        if key:
            return key, unit, "".join(parts)
    return None, unit, "".join(parts)


def _try_header(sheet: Sheet, rows: Sequence[int], lookup: Mapping[str, str]) -> tuple[
    dict[str, int], dict[str, str], list[tuple[str, int]], list[str]
]:
    columns: dict[str, int] = {}
    units: dict[str, str] = {}
    duplicates: list[tuple[str, int]] = []
    unknown: list[str] = []
    width = max((len(sheet.rows[r]) for r in rows if r < sheet.height), default=0)
    spans = _group_spans(sheet, rows) if len(rows) > 1 else {}
    sections = _section_columns(sheet, rows[-1])
    for col in range(width):
        if col in sections:
            continue
        parts = _header_texts(sheet, rows, col, spans)
        if not parts:
            continue
        key, unit, text = _column_key(parts, lookup)
        if key is None:
            unknown.append(text)
        elif key in columns:
            duplicates.append((key, col))
        else:
            columns[key] = col
            if unit:
                units[key] = unit
    return columns, units, duplicates, unknown


def _section_columns(sheet: Sheet, last_row: int) -> set[int]:
    """Columns whose cell in the header's last row is merged on down into the rows below:
    a section's label beside its table (“绩效指标（90分）” over every indicator row), not
    the name of a column."""
    return {
        col
        for top, left, bottom, right in sheet.merged
        if top <= last_row < bottom
        for col in range(left, right + 1)
    }


def named_columns(cells: Sequence[CellValue], spec: TableSpec) -> set[str]:
    """The keys of ``spec``'s columns that the texts of a row name (a header row names many)."""
    lookup = spec.lookup()
    found = (_match(_label_and_unit(value)[0], lookup) for value in cells if isinstance(value, str))
    return {key for key in found if key is not None}


def find_header(
    sheet: Sheet,
    spec: TableSpec,
    *,
    start_row: int = 0,
    scan_rows: int = SCAN_ROWS,
    minimum: int = 2,
    default_unit: AmountUnit | None = None,
) -> Header | None:
    """The best header for ``spec`` in rows start_row … start_row+scan_rows; None if none.

    ``default_unit`` applies to amount columns when neither the header nor the sheet
    declares a unit (e.g. given on the command line).
    """
    lookup = spec.lookup()
    best: tuple[tuple[int, int, int], tuple[int, ...]] | None = None
    # rows left blank above (another form's, on a sheet of several) do not count; a blank
    # row may be [] or, as calamine reads it, a row of None
    while start_row < sheet.height and all(is_blank(v) for v in sheet.rows[start_row]):
        start_row += 1
    last = min(sheet.height, start_row + scan_rows)
    for row in range(start_row, last):
        for depth in (1, 2):
            rows = tuple(range(row, min(row + depth, sheet.height)))
            if len(rows) < depth:
                continue
            columns, _, _, _ = _try_header(sheet, rows, lookup)
            required = sum(1 for c in spec.columns if c.required and c.key in columns)
            score = (required, len(columns), -depth)
            if len(columns) >= minimum and (best is None or score > best[0]):
                best = (score, rows)
    if best is None:
        return None
    return _header(sheet, spec, best[1], lookup, default_unit)


def _header(
    sheet: Sheet,
    spec: TableSpec,
    rows: tuple[int, ...],
    lookup: Mapping[str, str],
    default_unit: AmountUnit | None,
) -> Header:
    columns, units, duplicates, unknown = _try_header(sheet, rows, lookup)
    problems: list[Problem] = []
    for key, col in duplicates:
        column = spec.column(key)
        first = cell_ref(rows[-1], columns[key])
        problems.append(
            Problem(
                sheet.where(rows[-1], col),
                f"“{column.label}”列出现了两次（另见 {first}），无法确定用哪一列；"
                "请删除或改名其中一列",
            )
        )
    missing = [c.label for c in spec.columns if c.required and c.key not in columns]
    if missing:
        problems.append(
            Problem(
                sheet.where(rows[0], 0),
                f"{spec.name}缺少必需的列：{'、'.join(missing)}（表头在第{rows[0] + 1}行）",
            )
        )
    sheet_unit, unit_problems = find_unit(sheet, range(0, rows[-1] + 1))
    problems.extend(unit_problems)
    declared: dict[str, Declared] = {}
    for column in spec.columns:
        if column.key not in columns:
            continue
        stated = units.get(column.key)
        unit = AmountUnit(stated) if stated in ("元", "万元") else sheet_unit or default_unit
        meaning = column.percent or PercentMeaning.fraction
        if column.percent is not None and stated == "%":
            meaning = PercentMeaning.points
        declared[column.key] = Declared(unit=unit if column.amount else None, percent=meaning)
    return Header(sheet, rows, columns, declared, sheet_unit, tuple(unknown), tuple(problems))


def find_unit(sheet: Sheet, rows: Iterable[int]) -> tuple[AmountUnit | None, list[Problem]]:
    """The amount unit a sheet declares in the given rows (“单位：万元”), and conflicts."""
    found: dict[AmountUnit, str] = {}
    for row in rows:
        for col, value in enumerate(sheet.rows[row] if row < sheet.height else ()):
            if isinstance(value, str) and "单位" in value:
                match = _SHEET_UNIT.search(fold(value))
                if match:
                    found.setdefault(AmountUnit(match.group(1)), sheet.where(row, col))
    if len(found) > 1:
        places = "、".join(f"{where}（{unit.value}）" for unit, where in found.items())
        return None, [Problem(sheet.name, f"表中声明了不同的金额单位：{places}，请只保留一个")]
    return next(iter(found), None), []


@dataclass(frozen=True)
class Labelled:
    """A value written beside its label."""

    value: CellValue
    row: int
    col: int


def find_labelled(
    sheet: Sheet, labels: Mapping[str, Sequence[str]], rows: Iterable[int]
) -> dict[str, Labelled]:
    """Values beside labels (“部门代码 | X”, “年度：2023”) in the given rows, by key."""
    folded = {key: [fold(label) for label in names] for key, names in labels.items()}
    every = [name for names in folded.values() for name in names]

    def is_label(value: CellValue) -> bool:
        text = fold(value)
        return any(text == name or text.startswith(name + ":") for name in every)

    found: dict[str, Labelled] = {}
    for row in rows:
        cells = sheet.rows[row] if row < sheet.height else []
        for col, value in enumerate(cells):
            if not isinstance(value, str):
                continue
            text = fold(value)
            for key, names in folded.items():
                if key in found:
                    continue
                for name in names:
                    if text == name:
                        beside = next(
                            (
                                (c, cells[c])
                                for c in range(col + 1, min(col + 5, len(cells)))
                                if not is_blank(cells[c])
                            ),
                            None,
                        )
                        if beside is not None and not is_label(beside[1]):
                            found[key] = Labelled(beside[1], row, beside[0])
                        break
                    if text.startswith(name + ":") and len(text) > len(name) + 1:
                        rest = value.translate(_FOLD).split(":", 1)[1].strip()
                        found[key] = Labelled(rest, row, col)
                        break
    return found


def find_year_in_text(sheet: Sheet, rows: Iterable[int]) -> Labelled | None:
    """A year in a title: “2023年度部门预算执行情况表” → 2023.

    “…年度” anywhere wins; otherwise “2023年…” in a cell that is not a date (a 填表日期
    such as “2024年1月5日” names no fiscal year).
    """
    texts = [
        (row, col, fold(value))
        for row in rows
        for col, value in enumerate(sheet.rows[row] if row < sheet.height else ())
        if isinstance(value, str)
    ]
    for row, col, text in texts:
        match = _FISCAL_YEAR_IN_TEXT.search(text)
        if match:
            return Labelled(match.group(1), row, col)
    for row, col, text in texts:
        match = _YEAR_IN_TEXT.search(text)
        if match and not re.search(r"\d+月|日期", text):
            return Labelled(match.group(1), row, col)
    return None


@dataclass(slots=True)
class TableRow:
    """One data row: its 0-based sheet row and the typed values by column key."""

    index: int
    values: dict[str, Any]
    failed: frozenset[str] = frozenset()
    cells: list[CellValue] | None = None
    """A streamed sheet's row keeps its raw cells (the sheet does not hold them)."""

    def get(self, key: str) -> Any:
        return self.values.get(key)


@dataclass(slots=True)
class RowBatch:
    """Data rows read together, column by column (``BATCH`` rows of a streamed sheet, or a
    whole table): what a ledger of 100,000 rows is checked from without a ``TableRow``
    and a dict per row."""

    indices: list[int]
    """The rows' 0-based sheet rows."""
    columns: dict[str, list[Any]]
    """Typed values by column key, every column of the spec (None: empty or unread)."""
    failed: dict[int, frozenset[str]] = field(default_factory=dict)
    """Position in the batch → the keys of the row's cells that could not be read."""
    cells: list[list[CellValue]] | None = None
    """A streamed sheet's raw cells, by position (the sheet does not hold them)."""

    def __len__(self) -> int:
        return len(self.indices)

    def row(self, position: int) -> TableRow:
        """The row at ``position`` as ``Table.iter_rows`` gives it."""
        return TableRow(
            self.indices[position],
            {key: values[position] for key, values in self.columns.items()},
            self.failed.get(position, frozenset()),
            None if self.cells is None else self.cells[position],
        )

    def rows(self) -> list[TableRow]:
        keys, columns = list(self.columns), list(self.columns.values())
        rows = [
            TableRow(index, dict(zip(keys, values, strict=True)))
            for index, values in zip(self.indices, zip(*columns, strict=True), strict=True)
        ] if columns else [TableRow(index, {}) for index in self.indices]  # fmt: skip
        for position, keys_failed in self.failed.items():
            rows[position].failed = keys_failed
        if self.cells is not None:
            for row, cells in zip(rows, self.cells, strict=True):
                row.cells = cells
        return rows

    @classmethod
    def of(cls, rows: Sequence[TableRow], keys: Iterable[str]) -> RowBatch:
        """The batch of rows read already (a table not streamed)."""
        return cls(
            [row.index for row in rows],
            {key: [row.values.get(key) for row in rows] for key in keys},
            {position: row.failed for position, row in enumerate(rows) if row.failed},
        )


@dataclass
class Table:
    """A table read from a sheet: its rows and every problem found in its cells."""

    sheet: Sheet
    spec: TableSpec
    header: Header
    rows: list[TableRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[RowKind, int] = field(default_factory=dict)
    count: int = 0
    """Data rows read (a streamed table knows it once ``iter_rows`` has run)."""
    sums: dict[str, Decimal] = field(default_factory=dict)
    """The sum of each amount column over the data rows (cells that failed count nothing)."""
    stream: Callable[[], Iterator[RowBatch]] | None = None
    """A large sheet's rows, read as they are iterated: ``rows`` stays empty, and the cell
    problems are in ``problems`` once the iteration has ended."""

    def iter_rows(self) -> Iterator[TableRow]:
        """The data rows, whether read already or streamed."""
        if self.stream is None:
            return iter(self.rows)
        return (row for batch in self.stream() for row in batch.rows())

    def iter_batches(self) -> Iterator[RowBatch]:
        """The data rows in batches, column by column, whether read already or streamed."""
        if self.stream is None:
            yield RowBatch.of(self.rows, (column.key for column in self.spec.columns))
        else:
            yield from self.stream()

    def has(self, key: str) -> bool:
        return key in self.header.columns

    def where(self, row: TableRow | int, key: str | None = None) -> str:
        """ "sheet!C7" for a row's cell in a column; the row's first cell if absent."""
        index = row.index if isinstance(row, TableRow) else row
        col = self.header.columns.get(key, 0) if key else 0
        return self.sheet.where(index, col)

    def row_where(self, row: TableRow | int) -> str:
        index = row.index if isinstance(row, TableRow) else row
        return self.sheet.row_where(index)

    def raw(self, row: TableRow | int, key: str) -> CellValue:
        col = self.header.columns.get(key)
        if col is None:
            return None
        if isinstance(row, TableRow) and row.cells is not None:
            return row.cells[col] if col < len(row.cells) else None
        return self.sheet.value(row.index if isinstance(row, TableRow) else row, col)

    def label(self, key: str) -> str:
        return self.spec.column(key).label


def read_table(
    sheet: Sheet, spec: TableSpec, header: Header | None = None, *, stream: bool = False
) -> Table | None:
    """The table of ``spec`` in ``sheet`` (None when no header is found). A large sheet
    read row by row (``Sheet.rest``) is streamed when ``stream`` says the caller iterates
    ``Table.iter_rows`` once; otherwise it is read whole first."""
    header = header or find_header(sheet, spec)
    if header is None:
        return None
    if sheet.rest is not None and not stream:
        sheet = sheet.materialized()
    table = Table(sheet, spec, header, problems=list(header.problems))
    readers: list[_ColumnReader] = []
    for column in spec.columns:
        col = header.columns.get(column.key)
        if col is None:
            continue
        declared = header.declared[column.key]
        if column.amount and declared.unit is None:
            table.problems.append(
                Problem(
                    sheet.where(header.rows[-1], col),
                    f"“{column.label}”列的金额单位不明：请在表头上方写“单位：元”或“单位：万元”，"
                    f"或把列名写成“{column.label}（元）”",
                )
            )
            continue  # reported once, not once per cell
        readers.append(_ColumnReader(column, col, declared))
    data_cols = sorted(
        header.columns[c.key] for c in spec.columns if c.key in header.columns and c.counts_as_data
    )
    if sheet.rest is not None:
        table.stream = _streamed(table, readers, data_cols)
        return table
    rows = sheet.rows
    numbered = [(index, rows[index]) for index in range(header.first_data_row, sheet.height)]
    table.rows = _read_batch(table, readers, data_cols, numbered, keep_cells=False).rows()
    table.count = len(table.rows)
    table.problems.sort(key=lambda problem: _problem_order(sheet, problem))
    return table


def _streamed(
    table: Table, readers: list[_ColumnReader], data_cols: list[int]
) -> Callable[[], Iterator[RowBatch]]:
    first_problems = list(table.problems)
    sheet = table.sheet
    assert sheet.rest is not None

    def batches() -> Iterator[RowBatch]:
        table.problems[:] = first_problems
        table.skipped, table.count, table.sums = {}, 0, {}
        head = sheet.rows
        numbered = ((i, head[i]) for i in range(table.header.first_data_row, len(head)))
        batch: list[tuple[int, Sequence[CellValue]]] = []
        for item in chain(numbered, sheet.rest()):  # type: ignore[misc]
            batch.append(item)
            if len(batch) == BATCH:
                read = _read_batch(table, readers, data_cols, batch, keep_cells=True)
                batch = []
                table.count += len(read)
                yield read
        read = _read_batch(table, readers, data_cols, batch, keep_cells=True)
        table.count += len(read)
        yield read
        table.problems.sort(key=lambda problem: _problem_order(sheet, problem))

    return batches


def _read_batch(
    table: Table,
    readers: list[_ColumnReader],
    data_cols: list[int],
    numbered: Sequence[tuple[int, Sequence[CellValue]]],
    *,
    keep_cells: bool,
) -> RowBatch:
    """The data rows among ``numbered`` (sheet index, cells), read column by column; their
    cell problems go to ``table.problems``, the rows skipped to ``table.skipped``."""
    sheet, spec = table.sheet, table.spec
    kept: list[int] = []
    kept_cells: list[Sequence[CellValue]] = []
    skipped = table.skipped
    for index, cells in numbered:
        kind = _row_kind(cells, data_cols)
        if kind is RowKind.subtotal and spec.part_rows and _is_part(cells):
            kind = RowKind.data
        if kind is RowKind.data:
            kept.append(index)
            kept_cells.append(cells)
        else:
            skipped[kind] = skipped.get(kind, 0) + 1
    # Column by column: each reader runs over its whole column.
    columns: dict[str, list[Any]] = {}
    failed: dict[int, list[str]] = {}
    for reader in readers:
        col = reader.col
        raws = [cells[col] if col < len(cells) else None for cells in kept_cells]
        values, failures = reader.read_all(raws)
        for position, message in failures:
            failed.setdefault(position, []).append(reader.key)
            table.problems.append(Problem(sheet.where(kept[position], col), message))
        columns[reader.key] = values
        if reader.column.amount:
            total = sum((v for v in values if isinstance(v, Decimal)), ZERO)
            table.sums[reader.key] = table.sums.get(reader.key, ZERO) + total
    nothing = [None] * len(kept)
    for column in spec.columns:
        columns.setdefault(column.key, nothing)
    return RowBatch(
        kept,
        columns,
        {position: frozenset(keys) for position, keys in failed.items()},
        [c if isinstance(c, list) else list(c) for c in kept_cells] if keep_cells else None,
    )


def _problem_order(sheet: Sheet, problem: Problem) -> tuple[int, int]:
    match = re.match(r"^.*!([A-Z]+)(\d+)$", problem.where)
    if not match:
        return (-1, -1)
    letters, number = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - ord("A") + 1
    return (int(number), col)


def _filled(value: CellValue) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _is_part(cells: Sequence[CellValue]) -> bool:
    first = next((v for v in cells if isinstance(v, str) and v.strip()), "")
    return fold(first).startswith("其中")


_MAYBE_SPECIAL = frozenset("合小总共累本全其注说备填制审复负单财联")


def _row_kind(cells: Sequence[CellValue], data_cols: Sequence[int]) -> RowKind:
    """classify_row, plus: a row with no data column filled is blank."""
    for value in cells:
        if value is None:
            continue
        if isinstance(value, str):
            stripped = value.strip()
            if not stripped:
                continue
            if stripped[0] in _MAYBE_SPECIAL:
                kind = classify_row((stripped,))
                if kind is not RowKind.data:
                    return kind
        break
    else:
        return RowKind.blank
    width = len(cells)
    for col in data_cols:
        if col < width and _filled(cells[col]):
            return RowKind.data
    return RowKind.blank


_MISS = object()


class _ColumnReader:
    """Reads one column, remembering results for values seen before (codes, dates…).

    Readers are pure, so a value seen before reads the same; a column whose values rarely
    repeat (amounts) stops remembering after a while.
    """

    __slots__ = ("col", "column", "declared", "key")

    def __init__(self, column: Column, col: int, declared: Declared):
        self.column, self.col, self.declared, self.key = column, col, declared, column.key

    def read_all(self, raws: list[CellValue]) -> tuple[list[Any], list[tuple[int, str]]]:
        """The typed values of a column, and (position, message) for each unreadable cell."""
        column, declared = self.column, self.declared
        if column.read is None:
            return raws, []
        values: list[Any] = []
        failures: list[tuple[int, str]] = []
        cache: dict[tuple[type, CellValue], Any] | None = {}
        hits = misses = 0
        for position, raw in enumerate(raws):
            if raw is None:
                values.append(None)
                continue
            if cache is not None:
                marker = (raw.__class__, raw)
                value = cache.get(marker, _MISS)
                if value is _MISS:
                    value = _read(column, raw, declared)
                    misses += 1
                    if misses > 2000 and hits < misses:
                        cache = None
                    elif len(cache) < _CACHE_LIMIT:
                        cache[marker] = value
                else:
                    hits += 1
            else:
                value = _read(column, raw, declared)
            if value.__class__ is _Failure:
                failures.append((position, value.message))
                value = None
            values.append(value)
        return values, failures


@dataclass(frozen=True, slots=True)
class _Failure:
    message: str


def _read(column: Column, raw: CellValue, declared: Declared) -> Any:
    if not _filled(raw) or column.read is None:
        return None
    try:
        return column.read(raw, declared)
    except CellError as error:
        return _Failure(f"{column.label}：{error}")
    except (ValueError, ArithmeticError, OverflowError) as error:  # a reader's own slip
        return _Failure(f"{column.label}：无法读取“{display(raw)}”（{error}）")
