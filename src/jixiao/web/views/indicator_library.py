"""指标库 pages: the library to browse and search (every role reads it), its Excel export,
the bureau's Excel import (checked preview, then all-or-nothing commit), the departments'
proposals of new indicators made from goal editing, and the bureau's queue of proposals
to approve into a new library version or return with a reason.

The library's stored versions, the past values and the decisions are
``jixiao.services.indicator_library``'s; these views only read forms and show results.
"""

from __future__ import annotations

import io
import tempfile
import uuid
from collections.abc import Collection
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.core.goals import IndicatorKind
from jixiao.core.indicator_library import Direction, ValueBasis
from jixiao.core.rules import ProjectRules
from jixiao.interchange.excel.limits import Limits, size_text
from jixiao.interchange.problems import InputRejected
from jixiao.services import indicator_library as service
from jixiao.storage import models as m
from jixiao.storage.models import ProposalStatus
from jixiao.web.downloads import file_download
from jixiao.web.goal_checks import stored_core_goal
from jixiao.web.navigation import GlobalPage, register
from jixiao.web.permissions import (
    GoalSubject,
    Scope,
    can_decide_proposals,
    can_edit_subject,
    load_department_subject,
    load_project_subject,
    scope_view,
    year_view,
)
from jixiao.web.workflow import user_name

KIND_CHOICES = [
    (IndicatorKind.quantitative.value, gettext_lazy("定量")),
    (IndicatorKind.qualitative.value, gettext_lazy("定性")),
]
DIRECTION_CHOICES = [(d.value, d.label) for d in Direction]
BASIS_CHOICES = [(b.value, b.value) for b in ValueBasis]


def _anyone(scope: Scope) -> bool:
    return True


register(GlobalPage("web:library_year", gettext_lazy("指标库"), _anyone, "web:library"))


# Goal editing: the picker and the proposal form


class ProposalForm(forms.Form):
    level1 = forms.CharField(label=gettext_lazy("一级指标"), max_length=50)
    level2 = forms.CharField(label=gettext_lazy("二级指标"), max_length=50)
    level3 = forms.CharField(label=gettext_lazy("三级指标"), max_length=300)
    sector = forms.CharField(label=gettext_lazy("行业"), max_length=50)
    field = forms.CharField(label=gettext_lazy("领域"), max_length=50, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("指标类型"), choices=KIND_CHOICES)
    unit = forms.CharField(label=gettext_lazy("计量单位"), max_length=20, required=False)
    direction = forms.ChoiceField(label=gettext_lazy("指标方向"), choices=DIRECTION_CHOICES)
    basis = forms.ChoiceField(label=gettext_lazy("取值依据"), choices=BASIS_CHOICES)
    definition = forms.CharField(
        label=gettext_lazy("指标解释（计算口径）"), widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=gettext_lazy("提议理由"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def proposal(self) -> service.ProposalInput:
        data = self.cleaned_data
        return service.ProposalInput(
            level1=data["level1"], level2=data["level2"], level3=data["level3"],
            sector=data["sector"], field=data["field"], kind=IndicatorKind(data["kind"]),
            unit=data["unit"], direction=Direction(data["direction"]),
            definition=data["definition"], basis=ValueBasis(data["basis"]),
            reason=data["reason"],
        )  # fmt: skip


def _fits(rules: ProjectRules, level1: str, level2: str) -> bool:
    return any(g.name == level1 and level2 in g.level2 for g in rules.level1)


def picker_context(subject: GoalSubject, rules: ProjectRules) -> dict[str, Any]:
    """The goal page's 指标库 panel: suggestions whose levels the goal's rule set has, the
    relevant first, with the filters' choices and the proposal form."""
    goal, _rows = stored_core_goal(subject)
    project = subject.project.code if subject.project else None
    suggestions = [
        s
        for s in service.suggestions_for(subject.fiscal_year, project, goal)
        if _fits(rules, s.entry.level1, s.entry.level2)
    ]
    sector = service.sector_of(suggestions)
    return {
        "library_suggestions": suggestions,
        "library_sectors": sorted({s.entry.sector for s in suggestions}),
        "library_fields": sorted({s.entry.field for s in suggestions if s.entry.field}),
        "library_levels": list(dict.fromkeys(s.entry.level1 for s in suggestions)),
        "library_sector": sector,
        "proposal_form": ProposalForm(
            initial={"sector": sector, "basis": ValueBasis.plan.value}, auto_id="proposal_%s"
        ),
        "proposal_url": reverse(
            "web:library_propose",
            kwargs={
                "department": subject.fiscal_year.department.code,
                "year": subject.fiscal_year.year,
            },
        ),
    }


def _subject_of(fiscal_year: m.FiscalYear, project: str) -> GoalSubject:
    if project:
        return load_project_subject(fiscal_year, project)
    return load_department_subject(fiscal_year)


def _goal_url(subject: GoalSubject) -> str:
    kwargs = {"department": subject.fiscal_year.department.code, "year": subject.fiscal_year.year}
    if subject.project is None:
        return reverse("web:department_goal", kwargs=kwargs)
    return reverse("web:project_goal", kwargs={**kwargs, "project": subject.project.code})


@require_POST
@year_view()
def propose(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """A proposal from the goal page of a project (or of the department goal)."""
    subject = _subject_of(fiscal_year, request.POST.get("project", ""))
    if not can_edit_subject(scope, subject):
        raise PermissionDenied(_("您的角色不能为该绩效目标提议新增指标。"))
    form = ProposalForm(request.POST)
    if not form.is_valid():
        problems = "；".join(
            f"{form.fields[name].label}：{' '.join(str(e) for e in errs)}"
            for name, errs in form.errors.items()
        )
        messages.error(request, _("提议未提交：%(problems)s") % {"problems": problems})
        return redirect(_goal_url(subject) + "#library-proposal")
    code = subject.project.code if subject.project else ""
    try:
        service.propose(
            fiscal_year, code, form.proposal(), user=request.user, user_name=user_name(request.user)
        )
    except service.IndicatorLibraryError as error:
        messages.error(request, _("提议未提交：%(reason)s") % {"reason": error})
    else:
        messages.success(
            request,
            _("新增指标“%(name)s”的提议已提交财政局审核。") % {"name": form.cleaned_data["level3"]},
        )
    return redirect(_goal_url(subject) + "#library-proposal")


# The library

@scope_view(_anyone)
def library(request: HttpRequest, scope: Scope, year: int | None = None) -> HttpResponse:
    """Every current indicator, searchable, with the spread of its past actuals. (The
    ``year`` of the URL only keeps the navigation bar in the year being viewed.)"""
    combined = service.merged_library()
    sector = request.GET.get("sector", "").strip()
    field = request.GET.get("field", "").strip()
    query = request.GET.get("q", "").strip()
    rows = service.search(combined, sector, field, query)
    return render(
        request,
        "web/library.html",
        {
            "rows": rows,
            "libraries": service.libraries(),
            "library_values": service.library_values(),
            "versions": service.versions(),
            "sectors": sorted({e.sector for e in combined.indicators}),
            "fields": sorted({e.field for e in combined.indicators if e.field}),
            "sector": sector,
            "field": field,
            "query": query,
            "pending": service.pending_count(_proposing_departments(scope)),
            "can_import": can_decide_proposals(scope),
        },
    )


@scope_view(_anyone)
def library_export(request: HttpRequest, scope: Scope, library_id: str) -> HttpResponse:
    if library_id not in service.library_ids():
        raise Http404(_("没有该指标库。"))
    with tempfile.TemporaryDirectory(prefix="jixiao-library-") as folder:
        path = service.export_workbook(
            library_id, Path(folder) / "library.xlsx", with_projects=scope.all_departments
        )
        content = io.BytesIO(path.read_bytes())
    name = f"指标库-{service.current_library(library_id).name}.xlsx"
    return file_download(content, name, f"indicator-library-{library_id}.xlsx")  # type: ignore[return-value]


# Import: upload, preview, commit

SESSION_KEY = "jixiao_library_import"



def _upload_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "library-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_upload(request: HttpRequest) -> Path | None:
    token = request.session.get(SESSION_KEY, "")
    if not token:
        return None
    path = _upload_folder() / f"{uuid.UUID(token).hex}.xlsx"
    return path if path.exists() else None


@scope_view(can_decide_proposals)
def library_import(request: HttpRequest, scope: Scope) -> HttpResponse:
    """GET: the upload form; POST with a file: its preview (nothing stored yet)."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        limit = Limits.from_env().max_bytes
        if upload is None or not (upload.name or "").lower().endswith(".xlsx"):
            context["error"] = _("请选择指标库 Excel 文件（.xlsx）。")
        elif (upload.size or 0) > limit:
            context["error"] = _("文件大小 %(size)s，超过导入上限 %(limit)s") % {
                "size": size_text(upload.size or 0),
                "limit": size_text(limit),
            }
        else:
            token = uuid.uuid4().hex
            path = _upload_folder() / f"{token}.xlsx"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                context["preview"] = service.preview_import(path)
            except InputRejected as rejected:
                context["problems"] = rejected.problems
                path.unlink(missing_ok=True)
            except service.IndicatorLibraryError as error:
                context["error"] = str(error)
                path.unlink(missing_ok=True)
            else:
                request.session[SESSION_KEY] = token
    return render(request, "web/library_import.html", context)


@require_POST
@scope_view(can_decide_proposals)
def library_import_commit(request: HttpRequest, scope: Scope) -> HttpResponse:
    path = _pending_upload(request)
    if path is None:
        messages.error(request, _("没有待确认的导入文件，请重新上传。"))
        return redirect("web:library_import")
    try:
        version = service.commit_import(path, user_name(request.user))
    except InputRejected as rejected:
        messages.error(request, "；".join(str(p) for p in rejected.problems))
        return redirect("web:library_import")
    except service.IndicatorLibraryError as error:
        messages.error(request, str(error))
        return redirect("web:library_import")
    finally:
        request.session.pop(SESSION_KEY, None)
        path.unlink(missing_ok=True)
    messages.success(
        request,
        _("已导入指标库“%(name)s”%(version)s版，共%(count)d个指标。")
        % {"name": version.name, "version": version.version, "count": version.entries.count()},
    )
    return redirect("web:library")


# Proposals


def _proposing_departments(scope: Scope) -> Collection[int] | None:
    """Whose proposals the person sees: a 财政局's city's departments (every one for the
    administrator and a bureau without a city), otherwise the person's own department."""
    if can_decide_proposals(scope):
        return scope.city_department_ids
    return () if scope.department_id is None else (scope.department_id,)


def _visible_proposals(scope: Scope) -> list[m.IndicatorProposal]:
    departments = _proposing_departments(scope)
    return [
        p
        for p in service.proposals()
        if departments is None or p.fiscal_year.department_id in departments
    ]


@scope_view(_anyone)
def proposals(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The queue: pending proposals first; the bureau decides, a department sees its own."""
    rows = [
        (p, service.default_library_for(p.sector) if p.status == ProposalStatus.pending else "")
        for p in _visible_proposals(scope)
    ]
    return render(
        request,
        "web/library_proposals.html",
        {
            "proposals": rows,
            "can_decide": can_decide_proposals(scope),
            "libraries": service.libraries(),
            "pending": ProposalStatus.pending.value,
        },
    )


@require_POST
@scope_view(can_decide_proposals)
def decide(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    proposal = m.IndicatorProposal.objects.filter(pk=pk).select_related("fiscal_year").first()
    if proposal is not None and not scope.reaches_department(proposal.fiscal_year.department_id):
        raise Http404(_("没有这项提议。"))  # another city's
    name = user_name(request.user)
    try:
        if request.POST.get("decision") == "approve":
            version = service.approve(
                pk, name, request.POST.get("library") or None,
                request.POST.get("code", ""), request.POST.get("comment", ""),
            )  # fmt: skip
            messages.success(
                request,
                _("已审核通过，入库到“%(name)s”%(version)s版。")
                % {"name": version.name, "version": version.version},
            )
        elif request.POST.get("decision") == "return":
            service.return_proposal(pk, name, request.POST.get("comment", ""))
            messages.success(request, _("提议已退回。"))
        else:
            messages.error(request, _("请选择通过或退回。"))
    except service.IndicatorLibraryError as error:
        messages.error(request, str(error))
    return redirect("web:library_proposals")
