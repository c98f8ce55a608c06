"""事前绩效评估 stored: which projects of a year need one, filling the score sheet, the
review (提交 → 审核通过 / 退回) and the budget gate.

The rules are ``jixiao.core.ex_ante``'s; the year's score sheet is the rule file named by
``FiscalYear.ex_ante_rules``. The total and the conclusion stored on an assessment are
computed from its item scores on every save, never typed.

Decisions where the sources are silent:

* The funds a project requests are its year's 年初预算数 (its budget lines', else the
  amount stored on the project). Last year's are those of the project with the same
  code in the department's previous year, or else with the same name (codes often
  carry the year). When that year is not stored, nobody can tell
  a new project from a continuing one: no project of the year is said to need an
  assessment, and the gate does not apply (an office may still fill one in).
* Who may fill, submit and review is the web layer's (``permissions.RULES``); this
  module is given the answers and keeps the states: 草稿 / 已退回 ──提交──▶ 已提交
  ──审核通过──▶ 已审核, 已提交 / 已审核 ──退回（须填意见）──▶ 已退回. Nobody approves
  what they submitted themselves; only a complete sheet (every item scored, so that it
  has a conclusion) is submitted or approved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from jixiao.core.ex_ante import (
    Assessment,
    AssessmentResult,
    AssessmentSheet,
    GateDecision,
    ItemScore,
    ProposedProject,
    assessment_reason,
    may_enter_budget,
    score_assessment,
)
from jixiao.core.money import ZERO
from jixiao.errors import UserFacingError
from jixiao.interchange.ex_ante_files import shipped_ex_ante_rules
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStatus

STATUS_LABELS = {
    WorkflowStatus.draft: "草稿",
    WorkflowStatus.submitted: "已提交",
    WorkflowStatus.approved: "已审核",
    WorkflowStatus.returned: "已退回",
}
LOCKED = (WorkflowStatus.submitted, WorkflowStatus.approved)


class ExAnteError(UserFacingError):
    """A change to an assessment that is not allowed now; nothing was saved."""


def sheet_of(fiscal_year: m.FiscalYear) -> AssessmentSheet:
    """The year's score sheet (a shipped rule file, by id)."""
    return shipped_ex_ante_rules(fiscal_year.ex_ante_rules)


def sheet_of_assessment(assessment: m.ExAnteAssessment) -> AssessmentSheet:
    """The score sheet an assessment was filled on (kept if the year's sheet changes)."""
    return shipped_ex_ante_rules(assessment.sheet)


# Which projects need an assessment


def requested_budget(project: m.Project) -> Decimal:
    """The funds the project asks for in its year (元): its lines' 年初预算数, else its own."""
    return _budgets([project])[project.pk]


def _budgets(projects: Sequence[m.Project]) -> dict[int, Decimal]:
    """Each project's requested funds (元), in one query."""
    lines = (
        m.BudgetLine.objects.filter(project__in=[p.pk for p in projects])
        .values("project_id")
        .annotate(total=Sum("initial_budget"))
    )
    totals = {row["project_id"]: Decimal(row["total"]) for row in lines}
    own = {p.pk: p.initial_budget if p.initial_budget is not None else ZERO for p in projects}
    return {pk: totals.get(pk, amount) for pk, amount in own.items()}


def _previous_year(fiscal_year: m.FiscalYear) -> m.FiscalYear | None:
    return m.FiscalYear.objects.filter(
        department_id=fiscal_year.department_id, year=fiscal_year.year - 1
    ).first()


def proposed_projects(
    fiscal_year: m.FiscalYear, projects: Sequence[m.Project]
) -> dict[int, ProposedProject] | None:
    """The projects as proposed for the year's budget, by id; None when the previous year
    is not stored (new or continuing cannot be told). Last year's project is the one with
    the same code, else the same name (codes often carry the year: LW22-P04, LW23-P04).
    A fixed number of queries, whatever the number of projects."""
    previous = _previous_year(fiscal_year)
    if previous is None:
        return None
    earlier = list(m.Project.objects.filter(fiscal_year=previous).order_by("-id"))
    by_code = {p.code: p for p in earlier}
    by_name = {p.name: p for p in earlier}  # the first by id wins: the list runs backwards
    last = {p.pk: by_code.get(p.code) or by_name.get(p.name) for p in projects}
    budgets = _budgets([*projects, *(p for p in last.values() if p is not None)])
    return {
        p.pk: ProposedProject(
            code=p.code,
            name=p.name,
            fiscal_year=fiscal_year.year,
            requested_budget=budgets[p.pk],
            last_year_budget=None if last[p.pk] is None else budgets[last[p.pk].pk],  # type: ignore[union-attr]
        )
        for p in projects
    }


def proposed_project(project: m.Project) -> ProposedProject | None:
    """One project as proposed (``proposed_projects``)."""
    proposed = proposed_projects(project.fiscal_year, [project])
    return None if proposed is None else proposed[project.pk]


@dataclass(frozen=True)
class Need:
    """A project of the year that needs an assessment, why, where its assessment stands,
    and whether the project may enter the budget now."""

    project: m.Project
    reason: str
    assessment: m.ExAnteAssessment | None
    gate: GateDecision

    @property
    def status_label(self) -> str:
        if self.assessment is None:
            return "未填写"
        return STATUS_LABELS[WorkflowStatus(self.assessment.status)]


def reason_for(project: m.Project, sheet: AssessmentSheet | None = None) -> str | None:
    """Why the project needs an assessment; None when it does not (or cannot be told)."""
    proposed = proposed_project(project)
    if proposed is None:
        return None
    return assessment_reason(proposed, sheet or sheet_of(project.fiscal_year))


def needs_of_year(fiscal_year: m.FiscalYear, projects: Sequence[m.Project]) -> list[Need]:
    """The projects (of those given) that need an assessment, with their assessments and
    the budget gate; a fixed number of queries, whatever the number of projects."""
    proposed = proposed_projects(fiscal_year, projects)
    if proposed is None:
        return []
    sheet = sheet_of(fiscal_year)
    assessments = {
        a.project_id: a
        for a in m.ExAnteAssessment.objects.filter(
            project__in=[p.pk for p in projects]
        ).prefetch_related("scores")
    }
    needs = []
    for project in projects:
        project.fiscal_year = fiscal_year
        reason = assessment_reason(proposed[project.pk], sheet)
        if reason is not None:
            assessment = assessments.get(project.pk)
            if assessment is not None:
                assessment.project = project
            gate = _gate(proposed[project.pk], sheet, reason, assessment)
            needs.append(Need(project, reason, assessment, gate))
    return needs


# Scoring and saving


def assessment_of(project: m.Project) -> m.ExAnteAssessment | None:
    return m.ExAnteAssessment.objects.filter(project=project).first()


def to_core(assessment: m.ExAnteAssessment) -> Assessment:
    return Assessment(
        project_code=assessment.project.code,
        scores=tuple(
            ItemScore(s.item_code, s.score, s.band or None, s.comment)
            for s in assessment.scores.all()
        ),
        assessor=assessment.assessor,
        assessed_on=assessment.assessed_on,
    )


def result_of(assessment: m.ExAnteAssessment) -> AssessmentResult:
    """The assessment scored on the sheet it was filled on."""
    return score_assessment(to_core(assessment), sheet_of_assessment(assessment))


@dataclass(frozen=True)
class Filled:
    """What the assessor wrote on the sheet (item scores by item code)."""

    scores: Mapping[str, ItemScore]
    assessor: str = ""
    assessed_on: date | None = None
    opinion: str = ""


def save_assessment(
    project: m.Project, filled: Filled, version: int | None = None
) -> m.ExAnteAssessment:
    """Store the filled sheet (all or nothing) with its computed total and conclusion.

    An item scored outside its weight or its chosen grade is refused with the reason; an
    item left empty keeps the sheet incomplete (no conclusion). ``version`` is the one the
    form showed: a stale form is refused (``StaleVersionError``)."""
    with transaction.atomic():
        assessment = assessment_of(project)
        if assessment is None:
            assessment = m.ExAnteAssessment(
                project=project, sheet=project.fiscal_year.ex_ante_rules
            )
        elif assessment.status in LOCKED:
            raise ExAnteError(
                f"事前绩效评估{STATUS_LABELS[WorkflowStatus(assessment.status)]}，内容已锁定；"
                "如需修改，请审核人退回后再改。"
            )
        sheet = sheet_of_assessment(assessment)
        given = Assessment(project.code, tuple(filled.scores.values()))
        result = score_assessment(given, sheet)
        wrong = [f.message for f in result.findings if f.location in filled.scores]
        if wrong:
            raise ExAnteError("评分有误，未保存：" + "".join(wrong))
        if version is not None:
            assessment.version = version
        assessment.assessor = filled.assessor
        assessment.assessed_on = filled.assessed_on
        assessment.opinion = filled.opinion
        assessment.total = result.total
        assessment.conclusion = result.conclusion.value if result.conclusion else ""
        assessment.save()
        _save_scores(assessment, filled.scores, result)
        return assessment


def _save_scores(
    assessment: m.ExAnteAssessment, scores: Mapping[str, ItemScore], result: AssessmentResult
) -> None:
    bands = {r.item.code: r.band.label for r in result.items if r.band is not None}
    stored = {s.item_code: s for s in assessment.scores.all()}
    for code, row in stored.items():
        if code not in scores:
            row.delete()
    for code, given in scores.items():
        row = stored.get(code) or m.ExAnteScore(assessment=assessment, item_code=code)
        changed = (row.pk is None, row.score, row.band, row.comment) != (
            False, given.score, bands.get(code, ""), given.comment,
        )  # fmt: skip
        if changed:
            row.score, row.band, row.comment = given.score, bands.get(code, ""), given.comment
            row.save()


# Review


@dataclass(frozen=True)
class Rights:
    """What the acting user may do to the assessment, by the permission rules."""

    user_id: int | None
    user_name: str
    role: str
    edit: bool
    review: bool


@dataclass(frozen=True)
class Available:
    submit: bool
    approve: bool
    send_back: bool


def last_submitter(assessment: m.ExAnteAssessment) -> int | None:
    submitter: int | None = (
        assessment.transitions.filter(action=WorkflowAction.submit)
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )
    return submitter


def available(assessment: m.ExAnteAssessment | None, rights: Rights) -> Available:
    if assessment is None:
        return Available(False, False, False)
    status = assessment.status
    return Available(
        submit=rights.edit and status in (WorkflowStatus.draft, WorkflowStatus.returned),
        approve=rights.review
        and status == WorkflowStatus.submitted
        and last_submitter(assessment) != rights.user_id,
        send_back=rights.review and status in LOCKED,
    )


def transition(
    project: m.Project, action: str, rights: Rights, comment: str = ""
) -> m.ExAnteTransition:
    """Apply 提交, 审核通过 or 退回 to the project's assessment, or raise ExAnteError."""
    comment = comment.strip()
    with transaction.atomic():
        assessment = m.ExAnteAssessment.objects.select_for_update().filter(project=project).first()
        if assessment is None:
            raise ExAnteError(f"项目“{project.name}”还没有事前绩效评估，请先填写评分表并保存。")
        assessment.project = project
        before = WorkflowStatus(assessment.status)
        can = available(assessment, rights)
        if action == WorkflowAction.submit:
            if not can.submit:
                raise ExAnteError(_refusal(rights, before, "提交", rights.edit, "项目所属科室"))
            _require_complete(assessment)
            after = WorkflowStatus.submitted
        elif action == WorkflowAction.approve:
            if not can.approve:
                if rights.review and before == WorkflowStatus.submitted:
                    raise ExAnteError("不能审核自己提交的事前绩效评估，请由其他审核人审核。")
                raise ExAnteError(_refusal(rights, before, "审核", rights.review, "财务科或财政局"))
            _require_complete(assessment)
            after = WorkflowStatus.approved
        elif action == WorkflowAction.send_back:
            if not can.send_back:
                raise ExAnteError(_refusal(rights, before, "退回", rights.review, "财务科或财政局"))
            if not comment:
                raise ExAnteError("退回时须填写意见，说明需要修改什么。")
            after = WorkflowStatus.returned
        else:
            raise ExAnteError("没有这个操作。")
        assessment.status = after
        assessment.save(update_fields=["status"], bump_version=False)
        return m.ExAnteTransition.objects.create(
            assessment=assessment,
            action=action,
            from_status=before,
            to_status=after,
            user_id=rights.user_id,
            user_name=rights.user_name,
            role=rights.role,
            comment=comment,
        )


def _refusal(rights: Rights, status: WorkflowStatus, verb: str, may: bool, who: str) -> str:
    if not may:
        return f"{rights.role}不能{verb}该项目的事前绩效评估，由{who}{verb}。"
    return f"事前绩效评估当前为“{STATUS_LABELS[status]}”，不能{verb}。"


def _require_complete(assessment: m.ExAnteAssessment) -> None:
    result = result_of(assessment)
    if result.conclusion is None:
        reasons = "".join(f.message for f in result.findings)
        raise ExAnteError(f"事前绩效评估评分未完成，不能提交或审核：{reasons}")


# The budget gate


def budget_gate(project: m.Project) -> GateDecision:
    """Whether the project's goal may be approved into the budget: where the year's sheet
    says so, a project that needs an assessment needs an approved, passing one."""
    proposed = proposed_project(project)
    if proposed is None:
        return GateDecision(
            True, f"“{project.name}”的上年数据未录入，不判断是否须开展事前绩效评估。"
        )
    sheet = sheet_of(project.fiscal_year)
    reason = assessment_reason(proposed, sheet)
    return _gate(proposed, sheet, reason, assessment_of(project) if reason else None)


def _gate(
    proposed: ProposedProject,
    sheet: AssessmentSheet,
    reason: str | None,
    assessment: m.ExAnteAssessment | None,
) -> GateDecision:
    pending = assessment is not None and assessment.status != WorkflowStatus.approved
    if reason is not None and sheet.gate_required and pending and assessment is not None:
        status = STATUS_LABELS[WorkflowStatus(assessment.status)]
        return GateDecision(
            False,
            f"{reason}，其事前绩效评估尚未审核通过（当前为“{status}”），不能纳入预算。",
        )
    approved = assessment is not None and assessment.status == WorkflowStatus.approved
    result = result_of(assessment) if approved and assessment is not None else None
    return may_enter_budget(proposed, result, sheet)


def history(assessment: m.ExAnteAssessment | None) -> list[m.ExAnteTransition]:
    if assessment is None:
        return []
    return list(assessment.transitions.order_by("-created_at", "-id"))
