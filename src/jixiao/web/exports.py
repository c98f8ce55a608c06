"""Lists of the web pages as workbooks to download (``documents.list_workbook``): the
response, with the Chinese file name people see and an ASCII name for the clients that
read no other."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from jixiao.documents.list_workbook import ListSheet, export_title, list_workbook
from jixiao.storage import models as m

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(name: str, ascii_name: str) -> str:
    """Content-Disposition of a download named ``name`` (RFC 6266: ``filename*`` in UTF-8,
    ``filename`` for clients that read only that)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def title(fiscal_year: m.FiscalYear, what: str) -> str:
    return export_title(fiscal_year.department.name, fiscal_year.year, what, timezone.localdate())


def xlsx_response(
    fiscal_year: m.FiscalYear, what: str, ascii_what: str, sheets: Sequence[ListSheet]
) -> HttpResponse:
    """The sheets as ``<部门>-<年度>-<what>.xlsx``."""
    response = HttpResponse(list_workbook(sheets), content_type=XLSX)
    code, year = fiscal_year.department.code, fiscal_year.year
    response["Content-Disposition"] = attachment(
        f"{fiscal_year.department.name}-{year}年度-{what}.xlsx", f"{code}-{year}-{ascii_what}.xlsx"
    )
    return response
