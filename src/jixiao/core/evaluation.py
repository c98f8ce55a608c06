"""The year's self-evaluation: one result object that every output is built from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.audit import audit_claims
from jixiao.core.budget import project_funds
from jixiao.core.consistency import Finding
from jixiao.core.cost import CostStandards, UnitCost, year_unit_costs
from jixiao.core.department_framework import (
    DepartmentEvaluation,
    DepartmentFramework,
    evaluate_department,
)
from jixiao.core.goal_quality import check_goal_quality, check_same_indicator_across_goals
from jixiao.core.goals import Funds, PerformanceGoal
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import GoalEvaluation, evaluate_goal
from jixiao.core.year import DepartmentYear


@dataclass(frozen=True)
class ProjectEvaluation:
    """One project's 项目支出绩效自评表: funds, scores, the audit and the quality checks."""

    project_code: str
    project_name: str
    funds: Funds
    evaluation: GoalEvaluation
    audit: tuple[Finding, ...]
    """Differences between what the unit claimed and what the rules give."""
    quality: tuple[Finding, ...]
    """Goal-setting defects (too few indicators, missing units, targets set too low), less
    those the scoring already reports in ``evaluation.findings``."""


@dataclass(frozen=True)
class YearEvaluation:
    """Every project evaluation of a department-year under its project rule set."""

    department_code: str
    department_name: str
    fiscal_year: int
    project_rules: ProjectRules
    projects: tuple[ProjectEvaluation, ...]
    department: DepartmentEvaluation | None = None
    """The department-wide evaluation; None when the year has no department goal."""
    quality: tuple[Finding, ...] = ()
    """Goal-setting defects across the year's goals (one indicator, two targets)."""
    rounding_note: bool = False
    """The preparer's choice to print 注：尾差系四舍五入所致 under a form whose printed
    parts and total differ by rounding (``DepartmentYear.rounding_note``)."""
    unit_costs: tuple[UnitCost, ...] = ()
    """成本效益分析: each project output costed against a standard, in project order."""
    cost_findings: tuple[Finding, ...] = ()
    """Unit costs above their standard, or not measurable."""
    cost_standards: CostStandards | None = None
    """The 定额标准 / 支出标准 table the unit costs are compared with."""

    @property
    def complete(self) -> bool:
        department_complete = self.department is None or self.department.complete
        return department_complete and all(p.evaluation.complete for p in self.projects)


def evaluate_project(
    year: DepartmentYear,
    goal: PerformanceGoal,
    rules: ProjectRules,
    last_year: PerformanceGoal | None = None,
) -> ProjectEvaluation:
    assert goal.project_code is not None
    funds = project_funds(year, goal.project_code)
    evaluation = evaluate_goal(goal, funds, rules)
    quality = check_goal_quality(goal, rules, last_year)
    return ProjectEvaluation(
        project_code=goal.project_code,
        project_name=goal.name,
        funds=funds,
        evaluation=evaluation,
        audit=tuple(audit_claims(evaluation)),
        # the checks shared with the scoring (weights, unreadable targets) are said once
        quality=tuple(f for f in quality if f not in evaluation.findings),
    )


@dataclass(frozen=True)
class DepartmentSettings:
    """What the department-wide evaluation needs beyond the year itself."""

    framework: DepartmentFramework
    project_rules: ProjectRules
    """The project rule set the framework scores its 履职 indicators with."""
    inputs: Mapping[str, Decimal]
    not_applicable: Mapping[str, str]


def evaluate_year(
    year: DepartmentYear,
    goals: Sequence[PerformanceGoal],
    rules: ProjectRules,
    last_year_goals: Mapping[str, PerformanceGoal] | None = None,
    department: DepartmentSettings | None = None,
    cost_standards: CostStandards | None = None,
) -> YearEvaluation:
    """Evaluate every project goal of the year, and the department-wide goal if any; cost
    each output that names a standard of ``cost_standards`` (成本 ÷ 产出数量)."""
    previous = last_year_goals or {}
    projects = tuple(
        evaluate_project(year, goal, rules, previous.get(goal.project_code))
        for goal in goals
        if goal.project_code is not None
    )
    executed = {p.project_code: p.funds.total.executed for p in projects}
    unit_costs, cost_findings = year_unit_costs(goals, executed, cost_standards)
    return YearEvaluation(
        department_code=year.department_code,
        department_name=year.department_name,
        fiscal_year=year.fiscal_year,
        project_rules=rules,
        projects=projects,
        department=_department(year, goals, department),
        quality=tuple(check_same_indicator_across_goals(goals)),
        rounding_note=year.rounding_note,
        unit_costs=tuple(unit_costs),
        cost_findings=tuple(cost_findings),
        cost_standards=cost_standards,
    )


def _department(
    year: DepartmentYear, goals: Sequence[PerformanceGoal], settings: DepartmentSettings | None
) -> DepartmentEvaluation | None:
    goal = next((g for g in goals if g.project_code is None), None)
    if goal is None or settings is None:
        return None
    return evaluate_department(
        year,
        goal,
        settings.inputs,
        settings.framework,
        settings.project_rules,
        settings.not_applicable,
    )
