"""绩效信息公开 pages: 财务科 chooses, per item of the department-year, whether it is
published and why not (``edit_disclosure``); the list downloads as .xlsx; and a public page
without sign-in offers only the published items, their files generated afresh.

The public views take no scope: they read the year by its department code and number and
ask ``services.disclosure`` for the published items only, so an unpublished item, a
reason or a review note (审核意见) has no URL there.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.errors import UserFacingError
from jixiao.services import disclosure as service
from jixiao.storage import models as m
from jixiao.web.downloads import attach
from jixiao.web.exports import xlsx_response
from jixiao.web.navigation import YearPage, register
from jixiao.web.permissions import Scope, can_edit_disclosure, can_view_reports, year_view
from jixiao.web.report_files import CONTENT_TYPES, pdf_available
from jixiao.web.workflow import user_name

register(
    YearPage("web:disclosure", gettext_lazy("绩效信息公开"), can_view_reports),
    after="web:report_text",
)


def _choices(request: HttpRequest) -> dict[str, service.Choice]:
    return {
        item.code: service.Choice(
            published=request.POST.get(f"published-{item.code}") == "on",
            reason=request.POST.get(f"reason-{item.code}", ""),
        )
        for item in service.ITEMS
    }


@year_view(can_view_reports)
def disclosure(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    can_edit = can_edit_disclosure(scope, fiscal_year)
    entries = service.entries(fiscal_year)
    error = ""
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(_("只有财务科可以选择公开事项。"), status=403)
        choices = _choices(request)
        try:
            service.save_choices(fiscal_year, choices, user_name(request.user))
        except UserFacingError as problem:
            error = str(problem)
            entries = [
                service.Entry(item, choices[item.code].published, choices[item.code].reason)
                for item in service.ITEMS
            ]
        else:
            return redirect(request.path)
    context = {
        "fiscal_year": fiscal_year,
        "entries": entries,
        "can_edit": can_edit,
        "error": error,
    }
    return render(request, "web/disclosure.html", context, status=400 if error else 200)


@year_view(can_view_reports)
def disclosure_export(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    return xlsx_response(
        fiscal_year, "绩效信息公开清单", "disclosure", [service.package_sheet(fiscal_year)]
    )


def _public_year(department: str, year: int) -> m.FiscalYear:
    fiscal_year = (
        m.FiscalYear.objects.select_related("department")
        .filter(department__code=department, year=year)
        .first()
    )
    if fiscal_year is None:
        raise Http404(_("没有找到该部门年度。"))
    return fiscal_year


def public_disclosure(request: HttpRequest, department: str, year: int) -> HttpResponse:
    fiscal_year = _public_year(department, year)
    context = {
        "fiscal_year": fiscal_year,
        "items": service.published_items(fiscal_year),
        "pdf": pdf_available(),
    }
    return render(request, "web/public_disclosure.html", context)


def public_package(request: HttpRequest, department: str, year: int) -> HttpResponse:
    """The list of what is published, as .xlsx (the unpublished items left out)."""
    fiscal_year = _public_year(department, year)
    return xlsx_response(
        fiscal_year,
        "绩效信息公开清单",
        "disclosure",
        [service.package_sheet(fiscal_year, published_only=True)],
    )


def public_document(request: HttpRequest, department: str, year: int, item: str) -> HttpResponse:
    return _public_file(department, year, item, as_pdf=False)


def public_report_pdf(request: HttpRequest, department: str, year: int) -> HttpResponse:
    return _public_file(department, year, "report", as_pdf=True)


def _public_file(department: str, year: int, item: str, *, as_pdf: bool) -> HttpResponse:
    fiscal_year = _public_year(department, year)
    try:
        found, content = service.published_document(fiscal_year, item, as_pdf=as_pdf)
    except LookupError:
        raise Http404(_("该事项未公开。")) from None
    except UserFacingError as problem:
        return HttpResponse(str(problem), status=409, content_type="text/plain; charset=utf-8")
    code = fiscal_year.department.code
    suffix = ".pdf" if as_pdf else found.suffix
    return attach(
        HttpResponse(content, content_type=CONTENT_TYPES[suffix]),
        f"{fiscal_year.year}年度{fiscal_year.department.name}{found.name}{suffix}",
        f"{code}-{fiscal_year.year}-{found.code}{suffix}",
    )
