"""The formula library of 财预〔2013〕53号 附件2: from the year's data where it holds the figure,
from the inputs where it does not, and never from a guess."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.department_framework import (
    FORMULAS,
    INPUTS,
    budget_adjustment_rate,
    budget_completion_rate,
    carryover_change_rate,
    carryover_rate,
    payment_progress_rate,
    procurement_execution_rate,
    public_expense_control_rate,
    staffing_control_rate,
    three_public_budget_change_rate,
    three_public_change_rate,
    three_public_control_rate,
)
from jixiao.core.money import round_half_up
from jixiao.core.vocabulary import BasicKind, Nature
from jixiao.core.year import BudgetLine, DepartmentYear, PublishedTotals
from tests.core.builders import line, lines_year, liwan_year, wan
from tests.department.forms import inputs

NO_DATA = DepartmentYear(department_code="demo", department_name="示范局", fiscal_year=2024)


def percent(value: Decimal | None) -> Decimal:
    assert value is not None
    return round_half_up(value * 100, 2)


def operations(code: str, budget: str, executed: str | None) -> BudgetLine:
    return replace(
        line(code, budget, executed, nature=Nature.basic), basic_kind=BasicKind.operations
    )


# --- 预算完成率 -------------------------------------------------------------------------


def test_liwan_2023_published_totals_give_a_budget_completion_of_74_93_percent() -> None:
    result = budget_completion_rate(liwan_year(), {})
    assert result.value == wan("77,261.67") / wan("103,118.19")
    assert percent(result.value) == Decimal("74.93")
    assert result.sources == {"全年预算数": "决算公布数", "全年执行数": "决算公布数"}
    assert result.missing == ()


def test_budget_completion_is_taken_from_the_budget_lines_when_nothing_is_published() -> None:
    year = lines_year(line("A", "600", "540"), line("B", "400", "400"))
    result = budget_completion_rate(year, {})
    assert percent(result.value) == Decimal("94.00")
    assert result.sources["全年执行数"] == "预算行合计"


def test_budget_completion_asks_for_both_figures_when_the_year_holds_neither() -> None:
    result = budget_completion_rate(NO_DATA, {})
    assert result.value is None
    assert result.missing == ("全年预算数", "全年执行数")


def test_budget_completion_is_read_from_inputs_when_the_year_holds_no_figures() -> None:
    result = budget_completion_rate(NO_DATA, inputs({"全年预算数": 200, "全年执行数": 150}))
    assert percent(result.value) == Decimal("75.00")
    assert result.sources == {"全年预算数": "输入", "全年执行数": "输入"}


def test_a_line_without_an_executed_amount_is_unknown_not_zero() -> None:
    year = lines_year(line("A", "600", "540"), line("B", "400", None))
    result = budget_completion_rate(year, {})
    assert result.missing == ("全年执行数",)


def test_the_years_figure_wins_over_a_different_input_and_the_conflict_is_reported() -> None:
    result = budget_completion_rate(liwan_year(), inputs({"全年执行数": "80,000"}))
    assert percent(result.value) == Decimal("74.93")
    assert result.conflicts == (("全年执行数", wan("80,000")),)


# --- 预算调整率 -------------------------------------------------------------------------


def test_budget_adjustment_counts_additions_and_cuts_of_the_lines_alike() -> None:
    year = lines_year(
        line("A", "550", initial="500", adjustments=("80", "-30")),
        line("B", "480", initial="500", adjustments=("-20",)),
    )
    result = budget_adjustment_rate(year, {})
    assert percent(result.value) == Decimal("13.00")  # (80 + 30 + 20) ÷ 1,000
    assert result.sources == {
        "年初预算数": "预算行合计", "预算调整数（剔除政策性调整）": "预算行合计",
    }


def test_budget_adjustment_of_lines_without_adjustments_is_zero_because_the_lines_say_so() -> None:
    assert budget_adjustment_rate(lines_year(line("A", "500")), {}).value == 0


def test_budget_adjustment_is_read_from_the_input_when_the_year_has_no_lines() -> None:
    given = inputs({"年初预算数": "1,000", "预算调整数（剔除政策性调整）": 85})
    assert percent(budget_adjustment_rate(NO_DATA, given).value) == Decimal("8.50")


def test_budget_adjustment_asks_for_the_initial_budget_and_the_adjustments() -> None:
    result = budget_adjustment_rate(liwan_year(), {})
    assert result.missing == ("年初预算数", "预算调整数（剔除政策性调整）")


# --- 支付进度率 -------------------------------------------------------------------------


def test_payment_progress_is_actual_over_planned_progress() -> None:
    result = payment_progress_rate(NO_DATA, inputs({"既定支付进度": "80%", "实际支付进度": "72%"}))
    assert percent(result.value) == Decimal("90.00")
    assert payment_progress_rate(NO_DATA, {}).missing == ("既定支付进度", "实际支付进度")


# --- 结转结余率 and 结转结余变动率 -------------------------------------------------------


def test_liwan_2023_published_totals_give_a_carryover_rate_of_2_50_percent() -> None:
    result = carryover_rate(liwan_year(), {})
    assert result.value == wan("2,578.28") / wan("103,118.19")
    assert percent(result.value) == Decimal("2.50")


def test_carryover_is_asked_for_when_neither_published_nor_on_the_lines() -> None:
    year = liwan_year(totals=PublishedTotals(final_budget=wan("1,000")))
    assert carryover_rate(year, {}).missing == ("本年结转结余",)
    assert percent(carryover_rate(year, inputs({"本年结转结余": 25})).value) == Decimal("2.50")


def test_carryover_change_takes_this_year_from_the_data_and_last_year_from_the_input() -> None:
    result = carryover_change_rate(liwan_year(), inputs({"上年结转结余": "2,000"}))
    assert percent(result.value) == Decimal("28.91")  # (2,578.28 − 2,000) ÷ 2,000
    assert result.sources == {"上年结转结余": "输入", "本年结转结余": "决算公布数"}
    assert carryover_change_rate(liwan_year(), {}).missing == ("上年结转结余",)


# --- 公用经费控制率 ---------------------------------------------------------------------


def test_public_expense_control_is_taken_from_the_lines_marked_as_operating_expenses() -> None:
    year = lines_year(
        operations("G1", "100", "96"),
        operations("G2", "50", "48"),
        line("P1", "900", "500"),
    )
    result = public_expense_control_rate(year, {})
    assert percent(result.value) == Decimal("96.00")
    assert result.sources["公用经费实际支出数"] == "预算行合计"


def test_public_expense_control_is_read_from_inputs_without_operating_lines() -> None:
    given = inputs({"公用经费预算数": 100, "公用经费实际支出数": 103})
    assert percent(public_expense_control_rate(liwan_year(), given).value) == Decimal("103.00")
    assert public_expense_control_rate(liwan_year(), {}).missing == (
        "公用经费预算数", "公用经费实际支出数",
    )


# --- "三公经费" -------------------------------------------------------------------------


def test_three_public_expenses_control_is_actual_over_budget() -> None:
    given = inputs({"三公经费预算数": 20, "三公经费实际支出数": 17})
    assert percent(three_public_control_rate(NO_DATA, given).value) == Decimal("85.00")


def test_three_public_expenses_change_compares_this_years_actual_with_last_years() -> None:
    given = inputs({"三公经费实际支出数": 17, "上年三公经费实际支出数": 20})
    assert percent(three_public_change_rate(NO_DATA, given).value) == Decimal("-15.00")


def test_three_public_expenses_change_can_compare_budgets_instead() -> None:
    given = inputs({"三公经费预算数": 22, "上年三公经费预算数": 20})
    assert percent(three_public_budget_change_rate(NO_DATA, given).value) == Decimal("10.00")


def test_a_zero_last_year_makes_the_change_undefined_not_zero() -> None:
    given = inputs({"三公经费实际支出数": 5, "上年三公经费实际支出数": 0})
    result = three_public_change_rate(NO_DATA, given)
    assert (result.value, result.missing) == (None, ())
    assert result.undefined == "上年三公经费实际支出数为0，无法计算"


# --- 政府采购执行率 and 在职人员控制率 -----------------------------------------------------


def test_procurement_execution_is_actual_over_planned_procurement() -> None:
    given = inputs({"政府采购预算数": 200, "实际政府采购金额": 150})
    assert percent(procurement_execution_rate(NO_DATA, given).value) == Decimal("75.00")


def test_staffing_control_is_staff_in_post_over_authorised_posts() -> None:
    result = staffing_control_rate(NO_DATA, inputs({"编制数": 45, "在职人员数": 43}))
    assert percent(result.value) == Decimal("95.56")


def test_missing_inputs_are_listed_by_name_never_taken_as_zero() -> None:
    result = staffing_control_rate(NO_DATA, inputs({"在职人员数": 43}))
    assert (result.value, result.missing) == (None, ("编制数",))
    result = staffing_control_rate(NO_DATA, {})
    assert result.missing == ("编制数", "在职人员数")


# --- the registry -----------------------------------------------------------------------


@pytest.mark.parametrize("formula_id", sorted(FORMULAS))
def test_every_formula_asks_only_for_inputs_the_library_knows(formula_id: str) -> None:
    formula = FORMULAS[formula_id]
    assert set(formula.inputs) <= set(INPUTS)
    assert set(formula.compute(NO_DATA, {}).missing) <= set(formula.inputs)


@pytest.mark.parametrize("formula_id", sorted(FORMULAS))
def test_every_formula_prints_each_of_its_inputs_in_its_expression(formula_id: str) -> None:
    formula = FORMULAS[formula_id]
    assert all(name in formula.expression for name in formula.inputs)
