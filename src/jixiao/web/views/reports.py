"""报告: generate the self-evaluation report (.docx, .md), the evaluation tables (.xlsx)
and the monitoring table and report (.xlsx, .docx); list and download earlier files.

Generating: 财务科 or an admin. Listing and downloading: the roles that see the whole
department (not a 业务科室: the files hold every project's figures). A download is
checked per file: it must belong to the year of the URL, which the user may see.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.documents.pdf import PdfError
from jixiao.errors import UserFacingError
from jixiao.storage import models as m
from jixiao.web import report_files
from jixiao.web.downloads import file_download
from jixiao.web.permissions import (
    Scope,
    can_generate_reports,
    can_view_report,
    can_view_reports,
    load_report,
    object_view,
    year_view,
)
from jixiao.web.summaries import default_as_of
from jixiao.web.views.overview import as_of_from

KIND_LABELS = {
    "report-docx": gettext_lazy("自评报告（Word）"),
    "report-md": gettext_lazy("自评报告（Markdown）"),
    "evaluation-xlsx": gettext_lazy("绩效自评表（Excel）"),
    "monitoring-xlsx": gettext_lazy("运行监控表（Excel）"),
    "monitoring-docx": gettext_lazy("运行监控报告（Word）"),
}
REPORT_GROUPS = {
    "report": gettext_lazy("自评报告（Word 和 Markdown）"),
    "evaluation": gettext_lazy("绩效自评表（Excel）"),
    "monitoring": gettext_lazy("运行监控表和监控报告（Excel 和 Word，按监控日期）"),
}


@year_view(can_view_reports)
def reports(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    if request.method == "POST":
        return _generate(request, scope, fiscal_year)
    as_of, as_of_error = as_of_from(request, fiscal_year.year)
    files = list(
        m.GeneratedReport.objects.filter(fiscal_year=fiscal_year).order_by("-created_at", "-id")
    )
    can_generate = can_generate_reports(scope, fiscal_year)
    for row in files:
        row.has_review = can_generate and report_files.review_of(row) is not None  # type: ignore[attr-defined]
        row.available = report_files.resolve(row) is not None  # type: ignore[attr-defined]
        row.name = row.file.rsplit("/", 1)[-1]  # type: ignore[attr-defined]
        row.kind_label = KIND_LABELS.get(row.kind, row.kind)  # type: ignore[attr-defined]
        row.has_pdf = row.kind in report_files.PDF_KINDS  # type: ignore[attr-defined]
    return render(
        request,
        "web/reports.html",
        {
            "fiscal_year": fiscal_year,
            "files": files,
            "groups": REPORT_GROUPS,
            "as_of": as_of,
            "as_of_error": as_of_error,
            "can_generate": can_generate,
            "pdf_available": report_files.pdf_available(),
            "folder": report_files.year_folder(fiscal_year).relative_to(
                report_files.reports_root().parent
            ),
        },
    )


def _generate(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    if not can_generate_reports(scope, fiscal_year):
        raise PermissionDenied(_("只有财务科可以生成报告。"))
    groups = [g for g in request.POST.getlist("groups") if g in REPORT_GROUPS]
    url = request.path
    if not groups:
        messages.error(request, _("请至少选择一种报告。"))
        return redirect(url)
    fallback = default_as_of(fiscal_year.year, timezone.localdate())
    try:
        from datetime import date

        as_of = date.fromisoformat(request.POST.get("as_of") or fallback.isoformat())
    except ValueError:
        messages.error(request, _("监控日期无效，应写成 YYYY-MM-DD。"))
        return redirect(url)
    if as_of.year != fiscal_year.year:
        messages.error(
            request,
            _("日期 %(date)s 不在 %(year)s 年度内。") % {"date": as_of, "year": fiscal_year.year},
        )
        return redirect(url)
    try:
        rows = report_files.generate(fiscal_year, groups, as_of, request.user)
    except UserFacingError as error:
        messages.error(request, str(error))
        return redirect(url)
    messages.success(
        request,
        _("已生成 %(count)s 个文件：%(names)s")
        % {"count": len(rows), "names": "、".join(r.file.rsplit("/", 1)[-1] for r in rows)},
    )
    return redirect(url)


@object_view(load_report, can_view_report)
def report_download(request: HttpRequest, scope: Scope, report: m.GeneratedReport) -> HttpResponse:
    """The stored file; with ``?format=pdf`` a Word report as PDF (made on first request)."""
    if request.GET.get("format") == "pdf":
        return _pdf_download(request, report)
    if request.GET.get("format") == "review":  # for those who prepare the reports only
        review = report_files.review_of(report)
        if review is None or not can_generate_reports(scope, report.fiscal_year):
            raise Http404(report_files.missing_text())
        return file_download(  # type: ignore[return-value]
            review.open("rb"), report_files.download_name(report, ".docx", "审核意见"),
            review.name, report_files.CONTENT_TYPES[".docx"],
        )  # fmt: skip
    path = report_files.resolve(report)
    if path is None:
        raise Http404(report_files.missing_text())
    content_type = report_files.CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return file_download(  # type: ignore[return-value]
        path.open("rb"), report_files.download_name(report, path.suffix), path.name, content_type
    )


def _pdf_download(request: HttpRequest, report: m.GeneratedReport) -> HttpResponse:
    try:
        path = report_files.pdf_of(report)
    except PdfError as error:
        messages.error(request, str(error))
        return redirect(
            "web:reports", department=report.fiscal_year.department.code,
            year=report.fiscal_year.year,
        )  # fmt: skip
    if path is None:
        raise Http404(report_files.missing_text())
    return file_download(  # type: ignore[return-value]
        path.open("rb"), report_files.download_name(report, ".pdf"), path.name, "application/pdf"
    )
