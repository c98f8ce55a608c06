"""抽查 sampling and the 财政评价 comparison (pure core)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
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
from jixiao.interchange.spot_check_files import (
    RULES_DIR,
    SpotCheckFileError,
    load_framework,
    parse_framework,
)

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
    assert sum(t.self_score or 0 for t in comparison.level1_totals()) == comparison.self_total
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
    # 产出 50 → 40, 效益 30 + 满意度 10 → 30, the execution row 10 → 5 of 过程's 15
    assert by_key["产出指标/数量指标/b"].counted_weight == 40
    assert by_key["满意度指标/服务对象满意度指标/c"].counted_weight == Decimal("7.5")
    assert by_key[EXECUTION_KEY].counted_weight == 5
    comparison = compare(rows, framework)
    assert comparison.weight_total == 100
    totals = {t.name: t for t in comparison.level1_totals()}
    assert [(t.name, t.weight) for t in totals.values()] == [
        ("决策", 15),
        ("过程", 15),
        ("产出", 40),
        ("效益", 30),
    ]
    assert totals["决策"].self_score is None and totals["决策"].difference is None
    assert totals["产出"].self_score == 32 and totals["产出"].bureau_score == 28
    assert totals["产出"].difference == -4
    assert totals["效益"].self_score == Decimal("29.25") and totals["效益"].difference is None
    assert totals["过程"].self_score == 4 and totals["过程"].bureau_score == 0


# The framework's 100: groups weighted by the rule file, the project's rows scaled into them

weights = st.decimals(1, 50, places=2)
fractions = st.fractions(0, 1, max_denominator=100)


def _self_rows(data: list[tuple[str, Decimal]]) -> list[SelfRow]:
    return [SelfRow(f"{level}/{n}", level, f"r{n}", w, None) for n, (level, w) in enumerate(data)]


self_levels = st.sampled_from(["产出指标", "效益指标", "满意度指标"])
project_rows = st.lists(st.tuples(self_levels, weights), min_size=1, max_size=12).filter(
    lambda rows: (
        {"产出指标"} <= {level for level, _ in rows}
        and bool({"效益指标", "满意度指标"} & {level for level, _ in rows})
    )
)


def _scored(
    data: list[tuple[str, Decimal]], share: list[Fraction]
) -> tuple[list[SelfRow], dict[str, Decimal]]:
    framework = load_framework()
    rows = [*_self_rows(data), SelfRow(EXECUTION_KEY, "", "预算执行率", Decimal(10), None)]
    table = score_rows(framework, rows, {})
    marks = {
        r.key: (r.weight * Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("0.01"))
        for r, f in zip(table, share + [Fraction(1)] * len(table), strict=False)
    }
    return rows, {k: min(v, next(r.weight for r in table if r.key == k)) for k, v in marks.items()}


@given(project_rows)
def test_full_marks_give_exactly_the_framework_total_of_100(
    data: list[tuple[str, Decimal]],
) -> None:
    framework = load_framework()
    rows = [*_self_rows(data), SelfRow(EXECUTION_KEY, "", "预算执行率", Decimal(10), None)]
    full = {r.key: r.weight for r in score_rows(framework, rows, {})}
    comparison = compare(score_rows(framework, rows, full), framework)
    assert comparison.bureau_total == 100 == comparison.weight_total
    assert [t.bureau_score for t in comparison.level1_totals()] == [15, 15, 40, 30]


@given(project_rows, st.lists(fractions, max_size=30))
def test_any_bureau_scores_total_at_most_100(
    data: list[tuple[str, Decimal]], share: list[Fraction]
) -> None:
    framework = load_framework()
    rows, marks = _scored(data, share)
    comparison = compare(score_rows(framework, rows, marks), framework)
    assert 0 <= comparison.bureau_total <= 100
    for level in comparison.level1_totals():
        assert level.bureau_score <= level.weight


@given(project_rows, st.lists(fractions, max_size=30))
def test_scaling_keeps_each_rows_score_ratio_and_the_ratios_between_rows(
    data: list[tuple[str, Decimal]], share: list[Fraction]
) -> None:
    framework = load_framework()
    rows, marks = _scored(data, share)
    table = score_rows(framework, rows, marks)
    scaled = [r for r in table if r.key not in {i.key for i in framework.items}]
    for row in scaled:
        assert row.bureau_score is not None
        assert row.scaled(row.bureau_score) / row.scaled(row.weight) == Fraction(
            row.bureau_score
        ) / Fraction(row.weight)
    for a in scaled:
        for b in scaled:
            if a.level1 == b.level1:
                assert row_ratio(a, b) == Fraction(a.weight) / Fraction(b.weight)


def row_ratio(a: ScoreRow, b: ScoreRow) -> Fraction:
    return a.scaled(a.weight) / b.scaled(b.weight)


def test_a_framework_whose_groups_do_not_sum_to_100_is_refused() -> None:
    text = (RULES_DIR / "spot-check-mof-2020.yaml").read_text(encoding="utf-8")
    with pytest.raises(SpotCheckFileError, match="合计为105分，须为100分"):
        parse_framework(text.replace("weight: 40", "weight: 45"), "x.yaml")
    with pytest.raises(SpotCheckFileError, match="“决策”下各指标分值合计15分，与其权重16分不符"):
        parse_framework(
            text.replace("weight: 40", "weight: 39").replace(
                "weight: 15\n    items", "weight: 16\n    items", 1
            ),
            "x.yaml",
        )
    with pytest.raises(SpotCheckFileError, match="“过程”权重10分，其下指标已占10分"):
        parse_framework(
            text.replace("weight: 15                 #", "weight: 10  #").replace(
                "weight: 40", "weight: 45"
            ),
            "x.yaml",
        )


def test_a_framework_written_as_data_with_other_weights_is_used_as_written() -> None:
    text = (RULES_DIR / "spot-check-mof-2020.yaml").read_text(encoding="utf-8")
    variant = parse_framework(
        text.replace("weight: 15                 #", "weight: 20  #").replace(
            "weight: 40", "weight: 35"
        ),
        "spot-check-variant.yaml",
    )
    weights = [(name, int(weight)) for name, weight in variant.level1_weights]
    assert weights == [("决策", 15), ("过程", 20), ("产出", 35), ("效益", 30)]
    rows = [
        SelfRow("产出指标/数量指标/a", "产出指标", "a", Decimal(50), Decimal(50)),
        SelfRow("效益指标/社会效益指标/b", "效益指标", "b", Decimal(30), Decimal(30)),
        SelfRow(EXECUTION_KEY, "", "预算执行率", Decimal(10), Decimal(10)),
    ]
    table = score_rows(variant, rows, {})
    by_key = {r.key: r for r in table}
    assert by_key[EXECUTION_KEY].counted_weight == 10  # 过程 20 less its items' 10
    assert by_key["产出指标/数量指标/a"].counted_weight == 35
    assert compare(table, variant).weight_total == 100


# Scores given under an earlier version of the rule file


def test_a_score_is_carried_to_the_current_weight_keeping_its_ratio() -> None:
    from jixiao.core.spot_checks import ScoreBasis, recomputed

    assert recomputed(Decimal(3), ScoreBasis("2020.1", Decimal(4)), Decimal(2)) == Decimal("1.5")
    assert recomputed(Decimal(1), ScoreBasis("2020.1", Decimal(3)), Decimal(2)) == Decimal("0.6667")
    assert recomputed(Decimal(0), ScoreBasis("2020.1", Decimal(0)), Decimal(2)) == Decimal(0)
    # no weight recorded: a score within today's weight stands, one above cannot be carried
    assert recomputed(Decimal(2), ScoreBasis(None, None), Decimal(2)) == Decimal(2)
    assert recomputed(Decimal(3), ScoreBasis(None, None), Decimal(2)) is None


def test_the_note_names_the_versions_the_outdated_scores_were_given_under() -> None:
    from jixiao.core.spot_checks import ScoreBasis, outdated_note

    assert outdated_note([], "2020.2") == ""
    bases = [ScoreBasis("2020.1", Decimal(4)), ScoreBasis(None, None), ScoreBasis("2020.1", None)]
    assert outdated_note(bases, "2020.2") == "按旧版评分规则（2020.1、版本未记录）评分，需复核"
    reweighted = ScoreBasis("2020.2", Decimal(2))  # the weight changed within 2020.2
    assert outdated_note([reweighted], "2020.2") == "评分后分值已调整，需复核"
    assert outdated_note([*bases, reweighted], "2020.2") == (
        "按旧版评分规则（2020.1、版本未记录）评分，评分后分值已调整，需复核"
    )
    assert ScoreBasis("2020.2", Decimal(2)).outdated("2020.2", Decimal(3))
    assert not ScoreBasis("2020.2", Decimal(3)).outdated("2020.2", Decimal(3))


def test_the_framework_carries_its_files_version() -> None:
    from jixiao.interchange.spot_check_files import load_framework

    assert load_framework().version == "2020.2"
