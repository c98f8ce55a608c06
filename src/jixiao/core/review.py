"""What the 审核意见 of a self-evaluation report lists: every note addressed to the preparer.

The report and its 附表 print only what the department publishes. Whatever the preparer
has to check, decide or complete is gathered here as findings, each with the subject the
审核意见 groups it under: the consistency checks (勾稽关系), the budget not executed that
nothing explains, the self-evaluation's coverage, and from the evaluation its scoring,
audit and goal-quality findings, the defaults it used, the inputs it lacks and the
indicators declared not applicable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from jixiao.core.budget import BudgetFigures
from jixiao.core.consistency import Finding
from jixiao.core.coverage import Coverage, budget_not_executed
from jixiao.core.department_framework import DepartmentEvaluation
from jixiao.core.evaluation import ProjectEvaluation, YearEvaluation
from jixiao.core.goals import Funds
from jixiao.core.money import (
    ONE,
    ZERO,
    format_percent,
    format_thousands,
    format_wan,
    round_half_up,
    yuan_to_wan,
)
from jixiao.core.scoring import IndicatorResult, IndicatorStatus, plain_number
from jixiao.core.vocabulary import Severity
from jixiao.core.wording import quoted
from jixiao.core.year import DepartmentYear

BUDGET_SUBJECT = "收支情况"
COVERAGE_SUBJECT = "自评覆盖面"
DEPARTMENT_SUBJECT = "部门整体"
FULL_COVERAGE_CLAIM = "全覆盖"
DEFAULT_SCORE_ID = "qualitative-default-score"

_QUALITATIVE = (
    IndicatorStatus.achieved,
    IndicatorStatus.partly_achieved,
    IndicatorStatus.not_achieved,
)


def about(subject: str, findings: Iterable[Finding]) -> Iterator[Finding]:
    """The findings, each given ``subject`` unless it names its own."""
    for finding in findings:
        yield finding if finding.subject else replace(finding, subject=subject)


def project_subject(project: ProjectEvaluation) -> str:
    return f"{project.project_code} {project.project_name}"


def unexplained_budget_findings(figures: BudgetFigures) -> Iterator[Finding]:
    """Budget neither spent nor carried over: 全年预算数 − 执行数 − 年末结转和结余 > 0."""
    decomposed = budget_not_executed(figures)
    rest = decomposed.unexplained
    if rest is None or rest <= 0 or decomposed.carryover is None:
        return
    yield Finding(
        id="budget-not-executed-unexplained",
        severity=Severity.warning,
        message=(
            f"全年预算数{format_wan(figures.final_budget)}万元减执行数"
            f"{format_wan(figures.executed)}万元、年末结转和结余"
            f"{format_wan(decomposed.carryover)}万元，尚有{format_wan(rest)}万元既未支出"
            f"也未结转结余，请说明其去向（如财政收回、调减预算未入账）。"
        ),
        figures={
            "全年预算数": figures.final_budget,
            "执行数": figures.executed,
            "结转和结余": decomposed.carryover,
            "未说明": rest,
        },
        subject=BUDGET_SUBJECT,
    )


def coverage_text(coverage: Coverage) -> str:
    """“自评覆盖项目3个，占全部15个项目的20.00%；覆盖资金845.00万元，占…的0.85%”."""
    return (
        f"自评覆盖项目{coverage.projects_evaluated}个，占全部{coverage.projects_total}个"
        f"项目的{format_percent(coverage.project_share)}；覆盖资金"
        f"{format_wan(coverage.funds_evaluated)}万元，占项目支出全年预算数"
        f"{format_wan(coverage.funds_total)}万元的{format_percent(coverage.funds_share)}"
    )


def coverage_findings(
    coverage: Coverage, at_least: Decimal = ONE, stated: str = ""
) -> Iterator[Finding]:
    """Coverage below ``at_least`` (projects or funds); a text claiming 全覆盖 without it."""
    shares = (coverage.project_share, coverage.funds_share)
    below = any(share is not None and share < at_least for share in shares)
    if below:
        yield Finding(
            id="self-evaluation-coverage-low",
            severity=Severity.warning,
            message=(
                f"{coverage_text(coverage)}，低于规则要求的{format_percent(at_least)}；"
                f"请对其余项目开展自评，或在报告中说明未覆盖的原因。"
            ),
            figures={
                "自评项目数": Decimal(coverage.projects_evaluated),
                "项目总数": Decimal(coverage.projects_total),
                "自评资金": coverage.funds_evaluated,
                "项目资金": coverage.funds_total,
            },
            subject=COVERAGE_SUBJECT,
        )
    full = all(share is not None and share >= ONE for share in shares)
    if FULL_COVERAGE_CLAIM in stated and not full:
        yield Finding(
            id="full-coverage-claimed",
            severity=Severity.warning,
            message=(
                f"自评结论综述称{quoted(FULL_COVERAGE_CLAIM)}，而{coverage_text(coverage)}；"
                f"请修改该表述，或补充其余项目的自评。"
            ),
            subject=COVERAGE_SUBJECT,
        )


def defaults_used(rows: Iterable[IndicatorResult]) -> Iterator[Finding]:
    """Qualitative rows scored at the band's default share because no score was assessed."""
    for row in rows:
        if row.status not in _QUALITATIVE or row.indicator.assessed_score is not None:
            continue
        if row.score is None:
            continue
        yield Finding(
            id=DEFAULT_SCORE_ID,
            severity=Severity.info,
            message=(
                f"{quoted(row.path)}为定性指标，未评定分值，按默认比例计"
                f"{plain_number(row.score)}分（{row.rule}）；如需调整，请填写评定分。"
            ),
            figures={"得分": row.score},
        )


def _incomplete(missing: Iterable[str]) -> Iterator[Finding]:
    for item in missing:
        yield Finding(
            id="evaluation-incomplete",
            severity=Severity.warning,
            message=f"评价不完整：{item.rstrip('。；')}，请补充。",
        )


def department_notes(department: DepartmentEvaluation) -> Iterator[Finding]:
    """What the department form leaves out: missing inputs, defaults, not-applicable reasons."""
    findings: list[Finding] = [*_incomplete(department.missing)]
    findings.extend(defaults_used(duty.result for duty in department.duties))
    findings.extend(
        Finding(
            id="indicator-not-applicable",
            severity=Severity.info,
            message=(
                f"{quoted(item.name)}声明为不适用，理由：{item.reason.rstrip('。')}；原分值"
                f"{plain_number(item.weight)}，其余指标分值按比例折算。"
            ),
            location=item.path,
        )
        for item in department.not_applicable
    )
    yield from about(DEPARTMENT_SUBJECT, findings)


def _printed(yuan: Decimal) -> Decimal:
    return round_half_up(yuan_to_wan(yuan), 2)


def funds_rounding_gaps(funds: Funds) -> dict[str, Decimal]:
    """Columns of a funds block whose printed 其中 rows do not add up to the printed total
    (万元, two decimals): {"全年执行数": Decimal("0.01")}; empty when they all agree."""
    if not funds.rows:
        return {}
    columns = {
        "年初预算数": "initial_budget",
        "全年预算数": "final_budget",
        "全年执行数": "executed",
    }
    gaps = {
        label: _printed(getattr(funds.total, name))
        - sum((_printed(getattr(row, name)) for row in funds.rows), ZERO)
        for label, name in columns.items()
    }
    return {label: gap for label, gap in gaps.items() if gap != ZERO}


def rounding_gap_findings(funds: Funds, noted: bool) -> Iterator[Finding]:
    """A printed 其中 column that differs from its total by rounding, when no 注 says so."""
    gaps = funds_rounding_gaps(funds)
    if not gaps or noted:
        return
    columns = "、".join(f"{label}相差{format_thousands(gap)}万元" for label, gap in gaps.items())
    yield Finding(
        id="funds-rows-rounding-gap",
        severity=Severity.info,
        message=(
            f"项目资金“其中”各行之和与年度资金总额不等（{columns}），系四舍五入尾差；如需在表下"
            f"注明“尾差系四舍五入所致”，请在年度设置中选择印注（report: {{rounding_note: true}}）。"
        ),
        figures=gaps,
    )


def project_notes(project: ProjectEvaluation, rounding_noted: bool = False) -> Iterator[Finding]:
    """What a project form leaves out: what is missing, the defaults used, and a rounding
    gap of its funds block that no 注 explains."""
    evaluation = project.evaluation
    findings = [
        *_incomplete(evaluation.missing),
        *defaults_used(evaluation.indicators),
        *rounding_gap_findings(project.funds, rounding_noted),
    ]
    yield from about(project_subject(project), findings)


def preparer_notes(result: YearEvaluation) -> Iterator[Finding]:
    """Notes the forms do not print, each with its subject: the department's, each project's."""
    if result.department is not None:
        yield from department_notes(result.department)
    for project in result.projects:
        yield from project_notes(project, result.rounding_note)


def evaluation_review(result: YearEvaluation) -> Iterator[Finding]:
    """The evaluation's findings and notes, subject by subject."""
    if result.department is not None:
        yield from about(DEPARTMENT_SUBJECT, result.department.findings)
        yield from department_notes(result.department)
    yield from about(DEPARTMENT_SUBJECT, result.quality)
    for project in result.projects:
        evaluation = project.evaluation
        findings = (*evaluation.findings, *project.audit, *project.quality)
        yield from about(project_subject(project), findings)
        yield from project_notes(project, result.rounding_note)
        yield from (
            replace(f, subject=project_subject(project))
            for f in result.cost_findings
            if f.subject == project.project_code
        )


def coverage_threshold(result: YearEvaluation | None) -> Decimal:
    """The framework's coverage threshold, else full coverage."""
    if result is None or result.department is None:
        return ONE
    return result.department.framework.coverage_at_least


def report_review(
    year: DepartmentYear,
    figures: BudgetFigures,
    consistency: Iterable[Finding],
    evaluation: YearEvaluation | None,
    coverage: Coverage | None,
) -> tuple[Finding, ...]:
    """Every note of the report's 审核意见, in the order the report reads."""
    findings = [*about(BUDGET_SUBJECT, consistency), *unexplained_budget_findings(figures)]
    if coverage is not None:
        findings.extend(
            coverage_findings(coverage, coverage_threshold(evaluation), year.conclusion)
        )
    if evaluation is not None:
        findings.extend(evaluation_review(evaluation))
    return tuple(findings)


def rule_set_names(result: YearEvaluation | None) -> tuple[str, ...]:
    """The rule sets applied, as the 审核意见 names them: "名称（id）"."""
    if result is None:
        return ()
    names = [f"{result.project_rules.name}（{result.project_rules.id}）"]
    if result.department is not None:
        framework = result.department.framework
        names.insert(0, f"{framework.name}（{framework.id}）")
    if result.cost_standards is not None and result.unit_costs:
        names.append(f"{result.cost_standards.name}（{result.cost_standards.id}）")
    return tuple(names)
