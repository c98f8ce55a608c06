"""Drafts of the report's sections from the stored data, for the clerk to edit.

Where the data can support a section, jixiao proposes its text: 各重点工作任务绩效目标完成
情况分析 from each project's indicators and their completion, 主要工作成效 from the
indicators met and exceeded, 存在的主要问题 from the findings (low execution, unmet
indicators with their deviation reasons, carry-over, coverage), 下一步改进措施 from the
open 整改 items, 结果应用 from last year's results. Figures the data holds are written as
live fields (``{{执行率}}``), so they follow the data after the clerk edits the words.
The 收支情况 is always computed (:mod:`jixiao.core.narrative`), never drafted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.budget import BudgetFigures
from jixiao.core.consistency import Finding
from jixiao.core.evaluation import ProjectEvaluation, YearEvaluation
from jixiao.core.live_figures import SEPARATOR
from jixiao.core.report_sections import joined
from jixiao.core.vocabulary import Severity

LOW_EXECUTION = Decimal("0.9")
COVERAGE_CHECKS = ("self-evaluation-coverage-low", "full-coverage-claimed")
"""A project executing less than 90% of its budget is named among the problems."""


@dataclass(frozen=True)
class OpenRectification:
    """An 整改 item not done yet: the problem and the measure planned for it."""

    issue: str
    measure: str


@dataclass(frozen=True)
class LastYear:
    """Last year's results, for 结果应用."""

    fiscal_year: int
    score: Decimal | None = None
    grade: str = ""
    measures: tuple[str, ...] = ()


def _project_analysis(project: ProjectEvaluation) -> str:
    name = project.project_name
    rows = project.evaluation.indicators
    met = [r for r in rows if r.status.target_met]
    parts = [f"{name}：全年执行率{{{{{name}{SEPARATOR}执行率}}}}"]
    if rows:
        parts.append(f"设置绩效指标{len(rows)}个，完成{len(met)}个")
        shown = "；".join(
            f"{r.indicator.level3}目标{r.indicator.target}，实际完成"
            f"{{{{{name}{SEPARATOR}{r.indicator.level3}}}}}"
            for r in rows
            if r.indicator.actual
        )
        if shown:
            parts.append(shown)
    if project.evaluation.grade:
        parts.append(f"自评等级为“{project.evaluation.grade}”")
    return "，".join(parts) + "。"


def key_task_analysis(evaluation: YearEvaluation | None) -> str:
    if evaluation is None or not evaluation.projects:
        return ""
    return joined([_project_analysis(p) for p in evaluation.projects])


def project_paragraph(project: ProjectEvaluation) -> str:
    """An office's paragraph of its own project, drafted from the project's indicators."""
    return _project_analysis(project)


def achievements(evaluation: YearEvaluation | None) -> str:
    if evaluation is None:
        return ""
    items = []
    for project in evaluation.projects:
        name = project.project_name
        met = [
            r for r in project.evaluation.indicators if r.status.target_met and r.indicator.actual
        ]
        if not met:
            continue
        body = "；".join(
            f"{r.indicator.level3}实际完成{{{{{name}{SEPARATOR}{r.indicator.level3}}}}}"
            f"（目标{r.indicator.target}，{r.status.value}）"
            for r in met
        )
        items.append(f"{name}绩效目标完成情况良好\n{body}。")
    return joined(items)


def problems(
    figures: BudgetFigures,
    evaluation: YearEvaluation | None,
    findings: Sequence[Finding] = (),
) -> str:
    items = []
    low = [
        p
        for p in (evaluation.projects if evaluation else ())
        if p.evaluation.execution.rate is not None and p.evaluation.execution.rate < LOW_EXECUTION
    ]
    if low:
        named = "、".join(
            f"{p.project_name}（{{{{{p.project_name}{SEPARATOR}执行率}}}}）" for p in low
        )
        items.append(f"部分项目支出进度偏低\n{named}的执行率低于90%。")
    for project in evaluation.projects if evaluation else ():
        for row in project.evaluation.indicators:
            if row.status.target_met or row.indicator.actual is None:
                continue
            reason = row.indicator.deviation_reason or "偏差原因尚未填写"
            items.append(
                f"{project.project_name}“{row.indicator.level3}”未达到年度指标值\n"
                f"目标{row.indicator.target}，实际完成{row.indicator.actual}。{reason}"
            )
    if figures.carryover:
        items.append("年末结转和结余资金较多\n年末结转和结余{{结转和结余}}，资金使用效益有待提高。")
    coverage = [f for f in findings if f.id in COVERAGE_CHECKS and f.severity is not Severity.info]
    for finding in coverage:
        items.append(f"绩效自评覆盖面有待扩大\n{finding.message}")
    return joined(items)


def improvement_measures(open_items: Sequence[OpenRectification]) -> str:
    return joined([item.measure or f"针对{item.issue}，制定整改措施并落实" for item in open_items])


def result_application(last_year: LastYear | None) -> str:
    if last_year is None:
        return ""
    parts = [f"{last_year.fiscal_year}年度"]
    if last_year.score is not None and last_year.grade:
        parts.append(
            f"部门整体支出绩效自评得分{last_year.score}分，评价等级为“{last_year.grade}”。"
        )
    else:
        parts.append("绩效自评结果已作为本年度预算安排的参考。")
    text = "".join(parts)
    if last_year.measures:
        text += "针对上年度提出的改进措施，本年度逐项落实：" + "；".join(last_year.measures) + "。"
    text += "自评结果已在部门预算编制、项目安排和绩效目标设置中应用。"
    return text


def work_process(fiscal_year: int) -> str:
    return (
        f"根据{fiscal_year + 1}年度绩效自评工作要求，我部门成立绩效自评工作小组，"
        "对部门整体支出和各项目支出开展绩效自评：财务科汇总预算执行数据，"
        "各业务科室对本科室项目的绩效指标完成情况逐项填报并说明偏差原因，"
        "单位领导审核后形成自评报告。"
    )


def drafts(
    fiscal_year: int,
    figures: BudgetFigures,
    evaluation: YearEvaluation | None,
    findings: Sequence[Finding] = (),
    open_items: Sequence[OpenRectification] = (),
    last_year: LastYear | None = None,
) -> dict[str, str]:
    """Every section the data supports → its drafted text (empty sections left out)."""
    proposed = {
        "key_task_analysis": key_task_analysis(evaluation),
        "achievements": achievements(evaluation),
        "problems": problems(figures, evaluation, findings),
        "improvement_measures": improvement_measures(open_items),
        "result_application": result_application(last_year),
        "work_process": work_process(fiscal_year),
        "conclusion": _conclusion(evaluation),
    }
    return {key: text for key, text in proposed.items() if text}


def _conclusion(evaluation: YearEvaluation | None) -> str:
    text = "全年预算数{{全年预算数}}，执行数{{执行数}}，预算执行率{{执行率}}。"
    department = None if evaluation is None else evaluation.department
    if department is not None and department.total is not None:
        text += "部门整体支出绩效自评得分{{部门整体自评得分}}，评价等级为“{{评价等级}}”。"
    return text
