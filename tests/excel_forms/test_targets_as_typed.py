"""Target and actual cells as units type them: the templates keep them Text, a formula
where a target belongs is named as such, and actuals that are no figure ("已完成",
"无（理由）") or carry an unregistered unit are read as the one core parser reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.interchange.excel import cells
from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import write_form_template
from jixiao.interchange.excel.review import ReviewFinding, review_workbook
from jixiao.interchange.excel.workbook import _sheet_faults
from tests.excel_forms.test_quirks import SHEET, quirky

# The quirky P001 form: row 14 is 产出指标/数量指标/编制规划数量, target D14 "＝１个", actual E14.
TARGET, ACTUAL = "D14", "E14"


def _reviewed(tmp_path: Path, cells_: dict[str, Any]) -> tuple[ReviewFinding, ...]:
    path = quirky(tmp_path / "q.xlsx")
    book = load_workbook(path)
    for ref, value in cells_.items():
        book[SHEET][ref] = value
    book.save(path)
    (sheet,) = review_workbook(path).sheets
    return sheet.findings


@pytest.mark.parametrize("kind", list(FormKind))
def test_every_templates_target_and_actual_cells_are_text(kind: FormKind, tmp_path: Path) -> None:
    book = load_workbook(write_form_template(kind, tmp_path / "t.xlsx"))
    sheet = book.worksheets[1]
    headers = {
        str(c.value): c for row in sheet.iter_rows(max_row=12) for c in row
        if c.value in ("年度指标值", "指标值/计算公式", "实际完成值", "实际值", "上年实际完成值")
    }
    assert {"年度指标值", "指标值/计算公式"} & set(headers)
    for label, header in headers.items():
        below = [sheet.cell(row=header.row + n, column=header.column) for n in range(1, 21)]
        unlocked = [c for c in below if not c.protection.locked]
        assert unlocked, label
        assert {c.number_format for c in unlocked} == {"@"}, label


def test_a_target_typed_as_a_formula_is_named_as_one(tmp_path: Path) -> None:
    findings = _reviewed(tmp_path, {TARGET: "=12个"})
    [finding] = [f for f in findings if f.where == f"{SHEET}!{TARGET}"]
    assert finding.category == "读取"
    assert "单元格是公式“=12个”，指标值请按文本填写（在前面加单引号或把单元格设为文本）" in (
        finding.message
    )
    assert not any("定量指标须填写年度指标值" in f.message for f in findings)


def test_a_formula_excel_saved_as_an_error_keeps_its_text() -> None:
    """Excel saves "=12个" in a General cell as a formula with the error #NAME?."""
    xml = b'<row r="14"><c r="D14" t="e"><f>12\xe4\xb8\xaa</f><v>#NAME?</v></c></row>'
    fault = _sheet_faults(xml)[(13, 3)]
    with pytest.raises(cells.CellError, match="单元格是公式“=12个”，指标值请按文本填写"):
        cells.read_target_text(fault, cells.Declared())


def test_completion_without_a_figure_is_a_located_finding_asking_for_it(tmp_path: Path) -> None:
    findings = _reviewed(tmp_path, {ACTUAL: "已完成"})
    [finding] = [f for f in findings if f.where == f"{SHEET}!{ACTUAL}"]
    assert "只写了“已完成”，没有实际完成的数值" in finding.message
    assert "＝１个" in finding.message  # the target it is measured against


@pytest.mark.parametrize("cells_", [
    {ACTUAL: "无（规划已于上年批复，本年无需编制）"},
    {ACTUAL: "不适用", "H14": "规划已于上年批复，本年无需编制"},
])
def test_a_not_applicable_actual_with_a_reason_reads_without_error(
    tmp_path: Path, cells_: dict[str, Any]
) -> None:
    findings = _reviewed(tmp_path, cells_)
    assert not [f for f in findings if f.category == "读取"], [f.message for f in findings]


NOT_APPLICABLE = {ACTUAL: "无（规划已于上年批复，本年无需编制）"}


@pytest.mark.parametrize(("printed", "expected"), [
    # 编制规划数量 (30 points) does not apply: 18.95 + 28 + 10 + 执行率 9.17 = 66.12 of the
    # 70 points that apply, × 100 ÷ 70 = 94.46
    ({"G14": None, "G16": 18.95, "G19": 94.46}, []),
    ({"G14": None, "G16": 18.95, "G19": 66.12}, ["total-not-sum-of-rows", "grade-outside-band"]),
    ({}, ["not-applicable-row-scored"]),  # the form still prints 30 for the row
])
def test_a_not_applicable_row_is_reviewed_as_the_rule_set_scores_it(
    tmp_path: Path, printed: dict[str, Any], expected: list[str]
) -> None:
    findings = _reviewed(tmp_path, {**NOT_APPLICABLE, **printed})
    assert [f.id for f in findings] == expected, [f.message for f in findings]
    if "not-applicable-row-scored" in expected:
        assert findings[0].where == f"{SHEET}!G14"
    if "total-not-sum-of-rows" in expected:
        assert "按适用分值折算为66.12×100÷70 = 94.46" in findings[0].message


def test_a_none_without_any_reason_beside_a_printed_score_asks_for_the_reason(
    tmp_path: Path,
) -> None:
    findings = _reviewed(tmp_path, {ACTUAL: "无"})
    assert [f.id for f in findings] == ["not-applicable-without-reason"]
    assert "未说明理由" in findings[0].message


def test_an_unregistered_unit_shared_by_target_and_actual_is_a_warning_not_an_error(
    tmp_path: Path,
) -> None:
    findings = _reviewed(tmp_path, {TARGET: "≥1羽次", ACTUAL: "1羽次"})
    assert not [f for f in findings if f.category == "读取"]
    [warning] = [f for f in findings if f.id == "unit-unregistered"]
    assert warning.severity.value == "warning"
    assert warning.where == f"{SHEET}!{TARGET}"
    assert "“羽次”不在计量单位表中" in warning.message
