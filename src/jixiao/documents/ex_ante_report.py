"""The 事前绩效评估报告 (.docx) and its 评分表 (.xlsx) of one project.

The report is written on the monitoring report's Word template (``monitoring.docx``):
its page setup, page numbers and named styles (公文标题, 公文正文, 一级标题, 二级标题,
公文表格, 公文表头, 表格单位) are the other reports', and :func:`finish_for_print` breaks
the title and right-aligns the figures as there. The score sheet is a bureau form: 宋体,
title row, borders, landscape A4, the signature line at its foot. Every score, total and
the conclusion come from the scored assessment (``jixiao.core.ex_ante``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib.resources import as_file, files
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.ex_ante import AssessmentResult, conclusion_text
from jixiao.core.money import format_wan, round_half_up
from jixiao.core.scoring import plain_number
from jixiao.core.wording import sentence
from jixiao.documents.docx_layout import finish_for_print
from jixiao.documents.docx_tables import TYPE_AREA_WIDTH, closing_lines, official_table
from jixiao.documents.sheet_setup import (
    form_font,
    lines_needed,
    name_workbook,
    print_form,
    row_height,
    title_font,
    write_signature,
)

TEMPLATE_NAME = "monitoring.docx"
SHEET_TITLE = "事前绩效评估评分表"
SHEET_HEADERS = ("评估维度", "编号", "评分项", "评分要点", "分值", "得分", "等级", "评分说明")
SHEET_WIDTHS = (14.0, 7.0, 18.0, 40.0, 7.0, 7.0, 7.0, 36.0)
SCORE_WIDTHS = (TYPE_AREA_WIDTH - 60, 30.0, 30.0)
_EVIDENCE_NOTE = re.compile(r"（([VDL])(?:[，,][^（）]*)?）$")
"""The evidence tag a rule file gives a source: “…（D，凭记忆复述）” (V/D/L, a note)."""
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class ExAnteReport:
    """What the report and the score sheet print about one project's assessment."""

    department_name: str
    fiscal_year: int
    project_code: str
    project_name: str
    requested_budget: Decimal
    """元."""
    last_year_budget: Decimal | None
    reason: str
    """Why the project needs an assessment ("" when it was filled without being required)."""
    result: AssessmentResult
    comments: Mapping[str, str] = field(default_factory=dict)
    """评分说明 by item code."""
    assessor: str = ""
    assessed_on: date | None = None
    opinion: str = ""
    reviewed: bool = False
    """The assessment was reviewed (已审核): the sheet then states its conclusion as the
    review's; a workflow status (草稿, 已提交) is the preparer's, not the reader's."""

    @property
    def title(self) -> str:
        return f"{self.project_name}事前绩效评估报告"

    @property
    def review_conclusion(self) -> str:
        if not self.reviewed or self.result.conclusion is None:
            return ""
        return self.result.conclusion.value

    @property
    def dated(self) -> date:
        return self.assessed_on or date(self.fiscal_year, 1, 1)


def without_note(text: str) -> str:
    """A rule file's source or name without the evidence note at its end."""
    text = _EVIDENCE_NOTE.sub("", text.strip())
    return re.sub(r"（[^（）]*(?:做法|常见|本地)[^（）]*）$", "", text)


def _basis(sources: tuple[str, ...]) -> str:
    """“按照…，” naming the documents the sheet rests on; a local practice ([L]) is not a
    document to cite, so it is left out (the rule file keeps it)."""
    cited = [
        without_note(source)
        for source in sources
        if (tag := _EVIDENCE_NOTE.search(source.strip())) is None or tag.group(1) != "L"
    ]
    return f"按照{'、'.join(cited)}，" if cited else ""


def _score(value: Decimal | None) -> str:
    return "—" if value is None else plain_number(value)


def _total(report: ExAnteReport) -> str:
    result = report.result
    return plain_number(round_half_up(result.total, result.sheet.rounding_places))


def _budget_sentence(report: ExAnteReport) -> str:
    requested = f"申请资金{format_wan(report.requested_budget)}万元"
    if report.last_year_budget is None:
        return f"{requested}，为新增项目。"
    return f"{requested}，上年预算{format_wan(report.last_year_budget)}万元。"


# The report (.docx)


def _clear_body(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _write_report(document: Any, report: ExAnteReport) -> None:
    result = report.result
    sheet = result.sheet
    document.add_paragraph(report.title, style="公文标题")
    document.add_paragraph("一、项目基本情况", style="一级标题")
    document.add_paragraph(
        f"{report.project_name}（项目代码{report.project_code}）由{report.department_name}申报，"
        f"预算年度{report.fiscal_year}年，{_budget_sentence(report)}",
        style="公文正文",
    )
    if report.reason:
        document.add_paragraph(f"{report.reason}。", style="公文正文")
    document.add_paragraph("二、评估依据和方法", style="一级标题")
    document.add_paragraph(
        f"{_basis(sheet.sources)}采用{without_note(sheet.name)}（{sheet.version}版），从"
        f"{'、'.join(d.name for d in sheet.dimensions)}{len(sheet.dimensions)}个维度"
        f"{len(sheet.items)}个评分项进行评分，满分100分。",
        style="公文正文",
    )
    document.add_paragraph("三、评估内容和评分情况", style="一级标题")
    document.add_paragraph("单位：分", style="表格单位")
    rows = [(d.name, plain_number(d.weight), plain_number(d.score)) for d in result.dimensions]
    rows.append(("合计", plain_number(sum((d.weight for d in result.dimensions), Decimal(0))),
                 _total(report)))  # fmt: skip
    official_table(document, ("评估维度", "分值", "得分"), rows, SCORE_WIDTHS, total_rows=1)
    by_dimension: dict[str, list[str]] = {}
    for item in result.items:
        band = f"，等级{item.band.label}" if item.band is not None else ""
        comment = report.comments.get(item.item.code, "").strip()
        scored = "未评分" if item.score is None else f"得分{_score(item.score)}分{band}"
        weight = plain_number(item.item.weight)
        text = f"{item.item.code} {item.item.name}（分值{weight}分，{scored}）"
        by_dimension.setdefault(item.item.dimension, []).append(
            f"{text}：{sentence(comment)}" if comment else f"{text}。"
        )
    for number, dimension in enumerate(result.dimensions, start=1):
        document.add_paragraph(f"（{_CHINESE_NUMBERS[number]}）{dimension.name}", style="二级标题")
        for line in by_dimension.get(dimension.name, []):
            document.add_paragraph(line, style="公文正文")
    document.add_paragraph("四、评估结论", style="一级标题")
    document.add_paragraph(conclusion_text(result), style="公文正文")
    for finding in result.findings:
        if finding.id == "ex-ante-veto":
            document.add_paragraph(finding.message, style="公文正文")
    if report.opinion.strip():
        document.add_paragraph(report.opinion.strip(), style="公文正文")
    if report.assessor.strip():
        document.add_paragraph(f"评估人：{report.assessor.strip()}。", style="公文正文")
    closing_lines(document, report.department_name, report.assessed_on)


_CHINESE_NUMBERS = "〇一二三四五六七八九十"


def ex_ante_docx(report: ExAnteReport) -> bytes:
    """The 事前绩效评估报告 as a Word file."""
    with as_file(files("jixiao.documents") / "templates" / TEMPLATE_NAME) as template:
        document = Document(str(template))
    _clear_body(document)
    _write_report(document, report)
    finish_for_print(document, report.title, report.department_name, report.dated)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The score sheet (.xlsx)


def _cell(sheet: Worksheet, row: int, column: int, value: object, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = form_font(bold=bold)
    cell.border = _BORDER
    left = column in (3, 4, 8)
    cell.alignment = Alignment(
        horizontal="left" if left else "center", vertical="center", wrap_text=True
    )


def _signed(report: ExAnteReport) -> str:
    """The assessor, and the review's conclusion once the assessment is reviewed."""
    line = f"评估人：{report.assessor or '________'}"
    if report.review_conclusion:
        line += f"    审核结论：{report.review_conclusion}"
    return line


def _merged_line(sheet: Worksheet, row: int, text: str, *, bold: bool = False) -> None:
    _cell(sheet, row, 1, text, bold=bold)
    sheet.cell(row=row, column=1).alignment = Alignment(
        horizontal="left", vertical="center", wrap_text=True
    )
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(SHEET_WIDTHS))
    sheet.row_dimensions[row].height = row_height(lines_needed(text, sum(SHEET_WIDTHS)))


def _number(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def ex_ante_workbook(report: ExAnteReport) -> bytes:
    """The 评分表 of the assessment as an Excel workbook (one sheet)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    for index, width in enumerate(SHEET_WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    title = sheet.cell(row=1, column=1, value=SHEET_TITLE)
    title.font = title_font()
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SHEET_WIDTHS))
    sheet.row_dimensions[1].height = 30
    _merged_line(
        sheet, 2,
        f"项目名称：{report.project_name}    项目代码：{report.project_code}    "
        f"预算年度：{report.fiscal_year}    {_budget_sentence(report)}",
    )  # fmt: skip
    for column, header in enumerate(SHEET_HEADERS, start=1):
        _cell(sheet, 3, column, header, bold=True)
        sheet.cell(row=3, column=column).alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
    row = 4
    results = report.result
    guidance = {item.code: item.guidance for item in results.sheet.items}
    for dimension in results.dimensions:
        first = row
        for item in (r for r in results.items if r.item.dimension == dimension.name):
            comment = report.comments.get(item.item.code, "")
            values = (
                dimension.name, item.item.code, item.item.name, guidance[item.item.code],
                item.item.weight, _number(item.score),
                item.band.label if item.band is not None else "", comment,
            )  # fmt: skip
            for column, value in enumerate(values, start=1):
                _cell(sheet, row, column, value)
            tallest = max(
                lines_needed(str(text), SHEET_WIDTHS[column])
                for column, text in ((2, item.item.name), (3, guidance[item.item.code]),
                                     (7, comment))
            )  # fmt: skip
            sheet.row_dimensions[row].height = row_height(tallest)
            row += 1
        _cell(sheet, row, 1, dimension.name)
        _cell(sheet, row, 2, "小计", bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        _cell(sheet, row, 5, dimension.weight, bold=True)
        _cell(sheet, row, 6, dimension.score, bold=True)
        for column in (7, 8):
            _cell(sheet, row, column, "")
        sheet.merge_cells(start_row=first, start_column=1, end_row=row, end_column=1)
        row += 1
    _cell(sheet, row, 1, "合计", bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _cell(sheet, row, 5, sum((d.weight for d in results.dimensions), Decimal(0)), bold=True)
    _cell(sheet, row, 6, round_half_up(results.total, results.sheet.rounding_places), bold=True)
    for column in (7, 8):
        _cell(sheet, row, column, "")
    row += 1
    _merged_line(sheet, row, conclusion_text(results), bold=True)
    for finding in results.findings:
        if finding.id == "ex-ante-veto":
            row += 1
            _merged_line(sheet, row, finding.message)
    if report.opinion.strip():  # as the report prints it after the conclusion
        row += 1
        _merged_line(sheet, row, f"评估意见：{report.opinion.strip()}")
    for r in range(4, row + 1):
        for column in (5, 6):  # 4.5 and 20 as written: Excel shows "0.##" as "20."
            sheet.cell(row=r, column=column).number_format = "General"
    row += 1
    _merged_line(sheet, row, _signed(report))
    write_signature(sheet, row + 1, SHEET_WIDTHS, report.department_name, report.assessed_on)
    print_form(sheet, (3, 3))
    sheet.page_setup.fitToHeight = 1  # one sheet of paper, as the bureau's score sheets are
    name_workbook(workbook, f"{report.project_name}{SHEET_TITLE}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


__all__ = ["ExAnteReport", "ex_ante_docx", "ex_ante_workbook"]
