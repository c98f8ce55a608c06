"""Exports of the performance forms in the layouts the import reads back.

``services.excel_export.export_form_workbook(department, year, kind, path, as_of=None)
-> Path`` reads the stored year; of its kinds (``EXPORT_KINDS``), this module writes the
申报表 (``write_goals_workbook``):

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
from pathlib import Path

from jixiao.core.rules import ProjectRules
from jixiao.documents.sheet_setup import sheet_name
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import GoalSheet, new_form_book, write_goal_sheet

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


def write_goals_workbook(
    dataset: ds.Dataset,
    rules: ProjectRules,
    path: Path,
    projects: Collection[str] | None = None,
) -> Path:
    """Write the year's goal declarations (申报表) to ``path``: every goal, or only those of
    ``projects`` (then not the department's)."""
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
