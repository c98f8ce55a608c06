"""整改通知 pages: the finance bureau's list of every department's notices of a year (with
counts by status and what is overdue on either side, an issue form and the list as a
workbook); a department-year's notices (for the bureau, with the year's findings, 抽查
results and 结果应用 proposals ready to turn into a notice); one notice with its steps,
the department's answer form (feedback and evidence files) and the bureau's review form.

Who may do what is ``permissions.RULES`` (``manage_notices``, ``answer_notice``,
``view_notice``); the moves and deadlines are ``services.rectification_notices``'s.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.core.deadlines import DeadlineState
from jixiao.core.rectification_notices import Side, Standing, days_after
from jixiao.documents.list_workbook import Column, Kind, ListSheet, export_title, list_workbook
from jixiao.services import rectification_notices as service
from jixiao.services.bureau import city_years
from jixiao.storage import models as m
from jixiao.storage.models import NoticeAction, NoticeOrigin, NoticeStatus
from jixiao.web.downloads import attach, file_download
from jixiao.web.exports import XLSX, title, xlsx_response
from jixiao.web.models import Role
from jixiao.web.navigation import YearPage, register
from jixiao.web.permissions import (
    Scope,
    can_answer_notice,
    can_manage_notices,
    can_view_notice,
    can_view_notices,
    load_notice,
    object_view,
    scope_view,
    view_notice_refusal,
    visible_notices,
    year_view,
)
from jixiao.web.workflow import user_name

register(
    YearPage("web:notices", gettext_lazy("整改通知"), can_view_notices), after="web:rectification"
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUS_LABELS = {
    NoticeStatus.issued.value: gettext_lazy("待反馈"),
    NoticeStatus.answered.value: gettext_lazy("待审核"),
    NoticeStatus.returned.value: gettext_lazy("退回重改"),
    NoticeStatus.approved.value: gettext_lazy("已通过"),
}
ORIGIN_LABELS = {
    NoticeOrigin.finding.value: gettext_lazy("检查发现"),
    NoticeOrigin.spot_check.value: gettext_lazy("抽查结果"),
    NoticeOrigin.result.value: gettext_lazy("结果应用"),
    NoticeOrigin.other.value: gettext_lazy("其他"),
}
ACTION_LABELS = {
    NoticeAction.issue.value: gettext_lazy("下发"),
    NoticeAction.answer.value: gettext_lazy("反馈"),
    NoticeAction.send_back.value: gettext_lazy("退回重改"),
    NoticeAction.approve.value: gettext_lazy("通过"),
}
SIDE_LABELS = {Side.department: gettext_lazy("部门"), Side.bureau: gettext_lazy("财政局")}


class IssueForm(forms.Form):
    department = forms.ChoiceField(label=gettext_lazy("部门"))
    origin = forms.ChoiceField(label=gettext_lazy("来源"), choices=list(ORIGIN_LABELS.items()))
    project = forms.CharField(label=gettext_lazy("项目代码（可不填）"), required=False)
    deadline = forms.DateField(label=gettext_lazy("整改期限"), required=False, widget=DATE)
    basis = forms.CharField(
        label=gettext_lazy("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    issue = forms.CharField(
        label=gettext_lazy("整改问题"), widget=forms.Textarea(attrs={"rows": 2})
    )
    requirement = forms.CharField(
        label=gettext_lazy("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    spot_check = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, years: list[m.FiscalYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(fy.department.code, fy.department.name) for fy in years]


def _actor(request: HttpRequest, scope: Scope) -> service.Actor:
    return service.Actor(scope.user_id, user_name(request.user), str(Role(scope.role).label))


def _standing_words(found: Standing | None) -> str:
    """“部门逾期 N 天” / “财政局审核即将到期” …, or nothing."""
    if found is None:
        return ""
    who = SIDE_LABELS[found.side]
    if found.overdue:
        return _("%(who)s逾期 %(days)s 天（期限 %(date)s）") % {
            "who": who,
            "days": found.deadline.days_overdue,
            "date": found.deadline.deadline.isoformat(),
        }
    if found.deadline.state is DeadlineState.due_soon:
        return _("%(who)s即将到期（剩 %(days)s 天）") % {
            "who": who,
            "days": found.deadline.days_left,
        }
    return ""


def _notice_url(notice: m.RectificationNotice) -> str:
    fiscal_year = notice.fiscal_year
    return reverse(
        "web:notice",
        kwargs={
            "department": fiscal_year.department.code,
            "year": fiscal_year.year,
            "notice": notice.pk,
        },
    )


def _rows(overview: service.Overview) -> list[dict[str, Any]]:
    return [
        {
            "notice": notice,
            "url": _notice_url(notice),
            "status": STATUS_LABELS[notice.status],
            "origin": ORIGIN_LABELS[notice.origin],
            "standing": overview.standings[notice.pk],
            "words": _standing_words(overview.standings[notice.pk]),
        }
        for notice in overview.notices
    ]


def project_notices(scope: Scope, project: m.Project) -> list[dict[str, Any]]:
    """The notices linked to a project, for its page (a reader of the project sees them)."""
    if not can_view_notices(scope, project.fiscal_year):
        return []
    notices = list(m.RectificationNotice.objects.filter(project=project).order_by("number"))
    today = timezone.localdate()
    overview = service.Overview(notices, {n.pk: service.notice_standing(n, today) for n in notices})
    for notice in notices:
        notice.fiscal_year = project.fiscal_year
    return _rows(overview)


def _counts(overview: service.Overview) -> list[tuple[str, int]]:
    return [(str(label), overview.by_status[value]) for value, label in STATUS_LABELS.items()]


def _years(year: int, city_id: int | None) -> list[m.FiscalYear]:
    """The department-years notices may go to: of the 财政局's city."""
    found = city_years(year, city_id).select_related("department")
    return list(found.order_by("department__code"))


@scope_view(can_manage_notices)
def bureau_notices(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    """Every department's notices of the year, and the form that issues one."""
    years = _years(year, scope.city_id)
    status = 200
    if request.method == "POST":
        form = IssueForm(request.POST, years=years)
        if form.is_valid():
            try:
                notice = _issue(request, scope, years, form.cleaned_data)
            except service.NoticeRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("整改通知已下发。"))
                return redirect(_notice_url(notice))
        status = 400
    else:
        form = IssueForm(initial=request.GET.dict(), years=years)
    overview = service.overview(year, timezone.localdate(), city_id=scope.city_id)
    context = {
        "year": year,
        "form": form,
        "rows": _rows(overview),
        "counts": _counts(overview),
        "overdue": sorted(overview.overdue.items()),
        "terms": service.terms(),
    }
    return render(request, "web/notices_bureau.html", context, status=status)


def _issue(
    request: HttpRequest, scope: Scope, years: list[m.FiscalYear], data: dict[str, Any]
) -> m.RectificationNotice:
    fiscal_year = next(fy for fy in years if fy.department.code == data["department"])
    project = None
    if data["project"].strip():
        project = m.Project.objects.filter(
            fiscal_year=fiscal_year, code=data["project"].strip()
        ).first()
        if project is None:
            raise service.NoticeRefused(
                _("%(department)s %(year)s 年度没有项目“%(code)s”。")
                % {
                    "department": fiscal_year.department.name,
                    "year": fiscal_year.year,
                    "code": data["project"].strip(),
                }
            )
    spot_check = None
    if data.get("spot_check"):
        spot_check = m.SpotCheck.objects.filter(
            pk=data["spot_check"], goal__fiscal_year=fiscal_year
        ).first()
    return service.issue(
        fiscal_year,
        data["issue"],
        _actor(request, scope),
        origin=data["origin"],
        basis=data["basis"],
        requirement=data["requirement"],
        deadline=data["deadline"],
        project=project,
        spot_check=spot_check,
    )


def _export_columns() -> list[Column]:
    return [
        Column(_("部门"), Kind.text, 20),
        Column(_("序号"), Kind.number, 6),
        Column(_("来源"), Kind.text, 10),
        Column(_("项目"), Kind.text, 20),
        Column(_("整改问题"), Kind.text, 40),
        Column(_("整改要求"), Kind.text, 30),
        Column(_("下发日期"), Kind.date, 12),
        Column(_("整改期限"), Kind.date, 12),
        Column(_("状态"), Kind.text, 10),
        Column(_("逾期或即将到期"), Kind.text, 26),
    ]


def _export_row(notice: m.RectificationNotice, words: str) -> list[Any]:
    project = notice.project
    return [
        notice.fiscal_year.department.name,
        notice.number,
        str(ORIGIN_LABELS[notice.origin]),
        f"{project.code} {project.name}" if project else "",
        notice.issue,
        notice.requirement,
        timezone.localdate(notice.issued_at),
        notice.deadline,
        str(STATUS_LABELS[notice.status]),
        words,
    ]


def _sheet(overview: service.Overview, title_text: str) -> ListSheet:
    rows = [_export_row(n, _standing_words(overview.standings[n.pk])) for n in overview.notices]
    return ListSheet(_("整改通知"), title_text, _export_columns(), rows)


@scope_view(can_manage_notices)
def bureau_notices_export(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    today = timezone.localdate()
    what = _("整改通知")
    overview = service.overview(year, today, city_id=scope.city_id)
    sheet = _sheet(overview, export_title(_("全部部门"), year, what, today))
    return attach(
        HttpResponse(list_workbook([sheet]), content_type=XLSX),
        f"{year}年度{what}.xlsx",
        f"{year}-rectification-notices.xlsx",
    )


def _visible_overview(scope: Scope, fiscal_year: m.FiscalYear) -> service.Overview:
    """The year's notices as the scope may see them."""
    overview = service.overview(fiscal_year.year, timezone.localdate(), fiscal_year)
    visible = set(visible_notices(scope, fiscal_year).values_list("pk", flat=True))
    overview.notices = [n for n in overview.notices if n.pk in visible]
    for notice in overview.notices:
        notice.fiscal_year = fiscal_year
    return overview


@year_view(can_view_notices)
def year_notices_export(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    """The department-year's notices as the scope sees them, with what is overdue."""
    sheet = _sheet(_visible_overview(scope, fiscal_year), title(fiscal_year, _("整改通知")))
    return xlsx_response(fiscal_year, _("整改通知"), "rectification-notices", [sheet])


def issue_link(fiscal_year: m.FiscalYear, source: service.Source) -> str:
    """The bureau's issue form, filled in from ``source``."""
    query = {
        "department": fiscal_year.department.code,
        "origin": source.origin,
        "basis": source.basis,
        "issue": source.issue,
        "project": source.project_code,
    }
    if source.spot_check_id is not None:
        query["spot_check"] = str(source.spot_check_id)
    url = reverse("web:bureau_notices", kwargs={"year": fiscal_year.year})
    return f"{url}?{urlencode(query)}#issue"


@year_view(can_view_notices)
def year_notices(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """The year's notices as the scope sees them; for the bureau, what may become one."""
    overview = _visible_overview(scope, fiscal_year)
    bureau = can_manage_notices(scope)
    sources = []
    if bureau:
        sources = [
            {"source": s, "origin": ORIGIN_LABELS[s.origin], "url": issue_link(fiscal_year, s)}
            for s in service.sources_of_year(fiscal_year)
        ]
    context = {
        "fiscal_year": fiscal_year,
        "rows": _rows(overview),
        "bureau": bureau,
        "sources": sources,
    }
    return render(request, "web/notices_year.html", context)


def _answerable(scope: Scope, notice: m.RectificationNotice) -> bool:
    waiting = notice.status in (NoticeStatus.issued, NoticeStatus.returned)
    return waiting and can_answer_notice(scope, notice)


def _reviewable(scope: Scope, notice: m.RectificationNotice) -> bool:
    return notice.status == NoticeStatus.answered and can_manage_notices(scope)


@object_view(load_notice, can_view_notice, view_notice_refusal)
def notice_page(request: HttpRequest, scope: Scope, notice: m.RectificationNotice) -> HttpResponse:
    steps = list(notice.steps.prefetch_related("evidence").order_by("created_at", "id"))
    for step in steps:
        step.label = ACTION_LABELS[step.action]  # type: ignore[attr-defined]
    today = timezone.localdate()
    found = service.notice_standing(notice, today)
    context = {
        "fiscal_year": notice.fiscal_year,
        "notice": notice,
        "steps": steps,
        "status": STATUS_LABELS[notice.status],
        "origin": ORIGIN_LABELS[notice.origin],
        "standing": found,
        "words": _standing_words(found),
        "answerable": _answerable(scope, notice),
        "reviewable": _reviewable(scope, notice),
        "bureau": can_manage_notices(scope),
        "resubmit_by": days_after(today, service.terms().resubmit_days),
        "history_url": reverse(
            "web:audit_object",
            kwargs={
                "department": notice.fiscal_year.department.code,
                "year": notice.fiscal_year.year,
                "kind": "notice",
                "pk": notice.pk,
            },
        ),
    }
    return render(request, "web/notice.html", context)


@require_POST
@object_view(load_notice, can_view_notice, view_notice_refusal)
def notice_answer(
    request: HttpRequest, scope: Scope, notice: m.RectificationNotice
) -> HttpResponse:
    if not can_answer_notice(scope, notice):
        raise PermissionDenied(_("只有被通知的部门（财务科或项目所属科室）可以反馈整改情况。"))
    uploads = [
        service.Upload(f.name or "", f.size or 0, f.chunks())
        for f in request.FILES.getlist("files")
    ]
    try:
        service.answer(notice, request.POST.get("feedback", ""), uploads, _actor(request, scope))
    except service.NoticeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("整改情况已反馈，等待财政局审核。"))
    return redirect(_notice_url(notice))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError as error:
        raise service.NoticeRefused(_("“%(text)s”不是有效的日期。") % {"text": text}) from error


@require_POST
@object_view(load_notice, can_view_notice, view_notice_refusal)
def notice_review(
    request: HttpRequest, scope: Scope, notice: m.RectificationNotice
) -> HttpResponse:
    if not can_manage_notices(scope):
        raise PermissionDenied(_("只有财政局可以审核整改反馈。"))
    approve = request.POST.get("decision") == "approve"
    try:
        service.review(
            notice,
            approve,
            request.POST.get("reason", ""),
            _actor(request, scope),
            _day(request.POST.get("deadline", "")),
        )
    except service.NoticeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("整改已通过。") if approve else _("已退回重改。"))
    return redirect(_notice_url(notice))


@year_view(can_view_notices)
def notice_evidence(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear, notice: int, evidence: int
) -> HttpResponse:
    found = load_notice(fiscal_year, notice)
    if not can_view_notice(scope, found):
        raise PermissionDenied(view_notice_refusal(scope, found))
    item = get_object_or_404(m.NoticeEvidence, pk=evidence, notice=found)
    try:
        content = open(service.evidence_path(item), "rb")  # noqa: SIM115 - the response closes it
    except (service.NoticeRefused, OSError) as error:
        raise Http404(_("佐证材料文件不存在。")) from error
    fallback = f"notice-evidence-{item.pk}.{item.stored.rsplit('.', 1)[-1]}"
    return file_download(content, item.name, fallback)  # type: ignore[return-value]
