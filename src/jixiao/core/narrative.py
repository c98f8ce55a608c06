"""The text of the 部门整体支出绩效自评报告, built from a department-year.

Every sentence with a figure is generated here from the core's figures, so that the
Word file, the Markdown file and the console print the same words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from jixiao.core.budget import BudgetFigures, budget_figures
from jixiao.core.consistency import Finding
from jixiao.core.cost_analysis import SECTION_TITLE as COST_SECTION_TITLE
from jixiao.core.cost_analysis import CostAnalysis, cost_analysis
from jixiao.core.coverage import Coverage, budget_not_executed
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.money import ZERO, format_percent, format_thousands, format_wan
from jixiao.core.review import coverage_text
from jixiao.core.vocabulary import FundingSource, Nature, Severity
from jixiao.core.wording import quoted, sentence
from jixiao.core.year import DepartmentYear

CHINESE_ORDINALS = "一二三四五六七八九十"
REFERENCE_HEADINGS: Mapping[str, str] = {
    "basics": "一、基本情况",
    "functions": "（一）部门职能",
    "budget": "（二）部门整体收支情况",
    "annual_objective": "（三）部门整体支出绩效目标",
    "key_tasks": "（四）部门年度重点工作任务",
    "analysis": "二、综合评价分析",
    "conclusion": "（一）自评结论综述",
    "key_task_analysis": "（二）各重点工作任务绩效目标完成情况分析",
    "achievements": "（三）主要工作成效",
    "problems": "三、存在的主要问题",
    "improvement_measures": "四、下一步改进措施",
}
"""The headings of the reference report (the default outline), as the report prints them."""
ROUNDING_NOTE = "注：尾差系四舍五入所致。"
ROUNDING_CHECKS = ("sources-sum-to-total", "natures-sum-to-total")
"""Checks of printed parts against a printed total, where a 注 can explain the 尾差."""


@dataclass(frozen=True)
class Item:
    """A paragraph that opens with a run-in heading: "1.{heading}。{text}" (GB/T 9704)."""

    heading: str
    text: str = ""


@dataclass(frozen=True)
class ReportContent:
    """Everything the report prints, in reading order; documents only lay it out."""

    attachment_label: str
    title: str
    functions_preamble: str
    functions: tuple[str, ...]
    budget_paragraphs: tuple[str, ...]
    annual_objective: str
    key_tasks: str
    conclusion: str
    key_task_analysis: str
    achievements: tuple[Item, ...]
    problems: tuple[Item, ...]
    improvement_measures: tuple[str, ...]
    evaluation_conclusion: str = ""
    """The closing sentences of 二、（一）自评结论综述: the scores and grades of the year."""
    evaluation: YearEvaluation | None = None
    """The year's self-evaluation, whose forms the report appends (附表); None: no forms."""
    office_paragraphs: tuple[str, ...] = ()
    """The offices' approved paragraphs of their projects, after 二、（二）'s text."""
    extra_sections: tuple[Section, ...] = ()
    """Sections the year's outline adds after 下一步改进措施 (结果应用)."""
    sections_after_basics: tuple[Section, ...] = ()
    """Sections the year's outline adds between 基本情况 and 综合评价分析 (绩效自评工作情况)."""
    headings: Mapping[str, str] = field(default_factory=lambda: dict(REFERENCE_HEADINGS))
    """The headings as the year's outline numbers them, by section key; ``basics`` and
    ``analysis`` are the two headings that group others."""
    cost_analysis: CostAnalysis | None = None
    """成本效益分析, after 主要工作成效; None (no section) when no output was costed."""

    @property
    def cost_heading(self) -> str:
        """成本效益分析 numbered after 主要工作成效 as the outline numbers it."""
        return next_heading(self.headings.get("achievements", ""), COST_SECTION_TITLE)


@dataclass(frozen=True)
class Section:
    """A section of the outline beyond the reference report's: heading and paragraphs."""

    heading: str
    paragraphs: tuple[str, ...] = ()


def chinese_ordinal(position: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (enough for report numbering)."""
    if position <= 10:
        return CHINESE_ORDINALS[position - 1]
    tens, units = divmod(position, 10)
    prefix = "" if tens == 1 else CHINESE_ORDINALS[tens - 1]
    return f"{prefix}十{CHINESE_ORDINALS[units - 1] if units else ''}"


def next_heading(previous: str, title: str) -> str:
    """The heading numbered after ``previous``: "（三）主要工作成效" → "（四）{title}"."""
    number = previous.removeprefix("（").split("）", 1)[0]
    if not number or any(c not in CHINESE_ORDINALS for c in number):
        return title
    tens, ten, units = number.rpartition("十")
    value = 0 if not ten else (CHINESE_ORDINALS.index(tens) + 1 if tens else 1) * 10
    value += CHINESE_ORDINALS.index(units) + 1 if units else 0
    return f"（{chinese_ordinal(value + 1)}）{title}"


def headline_sentence(year: int, figures: BudgetFigures) -> str:
    """“2023年全年预算数103,118.19万元，执行数77,261.67万元，完成预算的74.93%。”"""
    return (
        f"{year}年全年预算数{format_wan(figures.final_budget)}万元，"
        f"执行数{format_wan(figures.executed)}万元，"
        f"完成预算的{format_percent(figures.execution_rate)}。"
    )


def breakdown_sentence(figures: BudgetFigures) -> str:
    """The by-source and by-nature paragraph, worded as the reference prints it."""
    parts = []
    if figures.executed_by_source:
        by_source = "，".join(
            f"{source.label}支出{format_wan(figures.executed_by_source[source])}万元"
            for source in FundingSource
            if source in figures.executed_by_source
        )
        parts.append(f"按资金来源分，{by_source}。")
    if figures.executed_by_nature:
        by_nature = "，".join(
            f"{nature.label}{format_wan(figures.executed_by_nature[nature])}万元"
            for nature in Nature
            if nature in figures.executed_by_nature
        )
        parts.append(f"按支出性质看，{by_nature}。")
    if figures.carryover is not None:
        parts.append(f"年末结转和结余{format_wan(figures.carryover)}万元。")
    return "".join(parts)


def not_executed_sentence(figures: BudgetFigures) -> str:
    """Where the budget not executed went, when the carry-over does not account for it all:
    “全年预算数与执行数相差25,856.52万元，其中年末结转和结余2,578.28万元，其余23,278.24万元
    既未支出也未结转结余。” (empty when nothing is left unexplained)."""
    decomposed = budget_not_executed(figures)
    rest = decomposed.unexplained
    if decomposed.carryover is None or rest is None or rest <= ZERO:
        return ""
    return (
        f"全年预算数与执行数相差{format_wan(decomposed.not_executed)}万元，其中年末结转和结余"
        f"{format_wan(decomposed.carryover)}万元，其余{format_wan(rest)}万元既未支出也未结转结余。"
    )


def rounding_accepted(findings: tuple[Finding, ...]) -> bool:
    """A printed total differs from its printed parts by rounding only (a warning)."""
    return any(f.id in ROUNDING_CHECKS and f.severity is Severity.warning for f in findings)


def report_title(year: DepartmentYear) -> str:
    return f"{year.fiscal_year}年度{year.department_name}部门整体支出绩效自评报告"


def _joined(items: tuple[str, ...]) -> str:
    """Tasks joined as one sentence: "甲；乙；丙。" whatever punctuation each item ends with."""
    if not items:
        return ""
    return f"{'；'.join(item.rstrip('。；;，, ') for item in items)}。"


def evaluation_conclusion(result: YearEvaluation, coverage: Coverage | None = None) -> str:
    """The department-wide score and grade, the projects' grades, and what the
    self-evaluation covers, as the report says them.

    “经自评，2023年度部门整体支出绩效自评得分为94.42分，评价等级为“优”。”
    """
    sentences = []
    department = result.department
    if department is not None:
        if department.total is not None and department.grade is not None:
            sentences.append(
                f"经自评，{result.fiscal_year}年度部门整体支出绩效自评得分为"
                f"{format_thousands(department.total)}分，评价等级为{quoted(department.grade)}。"
            )
        else:
            # what is missing is for the preparer: the 审核意见 lists it
            sentences.append(
                f"{result.fiscal_year}年度部门整体支出绩效自评尚未完成，暂不计得分和评价等级。"
            )
    if result.projects:
        grades = Counter(p.evaluation.grade for p in result.projects if p.evaluation.grade)
        graded = "、".join(
            f"{quoted(band.grade)}的{grades[band.grade]}个"
            for band in result.project_rules.grades
            if grades[band.grade]
        )
        graded = f"评价等级为{graded}" if graded else ""
        incomplete = sum(1 for p in result.projects if p.evaluation.grade is None)
        parts = [graded] if graded else []
        if incomplete:
            parts.append(f"自评尚不完整的{incomplete}个")
        sentences.append(f"纳入自评的{len(result.projects)}个项目中，{'，'.join(parts)}。")
    if coverage is not None and result.projects and coverage.projects_total:
        sentences.append(f"本年度{coverage_text(coverage)}。")
    if department is not None or result.projects:
        sentences.append("各项绩效自评表见附表。")
    return "".join(sentences)


def report_content(
    year: DepartmentYear,
    consistency: tuple[Finding, ...] = (),
    attachment_label: str = "",
    evaluation: YearEvaluation | None = None,
    coverage: Coverage | None = None,
) -> ReportContent:
    """What the report prints. ``consistency`` is read only for the 注 under the figures
    (when the year asks for it, ``DepartmentYear.rounding_note``); the findings themselves
    go to the 审核意见, never into the report."""
    figures = budget_figures(year)
    budget_paragraphs: tuple[str, ...] = (
        headline_sentence(year.fiscal_year, figures),
        breakdown_sentence(figures),
    )
    if year.rounding_note and rounding_accepted(consistency):
        budget_paragraphs = (*budget_paragraphs, ROUNDING_NOTE)
    budget_paragraphs = (*budget_paragraphs, not_executed_sentence(figures))
    return ReportContent(
        attachment_label=attachment_label,
        title=report_title(year),
        functions_preamble=year.functions_preamble,
        functions=tuple(f"{n}、{text}" for n, text in enumerate(year.functions, start=1)),
        budget_paragraphs=tuple(p for p in budget_paragraphs if p),
        annual_objective=year.annual_objective,
        key_tasks=_joined(year.key_tasks),
        conclusion=year.conclusion,
        key_task_analysis=year.key_task_analysis,
        achievements=tuple(
            Item(f"{n}.{sentence(a.title)}", a.text)
            for n, a in enumerate(year.achievements, start=1)
        ),
        problems=tuple(
            Item(f"（{chinese_ordinal(n)}）{sentence(p.title)}", p.text)
            for n, p in enumerate(year.problems, start=1)
        ),
        improvement_measures=tuple(
            f"{chinese_ordinal(n)}是{text}"
            for n, text in enumerate(year.improvement_measures, start=1)
        ),
        evaluation_conclusion=(
            "" if evaluation is None else evaluation_conclusion(evaluation, coverage)
        ),
        evaluation=evaluation,
        cost_analysis=cost_analysis(evaluation),
    )
