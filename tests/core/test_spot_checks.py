"""抽查 sampling and the 财政评价 comparison (pure core)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.spot_checks import (
    EXECUTION_KEY,
    Candidate,
    SamplingRule,
    ScoreError,
    ScoreRow,
    SelfRow,
    checked_score,
    compare,
    sample_at_random,
    sample_by_rule,
    score_rows,
)
from jixiao.interchange.spot_check_files import load_framework

ids = st.lists(st.integers(1, 10_000), unique=True, max_size=60)


@given(ids, st.integers(0, 80), st.integers())
def test_a_random_sample_is_reproducible_from_its_seed_and_drawn_from_the_candidates(
    pool: list[int], count: int, seed: int
) -> None:
    drawn = sample_at_random(pool, count, seed)
    assert drawn == sample_at_random(list(reversed(pool)), count, seed)
    assert len(drawn) == min(count, len(pool)) and set(drawn) <= set(pool)
    assert len(set(drawn)) == len(drawn)


def test_the_rule_draws_low_execution_and_high_self_score_with_its_reasons() -> None:
    rule = SamplingRule(Decimal(80), Decimal(95))
    drawn = sample_by_rule(
        [
            Candidate(1, Decimal("79.99"), Decimal(90)),
            Candidate(2, Decimal(80), Decimal(95)),
            Candidate(3, Decimal(100), Decimal("95.5")),
            Candidate(4, None, None),
        ],
        rule,
    )
    assert drawn == {1: "执行率79.99%低于80%", 3: "自评得分95.5分高于95分"}
    assert sample_by_rule([Candidate(1, Decimal(1), Decimal(99))], SamplingRule(None, None)) == {}


scores = st.decimals(0, 20, places=2)


@given(st.lists(st.tuples(scores, st.none() | scores, st.none() | scores), max_size=20))
def test_differences_and_totals_are_computed_from_the_scores(
    triples: list[tuple[Decimal, Decimal | None, Decimal | None]],
) -> None:
    rows = [
        ScoreRow(str(n), "产出", "x", w, own, bureau) for n, (w, own, bureau) in enumerate(triples)
    ]
    comparison = compare(rows)
    both = [r for r in rows if r.self_score is not None and r.bureau_score is not None]
    assert comparison.difference == sum(
        (
            r.bureau_score - r.self_score
            for r in both
            if r.bureau_score is not None and r.self_score is not None
        ),
        Decimal(0),
    )
    assert comparison.bureau_total == sum((r.bureau_score or 0 for r in rows), Decimal(0))
    assert sum(own for _, own, _ in comparison.level1_totals()) == comparison.self_total
    assert comparison.complete == all(r.bureau_score is not None for r in rows)


def test_a_bureau_score_lies_between_zero_and_the_weight() -> None:
    row = ScoreRow("k", "决策", "绩效目标合理性", Decimal(3), None, None)
    assert checked_score(row, Decimal(3)) == Decimal(3)
    for bad in (Decimal("-0.01"), Decimal("3.01")):
        try:
            checked_score(row, bad)
        except ScoreError as error:
            assert "绩效目标合理性" in str(error) and "0至3分" in str(error)
        else:
            raise AssertionError(bad)


def test_the_framework_file_puts_self_rows_under_decision_process_output_benefit() -> None:
    framework = load_framework()
    assert framework.level1_order == ("决策", "过程", "产出", "效益")
    self_rows = [
        SelfRow("效益指标/社会效益指标/a", "效益指标", "a", Decimal(30), Decimal(30)),
        SelfRow("产出指标/数量指标/b", "产出指标", "b", Decimal(50), Decimal(40)),
        SelfRow("满意度指标/服务对象满意度指标/c", "满意度指标", "c", Decimal(10), Decimal(9)),
        SelfRow(EXECUTION_KEY, "", "预算执行率", Decimal(10), Decimal(8)),
    ]
    rows = score_rows(framework, self_rows, {"产出指标/数量指标/b": Decimal(35)})
    levels = [r.level1 for r in rows]
    assert levels == sorted(levels, key=framework.level1_order.index)
    by_key = {r.key: r for r in rows}
    assert by_key[EXECUTION_KEY].level1 == "过程"
    assert by_key["满意度指标/服务对象满意度指标/c"].level1 == "效益"
    assert by_key["产出指标/数量指标/b"].difference == Decimal(-5)
    assert all(r.self_score is None for r in rows if r.level1 == "决策")
