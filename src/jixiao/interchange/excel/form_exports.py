"""Exports of the performance forms in the layouts the import reads back.

``export_form_workbook(department, year, kind, path, as_of=None) -> Path``:

- ``goals`` — 项目支出绩效目标申报表: one sheet per project goal (named “项目代码 项目名称”)
  and one for the department-wide goal (部门整体支出绩效目标申报表), after the 说明 sheet;
- ``evaluation`` — the self-evaluation tables (``documents.evaluation_tables``): the
  部门整体支出绩效自评表, one 项目支出绩效自评表 per project, and 审核意见 (not for submission);
- ``monitoring`` — the 项目支出绩效目标执行监控表 as of a date (``documents.monitoring_tables``).

Every export → import round-trips: importing an export changes nothing. Text a person typed
is written as text, never as a formula (a text that begins with = + - @ gets Excel's quote
prefix, so editing it keeps it text).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date
from pathlib import Path

from jixiao.documents.sheet_setup import sheet_name
from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import GoalSheet, new_form_book, write_goal_sheet
from jixiao.interchange.rule_files import load_rule_set
from jixiao.services.reading import export_dataset, find_fiscal_year

EXPORT_KINDS: dict[str, str] = {
    "goals": "goals",
    "项目支出绩效目标申报表": "goals",
    "绩效目标申报表": "goals",
    "申报表": "goals",
    "evaluation": "evaluation",
    "自评表": "evaluation",
    "项目支出绩效自评表": "evaluation",
    "部门整体支出绩效自评表": "evaluation",
    "monitoring": "monitoring",
    "监控表": "monitoring",
    "绩效目标执行监控表": "monitoring",
    "项目支出绩效目标执行监控表": "monitoring",
}
"""Names ``jixiao export-xlsx --kind`` accepts for the forms."""

DEPARTMENT_GOAL_SHEET = "部门整体绩效目标"


def export_goals(
    department_code: str, year: int, path: Path, projects: Collection[str] | None = None
) -> Path:
    """Write the stored year's goal declarations (申报表) to ``path``: every goal, or only
    those of ``projects`` (then not the department's)."""
    fiscal_year = find_fiscal_year(department_code, year)
    dataset = export_dataset(department_code, year, payments=False)
    rules = load_rule_set(fiscal_year.project_rules)
    names = {p.code: p.name for p in dataset.budget.projects}
    book = new_form_book(FormKind.goals)
    taken = {"说明"}
    goals = [g for g in dataset.goals if projects is None or g.project in projects]
    for goal in goals:
        project_name = names.get(goal.project, "") if goal.project else ""
        sheet = GoalSheet(
            year=dataset.year,
            department_code=dataset.department.code,
            department_name=dataset.department.name,
            project_code=goal.project,
            project_name=project_name,
            objective=goal.expected_objective,
            indicators=goal.indicators,
            name=goal.name,
        )
        title = f"{goal.project} {project_name}" if goal.project else DEPARTMENT_GOAL_SHEET
        write_goal_sheet(book.create_sheet(sheet_name(title, taken)), sheet, rules)
    if not goals:
        blank = GoalSheet(
            dataset.year, dataset.department.code, dataset.department.name, "", "", "", ()
        )
        write_goal_sheet(book.create_sheet(FormKind.goals.form_title), blank, rules, blank_rows=20)
    book.properties.title = f"{dataset.year}年度{dataset.department.name}绩效目标申报表"
    book.active = 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def export_form_workbook(
    department_code: str,
    year: int,
    kind: str,
    path: Path,
    as_of: date | None = None,
    projects: Collection[str] | None = None,
) -> Path:
    """Export one of the forms (``EXPORT_KINDS``) of a stored year to ``path``.

    ``projects`` narrows the 申报表 and 自评表 to those projects' sheets (a 业务科室's own;
    the department's forms are left out); the 监控表 is department-wide.
    """
    from jixiao.errors import UserFacingError

    chosen = EXPORT_KINDS[kind]
    if chosen == "goals":
        return export_goals(department_code, year, path, projects)
    if chosen == "evaluation":
        from jixiao.documents.evaluation_tables import write_evaluation_workbook
        from jixiao.services.evaluating import evaluate_stored_year

        result = evaluate_stored_year(department_code, year)
        if projects is not None:
            own = tuple(p for p in result.projects if p.project_code in projects)
            result = replace(result, projects=own, department=None)
        return write_evaluation_workbook(result, Path(path))
    if projects is not None:
        raise UserFacingError("绩效目标执行监控表是全部门的，只能由财务科导出")
    if as_of is None:
        raise UserFacingError("导出监控表须指定截至日期：--as-of 2023-07-31")
    from jixiao.documents.monitoring_tables import write_monitoring_workbook
    from jixiao.services.monitoring import monitor_stored_year

    return write_monitoring_workbook(monitor_stored_year(department_code, year, as_of), Path(path))
