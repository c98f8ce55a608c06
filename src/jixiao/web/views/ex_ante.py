"""事前绩效评估 pages: the year's projects that need one, a project's score sheet (filled
by its office, reviewed by 财务科 or 财政局), and its report and 评分表 downloads.

Who may do what is ``permissions.RULES`` (``edit_ex_ante``, ``review_ex_ante``); the
states, the computed conclusion and the budget gate are ``jixiao.services.ex_ante``'s.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.core.ex_ante import ItemScore, conclusion_text
from jixiao.documents.ex_ante_report import ExAnteReport, ex_ante_docx, ex_ante_workbook
from jixiao.services import ex_ante as service
from jixiao.storage import models as m
from jixiao.storage.models import StaleVersionError, WorkflowStatus
from jixiao.web.downloads import file_download
from jixiao.web.permissions import (
    Scope,
    can_edit_ex_ante,
    can_review_ex_ante,
    can_view_project,
    load_project,
    object_view,
    view_project_refusal,
    visible_projects,
    year_view,
)
from jixiao.web.workflow import user_name


def _project_url(project: m.Project) -> str:
    return reverse(
        "web:ex_ante_project",
        kwargs={
            "department": project.fiscal_year.department.code,
            "year": project.fiscal_year.year,
            "project": project.code,
        },
    )


@year_view()
def ex_ante_list(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    projects = list(visible_projects(scope, fiscal_year).select_related("office"))
    needs = service.needs_of_year(fiscal_year, projects)
    rows = [
        {
            "need": need,
            "url": _project_url(need.project),
            "gate": need.gate,
        }
        for need in needs
    ]
    context = {
        "fiscal_year": fiscal_year,
        "sheet": service.sheet_of(fiscal_year),
        "rows": rows,
        "previous_stored": m.FiscalYear.objects.filter(
            department_id=fiscal_year.department_id, year=fiscal_year.year - 1
        ).exists(),
    }
    return render(request, "web/ex_ante_list.html", context)


def _rights(request: HttpRequest, scope: Scope, project: m.Project) -> service.Rights:
    return service.Rights(
        user_id=scope.user_id,
        user_name=user_name(request.user),
        role=str(scope.role.label),
        edit=can_edit_ex_ante(scope, project),
        review=can_review_ex_ante(scope, project),
    )


def _filled(request: HttpRequest, project: m.Project) -> service.Filled:
    """The posted sheet; an unreadable score or date raises ExAnteError naming it."""
    sheet = service.sheet_of(project.fiscal_year)
    existing = service.assessment_of(project)
    if existing is not None:
        sheet = service.sheet_of_assessment(existing)
    scores: dict[str, ItemScore] = {}
    for item in sheet.items:
        text = request.POST.get(f"score-{item.code}", "").strip()
        if not text:
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise service.ExAnteError(
                _("评分项“%(item)s”的得分“%(text)s”不是数字。")
                % {"item": f"{item.code} {item.name}", "text": text}
            ) from None
        if not value.is_finite():
            raise service.ExAnteError(_("评分项“%(item)s”的得分不是数字。") % {"item": item.code})
        comment = request.POST.get(f"comment-{item.code}", "").strip()
        scores[item.code] = ItemScore(item.code, value, comment=comment)
    day = request.POST.get("assessed_on", "").strip()
    try:
        assessed_on = date.fromisoformat(day) if day else None
    except ValueError:
        raise service.ExAnteError(_("评估日期“%(day)s”不是有效日期。") % {"day": day}) from None
    return service.Filled(
        scores,
        assessor=request.POST.get("assessor", "").strip()[:150],
        assessed_on=assessed_on,
        opinion=request.POST.get("opinion", "").strip(),
    )


def _version(request: HttpRequest) -> int | None:
    text = request.POST.get("version", "")
    return int(text) if text.isdigit() else None


@object_view(load_project, can_view_project, view_project_refusal)
def ex_ante_project(request: HttpRequest, scope: Scope, project: m.Project) -> HttpResponse:
    rights = _rights(request, scope, project)
    if request.method == "POST":
        if not rights.edit:
            messages.error(
                request,
                _("%(role)s不能填写事前绩效评估，由项目所属科室填写。") % {"role": rights.role},
            )
            return redirect(_project_url(project))
        try:
            service.save_assessment(project, _filled(request, project), _version(request))
        except (service.ExAnteError, StaleVersionError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("事前绩效评估已保存。"))
        return redirect(_project_url(project))
    assessment = service.assessment_of(project)
    sheet = (
        service.sheet_of_assessment(assessment)
        if assessment is not None
        else service.sheet_of(project.fiscal_year)
    )
    stored = {s.item_code: s for s in assessment.scores.all()} if assessment else {}
    result = service.result_of(assessment) if assessment is not None else None
    locked = assessment is not None and assessment.status in service.LOCKED
    items = [
        {
            "item": item,
            "stored": stored.get(item.code),
            "dimension_first": index == 0,
            "dimension_rows": len(dimension.items),
            "dimension": dimension,
        }
        for dimension in sheet.dimensions
        for index, item in enumerate(dimension.items)
    ]
    context = {
        "fiscal_year": project.fiscal_year,
        "project": project,
        "sheet": sheet,
        "assessment": assessment,
        "items": items,
        "result": result,
        "conclusion": conclusion_text(result) if result is not None else "",
        "reason": service.reason_for(project, sheet),
        "gate": service.budget_gate(project),
        "editable": rights.edit and not locked,
        "actions": service.available(assessment, rights),
        "status_label": service.STATUS_LABELS[
            WorkflowStatus(assessment.status if assessment else WorkflowStatus.draft)
        ],
        "transitions": service.history(assessment),
        "requested": service.requested_budget(project),
    }
    return render(request, "web/ex_ante_project.html", context)


@require_POST
@object_view(load_project, can_view_project, view_project_refusal)
def ex_ante_transition(request: HttpRequest, scope: Scope, project: m.Project) -> HttpResponse:
    try:
        step = service.transition(
            project,
            request.POST.get("action", ""),
            _rights(request, scope, project),
            request.POST.get("comment", ""),
        )
    except service.ExAnteError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("事前绩效评估：%(status)s。")
            % {"status": service.STATUS_LABELS[WorkflowStatus(step.to_status)]},
        )
    return redirect(_project_url(project))


def _report(project: m.Project) -> ExAnteReport | None:
    assessment = service.assessment_of(project)
    if assessment is None:
        return None
    proposed = service.proposed_project(project)
    return ExAnteReport(
        department_name=project.fiscal_year.department.name,
        fiscal_year=project.fiscal_year.year,
        project_code=project.code,
        project_name=project.name,
        requested_budget=service.requested_budget(project),
        last_year_budget=proposed.last_year_budget if proposed is not None else None,
        reason=service.reason_for(project) or "",
        result=service.result_of(assessment),
        comments={s.item_code: s.comment for s in assessment.scores.all()},
        assessor=assessment.assessor,
        assessed_on=assessment.assessed_on,
        opinion=assessment.opinion,
        reviewed=assessment.status == WorkflowStatus.approved,
    )


def _download(project: m.Project, kind: str) -> HttpResponse:
    report = _report(project)
    if report is None:
        return redirect(_project_url(project))
    stem = f"{project.fiscal_year.year}-{project.code}"
    if kind == "docx":
        content, name = ex_ante_docx(report), f"{report.title}.docx"
    else:
        content, name = ex_ante_workbook(report), f"{project.name}事前绩效评估评分表.xlsx"
    return file_download(io.BytesIO(content), name, f"ex-ante-{stem}.{kind}")  # type: ignore[return-value]


@object_view(load_project, can_view_project, view_project_refusal)
def ex_ante_docx_download(request: HttpRequest, scope: Scope, project: m.Project) -> HttpResponse:
    return _download(project, "docx")


@object_view(load_project, can_view_project, view_project_refusal)
def ex_ante_xlsx_download(request: HttpRequest, scope: Scope, project: m.Project) -> HttpResponse:
    return _download(project, "xlsx")
