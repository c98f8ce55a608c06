"""成本预算绩效: unit cost = cost ÷ output, against 定额标准 / 支出标准 written as data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.cost import (
    CostMeasure,
    CostStandard,
    CostStandards,
    StandardKind,
    measure_unit_costs,
    output_quantity,
    unit_cost,
)
from jixiao.interchange.cost_standard_files import (
    SHIPPED_COST_STANDARDS,
    parse_cost_standards,
    shipped_cost_standards,
)
from jixiao.interchange.problems import InputRejected

TRAINING = shipped_cost_standards("cost-standards-central-meetings-training")


def _training(cost: str, output: str, code: str = "PX-2") -> CostMeasure:
    return CostMeasure(
        "P24-02", "业务培训", Decimal(cost), output, code, "产出指标/数量指标/培训人天"
    )


def test_the_shipped_standards_read() -> None:
    for name in SHIPPED_COST_STANDARDS:
        assert shipped_cost_standards(name).standards


def test_unit_cost_is_cost_divided_by_output_and_undefined_without_output() -> None:
    assert unit_cost(Decimal(660000), Decimal(1200)) == Decimal(550)
    assert unit_cost(Decimal(1), Decimal(0)) is None


def test_a_unit_cost_at_the_standard_is_no_finding() -> None:
    results, findings = measure_unit_costs([_training("660000", "1200人天")], TRAINING)
    assert findings == []
    assert results[0].unit_cost == Decimal(550)
    assert results[0].share_of_standard == 1


def test_a_unit_cost_above_the_standard_is_a_finding_naming_the_figures() -> None:
    results, findings = measure_unit_costs([_training("720000", "1200人天")], TRAINING)
    assert results[0].above_standard
    assert [f.id for f in findings] == ["unit-cost-above-standard"]
    assert findings[0].message == (
        "“业务培训”单位成本600.00元/人天（成本720,000.00元 ÷ 1200人天）高于定额标准"
        "“二类培训综合定额”550.00元/人天。"
    )
    assert findings[0].subject == "P24-02"
    assert findings[0].location == "产出指标/数量指标/培训人天"


def test_an_output_that_does_not_convert_is_reported_not_guessed() -> None:
    _, findings = measure_unit_costs([_training("720000", "30场")], TRAINING)
    assert [f.id for f in findings] == ["unit-cost-unmeasurable"]
    assert "不能换算为人天" in findings[0].message
    _, missing = measure_unit_costs([_training("1", "1人天", code="XX")], TRAINING)
    assert "不在“中央和国家机关会议费、培训费综合定额标准”中" in missing[0].message


def test_outputs_convert_within_a_kind_of_unit() -> None:
    assert output_quantity("7.5万平方米", "平方米") == Decimal(75000)
    assert output_quantity("1,200", "人天") == Decimal(1200)
    assert output_quantity("约1200人天", "人天") is None


VARIANT = """\
format: jixiao-cost-standards/1
id: cost-standards-survey
version: 2024
name: 地籍测绘支出标准（测试用地区标准）
unit: 万元
standards:
  - {code: CH-1, name: 地籍测绘, kind: 支出标准, amount: 1.2, per_unit: 公顷, tolerance: 10%}
"""


def test_a_variant_written_only_as_data_works() -> None:
    standards = parse_cost_standards(VARIANT)
    survey = CostMeasure("P9", "地籍测绘", Decimal(1_300_000), "1平方公里", "CH-1")
    results, findings = measure_unit_costs([survey], standards)
    assert results[0].quantity == Decimal(100)  # 1 平方公里 = 100 公顷
    assert results[0].unit_cost == Decimal(13000)  # 13000 ≤ 12000 × 110 %: within tolerance
    assert findings == []
    dearer = CostMeasure("P9", "地籍测绘", Decimal(1_400_000), "100公顷", "CH-1")
    assert [f.id for f in measure_unit_costs([dearer], standards)[1]] == [
        "unit-cost-above-standard"
    ]


def test_a_standard_of_zero_or_a_duplicate_code_is_refused() -> None:
    broken = VARIANT.replace("amount: 1.2", "amount: 0") + (
        "  - {code: CH-1, name: 重复, kind: 支出标准, amount: 1, per_unit: 公顷}\n"
    )
    with pytest.raises(InputRejected) as caught:
        parse_cost_standards(broken)
    assert [p.where for p in caught.value.problems] == [
        "standards[0].code",
        "standards[0].amount",
        "standards[1].code",
    ]


# Properties of the arithmetic: 成本 ÷ 产出数量, compared unrounded with the standard.

CENTS = st.integers(min_value=0, max_value=10**12).map(lambda n: Decimal(n) / 100)
QUANTITIES = st.integers(min_value=1, max_value=10**7).map(Decimal)
SHARES = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 100)


@given(cost=CENTS, quantity=QUANTITIES)
def test_unit_cost_times_quantity_gives_the_cost_back(cost: Decimal, quantity: Decimal) -> None:
    result = unit_cost(cost, quantity)
    assert result is not None
    assert abs(result * quantity - cost) <= Decimal("1e-20") * max(cost, Decimal(1))


@given(cost=CENTS, quantity=QUANTITIES, standard=CENTS.filter(bool), tolerance=SHARES)
def test_a_finding_is_raised_exactly_when_the_cost_exceeds_the_standard_and_tolerance(
    cost: Decimal, quantity: Decimal, standard: Decimal, tolerance: Decimal
) -> None:
    table = CostStandards("t", "测试标准", "1", (
        CostStandard("S", "测试", StandardKind.expenditure, standard, "人天", tolerance),
    ))  # fmt: skip
    measure = CostMeasure("P1", "测试", cost, f"{quantity}人天", "S")
    (result,), findings = measure_unit_costs([measure], table)
    above = cost > standard * (1 + tolerance) * quantity
    assert result.above_standard is above
    assert [f.id for f in findings] == (["unit-cost-above-standard"] if above else [])
