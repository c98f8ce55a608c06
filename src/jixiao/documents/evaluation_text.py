"""The self-evaluation as console lines, in Chinese."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.core.consistency import Finding
from jixiao.core.department_framework import DepartmentEvaluation, format_factor
from jixiao.core.evaluation import ProjectEvaluation, YearEvaluation
from jixiao.core.money import format_wan
from jixiao.core.scoring import plain_number


def _findings(title: str, findings: tuple[Finding, ...]) -> Iterator[str]:
    if not findings:
        return
    yield f"  {title}（{len(findings)} 项）："
    for finding in findings:
        yield f"    【{finding.severity.label}】{finding.message}"


def project_lines(project: ProjectEvaluation) -> Iterator[str]:
    result = project.evaluation
    execution = result.execution
    rate = "—" if execution.rate_percent is None else f"{execution.rate_percent}%"
    score = "—" if execution.score is None else plain_number(execution.score)
    yield f"项目 {project.project_code} {project.project_name}"
    yield (
        f"  全年预算数 {format_wan(project.funds.total.final_budget)} 万元，"
        f"执行数 {format_wan(project.funds.total.executed)} 万元，执行率 {rate}，得分 {score}"
    )
    if result.complete and result.total is not None:
        cap = (
            f"（执行率低于{plain_number(result.cap_applied.rate_below * 100)}%，"
            f"总分不超过{plain_number(result.cap_applied.total_at_most)}分）"
            if result.cap_applied
            else ""
        )
        yield f"  总分 {plain_number(result.total)} 分，等级 {result.grade}{cap}"
    else:
        yield "  评价不完整：" + "；".join(result.missing)
    yield from _findings("评分发现", result.findings)
    yield from _findings("审核：填报数与计算数不一致", project.audit)
    yield from _findings("绩效目标质量", project.quality)


def department_lines(department: DepartmentEvaluation) -> Iterator[str]:
    yield f"部门整体支出绩效（框架：{department.framework.name}）"
    for row in department.common:
        score = "—" if row.score is None else plain_number(row.score)
        yield f"  {row.indicator.level3}：{row.rule}；得分 {score}/{plain_number(row.weight)}"
    for duty in department.duties:
        score = "—" if duty.score is None else plain_number(duty.score)
        name = duty.result.indicator.level3
        yield f"  {name}：{duty.rule}；得分 {score}/{plain_number(duty.weight)}"
    for item in department.not_applicable:
        yield f"  不适用：{item.name}（{item.reason}）"
    if department.not_applicable:
        yield f"  其余指标分值按比例折算，系数 {format_factor(department.rescale_factor)}"
    if department.complete and department.total is not None:
        yield f"  总分 {plain_number(department.total)} 分，等级 {department.grade}"
    else:
        yield "  评价不完整：" + "；".join(department.missing)
    yield from _findings("评分发现", department.findings)


def evaluation_lines(result: YearEvaluation) -> Iterator[str]:
    yield (
        f"{result.fiscal_year}年度 {result.department_name} 绩效自评"
        f"（规则集：{result.project_rules.name}，{result.project_rules.id}）"
    )
    if result.department is not None:
        yield from department_lines(result.department)
    yield from _findings("绩效目标质量（各目标之间）", result.quality)
    if not result.projects:
        yield "没有项目绩效目标可评价。"
    for project in result.projects:
        yield from project_lines(project)
