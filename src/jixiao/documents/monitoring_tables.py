"""The 项目支出绩效目标执行监控表 as an Excel workbook (.xlsx), and reading it back.

Three sheets for submission, each in 宋体 with a title row merged across the table
("2023年度项目支出绩效目标执行监控表（截至2023年7月31日）"), a row naming the department (and
the unit, "单位：万元", on the sheets that hold money), one bold header row (frozen, and
repeated on every printed page), one row per item, and at the foot the 填报单位（盖章） /
填报人 / 联系电话 / 填报日期 line; pages are numbered in the footer:

* 项目资金执行: per project 项目代码, 项目名称, 年初预算数, 全年预算数, 1–N月执行数, 执行率,
  序时进度, 执行进度比, 预警, 全年预计执行数, 预计执行数下限/上限, 预计结余, 调整建议;
* 绩效指标: per indicator 项目名称, 一/二/三级指标, 年度指标值, 1–N月实际完成值, 完成值截至,
  1–N月完成率, 全年预计完成值 (as a share of the 年度指标值: the core projects completion,
  not a value in the target's unit), 偏差原因类别, 偏差原因说明, 完成目标可能性, 备注;
* 部门汇总: the department and each funding source.

The project sheet ends in a 合计 row: each amount column's total in 元, rounded once (the
figure the report prints); where the printed rows add up to a different figure, a 注 under
the table says the difference is rounding. Lights are filled red, yellow and green.

A fourth sheet, 审核意见, is for the preparer and not for submission (its title says so):
the monitoring's findings (indicators without progress, lines that cannot be monitored …),
the rule set and the forecast's spending profile.

Amounts are numbers in 万元 rounded half-up to two decimals, format ``#,##0.00``; rates
are numbers rounded half-up to four decimals (two as a percentage), format ``0.00%``.
So a cell holds exactly what it shows.

Text a person typed (names, targets, reasons) is written as a text cell, never a
formula: openpyxl would store "=HYPERLINK(…)" as a formula, so such cells are forced to
the string type, and text starting with = + - @ also gets Excel's quote prefix (the
leading apostrophe Excel itself uses), so editing the cell in Excel keeps it text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.consistency import Finding
from jixiao.core.money import ZERO, round_half_up, yuan_to_wan
from jixiao.core.monitoring import Progress
from jixiao.core.monitoring_report import MonitoringReport
from jixiao.documents.monitoring_text import ROUNDING_NOTE as ROUNDING_TEXT
from jixiao.documents.monitoring_text import (
    TOTAL_LABEL,
    basis_text,
    date_text,
    indicator_name,
    later_budgets_note,
    light_text,
    numbered_notes,
    owner_name,
    period_label,
    project_proposal_sentence,
    rounding_gap_message,
    table_title,
)
from jixiao.documents.sheet_setup import (
    REVIEW_NOTICE,
    REVIEW_SHEET,
    SMALL_SIZE,
    form_font,
    lines_needed,
    paint_light,
    print_form,
    row_height,
    save_workbook,
    styled,
    title_font,
    write_signature,
)
from jixiao.interchange.check_names import check_name, location_text

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
UNIT_TEXT = "单位：万元"
PROJECT_SHEET = "项目资金执行"
INDICATOR_SHEET = "绩效指标"
SUMMARY_SHEET = "部门汇总"
ROUNDING_NOTE = f"注：{ROUNDING_TEXT}"
HEADER_ROW = 3
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MIDDLE = Alignment(vertical="center")
_SMALL = form_font(size=SMALL_SIZE)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    """"text", "light" (红灯/黄灯/绿灯, filled in its colour), "amount" (元 in, 万元 out),
    "rate" or "int"."""
    width: float


def amount_cell(yuan: Decimal | None) -> Decimal | None:
    """元 → the 万元 number a cell holds: half-up to two decimals."""
    return None if yuan is None else round_half_up(yuan_to_wan(yuan), 2)


def rate_cell(rate: Decimal | None) -> Decimal | None:
    """A rate → the number a ``0.00%`` cell holds: half-up to four decimals."""
    return None if rate is None else round_half_up(rate, 4)


def safe_text(text: str) -> str:
    """Text without the control characters a worksheet cannot hold."""
    return _ILLEGAL.sub("", text)


def _write(cell: Cell, value: Any, kind: str) -> None:
    number_format, quoted = None, False
    if value is None or value == "":
        cell.value = None
    elif kind == "amount":
        cell.value = amount_cell(value)
        number_format = AMOUNT_FORMAT
    elif kind == "rate":
        cell.value = rate_cell(value)
        number_format = RATE_FORMAT
    elif kind == "int":
        cell.value = int(value)
    else:
        text = safe_text(str(value))
        cell.value = text
        cell.data_type = "s"  # never a formula or an error code, whatever it starts with
        quoted = text.startswith(FORMULA_LEADERS)
    alignment = _WRAP if kind == "text" else _CENTER if kind == "light" else _MIDDLE
    styled(cell, font=_SMALL, alignment=alignment, border=_BORDER,
           number_format=number_format, quote_prefix=quoted)  # fmt: skip
    if kind == "light":
        paint_light(cell)


def _lines(value: Any, column: Column) -> int:
    """Lines a cell's text wraps to (numbers keep to one line)."""
    if column.kind != "text" or value is None:
        return 1
    return lines_needed(safe_text(str(value)), column.width)


def _plain_line(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """A line of text above or below the table: no border, not wrapped into the grid."""
    cell = sheet.cell(row=row, column=column)
    _write(cell, text, "text")
    cell.border = Border()
    cell.alignment = Alignment(vertical="center")
    return cell


@dataclass(frozen=True)
class RoundingGap:
    """A money column whose printed rows add up to another figure than its 合计."""

    header: str
    rows_sum: Decimal
    """The printed rows added up, 万元."""
    total: Decimal
    """The printed 合计, 万元."""


def _total_row(columns: list[Column], rows: list[list[Any]]) -> tuple[list[Any], list[RoundingGap]]:
    """The 合计 row (each amount column summed in 元, so rounded once) and the columns whose
    printed rows add up to another figure."""
    total: list[Any] = [None] * len(columns)
    total[0] = TOTAL_LABEL
    gaps = []
    for index, column in enumerate(columns):
        if column.kind != "amount":
            continue
        values = [row[index] for row in rows if row[index] is not None]
        exact = sum(values, ZERO)
        printed = sum((amount_cell(value) or ZERO for value in values), ZERO)
        total[index] = exact
        if amount_cell(exact) != printed:
            gaps.append(RoundingGap(column.header, printed, amount_cell(exact) or ZERO))
    return total, gaps


def _sheet(
    sheet: Worksheet,
    report: MonitoringReport,
    columns: list[Column],
    rows: list[list[Any]],
    freeze_column: int = 1,
    *,
    title: str | None = None,
    total: list[Any] | None = None,
    notes: Sequence[str] = (),
    signed: bool = True,
) -> None:
    """Lay out one sheet: title, department (and unit), header, ``rows``, the 合计 row
    ``total``, the 注 lines ``notes`` and the signature line."""
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A1:{last}1")
    heading = sheet["A1"]
    _write(heading, title or table_title(report), "text")
    heading.font = title_font()
    heading.alignment = _CENTER
    heading.border = Border()
    sheet.row_dimensions[1].height = 30
    _plain_line(sheet, 2, 1, f"部门：{report.department_name}")
    if any(column.kind == "amount" for column in columns):
        unit = _plain_line(sheet, 2, len(columns), UNIT_TEXT)
        unit.alignment = Alignment(horizontal="right", vertical="center")
    header_lines = 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        _write(cell, column.header, "text")
        cell.font = form_font(bold=True, size=SMALL_SIZE)
        cell.alignment = _CENTER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_lines = max(header_lines, lines_needed(column.header, column.width))
    sheet.row_dimensions[HEADER_ROW].height = max(32.0, row_height(header_lines, SMALL_SIZE))
    body = [*rows, total] if total is not None else list(rows)
    row_number = HEADER_ROW
    for row_number, row in enumerate(body, start=HEADER_ROW + 1):
        lines = 1
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            _write(sheet.cell(row=row_number, column=index), value, column.kind)
            lines = max(lines, _lines(value, column))
        sheet.row_dimensions[row_number].height = row_height(lines, SMALL_SIZE)
    if total is not None:
        for index in range(1, len(columns) + 1):
            sheet.cell(row=row_number, column=index).font = form_font(bold=True, size=SMALL_SIZE)
        sheet.cell(row=row_number, column=1).alignment = _CENTER
        if len(columns) > 1 and columns[1].kind == "text":
            sheet.merge_cells(
                start_row=row_number, start_column=1, end_row=row_number, end_column=2
            )
    widths = [column.width for column in columns]
    for note in notes:
        row_number += 1
        cell = _plain_line(sheet, row_number, 1, note)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.merge_cells(
            start_row=row_number, start_column=1, end_row=row_number, end_column=len(columns)
        )
        sheet.row_dimensions[row_number].height = row_height(
            lines_needed(note, sum(widths)), SMALL_SIZE
        )
    if signed:
        write_signature(sheet, row_number + 2, widths, report.department_name)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=freeze_column + 1)
    print_form(sheet, (HEADER_ROW, HEADER_ROW))


def project_columns(report: MonitoringReport) -> list[Column]:
    period = period_label(report.as_of)
    return [
        Column("项目代码", "text", 12),
        Column("项目名称", "text", 30),
        Column("年初预算数", "amount", 13),
        Column("全年预算数", "amount", 13),
        *([Column("现全年预算数", "amount", 13)] if _adjusted_later(report) else []),
        Column(f"{period}执行数", "amount", 13),
        Column("执行率", "rate", 10),
        Column("序时进度", "rate", 10),
        Column("执行进度比", "rate", 11),
        Column("预警", "light", 8),
        Column("全年预计执行数", "amount", 14),
        Column("预计执行数下限", "amount", 14),
        Column("预计执行数上限", "amount", 14),
        Column("预计结余", "amount", 13),
        Column("预测依据", "text", 18),
        Column("调整建议", "text", 50),
    ]


def _adjusted_later(report: MonitoringReport) -> bool:
    """True when a budget was adjusted after the date: both budgets are shown."""
    return any(p.adjusted_later for p in report.result.projects)


def project_rows(report: MonitoringReport) -> list[list[Any]]:
    result = report.result
    proposals = {code: project_proposal_sentence(report, code) for code in report.plan.lagging}
    rows = []
    for progress in result.projects:
        info = report.project_info(progress.code)
        forecast = report.forecast(progress.code)
        rows.append(
            [
                progress.code,
                info.name,
                info.initial_budget,
                progress.final_budget,
                *([progress.budget_now] if _adjusted_later(report) else []),
                progress.executed,
                progress.execution_rate,
                result.time_progress,
                progress.progress_ratio,
                light_text(progress.light),
                forecast.projected,
                forecast.projected_low,
                forecast.projected_high,
                forecast.projected_unspent,
                basis_text(forecast),
                proposals.get(progress.code, ""),
            ]
        )
    return rows


def indicator_columns(report: MonitoringReport) -> list[Column]:
    period = period_label(report.as_of)
    return [
        Column("项目名称", "text", 24),
        Column("一级指标", "text", 10),
        Column("二级指标", "text", 12),
        Column("三级指标", "text", 22),
        Column("年度指标值", "text", 12),
        Column(f"{period}实际完成值", "text", 14),
        Column("完成值截至", "text", 14),
        Column(f"{period}完成率", "rate", 11),
        Column("全年预计完成值（占年度指标值）", "rate", 16),
        Column("偏差原因类别", "text", 12),
        Column("偏差原因说明", "text", 30),
        Column("完成目标可能性", "text", 12),
        Column("备注", "text", 26),
    ]


def _levels(path: str) -> list[str]:
    parts = path.split("/", 2)
    return [*parts, *[""] * (3 - len(parts))]


def indicator_rows(report: MonitoringReport) -> list[list[Any]]:
    rows = []
    for status in report.result.indicators:
        notes = []  # a likelihood not reported is for the preparer: 审核意见 lists it
        if status.likelihood_suggested:
            notes.append("完成目标可能性按进度推算")
        if status.projected_to_miss:
            notes.append("预计不能完成年度指标")
        if status.rate:
            notes.append("比率类指标，实际值与年度指标值比较，不按月累计")
        level1, level2, level3 = _levels(status.indicator_path)
        rows.append(
            [
                owner_name(report, status.project_code),
                level1,
                level2,
                level3 or indicator_name(status.indicator_path),
                status.target,
                status.progress or "",
                date_text(status.progress_as_of) if status.progress else "",
                status.progress_ratio,
                status.projected_ratio,
                status.reason_category.value if status.reason_category else "",
                status.reason,
                status.likelihood.value if status.likelihood else "",
                "；".join(notes),
            ]
        )
    return rows


def summary_columns(report: MonitoringReport) -> list[Column]:
    return [
        Column("范围", "text", 30),
        Column("全年预算数", "amount", 14),
        Column(f"{period_label(report.as_of)}执行数", "amount", 14),
        Column("执行率", "rate", 10),
        Column("序时进度", "rate", 10),
        Column("执行进度比", "rate", 11),
        Column("预警", "light", 8),
    ]


def _summary_row(report: MonitoringReport, progress: Progress, label: str) -> list[Any]:
    return [
        label,
        progress.final_budget,
        progress.executed,
        progress.execution_rate,
        report.result.time_progress,
        progress.progress_ratio,
        light_text(progress.light),
    ]


def summary_rows(report: MonitoringReport) -> list[list[Any]]:
    result = report.result
    rows = [_summary_row(report, result.department, f"部门整体：{report.department_name}")]
    rows.extend(_summary_row(report, s, f"资金来源：{s.label}") for s in result.sources)
    return rows


REVIEW_COLUMNS = [
    Column("类别", "text", 12),
    Column("严重程度", "text", 9),
    Column("检查", "text", 26),
    Column("对象", "text", 30),
    Column("位置", "text", 24),
    Column("说明", "text", 70),
]


def _finding_row(finding: Finding) -> list[Any]:
    return [
        "检查结果",
        finding.severity.label,
        check_name(finding.id),
        finding.subject,
        location_text(finding.location),
        finding.message,
    ]


def _gap_row(gap: RoundingGap) -> list[Any]:
    return [
        "尾差",
        "提示",
        "",
        PROJECT_SHEET,
        gap.header,
        rounding_gap_message(f"“{gap.header}”列", gap.rows_sum, gap.total),
    ]


def review_rows(report: MonitoringReport, gaps: Sequence[RoundingGap] = ()) -> list[list[Any]]:
    """The 审核意见 sheet: the rule set, the forecast's spending profile, every finding, and
    the rounding gaps of the 合计 row that no 注 states."""
    rules = report.result.rules
    rows: list[list[Any]] = [
        ["规则集", "", "", "", "", f"{rules.name}{f'（{rules.source}）' if rules.source else ''}"],
        ["预测依据", "", "", "", "", report.profile.source],
    ]
    rows.extend(_finding_row(finding) for finding in report.review_findings)
    if not report.rounding_note:
        rows.extend(_gap_row(gap) for gap in gaps)
    if len(rows) == 2:
        rows.append(["检查结果", "", "", "", "", "未发现需要处理的问题"])
    return rows


def project_notes(report: MonitoringReport, gaps: Sequence[RoundingGap]) -> list[str]:
    """The 注 under the project sheet: the report's own 注 under its project table on what
    全年预算数 means at the date, and 尾差 when the department prints it and the printed
    rows add up to another figure than the 合计."""
    texts = [note] if (note := later_budgets_note(report)) else []
    if gaps and report.rounding_note:
        texts.append(ROUNDING_TEXT)
    return numbered_notes(texts)


def write_monitoring_workbook(report: MonitoringReport, path: Path) -> Path:
    """Write the 监控表 workbook to ``path`` and return it."""
    workbook = Workbook()
    projects = workbook.active
    assert projects is not None
    projects.title = PROJECT_SHEET
    columns, rows = project_columns(report), project_rows(report)
    total, gaps = _total_row(columns, rows)
    _sheet(
        projects,
        report,
        columns,
        rows,
        freeze_column=2,
        total=total if rows else None,
        notes=project_notes(report, gaps),
    )
    _sheet(
        workbook.create_sheet(INDICATOR_SHEET),
        report,
        indicator_columns(report),
        indicator_rows(report),
    )
    _sheet(
        workbook.create_sheet(SUMMARY_SHEET),
        report,
        summary_columns(report),
        summary_rows(report),
    )
    _sheet(
        workbook.create_sheet(REVIEW_SHEET),
        report,
        REVIEW_COLUMNS,
        review_rows(report, gaps),
        title=f"{table_title(report)}审核意见{REVIEW_NOTICE}",
        signed=False,
    )
    workbook.properties.title = table_title(report)
    workbook.properties.creator = "jixiao"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(workbook, path)
    return path


@dataclass(frozen=True)
class SheetContent:
    """One sheet read back: its title and unit texts (the unit "" on a sheet without
    money), headers, rows of cell values, the 合计 row and the lines under the table."""

    title: str
    unit: str
    headers: list[str]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    notes: tuple[str, ...] = ()


def _is_foot(first: Any) -> bool:
    return first is None or (isinstance(first, str) and first.startswith(("注", "填报单位")))


def read_monitoring_workbook(path: Path) -> dict[str, SheetContent]:
    """The workbook's sheets as plain rows keyed by header (numbers as openpyxl reads them)."""
    workbook = load_workbook(path)
    sheets = {}
    for sheet in workbook.worksheets:
        headers = [str(cell.value) for cell in sheet[HEADER_ROW] if cell.value is not None]
        rows: list[dict[str, Any]] = []
        total = None
        notes: list[str] = []
        for values in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
            first = values[0] if values else None
            if total is None and not notes and not _is_foot(first):
                row = dict(zip(headers, values, strict=False))
                if first == TOTAL_LABEL:
                    total = row
                else:
                    rows.append(row)
            elif first is not None:
                notes.append(str(first))
        unit = sheet.cell(row=2, column=len(headers)).value
        sheets[sheet.title] = SheetContent(
            title=str(sheet["A1"].value),
            unit="" if unit is None or len(headers) == 1 else str(unit),
            headers=headers,
            rows=rows,
            total=total,
            notes=tuple(notes),
        )
    return sheets


__all__ = [
    "AMOUNT_FORMAT",
    "INDICATOR_SHEET",
    "PROJECT_SHEET",
    "RATE_FORMAT",
    "REVIEW_SHEET",
    "ROUNDING_NOTE",
    "ROUNDING_TEXT",
    "SUMMARY_SHEET",
    "TOTAL_LABEL",
    "UNIT_TEXT",
    "SheetContent",
    "amount_cell",
    "rate_cell",
    "read_monitoring_workbook",
    "safe_text",
    "write_monitoring_workbook",
]
