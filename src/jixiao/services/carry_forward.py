"""Carrying a year forward: year N+1 of a department from year N.

What continues: the projects chosen (code, name, 责任科室, unit, kind), their goals and the
department goal as drafts with every indicator's target kept and last year's actual shown
as 上年实际完成值, the open 整改 items, the department's functions, and the year's
choices (rule sets, 不适用 indicators, report outline). What does not: budget lines and
payments (the new budget is imported), actuals, scores and review history.

Into a year that already holds projects nothing is carried (it would mix two years);
an empty year, as set up in the browser, may receive it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from jixiao.errors import UserFacingError
from jixiao.services.rectification import carry_open_items
from jixiao.services.setup import check_year, copy_choices, find_department
from jixiao.storage import models as m


@dataclass
class CarryForwardResult:
    fiscal_year: m.FiscalYear
    projects: list[str] = field(default_factory=list)
    goals: int = 0
    indicators: int = 0
    rectifications: int = 0

    def summary(self) -> str:
        return (
            f"已建立{self.fiscal_year.year}年度：结转项目 {len(self.projects)} 个，"
            f"绩效目标 {self.goals} 个（草稿），指标 {self.indicators} 个，"
            f"未完成整改事项 {self.rectifications} 项"
        )


def carry_forward(
    department_code: str, from_year: int, projects: Iterable[str] | None = None
) -> CarryForwardResult:
    """Year ``from_year + 1`` of the department from ``from_year``; ``projects`` are the
    codes of the projects that continue (None: every project)."""
    department = find_department(department_code)
    source = m.FiscalYear.objects.filter(department=department, year=from_year).first()
    if source is None:
        raise UserFacingError(f"{department.name}没有{from_year}年度，无法结转")
    year = check_year(from_year + 1)
    chosen = _chosen_projects(source, projects)
    with transaction.atomic():
        target = _target_year(department, year)
        copy_choices(source, target)
        _copy_functions(source, target)
        result = CarryForwardResult(target)
        copies = {}
        for project in chosen:
            copies[project.pk] = _copy_project(project, target)
            result.projects.append(project.code)
        goals = m.PerformanceGoal.objects.filter(fiscal_year=source).prefetch_related("indicators")
        for goal in goals.order_by("position", "id"):
            if goal.project_id is not None and goal.project_id not in copies:
                continue
            result.indicators += _copy_goal(goal, target, copies.get(goal.project_id or 0))
            result.goals += 1
        result.rectifications = len(carry_open_items(source).copied)
    return result


def _chosen_projects(source: m.FiscalYear, codes: Iterable[str] | None) -> list[m.Project]:
    projects = list(source.projects.order_by("id"))
    if codes is None:
        return projects
    wanted = set(codes)
    unknown = wanted - {p.code for p in projects}
    if unknown:
        raise UserFacingError(
            f"{source.year}年度没有项目：{'、'.join(sorted(unknown))}；请从该年度的项目中选择"
        )
    return [p for p in projects if p.code in wanted]


def _target_year(department: m.Department, year: int) -> m.FiscalYear:
    target = (
        m.FiscalYear.objects.select_for_update().filter(department=department, year=year).first()
    )
    if target is None:
        return m.FiscalYear.objects.create(department=department, year=year)
    if target.projects.exists() or target.goals.exists():
        raise UserFacingError(
            f"{department.name}{year}年度已有项目或绩效目标，不能再结转（结转只能建立新年度）"
        )
    return target


def _copy_functions(source: m.FiscalYear, target: m.FiscalYear) -> None:
    if target.functions.exists():
        return
    target.functions_preamble = source.functions_preamble
    target.save(update_fields=["functions_preamble"])
    m.DepartmentFunction.objects.bulk_create(
        m.DepartmentFunction(fiscal_year=target, position=f.position, text=f.text)
        for f in source.functions.all()
    )


def _copy_project(project: m.Project, target: m.FiscalYear) -> m.Project:
    return m.Project.objects.create(
        fiscal_year=target,
        code=project.code,
        name=project.name,
        office_id=project.office_id,
        unit_id=project.unit_id,
        recurrent=project.recurrent,
        category=project.category,
    )


def _copy_goal(goal: m.PerformanceGoal, target: m.FiscalYear, project: m.Project | None) -> int:
    """The goal as a draft, its indicators with targets and last year's actuals."""
    copy = m.PerformanceGoal.objects.create(
        fiscal_year=target,
        project=project,
        position=goal.position,
        name=goal.name,
        expected_objective=goal.expected_objective,
        level1_weights=goal.level1_weights,
    )
    for i in goal.indicators.all():  # one by one: each lands in the audit history
        m.Indicator.objects.create(
            goal=copy,
            position=i.position,
            level1=i.level1,
            level2=i.level2,
            level3=i.level3,
            kind=i.kind,
            target=i.target,
            weight=i.weight,
            last_year_actual=i.actual,
            illustrative=i.illustrative,
            cost_standard=i.cost_standard,
            cost_share=i.cost_share,
        )
    return len(goal.indicators.all())
