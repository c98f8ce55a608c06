"""The words of a form's labels are data: the 年度总体目标 block (its label, 预期目标,
实际完成情况), which also ends the funds block, is read by the layout's ``labels``; the
title words of the department-wide 申报表 are the goals layout's ``identify``; the funds
block's column names in review messages are the layout's own headers.

A province that prints 总体绩效目标 / 年度目标 / 目标完成情况 adds a layout file and nothing
else; and no module of the Excel package spells those words itself.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.form_vocabulary import NOT_GRADED
from jixiao.interchange.excel.headers import fold
from jixiao.interchange.excel.layout_files import load_layouts, shipped_layout, shipped_layouts
from jixiao.interchange.excel.review import review_workbook
from jixiao.interchange.excel.review_text import AMOUNT_KEYS
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from tests.excel_forms.test_review_as_printed import FUNDS, FUNDS_HEADER, INDICATOR_HEADER, ROWS

EXCEL = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "interchange" / "excel"
OBJECTIVE_KEYS = ("objective", "expected_objective", "actual_objective")
NOT_LABELS = {("form_planning.py", "绩效目标")}
"""The same words meaning something else: the change list names a goal 绩效目标."""
OTHER_MEANINGS = {("form_planning.py", "部门整体"), ("review.py", "部门整体")}
"""部门整体 as the owner of the department-wide goal's rows and as its name, not a title."""

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


DEPARTMENT_GOALS = """\
format: jixiao-form-layout/2
id: province-unit-wide-goals
name: 某省单位整体支出绩效目标申报表
form: goals
base: mof-goals
identify:
  titles: [单位整体支出绩效目标申报表]
  department_titles: [单位整体支出绩效目标申报表]
"""


def _goals_form(path: Path, title: str, project_code: str | None = None) -> Path:
    """A 申报表 whose title alone says whether it is the department-wide goal."""
    book = Workbook()
    sheet = book.active
    sheet.title = "目标"
    lines: list[list[Any]] = [
        [title],
        ["（2024年度）"],
        ["部门代码", "001", None, "部门名称", "测试区测试局"],
        ["项目代码", project_code],
        ["年度总体目标", "完成年度登记任务。"],
        ["一级指标", "二级指标", "三级指标", "指标类型", "年度指标值", "分值"],
        ["产出指标", "数量指标", "登记宗数", "定量", "≥1200宗", 50],
        ["效益指标", "社会效益指标", "群众办事便利度", "定性", "明显提高", 50],
    ]
    for line in lines:
        sheet.append(line)
    book.save(path)
    return path


def test_a_goals_layout_written_as_data_names_its_own_department_goal_title(
    tmp_path: Path,
) -> None:
    layout = tmp_path / "unit-wide.yaml"
    layout.write_text(DEPARTMENT_GOALS, encoding="utf-8")
    path = _goals_form(tmp_path / "goals.xlsx", "单位整体支出绩效目标申报表")
    (form,) = read_forms(read_workbook(path), load_layouts([layout]))
    assert form.layout.id == "province-unit-wide-goals"
    assert form.department_goal
    words = form.layout.department_goal
    assert words.titles == ("单位整体支出绩效目标申报表",)
    assert words.words == shipped_layout("mof-goals").department_goal.words  # inherited
    (standard,) = read_forms(read_workbook(path))
    assert standard.layout.id == "mof-goals"
    assert not standard.department_goal  # the standard words are 部门整体


@pytest.mark.parametrize(
    ("title", "code", "department"),
    [
        ("部门整体支出绩效目标申报表", None, True),
        ("部门整体支出绩效目标申报表", "P010", True),
        ("部门整体绩效目标申报表", None, True),
        ("部门整体绩效目标申报表", "P010", False),
        ("项目支出绩效目标申报表", None, False),
    ],
)
def test_the_shipped_goals_layout_knows_the_department_goal_by_its_title(
    tmp_path: Path, title: str, code: str | None, department: bool
) -> None:
    (form,) = read_forms(read_workbook(_goals_form(tmp_path / "goals.xlsx", title, code)))
    assert form.department_goal is department


def test_only_a_goals_layout_may_name_department_goal_titles(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    stated = "  titles: [某省项目支出绩效自评表]\n  department_words: [单位整体]\n"
    path.write_text(PROVINCE.replace("  titles: [某省项目支出绩效自评表]\n", stated),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(InputRejected) as rejected:
        load_layouts([path])
    assert [p.where for p in rejected.value.problems] == [f"{path}：identify.department_words"]


FUNDS_WORDS = """\
format: jixiao-form-layout/2
id: province-funds-words
name: 某省项目支出绩效自评表
form: project-evaluation
base: mof-project-evaluation
identify:
  titles: [某省项目支出绩效自评表]
tables:
  funds:
    columns:
      final_budget: {label: 调整后预算, type: amount, required: true}
      executed: {label: 全年实际支出, type: amount, required: true}
"""


def test_funds_messages_use_the_layouts_own_column_names(tmp_path: Path) -> None:
    layout = tmp_path / "funds.yaml"
    layout.write_text(FUNDS_WORDS, encoding="utf-8")
    path = _form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    sheet = book.active
    sheet.cell(row=5, column=4).value = "调整后预算"
    sheet.cell(row=5, column=5).value = "全年实际支出"
    sheet.cell(row=10, column=1).value = "年度总体目标"  # the standard objective words
    sheet.cell(row=10, column=2).value = "预期目标"
    sheet.cell(row=10, column=5).value = "实际完成情况"
    sheet.cell(row=7, column=5).value = 80.2  # 本年财政拨款's 执行数 no longer adds up
    book.save(path)
    (review,) = review_workbook(path, layouts=[layout]).sheets
    messages = [f.message for f in review.findings if f.id == "funds-total-not-sum-of-rows"]
    assert messages and all("全年实际支出" in m for m in messages), review.findings
    assert not any("全年执行数" in m for m in messages)


def test_no_module_of_the_excel_package_spells_the_moved_words() -> None:
    """The department-wide goal's title words are the goals layout's, the funds columns'
    names in review messages the layout's own, and 未评定 is form_vocabulary's."""
    goals = shipped_layout("mof-goals").department_goal
    assert (goals.titles, goals.words) == (("部门整体支出绩效目标申报表",), ("部门整体",))
    titles = {fold(word) for word in (*goals.titles, *goals.words)}
    funds = shipped_layout("mof-project-evaluation").funds
    assert funds is not None
    names = [c.label for c in funds.columns if c.key in AMOUNT_KEYS]
    assert names == ["年初预算数", "全年预算数", "全年执行数"]
    modules = {path.name: _constants(path) for path in sorted(EXCEL.glob("*.py"))}
    found = [
        f"{name}:{line} {value!r}"
        for name, constants in modules.items()
        for line, value in constants
        if (fold(value) in titles and (name, value) not in OTHER_MEANINGS)
        or (name in ("review.py", "review_text.py") and any(n in value for n in names))
        or (name != "form_vocabulary.py" and NOT_GRADED in value)
    ]
    assert found == [], "these words belong in the layout files or form_vocabulary.py"
