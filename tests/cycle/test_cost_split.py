"""成本占比: a project's 执行数 split across several costed outputs (core.cost_split)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.cost import measure_unit_costs, split_goal_measures
from jixiao.core.cost_split import apportion, attributed_costs, cost_split
from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.interchange.cost_standard_files import shipped_cost_standards

TRAINING = shipped_cost_standards("cost-standards-central-meetings-training")


def _output(name: str, actual: str, share: str | None, code: str = "PX-2") -> Indicator:
    return Indicator(
        level1="产出指标", level2="数量指标", level3=name, kind=IndicatorKind.quantitative,
        target="≥1", weight=Decimal(10), actual=actual, cost_standard=code,
        cost_share=None if share is None else Decimal(share),
    )  # fmt: skip


def _goal(*indicators: Indicator) -> PerformanceGoal:
    return PerformanceGoal("P24-02", "干部培训", indicators=indicators)


def test_one_costed_output_bears_the_whole_executed_amount_by_default() -> None:
    goal = _goal(_output("培训人天", "1200人天", None))
    measures, findings = split_goal_measures(goal, Decimal("660000.00"))
    assert findings == []
    (measure,) = measures
    assert (measure.cost, measure.share) == (Decimal("660000.00"), None)
    results, _ = measure_unit_costs(measures, TRAINING)
    assert results[0].unit_cost == Decimal(550)


def test_one_costed_output_may_bear_a_stated_share() -> None:
    goal = _goal(_output("培训人天", "1200人天", "50"))
    (measure,), _ = split_goal_measures(goal, Decimal("660000.00"))
    assert (measure.cost, measure.share) == (Decimal("330000.00"), Decimal(50))
    results, _ = measure_unit_costs([measure], TRAINING)
    assert results[0].unit_cost == Decimal("275")  # 660,000 × 50% ÷ 1200


def test_several_costed_outputs_divide_the_executed_amount_by_their_shares() -> None:
    goal = _goal(
        _output("培训人天", "1000人天", "60"), _output("会议人天", "800人天", "40", "HY-2")
    )
    measures, findings = split_goal_measures(goal, Decimal("1000000.00"))
    assert findings == []
    assert [(m.cost, m.share) for m in measures] == [
        (Decimal("600000.00"), Decimal(60)), (Decimal("400000.00"), Decimal(40)),
    ]  # fmt: skip
    results, _ = measure_unit_costs(measures, TRAINING)
    assert [r.unit_cost for r in results] == [Decimal(600), Decimal(500)]


def test_a_missing_share_among_several_costs_none_of_them_and_says_why() -> None:
    goal = _goal(_output("培训人天", "1000人天", "60"), _output("会议人天", "800人天", None))
    measures, findings = split_goal_measures(goal, Decimal("1000000.00"))
    (finding,) = findings
    assert finding.id == "cost-share-incomplete" and finding.subject == "P24-02"
    assert finding.message == (
        "2项产出对应支出标准，须逐项填写成本占比（合计不超过100%），“会议人天”未填写。"
        "未计算这些产出的单位成本。"
    )
    assert all(m.unsplit for m in measures)
    results, more = measure_unit_costs(measures, TRAINING)
    assert [r.unit_cost for r in results] == [None, None] and more == []


def test_shares_above_100_percent_are_refused() -> None:
    goal = _goal(_output("培训人天", "1000人天", "70"), _output("会议人天", "800人天", "40"))
    assert cost_split(goal).problem == "2项产出的成本占比合计110%，超过100%。"
    costs, problem = attributed_costs(goal, Decimal(100))
    assert costs == {} and problem


def test_shares_below_100_percent_leave_the_rest_unattributed() -> None:
    goal = _goal(_output("培训人天", "1000人天", "30"), _output("会议人天", "800人天", "20"))
    costs, problem = attributed_costs(goal, Decimal("100.00"))
    assert problem == "" and sorted(costs.values()) == [Decimal("20.00"), Decimal("30.00")]


def test_the_largest_remainder_gets_the_odd_cent() -> None:
    # 0.10 元 in thirds: 0.0333… each; the 分 left over goes to the earliest output
    thirds = [Decimal("33.3333"), Decimal("33.3333"), Decimal("33.3334")]
    assert apportion(Decimal("0.10"), thirds) == [
        Decimal("0.03"), Decimal("0.03"), Decimal("0.04"),
    ]  # fmt: skip
    assert apportion(Decimal("1.00"), [Decimal(50), Decimal(50)]) == [Decimal("0.50")] * 2


@st.composite
def _shares_of_100(draw: st.DrawFn) -> list[Decimal]:
    """Two to six shares in % with up to four decimals, adding up to exactly 100."""
    count = draw(st.integers(min_value=2, max_value=6))
    cuts = sorted(draw(st.lists(st.integers(0, 1_000_000), min_size=count - 1,
                                max_size=count - 1)))  # fmt: skip
    bounds = [0, *cuts, 1_000_000]
    return [Decimal(b - a).scaleb(-4) for a, b in pairwise(bounds)]


@given(
    executed=st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2),
    shares=_shares_of_100(),
)
def test_shares_adding_up_to_100_give_back_the_executed_amount_to_the_cent(
    executed: Decimal, shares: list[Decimal]
) -> None:
    parts = apportion(executed, shares)
    assert sum(parts, Decimal(0)) == executed
    assert all(part == part.quantize(Decimal("0.01")) for part in parts)
    exact = [executed * share / 100 for share in shares]
    assert all(abs(part - e) < Decimal("0.01") for part, e in zip(parts, exact, strict=True))
