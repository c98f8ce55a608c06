"""Everything audited: an import of the ledger is one audit entry (who, when, the file's
SHA-256, the counts, each payment it changed or removed), the audit log has a 支出
category, and the log exports as a workbook."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from jixiao.interchange.excel.layouts import LEDGER_KIND
from jixiao.services.excel_export import export_workbook
from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"


def _ledger(path: Path) -> Path:
    """The year's ledger exported; 记-031 gets a new 摘要, 记-101 is deleted, one row added."""
    export_workbook(FIRST, YEAR, LEDGER_KIND, path)
    book = openpyxl.load_workbook(path)
    sheet = book["支出明细"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "序号")
    columns = {cell.value: cell.column for cell in header}
    start = header[0].row + 1
    last = start
    while sheet.cell(last, columns["凭证号"]).value:
        last += 1
    for row in range(last - 1, start - 1, -1):
        voucher = sheet.cell(row, columns["凭证号"]).value
        if voucher == "记-031":
            cell = sheet.cell(row, columns["摘要"])
            cell.value = '=HYPERLINK("x")规划编制首付款'
            cell.data_type = "s"  # typed as text, as a person may well type it
        elif voucher == "记-101":
            sheet.delete_rows(row)
            last -= 1
    for name, value in {"序号": 99, "预算行代码": "L01", "预算行名称": "国土空间规划编制",
                        "支付日期": "2024-11-30", "凭证号": "记-130", "金额": 12.5,
                        "退款": "否", "摘要": "尾款"}.items():  # fmt: skip
        sheet.cell(last, columns[name]).value = value
    book.save(path)
    return path


def _import(client: Client, path: Path) -> Any:
    with path.open("rb") as file:
        preview = client.post(f"{BASE}/import/", {"workbook": file})
    assert preview.status_code == 200, preview.context.get("problems")
    return client.post(f"{BASE}/import/confirm/", {"token": preview.context["token"]})


def test_a_ledger_import_is_one_audit_entry_with_its_digest_counts_and_changed_rows(
    world: World, tmp_path: Path
) -> None:
    path = _ledger(tmp_path / "ledger.xlsx")
    assert _import(world.client("finance"), path).status_code == 302
    record = m.ImportRecord.objects.get()
    assert record.user == world.users["finance"] and record.file_name == "ledger.xlsx"
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record.counts["支出"] == {"added": 1, "changed": 1, "removed": 1}
    assert record.fiscal_year == world.fiscal_year
    changed, removed = record.payment_rows
    assert changed["voucher"] == "记-031" and changed["action"] == "changed"
    assert changed["changes"]["摘要"][1] == '=HYPERLINK("x")规划编制首付款'
    assert removed["voucher"] == "记-101" and removed["action"] == "removed"


def test_the_audit_log_lists_imports_under_the_payments_category(
    world: World, tmp_path: Path
) -> None:
    _import(world.client("finance"), _ledger(tmp_path / "ledger.xlsx"))
    finance = world.client("finance")
    page = finance.get(f"{BASE}/audit/?kind=payment")
    assert page.status_code == 200
    text = page.content.decode()
    assert "支出" in text and "ledger.xlsx" in text and "SHA-256" in text
    assert "记-101" in text and "新增 1，修改 1，删除 1" in text
    assert "ledger.xlsx" in finance.get(f"{BASE}/audit/").content.decode()
    office = world.client("office").get(f"{BASE}/audit/?kind=payment").content.decode()
    assert "ledger.xlsx" not in office  # the department's ledger is not an office's


def test_the_audit_log_exports_as_a_workbook_of_text(world: World, tmp_path: Path) -> None:
    _import(world.client("finance"), _ledger(tmp_path / "ledger.xlsx"))
    page = world.client("finance").get(f"{BASE}/audit/").content.decode()
    assert f"{BASE}/audit/export/" in page
    response = world.client("finance").get(f"{BASE}/audit/export/")
    assert response.status_code == 200
    assert '-audit.xlsx"; filename*=UTF-8' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:5] == ["时间", "操作人", "操作", "对象类别", "对象"]
    payments = [row for row in rows if row[3] == "支出"]
    assert any(row[4] == "ledger.xlsx" and "记-031" in (row[5] or "") for row in payments)
    formula = [row for row in payments if row[7] == '=HYPERLINK("x")规划编制首付款']
    assert formula, "a value starting with = is written as text"
    cell_types = {cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row}
    assert "f" not in cell_types
    assert world.client("outsider").get(f"{BASE}/audit/export/").status_code == 404


def test_the_command_line_import_is_audited_too(world: World, tmp_path: Path, jixiao: Any) -> None:
    path = _ledger(tmp_path / "ledger.xlsx")
    code, _out, err = jixiao("import", path)
    assert code == 0, err
    record = m.ImportRecord.objects.get()
    assert record.user is None and record.counts["支出"]["added"] == 1
