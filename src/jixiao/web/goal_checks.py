"""What a goal holds and whether it may go on: the stored goal read as core records,
its goal-quality findings, its live score, and the reasons it may not be submitted or
approved yet.

``declaration_blockers`` and ``evaluation_blockers`` are the one answer to "may this be
submitted / approved": ``jixiao.web.workflow.transition`` asks them for every submit and
every approval, whichever page or endpoint sends it. The findings come from the core
(``core.goal_quality``: the 错误 among them are what the evaluation would report as 错误
whatever the actuals; ``core.scoring`` for the self-evaluation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jixiao.core import goals as core
from jixiao.core.budget import project_funds
from jixiao.core.consistency import Finding
from jixiao.core.cost import measure_year_unit_costs, split_goal_measures
from jixiao.core.cost_split import costed_outputs
from jixiao.core.department_framework import (
    DepartmentEvaluation,
    evaluate_department,
    format_factor,
)
from jixiao.core.goal_quality import (
    check_duplicate_indicators,
    check_goal_quality,
    check_level_names,
    check_quantified_share,
    check_target_form,
    errors,
)
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import ExecutionResult, IndicatorResult, evaluate_goal
from jixiao.core.vocabulary import Severity
from jixiao.interchange.department_rule_files import (
    framework_project_rules,
    load_department_framework,
)
from jixiao.services.cost_standards import year_cost_standards
from jixiao.services.evaluating import department_settings, project_rules_for
from jixiao.services.indicator_library import (
    library_findings,
    with_library_findings,
    year_library_findings,
)
from jixiao.services.reading import department_year, performance_goals
from jixiao.storage import models as m
from jixiao.web.permissions import GoalSubject

DECLARATION_GOAL_FIELDS = ("name", "expected_objective")
DECLARATION_ROW_FIELDS = (
    "level1", "level2", "level3", "kind", "target", "weight", "cost_standard", "cost_share",
)  # fmt: skip
EVALUATION_GOAL_FIELDS = ("actual_objective", "execution_reason")
EVALUATION_ROW_FIELDS = ("actual", "state", "assessed_score", "deviation_reason", "improvement")
ALL_ROW_FIELDS = (*DECLARATION_ROW_FIELDS, *EVALUATION_ROW_FIELDS)
ALL_GOAL_FIELDS = (*DECLARATION_GOAL_FIELDS, *EVALUATION_GOAL_FIELDS)

REASON_FINDINGS = {
    "deviation-reason-missing",
    "over-achievement-reason-missing",
    "execution-reason-missing",
}
"""Findings that make a self-evaluation not yet submittable: the rules require a reason."""

DEPARTMENT_GOAL_NAME = "部门整体支出"

# Rules of a subject


def subject_rules(subject: GoalSubject) -> ProjectRules:
    """The rule set whose vocabulary and formulas the goal is checked and scored with."""
    if subject.project is None:
        return framework_project_rules(
            load_department_framework(subject.fiscal_year.department_rules)
        )
    return project_rules_for(subject.fiscal_year)


# Reading stored goals as core records


def indicators_of(goal: m.PerformanceGoal | None) -> list[m.Indicator]:
    if goal is None:
        return []
    return list(m.Indicator.objects.filter(goal=goal).order_by("position", "id"))


def core_indicator(row: m.Indicator, **changes: Any) -> core.Indicator:
    values: dict[str, Any] = {name: getattr(row, name) for name in ALL_ROW_FIELDS}
    values.update(changes)
    state = values["state"]
    return core.Indicator(
        level1=values["level1"],
        level2=values["level2"],
        level3=values["level3"],
        kind=core.IndicatorKind(values["kind"]),
        target=values["target"] or "",
        weight=Decimal(values["weight"]),
        actual=values["actual"] if values["actual"] not in ("", None) else None,
        state=core.QualitativeState(state) if state else None,
        assessed_score=values["assessed_score"],
        claimed_score=row.claimed_score,
        deviation_reason=values["deviation_reason"] or "",
        improvement=values["improvement"] or "",
        last_year_actual=row.last_year_actual,
        illustrative=row.illustrative,
        cost_standard=values["cost_standard"],
        cost_share=values["cost_share"],
    )


def core_goal(
    subject: GoalSubject,
    goal: m.PerformanceGoal | None,
    indicators: Sequence[core.Indicator],
    **texts: str,
) -> core.PerformanceGoal:
    stored: dict[str, Any] = {name: getattr(goal, name) if goal else "" for name in ALL_GOAL_FIELDS}
    stored.update(texts)
    project = subject.project
    return core.PerformanceGoal(
        project_code=project.code if project else None,
        name=(project.name if project else DEPARTMENT_GOAL_NAME),
        expected_objective=stored["expected_objective"],
        actual_objective=stored["actual_objective"],
        indicators=tuple(indicators),
        level1_weights={k: Decimal(v) for k, v in (goal.level1_weights if goal else {}).items()},
        execution_reason=stored["execution_reason"],
    )


def last_year_goal(subject: GoalSubject) -> core.PerformanceGoal | None:
    """The same project's goal of the year before (for the target-too-low check)."""
    project = subject.project
    if project is None:
        return None
    fiscal_year = subject.fiscal_year
    previous = (
        m.PerformanceGoal.objects.filter(
            fiscal_year__department_id=fiscal_year.department_id,
            fiscal_year__year=fiscal_year.year - 1,
            project__code=project.code,
        )
        .prefetch_related(
            Prefetch("indicators", queryset=m.Indicator.objects.order_by("position", "id"))
        )
        .first()
    )
    if previous is None:
        return None
    rows = [core_indicator(row) for row in previous.indicators.all()]
    return core.PerformanceGoal(project.code, project.name, indicators=tuple(rows))


def cost_findings(subject: GoalSubject, goal: core.PerformanceGoal) -> list[Finding]:
    """The goal's 成本占比 and, for the outputs that report an actual, their unit costs
    against the year's 支出标准表 (the findings the self-evaluation will list); nothing
    for a goal without a costed output."""
    project = subject.project
    if project is None or not costed_outputs(goal):
        return []
    fiscal_year = subject.fiscal_year
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    executed = project_funds(records, project.code).total.executed
    measures, unsplit = split_goal_measures(goal, executed)
    _, found = measure_year_unit_costs(measures, year_cost_standards(fiscal_year))
    return [*unsplit, *found]


DEPARTMENT_CHECKS = (
    check_quantified_share, check_duplicate_indicators, check_target_form, check_level_names,
)  # fmt: skip
"""The department goal is weighed by its framework: only the checks of form and vocabulary
apply to it."""


def quality_findings(
    subject: GoalSubject, goal: core.PerformanceGoal, rules: ProjectRules
) -> list[Finding]:
    """The goal-quality findings (绩效目标审核) of one goal, with the 指标库's
    "目标值偏低" (warnings: they never block a submission or an approval)."""
    if subject.project is None:
        found = check_goal_quality(goal, rules, None, DEPARTMENT_CHECKS)
    else:
        found = check_goal_quality(goal, rules, last_year_goal(subject))
    return with_library_findings(found, library_findings(subject.fiscal_year, goal), rules)


def year_findings(
    fiscal_year: m.FiscalYear, goals: Sequence[core.PerformanceGoal] | None = None
) -> dict[str | None, list[Finding]]:
    """The goal-quality findings of every stored goal of a year (``goals``, when the caller
    has read them), by project code (None: the department goal), as ``quality_findings``
    gives them one by one; {} when the year's rule sets cannot be read (the pages that
    score say why)."""
    try:
        rules = project_rules_for(fiscal_year)
    except Exception:
        return {}
    previous = m.FiscalYear.objects.filter(
        department_id=fiscal_year.department_id, year=fiscal_year.year - 1
    ).first()
    last_year = (
        {g.project_code: g for g in performance_goals(previous) if g.project_code}
        if previous
        else {}
    )
    found: dict[str | None, list[Finding]] = {}
    goals = performance_goals(fiscal_year) if goals is None else goals
    for goal, library in zip(goals, year_library_findings(fiscal_year, goals), strict=True):
        if goal.project_code is not None:
            own = check_goal_quality(goal, rules, last_year.get(goal.project_code))
            found[goal.project_code] = with_library_findings(own, library, rules)
        elif fiscal_year.department_rules:
            framework = framework_project_rules(
                load_department_framework(fiscal_year.department_rules)
            )
            own = check_goal_quality(goal, framework, None, DEPARTMENT_CHECKS)
            found[None] = with_library_findings(own, library, framework)
    return found


# Live evaluation (scores as the user types) and the submission blockers


@dataclass(frozen=True)
class RowScore:
    score: Decimal | None
    status: str
    rule: str
    findings: tuple[Finding, ...]
    weight: Decimal | None = None
    """The weight the row is counted with (the department framework may rescale it)."""


@dataclass(frozen=True)
class LiveEvaluation:
    rows: tuple[RowScore | None, ...]
    """Per indicator, in order; None for a row the department framework leaves out."""
    total: Decimal | None
    grade: str | None
    execution: ExecutionResult | None
    goal_findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    conversions: tuple[str, ...] = ()
    """How the department framework converted the declared weights into the ones counted
    (按框架分值折算), in words; empty for a project."""

    @property
    def blockers(self) -> list[str]:
        """Why the scored self-evaluation may not be submitted yet (empty: it may): what is
        not scored, the reasons the rules ask for, and the goal's 错误 findings (weights)."""
        reasons = [*self.missing]
        for row in self.rows:
            if row is not None:
                reasons.extend(f.message for f in row.findings if f.id in REASON_FINDINGS)
        reasons.extend(
            f.message
            for f in self.goal_findings
            if f.id in REASON_FINDINGS or f.severity is Severity.error
        )
        return reasons


def _row_score(result: IndicatorResult, weight: Decimal | None = None) -> RowScore:
    return RowScore(result.score, result.status.value, result.rule, result.findings, weight)


def evaluate_live(subject: GoalSubject, goal: core.PerformanceGoal) -> LiveEvaluation:
    """Score a goal as it stands in the form: a project's under its rule set (with its
    funds), the department goal under its framework."""
    fiscal_year = subject.fiscal_year
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    if subject.project is not None:
        rules = project_rules_for(fiscal_year)
        result = evaluate_goal(goal, project_funds(records, subject.project.code), rules)
        row_findings = sum(len(row.findings) for row in result.indicators)
        return LiveEvaluation(
            rows=tuple(_row_score(row, row.indicator.weight) for row in result.indicators),
            total=result.total,
            grade=result.grade,
            execution=result.execution,
            goal_findings=result.findings[row_findings:],
            missing=result.missing,
        )
    settings = department_settings(fiscal_year)
    department = evaluate_department(
        records, goal, settings.inputs, settings.framework, settings.project_rules,
        settings.not_applicable,
    )  # fmt: skip
    duties = {id(duty.indicator): duty for duty in department.duties}
    rows: list[RowScore | None] = []
    for indicator in goal.indicators:
        duty = duties.get(id(indicator))
        rows.append(
            None
            if duty is None
            else RowScore(
                duty.score, duty.result.status.value, duty.rule, duty.result.findings, duty.weight
            )
        )
    duty_paths = {duty.path for duty in department.duties}
    return LiveEvaluation(
        rows=tuple(rows),
        total=department.total,
        grade=department.grade,
        execution=None,
        goal_findings=tuple(
            f for f in department.findings
            if f.id in REASON_FINDINGS and f.location not in duty_paths
        ),
        missing=department.missing,
        conversions=_conversions(department),
    )  # fmt: skip


def _conversions(department: DepartmentEvaluation) -> tuple[str, ...]:
    """The framework's conversions of the goal's weights, as the page explains them."""
    said = [f.message for f in department.findings if f.id == "duty-weights-rescaled"]
    if department.rescale_factor != 1 and department.not_applicable:
        names = "、".join(item.name for item in department.not_applicable)
        said.append(
            _("%(names)s声明为不适用，不计分；其余指标的分值按%(factor)s倍折算。")
            % {"names": names, "factor": format_factor(department.rescale_factor)}
        )
    return tuple(said)


def stored_core_goal(subject: GoalSubject) -> tuple[core.PerformanceGoal, list[m.Indicator]]:
    rows = indicators_of(subject.goal)
    return core_goal(subject, subject.goal, [core_indicator(row) for row in rows]), rows


def no_indicators() -> str:
    """What a goal without indicators says instead of 未发现问题, and why it waits."""
    return _("还没有绩效指标：请先添加并保存绩效指标，再提交审核。")


def declaration_errors(subject: GoalSubject, goal: core.PerformanceGoal) -> list[Finding]:
    """The goal-quality findings that block submitting and approving the goal (错误)."""
    return errors(quality_findings(subject, goal, subject_rules(subject)))


def declaration_blockers(subject: GoalSubject) -> list[str]:
    """Why the stored declaration may not be submitted or approved (empty: it may)."""
    goal, rows = stored_core_goal(subject)
    if not rows:
        return [no_indicators()]
    return [f.message for f in declaration_errors(subject, goal)]


def evaluation_reasons(
    subject: GoalSubject, goal: core.PerformanceGoal, live: LiveEvaluation
) -> list[str]:
    """Why a self-evaluation may not be submitted or approved: what is not scored, the
    reasons the rules ask for, its 错误 findings and the goal's own 错误 (each once)."""
    declared = (f.message for f in declaration_errors(subject, goal))
    return list(dict.fromkeys([*live.blockers, *declared]))


def evaluation_blockers(subject: GoalSubject) -> list[str]:
    """Why the stored self-evaluation may not be submitted or approved (empty: it may)."""
    goal, rows = stored_core_goal(subject)
    if not rows:
        return [no_indicators()]
    return evaluation_reasons(subject, goal, evaluate_live(subject, goal))
