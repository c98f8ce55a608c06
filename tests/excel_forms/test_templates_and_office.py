"""The form templates, and every form export: formula-safe text, and LibreOffice opens them."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import TEMPLATE_NAMES, write_form_template
from jixiao.services.excel_import import import_workbook
from tests.excel_forms.forms import export, store_text, stored
from tests.office import require_tools, to_pdf

Run = Callable[..., tuple[int, str, str]]
TRICKY = {
    "expected_objective: 完成国土空间规划编制。": "expected_objective: '=1+1'",
    "deviation_reason: 报批流程延长, improvement": "deviation_reason: '@SUM(A1:A2)', improvement",
    "reason_category: 制度保障, reason: 报批流程延长": (
        "reason_category: 制度保障, reason: \"+cmd|' /C calc'!A0\""
    ),
    "level3: 编制规划数量": "level3: '-1+2规划数量'",
}
FORMULA_LIKE = {"=1+1", "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-1+2规划数量"}


def _tricky_year(text: str) -> None:
    for old, new in TRICKY.items():
        assert old in text, old
        text = text.replace(old, new)
    store_text(text)


def _exports(tmp_path: Path) -> dict[str, Path]:
    return {
        "goals": export("goals", tmp_path / "goals.xlsx", "test-dept", 2024),
        "evaluation": export("evaluation", tmp_path / "evaluation.xlsx", "test-dept", 2024),
        "monitoring": export(
            "monitoring", tmp_path / "monitoring.xlsx", "test-dept", 2024, as_of=date(2024, 7, 31)
        ),
    }


@pytest.mark.parametrize("name", ["goals", "project-evaluation", "department-evaluation",
                                  "monitoring"])  # fmt: skip
def test_each_template_has_instructions_dropdowns_and_a_locked_header(
    name: str, tmp_path: Path, jixiao: Run
) -> None:
    code, out, err = jixiao("template", name, "--out", tmp_path / "t.xlsx")
    assert code == 0, err
    kind = TEMPLATE_NAMES[name]
    assert f"已生成模板（{kind.form_title}）" in out
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[0] == "说明"
    sheet = book.worksheets[1]
    assert sheet.protection.sheet
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert any("产出指标" in f and "效益指标" in f for f in lists)  # 一级指标
    assert any("数量指标" in f and "服务对象满意度指标" in f for f in lists)  # 二级指标
    texts = {str(c.value): c for row in sheet.iter_rows() for c in row if c.value}
    header = texts["一级指标"]
    assert header.protection.locked
    below = sheet.cell(row=header.row + 1, column=header.column)
    if kind is not FormKind.department_evaluation:
        assert not below.protection.locked
    if kind is FormKind.goals:
        assert any("定量" in f and "定性" in f for f in lists)
        prompts = [v.prompt or "" for v in sheet.data_validations.dataValidation]
        assert any("≥95%" in p for p in prompts)
    if kind in (FormKind.project_evaluation, FormKind.department_evaluation):
        assert any("部分达成年度指标并具有一定效果" in f for f in lists)
        assert any(f == '"优,良,中,差"' for f in lists)
    if kind is FormKind.project_evaluation:
        assert any("项目资金（元）" in f for f in lists)  # the unit, declared in the sheet
        assert sheet["A5"].value == "项目资金（万元）"
    if kind is FormKind.monitoring:
        assert any("确定能" in f and "完全不可能" in f for f in lists)
        assert any("经费保障" in f and "硬件条件保障" in f for f in lists)


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text_in_every_export(
    tmp_path: Path, small_year_text: str
) -> None:
    _tricky_year(small_year_text)
    before = stored("test-dept", 2024)
    for kind, path in _exports(tmp_path).items():
        cells = [c for s in load_workbook(path).worksheets for r in s.iter_rows() for c in r]
        found = {c.value: c for c in cells if isinstance(c.value, str) and c.value in FORMULA_LIKE}
        assert found, kind
        for text, cell in found.items():
            assert cell.data_type == "s" and cell.quotePrefix, (kind, text)
        assert not [c for c in cells if c.data_type == "f"], kind
        if kind != "evaluation":  # the evaluation clears the small year's claims (see round trips)
            assert not import_workbook(path).changed, kind
    assert stored("test-dept", 2024).count("=1+1") == before.count("=1+1")


CSV_OPTIONS = "44,34,76,1,,0,false,true,true,false,false,-1"
"""Comma, quote, UTF-8, from line 1, …, cells as shown (formatted), every sheet to its own file."""


def _soffice_csv(path: Path, out: Path) -> dict[str, list[list[str]]]:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out}/lo-profile", "--headless",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = {}
    for file in out.glob(f"{path.stem}-*.csv"):
        with file.open(encoding="utf-8") as stream:
            sheets[file.stem.removeprefix(f"{path.stem}-")] = list(csv.reader(stream))
    return sheets


@pytest.mark.libreoffice
@pytest.mark.django_db
def test_every_form_export_and_template_opens_in_libreoffice(
    tmp_path: Path, small_year_text: str
) -> None:
    require_tools("soffice", "pdfinfo")
    _tricky_year(small_year_text)
    files = _exports(tmp_path)
    for name in ("goals", "project-evaluation", "department-evaluation", "monitoring"):
        files[f"template-{name}"] = write_form_template(
            TEMPLATE_NAMES[name], tmp_path / f"template-{name}.xlsx"
        )
    for name, path in files.items():
        assert to_pdf(path, tmp_path).stat().st_size > 1000, name
        sheets = _soffice_csv(path, tmp_path / f"csv-{name}")
        assert sheets, name
        shown = {cell for rows in sheets.values() for row in rows for cell in row}
        if name == "goals":
            assert {"-1+2规划数量", "=1+1"} <= shown
        if name == "evaluation":
            assert {"-1+2规划数量", "91.67%", "120.00"} <= shown
            assert "@SUM(A1:A2)；改进措施：提前启动报批" in shown
        if name == "monitoring":
            assert "+cmd|' /C calc'!A0" in shown
