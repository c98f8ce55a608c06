"""The audit log as a workbook (审计日志.xlsx): every recorded change of a year, as the
scope may see it on the page, one row per changed value.

Values are written as text, never as formulas: a name typed as ``=HYPERLINK(…)`` stays
the text it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment  # type: ignore[import-untyped]

from jixiao.documents.list_workbook import export_title
from jixiao.documents.sheet_setup import form_font, name_workbook, print_form, title_font
from jixiao.storage import models as m
from jixiao.web.audit_trail import KINDS, AuditEntry, AuditKind, entries, year_rows
from jixiao.web.permissions import Scope

EXPORT_LIMIT = 100_000
"""History rows per kind of object; a year with more is cut, and the sheet says so."""
BATCH = 2000
WIDTHS = (20, 22, 8, 18, 40, 30, 30, 30, 60)
_WRAP = Alignment(vertical="top", wrap_text=True)


def headers() -> list[str]:
    return [
        _("时间"), _("操作人"), _("操作"), _("对象类别"), _("对象"),
        _("字段"), _("修改前"), _("修改后"), _("原因或说明"),
    ]  # fmt: skip


def _text(sheet: Any, value: Any, font: Any = None, *, wrap: bool = True) -> Any:
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"  # text, even when it starts with "="
    cell.font = font or form_font()
    if wrap:  # the title runs on over the empty cells beside it (a write-only sheet cannot merge)
        cell.alignment = _WRAP
    return cell


def rows_of(entry: AuditEntry) -> Iterator[list[str]]:
    when = timezone.localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S")
    head = [when, entry.who, entry.action, str(entry.kind.label), entry.label]
    if not entry.changes:
        yield [*head, "", "", "", entry.reason]
        return
    for change in entry.changes:
        yield [*head, change.label, change.before, change.after, entry.reason]


def _entries(kind: AuditKind, fiscal_year: m.FiscalYear, scope: Scope) -> Iterator[AuditEntry]:
    rows = year_rows(kind, fiscal_year, scope)
    for start in range(0, EXPORT_LIMIT, BATCH):
        batch = list(rows[start : start + BATCH])
        yield from entries(kind, batch)
        if len(batch) < BATCH:
            return


def audit_workbook(
    fiscal_year: m.FiscalYear, scope: Scope, kinds: Iterable[AuditKind] = KINDS
) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("审计日志"))
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    title = export_title(
        fiscal_year.department.name, fiscal_year.year, _("审计日志"), timezone.localdate()
    )
    print_form(sheet, (1, 2))
    sheet.append([_text(sheet, title, title_font(), wrap=False)])
    sheet.append([_text(sheet, header, form_font(bold=True)) for header in headers()])
    found = sorted(
        (entry for kind in kinds for entry in _entries(kind, fiscal_year, scope)),
        key=lambda entry: entry.when,
        reverse=True,
    )
    for entry in found:
        for row in rows_of(entry):
            sheet.append([_text(sheet, value) for value in row])
    name_workbook(book, title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
