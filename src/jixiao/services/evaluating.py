"""Evaluating a stored department-year under the rule sets it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jixiao.core.evaluation import DepartmentSettings, YearEvaluation, evaluate_year
from jixiao.core.goals import PerformanceGoal
from jixiao.core.rules import ProjectRules
from jixiao.core.year import DepartmentYear
from jixiao.interchange.department_rule_files import (
    framework_project_rules,
    load_department_framework,
)
from jixiao.interchange.rule_files import load_rule_set, load_rule_set_file
from jixiao.services.cost_standards import year_cost_standards
from jixiao.services.reading import (
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


def _last_year_goals(fiscal_year: m.FiscalYear) -> dict[str, PerformanceGoal]:
    previous = m.FiscalYear.objects.filter(
        department=fiscal_year.department, year=fiscal_year.year - 1
    ).first()
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
    return evaluate_year(
        records or department_year(department_code, year),
        performance_goals(fiscal_year),
        project_rules_for(fiscal_year, rules_file),
        _last_year_goals(fiscal_year),
        department_settings(fiscal_year),
        year_cost_standards(fiscal_year),
    )


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
