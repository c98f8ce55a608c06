"""Import the performance forms into a stored department-year, all or nothing.

``import_forms(workbook, forms, dry_run=..., department=..., year=...) -> ImportResult``
is what ``excel_import.import_workbook`` calls when a workbook holds forms (项目支出绩效目标申报表,
项目支出绩效自评表, 部门整体支出绩效自评表, 绩效目标执行监控表) rather than budget or ledger
tables; the result is the budget import's ``ImportResult``, so the command line and the web
print both alike.

1. Department and year from the forms (``form_import.forms_identity``) or from the
   arguments; a conflict is a problem. The year must be stored already (forms add goals to
   a year, not years).
2. Inside ONE transaction, the year's row locked first: the stored year is read
   (``export_dataset``), the context built (the rule set, each project's funds, and what the
   self-evaluation export prints for the stored goals), and ``form_planning.plan_forms``
   works out the year after the import, every change and every problem.
3. Any problem: ``InputRejected`` with all of them; nothing is written. ``dry_run``: the
   changes are listed; nothing is written.
4. Otherwise the changes are written in place: only the projects, goals, indicators and
   progress entries that change, through the ORM (each change lands in the audit history);
   an indicator missing from its sheet is deleted with its progress. A second import of the
   same file writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import transaction

from jixiao.core.amounts import optional_to_yuan, to_yuan
from jixiao.core.department_framework import evaluate_department
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.goals import PerformanceGoal
from jixiao.core.vocabulary import AmountUnit
from jixiao.documents.evaluation_forms import DepartmentForm, department_form, evaluation_forms
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel.form_goals import CostStandardCodes
from jixiao.interchange.excel.form_import import (
    forms_identity,
    forms_result,
    outside,
    unimportable,
    unknown_levels,
)
from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_planning import FormContext, plan_forms
from jixiao.interchange.excel.form_sheets import FormSheet
from jixiao.interchange.excel.importing import ImportResult, resolve_identity
from jixiao.interchange.excel.rights import ImportRights
from jixiao.interchange.excel.workbook import Workbook
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.interchange.rule_files import load_rule_set
from jixiao.services.basics_import import basics_change, planned_basics, write_basics
from jixiao.services.cost_standards import year_cost_standards
from jixiao.services.evaluating import department_settings, evaluate_stored_year
from jixiao.services.reading import department_named, department_year, export_dataset
from jixiao.storage import models as m


def import_forms(
    workbook: Workbook,
    forms: Sequence[FormSheet],
    *,
    dry_run: bool = False,
    department: str | None = None,
    year: int | None = None,
    rights: ImportRights | None = None,
) -> ImportResult:
    """Import the forms of a workbook; raise InputRejected with every problem (nothing written).

    ``rights``: which goals may change, and whether projects may (None: anything).
    """
    problems = unimportable(forms)
    if problems:
        raise InputRejected(problems)
    meta = forms_identity(forms, department, year, problems)
    if problems:
        raise InputRejected(problems)
    code, _, fiscal_year = resolve_identity(meta, workbook, problems, department_named)
    if problems or code is None or fiscal_year is None:
        raise InputRejected(problems)
    with transaction.atomic():
        m.wait_for_department(code)
        stored = (
            m.FiscalYear.objects.select_for_update()
            .filter(department__code=code, year=fiscal_year)
            .select_related("department")
            .first()
        )
        if stored is None:
            raise InputRejected(
                [
                    Problem(
                        forms[0].name,
                        f"部门“{code}”的{fiscal_year}年度尚未建立：请先导入该年度的预算与执行表"
                        "（jixiao import 预算与执行.xlsx）或用 jixiao load 导入数据文件",
                    )
                ]
            )
        before = export_dataset(code, fiscal_year, payments=False)
        context = _context(stored, forms)
        plan = plan_forms(list(forms), before, context)
        if plan.problems:
            raise InputRejected(plan.problems)
        unknown = list(unknown_levels(plan, context.rules))
        if unknown:
            raise InputRejected(unknown)
        refused = list(_locked_goals_changed(stored, plan.before, plan.after))
        if rights is not None:
            refused += outside(plan, rights)
        if refused:
            raise InputRejected(refused)
        basics = planned_basics(workbook)
        basics_changed = basics_change(basics, before)
        if basics_changed is not None:
            if rights is not None and not rights.budget:
                raise InputRejected([Problem(basics_changed.where, BASICS_BY_FINANCE)])
            plan.budget_changes.append(basics_changed)
        if not dry_run and plan.budget_changes:
            write_forms(stored, plan.before, plan.after)
            if basics is not None and basics_changed is not None:
                write_basics(stored, basics[1])
    return forms_result(
        workbook,
        forms,
        plan,
        department=(code, before.department.name),
        year=fiscal_year,
        dry_run=dry_run,
    )


BASICS_BY_FINANCE = "基础信息表由财务科导入：业务科室只能导入本科室项目的绩效表格"

LOCKED_STATUSES = (m.WorkflowStatus.submitted, m.WorkflowStatus.approved)


def _locked_goals_changed(
    fiscal_year: m.FiscalYear, before: ds.Dataset, after: ds.Dataset
) -> Iterator[Problem]:
    """A goal that is submitted or approved is locked: an import may not change it either."""
    old = {goal.project: goal for goal in before.goals}
    changed = {goal.project for goal in after.goals if old.get(goal.project) != goal}
    if not changed:
        return
    goals = m.PerformanceGoal.objects.filter(fiscal_year=fiscal_year).select_related("project")
    for goal in goals:
        project = goal.project.code if goal.project else None
        if project not in changed:
            continue
        for stage, status in (
            ("绩效目标申报", goal.declaration_status),
            ("绩效自评", goal.evaluation_status),
        ):
            if status in LOCKED_STATUSES:
                owner = f"项目“{project}”" if project else "部门整体"
                label = m.WorkflowStatus(status).label
                yield Problem(
                    owner,
                    f"{owner}的{stage}{label}，内容已锁定，不能通过导入修改；请审核人退回后再导入",
                )
                break


# --- the context ---------------------------------------------------------------------------


def _context(fiscal_year: m.FiscalYear, forms: Sequence[FormSheet]) -> FormContext:
    code, year = fiscal_year.department.code, fiscal_year.year
    core_year = department_year(code, year)
    from jixiao.core.budget import project_funds

    context = FormContext(
        rules=load_rule_set(fiscal_year.project_rules),
        funds={p.code: project_funds(core_year, p.code) for p in core_year.projects},
        with_lines=frozenset(line.project_code for line in core_year.lines if line.project_code),
        standards=_standard_codes(fiscal_year),
    )
    kinds = {form.kind for form in forms}
    if not kinds & {FormKind.project_evaluation, FormKind.department_evaluation}:
        return context
    result = evaluate_stored_year(code, year)
    printed = evaluation_forms(result)
    context.rules = result.project_rules
    context.project_forms = {form.project_code: form for form in printed.projects}
    context.department_form = printed.department
    settings = department_settings(fiscal_year)
    context.framework = settings.framework

    def department_print(goal: PerformanceGoal) -> DepartmentForm | None:
        evaluation = evaluate_department(
            core_year,
            goal,
            settings.inputs,
            settings.framework,
            settings.project_rules,
            settings.not_applicable,
        )
        whole = YearEvaluation(
            department_code=code,
            department_name=core_year.department_name,
            fiscal_year=year,
            project_rules=result.project_rules,
            projects=(),
            department=evaluation,
        )
        return department_form(whole, evaluation)

    context.department_print = department_print
    return context


def _standard_codes(fiscal_year: m.FiscalYear) -> CostStandardCodes:
    """The codes an output of the year's declaration may name (its 支出标准表)."""
    standards = year_cost_standards(fiscal_year)
    if standards is None:
        return CostStandardCodes()
    return CostStandardCodes(standards.name, frozenset(s.code for s in standards.standards))


# --- writing -------------------------------------------------------------------------------


def write_forms(fiscal_year: m.FiscalYear, before: ds.Dataset, after: ds.Dataset) -> None:
    """Write what differs between ``before`` and ``after`` (projects and goals), in place."""
    unit = before.unit
    projects = {p.code: p for p in m.Project.objects.filter(fiscal_year=fiscal_year)}
    prior_projects = {p.code: p for p in before.budget.projects}
    for project in after.budget.projects:
        if prior_projects.get(project.code) == project:
            continue
        fields = {
            "name": project.name,
            "initial_budget": optional_to_yuan(project.initial_budget, unit),
            "final_budget": optional_to_yuan(project.final_budget, unit),
            "executed": optional_to_yuan(project.executed, unit),
        }
        row = projects.get(project.code)
        if row is None:
            projects[project.code] = m.Project.objects.create(
                fiscal_year=fiscal_year, code=project.code, **fields
            )
        else:
            _save(row, fields)
    goals = {
        (g.project.code if g.project is not None else None): g
        for g in m.PerformanceGoal.objects.filter(fiscal_year=fiscal_year).select_related("project")
    }
    position = max((g.position for g in goals.values()), default=-1) + 1
    prior_goals = {goal.project: goal for goal in before.goals}
    for goal in after.goals:
        old = prior_goals.get(goal.project)
        if old == goal:
            continue
        stored_goal = goals.get(goal.project)
        fields = _goal_fields(goal)
        if stored_goal is None:
            stored_goal = m.PerformanceGoal.objects.create(
                fiscal_year=fiscal_year,
                project=projects[goal.project] if goal.project else None,
                position=position,
                **fields,
            )
            position += 1
        else:
            _save(stored_goal, fields)
        _write_indicators(stored_goal, old.indicators if old else [], goal.indicators)
        if (old.forecasts if old else []) != goal.forecasts:
            _write_forecasts(stored_goal, goal.forecasts, unit)


def _save(row: Any, fields: dict[str, Any]) -> None:
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(row, name, fields[name])
    row.save()


def _goal_fields(goal: ds.GoalEntry) -> dict[str, Any]:
    claimed = goal.claimed
    return {
        "name": goal.name,
        "expected_objective": goal.expected_objective,
        "actual_objective": goal.actual_objective,
        "level1_weights": {k: str(v) for k, v in goal.level1_weights.items()},
        "execution_reason": goal.execution_reason,
        "claimed_execution_rate": claimed.execution_rate,
        "claimed_execution_score": claimed.execution_score,
        "claimed_total": claimed.total,
        "claimed_grade": claimed.grade or "",
        "claimed_level1_scores": {k: str(v) for k, v in claimed.level1_scores.items()},
        "claimed_weight_total": claimed.weight_total,
    }


def _indicator_fields(entry: ds.IndicatorEntry) -> dict[str, Any]:
    return {
        "level1": entry.level1,
        "level2": entry.level2,
        "level3": entry.level3,
        "kind": entry.kind.value,
        "target": entry.target,
        "weight": entry.weight,
        "actual": entry.actual,
        "state": entry.state.value if entry.state else "",
        "assessed_score": entry.assessed_score,
        "claimed_score": entry.claimed_score,
        "deviation_reason": entry.deviation_reason,
        "improvement": entry.improvement,
        "last_year_actual": entry.last_year_actual,
        "illustrative": entry.illustrative,
        "cost_standard": entry.cost_standard,
        "cost_share": entry.cost_share,
    }


def _key(item: Any) -> tuple[str, str, str]:
    return item.level1, item.level2, item.level3


def _write_indicators(
    goal: m.PerformanceGoal,
    before: Sequence[ds.IndicatorEntry],
    after: Sequence[ds.IndicatorEntry],
) -> None:
    stored = {_key(row): row for row in m.Indicator.objects.filter(goal=goal)}
    prior = {_key(entry): entry for entry in before}
    for position, entry in enumerate(after):
        key = _key(entry)
        row = stored.pop(key, None)
        old = prior.get(key)
        if row is None:
            row = m.Indicator.objects.create(
                goal=goal, position=position, **_indicator_fields(entry)
            )
            _write_progress(row, entry.progress)
            continue
        if old != entry or row.position != position:
            fields = _indicator_fields(entry) if old != entry else {}
            _save(row, {**fields, "position": position})
        if old is None or old.progress != entry.progress:
            _write_progress(row, entry.progress)
    for row in stored.values():
        row.delete()


def _write_forecasts(
    goal: m.PerformanceGoal, entries: Sequence[ds.ForecastEntry], unit: AmountUnit
) -> None:
    """The unit's stated 全年预计执行数 by date: changed in place, added, or removed."""
    existing = {row.date: row for row in m.StatedForecast.objects.filter(goal=goal)}
    for entry in entries:
        amount = to_yuan(entry.amount, unit)
        row = existing.pop(entry.date, None)
        if row is None:
            m.StatedForecast.objects.create(goal=goal, date=entry.date, amount=amount)
        else:
            _save(row, {"amount": amount})
    for row in existing.values():
        row.delete()


def _write_progress(indicator: m.Indicator, entries: Sequence[ds.ProgressEntry]) -> None:
    existing = list(m.IndicatorProgress.objects.filter(indicator=indicator).order_by("date", "id"))
    used: set[int] = set()
    for entry in entries:
        fields = {
            "value": entry.value,
            "likelihood": entry.likelihood.value if entry.likelihood else "",
            "reason_category": entry.reason_category.value if entry.reason_category else "",
            "reason": entry.reason,
        }
        row = next((r for r in existing if r.date == entry.date and r.pk not in used), None)
        if row is None:
            m.IndicatorProgress.objects.create(indicator=indicator, date=entry.date, **fields)
            continue
        used.add(row.pk)
        _save(row, fields)
    for row in existing:
        if row.pk not in used:
            row.delete()
