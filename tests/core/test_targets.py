"""The target and value parser reads what real forms contain, and refuses to guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.targets import (
    Operator,
    Quantity,
    TargetError,
    comparable,
    parse_actual,
    parse_quantity,
    parse_target,
)

# (as written in a form, operator, number, unit)
QUANTITATIVE = [
    ("≥95%", Operator.ge, "95", "%"),
    ("≥ 95 %", Operator.ge, "95", "%"),
    ("＞＝９５％", Operator.ge, "95", "%"),
    ("﹦100%", Operator.eq, "100", "%"),
    ("=100%", Operator.eq, "100", "%"),
    ("≤30天", Operator.le, "30", "天"),
    ("≤90万元", Operator.le, "90", "万元"),
    ("72890元", Operator.eq, "72890", "元"),
    ("=12个", Operator.eq, "12", "个"),
    ("≥266米", Operator.ge, "266", "米"),
    ("100%", Operator.eq, "100", "%"),
    ("0", Operator.eq, "0", None),
    (">=3项", Operator.ge, "3", "项"),
    ("<=1.5亿元", Operator.le, "1.5", "亿元"),
    ("不低于 90 %", Operator.ge, "90", "%"),
    ("≥50,000宗", Operator.ge, "50000", "宗"),
    ("≤ 2 个月", Operator.le, "2", "个月"),
    ("≥476亩", Operator.ge, "476", "亩"),
    ("=57.62平方公里", Operator.eq, "57.62", "平方公里"),
    # the operator after the figure: “以上 / 以下” include the figure itself
    ("95%以上", Operator.ge, "95", "%"),
    ("９０％及以上", Operator.ge, "90", "%"),
    ("500宗（含）以上", Operator.ge, "500", "宗"),
    ("1%以下", Operator.le, "1", "%"),
    ("3个工作日内", Operator.le, "3", "个工作日"),
    ("30天以内", Operator.le, "30", "天"),
]


@pytest.mark.parametrize(("text", "operator", "number", "unit"), QUANTITATIVE)
def test_it_reads_a_quantitative_target_as_forms_write_it(
    text: str, operator: Operator, number: str, unit: str | None
) -> None:
    target = parse_target(text, "D7")
    assert target is not None and target.quantity is not None
    assert target.operator is operator
    assert target.quantity.value == Decimal(number)
    assert (target.quantity.unit.symbol if target.quantity.unit else None) == unit


@pytest.mark.parametrize(
    "text",
    ["效果明显", "达成年度指标", "在项目计划完成时间内完成", "严格执行", "达到预期", "年内完成"],
)
def test_it_keeps_a_qualitative_target_as_its_text(text: str) -> None:
    target = parse_target(text)
    assert target is not None
    assert not target.is_quantitative
    assert target.text == text


@pytest.mark.parametrize("text", ["无", "", "  ", "/", "—", None])
def test_it_reads_nothing_from_a_blank_or_none_cell(text: str | None) -> None:
    assert parse_target(text) is None
    assert parse_actual(text) is None


def test_it_names_the_cell_of_a_target_it_cannot_read() -> None:
    with pytest.raises(TargetError) as raised:
        parse_target("≥95%以上", "项目A!D7")
    assert "项目A!D7" in str(raised.value)
    assert "不认识的计量单位" in str(raised.value)


def test_an_operator_without_a_number_is_an_error_not_a_guess() -> None:
    with pytest.raises(TargetError, match="计算符号"):
        parse_target("≥很多", "D8")


def test_a_declared_quantitative_target_must_carry_a_number() -> None:
    with pytest.raises(TargetError):
        parse_target("效果明显", "D9", qualitative=False)


def test_a_declared_qualitative_target_is_never_read_as_a_number() -> None:
    target = parse_target("3个月内完成", qualitative=True)
    assert target is not None and target.text == "3个月内完成" and not target.is_quantitative


def test_it_reads_an_actual_as_a_quantity_or_a_text() -> None:
    assert parse_actual("86.19%") == parse_quantity("86.19%")
    assert parse_actual("率先实现占耕图斑“清零”") == "率先实现占耕图斑“清零”"


def test_amounts_compare_across_yuan_and_wan() -> None:
    target = parse_target("≤90万元")
    assert target is not None and target.quantity is not None
    actual = parse_quantity("72890元")
    assert actual is not None
    target_value, actual_value = comparable(target.quantity, actual)
    assert target_value == Decimal("900000")
    assert actual_value == Decimal("72890")


def test_units_of_different_kinds_do_not_compare() -> None:
    days, money = parse_quantity("30天"), parse_quantity("30万元")
    assert days is not None and money is not None
    with pytest.raises(TargetError, match="不可比较"):
        comparable(days, money, "E5")


def test_a_bare_number_takes_the_unit_of_the_other_side() -> None:
    target = Quantity(Decimal("95"), parse_quantity("95%").unit)  # type: ignore[union-attr]
    assert comparable(target, Quantity(Decimal("90"))) == (Decimal("0.95"), Decimal("0.90"))


@pytest.mark.parametrize(("text", "operator", "number", "unit"), QUANTITATIVE)
def test_it_reads_its_own_output_back(
    text: str, operator: Operator, number: str, unit: str | None
) -> None:
    parsed = parse_target(text)
    assert parsed is not None
    again = parse_target(str(parsed))
    assert again is not None
    assert (again.operator, again.quantity) == (parsed.operator, parsed.quantity)
