"""The department-wide framework as local 财预〔2013〕53号 forms define it: "三公经费"变动率 on
budgets by default (on actual spending when the framework file says ``basis: actual``), and
重点支出安排率 (本年度重点项目支出 ÷ 项目总支出, 4 points under 投入/预算配置)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.department_framework import (
    FORMULAS,
    Basis,
    formula_for_basis,
    key_spending_rate,
)
from jixiao.interchange.department_rule_files import parse_department_framework
from jixiao.interchange.problems import InputRejected
from tests.department.forms import COMPLETE_FORM, MOF_DEPT, form, inputs
from tests.department.test_formulas import NO_DATA, percent

# A 部门整体支出绩效评价基础数据表 as a local form prints its 三公经费 block (万元):
# budgets of both years and this year's actual spending; the actual spending of last year
# differs in direction from the budgets, so that the basis decides the score.
THREE_PUBLIC = {
    "三公经费预算数": "12.60",
    "上年三公经费预算数": "12.00",
    "三公经费实际支出数": "11.40",
    "上年三公经费实际支出数": "11.80",
}


def framework_with(basis_line: str, formula: str = "three_public_change") -> str:
    return f"""
format: jixiao-department-rules/1
id: basis-test
version: 1
name: 口径测试
sources: [测试]
project_rules: mof-2020-project
common:
  - level1: 投入
    level2: 预算配置
    level3: “三公经费”变动率
    formula: {formula}
{basis_line}
    weight: 8
    scoring: {{method: lower_is_better_linear, full_at_most: 0%, zero_at: 10%}}
duties: {{weight: 92}}
"""


def test_the_packaged_framework_computes_the_three_public_change_on_budgets() -> None:
    change = MOF_DEPT.indicator("“三公经费”变动率")
    assert change is not None and change.formula == "three_public_budget_change"
    result = FORMULAS[change.formula].compute(NO_DATA, inputs(THREE_PUBLIC))
    assert percent(result.value) == Decimal("5.00")  # (12.60 − 12.00) ÷ 12.00
    assert set(result.figures) == {"三公经费预算数", "上年三公经费预算数"}


def test_budget_is_the_default_basis_and_actual_is_a_rule_choice() -> None:
    assert formula_for_basis("three_public_change", None) == "three_public_budget_change"
    assert formula_for_basis("three_public_change", Basis.actual) == "three_public_change"
    assert formula_for_basis("budget_completion", None) == "budget_completion"
    default = parse_department_framework(framework_with(""))
    actual = parse_department_framework(framework_with("    basis: actual"))
    assert default.common[0].formula == "three_public_budget_change"
    assert actual.common[0].formula == "three_public_change"


def test_the_basis_decides_the_score_of_the_same_form() -> None:
    figures = "\n".join(f"  {name}: {value}" for name, value in THREE_PUBLIC.items())
    filled = form(f"输入:\n{figures}\n")
    by_budget = parse_department_framework(framework_with("    basis: budget"))
    by_actual = parse_department_framework(framework_with("    basis: actual"))
    budget_row = filled.evaluate(framework=by_budget).common[0]
    actual_row = filled.evaluate(framework=by_actual).common[0]
    # budgets rose 5 %: half of the way to 10 %, half the points
    assert (budget_row.value_percent, budget_row.score) == (Decimal("5.00"), Decimal(4))
    assert budget_row.rule.startswith(
        "“三公经费”变动率（按预算数） = (12.60万元−12.00万元)÷12.00万元 = 5.00%"
    )
    # actual spending fell 3.39 %: full points
    assert (actual_row.value_percent, actual_row.score) == (Decimal("-3.39"), Decimal(8))


def test_a_basis_on_a_formula_without_a_choice_or_an_unknown_basis_is_refused() -> None:
    with pytest.raises(InputRejected) as refused:
        parse_department_framework(framework_with("    basis: actual", "budget_completion"))
    assert [p.where for p in refused.value.problems] == ["common[0].basis"]
    assert "没有可选的计算口径" in refused.value.problems[0].message
    with pytest.raises(InputRejected) as unknown:
        parse_department_framework(framework_with("    basis: 决算数"))
    assert unknown.value.problems[0].where.startswith("common[0].basis")


def test_the_framework_cites_the_local_form_and_tags_what_is_unverified() -> None:
    sources = "\n".join(MOF_DEPT.sources)
    assert "按预算数计算" in sources
    assert "重点支出安排率4分" in sources and "未核实" in sources


def test_key_spending_is_four_points_under_inputs_budget_allocation() -> None:
    key = MOF_DEPT.indicator("重点支出安排率")
    assert key is not None
    assert (key.level1, key.level2, key.weight, key.formula) == (
        "投入",
        "预算配置",
        Decimal(4),
        "key_spending",
    )
    assert MOF_DEPT.total_weight == 100


@pytest.mark.parametrize(
    ("key_projects", "projects", "rate", "score"),
    [
        ("640", "800", "80.00", "4"),  # at the 80 % threshold: full
        ("720", "800", "90.00", "4"),
        ("600", "800", "75.00", "3.75"),  # 75 ÷ 80 × 4
        ("0", "800", "0.00", "0"),
    ],
)
def test_key_spending_is_scored_in_proportion_up_to_80_percent(
    key_projects: str, projects: str, rate: str, score: str
) -> None:
    text = COMPLETE_FORM.replace("本年度重点项目支出: 600", f"本年度重点项目支出: {key_projects}")
    text = text.replace("项目总支出: 800", f"项目总支出: {projects}")
    row = next(r for r in form(text).evaluate().common if r.indicator.level3 == "重点支出安排率")
    assert (row.value_percent, row.score) == (Decimal(rate), Decimal(score))


def test_key_spending_asks_for_both_figures_and_a_zero_total_is_undefined() -> None:
    missing = key_spending_rate(NO_DATA, inputs({"本年度重点项目支出": 600}))
    assert (missing.value, missing.missing) == (None, ("项目总支出",))
    zero = key_spending_rate(NO_DATA, inputs({"本年度重点项目支出": 0, "项目总支出": 0}))
    assert zero.undefined == "项目总支出为0，无法计算"
