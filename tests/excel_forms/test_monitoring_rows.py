"""Monitoring forms reviewed in full: the MoF 项目支出绩效目标执行监控表 (财预〔2019〕136号) with
its 项目资金（万元） block, and the indicator rows of the MoF and provincial forms (forecast
against target, its 偏差原因, the rows that cannot be read)."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.layout_files import load_layouts
from jixiao.interchange.excel.review import ReviewResult, review_lines, review_workbook
from jixiao.interchange.excel.workbook import read_workbook

MOF_FUNDS_HEADER = ["项目资金（万元）", "年初预算数", "全年预算数", "1-7月执行数", "1-7月执行率",
                    "全年预计执行数"]  # fmt: skip
MOF_INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值",
                        "全年预计完成值", "偏差原因说明", "完成目标可能性", "备注"]  # fmt: skip


def mof_form() -> list[list[Any]]:
    """A correct 执行监控表: 300.00 万元 budgeted (年初 280.00), 186.40 spent by 31 July."""
    return [
        ["项目支出绩效目标执行监控表"],
        ["（2023年度，截至2023年7月31日）"],
        ["项目名称", "不动产登记业务运行"],
        ["主管部门及代码", "广州市规划和自然资源局荔湾区分局", None, "实施单位", "不动产登记中心"],
        list(MOF_FUNDS_HEADER),
        ["年度资金总额", 280.00, 300.00, 186.40, "62.13%", 295.00],
        ["其中：财政拨款", 250.00, 270.00, 170.20, "63.04%", 265.00],
        ["其他资金", 30.00, 30.00, 16.20, "54.00%", 30.00],
        ["年度总体目标", "年初设定目标", None, "1-7月实际完成情况", None, "全年预计完成情况"],
        [None, "保障不动产登记业务正常运行", None, "业务运行正常", None, "可完成"],
        list(MOF_INDICATOR_HEADER),
        ["产出指标", "数量指标", "办理登记业务量", "≥50000宗", "31200宗", "52000宗", None,
         "确定能", None],
        ["产出指标", "时效指标", "一般登记办结时限", "≤5个工作日", "4个工作日", "4个工作日", None,
         "确定能", None],
        ["效益指标", "社会效益指标", "群众办事便利度", "明显提升", "有所提升", "达成年度指标",
         None, "确定能", None],
        ["满意度指标", "服务对象满意度指标", "办事群众满意度", "≥90%", "88%", "88.5%",
         "上半年系统切换排队较长", "有可能", None],
    ]  # fmt: skip


def save(
    path: Path, lines: list[list[Any]], formats: dict[tuple[int, int], str] | None = None
) -> Path:
    """Write the lines (row 1 first); ``formats``: number formats by 1-based (row, column)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "监控表"
    for line in lines:
        sheet.append(line)
    for (row, col), number_format in (formats or {}).items():
        sheet.cell(row=row, column=col).number_format = number_format
    book.save(path)
    return path


def _ids(result: ReviewResult) -> Counter[str]:
    return Counter(f.id for f in result.findings)


def _row(lines: list[list[Any]], first: str) -> list[Any]:
    return next(line for line in lines if line and line[0] == first)


def _indicator(lines: list[list[Any]], name: str) -> list[Any]:
    return next(line for line in lines if len(line) > 2 and line[2] == name)


def test_the_mof_form_reads_its_funds_block_from_the_layout(tmp_path: Path) -> None:
    (form,) = read_forms(read_workbook(save(tmp_path / "m.xlsx", mof_form())))
    assert form.read_as == "按版式“财政部项目支出绩效目标执行监控表”读取"
    assert not form.problems
    assert form.funds is not None and len(form.funds.rows) == 3
    total = form.funds.rows[0].values
    figures = (total["final_budget"], total["executed"], total["projected"])
    assert figures == (3000000, 1864000, 2950000)


def test_a_correct_mof_form_raises_nothing(tmp_path: Path) -> None:
    result = review_workbook(save(tmp_path / "m.xlsx", mof_form()))
    assert result.clean, review_lines(result)
    (sheet,) = result.sheets
    assert sheet.summary == (
        "按表中金额计算：执行率 62.13%；绩效指标：预计完成 3 项，预计未完成 1 项"
    )


def _rate_wrong(lines: list[list[Any]]) -> None:
    _row(lines, "年度资金总额")[4] = "66.57%"  # 186.40 ÷ 280.00: the 年初 budget used


def _unfooted(lines: list[list[Any]]) -> None:
    part = _row(lines, "其中：财政拨款")
    part[3], part[4] = 160.20, "59.33%"  # 170.20 typed 160.20, its rate following it


def _below_executed(lines: list[list[Any]]) -> None:
    _row(lines, "其他资金")[5] = 15.00  # 16.20 spent already
    _row(lines, "年度资金总额")[5] = 280.00  # still 265.00 + 15.00


def _above_budget(lines: list[list[Any]]) -> None:
    _row(lines, "其中：财政拨款")[5] = 275.00  # 270.00 budgeted
    _row(lines, "其他资金")[5] = 20.00


def _missed_unexplained(lines: list[list[Any]]) -> None:
    _indicator(lines, "办理登记业务量")[5] = "48000宗"


def _likelihood_missing(lines: list[list[Any]]) -> None:
    _indicator(lines, "办事群众满意度")[7] = None


def _forecast_unreadable(lines: list[list[Any]]) -> None:
    _indicator(lines, "办理登记业务量")[5] = "预计与上年持平"


def _forecast_blank(lines: list[list[Any]]) -> None:
    _indicator(lines, "一般登记办结时限")[5] = None


def _forecast_says_done(lines: list[list[Any]]) -> None:
    _indicator(lines, "办理登记业务量")[5] = "完成"


def _forecast_other_unit(lines: list[list[Any]]) -> None:
    _indicator(lines, "办理登记业务量")[5] = "52000公里"


def _name_blank(lines: list[list[Any]]) -> None:
    _indicator(lines, "一般登记办结时限")[2] = None


MISTAKES = {
    "rate-wrong": (_rate_wrong, "monitoring-rate-wrong"),
    "unfooted": (_unfooted, "funds-total-not-sum-of-rows"),
    "below-executed": (_below_executed, "monitoring-forecast-below-executed"),
    "above-budget": (_above_budget, "monitoring-forecast-above-budget"),
    "missed-unexplained": (_missed_unexplained, "monitoring-deviation-unexplained"),
    "likelihood-missing": (_likelihood_missing, "monitoring-likelihood-missing"),
    "forecast-unreadable": (_forecast_unreadable, "monitoring-row-unverifiable"),
    "forecast-blank": (_forecast_blank, "monitoring-row-unverifiable"),
    "forecast-says-done": (_forecast_says_done, "monitoring-row-unverifiable"),
    "forecast-other-unit": (_forecast_other_unit, "monitoring-row-unverifiable"),
    "name-blank": (_name_blank, "monitoring-row-unverifiable"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_seeded_mistake_is_caught_exactly_once(mistake: str, tmp_path: Path) -> None:
    lines = mof_form()
    seed, expected = MISTAKES[mistake]
    seed(lines)
    result = review_workbook(save(tmp_path / "m.xlsx", lines))
    assert _ids(result) == Counter({expected: 1}), review_lines(result)
    (finding,) = result.findings
    assert finding.where.startswith("监控表!") and finding.where[-1].isdigit()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.message)


def test_where_the_findings_point(tmp_path: Path) -> None:
    lines = mof_form()
    _missed_unexplained(lines)
    (finding,) = review_workbook(save(tmp_path / "m.xlsx", lines)).findings
    assert finding.where == "监控表!G12"  # the blank 偏差原因说明 of the row
    assert finding.location == "产出指标/数量指标/办理登记业务量"
    assert "“48000宗”达不到年度指标值“≥50000宗”" in finding.message
    assert finding.rule == "全年预计完成值未达到年度指标值时，须说明偏差原因"
    lines = mof_form()
    _forecast_unreadable(lines)
    (finding,) = review_workbook(save(tmp_path / "u.xlsx", lines)).findings
    assert finding.where == "监控表!F12" and finding.message.startswith("无法核实：")
    lines = mof_form()
    _below_executed(lines)
    (finding,) = review_workbook(save(tmp_path / "b.xlsx", lines)).findings
    assert finding.where == "监控表!F8"
    assert (finding.claimed, finding.computed) == ("15万元", "16.2万元")


def test_a_row_the_reader_refuses_is_unverifiable_once(tmp_path: Path) -> None:
    lines = mof_form()
    _indicator(lines, "办理登记业务量")[3] = "=50000宗"  # typed into a General cell: a formula
    result = review_workbook(save(tmp_path / "m.xlsx", lines))
    assert _ids(result) == Counter({"cell-unreadable": 1}), review_lines(result)
    assert "无法核实 1 项" in result.sheets[0].summary


def test_a_forecast_shown_as_a_whole_percent_is_compared_as_shown(tmp_path: Path) -> None:
    lines = mof_form()
    row = _indicator(lines, "办事群众满意度")
    row[5], row[6], row[7] = 0.8996, None, "确定能"  # shows 90%: meets ≥90%
    shown = save(tmp_path / "shown.xlsx", lines, {(15, 6): "0%"})
    assert review_workbook(shown).clean, review_lines(review_workbook(shown))
    two = save(tmp_path / "two.xlsx", lines, {(15, 6): "0.00%"})  # shows 89.96%: short of it
    assert _ids(review_workbook(two)) == Counter({"monitoring-deviation-unexplained": 1})


def test_lower_is_better_and_qualitative_rows(tmp_path: Path) -> None:
    lines = mof_form()
    _indicator(lines, "一般登记办结时限")[5] = "6个工作日"  # ≤5: six is short of it
    _indicator(lines, "群众办事便利度")[5] = "部分达成年度指标并具有一定效果"
    ids = _ids(review_workbook(save(tmp_path / "m.xlsx", lines)))
    assert ids == Counter({"monitoring-deviation-unexplained": 2})


# --- the provincial form's rows, and a layout variant as data only --------------------------

PROVINCE_INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况",
                             "全年预计完成情况", "偏差原因分析", "改进措施", "完成目标可能性",
                             "备注"]  # fmt: skip


def province_form() -> list[list[Any]]:
    return [
        ["2023年度项目支出绩效监控表（截至2023年7月31日）"],
        ["项目代码", "LW23-P09", None, "项目名称", "违法用地整治"],
        ["项目资金（万元）", "年初预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"],
        ["年度资金总额", 251.89, 160.00, "63.52%", 251.89],
        list(PROVINCE_INDICATOR_HEADER),
        ["产出指标", "质量指标", "历史存量违法用地整改率", "≥90%", "80%", "86%",
         "拆除复耕须协调补偿", "下半年集中攻坚", "有可能", None],
        ["产出指标", "数量指标", "整治图斑数量", "≥120个", "70个", "125个", None, None, "确定能",
         None],
    ]  # fmt: skip


def test_the_provincial_rows_correct_and_with_improvement_missing(tmp_path: Path) -> None:
    result = review_workbook(save(tmp_path / "ok.xlsx", province_form()))
    assert result.clean, review_lines(result)
    assert result.sheets[0].summary.endswith("绩效指标：预计完成 1 项，预计未完成 1 项")
    lines = province_form()
    lines[5][7] = None
    result = review_workbook(save(tmp_path / "m.xlsx", lines))
    assert _ids(result) == Counter({"monitoring-improvement-missing": 1}), review_lines(result)
    assert result.findings[0].where == "监控表!H6"
    assert result.findings[0].rule == "全年预计完成值未达到年度指标值时，须填写改进措施"


OPERATOR_COLUMNS = """
      operator:
        label: 指标性质
        synonyms: [计算符号]
        type: operator
      unit:
        label: 度量单位
        synonyms: [计量单位]
    order: [level1, level2, level3, operator, target, unit, progress, projected, reason,
            improvement, likelihood, note]"""


def test_a_layout_with_operator_and_unit_columns_added_as_data(tmp_path: Path) -> None:
    shipped = resources.files("jixiao").joinpath("rules", "layouts", "province-monitoring.yaml")
    text = shipped.read_text(encoding="utf-8")
    order = text[text.index("    order: [level1, level2, level3, target"):text.index("  funds:")]
    own = (
        text.replace("id: province-monitoring", "id: county-monitoring")
        .replace("name: 省级项目支出绩效监控表", "name: 某县项目支出绩效监控表")
        .replace("identify:\n  headers: [全年预计完成情况, 完成目标可能性]",
                 "identify:\n  headers: [全年预计完成情况, 完成目标可能性, 度量单位]")
        .replace(order, OPERATOR_COLUMNS.lstrip("\n") + "\n")
    )  # fmt: skip
    layout = tmp_path / "county-monitoring.yaml"
    layout.write_text(own, encoding="utf-8")
    lines = [
        ["2023年度项目支出绩效监控表（截至2023年7月31日）"],
        ["项目名称", "违法用地整治"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "1-7月执行情况",
         "全年预计完成情况", "偏差原因分析", "改进措施", "完成目标可能性", "备注"],
        ["产出指标", "数量指标", "整治图斑数量", "≥", 120, "个", 70, 125, None, None, "确定能",
         None],
        ["产出指标", "质量指标", "整改率", "≥", 90, "%", 80, 86, None, None, "有可能", None],
        ["效益指标", "社会效益指标", "群众投诉量", "≤", 10, "起", 4, 12, "新增举报渠道", "加强巡查",
         "有可能", None],
    ]  # fmt: skip
    path = save(tmp_path / "m.xlsx", lines)
    (form,) = read_forms(read_workbook(path), load_layouts([layout]))
    assert form.read_as == "按版式“某县项目支出绩效监控表”读取"
    assert [r.values["target"] for r in form.indicators.rows] == ["≥120个", "≥90%", "≤10起"]
    result = review_workbook(path, layouts=[layout])
    assert _ids(result) == Counter(
        {"monitoring-deviation-unexplained": 1, "monitoring-improvement-missing": 1}
    ), review_lines(result)
    assert {f.where for f in result.findings} == {"监控表!I5", "监控表!J5"}


def test_the_form_as_136_prints_it_with_merged_group_cells(tmp_path: Path) -> None:
    """The attachment's own look: 项目资金（万元） and 绩效指标 in merged cells on the left,
    the row labels and the indicator header beside them."""
    lines = mof_form()
    funds_header = lines.index(MOF_FUNDS_HEADER)
    indicator_header = lines.index(MOF_INDICATOR_HEADER)
    for n, line in enumerate(lines):
        if funds_header <= n < funds_header + 4:
            line.insert(0, "项目资金（万元）" if n == funds_header else None)
            if n == funds_header:
                line[1] = None
        elif n >= indicator_header:
            line.insert(0, "绩效指标" if n == indicator_header else None)
    path = save(tmp_path / "m.xlsx", lines)
    book = load_workbook(path)
    sheet = book.active
    sheet.merge_cells(f"A{funds_header + 1}:A{funds_header + 4}")
    sheet.merge_cells(f"A{indicator_header + 1}:A{len(lines)}")
    book.save(path)
    result = review_workbook(path)
    assert result.clean, review_lines(result)
    assert result.sheets[0].summary == (
        "按表中金额计算：执行率 62.13%；绩效指标：预计完成 3 项，预计未完成 1 项"
    )
    row = next(line for line in lines if len(line) > 3 and line[3] == "办理登记业务量")
    row[6] = "48000宗"  # one column right of before
    path = save(tmp_path / "n.xlsx", lines)
    assert _ids(review_workbook(path)) == Counter({"monitoring-deviation-unexplained": 1})


def test_a_forecast_printed_as_a_share_of_the_target(tmp_path: Path) -> None:
    """jixiao's own monitoring workbook prints 全年预计完成值（占年度指标值）: 104% is met."""
    lines = mof_form()
    header = lines.index(MOF_INDICATOR_HEADER)
    lines[header][5] = "全年预计完成值（占年度指标值）"
    shares = {"办理登记业务量": 1.04, "一般登记办结时限": 1.0, "办事群众满意度": 0.9833}
    for name, share in shares.items():
        _indicator(lines, name)[5] = share
    _indicator(lines, "群众办事便利度")[5] = "100.00%"
    formats = {(header + n, 6): "0.00%" for n in range(2, 6)}
    result = review_workbook(save(tmp_path / "m.xlsx", lines, formats))
    assert result.clean, review_lines(result)
    assert result.sheets[0].summary.endswith("预计完成 3 项，预计未完成 1 项")
    _indicator(lines, "办理登记业务量")[5] = 0.96
    result = review_workbook(save(tmp_path / "n.xlsx", lines, formats))
    assert _ids(result) == Counter({"monitoring-deviation-unexplained": 1}), review_lines(result)
    (finding,) = result.findings
    assert finding.message.startswith("全年预计完成值占年度指标值96%，未达到100%，应填写偏差原因")
    assert "≥" not in finding.message  # not set against the target's own figure


def test_the_forecast_bounds_are_taken_at_its_printed_precision(tmp_path: Path) -> None:
    lines = mof_form()
    _row(lines, "其他资金")[5] = "16"  # 16.20 spent: at whole 万元, 16 is not below it
    _row(lines, "年度资金总额")[5] = 281.00
    result = review_workbook(save(tmp_path / "m.xlsx", lines))
    assert result.clean, review_lines(result)
    _row(lines, "其他资金")[5] = "16.0"
    result = review_workbook(save(tmp_path / "n.xlsx", lines))
    assert _ids(result) == Counter({"monitoring-forecast-below-executed": 1}), review_lines(result)
