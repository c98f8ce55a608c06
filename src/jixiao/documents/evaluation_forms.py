"""The self-evaluation forms (自评表) laid out from one ``YearEvaluation``.

One layout feeds every rendering — the Excel workbook (``evaluation_tables``), the tables
appended to the Word report and the Markdown pipe tables (``report``) — so that they
cannot disagree. This is where presentation precision is applied, once:

* amounts: 元 → 万元, rounded half-up to two decimals (the figure a cell shows);
* rates: the rate as the core prints it (percentage rounded half-up to the rule set's
  places), as a fraction: 92.87 % → ``Decimal("0.9287")``;
* weights and scores: as the core computed them (already rounded).

``None`` means "no figure": a missing score (未填报, 无法评分), a 不适用 row, the 其中 rows'
分值 / 执行率 / 得分. Renderers print such a cell as its ``*_text`` field or "—".

Layout decisions (the forms of domain-rules §1.7 and the 部门整体支出绩效自评表):

* 实施单位 is the department: a department-year records offices (科室), not units (单位),
  and the Liwan forms are filled by the 分局 itself;
* the first 其中 row is labelled "其中：{来源}", the others by their source;
* 偏差原因分析及改进措施 is the deviation reason, then "改进措施：…" when one is given;
* the department form keeps the framework's order: common indicators, then the
  department's own 履职 indicators; a row declared not applicable stays in its place with
  its reason and the weight it would have had, and a note gives the rescaling factor;
* the forms print only what the department publishes: a row declared not applicable
  shows "不适用" / "—", never the reason addressed to the preparer; the department rows'
  说明 is the formula with its figures (common indicators) or the deviation reason (履职
  indicators); rule-set ids, defaults used and missing inputs go to the 审核意见
  (``jixiao.core.review``);
* notes (说明) give the cap on the total when one lowered it, the reason given for a low
  execution rate, why a printed 执行率 differs from the rate of the printed 万元 figures
  (the rate is computed from the 元 amounts), and which targets are illustrative (示意值).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.core.consistency import Finding
from jixiao.core.department_framework import (
    FORMULAS,
    CommonIndicator,
    CommonIndicatorResult,
    DepartmentEvaluation,
    DutyIndicatorResult,
    NotApplicable,
    format_factor,
)
from jixiao.core.evaluation import ProjectEvaluation, YearEvaluation
from jixiao.core.goals import FundsRow, Indicator
from jixiao.core.money import (
    HUNDRED,
    ONE,
    ZERO,
    format_thousands,
    percent_places,
    round_half_up,
    yuan_to_wan,
)
from jixiao.core.review import (
    DEFAULT_SCORE_ID,
    funds_rounding_gaps,
    preparer_notes,
    project_subject,
)
from jixiao.core.scoring import IndicatorResult, plain_number
from jixiao.core.wording import sentence

PROJECT_FORM_TITLE = "项目支出绩效自评表"
DEPARTMENT_FORM_TITLE = "部门整体支出绩效自评表"
FINDINGS_TITLE = "审核意见"
NO_FIGURE = "—"
NOT_APPLICABLE = "不适用"
NOT_GRADED = "未评定"

FUNDS_HEADERS = (
    "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
)  # fmt: skip
PROJECT_INDICATOR_HEADERS = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
    "偏差原因分析及改进措施",
)  # fmt: skip
DEPARTMENT_HEADERS = (
    "一级指标", "二级指标", "三级指标", "指标值/计算公式", "实际值", "分值", "得分", "说明",
)  # fmt: skip
FINDING_HEADERS = ("评价对象", "类别", "严重程度", "检查", "位置", "说明")


# --- the layout --------------------------------------------------------------------------


@dataclass(frozen=True)
class FundsLine:
    """A row of the funds block; only the total row (年度资金总额) is scored."""

    label: str
    initial_budget: Decimal
    """年初预算数 in 万元, rounded half-up to two decimals."""
    final_budget: Decimal
    executed: Decimal
    weight: Decimal | None = None
    rate: Decimal | None = None
    """执行率 as printed, as a fraction (0.9287); None on 其中 rows and when undefined."""
    score: Decimal | None = None


@dataclass(frozen=True)
class IndicatorLine:
    """A third-level indicator row of a project form or of the department form."""

    level1: str
    level2: str
    level3: str
    target: str
    """年度指标值 as written, or the department formula and its target."""
    actual: str | Decimal
    """实际完成值 as written (text), or a computed rate as a fraction (department rows)."""
    weight: Decimal | None
    """分值 in force; None for a row declared not applicable."""
    score: Decimal | None
    score_text: str
    """What the 得分 cell shows when there is no score: 未填报, 无法评分, 未评分, 不适用."""
    remark: str
    """偏差原因分析及改进措施 (project forms) or 说明 (the department form: the rule applied)."""


@dataclass(frozen=True)
class ProjectForm:
    """A 项目支出绩效自评表."""

    project_code: str
    project_name: str
    department: str
    """主管部门."""
    unit: str
    """实施单位."""
    year_label: str
    """"（2023年度）"."""
    funds: tuple[FundsLine, ...]
    """The total row, then the 其中 rows by funding source."""
    expected_objective: str
    actual_objective: str
    indicators: tuple[IndicatorLine, ...]
    weight_total: Decimal
    """总分's 分值: the rows' weights and the execution weight."""
    total: Decimal | None
    grade: str | None
    notes: tuple[str, ...]

    @property
    def title(self) -> str:
        return PROJECT_FORM_TITLE


@dataclass(frozen=True)
class DepartmentForm:
    """The 部门整体支出绩效自评表."""

    department: str
    framework: str
    year_label: str
    indicators: tuple[IndicatorLine, ...]
    weight_total: Decimal
    total: Decimal | None
    grade: str | None
    notes: tuple[str, ...]

    @property
    def title(self) -> str:
        return DEPARTMENT_FORM_TITLE


@dataclass(frozen=True)
class FindingLine:
    """One finding of the year: scoring, audit of the claimed figures, or goal quality."""

    owner: str
    """部门整体, or the project: "LW23-P04 国土空间总体规划编制"."""
    category: str
    """评分, 审核 or 质量."""
    severity: str
    """The severity's label: 错误, 警告, 提示."""
    id: str
    location: str
    message: str


@dataclass(frozen=True)
class EvaluationForms:
    """Every form of a department-year's self-evaluation."""

    fiscal_year: int
    department_name: str
    department: DepartmentForm | None
    projects: tuple[ProjectForm, ...]
    findings: tuple[FindingLine, ...]


def wan(yuan: Decimal) -> Decimal:
    """元 → the 万元 figure a form shows: half-up to two decimals."""
    return round_half_up(yuan_to_wan(yuan), 2)


def printed_rate(percent: Decimal | None) -> Decimal | None:
    """A printed percentage (92.87) as the fraction a ``0.00%`` cell holds (0.9287)."""
    return None if percent is None else percent / HUNDRED


def rate_of_printed(part: Decimal, whole: Decimal, places: int = 2) -> Decimal | None:
    """The percentage a reader gets from two printed figures: 265.14 ÷ 275.00 → 96.41."""
    if whole == ZERO:
        return None
    return round_half_up(part / whole * HUNDRED, places)


def rate_note(total: FundsRow, percent: Decimal | None) -> str | None:
    """Why the printed 执行率 ``percent`` is not the rate of the printed 万元 figures of
    ``total``; None when it is (or when there is no rate)."""
    if percent is None:
        return None
    printed = rate_of_printed(
        wan(total.executed), wan(total.final_budget), percent_places(str(percent))
    )
    if printed == percent:
        return None
    computed = (
        f"执行率{format_thousands(percent)}%按元计算（{format_thousands(total.executed)}元÷"
        f"{format_thousands(total.final_budget)}元）"
    )
    if printed is None:  # a budget under 0.005万元 prints as 0.00
        return f"{computed}，表中万元数四舍五入后无法计算。"
    return f"{computed}，与按表中万元数计算的{format_thousands(printed)}%之间的尾差系四舍五入所致。"


def year_label(fiscal_year: int) -> str:
    return f"（{fiscal_year}年度）"


def evaluation_forms(result: YearEvaluation) -> EvaluationForms:
    """Lay out every form of ``result``."""
    return EvaluationForms(
        fiscal_year=result.fiscal_year,
        department_name=result.department_name,
        department=(
            None if result.department is None else department_form(result, result.department)
        ),
        projects=tuple(project_form(result, project) for project in result.projects),
        findings=tuple(finding_lines(result)),
    )


# --- the project form --------------------------------------------------------------------


def _funds_line(row: FundsRow, label: str) -> FundsLine:
    return FundsLine(label, wan(row.initial_budget), wan(row.final_budget), wan(row.executed))


def funds_lines(project: ProjectEvaluation) -> tuple[FundsLine, ...]:
    execution = project.evaluation.execution
    total = _funds_line(project.funds.total, project.funds.total.label)
    scored = FundsLine(
        label=total.label,
        initial_budget=total.initial_budget,
        final_budget=total.final_budget,
        executed=total.executed,
        weight=execution.weight,
        rate=printed_rate(execution.rate_percent),
        score=execution.score,
    )
    parts = tuple(
        _funds_line(row, f"其中：{row.label}" if index == 0 else row.label)
        for index, row in enumerate(project.funds.rows)
    )
    return (scored, *parts)


def deviation_text(indicator: Indicator) -> str:
    """偏差原因分析及改进措施: the reason, then the improvement."""
    reason, improvement = indicator.deviation_reason.strip(), indicator.improvement.strip()
    if not improvement:
        return reason
    measure = f"改进措施：{improvement}"
    return f"{reason.rstrip('。；;，, ')}；{measure}" if reason else measure


def _actual_text(indicator: Indicator) -> str:
    if indicator.actual is not None and indicator.actual.strip():
        return indicator.actual.strip()
    if indicator.state is not None:
        return indicator.state.value
    return "未填报"


def indicator_line(row: IndicatorResult) -> IndicatorLine:
    indicator = row.indicator
    return IndicatorLine(
        level1=indicator.level1,
        level2=indicator.level2,
        level3=indicator.level3,
        target=indicator.target,
        actual=_actual_text(indicator),
        weight=indicator.weight,
        score=row.score,
        score_text=row.status.value if row.score is None else "",
        remark=deviation_text(indicator),
    )


def _illustrative_note(indicators: tuple[Indicator, ...]) -> Iterator[str]:
    names = [i.level3 for i in indicators if i.illustrative]
    if names:
        yield f"以下指标的年度指标值为示意值（非公开数据）：{'、'.join(names)}。"


ROUNDING_NOTE = "其中各项之和与年度资金总额的尾差系四舍五入所致。"


def project_notes(project: ProjectEvaluation, rounding_note: bool = False) -> tuple[str, ...]:
    evaluation = project.evaluation
    notes: list[str] = []
    cap = evaluation.cap_applied
    if cap is not None and evaluation.uncapped_total is not None and evaluation.total is not None:
        rate = evaluation.execution.rate_percent
        notes.append(
            f"预算执行率{plain_number(rate) if rate is not None else NO_FIGURE}%低于"
            f"{plain_number(cap.rate_below * HUNDRED)}%，总分不超过"
            f"{plain_number(cap.total_at_most)}分：各项得分合计"
            f"{format_thousands(evaluation.uncapped_total)}分，按"
            f"{format_thousands(evaluation.total)}分计。"
        )
    if rounding_note and funds_rounding_gaps(project.funds):
        notes.append(ROUNDING_NOTE)
    why_rate = rate_note(project.funds.total, evaluation.execution.rate_percent)
    if why_rate is not None:
        notes.append(why_rate)
    reason = evaluation.goal.execution_reason.strip()
    if reason:
        notes.append(f"预算执行情况说明：{sentence(reason)}")
    notes.extend(_illustrative_note(evaluation.goal.indicators))
    return tuple(notes)


def project_form(result: YearEvaluation, project: ProjectEvaluation) -> ProjectForm:
    evaluation = project.evaluation
    return ProjectForm(
        project_code=project.project_code,
        project_name=project.project_name,
        department=result.department_name,
        unit=result.department_name,
        year_label=year_label(result.fiscal_year),
        funds=funds_lines(project),
        expected_objective=evaluation.goal.expected_objective,
        actual_objective=evaluation.goal.actual_objective,
        indicators=tuple(indicator_line(row) for row in evaluation.indicators),
        weight_total=evaluation.weight_total,
        total=evaluation.total,
        grade=evaluation.grade,
        notes=project_notes(project, result.rounding_note),
    )


# --- the department form -----------------------------------------------------------------


def _levels(path: str) -> tuple[str, str, str]:
    parts = path.split("/", 2)
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return path, "", ""


def _formula_text(indicator: CommonIndicator) -> str:
    formula = FORMULAS[indicator.formula]
    target = indicator.scoring.describe()
    return f"{formula.expression}；{target}" if target else formula.expression


def _common_line(row: CommonIndicatorResult) -> IndicatorLine:
    indicator = row.indicator
    return IndicatorLine(
        level1=indicator.level1,
        level2=indicator.level2,
        level3=indicator.level3,
        target=_formula_text(indicator),
        actual=NO_FIGURE if row.value_percent is None else row.value_percent / HUNDRED,
        weight=row.weight,
        score=row.score,
        score_text="未评分" if row.score is None else "",
        remark=NO_FIGURE if row.score is None else row.rule,  # what is missing: 审核意见
    )


def _duty_line(duty: DutyIndicatorResult) -> IndicatorLine:
    indicator = duty.indicator
    return IndicatorLine(
        level1=indicator.level1,
        level2=indicator.level2,
        level3=indicator.level3,
        target=indicator.target,
        actual=_actual_text(indicator),
        weight=duty.weight,
        score=duty.score,
        score_text=duty.result.status.value if duty.score is None else "",
        remark=deviation_text(indicator),
    )


def _not_applicable_line(item: NotApplicable, target: str) -> IndicatorLine:
    level1, level2, level3 = _levels(item.path)
    return IndicatorLine(
        level1=level1,
        level2=level2,
        level3=level3,
        target=target,
        actual=NOT_APPLICABLE,
        weight=None,
        score=None,
        score_text=NOT_APPLICABLE,
        remark=NO_FIGURE,
    )


def department_lines(department: DepartmentEvaluation) -> tuple[IndicatorLine, ...]:
    """Every row in the framework's order, the not-applicable ones in their places."""
    declared = {item.path: item for item in department.not_applicable}
    common = iter(department.common)
    duties = iter(department.duties)
    lines: list[IndicatorLine] = []
    used: set[str] = set()
    for indicator in department.framework.common:
        if indicator.path in declared:
            lines.append(_not_applicable_line(declared[indicator.path], _formula_text(indicator)))
            used.add(indicator.path)
        else:
            lines.append(_common_line(next(common)))
    for goal_indicator in department.goal.indicators:
        if goal_indicator.path in declared:
            lines.append(_not_applicable_line(declared[goal_indicator.path], goal_indicator.target))
            used.add(goal_indicator.path)
        else:
            duty = next(duties, None)  # none when the goal's weights sum to nothing scorable
            if duty is not None:
                lines.append(_duty_line(duty))
    lines.extend(
        _not_applicable_line(item, "")
        for item in department.not_applicable
        if item.path not in used
    )
    return tuple(lines)


def department_notes(department: DepartmentEvaluation) -> tuple[str, ...]:
    framework = department.framework
    notes = [f"评价框架：{framework.name}。"]
    left_out = department.not_applicable
    if left_out:
        remaining = framework.total_weight - sum((item.weight for item in left_out), ZERO)
        names = "、".join(item.name for item in left_out)
        notes.append(
            f"{len(left_out)}项指标不适用（{names}），其余指标分值按比例折算："
            f"{plain_number(framework.total_weight)}÷{plain_number(remaining)}，"
            f"系数{format_factor(department.rescale_factor)}。"
        )
    if department.duty_factor != ONE:
        goal_weight = sum((i.weight for i in department.goal.indicators), ZERO)
        notes.append(
            f"部门整体绩效目标的指标分值合计为{plain_number(goal_weight)}，评价框架中"
            f"{framework.duty_name}分值为{plain_number(framework.duty_weight)}，"
            f"各指标得分按比例折算。"
        )
    notes.extend(_illustrative_note(department.goal.indicators))
    return tuple(notes)


def department_form(result: YearEvaluation, department: DepartmentEvaluation) -> DepartmentForm:
    return DepartmentForm(
        department=result.department_name,
        framework=department.framework.name,
        year_label=year_label(result.fiscal_year),
        indicators=department_lines(department),
        weight_total=department.weight_total,
        total=department.total,
        grade=department.grade,
        notes=department_notes(department),
    )


# --- findings ----------------------------------------------------------------------------


def _finding_lines(
    owner: str, category: str, findings: tuple[Finding, ...]
) -> Iterator[FindingLine]:
    for finding in findings:
        yield FindingLine(
            owner=owner,
            category=category,
            severity=finding.severity.label,
            id=finding.id,
            location=finding.location,
            message=finding.message,
        )


def finding_lines(result: YearEvaluation) -> Iterator[FindingLine]:
    """Every finding: the department's, then each project's scoring, audit and quality;
    then the year's goal quality, and what the forms leave to the 审核意见 (missing
    inputs, defaults used, the reasons for not-applicable indicators)."""
    if result.department is not None:
        yield from _finding_lines("部门整体", "评分", result.department.findings)
    for project in result.projects:
        owner = project_subject(project)
        yield from _finding_lines(owner, "评分", project.evaluation.findings)
        yield from _finding_lines(owner, "审核", project.audit)
        yield from _finding_lines(owner, "质量", project.quality)
    yield from _finding_lines("部门整体", "质量", result.quality)
    for finding in preparer_notes(result):
        if finding.id != DEFAULT_SCORE_ID:  # the workbook lists the defaults on its own
            yield from _finding_lines(finding.subject, "评分", (finding,))


# --- the forms as text (Word and Markdown) -----------------------------------------------


def amount_text(value: Decimal) -> str:
    return format_thousands(value)


def rate_text(rate: Decimal | None) -> str:
    return NO_FIGURE if rate is None else f"{format_thousands(rate * HUNDRED)}%"


def score_text(value: Decimal | None, missing: str = "") -> str:
    """A weight or score with two decimals; ``missing`` (or "—") when there is none."""
    if value is None:
        return missing or NO_FIGURE
    return format_thousands(value)


def _indicator_text(line: IndicatorLine) -> dict[str, str]:
    actual = line.actual if isinstance(line.actual, str) else rate_text(line.actual)
    return {
        "level1": line.level1,
        "level2": line.level2,
        "level3": line.level3,
        "target": line.target,
        "actual": actual,
        "weight": score_text(line.weight),
        "score": score_text(line.score, line.score_text),
        "remark": line.remark,
    }


def _grade_text(grade: str | None) -> str:
    return grade if grade is not None else f"{NOT_GRADED}（评价不完整）"


def project_form_text(form: ProjectForm, label: str) -> dict[str, Any]:
    """A project form as the strings its cells print."""
    return {
        "label": label,
        "title": form.title,
        "year_label": form.year_label,
        "project_code": form.project_code,
        "project_name": form.project_name,
        "department": form.department,
        "unit": form.unit,
        "funds": [
            {
                "label": line.label,
                "initial_budget": amount_text(line.initial_budget),
                "final_budget": amount_text(line.final_budget),
                "executed": amount_text(line.executed),
                "weight": score_text(line.weight),
                "rate": rate_text(line.rate),
                "score": score_text(line.score),
            }
            for line in form.funds
        ],
        "expected_objective": form.expected_objective,
        "actual_objective": form.actual_objective,
        "indicators": [_indicator_text(line) for line in form.indicators],
        "weight_total": score_text(form.weight_total),
        "total": score_text(form.total),
        "grade": _grade_text(form.grade),
        "notes": list(form.notes),
    }


def department_form_text(form: DepartmentForm, label: str) -> dict[str, Any]:
    """The department form as the strings its cells print."""
    return {
        "label": label,
        "title": form.title,
        "year_label": form.year_label,
        "department": form.department,
        "framework": form.framework,
        "indicators": [_indicator_text(line) for line in form.indicators],
        "weight_total": score_text(form.weight_total),
        "total": score_text(form.total),
        "grade": _grade_text(form.grade),
        "notes": list(form.notes),
    }


def forms_context(result: YearEvaluation | None) -> dict[str, Any]:
    """The report template's table variables: ``department_form`` and ``project_forms``.

    Forms are numbered 附表1, 附表2, … in the order they are printed.
    """
    if result is None:
        return {"department_form": None, "project_forms": []}
    forms = evaluation_forms(result)
    number = 0
    department = None
    if forms.department is not None:
        number += 1
        department = department_form_text(forms.department, f"附表{number}")
    projects = []
    for form in forms.projects:
        number += 1
        projects.append(project_form_text(form, f"附表{number}"))
    return {"department_form": department, "project_forms": projects}
