"""Lists of the web pages as workbooks to download (``documents.list_workbook``), under a
Chinese file name with an ASCII fallback (``downloads``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils import timezone

from jixiao.documents.list_workbook import ListSheet, export_title, list_workbook
from jixiao.storage import models as m
from jixiao.web.downloads import attach

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def title(fiscal_year: m.FiscalYear, what: str) -> str:
    return export_title(fiscal_year.department.name, fiscal_year.year, what, timezone.localdate())


def xlsx_response(
    fiscal_year: m.FiscalYear, what: str, ascii_what: str, sheets: Sequence[ListSheet]
) -> HttpResponse:
    """The sheets as ``<年度>年度<部门><what>.xlsx``, as the other downloads are named."""
    code, year = fiscal_year.department.code, fiscal_year.year
    return attach(
        HttpResponse(list_workbook(sheets), content_type=XLSX),
        f"{year}年度{fiscal_year.department.name}{what}.xlsx",
        f"{code}-{year}-{ascii_what}.xlsx",
    )
