"""Reading a 部门整体 基础信息表 (基础数据表): rows of 上年数 / 本年数 / 增减额 / 增减率.

A sheet is such a table when its title names 基础信息表 or 基础数据表 and a header row has a
last-year and a this-year column: "上年数" / "本年数" (and their variants: 上年度, 上年决算数,
本年度预算数 …) or two year columns ("2022年" / "2023年", the later one being this year).
增减额 and 增减率 columns are read where the form prints them.

Rows:

* the label column is the header's 项目 / 指标 / 内容 column, else the first column;
* the unit is the row's 单位 column, else a unit written in the label ("编制数（人）"), else
  the sheet's "单位：万元";
* a row whose label starts with "其中" and the unnumbered rows after it are the 其中 parts
  of the row before them; a numbered row ("二、", "（二）") or a 合计 row ends the parts;
* reading stops at a note ("注：", "说明：", "填表人").

Cells: a number (at the decimals it is printed with); "未公布" / "未公开" / "不公开" — not
published; a blank — not filled, or not published where the sheet says so ("空白表示未公布").
A cell that is none of these is a reading problem; what needs it cannot be verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.core.year_over_year import Column, Figure, Row
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.cells import CellError, PercentMeaning
from jixiao.interchange.excel.printed_places import PrintedPlaces
from jixiao.interchange.excel.workbook import CellValue, Sheet, Workbook
from jixiao.interchange.problems import Problem

TITLE_WORDS = ("基础信息表", "基础数据表")
HEADER_ROWS = 12
"""Rows from the top within which the header row is looked for."""
_HEADERS: dict[Column, tuple[str, ...]] = {
    Column.last_year: ("上年数", "上年", "上年度", "上年决算数", "上年度决算数", "上年预算数",
                       "上年度预算数", "上年实际数", "上年度数"),
    Column.this_year: ("本年数", "本年", "本年度", "本年决算数", "本年度决算数", "本年预算数",
                       "本年度预算数", "本年实际数", "本年度数"),
    Column.change: ("增减额", "增减", "增减数", "比上年增减", "增减金额", "较上年增减"),
    Column.change_rate: ("增减率", "增长率", "增减幅度", "增减比例", "变动率", "增幅",
                         "比上年增减率", "较上年增减率"),
}  # fmt: skip
_LABEL_HEADERS = ("项目", "指标", "内容", "项目名称", "指标名称", "科目")
_UNIT_HEADERS = ("单位", "计量单位")
_YEAR = re.compile(r"^(\d{4})年度?(?:决算数|预算数|实际数|数)?$")
_UNIT_IN_TEXT = re.compile(r"单位[:：]\s*(万元|元|亿元)")
_UNIT_IN_LABEL = re.compile(r"[（(](万元|元|亿元|人|个|辆|%)[）)]\s*$")
_UNPUBLISHED = ("未公布", "未公开", "不公开", "未披露")
_BLANK_MEANS_UNPUBLISHED = re.compile(r"空白[^。；;]{0,6}(未公布|未公开|不公开)")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
_TOTAL = ("合计", "总计")
_PARTS = "其中"
_NOTES = ("注", "说明", "填表人", "备注", "审核人")


@dataclass
class BasicsTable:
    """A 基础信息表 as read: its rows for ``core.year_over_year`` and what could not be read."""

    sheet: str
    title: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _plain_text(value: CellValue) -> str:
    return "" if value is None else cells.display(value).strip()


def _fold(value: CellValue) -> str:
    text = _plain_text(value)
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def _header_text(value: CellValue) -> str:
    """A header without its unit: "上年数(万元)" → "上年数"."""
    return re.sub(r"\([^)]*\)$", "", _fold(value))


def _title(sheet: Sheet, rows: int) -> str:
    return "".join(_fold(sheet.value(r, c)) for r in range(rows) for c in range(sheet.width))


def is_basics_sheet(sheet: Sheet) -> bool:
    top = _title(sheet, min(HEADER_ROWS, sheet.height))
    return any(word in top for word in TITLE_WORDS) and _header(sheet) is not None


def _header(sheet: Sheet) -> tuple[int, dict[Column, int]] | None:
    for row in range(min(HEADER_ROWS, sheet.height)):
        found: dict[Column, int] = {}
        years: dict[int, int] = {}
        for col in range(sheet.width):
            text = _header_text(sheet.value(row, col))
            for column, names in _HEADERS.items():
                if text in names and column not in found:
                    found[column] = col
            year = _YEAR.match(text)
            if year:
                years[int(year.group(1))] = col
        if len(years) == 2 and not {Column.last_year, Column.this_year} & found.keys():
            last, this = sorted(years)
            found[Column.last_year], found[Column.this_year] = years[last], years[this]
        if {Column.last_year, Column.this_year} <= found.keys():
            return row, found
    return None


def basics_tables(workbook: Workbook, places: PrintedPlaces) -> list[BasicsTable]:
    """Every 基础信息表 of a workbook, read."""
    return [read_basics(sheet, places) for sheet in workbook.sheets if is_basics_sheet(sheet)]


def read_basics(sheet: Sheet, places: PrintedPlaces) -> BasicsTable:
    header = _header(sheet)
    assert header is not None
    header_row, columns = header
    label_col = next(
        (c for c in range(sheet.width) if _header_text(sheet.value(header_row, c))
         in _LABEL_HEADERS), 0,
    )  # fmt: skip
    unit_col = next(
        (c for c in range(sheet.width) if _header_text(sheet.value(header_row, c))
         in _UNIT_HEADERS), None,
    )  # fmt: skip
    text = _title(sheet, sheet.height)
    sheet_unit = _UNIT_IN_TEXT.search(_title(sheet, header_row + 1))
    blank_unpublished = _BLANK_MEANS_UNPUBLISHED.search(text) is not None
    table = BasicsTable(sheet.name, _title(sheet, 1) or sheet.name)
    parent: int | None = None
    in_parts = False
    for row in range(header_row + 1, sheet.height):
        label = _plain_text(sheet.value(row, label_col))
        folded = _fold(label)
        if not folded:
            continue
        if folded.startswith(_NOTES):
            break
        numbered = bool(_NUMBERED.match(folded)) or any(word in folded for word in _TOTAL)
        if folded.startswith(_PARTS):
            in_parts = True
        elif numbered:
            in_parts = False
        unit = _unit(sheet, row, unit_col, label, sheet_unit.group(1) if sheet_unit else "")
        figures = {
            column: _figure(sheet, row, col, column, places, blank_unpublished, table.problems)
            for column, col in columns.items()
        }
        index = len(table.rows)
        table.rows.append(
            Row(
                label=_PARTS_PREFIX.sub("", label),
                unit=unit,
                figures=figures,
                where=sheet.row_where(row),
                part_of=parent if in_parts else None,
            )
        )
        if not in_parts:
            parent = index
    return table


_PARTS_PREFIX = re.compile(r"^其中\s*[:：]?\s*")


def _unit(sheet: Sheet, row: int, unit_col: int | None, label: str, default: str) -> str:
    if unit_col is not None:
        written = _plain_text(sheet.value(row, unit_col))
        if written:
            return written
    in_label = _UNIT_IN_LABEL.search(label.strip())
    return in_label.group(1) if in_label else default


def _figure(
    sheet: Sheet,
    row: int,
    col: int,
    column: Column,
    places: PrintedPlaces,
    blank_unpublished: bool,
    problems: list[Problem],
) -> Figure:
    raw = sheet.value(row, col)
    where = sheet.where(row, col)
    if isinstance(raw, str) and _fold(raw) in _UNPUBLISHED:
        return Figure(None, where=where, published=False)
    if cells.is_blank(raw):
        return Figure(None, where=where, published=not blank_unpublished)
    try:
        if column is Column.change_rate:
            shown = places.formats.get(sheet.name, {}).get((row, col))
            meaning = PercentMeaning.fraction if shown and shown.percent else PercentMeaning.points
            value = cells.percent(raw, meaning)
            printed = places.at(where, raw, meaning)
        else:
            value = cells.number(raw, what="数值")
            printed = places.at(where, raw)
    except CellError as error:
        problems.append(Problem(where, f"{column}：{error}"))
        return Figure(None, where=where, unread=True)
    return Figure(value, printed, where)
