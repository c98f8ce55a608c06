"""项目与绩效目标 and 绩效自评: the lists, the editing pages, their live checks and the
review workflow (submit / approve / return / comment).

Both pages exist for a project (``projects/<code>/goal/``, ``projects/<code>/evaluation/``)
and for the department goal (``goals/department/``, ``evaluation/department/``). The
views resolve a ``GoalSubject`` through ``object_view`` (per-object permission); editing,
reviewing and locking follow ``jixiao.web.workflow``; saving and the live checks
``jixiao.web.goal_editing``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.core.cost_analysis import UnitCostLine, goal_unit_cost_lines, unit_cost_lines
from jixiao.core.goal_quality import errors
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import plain_number
from jixiao.errors import UserFacingError
from jixiao.services.cost_standards import available_cost_standards, year_cost_standards
from jixiao.services.evaluating import costs_above_standard, evaluate_stored_year
from jixiao.services.reading import performance_goals
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStage
from jixiao.web import goal_checks as checks
from jixiao.web import goal_editing as editing
from jixiao.web.permissions import (
    GoalSubject,
    Scope,
    Wrapped,
    can_edit_budget,
    can_edit_subject,
    can_view_department_detail,
    can_view_subject,
    load_department_subject,
    load_project_subject,
    object_view,
    subject_refusal,
    view_subject_refusal,
    visible_projects,
    year_view,
)
from jixiao.web.templatetags.jixiao_format import score as score_text
from jixiao.web.views.bureau import review_panel
from jixiao.web.views.indicator_library import picker_context as library_picker
from jixiao.web.workflow import (
    STAGE_LABELS,
    STATUS_LABELS,
    WorkflowError,
    available_actions,
    history,
    latest_return_comment,
    lock_reason,
    status_of,
    transition,
)


def _year_kwargs(fiscal_year: m.FiscalYear) -> dict[str, Any]:
    return {"department": fiscal_year.department.code, "year": fiscal_year.year}


def subject_url(subject: GoalSubject, stage: str, suffix: str = "") -> str:
    """The page (or its ``validate`` / ``score`` / ``transition`` endpoint) of a subject."""
    kwargs = _year_kwargs(subject.fiscal_year)
    page = "goal" if stage == WorkflowStage.declaration else "evaluation"
    if subject.project is None:
        name = f"web:department_{page}"
    else:
        name = f"web:project_{page}"
        kwargs["project"] = subject.project.code
    return reverse(f"{name}_{suffix}" if suffix else name, kwargs=kwargs)


# Lists


def _status_badge(status: str) -> dict[str, str]:
    return {"code": status, "label": str(STATUS_LABELS[status])}


@year_view()
def goals(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """Every project in scope with its goal's declaration status and quality findings."""
    projects = list(
        visible_projects(scope, fiscal_year)
        .select_related("office", "goal", "fiscal_year")
        .annotate(indicator_count=Count("goal__indicators"))
        .order_by("code")
    )
    goals = performance_goals(fiscal_year)
    findings = checks.year_findings(fiscal_year, goals)
    above = costs_above_standard(fiscal_year, goals)
    rows = []
    for project in projects:
        goal = getattr(project, "goal", None)
        found = findings.get(project.code, [])
        rows.append(
            {
                "project": project,
                "above_standard": above.get(project.code, []),
                "goal": goal,
                "indicators": project.indicator_count,
                "status": _status_badge(status_of(goal, WorkflowStage.declaration)),
                "findings": found,
                "errors": len(errors(found)),
                "editable": can_edit_subject(scope, GoalSubject(fiscal_year, project, goal)),
            }
        )
    department = None
    if can_view_department_detail(scope, fiscal_year):
        subject = load_department_subject(fiscal_year)
        department = {
            "goal": subject.goal,
            "status": _status_badge(status_of(subject.goal, WorkflowStage.declaration)),
        }
    return render(
        request,
        "web/goals.html",
        {"fiscal_year": fiscal_year, "rows": rows, "department": department},
    )


@year_view()
def evaluation(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """Every project in scope with its self-evaluation status, score and grade."""
    projects = list(
        visible_projects(scope, fiscal_year).select_related("office", "goal").order_by("code")
    )
    note = ""
    try:
        result = evaluate_stored_year(fiscal_year.department.code, fiscal_year.year)
    except UserFacingError as error:
        result, note = None, str(error)
    evaluated = {p.project_code: p for p in result.projects} if result else {}
    rows = []
    for project in projects:
        goal = getattr(project, "goal", None)
        scored = evaluated.get(project.code)
        rows.append(
            {
                "project": project,
                "goal": goal,
                "status": _status_badge(status_of(goal, WorkflowStage.evaluation)),
                "total": scored.evaluation.total if scored else None,
                "grade": scored.evaluation.grade if scored else None,
                "missing": len(scored.evaluation.missing) if scored else 0,
                "reasons": sum(
                    1 for f in scored.evaluation.findings if f.id in checks.REASON_FINDINGS
                )
                if scored
                else 0,
            }
        )
    department = None
    if can_view_department_detail(scope, fiscal_year):
        subject = load_department_subject(fiscal_year)
        dept = result.department if result else None
        department = {
            "goal": subject.goal,
            "status": _status_badge(status_of(subject.goal, WorkflowStage.evaluation)),
            "total": dept.total if dept else None,
            "grade": dept.grade if dept else None,
        }
    standards = result.cost_standards if result else None
    return render(
        request,
        "web/evaluation.html",
        {
            "fiscal_year": fiscal_year, "rows": rows, "department": department, "note": note,
            "unit_costs": unit_cost_lines(result, {p.code for p in projects}),
            "cost_standards": standards,
            "standards_choices": (
                available_cost_standards(fiscal_year)
                if can_edit_budget(scope, fiscal_year)
                else None
            ),
        },
    )  # fmt: skip


# The workflow panel, shared by both pages


def _workflow_context(
    scope: Scope, subject: GoalSubject, stage: str, blockers: list[str]
) -> dict[str, Any]:
    """The panel; ``blockers`` are why the stored content may not be submitted or approved
    (the same reasons ``workflow.transition`` gives when it refuses)."""
    goal = subject.goal
    last_submitter = (
        m.WorkflowTransition.objects.filter(goal=goal, stage=stage, action="submit")
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
        if goal
        else None
    )
    status = status_of(goal, stage)
    actions = available_actions(scope, subject, stage, last_submitter)
    return {
        "stage": stage,
        "stage_label": STAGE_LABELS[stage],
        "status": _status_badge(status),
        "actions": actions,
        "blockers": blockers if actions.submit or actions.approve else [],
        "transitions": history(goal),
        "returned_comment": latest_return_comment(goal, stage),
        "transition_url": subject_url(subject, stage, "transition"),
        "self_submitted": last_submitter == scope.user_id and status == "submitted",
    }


def _last_year_actuals(subject: GoalSubject) -> dict[str, str]:
    """上年实际完成值 by indicator id, shown under each target (a year carried forward)."""
    if subject.goal is None:
        return {}
    rows = subject.goal.indicators.values_list("pk", "last_year_actual")
    return {str(pk): value for pk, value in rows if value}


def _subject_title(subject: GoalSubject) -> str:
    if subject.project is None:
        return _("部门整体支出绩效目标")
    return f"{subject.project.code} {subject.project.name}"


def _transition(
    request: HttpRequest, scope: Scope, subject: GoalSubject, stage: str
) -> HttpResponse:
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    try:
        done = transition(scope, request.user, subject, stage, action, comment)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _confirmation(stage, done.action))
    return redirect(subject_url(subject, stage))


def _confirmation(stage: str, action: str) -> str:
    """What was done, plainly: “绩效目标申报已提交。”, “绩效自评已审核通过。”."""
    label = {"stage": STAGE_LABELS[stage]}
    if action == WorkflowAction.submit:
        return _("%(stage)s已提交。") % label
    if action == WorkflowAction.approve:
        return _("%(stage)s已审核通过。") % label
    if action == WorkflowAction.send_back:
        return _("%(stage)s已退回。") % label
    return _("意见已记录。")


# 项目与绩效目标: the declaration page


def _execution_weight(subject: GoalSubject, rules: ProjectRules) -> Decimal:
    """What the execution row adds to the indicators' weights: a project's rule set's
    execution weight; nothing for the department goal (its framework weighs it)."""
    return Decimal(0) if subject.is_department else rules.execution.weight


def _declaration_page(
    request: HttpRequest,
    scope: Scope,
    subject: GoalSubject,
    forms: tuple[editing.DeclarationGoalForm, Any] | None = None,
    conflicts: list[editing.Conflict] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    rules = checks.subject_rules(subject)
    goal_form, formset = forms or editing.declaration_forms(subject, rules)
    stored, rows = checks.stored_core_goal(subject)
    findings = checks.quality_findings(subject, stored, rules) if rows else []
    blockers = [f.message for f in errors(findings)] if rows else [checks.no_indicators()]
    findings += checks.cost_findings(subject, stored)
    reason = lock_reason(subject.goal, WorkflowStage.declaration)
    editable = can_edit_subject(scope, subject) and not reason
    context = {
        "fiscal_year": subject.fiscal_year,
        "subject": subject,
        "title": _subject_title(subject),
        "goal_form": goal_form,
        "formset": formset,
        "rows": rows,
        "findings": findings,
        "no_indicators": checks.no_indicators(),
        "levels": editing.level_choices(rules),
        "rules": rules,
        "execution_weight": plain_number(_execution_weight(subject, rules)),
        "weights_total": plain_number(
            sum((row.weight for row in rows), Decimal(0)) + _execution_weight(subject, rules)
        ),
        "editable": editable,
        "can_edit": can_edit_subject(scope, subject),
        "lock_reason": reason,
        "conflicts": conflicts or [],
        "error": error,
        "validate_url": subject_url(subject, WorkflowStage.declaration, "validate"),
        "evaluation_url": subject_url(subject, WorkflowStage.evaluation),
        "kind_labels": editing.KIND_LABELS,
        "last_year_actuals": _last_year_actuals(subject),
        "costed": subject.project is not None,
        "cost_table": getattr(formset.form_kwargs.get("standards"), "table", ""),
        **_workflow_context(scope, subject, WorkflowStage.declaration, blockers),
        **review_panel(scope, subject),
        **(library_picker(subject, rules) if editable else {}),
    }
    return render(request, "web/goal_edit.html", context, status=status)


def _declaration(request: HttpRequest, scope: Scope, subject: GoalSubject) -> HttpResponse:
    if request.method != "POST":
        return _declaration_page(request, scope, subject)
    if not can_edit_subject(scope, subject):
        raise PermissionDenied(subject_refusal(scope, subject, _("绩效目标"), _("修改")))
    rules = checks.subject_rules(subject)
    goal_form, formset = editing.declaration_forms(subject, rules, request.POST)
    if not (goal_form.is_valid() and formset.is_valid()):
        return _declaration_page(
            request, scope, subject, (goal_form, formset),
            error=_("有内容需要修改，请看标红的项目；尚未保存。"), status=400,
        )  # fmt: skip
    data = request.POST.dict()
    try:
        result = editing.save_declaration(subject, goal_form, formset, data)
    except WorkflowError as error:
        return _declaration_page(
            request, scope, subject, (goal_form, formset), error=str(error), status=409
        )
    if not result.saved:
        return _declaration_page(
            request, scope, subject, editing.declaration_forms(subject, rules, data),
            conflicts=result.conflicts, status=409,
        )  # fmt: skip
    messages.success(request, _("绩效目标已保存。"))
    return redirect(subject_url(subject, WorkflowStage.declaration))


def _declaration_check(request: HttpRequest, scope: Scope, subject: GoalSubject) -> HttpResponse:
    """Live validation: each row's errors (targets parsed as typed) and the quality findings
    (their 错误 block the submission), or that there is no indicator yet."""
    if not can_edit_subject(scope, subject):
        raise PermissionDenied(subject_refusal(scope, subject, _("绩效目标"), _("修改")))
    rules = checks.subject_rules(subject)
    goal_form, formset = editing.declaration_forms(subject, rules, request.POST)
    formset.is_valid()
    goal, row_errors = editing.posted_declaration_goal(subject, goal_form, formset)
    findings = checks.quality_findings(subject, goal, rules) if goal.indicators else []
    findings += checks.cost_findings(subject, goal)  # warnings: they never block
    rows_total = editing.weights_total(goal.indicators)
    execution = _execution_weight(subject, rules)
    return JsonResponse(
        {
            "rows": {str(index): {"errors": errs} for index, errs in row_errors.items()},
            "findings": [editing.finding_json(f) for f in findings],
            "errors": len(errors(findings)),
            "empty": "" if goal.indicators else checks.no_indicators(),
            "weights": {
                "rows": plain_number(rows_total),
                "execution": plain_number(execution),
                "total": plain_number(rows_total + execution),
            },
        }
    )


# 绩效自评: the self-evaluation page


def _evaluation_page(
    request: HttpRequest,
    scope: Scope,
    subject: GoalSubject,
    forms: tuple[editing.EvaluationGoalForm, Any] | None = None,
    conflicts: list[editing.Conflict] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    goal_form, formset = forms or editing.evaluation_forms(subject)
    stored, rows = checks.stored_core_goal(subject)
    live = checks.evaluate_live(subject, stored) if rows else None
    blockers = (
        checks.evaluation_reasons(subject, stored, live) if live else [checks.no_indicators()]
    )
    reason = lock_reason(subject.goal, WorkflowStage.evaluation)
    editable = can_edit_subject(scope, subject) and not reason and subject.goal is not None
    table = []
    for index, row in enumerate(rows):
        form = formset.forms[index] if index < len(formset.forms) else None
        table.append(
            {
                "row": row,
                "form": form,
                "score": live.rows[index] if live and index < len(live.rows) else None,
            }
        )
    context = {
        "fiscal_year": subject.fiscal_year,
        "subject": subject,
        "title": _subject_title(subject),
        "goal_form": goal_form,
        "formset": formset,
        "table": table,
        "live": live,
        "execution_rate": _percent_text(live.execution.rate_percent)
        if live and live.execution
        else None,
        "editable": editable,
        "can_edit": can_edit_subject(scope, subject),
        "lock_reason": reason,
        "conflicts": conflicts or [],
        "error": error,
        "score_url": subject_url(subject, WorkflowStage.evaluation, "score"),
        "goal_url": subject_url(subject, WorkflowStage.declaration),
        "kind_labels": editing.KIND_LABELS,
        "unit_costs": _unit_costs(subject, stored, live),
        "cost_standards": year_cost_standards(subject.fiscal_year),
        **_workflow_context(scope, subject, WorkflowStage.evaluation, blockers),
    }
    return render(request, "web/evaluation_edit.html", context, status=status)


def _unit_costs(subject: GoalSubject, stored: Any, live: Any) -> list[UnitCostLine]:
    """The project's outputs costed against the year's standards (成本效益分析)."""
    if subject.project is None or live is None or live.execution is None:
        return []
    standards = year_cost_standards(subject.fiscal_year)
    return goal_unit_cost_lines(stored, live.execution.executed, standards)


def _percent_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{plain_number(value)}%"


def _evaluation(request: HttpRequest, scope: Scope, subject: GoalSubject) -> HttpResponse:
    if request.method != "POST":
        return _evaluation_page(request, scope, subject)
    if not can_edit_subject(scope, subject):
        raise PermissionDenied(subject_refusal(scope, subject, _("绩效自评"), _("填报")))
    goal_form, formset = editing.evaluation_forms(subject, request.POST)
    if not (goal_form.is_valid() and formset.is_valid()):
        return _evaluation_page(
            request, scope, subject, (goal_form, formset),
            error=_("有内容需要修改，请看标红的项目；尚未保存。"), status=400,
        )  # fmt: skip
    data = request.POST.dict()
    try:
        result = editing.save_evaluation(subject, goal_form, formset, data)
    except WorkflowError as error:
        return _evaluation_page(
            request, scope, subject, (goal_form, formset), error=str(error), status=409
        )
    if not result.saved:
        return _evaluation_page(
            request, scope, subject, editing.evaluation_forms(subject, data),
            conflicts=result.conflicts, status=409,
        )  # fmt: skip
    messages.success(request, _("绩效自评已保存。"))
    return redirect(subject_url(subject, WorkflowStage.evaluation))


def _money(value: Decimal | None) -> str | None:
    """A score as the page prints it ("18.95", "10.00"); None when there is none."""
    return None if value is None else score_text(value)


def _evaluation_score(request: HttpRequest, scope: Scope, subject: GoalSubject) -> HttpResponse:
    """Live scoring: every row with ``score_indicator`` as typed, the total and the grade."""
    if subject.goal is None:
        return JsonResponse({"error": _("该项目还没有绩效目标。")}, status=404)
    goal_form, formset = editing.evaluation_forms(subject, request.POST)
    formset.is_valid()
    goal_form.is_valid()
    goal, row_errors = editing.posted_evaluation_goal(subject, goal_form, formset)
    live = checks.evaluate_live(subject, goal)
    rows: dict[str, Any] = {}
    for index, score in enumerate(live.rows):
        entry: dict[str, Any] = {"errors": row_errors.get(index, {})}
        if score is not None:
            entry.update(
                score=_money(score.score),
                weight=_money(score.weight),
                status=score.status,
                rule=score.rule,
                findings=[editing.finding_json(f) for f in score.findings],
            )
        rows[str(index)] = entry
    execution = live.execution
    return JsonResponse(
        {
            "rows": rows,
            "total": _money(live.total),
            "grade": live.grade,
            "complete": not live.missing and not row_errors,
            "execution": None
            if execution is None
            else {
                "rate": _percent_text(execution.rate_percent),
                "score": _money(execution.score),
                "rule": execution.rule,
                "reason_required": execution.reason_required,
            },
            "goal_findings": [editing.finding_json(f) for f in live.goal_findings],
            "missing": list(live.missing),
            "blockers": checks.evaluation_reasons(subject, goal, live),
            "has_errors": bool(row_errors),
        }
    )


# URL entry points: a project's goal and the department goal


def _project_and_department(
    handler: Callable[[HttpRequest, Scope, GoalSubject], HttpResponse], *, post: bool = False
) -> tuple[Wrapped, Wrapped]:
    """The same page for a project's goal and for the department goal, each scope-checked."""
    view = require_POST(handler) if post else handler
    return (
        object_view(load_project_subject, can_view_subject, view_subject_refusal)(view),
        object_view(load_department_subject, can_view_subject, view_subject_refusal)(view),
    )


def _declaration_transition(
    request: HttpRequest, scope: Scope, subject: GoalSubject
) -> HttpResponse:
    return _transition(request, scope, subject, WorkflowStage.declaration)


def _evaluation_transition(
    request: HttpRequest, scope: Scope, subject: GoalSubject
) -> HttpResponse:
    return _transition(request, scope, subject, WorkflowStage.evaluation)


project_goal, department_goal = _project_and_department(_declaration)
project_goal_validate, department_goal_validate = _project_and_department(
    _declaration_check, post=True
)
project_goal_transition, department_goal_transition = _project_and_department(
    _declaration_transition, post=True
)
project_evaluation, department_evaluation = _project_and_department(_evaluation)
project_evaluation_score, department_evaluation_score = _project_and_department(
    _evaluation_score, post=True
)
project_evaluation_transition, department_evaluation_transition = _project_and_department(
    _evaluation_transition, post=True
)
