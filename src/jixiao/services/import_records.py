"""The audit entry of an import: one ``ImportRecord`` per confirmed import of a workbook.

Budget lines, adjustments, projects and goals an import changes are written through the
ORM and so land in their own history (with the signed-in user). Payments do not — a
ledger holds 100,000s of rows — so the record keeps, for the ledger: how many rows the
import added, changed and removed, and each changed or removed row (its before and after
values), up to ``ROW_LIMIT`` of them; added rows are in the file, which the SHA-256
digest identifies.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jixiao.interchange.excel.importing import ImportResult
from jixiao.interchange.excel.planning import NewPayment, StoredPayment
from jixiao.storage import models as m

ROW_LIMIT = 2000


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _payment(stored: StoredPayment) -> dict[str, Any]:
    return {
        "line": stored.line,
        "date": stored.date.isoformat(),
        "voucher": stored.voucher,
        "amount": str(stored.amount),
    }


def _changed(stored: StoredPayment, row: NewPayment) -> dict[str, Any]:
    changes = {}
    if stored.refund != row.refund:
        changes["退款"] = ["是" if stored.refund else "否", "是" if row.refund else "否"]
    if stored.description != row.description:
        changes["摘要"] = [stored.description, row.description]
    return {"action": "changed", **_payment(stored), "changes": changes}


def payment_rows(result: ImportResult) -> list[dict[str, Any]]:
    """The ledger rows the import changed or removed, one entry each."""
    plan = result.plan
    rows = [_changed(stored, row) for stored, row in plan.update]
    rows.extend({"action": "removed", **_payment(stored), "changes": {}} for stored in plan.remove)
    return rows


def record_import(
    result: ImportResult, path: Path, user: Any | None, file_name: str = ""
) -> m.ImportRecord:
    """Write the audit entry of a confirmed import (call it in the import's transaction)."""
    rows = payment_rows(result)
    fiscal_year = m.FiscalYear.objects.filter(
        department__code=result.department_code, year=result.year
    ).first()
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return m.ImportRecord.objects.create(
        fiscal_year=fiscal_year,
        department_code=result.department_code,
        year=result.year,
        user=user if signed_in else None,
        user_name=user.get_username() if signed_in else "",
        file_name=(file_name or path.name)[:300],
        sha256=file_digest(path),
        sheets="、".join(result.sheets),
        counts=result.counts(),
        payment_rows=rows[:ROW_LIMIT],
        payment_rows_total=len(rows),
    )
