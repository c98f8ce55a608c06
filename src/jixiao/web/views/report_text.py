"""报告文字: write every section of the self-evaluation report in the browser, take the
drafts jixiao proposes from the data, review and approve, and bring the text back from
Word.

Who does what (checked here, on the server, whatever the page shows):

* 财务科 (or an admin) writes every section; a 业务科室 writes the paragraphs of its own
  projects; everyone of the department may read.
* 提交: whoever may write the section, from 草稿 or 已退回.
* 审核通过: 单位领导 of the department (or an admin), from 已提交, not one's own text.
* 退回: 单位领导 or 财务科 of the department (or an admin), from 已提交, with a comment.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from jixiao.core.live_figures import DEPARTMENT_GROUP, LiveFigure
from jixiao.core.outline import KEY_TASK_KEY_PREFIX, is_office_paragraph
from jixiao.interchange.excel.limits import Limits, size_text
from jixiao.interchange.outline_files import outline_names
from jixiao.interchange.report_docx_reading import ReportFileError, report_paragraphs
from jixiao.services import report_text as service
from jixiao.services.reading import department_year
from jixiao.services.reporting import composed_report
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.models import Role
from jixiao.web.navigation import YearPage, register
from jixiao.web.permissions import (
    Action,
    Scope,
    allowed,
    can_view_year,
    visible_projects,
    year_view,
)
from jixiao.web.workflow import user_name

register(YearPage("web:report_text", _("报告文字"), can_view_year), after="web:reports")


def _same_department(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    return scope.role is Role.admin or fiscal_year.department_id == scope.department_id


def can_write(scope: Scope, fiscal_year: m.FiscalYear, state: service.SectionState) -> bool:
    if allowed(scope, Action.edit_budget, fiscal_year):
        return True
    return is_office_paragraph(state.key) and allowed(
        scope, Action.edit_project_goal, fiscal_year, state.owner_office_id
    )


def can_approve(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    return scope.role in (Role.leader, Role.admin) and _same_department(scope, fiscal_year)


def can_send_back(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    return scope.role in (Role.leader, Role.finance, Role.admin) and _same_department(
        scope, fiscal_year
    )


def _visible(scope: Scope, states: list[service.SectionState]) -> list[service.SectionState]:
    if scope.role is not Role.office:
        return states
    return [
        s for s in states if is_office_paragraph(s.key) and s.owner_office_id == scope.office_id
    ]


def _states(fiscal_year: m.FiscalYear) -> list[service.SectionState]:
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    return service.section_states(fiscal_year, records)


def _figures(scope: Scope, fiscal_year: m.FiscalYear) -> tuple[LiveFigure, ...]:
    """The live fields the user may see: an office sees its own projects' only."""
    figures = service.live_figures(fiscal_year)
    if scope.role is not Role.office:
        return figures
    own = set(visible_projects(scope, fiscal_year).values_list("name", flat=True))
    return tuple(f for f in figures if f.group == DEPARTMENT_GROUP or f.group in own)


def _figures_json(figures: tuple[LiveFigure, ...]) -> str:
    return json.dumps({f.name: f.text for f in figures}, ensure_ascii=False)


@year_view()
def report_text(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    if request.method == "POST":
        return _act(request, scope, fiscal_year)
    states = _visible(scope, _states(fiscal_year))
    figures = _figures(scope, fiscal_year)
    proposed = service.proposed_drafts(fiscal_year)
    last_year = service.last_year_text(fiscal_year)
    sections = [
        {
            "state": state,
            "is_key_task": state.key.startswith(KEY_TASK_KEY_PREFIX),
            "can_write": can_write(scope, fiscal_year, state)
            and state.status != WorkflowStatus.submitted,
            "can_submit": can_write(scope, fiscal_year, state)
            and state.status in (WorkflowStatus.draft, WorkflowStatus.returned)
            and state.version > 0,
            "can_approve": can_approve(scope, fiscal_year)
            and state.status == WorkflowStatus.submitted,
            "can_send_back": can_send_back(scope, fiscal_year)
            and state.status == WorkflowStatus.submitted,
            "proposed": proposed.get(state.key, ""),
            "last_year": last_year.get(state.key, ""),
            "last_year_diff": service.diff_lines(last_year.get(state.key, ""), state.draft)
            if last_year.get(state.key)
            else [],
            "status_label": WorkflowStatus(state.status).label,
            "findings": service.typing_findings(state.draft, figures),
            "history": service.section_history(fiscal_year, state.key),
        }
        for state in states
    ]
    return render(
        request,
        "web/report_text.html",
        {
            "fiscal_year": fiscal_year,
            "sections": sections,
            "figures": figures,
            "figures_json": _figures_json(figures),
            "outline": service.outline_of(fiscal_year),
            "outline_names": outline_names(),
            "can_choose_outline": allowed(scope, Action.edit_budget, fiscal_year),
            "offices": m.Office.objects.filter(department=fiscal_year.department_id),
        },
    )


def _act(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    action = request.POST.get("action", "")
    who = user_name(request.user)
    back = redirect(
        "web:report_text", department=fiscal_year.department.code, year=fiscal_year.year
    )
    if action == "outline":
        if not allowed(scope, Action.edit_budget, fiscal_year):
            raise PermissionDenied(_("您的角色不能选择报告提纲。"))
        service.choose_outline(fiscal_year, request.POST.get("outline", ""))
        messages.success(request, _("已选择报告提纲。"))
        return back
    key = request.POST.get("key", "")
    if action == "office":
        if not allowed(scope, Action.edit_budget, fiscal_year):
            raise PermissionDenied(_("只有财务科可以指定撰写科室。"))
        try:
            service.assign_office(fiscal_year, key, int(request.POST.get("office") or 0))
        except (service.ReportTextError, ValueError) as error:
            messages.error(request, str(error))
        return back
    state = next((s for s in _states(fiscal_year) if s.key == key), None)
    if state is None:
        raise PermissionDenied(_("报告中没有这一节。"))
    try:
        if action in ("save", "accept", "last_year"):
            if not can_write(scope, fiscal_year, state):
                raise PermissionDenied(_("您不能修改这一节。"))
            text = request.POST.get("text", "")
            if action == "accept":
                text = service.proposed_drafts(fiscal_year).get(key, "")
            elif action == "last_year":
                text = service.last_year_text(fiscal_year).get(key, "")
            version = int(request.POST.get("version") or 0)
            service.save_draft(fiscal_year, key, text, who, version)
            messages.success(request, _("“%(title)s”已保存为草稿。") % {"title": state.title})
        elif action == "submit":
            if not can_write(scope, fiscal_year, state):
                raise PermissionDenied(_("您不能提交这一节。"))
            service.submit(fiscal_year, key, who)
            messages.success(request, _("“%(title)s”已提交审核。") % {"title": state.title})
        elif action == "approve":
            if not can_approve(scope, fiscal_year):
                raise PermissionDenied(_("只有单位领导可以审核通过报告文字。"))
            service.approve(fiscal_year, key, who)
            messages.success(request, _("“%(title)s”已审核通过。") % {"title": state.title})
        elif action == "return":
            if not can_send_back(scope, fiscal_year):
                raise PermissionDenied(_("您不能退回这一节。"))
            service.send_back(fiscal_year, key, who, request.POST.get("comment", ""))
            messages.success(request, _("“%(title)s”已退回。") % {"title": state.title})
        else:
            raise PermissionDenied(_("没有这个操作。"))
    except (service.ReportTextError, m.StaleVersionError) as error:
        messages.error(request, str(error))
    return redirect(f"{back.url}#section-{key.replace(':', '')}")


@year_view()
def report_text_check(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    """The findings of a text being typed: figures typed by hand, unknown live fields."""
    if request.method != "POST":
        return JsonResponse({"findings": []})
    figures = _figures(scope, fiscal_year)
    findings = service.typing_findings(request.POST.get("text", ""), figures)
    return JsonResponse({"findings": [f.message for f in findings]})


@year_view()
def report_text_upload(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    """Word in: read the uploaded report, show what changed, store it on confirmation."""
    if not allowed(scope, Action.edit_budget, fiscal_year):
        raise PermissionDenied(_("只有财务科可以上传报告文字。"))
    back = redirect(
        "web:report_text", department=fiscal_year.department.code, year=fiscal_year.year
    )
    if request.method != "POST":
        return back
    if request.POST.get("action") == "confirm":
        keys = request.POST.getlist("key")
        texts = {key: request.POST.get(f"text-{key}", "") for key in keys}
        service.store_uploaded(fiscal_year, texts, user_name(request.user))
        messages.success(
            request, _("已保存 %(count)d 节的修改，作为草稿待提交审核。") % {"count": len(texts)}
        )
        return back
    upload = request.FILES.get("report")
    if upload is None:
        messages.error(request, _("请选择要上传的 Word 文件。"))
        return back
    limits = Limits.from_env()
    if upload.size is not None and upload.size > limits.max_bytes:
        messages.error(
            request,
            _("文件大小为%(size)s，超过上传限制%(limit)s。")
            % {"size": size_text(upload.size), "limit": size_text(limits.max_bytes)},
        )
        return back
    try:
        printed = report_paragraphs(upload.read(), limits)
    except ReportFileError as error:
        messages.error(request, str(error))
        return back
    now = composed_report(fiscal_year.department.code, fiscal_year.year).content
    changed = service.read_uploaded_report(fiscal_year, printed, now)
    return render(
        request,
        "web/report_text_upload.html",
        {"fiscal_year": fiscal_year, "changed": changed, "file_name": upload.name},
    )


patterns = [
    path("report-text/", report_text, name="report_text"),
    path("report-text/check/", report_text_check, name="report_text_check"),
    path("report-text/upload/", report_text_upload, name="report_text_upload"),
]
