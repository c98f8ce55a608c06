"""The unit registry is data (rules/units.yaml): real forms' units read, convert within
their dimension, and an unregistered unit still compares with itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import IndicatorStatus, score_indicator
from jixiao.core.targets import (
    Quantity,
    TargetError,
    comparable,
    parse_quantity,
    parse_target,
    unregistered_unit,
)
from jixiao.core.units import UnitRegistry, normalise_unit, unit_registry
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_files import load_rule_set
from jixiao.interchange.unit_files import packaged_units, parse_units
from tests.scoring.forms import row


@pytest.fixture(scope="module")
def mof() -> ProjectRules:
    return load_rule_set("mof-2020-project")


def _base(text: str) -> Decimal:
    quantity = parse_quantity(text)
    assert quantity is not None and quantity.unit is not None and quantity.unit.known
    return quantity.base_value


@pytest.mark.parametrize("symbol", [
    "个", "项", "宗", "件", "次", "人", "人次", "户", "家", "起", "场", "株", "羽",
    "厘米", "米", "公里", "亩", "公顷", "平方米", "平方公里",
    "元", "万元", "亿元", "天", "个工作日", "小时", "月", "年",
    "%", "百分比", "百分点", "吨", "公斤", "立方米", "分",
])
def test_the_units_real_forms_use_are_registered(symbol: str) -> None:
    assert normalise_unit(symbol) is not None


@pytest.mark.parametrize(("one", "other"), [
    ("1公顷", "15亩"),
    ("1平方公里", "100公顷"),
    ("2公里", "200000厘米"),
    ("7.289万元", "72890元"),
    ("1.5亿元", "15000万元"),
    ("3吨", "6000斤"),
    ("2周", "14天"),
    ("48小时", "2天"),
    ("95百分比", "95%"),
    ("12平米", "12㎡"),
])
def test_units_of_one_dimension_convert(one: str, other: str) -> None:
    assert round(_base(one), 10) == round(_base(other), 10)


def test_percentage_points_are_not_a_ratio() -> None:
    """百分点 is a difference of percentages: "提高2个百分点" never compares with "2%"."""
    points, percent = parse_quantity("2个百分点"), parse_quantity("2%")
    assert points is not None and percent is not None
    assert points.unit is not None and points.unit.dimension == "percentage_point"
    with pytest.raises(TargetError, match="不可比较"):
        comparable(points, percent, "F9")


def test_a_rate_per_unit_is_read_from_its_two_units() -> None:
    per_head, per_ten_thousand = parse_quantity("200元/人"), parse_quantity("0.02万元/人")
    assert per_head is not None and per_ten_thousand is not None
    assert comparable(per_head, per_ten_thousand) == (Decimal(200), Decimal(200))


def test_an_unregistered_unit_compares_with_the_same_text_only() -> None:
    target, actual = parse_quantity("3羽次"), parse_quantity("5羽次")
    assert target is not None and actual is not None
    assert unregistered_unit(target) == "羽次"
    assert comparable(target, actual) == (Decimal(3), Decimal(5))
    with pytest.raises(TargetError, match="未登记的单位"):
        comparable(target, parse_quantity("5次"), "F9")  # type: ignore[arg-type]


def test_a_text_that_is_no_unit_is_still_refused() -> None:
    with pytest.raises(TargetError, match="不认识的计量单位“%以上”"):
        parse_target("≥95%以上", "项目A!D7")


def test_scoring_compares_a_shared_unregistered_unit_and_warns_once(mof: ProjectRules) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 救助候鸟 | ≥20羽次 | 25羽次 | 10"), mof)
    assert result.status is IndicatorStatus.met and result.score == Decimal(10)
    # the target's own unit is a goal-quality finding; scoring does not repeat it
    assert "unit-unregistered" not in [f.id for f in result.findings]


def test_scoring_warns_of_an_unregistered_unit_in_the_actual_with_its_place(
    mof: ProjectRules,
) -> None:
    result = score_indicator(row("产出指标 | 数量指标 | 救助候鸟 | ≥20 | 25羽次 | 10"), mof)
    warning = next(f for f in result.findings if f.id == "unit-unregistered")
    assert warning.location == "产出指标/数量指标/救助候鸟"
    assert "“羽次”不在计量单位表中" in warning.message
    assert result.score == Decimal(10)


def test_goal_quality_warns_of_an_unregistered_unit_in_the_target(mof: ProjectRules) -> None:
    from jixiao.core.goal_quality import check_target_form
    from jixiao.core.goals import PerformanceGoal

    goal = PerformanceGoal(
        project_code="P001", name="候鸟保护",
        indicators=(row("产出指标 | 数量指标 | 救助候鸟 | ≥20羽次 | 25羽次 | 10"),),
    )
    findings = list(check_target_form(goal, mof, None))
    assert [f.id for f in findings] == ["unit-unregistered"]
    assert findings[0].location == "产出指标/数量指标/救助候鸟"


def test_the_packaged_registry_is_the_one_in_force() -> None:
    assert unit_registry() is packaged_units()
    assert isinstance(unit_registry(), UnitRegistry)


def test_a_unit_file_naming_a_symbol_twice_is_refused_with_its_place() -> None:
    text = """
format: jixiao-units/1
dimensions:
  - {id: money, name: 金额, units: {元: 1, 万元: 10000}}
  - {id: count, name: 计数, units: {个: 1, 元: 1}}
"""
    with pytest.raises(InputRejected) as raised:
        parse_units(text)
    assert any("“元”已在量纲“money”中登记" in p.message for p in raised.value.problems)


def test_a_unit_file_with_a_float_or_zero_factor_is_refused() -> None:
    text = """
format: jixiao-units/1
dimensions:
  - {id: money, name: 金额, units: {元: 1, 万元: 0}}
"""
    with pytest.raises(InputRejected) as raised:
        parse_units(text)
    assert any("应大于0" in p.message for p in raised.value.problems)


def test_a_new_unit_is_a_line_of_data() -> None:
    text = """
format: jixiao-units/1
dimensions:
  - {id: count, name: 计数, units: {个: 1, 打: 12}, aliases: {dozen: 打}}
"""
    registry = parse_units(text)
    dozen = registry.find("dozen")
    assert dozen is not None and dozen.symbol == "打" and dozen.factor == Decimal(12)


@given(
    symbol=st.sampled_from(sorted(unit_registry().units) + sorted(unit_registry().aliases)),
    value=st.decimals(min_value=Decimal(0), max_value=Decimal(10**9), places=2),
)
def test_every_registered_unit_and_alias_reads_back_with_its_factor(
    symbol: str, value: Decimal
) -> None:
    quantity = parse_quantity(f"{value}{symbol}")
    unit = unit_registry().find(symbol)
    assert quantity is not None and quantity.unit == unit and unit is not None
    assert quantity.base_value == value * unit.factor


@given(
    pair=st.sampled_from(sorted(unit_registry().units)).flatmap(
        lambda a: st.tuples(st.just(a), st.sampled_from(sorted(
            s for s, u in unit_registry().units.items()
            if u.dimension == unit_registry().units[a].dimension
        )))
    ),
    value=st.decimals(min_value=Decimal(1), max_value=Decimal(10**6), places=2),
)
def test_a_figure_converted_within_its_dimension_compares_equal(
    pair: tuple[str, str], value: Decimal
) -> None:
    one, other = (unit_registry().units[s] for s in pair)
    converted = value * one.factor / other.factor
    target, actual = parse_quantity(f"{value}{one.symbol}"), Quantity(converted, other)
    assert target is not None
    left, right = comparable(target, actual)
    assert abs(left - right) <= abs(left) * Decimal("1e-20")
