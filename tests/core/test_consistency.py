"""Consistency checks (勾稽关系): mismatches are reported as what they are, never fixed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.budget import budget_figures
from jixiao.core.consistency import (
    CHECKS,
    Finding,
    check_natures_sum_to_total,
    check_sources_sum_to_total,
    run_checks,
)
from jixiao.core.money import ZERO, D
from jixiao.core.vocabulary import FundingSource, Nature, Severity
from jixiao.core.year import Achievement, Adjustment, BudgetLine, Metric, PublishedTotals

from .builders import (
    LIWAN_ACHIEVEMENT_9_HISTORICAL,
    LIWAN_ACHIEVEMENT_9_NEW,
    line,
    lines_year,
    liwan_totals,
    liwan_year,
    rectification,
    wan,
)

GENERAL = FundingSource.general_public_budget
FUND = FundingSource.government_fund_budget
STATE = FundingSource.state_capital_budget
OTHER = FundingSource.other_funds


def ids(findings: list[Finding]) -> list[str]:
    return [finding.id for finding in findings]


# Liwan 2023: the one-cent gap


def test_the_liwan_totals_give_exactly_one_finding_the_one_cent_natures_gap():
    findings = run_checks(liwan_year())
    assert len(findings) == 1
    [finding] = findings
    assert finding.id == "natures-sum-to-total"
    assert finding.severity is Severity.warning
    assert "77,261.66" in finding.message
    assert "77,261.67" in finding.message
    assert "0.01" in finding.message


def test_the_one_cent_finding_carries_the_figures_it_is_about():
    [finding] = run_checks(liwan_year())
    assert finding.figures["合计"] == wan("77,261.66")
    assert finding.figures["执行数"] == wan("77,261.67")
    assert finding.figures["差额"] == wan("0.01")
    assert finding.figures["基本支出"] == wan("3,734.82")
    assert finding.figures["项目支出"] == wan("73,526.84")


def test_the_one_cent_finding_is_flagged_not_fixed():
    year = liwan_year()
    run_checks(year)
    figures = budget_figures(year)
    assert figures.executed == wan("77,261.67")
    assert figures.executed_by_nature[Nature.project] == wan("73,526.84")


def test_the_liwan_sources_add_up_to_the_executed_total():
    year = liwan_year()
    assert list(check_sources_sum_to_total(year, budget_figures(year))) == []


def test_a_gap_of_one_wan_between_natures_and_total_is_an_error():
    natures = {Nature.basic: wan("3,734.82"), Nature.project: wan("73,525.85")}
    [finding] = run_checks(liwan_year(totals=liwan_totals(executed_by_nature=natures)))
    assert finding.id == "natures-sum-to-total"
    assert finding.severity is Severity.error
    assert "1.00" in finding.message
    assert "四舍五入" not in finding.message


def test_a_gap_within_half_a_cent_per_printed_figure_is_a_warning_and_beyond_it_an_error():
    # basic + project + total are three printed figures: up to 0.015 万元 (150 元) is rounding.
    def severity_for(project_yuan: Decimal) -> Severity:
        natures = {Nature.basic: ZERO, Nature.project: project_yuan}
        year = liwan_year(totals=PublishedTotals(executed=wan("100"), executed_by_nature=natures))
        [finding] = check_natures_sum_to_total(year, budget_figures(year))
        return finding.severity

    assert severity_for(wan("100") - Decimal("150")) is Severity.warning
    assert severity_for(wan("100") + Decimal("150")) is Severity.warning
    assert severity_for(wan("100") - Decimal("151")) is Severity.error


def test_sources_that_do_not_add_up_to_the_total_are_found():
    sources = {GENERAL: wan("5,260.44"), FUND: wan("71,968.65"), STATE: ZERO, OTHER: wan("132.58")}
    findings = run_checks(liwan_year(totals=liwan_totals(executed_by_source=sources)))
    assert ids(findings) == ["sources-sum-to-total", "natures-sum-to-total"]
    source_finding = findings[0]
    assert source_finding.severity is Severity.error
    assert "77,361.67" in source_finding.message
    assert "100.00" in source_finding.message
    assert source_finding.figures["差额"] == -wan("100")


def test_totals_without_breakdowns_are_not_checked_for_breakdowns():
    year = liwan_year(totals=PublishedTotals(final_budget=wan("10"), executed=wan("5")))
    assert run_checks(year) == []


# Lines within their budget


def test_a_line_over_its_budget_without_an_explanation_is_an_error():
    year = lines_year(line("101", "100.00", "80.00"), line("102", "100.00", "100.01"))
    [finding] = run_checks(year)
    assert finding.id == "line-within-budget"
    assert finding.severity is Severity.error
    assert finding.location == "budget.lines[1]"
    assert "102" in finding.message
    assert "100.01" in finding.message
    assert finding.figures == {"执行数": wan("100.01"), "全年预算数": wan("100.00")}


def test_a_line_over_its_budget_with_an_explanation_gives_no_finding():
    explained = line("102", "100.00", "120.00", over_budget_explanation="使用上年结转资金支付")
    assert run_checks(lines_year(explained)) == []


def test_a_blank_explanation_does_not_explain_an_overspend():
    blank = line("102", "100.00", "120.00", over_budget_explanation="   ")
    assert ids(run_checks(lines_year(blank))) == ["line-within-budget"]


def test_a_line_spent_exactly_to_its_budget_is_within_it():
    assert run_checks(lines_year(line("101", "100.00", "100.00"))) == []


# Adjustments


def test_adjustments_that_do_not_add_up_to_the_final_budget_are_found():
    year = lines_year(
        line("101", "150.00", "100.00", initial="100.00", adjustments=("30.00", "20.00")),
        line("102", "150.00", "100.00", initial="100.00", adjustments=("30.00",)),
    )
    [finding] = run_checks(year)
    assert finding.id == "adjustments-add-up"
    assert finding.severity is Severity.error
    assert finding.location == "budget.lines[1]"
    assert "130.00" in finding.message
    assert "150.00" in finding.message


def test_a_cut_in_the_budget_counts_as_a_negative_adjustment():
    cut = line("101", "80.00", "60.00", initial="100.00", adjustments=("-20.00",))
    assert run_checks(lines_year(cut)) == []


def test_a_changed_budget_without_any_adjustment_is_found():
    unrecorded = line("101", "120.00", "60.00", initial="100.00")
    assert ids(run_checks(lines_year(unrecorded))) == ["adjustments-add-up"]


# Published totals beside lines


def test_published_totals_that_disagree_with_the_lines_are_found():
    lines = (
        line("101", "1,000.00", "600.00", source=GENERAL, nature=Nature.basic),
        line("201", "2,000.00", "1,500.00", source=FUND, nature=Nature.project),
    )
    published = PublishedTotals(
        final_budget=wan("3,000.00"),
        executed=wan("2,200.00"),
        executed_by_source={GENERAL: wan("600.00"), FUND: wan("1,500.00")},
        executed_by_nature={Nature.basic: wan("700.00")},
    )
    findings = run_checks(lines_year(*lines, totals=published))
    # The published breakdowns do not add up either; each disagreement is its own finding.
    assert ids(findings) == [
        "sources-sum-to-total",
        "natures-sum-to-total",
        "published-totals-match-lines",
        "published-totals-match-lines",
    ]
    executed, basic = findings[2:]
    assert executed.severity is Severity.error
    assert "执行数2,200.00" in executed.message
    assert "2,100.00" in executed.message
    assert executed.figures["差额"] == wan("100")
    assert "基本支出执行数700.00" in basic.message
    assert "600.00" in basic.message


def test_published_totals_that_agree_with_the_lines_give_no_finding():
    lines = (line("101", "1,000.00", "600.00", source=GENERAL, nature=Nature.basic),)
    published = PublishedTotals(
        final_budget=wan("1,000.00"),
        executed=wan("600.00"),
        executed_by_source={GENERAL: wan("600.00")},
        executed_by_nature={Nature.basic: wan("600.00"), Nature.project: ZERO},
    )
    assert run_checks(lines_year(*lines, totals=published)) == []


# Stated rates


def test_the_two_liwan_stated_rectification_rates_pass():
    year = liwan_year(achievements=(LIWAN_ACHIEVEMENT_9_HISTORICAL, LIWAN_ACHIEVEMENT_9_NEW))
    assert "stated-rate-matches" not in ids(run_checks(year))


def test_a_rate_stated_with_one_decimal_is_checked_at_one_decimal():
    # 394.59 ÷ 404.67 = 97.509…%: "97.5" is right at its one decimal, "97.51" would be too.
    def rate_findings(stated: str) -> list[Finding]:
        achievement = rectification("新增图斑整改", "404.67", "394.59", stated)
        year = liwan_year(achievements=(achievement,))
        return [f for f in run_checks(year) if f.id == "stated-rate-matches"]

    assert rate_findings("97.5") == []
    assert rate_findings("97.51") == []
    [finding] = rate_findings("97.6")
    assert "97.5%" in finding.message


def test_a_wrong_stated_rate_is_found_with_the_computed_rate_in_the_message():
    wrong = rectification("历史存量图斑整改", "933.93", "804.91", "86.20")
    year = liwan_year(achievements=(LIWAN_ACHIEVEMENT_9_NEW, wrong))
    [finding] = [f for f in run_checks(year) if f.id == "stated-rate-matches"]
    assert finding.severity is Severity.error
    assert "86.20" in finding.message
    assert "86.19" in finding.message
    assert finding.figures == {"文中数": D("86.20"), "计算数": D("86.19")}
    assert finding.location == "achievements[1].metrics[2]"


def test_a_rate_naming_a_missing_metric_is_reported():
    orphan = Achievement(
        title="耕地保护",
        text="",
        metrics=(
            Metric("耕地面积", D("100"), "亩"),
            Metric("恢复率", D("90"), "%", stated="90", ratio_of=("已恢复面积", "耕地面积")),
        ),
    )
    [finding] = run_checks(replace(lines_year(), achievements=(orphan,)))
    assert finding.id == "stated-rate-matches"
    assert finding.severity is Severity.error
    assert "恢复率" in finding.message
    assert finding.location == "achievements[0].metrics[1]"


def test_a_rate_of_a_zero_denominator_is_reported():
    zero = rectification("图斑整改", "0", "0", "100")
    findings = run_checks(liwan_year(achievements=(zero,)))
    assert "stated-rate-matches" in ids(findings)


# The list of checks


def test_a_consistent_line_grain_year_gives_no_findings():
    year = lines_year(
        line(
            "101",
            "1,200.00",
            "1,150.25",
            source=GENERAL,
            nature=Nature.basic,
            initial="1,000.00",
            adjustments=("250.00", "-50.00"),
        ),
        line("201", "3,000.00", "2,000.00", source=FUND, nature=Nature.project),
        line("301", "10.00", None, source=STATE, nature=Nature.project),
        line("901", "5.00", "5.00", source=OTHER, nature=Nature.project),
        totals=PublishedTotals(final_budget=wan("4,215.00"), executed=wan("3,155.25")),
    )
    assert run_checks(year) == []


def test_run_checks_runs_only_the_checks_it_is_given():
    year = liwan_year()
    assert run_checks(year, checks=[check_sources_sum_to_total]) == []
    assert ids(run_checks(year, checks=[check_natures_sum_to_total])) == ["natures-sum-to-total"]
    assert run_checks(year, checks=[]) == []


def test_every_check_is_in_the_list():
    assert len(CHECKS) == 8
    assert check_sources_sum_to_total in CHECKS
    assert check_natures_sum_to_total in CHECKS


# Property: a year built from lines, spent within budget, is consistent

cents = st.integers(min_value=0, max_value=10**12)
_DATE = date(2024, 3, 1)


def yuan(amount_in_cents: int) -> Decimal:
    return Decimal(amount_in_cents) / 100


@st.composite
def lines_spent_within_budget(draw):
    initial = draw(cents)
    adjustments = draw(st.lists(st.integers(min_value=-initial, max_value=10**11), max_size=3))
    final = initial + sum(adjustments)
    if final < 0:
        adjustments.append(-final)
        final = 0
    executed = draw(st.none() | st.integers(min_value=0, max_value=final))
    return BudgetLine(
        code=str(draw(st.integers(min_value=100, max_value=999))),
        name="项目",
        funding_source=draw(st.sampled_from(FundingSource)),
        nature=draw(st.sampled_from(Nature)),
        initial_budget=yuan(initial),
        final_budget=yuan(final),
        adjustments=tuple(Adjustment(date=_DATE, amount=yuan(a)) for a in adjustments),
        executed=None if executed is None else yuan(executed),
    )


@given(st.lists(lines_spent_within_budget(), max_size=20))
def test_any_year_of_lines_spent_within_budget_gives_no_error(lines):
    findings = run_checks(lines_year(*lines))
    assert [f for f in findings if f.severity is Severity.error] == []


def test_a_ledger_that_rounds_to_the_published_figures_agrees_with_them():
    # 772,616,680 元 is published as 77,261.67 万元: no finding.
    lines = (line("101", "103,118.19", "77,261.668"),)
    published = PublishedTotals(final_budget=wan("103,118.19"), executed=wan("77,261.67"))
    assert run_checks(lines_year(*lines, totals=published)) == []


def test_a_published_figure_given_to_the_fen_must_agree_to_the_fen():
    lines = (line("101", "100.00", "50.000001"),)
    published = PublishedTotals(executed=wan("50.000002"))
    assert ids(run_checks(lines_year(*lines, totals=published))) == [
        "published-totals-match-lines"
    ]
