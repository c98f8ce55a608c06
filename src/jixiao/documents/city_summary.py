"""The city summary of a batch: 全市部门整体支出绩效自评情况汇总 (.docx and .xlsx).

It adds up what each department's documents computed from stored data (score and grade,
全年预算数 and 执行数, the self-evaluation's coverage, the 审核意见 findings by severity)
and lists the departments whose documents could not be written. Amounts are kept exact
in 元 and rounded to 万元 only where printed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.money import ZERO, format_percent, format_wan, ratio
from jixiao.core.narrative import chinese_ordinal
from jixiao.core.scoring import plain_number
from jixiao.core.vocabulary import Severity

GRADES = ("优", "良", "中", "差")
NOT_GRADED = "未评分"
FINDING_KINDS = tuple(severity.label for severity in Severity)
COLUMNS = (
    "部门代码", "部门名称", "自评得分", "等级", "全年预算数（万元）", "执行数（万元）",
    "执行率", "项目覆盖", "资金覆盖", *(f"审核发现：{kind}" for kind in FINDING_KINDS), "说明",
)  # fmt: skip


@dataclass(frozen=True)
class DepartmentLine:
    """One department's figures in the summary."""

    code: str
    name: str
    done: bool
    score: Decimal | None = None
    grade: str = ""
    final_budget: Decimal = ZERO
    executed: Decimal = ZERO
    projects_evaluated: int = 0
    projects_total: int = 0
    funds_evaluated: Decimal = ZERO
    funds_total: Decimal = ZERO
    findings: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """Why a document was not written (the department's data refused it)."""

    @classmethod
    def from_result(cls, code: str, result: Mapping[str, Any], state: str, message: str
                    ) -> DepartmentLine:  # fmt: skip
        """From a department job's stored result (figures as exact text)."""
        coverage = result.get("coverage", {})
        notes = tuple(result.get("refused", ())) + ((message,) if message else ())
        return cls(
            code=code,
            name=result.get("name", code),
            done=state == "done" and "final_budget" in result,
            score=Decimal(result["score"]) if "score" in result else None,
            grade=result.get("grade", ""),
            final_budget=Decimal(result.get("final_budget", "0")),
            executed=Decimal(result.get("executed", "0")),
            projects_evaluated=coverage.get("projects_evaluated", 0),
            projects_total=coverage.get("projects_total", 0),
            funds_evaluated=Decimal(coverage.get("funds_evaluated", "0")),
            funds_total=Decimal(coverage.get("funds_total", "0")),
            findings=dict(result.get("findings", {})),
            notes=notes,
        )

    @property
    def execution_rate(self) -> Decimal | None:
        return ratio(self.executed, self.final_budget)

    def row(self) -> list[str]:
        """The department's row of the summary table, as printed."""
        return [
            self.code,
            self.name,
            plain_number(self.score) if self.score is not None else "—",
            self.grade or "—",
            format_wan(self.final_budget) if self.done else "—",
            format_wan(self.executed) if self.done else "—",
            format_percent(self.execution_rate) if self.done else "—",
            f"{self.projects_evaluated}/{self.projects_total}" if self.done else "—",
            format_percent(ratio(self.funds_evaluated, self.funds_total)) if self.done else "—",
            *(str(self.findings.get(kind, 0)) for kind in FINDING_KINDS),
            "；".join(self.notes),
        ]


@dataclass(frozen=True)
class CitySummary:
    """The figures of a city's batch."""

    year: int
    as_of: date
    departments: tuple[DepartmentLine, ...]

    @property
    def written(self) -> tuple[DepartmentLine, ...]:
        return tuple(d for d in self.departments if d.done)

    def grade_counts(self) -> dict[str, int]:
        counts = Counter(d.grade if d.grade in GRADES else NOT_GRADED for d in self.written)
        return {grade: counts[grade] for grade in (*GRADES, NOT_GRADED)}

    def total(self, name: str) -> Decimal:
        return sum((getattr(d, name) for d in self.written), ZERO)

    def finding_counts(self) -> dict[str, int]:
        return {k: sum(d.findings.get(k, 0) for d in self.departments) for k in FINDING_KINDS}

    def overview(self) -> list[tuple[str, str]]:
        """The summary's headline figures: (item, value) in print order."""
        grades = self.grade_counts()
        projects = sum(d.projects_evaluated for d in self.written)
        all_projects = sum(d.projects_total for d in self.written)
        return [
            ("纳入汇总的部门", f"{len(self.departments)}个"),
            ("已生成自评报告的部门", f"{len(self.written)}个"),
            ("未生成的部门", f"{len(self.departments) - len(self.written)}个"),
            *((f"自评等级为“{g}”的部门", f"{n}个") for g, n in grades.items()),
            ("全年预算数（万元）", format_wan(self.total("final_budget"))),
            ("执行数（万元）", format_wan(self.total("executed"))),
            ("预算执行率", format_percent(ratio(self.total("executed"),
                                               self.total("final_budget")))),
            ("自评覆盖项目", f"{projects}/{all_projects}"),
            ("自评覆盖资金占项目支出比例", format_percent(ratio(
                self.total("funds_evaluated"), self.total("funds_total")))),
            *((f"审核意见中的{k}", f"{n}项") for k, n in self.finding_counts().items()),
        ]  # fmt: skip


def write_city_summary(summary: CitySummary, folder: Path, title: str) -> tuple[Path, Path]:
    """Write FOLDER/YYYY-city-summary.docx and .xlsx; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{summary.year}-city-summary"
    return _docx(summary, stem.with_suffix(".docx"), title), _xlsx(
        summary, stem.with_suffix(".xlsx"), title
    )


def _docx(summary: CitySummary, path: Path, title: str) -> Path:
    from jixiao.documents.docx_layout import finish_for_print
    from jixiao.documents.template_builder import official_document

    document = official_document()
    document.add_paragraph(title, style="公文标题")
    document.add_paragraph(
        f"本汇总根据各部门{summary.year}年度部门整体支出绩效自评报告的数据生成，"
        f"运行监控日期为{summary.as_of.year}年{summary.as_of.month}月{summary.as_of.day}日。",
        style="公文正文",
    )
    document.add_paragraph(f"{chinese_ordinal(1)}、总体情况", style="一级标题")
    for item, value in summary.overview():
        document.add_paragraph(f"{item}：{value}。", style="公文正文")
    document.add_paragraph(f"{chinese_ordinal(2)}、各部门情况", style="一级标题")
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    for line in summary.departments:
        for cell, text in zip(table.add_row().cells, line.row(), strict=True):
            cell.text = text
    finish_for_print(document, title, "", summary.as_of)
    document.save(str(path))
    return path


def _xlsx(summary: CitySummary, path: Path, title: str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from jixiao.documents.sheet_setup import display_width, form_font, print_form, title_font

    book = Workbook()
    overview = book.active
    overview.title = "总体情况"
    overview.append([title])
    overview["A1"].font = title_font()
    for item, value in summary.overview():
        overview.append([item, value])
    overview.column_dimensions["A"].width = 34
    overview.column_dimensions["B"].width = 20
    sheet = book.create_sheet("各部门情况")
    sheet.append([title])
    sheet["A1"].font = title_font()
    sheet.append(list(COLUMNS))
    for line in summary.departments:
        sheet.append(line.row())
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            cell.font = form_font(bold=cell.row == 2)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        widest = max(display_width(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(widest + 2, 8), 40)
    print_form(sheet, (1, 2))
    print_form(overview, None)
    book.save(str(path))
    return path
