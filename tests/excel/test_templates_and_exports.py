"""Templates and exports: the layout people fill, safe text, and files LibreOffice opens."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.interchange.excel.layouts import BUDGET_KIND, LEDGER_KIND
from jixiao.interchange.excel.templates import write_template
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_export import export_workbook
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import store_small_year, stored_text
from tests.office import require_tools, to_pdf


def _dropdowns(sheet: Any) -> dict[str, str]:
    """First cell of each data validation's area → its list."""
    return {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in sheet.data_validations.dataValidation
    }


TRICKY = ["=1+1", "+86 10 1234", "-折扣", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


def test_the_budget_template_has_instructions_a_locked_header_and_dropdowns(
    tmp_path: Path,
) -> None:
    path = write_template(BUDGET_KIND, tmp_path / "预算与执行.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["说明", "预算与执行", "预算调整"]
    assert book.active.title == "预算与执行"
    sheet = book["预算与执行"]
    assert [sheet.cell(row, 1).value for row in range(2, 6)] == ["部门代码", "部门名称", "年度",
                                                                  "单位：万元"]  # fmt: skip
    assert sheet["B6"].value == "预算行代码"
    assert sheet.protection.sheet
    assert sheet["B6"].protection.locked
    assert not sheet["B7"].protection.locked
    assert not sheet["B2"].protection.locked
    assert sheet["K7"].number_format == "#,##0.00"
    assert sheet["O7"].number_format == "0.00%"
    lists = _dropdowns(sheet)
    assert lists["A5"] == '"单位：万元,单位：元"'
    assert lists["D7"] == (
        '"一般公共预算财政拨款,政府性基金预算财政拨款,国有资本经营预算财政拨款,其他资金"'
    )
    assert lists["E7"] == '"基本支出,项目支出"'
    assert lists["F7"] == '"人员经费,公用经费"'
    notes = [row[1] for row in book["说明"].iter_rows(values_only=True) if row[1]]
    assert any("按预算行代码识别" in str(note) for note in notes)


def test_the_ledger_template_offers_refund_yes_or_no_and_counts_in_yuan(tmp_path: Path) -> None:
    sheet = load_workbook(write_template(LEDGER_KIND, tmp_path / "l.xlsx"))["支出明细"]
    assert sheet["A5"].value == "单位：元"
    lists = _dropdowns(sheet)
    assert lists["G7"] == '"是,否"'
    assert sheet["D7"].number_format == "yyyy-mm-dd"
    assert sheet["B7"].number_format == "@"


@pytest.mark.django_db
def test_a_filled_template_imports(tmp_path: Path, small_year_text: str) -> None:
    store_small_year(small_year_text)
    book = load_workbook(write_template(LEDGER_KIND, tmp_path / "l.xlsx"))
    sheet = book["支出明细"]
    sheet["B2"], sheet["B4"] = "test-dept", 2024
    with pytest.raises(InputRejected, match="支出明细表没有数据行"):
        book.save(tmp_path / "empty.xlsx")
        import_workbook(tmp_path / "empty.xlsx")
    filled = [("L01", "2024-03-15", "记-031", 400000, "否"),
              ("L01", "2024-09-20", "记-092", 705000, "否"),
              ("L01", "2024-10-08", "记-101", -5000, "是")]  # fmt: skip
    for row, values in enumerate(filled, start=7):
        for col, value in zip("BDEFG", values, strict=True):
            sheet[f"{col}{row}"] = value
    book.save(tmp_path / "filled.xlsx")
    assert not import_workbook(tmp_path / "filled.xlsx").changed


def _year_with_tricky_text(small_year_text: str) -> None:
    text = small_year_text.replace(
        "    - {line: L01, date: 2024-03-15, amount: 40, voucher: 记-031}",
        "\n".join(f"    - {{line: L01, date: 2024-03-{15 + n}, amount: 1, voucher: 'v{n}', "
                  f"description: '{t.replace(chr(39), chr(39) * 2)}'}}"
                  for n, t in enumerate(TRICKY)),
    ).replace("name: 人员经费", "name: '=1+1'")  # fmt: skip
    store_small_year(text)


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, small_year_text: str) -> None:
    _year_with_tricky_text(small_year_text)
    before = stored_text()
    ledger = export_workbook("test-dept", 2024, LEDGER_KIND, tmp_path / "ledger.xlsx")
    budget = export_workbook("test-dept", 2024, BUDGET_KIND, tmp_path / "budget.xlsx")
    sheet = load_workbook(ledger)["支出明细"]
    written = {sheet.cell(row, 8).value: sheet.cell(row, 8) for row in range(7, 12)}
    for text in TRICKY:
        assert written[text].data_type == "s", text
        assert written[text].quotePrefix
    assert load_workbook(budget)["预算与执行"]["C7"].value == "=1+1"
    for path in (budget, ledger):
        assert not import_workbook(path).changed
    assert stored_text() == before


CSV_OPTIONS = "44,34,76,1,,0,false,true,true,false,false,-1"
"""Comma, quote, UTF-8, from line 1, …, cells as shown (formatted), every sheet to its own file."""


def _soffice_csv(path: Path, sheet: str, tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "csv"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with (out / f"{path.stem}-{sheet}.csv").open(encoding="utf-8") as stream:
        return list(csv.reader(stream))


@pytest.mark.libreoffice
@pytest.mark.django_db
def test_exports_open_in_libreoffice_with_text_kept_and_numbers_as_numbers(
    tmp_path: Path, small_year_text: str
) -> None:
    require_tools("soffice", "pdfinfo")
    _year_with_tricky_text(small_year_text)
    ledger = export_workbook("test-dept", 2024, LEDGER_KIND, tmp_path / "ledger.xlsx")
    budget = export_workbook("test-dept", 2024, BUDGET_KIND, tmp_path / "budget.xlsx")
    rows = _soffice_csv(ledger, "支出明细", tmp_path)
    descriptions = [row[7] for row in rows[6:] if len(row) > 7 and row[7]]
    assert descriptions == TRICKY
    assert "2" not in descriptions
    budget_rows = _soffice_csv(budget, "预算与执行", tmp_path)
    assert budget_rows[6][2] == "=1+1"
    assert budget_rows[6][12] == "300.00"  # 全年预算数 in 万元, #,##0.00
    assert budget_rows[7][14] == "62.50%"  # L01: (5 × 1 + 70.5 − 0.5) ÷ 120
    for path in (ledger, budget, write_template(BUDGET_KIND, tmp_path / "template.xlsx")):
        assert to_pdf(path, tmp_path).stat().st_size > 1000
