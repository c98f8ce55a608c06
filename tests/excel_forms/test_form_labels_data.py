"""The words of a form's labels are data: the 年度总体目标 block (its label, 预期目标,
实际完成情况), which also ends the funds block, is read by the layout's ``labels``.

A province that prints 总体绩效目标 / 年度目标 / 目标完成情况 adds a layout file and nothing
else; and no module of the Excel package spells those words itself.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.headers import fold
from jixiao.interchange.excel.layout_files import load_layouts, shipped_layouts
from jixiao.interchange.excel.review import review_workbook
from jixiao.interchange.excel.workbook import read_workbook
from tests.excel_forms.test_review_as_printed import FUNDS, FUNDS_HEADER, INDICATOR_HEADER, ROWS

EXCEL = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "interchange" / "excel"
OBJECTIVE_KEYS = ("objective", "expected_objective", "actual_objective")
NOT_LABELS = {("form_planning.py", "绩效目标")}
"""The same words meaning something else: the change list names a goal 绩效目标."""

PROVINCE = """\
format: jixiao-form-layout/2
id: province-objective-words
name: 某省项目支出绩效自评表
form: project-evaluation
base: mof-project-evaluation
identify:
  titles: [某省项目支出绩效自评表]
labels:
  objective: [总体绩效目标]
  expected_objective: [年度目标]
  actual_objective: [目标完成情况]
"""
EXPECTED = "完成年度登记任务。"
ACTUAL = "已完成年度登记任务，全年执行数88.00万元。"  # the table prints 86.20 万元


def _form(path: Path) -> Path:
    """The standard self-evaluation form, but for the words of its 年度总体目标 block."""
    book = Workbook()
    sheet = book.active
    sheet.title = "P010"
    lines: list[list[Any]] = [
        ["某省项目支出绩效自评表"],
        ["（2024年度）"],
        ["项目名称", "不动产登记业务运行", None, None, "项目代码", "P010"],
        ["主管部门", "测试区测试局", None, None, "实施单位", "登记中心"],
        FUNDS_HEADER,
        *FUNDS,
        ["总体绩效目标", "年度目标", None, None, "目标完成情况"],
        ["总体绩效目标", EXPECTED, None, None, ACTUAL],
        INDICATOR_HEADER,
        *ROWS,
        ["总分", None, None, None, None, 100, 96.62],
        ["评价等级", None, None, None, None, "优"],
    ]
    for line in lines:
        sheet.append(line)
    sheet.cell(row=6, column=7).number_format = "0.00%"
    book.save(path)
    return path


def _layout(tmp_path: Path) -> Path:
    path = tmp_path / "province.yaml"
    path.write_text(PROVINCE, encoding="utf-8")
    return path


def test_a_layout_written_as_data_reads_its_own_objective_words(tmp_path: Path) -> None:
    path = _form(tmp_path / "form.xlsx")
    (form,) = read_forms(read_workbook(path), load_layouts([_layout(tmp_path)]))
    assert form.layout.id == "province-objective-words"
    assert form.problems == []
    assert form.funds is not None  # it ends at 总体绩效目标 (其他资金 is blank)
    assert [row.values["label"] for row in form.funds.rows] == [row[0] for row in FUNDS[:3]]
    assert form.expected is not None and form.expected.value == EXPECTED
    assert form.actual_objective is not None
    assert (form.actual_objective.value, form.actual_objective.where) == (ACTUAL, "P010!E11")
    assert form.layout.labels["project_name"] == ("项目名称",)  # the other labels: inherited


def test_the_form_reviews_with_its_objective_checked_against_the_table(tmp_path: Path) -> None:
    path = _form(tmp_path / "form.xlsx")
    (sheet,) = review_workbook(path, layouts=[_layout(tmp_path)]).sheets
    assert sheet.total == Decimal("96.62")
    assert [(f.id, f.where) for f in sheet.findings] == [("text-figure-differs", "P010!E11")]
    assert "88.00万元" in sheet.findings[0].message


def test_without_the_layout_those_words_are_not_the_objective_block(tmp_path: Path) -> None:
    (form,) = read_forms(read_workbook(_form(tmp_path / "form.xlsx")))
    assert form.layout.id == "mof-project-evaluation"
    assert form.actual_objective is None
    assert form.problems  # the block is read as rows of the funds block


def test_a_form_layout_without_a_base_takes_the_standard_labels(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(
        "format: jixiao-form-layout/2\nid: plain\nname: 简表\nform: project-evaluation\n"
        "identify: {titles: [简表]}\nlabels: {expected_objective: [年度目标]}\n"
        "tables:\n  indicators:\n    columns:\n"
        "      level1: {label: 一级指标, required: true}\n"
        "      level2: {label: 二级指标, required: true}\n"
        "      level3: {label: 三级指标, required: true}\n",
        encoding="utf-8",
    )
    layout = next(layout for layout in load_layouts([path]) if layout.id == "plain")
    standard = next(layout for layout in shipped_layouts() if layout.id == "mof-project-evaluation")
    assert layout.labels["expected_objective"] == ("年度目标",)
    assert layout.labels["actual_objective"] == standard.labels["actual_objective"]
    assert layout.labels["objective"] == standard.labels["objective"]


def _constants(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, its docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documents = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in documents
    ]


def test_no_module_of_the_excel_package_spells_the_objective_labels() -> None:
    words = {
        fold(word)
        for layout in shipped_layouts()
        for key in OBJECTIVE_KEYS
        for word in layout.labels.get(key, ())
    }
    assert {"年度总体目标", "预期目标", "实际完成情况", "年度目标"} <= words
    found = [
        f"{path.name}:{line} {value!r}"
        for path in sorted(EXCEL.glob("*.py"))
        for line, value in _constants(path)
        if fold(value) in words and (path.name, value) not in NOT_LABELS
    ]
    assert found == [], "these words belong in src/jixiao/rules/layouts/*.yaml"
