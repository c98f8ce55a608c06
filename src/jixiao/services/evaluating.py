"""Evaluating a stored department-year under the rule sets it names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from jixiao.core.budget import project_funds
from jixiao.core.consistency import Finding
from jixiao.core.cost import year_unit_costs
from jixiao.core.cost_split import costed_outputs
from jixiao.core.evaluation import DepartmentSettings, YearEvaluation, evaluate_year
from jixiao.core.goals import PerformanceGoal
from jixiao.core.rules import ProjectRules
from jixiao.core.year import DepartmentYear
from jixiao.errors import UserFacingError
from jixiao.interchange.department_rule_files import (
    framework_project_rules,
    load_department_framework,
)
from jixiao.interchange.rule_files import load_rule_set, load_rule_set_file
from jixiao.services.cost_standards import year_cost_standards
from jixiao.services.reading import (
    YearsRead,
    basics_rows,
    department_year,
    find_fiscal_year,
    performance_goals,
)
from jixiao.storage import models as m


def project_rules_for(fiscal_year: m.FiscalYear, rules_file: Path | None = None) -> ProjectRules:
    """The rule set a year names, or a user's own rule file when one is given."""
    if rules_file is not None:
        return load_rule_set_file(rules_file)
    return load_rule_set(fiscal_year.project_rules)


def _previous_year(fiscal_year: m.FiscalYear) -> m.FiscalYear | None:
    return m.FiscalYear.objects.filter(
        department=fiscal_year.department, year=fiscal_year.year - 1
    ).first()


def _last_year_goals(previous: m.FiscalYear | None) -> dict[str, PerformanceGoal]:
    if previous is None:
        return {}
    return {g.project_code: g for g in performance_goals(previous) if g.project_code}


def evaluate_stored_year(
    department_code: str,
    year: int,
    rules_file: Path | None = None,
    records: DepartmentYear | None = None,
) -> YearEvaluation:
    """The year evaluated; ``records`` when the caller has already read the year."""
    fiscal_year = find_fiscal_year(department_code, year)
    records = records or department_year(department_code, year)
    return _evaluate(fiscal_year, records, _previous_year(fiscal_year), rules_file)


def _evaluate(
    fiscal_year: m.FiscalYear,
    records: DepartmentYear,
    previous: m.FiscalYear | None,
    rules_file: Path | None = None,
) -> YearEvaluation:
    return evaluate_year(
        records,
        performance_goals(fiscal_year),
        project_rules_for(fiscal_year, rules_file),
        _last_year_goals(previous),
        department_settings(fiscal_year),
        year_cost_standards(fiscal_year),
    )


def evaluate_stored_years(
    read: YearsRead, records: dict[int, DepartmentYear]
) -> dict[int, YearEvaluation | UserFacingError]:
    """``evaluate_stored_year`` of each year read (``reading.read_years``) from what was
    read with it: no query of its own. A year that cannot be evaluated gets its error."""
    evaluated: dict[int, YearEvaluation | UserFacingError] = {}
    for fy in read.years:
        try:
            evaluated[fy.pk] = _evaluate(fy, records[fy.pk], read.previous.get(fy.pk))
        except UserFacingError as error:
            evaluated[fy.pk] = error
    return evaluated


ABOVE_STANDARD = "unit-cost-above-standard"


def costs_above_standard(
    fiscal_year: m.FiscalYear, goals: Sequence[PerformanceGoal]
) -> dict[str, list[Finding]]:
    """The findings of outputs whose unit cost is above the year's 支出标准 (the ones the
    self-evaluation and its 审核意见 list), by project code; the ledger is read only when
    the year names a standards table and a goal links an output to it."""
    projects = [goal for goal in goals if goal.project_code is not None]
    standards = year_cost_standards(fiscal_year)
    if standards is None or not any(costed_outputs(goal) for goal in projects):
        return {}
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    executed = {
        goal.project_code: project_funds(records, goal.project_code).total.executed
        for goal in projects
        if goal.project_code is not None
    }
    above: dict[str, list[Finding]] = {}
    for finding in year_unit_costs(projects, executed, standards)[1]:
        if finding.id == ABOVE_STANDARD and finding.subject:
            above.setdefault(finding.subject, []).append(finding)
    return above


def department_settings(fiscal_year: m.FiscalYear) -> DepartmentSettings:
    framework = load_department_framework(fiscal_year.department_rules)
    return DepartmentSettings(
        framework=framework,
        project_rules=framework_project_rules(framework),
        inputs={i.name: i.value for i in fiscal_year.evaluation_inputs.all()},
        not_applicable=dict(fiscal_year.not_applicable),
    )


def evaluation_workbook_path(result: YearEvaluation, out_dir: Path) -> Path:
    """DIR/YYYY-CODE-evaluation.xlsx."""
    return Path(out_dir) / f"{result.fiscal_year}-{result.department_code}-evaluation.xlsx"


def write_evaluation_tables(result: YearEvaluation, out_dir: Path) -> Path:
    """Write the self-evaluation tables of ``result`` to DIR/YYYY-CODE-evaluation.xlsx,
    dated (填报日期) the day they are written."""
    from jixiao.documents.evaluation_tables import write_evaluation_workbook  # openpyxl: slow

    path = evaluation_workbook_path(result, out_dir)
    fiscal_year = find_fiscal_year(result.department_code, result.fiscal_year)
    basics = basics_rows(fiscal_year)
    return write_evaluation_workbook(result, path, prepared_on=date.today(), basics=basics)
