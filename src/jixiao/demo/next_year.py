"""The demo's next year (2024): carried forward from 2023, declared, not yet budgeted.

``liwan-2024.yaml`` says what the department proposes for the year after the published
one; this module stores it with the same services a user's actions go through: the year
is carried forward (``services.carry_forward``), each project gets its requested funds,
the new projects get goals whose indicators are the indicator library's entries (with
the 支出标准 an output is costed against) and an 事前绩效评估 scored on the year's sheet
(``services.ex_ante``), and 财务科's decisions on last year's 结果应用清单 are recorded
(``services.result_application``). Goals and assessments are left where the file says
(提交 or 审核), each step a transition row, so the pages show the 申报 stage a bureau
would see in autumn.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field

from jixiao.core.amounts import to_yuan
from jixiao.core.cost import CostStandards
from jixiao.core.ex_ante import ItemScore
from jixiao.core.indicator_library import LibraryIndicator
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.cost_standard_files import shipped_cost_standards
from jixiao.interchange.indicator_library_files import shipped_indicator_library
from jixiao.services import ex_ante
from jixiao.services.carry_forward import carry_forward
from jixiao.services.cost_standards import store_cost_standards
from jixiao.services.result_application import decide
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStage, WorkflowStatus

LIBRARY = "natural-resources"
OFFICE_USER = "demo-office"
FINANCE_USER = "demo-finance"
"""Who acted, by the names of the demo accounts ``jixiao serve --demo`` creates."""


class _Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class PlannedIndicator(_Strict):
    library: str = Field(description="指标库中的指标编码")
    target: str
    weight: Decimal


class PlannedGoal(_Strict):
    expected_objective: str
    indicators: list[PlannedIndicator]


class PlannedAssessment(_Strict):
    assessor: str
    assessed_on: date
    opinion: str
    status: Literal["submitted", "approved"]
    scores: dict[str, tuple[Decimal, str]]


class NewProject(_Strict):
    code: str
    name: str
    office: str
    initial_budget: Decimal
    goal: PlannedGoal
    ex_ante: PlannedAssessment


class ResultDecisionEntry(_Strict):
    project: str
    accepted: bool
    reason: str


class YearStandards(_Strict):
    """The year's own 支出标准表, put together from shipped tables (as a department would
    import its own): the outputs carried forward keep their standards, the new ones add
    theirs."""

    id: str
    name: str
    tables: list[str]


class NextYear(_Strict):
    format: Literal["jixiao-demo-next-year/1"]
    unit: AmountUnit
    department: str
    year: int
    source: str = ""
    cost_standards: YearStandards | None = None
    continuing: dict[str, Decimal]
    new_projects: list[NewProject]
    result_decisions: list[ResultDecisionEntry] = Field(default_factory=list)


def next_year_path() -> Path:
    return Path(str(resources.files("jixiao.demo") / "liwan-2024.yaml"))


def read_next_year(path: Path | None = None) -> NextYear:
    text = (path or next_year_path()).read_text(encoding="utf-8")
    return NextYear.model_validate(yaml.safe_load(text))


def store_next_year(plan: NextYear) -> m.FiscalYear:
    """The planned year stored on top of the stored previous year, in one transaction
    (a stored year of the plan is replaced, as the demo replaces its other years)."""
    library = {i.code: i for i in shipped_indicator_library(LIBRARY).indicators}
    with transaction.atomic():
        previous = m.FiscalYear.objects.get(department__code=plan.department, year=plan.year - 1)
        m.FiscalYear.objects.filter(department=previous.department, year=plan.year).delete()
        _decide_results(previous, plan.result_decisions)
        fiscal_year = carry_forward(plan.department, previous.year, plan.continuing).fiscal_year
        fiscal_year.source = plan.source
        fiscal_year.entry_unit = plan.unit.value
        fiscal_year.save(update_fields=["source", "entry_unit"])
        if plan.cost_standards is not None:
            store_cost_standards(fiscal_year, _standards(plan.cost_standards, plan.year))
        for project in fiscal_year.projects.all():
            project.initial_budget = to_yuan(plan.continuing[project.code], plan.unit)
            project.save(update_fields=["initial_budget"])
        for position, new in enumerate(plan.new_projects, start=fiscal_year.goals.count()):
            project = _new_project(fiscal_year, new, plan.unit)
            _declare_goal(project, new.goal, library, position)
            _assess(project, new.ex_ante)
    return fiscal_year


def _standards(plan: YearStandards, year: int) -> CostStandards:
    tables = [shipped_cost_standards(name) for name in plan.tables]
    return CostStandards(
        id=plan.id,
        name=plan.name,
        version=str(year),
        standards=tuple(s for table in tables for s in table.standards),
        sources=tuple(source for table in tables for source in table.sources),
        evidence="L" if any(table.evidence == "L" for table in tables) else "D",
    )


def _decide_results(previous: m.FiscalYear, decisions: list[ResultDecisionEntry]) -> None:
    for entry in decisions:
        decide(
            previous,
            entry.project,
            accepted=entry.accepted,
            reason=entry.reason,
            user_name=FINANCE_USER,
        )


def _new_project(fiscal_year: m.FiscalYear, new: NewProject, unit: AmountUnit) -> m.Project:
    return m.Project.objects.create(
        fiscal_year=fiscal_year,
        code=new.code,
        name=new.name,
        office=m.Office.objects.get(department_id=fiscal_year.department_id, code=new.office),
        initial_budget=to_yuan(new.initial_budget, unit),
    )


def _declare_goal(
    project: m.Project, plan: PlannedGoal, library: dict[str, LibraryIndicator], position: int
) -> None:
    """The goal with the library's indicators, submitted by the office (申报)."""
    goal = m.PerformanceGoal.objects.create(
        fiscal_year=project.fiscal_year,
        project=project,
        position=position,
        expected_objective=plan.expected_objective,
        declaration_status=WorkflowStatus.submitted,
    )
    for n, planned in enumerate(plan.indicators):
        entry = library[planned.library]
        m.Indicator.objects.create(
            goal=goal,
            position=n,
            level1=entry.level1,
            level2=entry.level2,
            level3=entry.level3,
            kind=entry.kind.value,
            target=planned.target,
            weight=planned.weight,
            illustrative=True,
            cost_standard=entry.cost_standard,
        )
    m.WorkflowTransition.objects.create(
        goal=goal,
        stage=WorkflowStage.declaration,
        action=WorkflowAction.submit,
        from_status=WorkflowStatus.draft,
        to_status=WorkflowStatus.submitted,
        user_name=OFFICE_USER,
    )


def _assess(project: m.Project, plan: PlannedAssessment) -> None:
    """The office's filled score sheet, submitted; approved by 财务科 where the plan says."""
    scores = {
        code: ItemScore(code, score, None, comment)
        for code, (score, comment) in plan.scores.items()
    }
    filled = ex_ante.Filled(scores, plan.assessor, plan.assessed_on, plan.opinion)
    ex_ante.save_assessment(project, filled)
    office = ex_ante.Rights(None, OFFICE_USER, "业务科室", edit=True, review=False)
    ex_ante.transition(project, WorkflowAction.submit, office)
    if plan.status == "approved":  # by another account than the submitter's, as the rule asks
        assessment = ex_ante.assessment_of(project)
        assert assessment is not None
        assessment.status = WorkflowStatus.approved
        assessment.save(update_fields=["status"], bump_version=False)
        m.ExAnteTransition.objects.create(
            assessment=assessment,
            action=WorkflowAction.approve,
            from_status=WorkflowStatus.submitted,
            to_status=WorkflowStatus.approved,
            user_name=FINANCE_USER,
            role="财务科",
        )
