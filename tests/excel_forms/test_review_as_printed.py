"""jixiao review checks what a form prints, as printed: at its printed precision, with its
其中 rows footed, unreadable rows never dropped from a sum, sub-rows scored, the form's own
targets and the indicator's direction.

The forms are built here the way units fill the standard 项目支出绩效自评表 (财预〔2020〕10号
附件): a funds block in 万元 with 其中 rows, the indicator table, 总分 and 评价等级.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.rule_files import load_rule_set

SHEET = "P010"
FUNDS_HEADER = [
    "项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
]  # fmt: skip
INDICATOR_HEADER = [
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
    "偏差原因分析及改进措施",
]  # fmt: skip
# 100 万元 budgeted, 86.2 万元 spent: 86.20 %, 8.62 points; the rows earn 86.
FUNDS = [
    ["年度资金总额", None, 100, 100, 86.2, 10, 0.862, 8.62],
    ["其中：本年财政拨款", None, 100, 100, 86.2],
    ["上年结转资金", None, 0, 0, 0],
    ["其他资金", None, None, None, None],
]
ROWS = [
    ["产出指标", "数量指标", "完成确权登记宗数", "≥500宗", "520宗", 20, 20],
    ["产出指标", "质量指标", "登记差错率", "≤1%", "0.5%", 15, 15],
    ["产出指标", "时效指标", "按期办结率", "≥95%", "96%", 15, 15],
    ["效益指标", "社会效益指标", "群众办事便利度", "明显提升", "达成年度指标", 30, 28],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10],
]


def project_form(
    path: Path,
    *,
    funds: list[list[Any]] | None = None,
    rows: list[list[Any]] | None = None,
    weight_total: Any = 100,
    total: Any = 96.62,
    grade: str = "优",
    formats: dict[str, str] | None = None,
) -> Path:
    """A 项目支出绩效自评表 as a unit fills it; ``formats`` sets number formats by cell."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    funds = FUNDS if funds is None else funds
    rows = ROWS if rows is None else rows
    lines: list[list[Any]] = [
        ["项目支出绩效自评表"],
        ["（2024年度）"],
        ["项目名称", "不动产登记业务运行", None, None, "项目代码", SHEET],
        ["主管部门", "测试区测试局", None, None, "实施单位", "登记中心"],
        FUNDS_HEADER,
        *funds,
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        ["年度总体目标", "完成年度登记任务。", None, None, "已完成。"],
        INDICATOR_HEADER,
        *rows,
        ["总分", None, None, None, None, weight_total, total],
        ["评价等级", None, None, None, None, grade],
    ]
    for line in lines:
        sheet.append(line)
    rate = sheet.cell(row=6, column=7)
    if isinstance(rate.value, float):
        rate.number_format = "0.00%"
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    book.save(path)
    return path


def findings(path: Path, rules: Any = None) -> list[tuple[str, str, str, str]]:
    (sheet,) = review_workbook(path, rules).sheets
    return [(f.id, f.where, f.claimed, f.computed) for f in sheet.findings]


def messages(path: Path) -> dict[str, str]:
    (sheet,) = review_workbook(path).sheets
    return {f.id: f.message for f in sheet.findings}




def test_a_correct_form_gives_no_finding(tmp_path: Path) -> None:
    (sheet,) = review_workbook(project_form(tmp_path / "ok.xlsx")).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]
    assert (sheet.total, sheet.grade) == (Decimal("96.62"), "优")


# --- 其中 rows ---------------------------------------------------------------------------


def test_a_total_left_at_zero_over_a_filled_part_is_flagged(tmp_path: Path) -> None:
    funds = [["年度资金总额", None, 0, 0, 0, 10, 0.862, 8.62], *FUNDS[1:]]
    found = findings(project_form(tmp_path / "zero.xlsx", funds=funds))
    assert found == [
        ("funds-total-not-sum-of-rows", f"{SHEET}!C6", "0.00万元", "100.00万元"),
        ("funds-total-not-sum-of-rows", f"{SHEET}!D6", "0.00万元", "100.00万元"),
        ("funds-total-not-sum-of-rows", f"{SHEET}!E6", "0.00万元", "86.20万元"),
    ]
    assert "总额一行未填写" in messages(tmp_path / "zero.xlsx")["funds-total-not-sum-of-rows"]


def test_a_correct_total_whose_other_parts_are_blank_or_zero_is_not_reported(
    tmp_path: Path,
) -> None:
    """The 其中 row that carries the money is read: no “计算 0.00万元” for a correct total."""
    assert findings(project_form(tmp_path / "ok.xlsx")) == []


def test_parts_that_do_not_add_up_are_flagged_and_rounding_gaps_are_not(tmp_path: Path) -> None:
    split = [
        FUNDS[0],
        ["其中：本年财政拨款", None, 33.33, 33.33, 28.73],
        ["上年结转资金", None, 66.66, 66.66, 57.46],  # 99.99 and 86.19: rounding gaps
        ["其他资金", None, 0, 0, 0],
    ]
    assert findings(project_form(tmp_path / "gap.xlsx", funds=split)) == []
    split[2] = ["上年结转资金", None, 66.66, 60.66, 57.46]  # 全年预算数 6 万元 short
    assert findings(project_form(tmp_path / "short.xlsx", funds=split)) == [
        ("funds-total-not-sum-of-rows", f"{SHEET}!D6", "100.00万元", "93.99万元"),
    ]


def test_a_sub_row_with_its_own_rate_and_score_is_scored(tmp_path: Path) -> None:
    """基本支出 at 92.87 % printed with the full 10 points is found; 项目支出 is right."""
    funds = [
        ["年度资金总额", None, 375, 375, 341.59, 10, 0.9109, 9.11],
        ["其中：基本支出", None, 275, 275, 255.39, 10, 0.9287, 10],
        ["项目支出", None, 100, 100, 86.2, 10, 0.862, 8.62],
    ]
    found = findings(project_form(tmp_path / "sub.xlsx", funds=funds, total=97.11))
    assert found == [("funds-part-score-wrong", f"{SHEET}!H7", "10", "9.29")]


# --- printed precision -----------------------------------------------------------------


def integer_form(path: Path, score: Any = 9, score_format: str = "0", total: Any = 97) -> Path:
    """Rates and scores printed as whole numbers: 86.20 % as “86%”, 8.62 as “9”."""
    funds = [["年度资金总额", None, 100, 100, 86.2, 10, 0.862, score], *FUNDS[1:]]
    return project_form(
        path, funds=funds, total=total, formats={"G6": "0%", "H6": score_format, "G18": "0"}
    )


def test_a_form_printed_at_integer_precision_passes(tmp_path: Path) -> None:
    (sheet,) = review_workbook(integer_form(tmp_path / "int.xlsx")).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]


def test_a_whole_number_total_is_held_to_its_rows(tmp_path: Path) -> None:
    """Rows printed as whole numbers that agree with the rules stand for the scores they
    round: 96.62 may be printed 97, not 98."""
    found = findings(integer_form(tmp_path / "98.xlsx", total=98))
    assert found == [("total-not-sum-of-rows", f"{SHEET}!G18", "98", "96.62")]


def test_a_rate_and_a_score_typed_as_text_are_compared_as_written(tmp_path: Path) -> None:
    funds = [["年度资金总额", None, 100, 100, 86.2, 10, "86%", "9"], *FUNDS[1:]]
    assert findings(project_form(tmp_path / "text.xlsx", funds=funds, total="97")) == []
    funds[0][6] = "86.0%"  # one decimal: 86.2 % is 86.2, not 86.0
    found = findings(project_form(tmp_path / "text1.xlsx", funds=funds, total="97"))
    assert [f[0] for f in found] == ["execution-rate-wrong"]
    assert "按填报精度（1位小数）比较" in messages(tmp_path / "text1.xlsx")["execution-rate-wrong"]


def test_a_figure_printed_with_decimals_is_compared_with_them(tmp_path: Path) -> None:
    """The same 9 printed as “9.00” claims 9.00: 8.62 is then wrong, and the finding says
    at which precision it was compared."""
    path = integer_form(tmp_path / "dec.xlsx", score=9, score_format="0.00")
    found = findings(path)
    assert ("execution-score-wrong", f"{SHEET}!H6", "9", "8.62") in found
    assert "按填报精度（2位小数）比较" in messages(path)["execution-score-wrong"]


def test_a_rule_set_rounding_to_whole_numbers_does_not_round_what_is_printed_finer(
    tmp_path: Path,
) -> None:
    """rounding_places 0 rounds the scores the rules give; a rate printed 85.80 % for 86.20 %
    is still compared at its two decimals, not passed as 86 %."""
    whole = dataclasses.replace(load_rule_set("mof-2020-project"), rounding_places=0)
    assert findings(integer_form(tmp_path / "int.xlsx"), whole) == []
    funds = [["年度资金总额", None, 100, 100, 86.2, 10, 0.858, 9], *FUNDS[1:]]
    path = project_form(tmp_path / "rate.xlsx", funds=funds, total=97, formats={"H6": "0"})
    assert [f[:2] for f in findings(path, whole)] == [("execution-rate-wrong", f"{SHEET}!G6")]


# --- rows that cannot be read ---------------------------------------------------------------


def with_row(index: int, row: list[Any]) -> list[list[Any]]:
    rows = [list(r) for r in ROWS]
    rows[index] = row
    return rows


def test_an_unreadable_row_does_not_drop_out_of_the_sums(tmp_path: Path) -> None:
    """A correct form with one unreadable actual: only the unreadable cell is reported, no
    “填报 100，计算 85”, and the total is not computed without the row."""
    rows = with_row(2, ["产出指标", "时效指标", "按期办结率", "≥95%", "大部分按期", 15, 15])
    path = project_form(tmp_path / "unread.xlsx", rows=rows)
    (sheet,) = review_workbook(path).sheets
    assert [(f.id, f.where) for f in sheet.findings] == [("cell-unreadable", f"{SHEET}!E15")]
    assert sheet.total is None
    assert "按规则计算：评价不完整，未计总分" in "\n".join(review_lines(review_workbook(path)))


def test_weights_adding_to_110_under_a_total_of_100_are_flagged(tmp_path: Path) -> None:
    rows = [*ROWS, ["产出指标", "数量指标", "培训场次", "≥4场", "四场左右", 10, 10]]
    path = project_form(tmp_path / "110.xlsx", rows=rows, total=106.62)
    result = review_workbook(path)
    (sheet,) = result.sheets
    ids = [f.id for f in sheet.findings]
    assert "weights-not-100" in ids
    weights = next(f for f in sheet.findings if f.id == "weights-not-100")
    assert (weights.where, weights.claimed, weights.computed) == (f"{SHEET}!F19", "100", "110")
    assert f"{SHEET}!E18" in weights.message
    assert sheet.total is None
    assert "按规则计算：总分 100" not in "\n".join(review_lines(result))


def test_a_row_whose_weight_cannot_be_read_makes_the_sums_unverifiable(tmp_path: Path) -> None:
    rows = with_row(2, ["产出指标", "时效指标", "按期办结率", "≥95%", "96%", "十五", 15])
    (sheet,) = review_workbook(project_form(tmp_path / "w.xlsx", rows=rows)).sheets
    found = {f.id: f for f in sheet.findings}
    assert "weights-not-100" not in found
    assert found["weights-unverifiable"].where == f"{SHEET}!F18"
    assert "无法核实" in found["weights-unverifiable"].message
    assert f"{SHEET}!F15" in found["weights-unverifiable"].message


def test_groups_weighed_otherwise_than_the_rule_set_are_flagged_once_each(tmp_path: Path) -> None:
    rows = with_row(1, ["产出指标", "质量指标", "登记差错率", "≤1%", "0.5%", 25, 25])
    rows[3] = ["效益指标", "社会效益指标", "群众办事便利度", "明显提升", "达成年度指标", 20, 18]
    assert findings(project_form(tmp_path / "groups.xlsx", rows=rows)) == [
        ("group-weights-mismatch", f"{SHEET}!F13", "60", "50"),
        ("group-weights-mismatch", f"{SHEET}!F16", "20", "30"),
    ]


# --- direction --------------------------------------------------------------------------


def test_a_control_rate_without_operator_is_scored_lower_is_better(tmp_path: Path) -> None:
    rows = with_row(1, ["产出指标", "质量指标", "登记差错率", "1%", "0.5%", 15, 15])
    (sheet,) = review_workbook(project_form(tmp_path / "dir.xlsx", rows=rows)).sheets
    assert [(f.id, f.where, f.claimed, f.computed) for f in sheet.findings] == [
        ("direction-inferred", f"{SHEET}!D14", "1%", "≤1%"),
    ]
    assert "差错率" in sheet.findings[0].message and "推定" in sheet.findings[0].message
    assert sheet.total == Decimal("96.62")


def test_an_operator_written_is_never_overridden(tmp_path: Path) -> None:
    rows = with_row(1, ["产出指标", "质量指标", "登记差错率", "≥1%", "0.5%", 15, 15])
    found = findings(project_form(tmp_path / "ge.xlsx", rows=rows))
    assert found[0][0] == "full-marks-on-unmet-target"
    assert "direction-inferred" not in [f[0] for f in found]


# --- the department form's own targets ------------------------------------------------------


def department_form(path: Path, target: str, score: Any) -> Path:
    """A 部门整体支出绩效自评表 whose 预算完成率 row sets its own target."""
    book = Workbook()
    sheet = book.active
    sheet.title = "部门整体"
    lines: list[list[Any]] = [
        ["部门整体支出绩效自评表"],
        ["（2024年度）"],
        ["部门（单位）名称", "测试区测试局"],
        INDICATOR_HEADER,
        ["过程", "预算执行", "预算完成率", target, "75%", 10, score],
        ["产出指标", "数量指标", "控规调整项目数", "≥3项", "3项", 50, 50],
        ["效益指标", "社会效益指标", "规划管控作用", "效果明显", "达成年度指标", 30, 27],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10],
        ["总分", None, None, None, None, 100, 87 + score],
        ["评价等级", None, None, None, None, "优" if 87 + score >= 90 else "良"],
    ]
    for line in lines:
        sheet.append(line)
    book.save(path)
    return path


def test_the_department_forms_own_target_is_used(tmp_path: Path) -> None:
    (sheet,) = review_workbook(department_form(tmp_path / "own.xlsx", "≥70%", 10)).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]
    (sheet,) = review_workbook(department_form(tmp_path / "own7.xlsx", "≥70%", 7.5)).sheets
    (wrong,) = sheet.findings
    assert (wrong.id, wrong.claimed, wrong.computed) == ("indicator-score-off-rule", "7.5", "10")
    assert "按本表年度指标值≥70%计分" in wrong.rule


def test_without_a_target_of_its_own_the_framework_target_stands(tmp_path: Path) -> None:
    path = department_form(tmp_path / "fw.xlsx", "全年执行数÷全年预算数×100%", 7.5)
    (sheet,) = review_workbook(path).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]


def department_with_funds(path: Path, basic_score: Any) -> Path:
    """The 部门整体支出绩效自评表 of 10号: its budget execution over 基本支出 / 项目支出, each
    with its own 分值, 执行率 and 得分."""
    book = Workbook()
    sheet = book.active
    sheet.title = "部门整体"
    lines: list[list[Any]] = [
        ["部门整体支出绩效自评表"],
        ["（2024年度）"],
        ["部门（单位）名称", "测试区测试局"],
        ["年度部门整体支出预算执行情况（万元）", None, *FUNDS_HEADER[2:]],
        ["年度资金总额", None, 375, 375, 341.59, 10, "91.09%", 9.11],
        ["其中：基本支出", None, 275, 275, 255.39, 10, "92.87%", basic_score],
        ["项目支出", None, 100, 100, 86.2, 10, "86.20%", 8.62],
        INDICATOR_HEADER,
        ["产出指标", "数量指标", "控规调整项目数", "≥3项", "3项", 50, 50],
        ["效益指标", "社会效益指标", "规划管控作用", "效果明显", "达成年度指标", 30, 27],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10],
        ["总分", None, None, None, None, 100, 96.11],
        ["评价等级", None, None, None, None, "优"],
    ]
    for line in lines:
        sheet.append(line)
    book.save(path)
    return path


def test_the_department_forms_funds_sub_rows_are_footed_and_scored(tmp_path: Path) -> None:
    (sheet,) = review_workbook(department_with_funds(tmp_path / "ok.xlsx", 9.29)).sheets
    assert sheet.findings == (), [f.lines() for f in sheet.findings]
    (sheet,) = review_workbook(department_with_funds(tmp_path / "bad.xlsx", 10)).sheets
    assert [(f.id, f.where, f.claimed, f.computed) for f in sheet.findings] == [
        ("funds-part-score-wrong", "部门整体!H6", "10", "9.29"),
    ]


def test_an_unreadable_row_of_the_department_form_is_not_dropped(tmp_path: Path) -> None:
    path = department_with_funds(tmp_path / "d.xlsx", 9.29)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["部门整体"]["F9"] = "五十"  # 控规调整项目数: its 分值 cannot be read
    book.save(path)
    (sheet,) = review_workbook(path).sheets
    found = {f.id: f for f in sheet.findings}
    assert set(found) == {"cell-unreadable", "weights-unverifiable"}
    assert "部门整体!F9" in found["weights-unverifiable"].message
    assert sheet.total is None
