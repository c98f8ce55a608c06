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

    def values(self) -> list[Any]:
        """The row as the workbook holds it: amounts in 元, rates as fractions."""
        done = self.done
        return [
            self.name, self.score, self.grade or "—",
            self.final_budget if done else None, self.executed if done else None,
            self.execution_rate if done else None,
            f"{self.projects_evaluated}/{self.projects_total}" if done else "—",
            ratio(self.funds_evaluated, self.funds_total) if done else None,
            *(self.findings.get(kind, 0) for kind in FINDING_KINDS), "；".join(self.notes),
        ]  # fmt: skip


@dataclass(frozen=True)
class CitySummary:
    """The figures of a city's batch."""

    year: int
    as_of: date
    departments: tuple[DepartmentLine, ...]
    prepared_on: date | None = None
    """The day the summary was written (its 成文日期); the monitoring date when not given."""
    issuer: str = ""
    """The 财政局 whose summary it is (its 落款); none for a batch over several cities."""

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
    docx_path, xlsx_path = stem.with_suffix(".docx"), stem.with_suffix(".xlsx")
    _docx(summary, title).save(str(docx_path))
    xlsx_path.write_bytes(_xlsx(summary, title))
    return docx_path, xlsx_path


# The Word summary: the overview as sentences, then two tables a portrait page holds.

SCORES_HEADER = (
    "部门名称", "自评得分", "等级", "全年预算数", "执行数", "执行率", "项目覆盖", "资金覆盖",
)  # fmt: skip
SCORES_WIDTHS = (38.0, 16.0, 10.0, 22.0, 22.0, 15.0, 16.0, 17.0)
FINDINGS_HEADER = ("部门名称", *FINDING_KINDS, "说明")
FINDINGS_WIDTHS = (52.0, 14.0, 14.0, 14.0, 62.0)
COUNTS_WIDTHS = (90.0, 22.0, 22.0, 22.0)
"""The findings table when no department has a note: no empty 说明 column."""


def _count_sentence(counts: Mapping[str, int], unit: str) -> str:
    return "、".join(f"{kind}{count}{unit}" for kind, count in counts.items())


def overview_sentences(summary: CitySummary) -> list[str]:
    """The 总体情况 in sentences, every figure from :meth:`CitySummary.overview`'s sums."""
    written = summary.written
    grades = summary.grade_counts()
    budget, executed = summary.total("final_budget"), summary.total("executed")
    projects = sum(d.projects_evaluated for d in written)
    all_projects = sum(d.projects_total for d in written)
    funds = ratio(summary.total("funds_evaluated"), summary.total("funds_total"))
    graded = "、".join(f"“{grade}”{count}个" for grade, count in grades.items() if count)
    sentences = [
        f"纳入汇总的部门{len(summary.departments)}个，已生成自评报告的{len(written)}个"
        + (f"，未生成的{len(summary.departments) - len(written)}个（原因见下表说明）"
           if len(written) < len(summary.departments) else "")
        + (f"；自评等级为{graded}。" if graded else "。"),
        f"上述部门全年预算数合计{format_wan(budget)}万元，执行数{format_wan(executed)}万元，"
        f"预算执行率{format_percent(ratio(executed, budget))}。",
        f"自评覆盖项目{projects}个，占项目总数{all_projects}个的"
        f"{format_percent(ratio(Decimal(projects), Decimal(all_projects)))}；"
        f"自评覆盖资金占项目支出的{format_percent(funds)}。",
        f"各部门审核意见共列出{_count_sentence(summary.finding_counts(), '项')}。",
    ]  # fmt: skip
    return sentences


def scores_rows(summary: CitySummary) -> list[tuple[str, ...]]:
    """Each department's 自评 figures as printed, then the 合计 (amounts summed in 元 and
    rounded once, the rates of the sums)."""
    rows = [tuple(line.row()[1:9]) for line in summary.departments]
    written = summary.written
    budget, executed = summary.total("final_budget"), summary.total("executed")
    rows.append((
        "合计", "—", "—", format_wan(budget), format_wan(executed),
        format_percent(ratio(executed, budget)),
        f"{sum(d.projects_evaluated for d in written)}/{sum(d.projects_total for d in written)}",
        format_percent(ratio(summary.total("funds_evaluated"), summary.total("funds_total"))),
    ))  # fmt: skip
    return rows


def findings_rows(summary: CitySummary) -> list[tuple[str, ...]]:
    """Each department's findings by severity, then the 合计; the 说明 column (why a
    document was not written) only when some department has one."""
    noted = any(line.notes for line in summary.departments)
    rows = [
        (line.name, *(str(line.findings.get(kind, 0)) for kind in FINDING_KINDS),
         *(("；".join(line.notes),) if noted else ()))
        for line in summary.departments
    ]  # fmt: skip
    rows.append(("合计", *(str(n) for n in summary.finding_counts().values()),
                 *(("",) if noted else ())))  # fmt: skip
    return rows


def _docx(summary: CitySummary, title: str) -> Any:
    from jixiao.documents.docx_layout import finish_for_print
    from jixiao.documents.docx_tables import closing_lines, official_table
    from jixiao.documents.template_builder import official_document

    document = official_document(tables=True)
    document.add_paragraph(title, style="公文标题")
    document.add_paragraph(
        # the figures are the reports' full-year ones, not the monitoring date's
        f"本汇总根据各部门{summary.year}年度部门整体支出绩效自评报告的数据生成。",
        style="公文正文",
    )
    document.add_paragraph(f"{chinese_ordinal(1)}、总体情况", style="一级标题")
    for text in overview_sentences(summary):
        document.add_paragraph(text, style="公文正文")
    document.add_paragraph(f"{chinese_ordinal(2)}、各部门自评情况", style="一级标题")
    document.add_paragraph("单位：万元", style="表格单位")
    official_table(document, SCORES_HEADER, scores_rows(summary), SCORES_WIDTHS, total_rows=1)
    document.add_paragraph(f"{chinese_ordinal(3)}、各部门审核意见", style="一级标题")
    document.add_paragraph("单位：项", style="表格单位")
    findings = findings_rows(summary)
    noted = len(findings[0]) == len(FINDINGS_HEADER)
    official_table(
        document,
        FINDINGS_HEADER if noted else FINDINGS_HEADER[:-1],
        findings,
        FINDINGS_WIDTHS if noted else COUNTS_WIDTHS,
        total_rows=1,
    )
    closing_lines(document, summary.issuer, summary.prepared_on or summary.as_of)
    finish_for_print(document, title, summary.issuer, summary.prepared_on or summary.as_of)
    return document


# The workbook: the same figures as numbers, through the list workbook's layout.


def _xlsx(summary: CitySummary, title: str) -> bytes:
    from jixiao.documents.list_workbook import Column, Kind, ListSheet, list_workbook

    overview = ListSheet(
        name="总体情况",
        title=title,
        columns=[Column("项目", width=36), Column("数值", Kind.number, 20)],  # figures: right
        rows=[list(pair) for pair in summary.overview()],
    )
    columns = [
        Column("部门名称", width=28),
        Column("自评得分", Kind.number, 10), Column("等级", width=6),
        Column("全年预算数（万元）", Kind.wan, 16), Column("执行数（万元）", Kind.wan, 16),
        Column("执行率", Kind.percent, 10), Column("项目覆盖", width=10),
        Column("资金覆盖", Kind.percent, 10),
        *(Column(f"审核发现：{kind}", Kind.number, 10) for kind in FINDING_KINDS),
        Column("说明", width=30),
    ]  # fmt: skip
    departments = ListSheet(
        name="各部门情况",
        title=title,
        columns=columns,
        rows=[line.values() for line in summary.departments],
        totals=_workbook_totals(summary),
    )
    return list_workbook([overview, departments])


def _workbook_totals(summary: CitySummary) -> list[Any]:
    written = summary.written
    budget, executed = summary.total("final_budget"), summary.total("executed")
    projects = sum(d.projects_evaluated for d in written)
    return [
        None, "", budget, executed, ratio(executed, budget),
        f"{projects}/{sum(d.projects_total for d in written)}",
        ratio(summary.total("funds_evaluated"), summary.total("funds_total")),
        *summary.finding_counts().values(), "",
    ]  # fmt: skip
