"""The indicator library and the cost standards in Excel: export to edit, import all or nothing.

A library workbook has three sheets: 库信息 (two columns, 项目 | 内容: 编号, 名称, 版本,
偏离基准值界限, 依据等级, 来源 one per line), 指标库 (one indicator per row) and 历年数值
(one past value per row: the library's own, with its 来源, and those drawn from the stored
goals, whose 来源 is "本系统历年实际值"; 示意数据 marks an illustrative value, and a sheet
written before that column existed reads as none illustrative). A standards workbook has
库信息 and 支出标准. Row 1 of a table sheet is its header; columns are found by header text
(or an earlier header of the same column), in any order; blank rows are skipped.

Reading uses ``excel.workbook.read_workbook`` and the cell readers of ``excel.cells``; the
rows become the same key-value document a YAML file holds, checked by the same model, so a
library typed in Excel is held to exactly the rules of one written in YAML. Every problem
names its cell ("指标库!H5"). Choices are written and read as their Chinese labels
(正向 / 反向 / 等于, 定量 / 定性, 已入库 / 待审核).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from jixiao.core.cost import CostStandards, StandardKind
from jixiao.core.goals import IndicatorKind
from jixiao.core.indicator_library import (
    Direction,
    EntryStatus,
    IndicatorLibrary,
    PastValueSource,
    ValueBasis,
)
from jixiao.core.money import HUNDRED
from jixiao.core.scoring import plain_number
from jixiao.interchange.cost_standard_files import FORMAT as STANDARDS_FORMAT
from jixiao.interchange.cost_standard_files import STANDARD_FILES
from jixiao.interchange.excel.cells import CellError, integer, number, text
from jixiao.interchange.excel.workbook import CellValue, Sheet, read_workbook
from jixiao.interchange.excel.writer import data_cell
from jixiao.interchange.indicator_library_files import FORMAT as LIBRARY_FORMAT
from jixiao.interchange.indicator_library_files import LIBRARY_FILES
from jixiao.interchange.problems import InputRejected, Problem

INFO_SHEET = "库信息"
INDICATOR_SHEET = "指标库"
HISTORY_SHEET = "历年数值"
STANDARD_SHEET = "支出标准"


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: the document key, the header, how a cell reads."""

    key: str
    header: str
    kind: str = "text"
    """text, number, integer, percent (written "20%"), list (joined with 、), choice, or
    flag (written 是 when true and left blank when false; 是 / 否 / blank read)."""
    choices: Mapping[str, str] | None = None
    """For a choice: label → value as the document holds it."""
    width: float = 12
    former: tuple[str, ...] = ()
    """Headers earlier workbooks gave the column, still read."""


def _labels(values: Mapping[Any, str]) -> dict[str, str]:
    return {label: str(member.value) for member, label in values.items()}


DIRECTIONS = _labels({d: d.label for d in Direction})
KINDS = _labels({k: k.label for k in IndicatorKind})
STATUSES = _labels({s: s.label for s in EntryStatus})
BASES = _labels({b: b.value for b in ValueBasis})
STANDARD_KINDS = _labels({k: k.value for k in StandardKind})

INDICATOR_COLUMNS = (
    Column("code", "指标编码", width=12),
    Column("level1", "一级指标"),
    Column("level2", "二级指标", width=16),
    Column("level3", "三级指标", width=28),
    Column("sector", "行业"),
    Column("field", "领域"),
    Column("kind", "指标类型", "choice", KINDS, width=10),
    Column("unit", "计量单位", width=10),
    Column("direction", "指标方向", "choice", DIRECTIONS, width=10),
    Column("definition", "指标解释（计算口径）", width=40),
    Column("basis", "取值依据", "choice", BASES),
    Column("benchmark", "基准值", "number"),
    Column("benchmark_source", "基准值出处", width=30),
    Column("data_source", "数据来源", width=20),
    Column("aliases", "别名", "list", width=20),
    Column("version", "版本", width=10),
    Column("status", "状态", "choice", STATUSES, width=10),
    Column("evidence", "依据等级", width=10),
    Column("cost_standard", "对应支出标准", width=12),
)
HISTORY_COLUMNS = (
    Column("code", "指标编码"),
    Column("year", "年度", "integer", width=8),
    Column("department", "部门或地区", width=24, former=("部门代码",)),
    Column("project", "项目代码", width=16),
    Column("target", "年度指标值", "number"),
    Column("actual", "实际完成值", "number"),
    Column("unit", "计量单位", width=10),
    Column("source", "来源", width=30),
    Column("illustrative", "示意数据", "flag", width=10),
)
STANDARD_COLUMNS = (
    Column("code", "标准编码"),
    Column("name", "标准名称", width=28),
    Column("kind", "标准类别", "choice", STANDARD_KINDS),
    Column("amount", "金额（元）", "number"),
    Column("per_unit", "计量单位", width=10),
    Column("tolerance", "允许上浮", "percent", width=10),
    Column("sector", "行业"),
    Column("source", "出处", width=36),
    Column("evidence", "依据等级", width=10),
)
LIBRARY_INFO = (
    ("id", "编号"),
    ("name", "名称"),
    ("version", "版本"),
    ("benchmark_tolerance", "偏离基准值界限"),
    ("evidence", "依据等级"),
    ("sources", "来源"),
)
STANDARDS_INFO = (
    ("id", "编号"),
    ("name", "名称"),
    ("version", "版本"),
    ("evidence", "依据等级"),
    ("sources", "来源"),
)


# Writing


def _percent_text(share: Decimal) -> str:
    return f"{plain_number(share * HUNDRED)}%"


FLAG_LABELS = {"是": True, "否": False}


def _cell_value(column: Column, value: Any) -> Any:
    if column.kind == "flag":
        return "是" if value else None
    if value is None or value == "" or value == ():
        return None
    if column.kind == "list":
        return "、".join(value)
    if column.kind == "percent":
        return _percent_text(value)
    if column.kind == "choice" and column.choices is not None:
        return next(label for label, code in column.choices.items() if code == str(value))
    return value


def _write_info(book: Workbook, fields: Sequence[tuple[str, str]], info: Mapping[str, Any]) -> None:
    ws = book.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
    ws.append([_bold(ws, "项目"), _bold(ws, "内容")])
    for key, label in fields:
        value = info.get(key)
        if isinstance(value, tuple):
            value = "\n".join(value)
        ws.append([label, data_cell(ws, value if value != "" else None, "@")])


def _write_table(
    book: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]
) -> None:
    ws = book.create_sheet(title)
    for index, column in enumerate(columns):
        ws.column_dimensions[_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([_bold(ws, column.header) for column in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = _cell_value(column, row.get(column.key))
            numeric = column.kind in ("number", "integer")
            cells.append(data_cell(ws, value, None if numeric else "@"))
        ws.append(cells)


def _bold(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True)
    return cell


def _letter(index: int) -> str:
    return str(get_column_letter(index + 1))


def _save(book: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def write_library_workbook(library: IndicatorLibrary, path: Path) -> Path:
    """The library as a workbook to edit and import again."""
    book = Workbook(write_only=True)
    info = {
        "id": library.id,
        "name": library.name,
        "version": library.version,
        "benchmark_tolerance": _percent_text(library.benchmark_tolerance),
        "evidence": library.evidence,
        "sources": library.sources,
    }
    _write_info(book, LIBRARY_INFO, info)
    indicators = [
        {**vars(entry), "aliases": entry.aliases, "evidence": entry.evidence}
        for entry in library.indicators
    ]
    _write_table(book, INDICATOR_SHEET, INDICATOR_COLUMNS, indicators)
    history = [
        {
            "code": value.code,
            "year": value.fiscal_year,
            "department": value.department,
            "project": value.project_code,
            "target": value.target,
            "actual": value.actual,
            "unit": value.unit,
            "source": value.source.value if value.source is PastValueSource.system else value.note,
            "illustrative": value.illustrative,
        }
        for value in library.history
    ]
    _write_table(book, HISTORY_SHEET, HISTORY_COLUMNS, history)
    return _save(book, path)


def write_standards_workbook(standards: CostStandards, path: Path) -> Path:
    """The cost standards as a workbook (amounts in 元) to edit and import again."""
    book = Workbook(write_only=True)
    info = {
        "id": standards.id,
        "name": standards.name,
        "version": standards.version,
        "evidence": standards.evidence,
        "sources": standards.sources,
    }
    _write_info(book, STANDARDS_INFO, info)
    _write_table(book, STANDARD_SHEET, STANDARD_COLUMNS, [vars(s) for s in standards.standards])
    return _save(book, path)


# Reading


@dataclass
class _Table:
    """Where each document row and key came from, to name cells in problems."""

    sheet: Sheet
    rows: list[int]
    columns: dict[str, int]


def _required_sheet(sheets: Mapping[str, Sheet], name: str, problems: list[Problem]) -> Sheet:
    sheet = sheets.get(name)
    if sheet is None:
        problems.append(Problem(name, f"工作簿中没有名为“{name}”的工作表"))
        return Sheet(name, [])
    return sheet


def _read_info(
    sheet: Sheet, fields: Sequence[tuple[str, str]], problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, str]]:
    by_label = {label: key for key, label in fields}
    document: dict[str, Any] = {}
    places: dict[str, str] = {}
    for row in range(1, sheet.height):
        label = text(sheet.value(row, 0))
        key = by_label.get(label)
        if key is None:
            continue
        value = text(sheet.value(row, 1))
        places[key] = sheet.where(row, 1)
        if key == "sources":
            document[key] = [line.strip() for line in value.splitlines() if line.strip()]
        elif value:
            document[key] = value
    for key, label in fields:
        if key not in places and key in ("id", "name", "version"):
            problems.append(Problem(sheet.name, f"缺少“{label}”一行"))
    return document, places


def _read_cell(column: Column, value: CellValue) -> Any:
    if column.kind == "number":
        return number(value, what=column.header)
    if column.kind == "integer":
        return integer(value)
    if column.kind == "flag" and isinstance(value, bool):
        return value
    if column.kind == "percent":
        if isinstance(value, float | int) and not isinstance(value, bool):
            return _percent_text(number(value) or Decimal(0))
        return text(value) or None
    cleaned = text(value)
    if not cleaned:
        return None
    if column.kind == "list":
        return [part.strip() for part in re.split(r"[、,，;；\n]", cleaned) if part.strip()]
    if column.kind == "flag":
        if cleaned in FLAG_LABELS:
            return FLAG_LABELS[cleaned]
        raise CellError(f"“{cleaned}”不是允许的{column.header}，可填：是、否或留空")
    if column.kind == "choice" and column.choices is not None:
        if cleaned in column.choices:
            return column.choices[cleaned]
        if cleaned in column.choices.values():
            return cleaned
        allowed = "、".join(column.choices)
        raise CellError(f"“{cleaned}”不是允许的{column.header}，可选：{allowed}")
    return cleaned


def _read_table(
    sheet: Sheet, columns: Sequence[Column], problems: list[Problem]
) -> tuple[list[dict[str, Any]], _Table]:
    headers = {text(sheet.value(0, col)): col for col in range(sheet.width)}
    found = {
        c.key: headers[header]
        for c in columns
        for header in reversed((c.header, *c.former))
        if header in headers
    }
    table = _Table(sheet, [], found)
    if sheet.height and "code" not in found:
        problems.append(Problem(sheet.where(0, 0), f"第1行应为表头，缺少“{columns[0].header}”列"))
        return [], table
    rows: list[dict[str, Any]] = []
    for row in range(1, sheet.height):
        if all(text(sheet.value(row, col)) == "" for col in found.values()):
            continue
        record: dict[str, Any] = {}
        for column in columns:
            if column.key not in found:
                continue
            col = found[column.key]
            try:
                value = _read_cell(column, sheet.value(row, col))
            except CellError as error:
                problems.append(Problem(sheet.where(row, col), str(error)))
                continue
            if value is not None:
                record[column.key] = value
        rows.append(record)
        table.rows.append(row)
    return rows, table


_PATH = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


def _located(
    problems: Sequence[Problem], tables: Mapping[str, _Table], info: tuple[Sheet, dict[str, str]]
) -> list[Problem]:
    """Document paths ("indicators[3].unit") turned into cells ("指标库!H5")."""
    sheet, places = info
    located = []
    for problem in problems:
        match = _PATH.match(problem.where)
        where = problem.where
        if match and match.group(1) in tables:
            table = tables[match.group(1)]
            row = table.rows[int(match.group(2))]
            col = table.columns.get(match.group(3) or "", None)
            where = table.sheet.row_where(row) if col is None else table.sheet.where(row, col)
        elif problem.where.split(".")[0] in places:
            where = places[problem.where.split(".")[0]]
        elif problem.where in ("", "format") or problem.where.split(".")[0] in ("id", "name"):
            where = sheet.name
        located.append(Problem(where, problem.message))
    return located


def _import(
    path: Path,
    info_fields: Sequence[tuple[str, str]],
    tables: Sequence[tuple[str, str, Sequence[Column]]],
    document_format: str,
    build: Callable[[dict[str, Any]], Any],
) -> Any:
    book = read_workbook(path)
    sheets = {sheet.name: sheet for sheet in book.sheets}
    problems: list[Problem] = []
    info_sheet = _required_sheet(sheets, INFO_SHEET, problems)
    document, places = _read_info(info_sheet, info_fields, problems)
    document["format"] = document_format
    located: dict[str, _Table] = {}
    for key, sheet_name, columns in tables:
        rows, table = _read_table(_required_sheet(sheets, sheet_name, problems), columns, problems)
        document[key] = rows
        located[key] = table
    if problems:
        raise InputRejected(problems)
    try:
        return build(document)
    except InputRejected as rejected:
        raise InputRejected(_located(rejected.problems, located, (info_sheet, places))) from None


def read_library_workbook(path: Path) -> IndicatorLibrary:
    """A library from its workbook; InputRejected naming every cell in error, nothing read."""
    library: IndicatorLibrary = _import(
        path,
        LIBRARY_INFO,
        (
            ("indicators", INDICATOR_SHEET, INDICATOR_COLUMNS),
            ("history", HISTORY_SHEET, HISTORY_COLUMNS),
        ),
        LIBRARY_FORMAT,
        LIBRARY_FILES.from_document,
    )
    return library


def read_standards_workbook(path: Path) -> CostStandards:
    """Cost standards from their workbook (amounts in 元); InputRejected naming every cell."""
    document_unit = {"unit": "元"}

    def build(document: dict[str, Any]) -> CostStandards:
        return STANDARD_FILES.from_document({**document, **document_unit})

    standards: CostStandards = _import(
        path,
        STANDARDS_INFO,
        (("standards", STANDARD_SHEET, STANDARD_COLUMNS),),
        STANDARDS_FORMAT,
        build,
    )
    return standards
