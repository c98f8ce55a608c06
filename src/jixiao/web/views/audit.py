"""审计日志: the year's recent changes, and the full history of one object."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.storage import models as m
from jixiao.web.audit_export import audit_workbook
from jixiao.web.audit_trail import (
    KINDS,
    KINDS_BY_KEY,
    AuditKind,
    entries,
    kind_of,
    latest_entries,
    object_entries,
    year_rows,
)
from jixiao.web.downloads import attach
from jixiao.web.exports import XLSX
from jixiao.web.permissions import (
    Scope,
    can_export_audit,
    can_view_audit,
    object_view,
    request_year,
    year_view,
)

LATEST = 100
PAGE_SIZE = 50
OBJECT_LIMIT = 500


@year_view(can_view_audit)
def audit(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    key = request.GET.get("kind", "")
    kind = KINDS_BY_KEY.get(key)
    page = None
    if kind is None:
        shown = latest_entries(fiscal_year, scope, LATEST)
    else:
        paginator = Paginator(year_rows(kind, fiscal_year, scope), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        shown = entries(kind, list(page.object_list))
    return render(
        request,
        "web/audit.html",
        {
            "fiscal_year": fiscal_year,
            "kinds": KINDS,
            "kind": kind,
            "entries": shown,
            "page": page,
            "latest": LATEST,
        },
    )


@year_view(can_export_audit)
def audit_export(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """Every change of the year (or of one kind: ``?kind=``) as a workbook."""
    kind = KINDS_BY_KEY.get(request.GET.get("kind", ""))
    content = audit_workbook(fiscal_year, scope, [kind] if kind else KINDS)
    fallback = f"{fiscal_year.department.code}-{fiscal_year.year}-audit.xlsx"
    name = f"{fiscal_year.year}年度{fiscal_year.department.name}审计日志.xlsx"
    return attach(HttpResponse(content, content_type=XLSX), name, fallback)


def _load(fiscal_year: m.FiscalYear, kind: str, pk: int) -> tuple[AuditKind, Any]:
    audited = kind_of(kind)
    return audited, audited.load(fiscal_year, pk)


def _check(scope: Scope, found: tuple[AuditKind, Any]) -> bool:
    kind, obj = found
    return kind.check(scope, obj)


@object_view(_load, _check)
def audit_object(request: HttpRequest, scope: Scope, found: tuple[AuditKind, Any]) -> HttpResponse:
    kind, obj = found
    fiscal_year = request_year(request)
    shown = object_entries(kind, obj, OBJECT_LIMIT)
    return render(
        request,
        "web/audit_object.html",
        {
            "fiscal_year": fiscal_year,
            "kind": kind,
            "object": obj,
            "label": shown[0].label if shown else str(obj.pk),
            "entries": shown,
            "limit": OBJECT_LIMIT,
        },
    )
