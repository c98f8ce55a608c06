"""A department-wide evaluation under mof-2013-dept: common indicators, 履职 indicators,
subtotals, total and grade; missing inputs; indicators declared not applicable."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.department_framework import (
    DepartmentEvaluation,
    evaluate_department,
    format_factor,
)
from jixiao.core.goals import PerformanceGoal
from jixiao.interchange.rule_files import load_rule_set
from tests.core.builders import liwan_year
from tests.department.forms import (
    COMPLETE_FORM,
    FULL_DUTIES,
    MOF_DEPT,
    MOF_PROJECT,
    form,
    indented,
)


def scores(evaluation: DepartmentEvaluation) -> dict[str, Decimal | None]:
    return {row.indicator.level3: row.score for row in evaluation.common}


def test_a_complete_form_is_scored_indicator_by_indicator() -> None:
    evaluation = form(COMPLETE_FORM).evaluate()
    assert scores(evaluation) == {
        "在职人员控制率": Decimal(3),
        "“三公经费”变动率": Decimal(3),
        "重点支出安排率": Decimal("3.75"),
        "预算完成率": Decimal("9.5"),
        "预算调整率": Decimal(5),
        "支付进度率": Decimal(4),
        "结转结余率": Decimal(4),
        "结转结余变动率": Decimal(2),
        "公用经费控制率": Decimal(3),
        "“三公经费”控制率": Decimal(4),
        "政府采购执行率": Decimal("3.8"),
    }
    assert [row.score for row in evaluation.duties] == [
        Decimal(20), Decimal(14), Decimal(10), Decimal(10),
    ]
    assert evaluation.level1_weights == {
        "投入": 10, "过程": 36, "产出指标": 34, "效益指标": 10, "满意度指标": 10,
    }
    assert evaluation.level1_scores == {
        "投入": Decimal("9.75"), "过程": Decimal("35.3"), "产出指标": 34, "效益指标": 10,
        "满意度指标": 10,
    }
    assert (evaluation.total, evaluation.grade) == (Decimal("99.05"), "优")
    assert evaluation.complete and evaluation.missing == () and evaluation.missing_inputs == ()
    assert evaluation.weight_total == 100
    assert (evaluation.rescale_factor, evaluation.duty_factor) == (1, 1)
    assert evaluation.findings == ()


def test_each_common_row_says_which_rule_it_applied() -> None:
    evaluation = form(COMPLETE_FORM).evaluate()
    rules = {row.indicator.level3: row.rule for row in evaluation.common}
    assert rules["预算完成率"] == (
        "预算完成率 = 950.00万元÷1,000.00万元 = 95.00%；"
        "低于目标值100%，按比例计分：95.00%÷100%×10 = 9.5"
    )
    assert rules["在职人员控制率"] == (
        "在职人员控制率 = 43人÷45人 = 95.56%；95.56%不高于100%，得满分3"
    )
    assert rules["“三公经费”变动率"] == (
        "“三公经费”变动率（按预算数） = (20.00万元−21.00万元)÷21.00万元 = -4.76%；"
        "-4.76%不高于0%，得满分3"
    )
    assert rules["重点支出安排率"] == (
        "重点支出安排率 = 600.00万元÷800.00万元 = 75.00%；"
        "低于目标值80%，按比例计分：75.00%÷80%×4 = 3.75"
    )


def test_liwan_2023_scores_its_completion_and_carryover_from_the_published_totals() -> None:
    evaluation = evaluate_department(
        liwan_year(), PerformanceGoal(None, "部门整体"), {}, MOF_DEPT, MOF_PROJECT
    )
    rows = {row.indicator.level3: row for row in evaluation.common}
    completion, carryover = rows["预算完成率"], rows["结转结余率"]
    assert (completion.value_percent, completion.score) == (Decimal("74.93"), Decimal("7.49"))
    assert completion.rule.startswith("预算完成率 = 77,261.67万元÷103,118.19万元 = 74.93%")
    assert (carryover.value_percent, carryover.score) == (Decimal("2.50"), Decimal(4))


def test_liwan_2023_is_incomplete_and_says_which_inputs_it_needs() -> None:
    evaluation = evaluate_department(
        liwan_year(), PerformanceGoal(None, "部门整体"), {}, MOF_DEPT, MOF_PROJECT
    )
    assert not evaluation.complete
    assert (evaluation.total, evaluation.grade) == (None, None)
    assert evaluation.missing[0] == "投入/预算配置/在职人员控制率：缺少输入：编制数、在职人员数"
    assert evaluation.missing[-1] == "履职指标：部门整体绩效目标中没有计分的指标（分值54）"
    assert evaluation.missing_inputs == (
        "编制数", "在职人员数", "上年三公经费预算数", "三公经费预算数",
        "本年度重点项目支出", "项目总支出",
        "年初预算数", "预算调整数（剔除政策性调整）", "既定支付进度", "实际支付进度",
        "上年结转结余", "公用经费预算数", "公用经费实际支出数", "三公经费实际支出数",
        "政府采购预算数", "实际政府采购金额",
    )


def test_a_missing_input_leaves_the_row_unscored_and_the_evaluation_incomplete() -> None:
    filled = form(COMPLETE_FORM.replace("  编制数: 45\n", ""))
    evaluation = filled.evaluate()
    row = next(r for r in evaluation.common if r.indicator.level3 == "在职人员控制率")
    assert (row.value, row.score, row.rule) == (None, None, "缺少输入：编制数")
    assert evaluation.missing == ("投入/预算配置/在职人员控制率：缺少输入：编制数",)
    assert evaluation.missing_inputs == ("编制数",)
    assert (evaluation.total, evaluation.grade, evaluation.complete) == (None, None, False)
    assert evaluation.level1_scores["投入"] is None
    assert evaluation.level1_scores["过程"] == Decimal("35.3")


def test_an_undefined_rate_leaves_the_evaluation_incomplete_too() -> None:
    filled = form(COMPLETE_FORM.replace("编制数: 45", "编制数: 0"))
    evaluation = filled.evaluate()
    assert evaluation.missing == ("投入/预算配置/在职人员控制率：无法计算：编制数为0，无法计算",)
    assert evaluation.total is None


# --- not applicable -------------------------------------------------------------------------


WITHOUT_PROCUREMENT = COMPLETE_FORM.replace("  政府采购预算数: 200\n  实际政府采购金额: 190\n", "")
NOT_APPLICABLE_FORM = WITHOUT_PROCUREMENT + """
不适用:
  政府采购执行率: 报告未公布相关数据
"""


def test_a_declared_not_applicable_indicator_is_left_out_and_the_rest_rescaled_to_100() -> None:
    evaluation = form(NOT_APPLICABLE_FORM).evaluate()
    assert [(n.name, n.reason, n.weight) for n in evaluation.not_applicable] == [
        ("政府采购执行率", "报告未公布相关数据", Decimal(4)),
    ]
    assert evaluation.rescale_factor == Decimal(100) / Decimal(96)
    assert format_factor(evaluation.rescale_factor) == "1.0417"
    weights = {row.indicator.level3: row.weight for row in evaluation.common}
    assert "政府采购执行率" not in weights
    assert weights["预算完成率"] == Decimal("10.42")
    assert weights["在职人员控制率"] == Decimal("3.12")  # 3.125: smaller remainder
    assert evaluation.weight_total == Decimal(100)
    assert evaluation.complete
    # everything else full except 预算完成率 at 95 % (9.90 of 10.42) and 重点支出安排率 at
    # 75 % of its 80 % (3.91 of 4.17): 100 − 0.52 − 0.26
    assert evaluation.total == Decimal("99.22")
    assert evaluation.grade == "优"


def test_rescaled_weights_add_up_to_exactly_100_by_largest_remainder() -> None:
    evaluation = form(NOT_APPLICABLE_FORM).evaluate()
    rows = [*evaluation.common, *evaluation.duties]
    assert sum(row.weight for row in rows) == 100
    assert [row.weight for row in evaluation.duties] == [
        Decimal("20.83"), Decimal("14.58"), Decimal("10.42"), Decimal("10.42"),
    ]


def test_the_indicator_may_be_named_with_ascii_quotes_or_by_its_path() -> None:
    text = COMPLETE_FORM + """
不适用:
  '"三公经费"控制率': 未单独核算
  过程/预算执行/支付进度率: 无支付计划
"""
    evaluation = form(text).evaluate()
    assert [n.path for n in evaluation.not_applicable] == [
        "过程/预算执行/支付进度率", "过程/预算执行/“三公经费”控制率",
    ]
    assert evaluation.rescale_factor == Decimal(100) / Decimal(92)


def test_missing_inputs_are_not_excused_unless_the_user_declares_the_indicator() -> None:
    without_procurement = COMPLETE_FORM.replace("  政府采购预算数: 200\n", "")
    evaluation = form(without_procurement).evaluate()
    assert evaluation.missing == (
        "过程/预算执行/政府采购执行率：缺少输入：政府采购预算数",
    )
    assert evaluation.not_applicable == ()
    assert evaluation.total is None


def test_a_declaration_without_a_reason_or_for_an_unknown_indicator_is_refused() -> None:
    text = COMPLETE_FORM + "不适用:\n  政府采购执行率: ''\n  固定资产利用率: 未纳入框架\n"
    evaluation = form(text).evaluate()
    assert evaluation.not_applicable == ()
    assert [f.id for f in evaluation.findings] == [
        "not-applicable-without-reason", "not-applicable-unknown",
    ]
    assert evaluation.findings[1].message == (
        "声明不适用的指标“固定资产利用率”不在评价框架或部门整体绩效目标中，未予采用。"
    )


def test_a_duty_indicator_may_be_declared_not_applicable_too() -> None:
    text = COMPLETE_FORM + "不适用:\n  群众办事时长: 本年无窗口业务\n"
    evaluation = form(text).evaluate()
    assert [(n.path, n.weight) for n in evaluation.not_applicable] == [
        ("效益指标/社会效益指标/群众办事时长", Decimal(10)),
    ]
    assert evaluation.rescale_factor == Decimal(100) / Decimal(90)
    assert evaluation.weight_total == 100


def test_the_whole_duty_section_may_be_declared_not_applicable() -> None:
    evaluation = evaluate_department(
        liwan_year(), PerformanceGoal(None, "部门整体"), {}, MOF_DEPT, MOF_PROJECT,
        {"履职指标": "未设定部门整体绩效指标"},
    )
    assert [(n.name, n.weight) for n in evaluation.not_applicable] == [("履职指标", Decimal(54))]
    assert not any("履职指标" in text for text in evaluation.missing)


# --- 履职 indicators --------------------------------------------------------------------------


def test_duty_indicators_are_scored_with_the_project_rule_set() -> None:
    text = COMPLETE_FORM.replace("| 3项 | 20", "| 2项 | 20")
    evaluation = form(text).evaluate()
    first = evaluation.duties[0]
    assert first.score == Decimal("13.33")
    assert first.rule == "未达成：实际值÷指标值×分值 = 2÷3×20"
    assert [f.id for f in evaluation.findings] == ["deviation-reason-missing"]


def test_duty_weights_that_do_not_add_up_to_54_are_converted_in_proportion() -> None:
    duties = FULL_DUTIES.replace("| 20\n", "| 50\n").replace("| 14\n", "| 20\n").replace(
        "| 10\n", "| 15\n", 2
    )  # 50 + 20 + 15 + 15 = 100, a project-style split
    text = COMPLETE_FORM.split("履职指标:")[0] + f"履职指标: |\n{indented(duties)}\n"
    evaluation = form(text).evaluate()
    assert evaluation.duty_factor == Decimal("0.54")
    assert [row.weight for row in evaluation.duties] == [
        Decimal(27), Decimal("10.8"), Decimal("8.1"), Decimal("8.1"),
    ]
    assert [f.id for f in evaluation.findings] == ["duty-weights-rescaled"]
    assert evaluation.total == Decimal("99.05")


def test_it_refuses_a_project_rule_set_other_than_the_one_the_framework_names() -> None:
    regional = load_rule_set("regional-tiered-project")
    with pytest.raises(ValueError, match="mof-2020-project"):
        form(COMPLETE_FORM).evaluate(rules=regional)


def test_an_input_the_formulas_do_not_use_is_reported() -> None:
    filled = form(COMPLETE_FORM)
    filled = replace(filled, inputs={**filled.inputs, "编制人数": Decimal(45)})
    evaluation = filled.evaluate()
    assert [f.id for f in evaluation.findings] == ["input-unknown"]
    assert evaluation.complete


def test_an_input_that_contradicts_the_published_totals_is_reported() -> None:
    filled = form(COMPLETE_FORM + "", year=liwan_year())
    filled = replace(filled, inputs={**filled.inputs, "全年预算数": Decimal(1)})
    evaluation = filled.evaluate()
    conflicts = [f for f in evaluation.findings if f.id == "input-differs-from-data"]
    assert [f.location for f in conflicts] == [
        "过程/预算执行/预算完成率", "过程/预算执行/结转结余率",
    ]
    assert conflicts[0].message == (
        "“预算完成率”：输入的全年预算数0.00万元与部门年度数据（决算公布数）"
        "103,118.19万元不一致，按部门年度数据计算。"
    )
