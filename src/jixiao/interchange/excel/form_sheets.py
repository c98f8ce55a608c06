"""Reading the performance forms out of a workbook, without storage (pure).

``read_forms(workbook) -> list[FormSheet]`` finds every sheet that holds a form (``locate``,
the one locate step of every table) and reads it into a ``FormSheet``: the labelled cells
above the tables, the indicator table (typed rows, each cell's ``sheet!A1``), and, for the
self-evaluation forms, the funds block, the 年度总体目标 texts, the printed subtotals, 总分,
评价等级 and the notes (说明：…). Every cell that cannot be read is a ``Problem`` in
``FormSheet.problems``; reading never stops at the first one.

How the blocks of a form are found (the layouts real units fill vary):

- the indicator header by its text anywhere in the first 60 rows (``headers.find_header``);
- the funds block by its header above the indicators (年初预算数, 全年预算数, 全年执行数
  required). Its unit: “项目资金（万元）” or “全年预算数（元）” in the header, or
  “单位：万元” above it; none is a problem. It ends at the 年度总体目标 block or the
  indicator header;
- 年度总体目标: the cells labelled 预期目标 and 实际完成情况 with the texts in the row below
  (or one text beside 年度总体目标). The words of these labels are the layout's ``labels``
  (``objective``, ``expected_objective``, ``actual_objective``), as are all the labels above
  the tables;
- the indicator rows end at the first row that starts with 总分, 合计, 总计, 评价等级 or
  说明; a row whose 一级/二级/三级 cell ends in 小计 is a first-level subtotal;
- 总分: its 分值 cell is the printed weight total, its 得分 cell the printed total;
- 评价等级: the first cell to the right of the label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.form_layouts import (
    QUALITATIVE_MARK,
    FormKind,
    read_score,
)
from jixiao.interchange.excel.form_vocabulary import NO_GRADE_MARKS, NOT_GRADED
from jixiao.interchange.excel.headers import (
    Header,
    Labelled,
    Table,
    TableRow,
    find_header,
    find_labelled,
    find_unit,
    find_year_in_text,
    fold,
    named_columns,
    read_table,
)
from jixiao.interchange.excel.layout_files import FormLayout, Totals
from jixiao.interchange.excel.locate import (
    Located,
    locate_forms,
    naming_text,
    without_period_labels,
)
from jixiao.interchange.excel.workbook import CellValue, Sheet, Workbook
from jixiao.interchange.problems import Problem

_AS_OF_IN_TITLE = re.compile(r"截[至止](\d{4})年(\d{1,2})月(\d{1,2})日")
_BLOCK_UNIT = re.compile(r"[(\[](?:单位:?)?(?:人民币)?(万元|元)[)\]]")
_NOTE_PREFIX = re.compile(r"^(说明|注|备注)\s*\d*\s*[:：、.]\s*")


@dataclass(frozen=True)
class Figure:
    """One labelled figure of a form: its typed value and where it is."""

    value: Any
    where: str
    raw: CellValue = None


@dataclass(frozen=True)
class Subtotal:
    level1: str
    score: Figure


@dataclass
class FormSheet:
    """A form read from a sheet."""

    kind: FormKind
    sheet: Sheet
    indicators: Table
    layout: FormLayout
    labels: dict[str, Labelled] = field(default_factory=dict)
    year: Figure | None = None
    department_goal: bool = False
    """Goals sheets: the department-wide goal (部门整体支出绩效目标申报表)."""
    funds: Table | None = None
    expected: Figure | None = None
    actual_objective: Figure | None = None
    objective: Figure | None = None
    """Goals sheets: 年度总体目标."""
    subtotals: list[Subtotal] = field(default_factory=list)
    weight_total: Figure | None = None
    total: Figure | None = None
    grade: Figure | None = None
    notes: list[Figure] = field(default_factory=list)
    as_of: Figure | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def read_as(self) -> str:
        """How the sheet was read, for messages: 按版式“财政部项目支出绩效自评表”读取."""
        return f"按版式“{self.layout.name}”读取"

    @property
    def attainment(self) -> bool:
        """A target-vs-actual table without weights or scores (its layout says so)."""
        return self.layout.attainment

    def label(self, key: str) -> Figure | None:
        """A labelled cell's text (codes normalised), or None."""
        found = self.labels.get(key)
        if found is None:
            return None
        where = self.sheet.where(found.row, found.col)
        reader = cells.code if key in ("project_code", "department_code") else cells.text
        try:
            value = reader(found.value)
        except cells.CellError as error:
            self.problems.append(Problem(where, f"{self.label_name(key)}：{error}"))
            return None
        return Figure(value, where, found.value) if value else None

    def label_name(self, key: str) -> str:
        """A labelled cell's name in messages: the first of its layout's words (项目代码)."""
        return next(iter(self.layout.labels.get(key, ())), key)

    def funds_total_row(self) -> TableRow | None:
        """The funds block's total row (年度资金总额: the layout's ``funds_rows.total``
        words), else its first row; None without a funds block or rows."""
        if self.funds is None or not self.funds.rows:
            return None
        words = self.layout.funds_rows.total
        rows = self.funds.rows
        named = (row for row in rows if fold(row.values.get("label") or "").startswith(words))
        return next(named, rows[0])

    def top_where(self) -> str:
        return self.sheet.where(0, 0)

    def text_at(self, row: int, col: int, raw: CellValue, what: str) -> str | None:
        """``cells.text`` of a cell outside the table; a refused cell is a problem (None)."""
        try:
            return cells.text(raw)
        except cells.CellError as error:
            self.problems.append(Problem(self.sheet.where(row, col), f"{what}：{error}"))
            return None


def read_forms(workbook: Workbook, layouts: Sequence[FormLayout] | None = None) -> list[FormSheet]:
    """Every form in the workbook, read (sheets that are not forms are left out).

    ``layouts``: the layouts to tell the forms by (``layout_files.load_layouts``); the
    shipped ones when None.
    """
    located = (found for sheet in workbook.sheets for found in locate_forms(sheet, layouts))
    return read_located(located)


def read_located(located: Iterable[Located]) -> list[FormSheet]:
    """The forms among the tables located, read (a form is read whole, never streamed)."""
    return [
        read_form(replace(found, sheet=found.sheet.materialized()))
        for found in located
        if found.layout.form.is_form
    ]


def read_form(classified: Located) -> FormSheet:
    kind, sheet, header = classified.kind, classified.sheet, classified.header
    if kind is FormKind.goals:
        return _goals(sheet, header, classified.layout)
    if kind is FormKind.monitoring:
        return _monitoring(sheet, header, classified.layout)
    return _evaluation(kind, sheet, header, classified.layout)


def _indicators(sheet: Sheet, layout: FormLayout, header: Header) -> Table:
    table = read_table(sheet, layout.indicators, header)
    assert table is not None
    if table.has("operator") or table.has("unit"):
        for row in table.rows:
            _compose(row)
    return table


_BARE_NUMBER = re.compile(r"^[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)$")
_LEADING_NUMBER = re.compile(r"^[+-]?\.?\d")
_LEADING_OPERATOR = re.compile(r"^\s*[≥≤≧≦><=＞＜＝]{1,2}\s*")
_VALUE_KEYS = ("actual", "progress", "projected", "last_year")


def _with_unit(text: str, unit: str) -> str:
    return f"{text}{unit}" if unit and _BARE_NUMBER.match(cells.normalised(text)) else text


def _compose(row: TableRow) -> None:
    """A row of a layout with 计算符号 and 度量单位 in columns of their own, as one target.

    指标性质 “≥” | 指标值 “95” | 度量单位 “%” reads as the target “≥95%”, and an actual
    “96” as “96%”. A 指标值 that already has its operator or unit keeps it; “定性” leaves
    the target as written. A comparison without its figure (“≥” | blank | “%”, or “≥” |
    “百分之九十五”) keeps its operator, so that it reads as the quantitative target it
    cannot be, not as a qualitative one.
    """
    values = row.values
    unit = values.get("unit") or ""
    operator = values.get("operator")
    target = values.get("target")
    if target and operator != QUALITATIVE_MARK:
        values["target"] = _target(target, operator or "", unit)
    elif operator and operator != QUALITATIVE_MARK and "target" not in row.failed:
        values["target"] = f"{operator}{unit}"
    for key in _VALUE_KEYS:
        if values.get(key):
            values[key] = _with_unit(values[key], unit)


def _target(target: str, operator: str, unit: str) -> str:
    written = _LEADING_OPERATOR.match(target)
    own = written.group(0) if written else ""
    rest = target[len(own) :]
    if not _LEADING_NUMBER.match(cells.normalised(rest)):
        return target if own or not operator else f"{operator}{target}"  # text: as written
    return f"{own or operator}{_with_unit(rest, unit)}"


# --- common pieces -----------------------------------------------------------------


def _first_text(sheet: Sheet, row: int) -> str:
    for value in sheet.rows[row] if row < sheet.height else ():
        if isinstance(value, str) and value.strip():
            return fold(value)
        if value is not None and not isinstance(value, str):
            return ""
    return ""


def _labels(form: FormSheet, rows: range) -> None:
    form.labels = find_labelled(form.sheet, form.layout.labels, rows)
    year = form.labels.get("year")
    if year is None:
        titled = find_year_in_text(form.sheet, rows)
        if titled is not None:
            year = titled
    if year is not None:
        where = form.sheet.where(year.row, year.col)
        try:
            value = cells.integer(year.value)
            if value is not None and not 1990 <= value <= 2100:
                raise cells.CellError(f"“{cells.display(year.value)}”不是有效的年度")
        except cells.CellError as error:
            form.problems.append(Problem(where, f"年度：{error}"))
            return
        if value is not None:
            form.year = Figure(value, where, year.value)


def _number(form: FormSheet, row: int, col: int | None, what: str) -> Figure | None:
    if col is None:
        return None
    raw = form.sheet.value(row, col)
    if cells.is_blank(raw):
        return None
    where = form.sheet.where(row, col)
    try:
        value = read_score(raw, cells.Declared())
    except cells.CellError as error:
        form.problems.append(Problem(where, f"{what}：{error}"))
        return None
    return None if value is None else Figure(value, where, raw)


def _cut(sheet: Sheet, end: int, blank: set[int] = frozenset()) -> Sheet:  # type: ignore[assignment]
    rows = [[] if index in blank else row for index, row in enumerate(sheet.rows[:end])]
    return replace(sheet, rows=rows)


# --- 项目支出绩效目标申报表 ----------------------------------------------------------------


def _goals(sheet: Sheet, header: Header, layout: FormLayout) -> FormSheet:
    table = _indicators(sheet, layout, header)
    form = FormSheet(FormKind.goals, sheet, table, layout, problems=list(table.problems))
    _labels(form, range(0, header.rows[0]))
    form.department_goal = layout.department_goal.names(
        naming_text(sheet), "project_code" in form.labels
    )
    found = form.labels.get("objective")
    if found is not None:
        text = form.text_at(found.row, found.col, found.value, form.label_name("objective"))
        if text is not None:
            form.objective = Figure(text, sheet.where(found.row, found.col))
    return form


# --- 项目支出绩效目标执行监控表 ------------------------------------------------------------


def _monitoring(sheet: Sheet, header: Header, layout: FormLayout) -> FormSheet:
    table = _indicators(sheet, layout, header)
    form = FormSheet(FormKind.monitoring, sheet, table, layout, problems=list(table.problems))
    funds_row = _funds(form, header.rows[0])  # a province's form has one (1-7月执行数 …)
    top = range(0, header.rows[0])
    _labels(form, range(0, funds_row if funds_row is not None else header.rows[0]))
    labelled = form.labels.get("as_of")
    if labelled is not None:
        where = sheet.where(labelled.row, labelled.col)
        try:
            day = cells.date_value(labelled.value)
        except cells.CellError as error:
            form.problems.append(Problem(where, f"截至日期：{error}"))
            day = None
        if day is not None:
            form.as_of = Figure(day, where, labelled.value)
    if form.as_of is None:
        for row in top:
            for col, value in enumerate(sheet.rows[row] if row < sheet.height else ()):
                match = _AS_OF_IN_TITLE.search(fold(value)) if isinstance(value, str) else None
                if match:
                    try:
                        day = date(*(int(part) for part in match.groups()))
                    except ValueError:
                        form.problems.append(
                            Problem(sheet.where(row, col), f"截至日期：“{value}”不是存在的日期")
                        )
                        continue
                    form.as_of = Figure(day, sheet.where(row, col), value)
                    break
            if form.as_of is not None:
                break
    return form


# --- 项目支出绩效自评表 and 部门整体支出绩效自评表 -------------------------------------------


def _block_unit(sheet: Sheet, rows: range) -> AmountUnit | None:
    """The unit of the funds block: “项目资金（万元）” in its header row, or above it."""
    header = rows[-1] if rows else -1
    for row in rows:
        for value in sheet.rows[row] if row < sheet.height else ():
            if isinstance(value, str):
                match = _BLOCK_UNIT.search(fold(value))
                named = row == header or any(w in value for w in ("资金", "金额", "单位", "预算"))
                if match and named:
                    return AmountUnit(match.group(1))
    unit, _ = find_unit(sheet, rows)
    return unit


def _funds(form: FormSheet, before: int) -> int | None:
    """Read the funds block above row ``before``; the row it starts at, or None."""
    sheet = form.sheet
    spec = form.layout.funds
    if spec is None:
        return None
    if form.kind is FormKind.monitoring:  # “1-7月执行数”, “1-7月执行率” name their columns
        sheet = without_period_labels(sheet, range(0, before))
    found = find_header(sheet, spec, scan_rows=before, minimum=3)
    if found is None or found.rows[0] >= before:
        return None
    required = [c.key for c in spec.columns if c.required]
    if not required or any(key not in found.columns for key in required):
        return None
    unit = _block_unit(sheet, range(0, found.rows[-1] + 1))
    header = find_header(sheet, spec, scan_rows=before, minimum=3, default_unit=unit)
    assert header is not None
    end = before
    starts, whole = _funds_ends(form.layout)
    for row in range(header.first_data_row, before):
        text = _first_text(sheet, row)
        if text.startswith(starts) or text in whole or _indicator_header_row(form, row):
            end = row
            break
    table = read_table(_cut(sheet, end), spec, header)
    assert table is not None
    form.funds = table
    form.problems.extend(table.problems)
    return header.rows[0]


def _indicator_header_row(form: FormSheet, row: int) -> bool:
    """A row naming two or more of the indicator table's columns (the top row of a two-row
    header, 绩效指标 over 一级/二级/三级, right under the funds block) ends the block."""
    return len(named_columns(form.sheet.rows[row], form.layout.indicators)) >= 2


def _words(layout: FormLayout, key: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in layout.labels.get(key, ()))


def _funds_ends(layout: FormLayout) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Where a funds block ends: a row starting with a word of the 年度总体目标 block's
    label, or one that is its 预期目标 / 实际完成情况 label or the indicator header."""
    level1 = next((c.names for c in layout.indicators.columns if c.key == "level1"), ())
    small = _words(layout, "expected_objective") + _words(layout, "actual_objective")
    return _words(layout, "objective"), small + tuple(map(fold, level1))


_OBJECTIVE_TEXTS = {"expected_objective": "expected", "actual_objective": "actual_objective"}
"""The 年度总体目标 block's labels, and the ``FormSheet`` field the text below each is."""
_OBJECTIVE_NAMES = {"expected": "objective", "actual_objective": "actual_objective"}
"""The label that names each text in messages (年度总体目标, 实际完成情况)."""


def _objective(form: FormSheet, rows: range) -> None:
    sheet = form.sheet
    words = {key: _words(form.layout, key) for key in _OBJECTIVE_TEXTS}
    small = {word for found in words.values() for word in found}
    for row in rows:
        for col, value in enumerate(sheet.rows[row] if row < sheet.height else ()):
            if not isinstance(value, str):
                continue
            text = fold(value)
            key = next((_OBJECTIVE_TEXTS[k] for k, found in words.items() if text in found), None)
            if key is None or getattr(form, key) is not None:
                continue
            below = sheet.value(row + 1, col)
            if below is None or (isinstance(below, str) and fold(below) in small):
                continue
            read = form.text_at(row + 1, col, below, form.label_name(_OBJECTIVE_NAMES[key]))
            if read is not None:
                setattr(form, key, Figure(read, sheet.where(row + 1, col), below))
    if form.expected is None:  # one text beside 年度总体目标, not a label of the block
        found = find_labelled(sheet, {"objective": form.layout.labels.get("objective", ())}, rows)
        if "objective" in found:
            labelled = found["objective"]
            objective = form.text_at(
                labelled.row, labelled.col, labelled.value, form.label_name("objective")
            )
            if objective is not None and fold(objective) not in small:
                form.expected = Figure(objective, sheet.where(labelled.row, labelled.col))


def _group_name(value: CellValue) -> str:
    """A 一级指标 cell's text; the table reports a cell it refuses (here it only names)."""
    try:
        return cells.text(value)
    except cells.CellError:
        return str(value)


def _subtotal_name(value: CellValue) -> str | None:
    if not isinstance(value, str):
        return None
    text = fold(value)
    if text.endswith("小计"):
        name = text.removesuffix("小计").strip(":：")
        opened, closed = name.count("(") + name.count("（"), name.count(")") + name.count("）")
        # “产出指标（50分）小计” keeps its weight for the group name to drop; “（产出）小计” not
        if opened != closed or name.startswith(("(", "（")):
            name = name.strip("(（)）")
        return name
    return None


def _evaluation(kind: FormKind, sheet: Sheet, header: Header, layout: FormLayout) -> FormSheet:
    columns = header.columns
    end_words = layout.totals.end
    level_cols = [columns[key] for key in ("level1", "level2", "level3") if key in columns]
    end = sheet.height
    subtotal_rows: dict[int, str] = {}
    last_level1 = ""
    for row in range(header.first_data_row, sheet.height):
        first = _first_text(sheet, row)
        if first.startswith(end_words) or _NOTE_PREFIX.match(first):
            end = row
            break
        names = [_subtotal_name(sheet.value(row, col)) for col in level_cols]
        if any(name is not None for name in names):
            group = next((n for n in names if n), "")
            if not group:
                level1 = sheet.value(row, level_cols[0]) if level_cols else None
                group = _group_name(level1) if _subtotal_name(level1) is None else last_level1
            subtotal_rows[row] = group or last_level1
            continue
        if level_cols and not cells.is_blank(sheet.value(row, level_cols[0])):
            last_level1 = _group_name(sheet.value(row, level_cols[0]))
    table = _indicators(_cut(sheet, end, set(subtotal_rows)), layout, header)
    form = FormSheet(kind, sheet, table, layout, problems=list(table.problems))
    funds_row = _funds(form, header.rows[0])  # the department form may have one too
    top = range(0, funds_row if funds_row is not None else header.rows[0])
    _labels(form, top)
    _objective(form, range(0, header.rows[0]))
    score_col = columns.get("score")
    for row, group in subtotal_rows.items():
        figure = _number(form, row, score_col, f"{group}小计")
        if figure is not None:
            form.subtotals.append(Subtotal(group, figure))
    _tail(form, header, end)
    return form


def _tail(form: FormSheet, header: Header, end: int) -> None:
    """总分, 评价等级 and the notes below the indicator rows."""
    sheet = form.sheet
    columns = header.columns
    totals = form.layout.totals
    for row in range(end, min(sheet.height, end + 40)):
        first = _first_text(sheet, row)
        if not first:
            continue
        if first.startswith(totals.total):
            if form.weight_total is None and form.total is None:
                form.weight_total = _number(form, row, columns.get("weight"), "总分（分值）")
                form.total = _number(form, row, columns.get("score"), "总分（得分）")
            grade = _grade_beside(form, row, totals)
            if grade is not None and form.grade is None:
                form.grade = grade
        elif first.startswith(totals.grade):
            if form.grade is None:
                form.grade = _grade_beside(form, row, totals)
        else:
            if _NOTE_PREFIX.match(first):
                raw = next(v for v in sheet.rows[row] if isinstance(v, str) and v.strip())
                note = form.text_at(row, 0, raw, "说明")
                if note is not None:
                    text = _NOTE_PREFIX.sub("", note, count=1)
                    form.notes.append(Figure(text, sheet.where(row, 0), raw))


def _grade_beside(form: FormSheet, row: int, totals: Totals) -> Figure | None:
    """The grade written to the right of a 评价等级 label (in the same row)."""
    sheet = form.sheet
    cells_ = sheet.rows[row]
    label_seen = False
    words = sorted(totals.grade, key=len, reverse=True)
    for col, value in enumerate(cells_):
        if cells.is_blank(value):
            continue
        text = fold(value) if isinstance(value, str) else ""
        if text.startswith(totals.grade):
            label_seen = True
            inline = re.sub(f"^({'|'.join(map(re.escape, words))}):?", "", text)
            if inline:
                return Figure(inline, sheet.where(row, col), value)
            continue
        if label_seen and isinstance(value, str):
            grade = form.text_at(row, col, value, "评价等级")
            if grade is None:
                return None
            if grade.startswith(NOT_GRADED) or fold(grade) in NO_GRADE_MARKS:
                return None  # what an export prints when the evaluation is incomplete
            return Figure(grade, sheet.where(row, col), value)
    return None


def note_value(note: Figure, prefix: str) -> str | None:
    """The text after ``prefix`` (e.g. 预算执行情况说明：) in a note, or None."""
    text = str(note.value)
    for sep in ("：", ":"):
        if text.startswith(prefix + sep):
            return text[len(prefix) + 1 :].strip()
    return None


def sheet_project_code(sheet: Sheet) -> str | None:
    """The first word of a sheet's name (“LW23-P07 不动产登记业务运行” → “LW23-P07”)."""
    first = sheet.name.strip().split(" ", 1)[0]
    return first if first and first != sheet.name.strip() else None
