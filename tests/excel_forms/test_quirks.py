"""Self-evaluation tables as units really fill them: the reader copes, the figures agree."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from jixiao.interchange.excel.review import review_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import store_text

SHEET = "P001"


def quirky(
    path: Path,
    *,
    unit: str = "万元",
    rate: Any = "91.67%",
    actual: Any = 0.93,
    label_unit: bool = False,
) -> Path:
    """The small year's P001 as a unit filled it: the header well below the first row, the
    unit stated above the funds block (or in its header), labels and values in one cell,
    full-width digits and signs, numbers typed as text, line breaks in header cells, merged
    一级/二级 cells, a subtotal row, 合计 for 总分, the grade written after its label."""
    scale = 10000 if unit == "元" else 1
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    rows: list[list[Any]] = [
        [],
        [],
        ["2024年度项目支出绩效自评表"],
        [None, None, None, None, None, None, "填报日期：2025年1月10日"],
        ["项目名称：国土空间规划编制", None, None, None, "项目代码", "P001"],
        ["主管部门", "测试区测试局", None, None, "实施单位", "规划科"],
        [] if label_unit else [f"单位：{unit}"],
        [
            f"项目资金（{unit}）" if label_unit else "项目资金",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分 值",
            "执行率",
            "得分",
        ],
        [
            "年度资金总额",
            None,
            f"{100 * scale:,}",
            "１２０．００" if scale == 1 else 1200000,
            110 * scale,
            10,
            rate,
            "9.17",
        ],
        ["其中：一般公共预算财政拨款", None, 100 * scale, 120 * scale, 110 * scale],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        ["年度总体目标", "完成国土空间规划编制。", None, None, "已完成并报批。"],
        [
            "一级\n指标",
            "二级\n指标",
            "三级指标",
            "年度\n指标值",
            "实际\n完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        ["产出指标", "数量指标", "编制规划数量", "＝１个", "1个", "30", 30],
        [
            None,
            "时效指标",
            "按期完成率",
            "＞＝９５％",
            "90％",
            "２０",
            "18.95",
            "报批流程延长。改进措施：提前启动报批",
        ],
        [None, None, "小计", None, None, 50, 48.95],
        ["效益指标", "社会效益指标", "规划管控作用", "效果明显", "达成年度指标", 30, 28],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", actual, 10, 10],
        ["合计", None, None, None, None, 100, 96.12],
        ["评价等级：优"],
        ["注：本表由项目单位填报。"],
    ]
    for row in rows:
        sheet.append(row)
    for area in ("A14:A16", "B15:B16"):  # 产出指标 down its rows, its 小计 row included
        sheet.merge_cells(area)
    sheet.merge_cells("A11:A12")
    sheet.merge_cells("B12:D12")
    sheet.merge_cells("E12:H12")
    book.save(path)
    return path


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"unit": "元"},
        {"unit": "元", "label_unit": True},
        {"rate": 0.9167},
        {"rate": "91.67％", "actual": "93%"},
    ],
)
def test_the_quirks_read_the_same_and_agree_with_the_rules(
    tmp_path: Path, variant: dict[str, Any]
) -> None:
    result = review_workbook(quirky(tmp_path / "q.xlsx", **variant))
    (sheet,) = result.sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]
    assert (sheet.total, sheet.grade) == (Decimal("96.12"), "优")
    assert sheet.title == "P001 国土空间规划编制"


def test_a_wrong_subtotal_and_a_text_total_are_found(tmp_path: Path) -> None:
    path = quirky(tmp_path / "q.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book[SHEET]["G16"] = 50  # 产出指标小计: its rows add to 48.95
    book.save(path)
    (sheet,) = review_workbook(path).sheets
    assert [(f.id, f.where, f.claimed, f.computed) for f in sheet.findings] == [
        ("subtotal-contradicts-rows", f"{SHEET}!G16", "50", "48.95"),
    ]


@pytest.mark.django_db
def test_the_quirky_table_imports_into_the_stored_year(
    tmp_path: Path, small_year_text: str
) -> None:
    store_text(small_year_text)
    path = quirky(tmp_path / "q.xlsx", unit="元")
    result = import_workbook(path)
    assert result.department_code == "test-dept" and result.year == 2024
    goal = next(g for g in export_dataset("test-dept", 2024).goals if g.project == "P001")
    timely = next(i for i in goal.indicators if i.level3 == "按期完成率")
    assert (timely.target, timely.actual, timely.weight) == ("＞＝９５％", "90％", Decimal(20))
    assert (timely.deviation_reason, timely.improvement) == ("报批流程延长", "提前启动报批")
    satisfied = next(i for i in goal.indicators if i.level3 == "群众满意度")
    assert satisfied.actual == "93%"
    assert goal.claimed.total is None  # the table agrees with the rules: no claim is kept
    assert not import_workbook(path).changed


def department_table(path: Path, execution_score: Any = 9.5) -> Path:
    """A 部门整体支出绩效自评表 as 财预〔2020〕10号 lays it out: the year's budget execution
    (with its 10 points) over the department's own indicators, no common indicators."""
    book = Workbook()
    sheet = book.active
    sheet.title = "部门整体"
    rows: list[list[Any]] = [
        ["部门整体支出绩效自评表"],
        ["（2024年度）"],
        ["部门（单位）名称", "测试区测试局"],
        [
            "年度部门整体支出预算执行情况（万元）",
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        ["年度资金总额", None, 900, 920, 874, 10, "95%", execution_score],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        ["产出指标", "数量指标", "控规调整项目数", "≥3项", "3项", 50, 50],
        ["效益指标", "社会效益指标", "规划管控作用", "效果明显", "达成年度指标", 30, 27],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10],
        ["总分", None, None, None, None, 100, 96.5],
        ["评价等级", None, None, None, None, "优"],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_department_table_with_its_budget_execution_is_reviewed_whole(tmp_path: Path) -> None:
    (sheet,) = review_workbook(department_table(tmp_path / "d.xlsx")).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]
    assert (sheet.total, sheet.grade, sheet.title) == (Decimal("96.5"), "优", "测试区测试局")
    # 9.5 printed as an integer is 10 (its printed precision): the wrong score is 5
    (sheet,) = review_workbook(department_table(tmp_path / "e.xlsx", execution_score=5)).sheets
    assert [(f.id, f.where) for f in sheet.findings] == [
        ("execution-score-wrong", "部门整体!H5"),
        ("total-not-sum-of-rows", "部门整体!G10"),
    ]
