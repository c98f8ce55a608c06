"""对应支出标准 and 成本占比 in the 申报表: declared in the layout, written on export, read on
import (an unknown standard named by sheet, row and column, nothing written); a form
without the columns reads exactly as before."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.interchange.excel.form_layouts import GOALS
from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from jixiao.services.cost_standards import store_cost_standards
from jixiao.services.excel_import import import_workbook
from jixiao.storage import models as m
from tests.cycle.test_cost_report import STANDARDS
from tests.excel_forms.forms import edit, export, find_row, store_text, stored
from tests.excel_forms.layout_forms import xlsx

pytestmark = pytest.mark.django_db

SHEET = "P001 国土空间规划编制"
UNCOSTED = "target: \"=1个\", weight: 30, actual: 1个, claimed_score: 30}"
SHARED = (
    "target: \"=1个\", weight: 30, actual: 1个, claimed_score: 30, cost_standard: GH-1, "
    "cost_share: 62.5}"
)


@pytest.fixture
def year(small_year_text: str) -> m.FiscalYear:
    text = small_year_text.replace(UNCOSTED, SHARED)
    assert SHARED in text
    store_text(text)
    fiscal_year = m.FiscalYear.objects.get(department__code="test-dept", year=2024)
    store_cost_standards(fiscal_year, parse_cost_standards(STANDARDS))
    return fiscal_year


def _export(tmp_path: Path) -> Path:
    return export("goals", tmp_path / "goals.xlsx", "test-dept", 2024)


def _output(name: str = "编制规划数量") -> m.Indicator:
    return m.Indicator.objects.get(goal__project__code="P001", level3=name)


def test_the_columns_are_declared_in_the_layout_not_in_code() -> None:
    labels = [column.label for column in GOALS.columns]
    assert labels[-2:] == ["对应支出标准", "成本占比"]
    assert not any(c.required for c in GOALS.columns if c.key in ("cost_standard", "cost_share"))


def test_the_export_writes_the_link_and_reads_back_without_a_change(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    before = stored("test-dept", 2024)
    path = _export(tmp_path)
    sheet = load_workbook(path)[SHEET]
    assert (sheet["H6"].value, sheet["I6"].value) == ("对应支出标准", "成本占比")
    row = find_row(path, SHEET, "C", "编制规划数量")
    assert sheet[f"H{row}"].value == "GH-1"
    assert sheet[f"I{row}"].value == pytest.approx(0.625)
    assert sheet[f"I{row}"].number_format == "0.00%"
    assert not import_workbook(path).changed
    assert stored("test-dept", 2024) == before


def test_an_imported_form_links_another_output_and_changes_a_share(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    path = _export(tmp_path)
    row = find_row(path, SHEET, "C", "编制规划数量")
    other = find_row(path, SHEET, "C", "按期完成率")
    changed = edit(path, tmp_path / "changed.xlsx", SHEET,
                   {f"I{row}": 0.7, f"H{other}": "GH-1", f"I{other}": "30%"})  # fmt: skip
    assert import_workbook(changed).changed
    assert (_output().cost_standard, _output().cost_share) == ("GH-1", Decimal(70))
    assert (_output("按期完成率").cost_standard, _output("按期完成率").cost_share) == (
        "GH-1", Decimal(30),
    )  # fmt: skip


def test_an_unknown_standard_is_a_located_chinese_error_and_nothing_is_written(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    before = stored("test-dept", 2024)
    path = _export(tmp_path)
    row = find_row(path, SHEET, "C", "按期完成率")
    bad = edit(path, tmp_path / "bad.xlsx", SHEET, {f"H{row}": "GH-9"})
    with pytest.raises(InputRejected) as refused:
        import_workbook(bad)
    (problem,) = [p for p in refused.value.problems if "支出标准" in p.message]
    assert problem.where == f"{SHEET}!H{row}"
    assert problem.message == "对应支出标准：“GH-9”不在本年度的支出标准表“测试区规划编制支出标准”中"
    assert stored("test-dept", 2024) == before


def test_a_share_out_of_range_or_without_a_standard_is_refused(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    path = _export(tmp_path)
    row = find_row(path, SHEET, "C", "编制规划数量")
    other = find_row(path, SHEET, "C", "按期完成率")
    bad = edit(path, tmp_path / "bad.xlsx", SHEET, {f"I{row}": 1.5, f"I{other}": 0.2})
    with pytest.raises(InputRejected) as refused:
        import_workbook(bad)
    found = {p.where: p.message for p in refused.value.problems}
    assert "超出允许范围" in found[f"{SHEET}!I{row}"]
    assert found[f"{SHEET}!I{other}"] == "成本占比：填写成本占比须同时填写对应支出标准"


def test_a_form_without_the_columns_reads_as_before_and_keeps_the_link(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    before = stored("test-dept", 2024)
    path = _export(tmp_path)
    book = load_workbook(path)
    for sheet in book.worksheets:
        sheet.delete_cols(8, 2)
    book.save(tmp_path / "old.xlsx")
    assert not import_workbook(tmp_path / "old.xlsx").changed
    assert stored("test-dept", 2024) == before
    assert (_output().cost_standard, _output().cost_share) == ("GH-1", Decimal("62.5"))


def test_a_form_known_only_by_its_header_reads_the_columns(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    """No title names the form: the header (指标类型 and 年度指标值, no 实际完成值 or 得分)
    says 申报表, so the goals layout reads it, cost columns and all."""
    path = _export(tmp_path)
    row = find_row(path, SHEET, "C", "编制规划数量")
    book = load_workbook(path)
    for sheet in book.worksheets:
        for cells in sheet.iter_rows(max_row=4):
            for cell in cells:
                if isinstance(cell.value, str) and "申报表" in cell.value:
                    cell.value = None
    book[SHEET][f"I{row}"] = 0.7
    book.save(tmp_path / "untitled.xlsx")
    result = import_workbook(tmp_path / "untitled.xlsx")
    assert f"{SHEET}：按版式“财政部项目支出绩效目标申报表”读取" in result.read_as
    assert (_output().cost_standard, _output().cost_share) == ("GH-1", Decimal(70))


def test_a_provincial_form_known_only_by_its_header_reads_the_columns(tmp_path: Path) -> None:
    rows = [
        ["乡村道路养护"],
        ["项目名称", "乡村道路养护"],
        ["序号", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值",
         "对应支出标准", "成本占比"],
        [1, "产出指标", "数量指标", "养护道路里程", "≥", 120, "公里", 50, "GH-1", 0.6],
    ]  # fmt: skip
    (form,) = read_forms(read_workbook(xlsx(tmp_path / "g.xlsx", ("Sheet1", rows))))
    assert (form.kind.value, form.layout.id) == ("goals", "province-operator-columns-goals")
    (read,) = form.indicators.rows
    assert (read.values["cost_standard"], read.values["cost_share"]) == ("GH-1", Decimal(60))
