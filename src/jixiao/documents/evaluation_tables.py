"""The self-evaluation tables as an Excel workbook (.xlsx), and reading them back.

Sheets, all laid out from one ``YearEvaluation`` through :mod:`evaluation_forms`:

* 部门整体支出绩效自评表 (when the year has a department-wide goal): 一级 | 二级 | 三级 |
  指标值/计算公式 | 实际值 | 分值 | 得分 | 说明, 总分, 评价等级 and notes;
* one sheet per project, the 项目支出绩效自评表 in the standard layout: title, year,
  项目名称 / 主管部门 / 实施单位, the funds block (项目资金（万元）| 年初预算数 | 全年预算数 |
  全年执行数 | 分值 | 执行率 | 得分), 年度总体目标 (预期目标 / 实际完成情况), the indicator
  block with the 一级 / 二级 cells merged down their groups, 总分, 评价等级 and notes;
* 成本效益分析 (when outputs were costed against a standard): the report's table of unit
  costs (``core.cost_analysis``);
* 审核意见, for the preparer and not for submission (its title says so): the rule sets the
  year was evaluated with, every scoring, audit and quality finding, every score given by
  default (a qualitative indicator without an assessed score), and any form text addressed
  to the preparer (``sheet_setup.for_preparer``), which never appears on a form.

The forms are printed like the bureau's: 宋体, the header rows repeated on every page, page
numbers in the footer, rows as tall as their wrapped text, and the 填报单位（盖章） / 填报人 /
联系电话 / 填报日期 line at the foot (the date filled in when known).

Cells hold numbers: amounts in 万元 rounded half-up to two decimals (``#,##0.00``), rates
as the fraction of the printed percentage (``0.00%``), weights and scores as computed
(``0.00``), so that a cell holds exactly what it shows. A missing figure is the text the
form prints ("未填报", "—").

Text a person typed is written as a text cell, never a formula: openpyxl would store
"=HYPERLINK(…)" as a formula, so every text cell is forced to the string type, and text
starting with = + - @ also gets Excel's quote prefix, so editing it in Excel keeps it text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.cost_analysis import TABLE_HEADERS as COST_TABLE_HEADERS
from jixiao.core.cost_analysis import CostAnalysis, cost_analysis
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.money import HUNDRED, round_half_up
from jixiao.core.year_over_year import UNPUBLISHED, Column, Figure, Row, computed_change
from jixiao.documents.evaluation_forms import (
    DEPARTMENT_FORM_TITLE,
    DEPARTMENT_HEADERS,
    FINDING_HEADERS,
    FUNDS_HEADERS,
    NO_FIGURE,
    NOT_GRADED,
    PROJECT_INDICATOR_HEADERS,
    DepartmentForm,
    EvaluationForms,
    FindingLine,
    IndicatorLine,
    ProjectForm,
    evaluation_forms,
)
from jixiao.documents.sheet_setup import (
    FONT_NAME,
    REVIEW_NOTICE,
    REVIEW_SHEET,
    for_preparer,
    form_font,
    lines_needed,
    merge_cells,
    print_form,
    row_height,
    save_workbook,
    sheet_name,
    styled,
    title_font,
    write_signature,
)
from jixiao.interchange.check_names import check_name, location_text

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTHS = (12, 14, 26, 18, 16, 10, 10, 40)
"""Widths of columns A–H (in characters of the default font) on every form sheet."""
FINDING_WIDTHS = (30, 10, 9, 30, 30, 80)
DEFAULT_SCORE_MARK = "未评定分值"
"""The words of the scoring rule when a qualitative indicator got the default share."""
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = form_font()
_BOLD = form_font(bold=True)
_TITLE = title_font()
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

TEXT, LABEL, AMOUNT, RATE, SCORE = "text", "label", "amount", "rate", "score"
_FORMATS = {AMOUNT: AMOUNT_FORMAT, RATE: RATE_FORMAT, SCORE: SCORE_FORMAT}


def safe_text(text: str) -> str:
    """Text without the control characters a worksheet cannot hold."""
    return _ILLEGAL.sub("", text)


class _Grid:
    """Writes a sheet cell by cell: values, spans, borders, and the heights rows need."""

    def __init__(self, sheet: Worksheet, widths: Sequence[float]) -> None:
        self.sheet = sheet
        self.widths = widths
        self.row = 1
        self.lines: dict[int, int] = {}
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def put(
        self,
        column: int,
        value: Any,
        kind: str = TEXT,
        span: int = 1,
        rows: int = 1,
        align: Alignment | None = None,
    ) -> None:
        """Write ``value`` at (current row, ``column``), merged over ``span`` × ``rows``."""
        sheet, row = self.sheet, self.row
        last_column, last_row = column + span - 1, row + rows - 1
        if span > 1 or rows > 1:  # merged before any border, so openpyxl copies none
            merge_cells(sheet, row, column, last_row, last_column)
        cell = sheet.cell(row=row, column=column)
        number_format, quoted = None, False
        if isinstance(value, Decimal) and kind in _FORMATS:
            cell.value = value
            number_format = _FORMATS[kind]
            alignment, font = _CENTER if align is None else align, _FONT
            text = format(value, "f")
        else:
            text = safe_text("" if value is None else str(value))
            cell.value = text or None
            if text:
                cell.data_type = "s"  # never a formula or an error code
                quoted = text.startswith(FORMULA_LEADERS)
            font = _BOLD if kind == LABEL else _FONT
            default = _LEFT if kind == TEXT and len(text) > 8 else _CENTER
            alignment = default if align is None else align
        styled(cell, font=font, alignment=alignment, border=_BORDER,
               number_format=number_format, quote_prefix=quoted)  # fmt: skip
        for r in range(row, last_row + 1):
            for c in range(column, last_column + 1):
                if (r, c) != (row, column):
                    styled(sheet.cell(row=r, column=c), border=_BORDER)
        if rows == 1:
            needed = lines_needed(text, sum(self.widths[column - 1 : last_column]))
            self.lines[row] = max(self.lines.get(row, 1), needed)

    def title(self, text: str, font: Font = _TITLE, height: float = 28) -> None:
        cell = self.sheet.cell(row=self.row, column=1)
        cell.value = safe_text(text)
        cell.data_type = "s"
        cell.font = font
        cell.alignment = _CENTER
        merge_cells(self.sheet, self.row, 1, self.row, len(self.widths))
        self.sheet.row_dimensions[self.row].height = height
        self.row += 1

    def headers(self, column: int, texts: Sequence[str]) -> None:
        for offset, text in enumerate(texts):
            self.put(column + offset, text, LABEL)

    def next(self, rows: int = 1) -> None:
        self.row += rows

    def fit_heights(self) -> None:
        for row, lines in self.lines.items():
            if lines > 1:
                self.sheet.row_dimensions[row].height = row_height(lines)

    def finish(self, department: str, prepared_on: date | None, title_row: int) -> None:
        """The signature line under the form, row heights, and printing with ``title_row``
        repeated on every page."""
        write_signature(self.sheet, self.row + 1, self.widths, department, prepared_on)
        self.fit_heights()
        print_form(self.sheet, (title_row, title_row))


def published(text: str) -> str:
    """Form text as submitted: text addressed to the preparer is left off the form (the
    审核意见 sheet lists it)."""
    return "" if for_preparer(text) else text


def _score(grid: _Grid, column: int, value: Decimal | None, missing: str = "") -> None:
    if value is None:
        grid.put(column, missing or NO_FIGURE, TEXT, align=_CENTER)
    else:
        grid.put(column, value, SCORE)


def _indicator_rows(grid: _Grid, lines: Sequence[IndicatorLine]) -> None:
    """The indicator rows, with the 一级 and 二级 cells merged down their groups."""
    start = grid.row
    for line in lines:
        actual = line.actual
        grid.put(3, line.level3)
        grid.put(4, line.target)
        if isinstance(actual, Decimal):
            grid.put(5, actual, RATE)
        else:
            grid.put(5, actual)
        _score(grid, 6, line.weight)
        _score(grid, 7, line.score, line.score_text)
        grid.put(8, published(line.remark), align=_LEFT)
        grid.next()
    for column, key in ((1, lambda i: (lines[i].level1,)),
                        (2, lambda i: (lines[i].level1, lines[i].level2))):  # fmt: skip
        index = 0
        while index < len(lines):
            end = index
            while end + 1 < len(lines) and key(end + 1) == key(index):
                end += 1
            grid.row = start + index
            value = lines[index].level1 if column == 1 else lines[index].level2
            grid.put(column, value, rows=end - index + 1, align=_CENTER)
            index = end + 1
    grid.row = start + len(lines)


def _total_rows(grid: _Grid, weight_total: Decimal, total: Decimal | None, grade: str | None,
                notes: Sequence[str]) -> None:  # fmt: skip
    grid.put(1, "总分", LABEL, span=5)
    grid.put(6, weight_total, SCORE)
    _score(grid, 7, total)
    grid.put(8, "")
    grid.next()
    grid.put(1, "评价等级", LABEL, span=5)
    grid.put(6, grade if grade is not None else f"{NOT_GRADED}（评价不完整）", LABEL, span=3)
    grid.next()
    for note in notes:
        if published(note):
            grid.put(1, f"说明：{note}", span=8, align=_LEFT)
            grid.next()


def write_project_sheet(
    sheet: Worksheet, form: ProjectForm, prepared_on: date | None = None
) -> None:
    grid = _Grid(sheet, COLUMN_WIDTHS)
    grid.title(form.title)
    grid.title(form.year_label, _BOLD, 20)
    grid.put(1, "项目名称", LABEL)
    grid.put(2, form.project_name, span=7)
    grid.next()
    grid.put(1, "主管部门", LABEL)
    grid.put(2, form.department, span=3)
    grid.put(5, "实施单位", LABEL)
    grid.put(6, form.unit, span=3)
    grid.next()
    grid.put(1, FUNDS_HEADERS[0], LABEL, span=2)
    grid.headers(3, FUNDS_HEADERS[1:])
    grid.next()
    for line in form.funds:
        grid.put(1, line.label, span=2, align=_CENTER if line.weight is not None else _LEFT)
        grid.put(3, line.initial_budget, AMOUNT)
        grid.put(4, line.final_budget, AMOUNT)
        grid.put(5, line.executed, AMOUNT)
        if line.weight is None:
            for column in (6, 7, 8):
                grid.put(column, NO_FIGURE)
        else:
            grid.put(6, line.weight, SCORE)
            if line.rate is None:
                grid.put(7, NO_FIGURE)
            else:
                grid.put(7, line.rate, RATE)
            _score(grid, 8, line.score)
        grid.next()
    grid.put(1, "年度总体目标", LABEL, rows=2)
    grid.put(2, "预期目标", LABEL, span=3)
    grid.put(5, "实际完成情况", LABEL, span=4)
    grid.next()
    grid.put(2, form.expected_objective, span=3, align=_LEFT)
    grid.put(5, form.actual_objective, span=4, align=_LEFT)
    grid.next()
    header_row = grid.row
    grid.headers(1, PROJECT_INDICATOR_HEADERS)
    grid.next()
    _indicator_rows(grid, form.indicators)
    _total_rows(grid, form.weight_total, form.total, form.grade, form.notes)
    grid.finish(form.unit, prepared_on, header_row)


def write_department_sheet(
    sheet: Worksheet, form: DepartmentForm, prepared_on: date | None = None
) -> None:
    grid = _Grid(sheet, COLUMN_WIDTHS)
    grid.title(form.title)
    grid.title(form.year_label, _BOLD, 20)
    grid.put(1, "部门名称", LABEL)
    grid.put(2, form.department, span=7)
    grid.next()
    header_row = grid.row
    grid.headers(1, DEPARTMENT_HEADERS)
    grid.next()
    _indicator_rows(grid, form.indicators)
    _total_rows(grid, form.weight_total, form.total, form.grade, form.notes)
    grid.finish(form.department, prepared_on, header_row)


def _preparer_lines(
    owner: str, lines: Sequence[IndicatorLine], notes: Sequence[str]
) -> Iterator[FindingLine]:
    """The text of a form addressed to the preparer, which the form leaves off."""
    for line in lines:
        if for_preparer(line.remark):
            yield FindingLine(owner, "表内说明", "", "", line.level3, line.remark)
    for note in notes:
        if for_preparer(note):
            yield FindingLine(owner, "表内说明", "", "", "说明", note)


def _default_scores(result: YearEvaluation) -> Iterator[FindingLine]:
    """Qualitative indicators scored by the rule set's default share (no assessed score)."""
    for project in result.projects:
        owner = f"{project.project_code} {project.project_name}"
        for row in project.evaluation.indicators:
            if DEFAULT_SCORE_MARK in row.rule:
                yield FindingLine(owner, "默认得分", "", "", row.path, row.rule)
    if result.department is not None:
        for duty in result.department.duties:
            if DEFAULT_SCORE_MARK in duty.rule:
                yield FindingLine("部门整体", "默认得分", "", "", duty.result.path, duty.rule)


def _cost_findings(result: YearEvaluation) -> Iterator[FindingLine]:
    names = {p.project_code: f"{p.project_code} {p.project_name}" for p in result.projects}
    for finding in result.cost_findings:
        yield FindingLine(
            names.get(finding.subject, finding.subject), "成本", finding.severity.label,
            finding.id, finding.location, finding.message,
        )  # fmt: skip


def review_lines(result: YearEvaluation, forms: EvaluationForms) -> Iterator[FindingLine]:
    """What the 审核意见 sheet lists after the findings: the rule sets, the scores given by
    default, and the form text addressed to the preparer."""
    rules = result.project_rules
    yield FindingLine("项目支出", "规则集", "", rules.id, "", rules.name)
    if result.department is not None:
        framework = result.department.framework
        yield FindingLine("部门整体", "规则集", "", framework.id, "", framework.name)
    if result.cost_standards is not None and result.unit_costs:
        table = result.cost_standards
        yield FindingLine("成本效益分析", "支出标准表", "", table.id, "", table.name)
    yield from _cost_findings(result)
    yield from _default_scores(result)
    if forms.department is not None:
        department = forms.department
        yield from _preparer_lines("部门整体", department.indicators, department.notes)
    for form in forms.projects:
        owner = f"{form.project_code} {form.project_name}"
        yield from _preparer_lines(owner, form.indicators, form.notes)


def write_review_sheet(
    sheet: Worksheet, forms: EvaluationForms, more: Sequence[FindingLine] = ()
) -> None:
    """审核意见: every finding (or 未发现问题), then ``more`` (rule sets, defaults …)."""
    grid = _Grid(sheet, FINDING_WIDTHS)
    grid.title(f"{forms.fiscal_year}年度{forms.department_name}绩效自评审核意见{REVIEW_NOTICE}")
    header_row = grid.row
    grid.headers(1, FINDING_HEADERS)
    sheet.freeze_panes = sheet.cell(row=grid.row + 1, column=1)
    grid.next()
    if not forms.findings:
        grid.put(1, "未发现问题", span=len(FINDING_WIDTHS), align=_LEFT)
        grid.next()
    for finding in (*forms.findings, *more):
        values = (finding.owner, finding.category, finding.severity, check_name(finding.id),
                  location_text(finding.location), finding.message)  # fmt: skip
        for column, value in enumerate(values, start=1):
            grid.put(column, value, align=_LEFT if column in (1, 5, 6) else _CENTER)
        grid.next()
    grid.fit_heights()
    print_form(sheet, (header_row, header_row))


BASICS_SHEET = "基础信息表"
BASICS_HEADERS = ("项目", "单位", "上年数", "本年数", "增减额", "增减率")
BASICS_WIDTHS = (34, 8, 16, 16, 16, 12)
PARTS_LEAD = "其中："


def write_basics_sheet(
    sheet: Worksheet, title: str, department: str, rows: Sequence[Row], prepared_on: date | None
) -> None:
    """基础信息表: 上年数 and 本年数 as stored, 增减额 and 增减率 computed; "未公布" as such."""
    grid = _Grid(sheet, BASICS_WIDTHS)
    grid.title(title)
    header_row = grid.row
    grid.headers(1, BASICS_HEADERS)
    grid.next()
    for index, row in enumerate(rows):
        grid.put(1, _parts_lead(rows, index) + row.label, align=_LEFT)
        grid.put(2, row.unit)
        last, this = row.figure(Column.last_year), row.figure(Column.this_year)
        for column, figure in ((3, last), (4, this)):
            _basics_figure(grid, column, figure.value, figure.places or 0, _missing(figure))
        change, rate = computed_change(row)
        missing = UNPUBLISHED if UNPUBLISHED in (_missing(last), _missing(this)) else ""
        _basics_figure(grid, 5, change, max(last.places or 0, this.places or 0), missing)
        shown_rate = None if rate is None else round_half_up(rate, 2) / HUNDRED
        grid.put(6, shown_rate if shown_rate is not None else missing, RATE)
        grid.next()
    grid.finish(department, prepared_on, header_row)


def _parts_lead(rows: Sequence[Row], index: int) -> str:
    """"其中：" before a total's first part, as wide a space before its other parts."""
    if rows[index].part_of is None:
        return ""
    first = index == 0 or rows[index - 1].part_of is None
    return PARTS_LEAD if first else "　" * len(PARTS_LEAD)


def _missing(figure: Figure) -> str:
    return UNPUBLISHED if not figure.published else ""


def _basics_figure(
    grid: _Grid, column: int, value: Decimal | None, places: int, missing: str
) -> None:
    if value is None:
        grid.put(column, missing)
        return
    grid.put(column, round_half_up(value, places), AMOUNT)
    grid.sheet.cell(row=grid.row, column=column).number_format = (
        "#,##0" if places == 0 else "#,##0." + "0" * places
    )


COST_SHEET = "成本效益分析"
COST_WIDTHS = (24, 22, 14, 14, 14, 12, 12, 14)


def write_cost_sheet(
    sheet: Worksheet, title: str, department: str, analysis: CostAnalysis,
    prepared_on: date | None,
) -> None:  # fmt: skip
    """成本效益分析: the report's table of unit costs, amounts as numbers."""
    grid = _Grid(sheet, COST_WIDTHS)
    grid.title(title)
    header_row = grid.row
    grid.headers(1, COST_TABLE_HEADERS)
    grid.next()
    for row in analysis.rows:
        grid.put(1, row.project, align=_LEFT)
        grid.put(2, row.output, align=_LEFT)
        cost, unit_cost, standard, difference = row.figures
        grid.put(3, cost, AMOUNT)
        grid.put(4, row.quantity)
        for column, figure in ((5, unit_cost), (6, standard), (7, difference)):
            grid.put(column, figure, AMOUNT)
        grid.put(8, row.conclusion)
        grid.next()
    grid.finish(department, prepared_on, header_row)


def project_sheet_name(form: ProjectForm, taken: set[str]) -> str:
    """A sheet name for the project: code and name, at most 31 characters, unique."""
    return sheet_name(f"{form.project_code} {form.project_name}", taken)


def write_evaluation_workbook(
    result: YearEvaluation,
    path: Path,
    prepared_on: date | None = None,
    basics: Sequence[Row] = (),
) -> Path:
    """Write the self-evaluation tables of ``result`` to ``path`` and return it; the forms'
    填报日期 is ``prepared_on`` (blanks to fill in by hand when None). ``basics``, where the
    year has a 基础信息表, follows the department-wide form."""
    forms = evaluation_forms(result)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    taken = {DEPARTMENT_FORM_TITLE, REVIEW_SHEET, BASICS_SHEET, COST_SHEET}
    if forms.department is not None:
        write_department_sheet(
            workbook.create_sheet(DEPARTMENT_FORM_TITLE), forms.department, prepared_on
        )
    if basics:
        title = f"{result.fiscal_year}年度{result.department_name}{BASICS_SHEET}"
        sheet = workbook.create_sheet(BASICS_SHEET)
        write_basics_sheet(sheet, title, result.department_name, basics, prepared_on)
    for form in forms.projects:
        sheet = workbook.create_sheet(project_sheet_name(form, taken))
        write_project_sheet(sheet, form, prepared_on)
    analysis = cost_analysis(result)
    if analysis is not None:
        title = f"{result.fiscal_year}年度{result.department_name}{COST_SHEET}"
        sheet = workbook.create_sheet(COST_SHEET)
        write_cost_sheet(sheet, title, result.department_name, analysis, prepared_on)
    write_review_sheet(
        workbook.create_sheet(REVIEW_SHEET), forms, tuple(review_lines(result, forms))
    )
    workbook.properties.title = f"{result.fiscal_year}年度{result.department_name}绩效自评表"
    workbook.properties.creator = "jixiao"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(workbook, path)
    return path


def _plain(value: Any) -> Any:
    """Numbers as Decimal (a cell holds at most four decimals, so the text is exact)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def read_evaluation_workbook(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet as rows of cell values (numbers as Decimal; merged-over cells None)."""
    workbook = load_workbook(path)
    return {
        sheet.title: [[_plain(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


__all__ = [
    "AMOUNT_FORMAT",
    "FONT_NAME",
    "RATE_FORMAT",
    "REVIEW_SHEET",
    "SCORE_FORMAT",
    "project_sheet_name",
    "read_evaluation_workbook",
    "write_evaluation_workbook",
]
