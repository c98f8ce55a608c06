"""Reading the performance forms of a workbook for an import: what cannot be imported, the
department and year they name, and the checks on a planned import that need no storage.
Files only: ``services.excel_form_import`` reads what is stored, plans with
``form_planning.plan_forms`` and writes.

- ``unimportable``: an attainment table without 分值 and 得分 is reviewed, never imported.
- ``forms_identity``: department and year from the forms' labelled cells and titles (部门代码;
  部门名称, 主管部门 or “部门：…”; 年度 or “（2023年度）”), or from the arguments; a
  conflict is a problem.
- ``unknown_levels`` and ``outside``: the planned import names a 一级/二级指标 that is not
  known, or changes what the importer's rights do not cover.
- ``forms_result``: the import's result, as the budget import's ``ImportResult``, so the
  command line and the web print both alike; how each sheet was read names its hidden
  rows that hold data (imported like any row).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from jixiao.core.rules import ProjectRules
from jixiao.interchange.excel.form_sheets import Figure, FormSheet
from jixiao.interchange.excel.importing import META_LABELS, Identity, ImportResult, SheetTotals
from jixiao.interchange.excel.planning import Plan
from jixiao.interchange.excel.rights import ImportRights
from jixiao.interchange.excel.workbook import Workbook
from jixiao.interchange.problems import Problem


def unimportable(forms: Sequence[FormSheet]) -> list[Problem]:
    """Forms that cannot be imported: attainment tables without 分值 and 得分."""
    return [
        Problem(
            form.name,
            f"{form.layout.name}（{form.read_as}）没有分值和得分，不能导入；"
            "可用 jixiao review 审核各指标是否达成",
        )
        for form in forms
        if form.attainment
    ]


def forms_result(
    workbook: Workbook,
    forms: Sequence[FormSheet],
    plan: Plan,
    *,
    department: tuple[str, str],
    year: int,
    dry_run: bool,
) -> ImportResult:
    """What importing ``forms`` into ``department`` (code, name) did (or, with dry_run,
    would do) by ``plan``."""
    return ImportResult(
        department_code=department[0],
        department_name=department[1],
        year=year,
        file=workbook.name,
        sheets=tuple(f"{form.name}（{form.kind.form_title}）" for form in forms),
        rows=sum(len(form.indicators.rows) for form in forms),
        dry_run=dry_run,
        created_year=False,
        plan=plan,
        totals=tuple(_form_totals(form) for form in forms),
        read_as=tuple(f"{form.name}：{form.read_as}{_hidden_rows(form)}" for form in forms),
    )


def _hidden_rows(form: FormSheet) -> str:
    """A hidden row holding data is imported like any row; the importer is told, since a
    printed copy of the form leaves it out."""
    rows = "、".join(str(row + 1) for row, _ in form.sheet.hidden_data_rows())
    return f"；第{rows}行是隐藏行，其中的数据已照常读入（打印件上看不到）" if rows else ""


def _form_totals(form: FormSheet) -> SheetTotals:
    """A form's indicator rows; no 合计: its 项目资金 rows are a total and its parts."""
    return SheetTotals(form.name, form.kind.form_title, len(form.indicators.rows), ())


def unknown_levels(plan: Plan, rules: ProjectRules) -> Iterator[Problem]:
    """一级/二级指标 names that neither the rule set nor the stored goal knows: a typo, which
    would otherwise become a new group and replace the goal's rows (and their progress)."""
    stored = {goal.project: goal for goal in plan.before.goals}
    groups = {group.name: set(group.level2) for group in rules.level1}
    for goal in plan.after.goals:
        known = stored.get(goal.project)
        if goal.project is None and known is None:
            continue  # a new department-wide goal follows its framework, not the rule set
        names = {name: set(level2) for name, level2 in groups.items()}
        for indicator in known.indicators if known else ():
            names.setdefault(indicator.level1, set()).add(indicator.level2)
        sheet = plan.goal_sheets.get(goal.project, "")
        for indicator in goal.indicators:
            where = f"{sheet}（{indicator.level1}/{indicator.level2}/{indicator.level3}）"
            if indicator.level1 not in names:
                yield Problem(
                    where,
                    f"一级指标“{indicator.level1}”不是规则集“{rules.name}”的一级指标"
                    f"（可选：{'、'.join(groups)}），也不是该目标已有的一级指标；"
                    "请检查是否写错（为免误删已有指标，未导入）",
                )
            elif names[indicator.level1] and indicator.level2 not in names[indicator.level1]:
                yield Problem(
                    where,
                    f"二级指标“{indicator.level2}”不在一级指标“{indicator.level1}”下"
                    f"（可选：{'、'.join(sorted(names[indicator.level1]))}）；请检查是否写错"
                    "（为免误删已有指标，未导入）",
                )


def outside(plan: Plan, rights: ImportRights) -> list[Problem]:
    """What the import would change beyond its ``rights``."""
    old = {goal.project: goal for goal in plan.before.goals}
    new = {goal.project: goal for goal in plan.after.goals}
    refused = []
    for key in sorted(old.keys() | new.keys(), key=lambda code: code or ""):
        if rights.may_change_goal(key) or old.get(key) == new.get(key):
            continue
        if not rights.budget:
            owner = f"项目“{key}”的绩效目标" if key else "部门整体支出绩效目标"
            message = f"{owner}不属于您科室，不能由您导入修改（请交财务科或该项目的科室）"
        elif key:
            message = (
                f"项目“{key}”的绩效目标和自评由该项目的科室填报，财务科审核，"
                "不能由财务科导入修改（与网页上的规则相同）"
            )
        else:
            message = "部门整体支出绩效目标只能由财务科修改"
        refused.append(Problem(plan.goal_sheets.get(key, ""), message))
    unscoped: dict[str, object] = {"goals": []}
    if rights.budget:
        return refused
    if plan.before.model_copy(update=unscoped) != plan.after.model_copy(update=unscoped):
        refused.append(
            Problem(
                "",
                "此文件还会新增或修改项目、预算数据，只有财务科可以导入；"
                "业务科室只能修改本科室项目的绩效目标、自评和监控进度",
            )
        )
    return refused


# --- department and year -----------------------------------------------------------------


def forms_identity(
    forms: Sequence[FormSheet], department: str | None, year: int | None, problems: list[Problem]
) -> Identity:
    meta = Identity(
        code=(department, "--department") if department else None,
        year=(year, "--year") if year else None,
    )
    for form in forms:
        found: dict[str, Figure | None] = {
            "department_code": form.label("department_code"),
            "department_name": form.label("department_name"),
            "year": form.year,
        }
        for key, figure in found.items():
            if figure is None:
                continue
            field = {"department_code": "code", "department_name": "name", "year": "year"}[key]
            current = getattr(meta, field)
            if current is None:
                setattr(meta, field, (figure.value, figure.where))
            elif current[0] != figure.value:
                problems.append(
                    Problem(
                        figure.where,
                        f"{META_LABELS[key]}：此处为“{figure.value}”，"
                        f"与 {current[1]} 的“{current[0]}”不一致",
                    )
                )
    return meta
