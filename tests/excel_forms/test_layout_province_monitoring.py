"""A provincial 项目支出绩效监控表 (1-X月执行情况, 全年预计完成情况, a funds block of 年初预算数 /
1-X月执行数 / 执行率 / 全年预计执行数): read by its layout file, reviewed as printed, imported
where the MoF monitoring form is; and the same layout added as a data file only."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.layout_files import load_layouts
from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import store_demo
from tests.excel_forms.layout_forms import xlsx

FUNDS_HEADER = ["项目资金（万元）", "年初预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"]
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况",
                    "全年预计完成情况", "偏差原因分析", "完成目标可能性", "备注"]  # fmt: skip


def _form(
    total: list[Any] | None = None, appropriation: list[Any] | None = None, name: str = "整治"
) -> list[list[Any]]:
    return [
        ["2023年度项目支出绩效监控表（截至2023年7月31日）"],
        ["项目代码", "LW23-P09", None, "项目名称", name],
        ["主管部门", "广州市规划和自然资源局荔湾区分局"],
        FUNDS_HEADER,
        total or ["年度资金总额", 251.89, 160.00, "63.52%", 251.89],
        appropriation or ["其中：本年财政拨款", 200.00, 130.00, "65.00%", 200.00],
        ["上年结转资金", 51.89, 30.00, "57.81%", 51.89],
        ["年度总体目标", "年初设定目标", None, "1-7月实际完成情况", None, "全年预计完成情况"],
        [None, "完成历史存量违法用地整治", None, "已整治八成", None, "可完成"],
        INDICATOR_HEADER,
        ["产出指标", "质量指标", "历史存量违法用地整改率", "≥90%", "80%", "92%",
         "拆除复耕须协调补偿", "确定能", None],
    ]  # fmt: skip


def test_the_provincial_form_is_read_by_its_layout(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", ("监控表", _form()))
    (form,) = read_forms(read_workbook(path))
    assert form.read_as == "按版式“省级项目支出绩效监控表”读取"
    assert not form.problems
    assert form.as_of is not None and form.as_of.value == date(2023, 7, 31)
    (row,) = form.indicators.rows
    assert (row.values["target"], row.values["progress"], row.values["likelihood"]) == (
        "≥90%", "80%", "确定能",
    )  # fmt: skip
    assert form.funds is not None and len(form.funds.rows) == 3
    assert form.funds.rows[0].values["executed"] == 1600000


def test_a_correct_form_passes_review_also_at_integer_precision(tmp_path: Path) -> None:
    exact = xlsx(tmp_path / "exact.xlsx", ("监控表", _form()))
    whole = xlsx(
        tmp_path / "whole.xlsx",
        ("监控表", _form(["年度资金总额", 251.89, 160.00, "64%", 251.89],
                         ["其中：本年财政拨款", 200.00, 130.00, "65%", 200.00])),
    )  # fmt: skip
    for path in (exact, whole):
        result = review_workbook(path)
        assert result.clean, review_lines(result)
        (sheet,) = result.sheets
        assert sheet.read_as == "按版式“省级项目支出绩效监控表”读取"
        assert sheet.summary == "按表中金额计算：执行率 63.52%；绩效指标：预计完成 1 项"


def test_the_summary_rate_is_rounded_half_up(tmp_path: Path) -> None:
    path = xlsx(  # 24.69 ÷ 200.00 = 12.345%
        tmp_path / "half.xlsx", ("监控表", _form(["年度资金总额", 200.00, 24.69, "12.35%", 200.00]))
    )
    (sheet,) = review_workbook(path).sheets
    assert sheet.summary.startswith("按表中金额计算：执行率 12.35%；")


def test_a_wrong_rate_and_an_unfooted_total_are_found(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "wrong.xlsx",
        ("监控表", _form(["年度资金总额", 251.89, 160.00, "60.00%", 251.89],
                         ["其中：本年财政拨款", 200.00, 120.00, "60.00%", 200.00])),
    )  # fmt: skip
    findings = {(f.id, f.where): f for f in review_workbook(path).findings}
    rate = findings[("monitoring-rate-wrong", "监控表!D5")]
    assert rate.claimed == "60%" and rate.computed == "63.52%"
    assert "按填报精度（2位小数）比较" in rate.message
    footed = findings[("funds-total-not-sum-of-rows", "监控表!C5")]
    assert footed.claimed == "160万元" and footed.computed == "150万元"
    assert ("monitoring-rate-wrong", "监控表!D6") not in findings  # 120 ÷ 200 = 60.00%


def test_a_zero_total_over_filled_parts_is_found(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "zero.xlsx", ("监控表", _form(["年度资金总额", 251.89, 0, "0.00%", 251.89]))
    )
    ids = {(f.id, f.where) for f in review_workbook(path).findings}
    assert ("funds-total-not-sum-of-rows", "监控表!C5") in ids
    assert ("funds-total-not-sum-of-rows", "监控表!B5") not in ids


@pytest.mark.django_db
def test_the_provincial_form_imports_progress_like_the_mof_form(tmp_path: Path) -> None:
    store_demo()
    path = xlsx(tmp_path / "m.xlsx", ("监控表", _form()))
    result = import_workbook(path, dry_run=True)
    assert result.counts()["指标进度"] in (  # the demo may hold progress at that date already
        {"added": 1, "changed": 0, "removed": 0},
        {"added": 0, "changed": 1, "removed": 0},
    )
    assert result.read_as == ("监控表：按版式“省级项目支出绩效监控表”读取",)
    import_workbook(path)
    goal = next(g for g in export_dataset("liwan-ghzy", 2023).goals if g.project == "LW23-P09")
    indicator = next(i for i in goal.indicators if i.level3 == "历史存量违法用地整改率")
    entry = next(p for p in indicator.progress if p.date == date(2023, 7, 31))
    assert (entry.value, entry.likelihood, entry.reason) == ("80%", "确定能", "拆除复耕须协调补偿")
    assert not import_workbook(path).changed


def test_the_layout_added_as_a_data_file_only(tmp_path: Path) -> None:
    shipped = resources.files("jixiao").joinpath("rules", "layouts", "province-monitoring.yaml")
    text = shipped.read_text(encoding="utf-8")
    own = text.replace("id: province-monitoring", "id: city-monitoring").replace(
        "name: 省级项目支出绩效监控表", "name: 某市项目支出绩效监控表"
    )
    layout = tmp_path / "city-monitoring.yaml"
    layout.write_text(own, encoding="utf-8")
    path = xlsx(tmp_path / "m.xlsx", ("监控表", _form()))
    (form,) = read_forms(read_workbook(path), load_layouts([layout]))
    assert form.read_as == "按版式“某市项目支出绩效监控表”读取"
    (sheet,) = review_workbook(path, layouts=[layout]).sheets
    assert sheet.read_as == "按版式“某市项目支出绩效监控表”读取" and not sheet.findings


def test_the_labels_above_the_table_are_data(tmp_path: Path) -> None:
    shipped = resources.files("jixiao").joinpath("rules", "layouts", "province-monitoring.yaml")
    own = shipped.read_text(encoding="utf-8").replace(
        "base: mof-monitoring\n",
        "base: mof-monitoring\nlabels:\n  project_name: [监控项目]\n  year: [年度]\n",
    )
    layout = tmp_path / "province-monitoring.yaml"
    layout.write_text(own, encoding="utf-8")
    rows = _form()
    rows[1] = ["监控项目", "违法用地图斑整治"]
    path = xlsx(tmp_path / "m.xlsx", ("监控表", rows))
    (shipped_read,) = read_forms(read_workbook(path))
    assert shipped_read.label("project_name") is None
    (form,) = read_forms(read_workbook(path), load_layouts([layout]))
    name = form.label("project_name")
    assert name is not None and name.value == "违法用地图斑整治" and name.where == "监控表!B2"
    department = form.label("department_name")  # the keys it does not state are inherited
    assert department is not None and department.value == "广州市规划和自然资源局荔湾区分局"
    layout.write_text(own.replace("  year: [年度]", "  years: [年度]"), encoding="utf-8")
    with pytest.raises(InputRejected) as refused:
        load_layouts([layout])
    (problem,) = refused.value.problems
    assert problem.where == f"{layout}：labels.years" and "不是能用的标签" in problem.message


@pytest.mark.parametrize("mistake", ["rate-wrong", "zero-total", "missed-unexplained"])
def test_forms_printed_one_below_the_other_are_reviewed_each(
    mistake: str, tmp_path: Path
) -> None:
    """Two projects' forms on one sheet, a mistake in the second: each form is read on its
    own (its title, labels, funds block and rows), the mistake reported once, in the second
    form's rows (as ``test_real_variants`` checks a monitoring form's mistakes)."""
    from tests.excel_forms.real_variants import (
        MONITORING_MISTAKES,
        monitoring_lines,
        save_monitoring,
    )

    first, second = monitoring_lines(), monitoring_lines()
    for line in second:
        line[:] = ["LW23-P07" if value == "LW23-P09" else value for value in line]
    seed, expected = MONITORING_MISTAKES[mistake]
    seed(second)
    path = save_monitoring([*first, [], *second], tmp_path / "two.xlsx")
    result = review_workbook(path)
    assert len(result.sheets) == 2
    assert result.sheets[0].findings == (), "\n".join(review_lines(result))
    found = [(f.id, f.where) for f in result.sheets[1].findings]
    ((_, where),) = [(id_, where) for id_, where in found if id_ == expected]
    assert int(where.split("!")[1].lstrip("ABCDEFGHIJ")) > len(first) + 1, where
    assert len(found) == len(set(found))
