"""Budget figures: 执行率 and the breakdowns, from published totals or from budget lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.budget import (
    budget_figures,
    executed_by_nature,
    executed_by_source,
    execution_rate,
    line_executed,
    lines_figures,
)
from jixiao.core.money import ZERO, format_percent, format_wan
from jixiao.core.vocabulary import FundingSource, Nature
from jixiao.core.year import BudgetLine, PublishedTotals

from .builders import line, lines_year, liwan_totals, liwan_year, wan

GENERAL = FundingSource.general_public_budget
FUND = FundingSource.government_fund_budget
STATE = FundingSource.state_capital_budget
OTHER = FundingSource.other_funds


@pytest.fixture
def liwan_figures():
    return budget_figures(liwan_year())


# Liwan 2023: published totals only


def test_the_liwan_totals_give_the_published_headline_figures(liwan_figures):
    assert liwan_figures.from_lines is False
    assert liwan_figures.final_budget == wan("103,118.19")
    assert liwan_figures.executed == wan("77,261.67")
    assert format_wan(liwan_figures.final_budget) == "103,118.19"
    assert format_wan(liwan_figures.executed) == "77,261.67"
    assert format_wan(liwan_figures.carryover) == "2,578.28"


def test_the_liwan_execution_rate_is_exactly_seventy_four_point_nine_three(liwan_figures):
    assert liwan_figures.execution_rate == Decimal("772616700") / Decimal("1031181900")
    assert format_percent(liwan_figures.execution_rate) == "74.93%"


def test_the_liwan_breakdowns_are_taken_as_published_not_corrected(liwan_figures):
    assert {s: format_wan(a) for s, a in liwan_figures.executed_by_source.items()} == {
        GENERAL: "5,260.44",
        FUND: "71,968.65",
        STATE: "0.00",
        OTHER: "32.58",
    }
    assert {n: format_wan(a) for n, a in liwan_figures.executed_by_nature.items()} == {
        Nature.basic: "3,734.82",
        Nature.project: "73,526.84",
    }
    # 3,734.82 + 73,526.84 = 77,261.66: the published one-cent gap stays as published.
    assert sum(liwan_figures.executed_by_nature.values(), ZERO) == wan("77,261.66")
    assert liwan_figures.executed == wan("77,261.67")


def test_a_totals_year_without_an_executed_total_adds_up_its_sources():
    year = liwan_year(totals=liwan_totals(executed=None))
    assert budget_figures(year).executed == wan("77,261.67")


def test_a_totals_year_without_a_budget_has_no_execution_rate():
    figures = budget_figures(liwan_year(totals=PublishedTotals(executed=wan("10"))))
    assert figures.final_budget == ZERO
    assert figures.execution_rate is None
    assert format_percent(figures.execution_rate) == "—"


def test_an_empty_year_has_zero_figures_and_no_rate():
    figures = budget_figures(lines_year())
    assert figures.executed == ZERO
    assert figures.final_budget == ZERO
    assert figures.execution_rate is None
    assert figures.carryover is None


# Line grain


@pytest.fixture
def four_lines():
    return lines_year(
        line("101", "1,000.00", "800.00", source=GENERAL, nature=Nature.basic),
        line("102", "500.00", "250.50", source=GENERAL, nature=Nature.project),
        line("201", "3,000.00", "2,999.99", source=FUND, nature=Nature.project),
        line("901", "100.00", "0.01", source=OTHER, nature=Nature.project),
    )


def test_a_line_grain_year_adds_up_its_lines(four_lines):
    figures = budget_figures(four_lines)
    assert figures.from_lines is True
    assert figures.final_budget == wan("4,600.00")
    assert figures.initial_budget == wan("4,600.00")
    assert figures.executed == wan("4,050.50")


def test_a_line_grain_year_sums_executed_by_funding_source(four_lines):
    assert budget_figures(four_lines).executed_by_source == {
        GENERAL: wan("1,050.50"),
        FUND: wan("2,999.99"),
        STATE: ZERO,
        OTHER: wan("0.01"),
    }


def test_a_line_grain_year_sums_executed_by_nature(four_lines):
    assert budget_figures(four_lines).executed_by_nature == {
        Nature.basic: wan("800.00"),
        Nature.project: wan("3,250.50"),
    }


def test_a_line_grain_year_computes_the_rate_from_its_lines(four_lines):
    figures = budget_figures(four_lines)
    assert figures.execution_rate == wan("4,050.50") / wan("4,600.00")
    assert format_percent(figures.execution_rate) == "88.05%"


def test_published_totals_are_the_figures_of_record_and_lines_fill_the_rest():
    year = lines_year(
        line("101", "10.00", "5.00"),
        totals=PublishedTotals(final_budget=wan("99.00"), executed=wan("99.00")),
    )
    figures = budget_figures(year)
    assert figures.final_budget == wan("99.00")
    assert figures.executed == wan("99.00")
    assert figures.initial_budget == wan("10.00")
    assert figures.executed_by_nature[Nature.project] == wan("5.00")
    assert lines_figures(year).executed == wan("5.00")


def test_a_line_without_executed_counts_as_zero():
    unspent = line("301", "200.00", None, source=STATE, nature=Nature.basic)
    assert unspent.executed is None
    assert line_executed(unspent) == ZERO
    figures = budget_figures(lines_year(unspent, line("302", "200.00", "50.00")))
    assert figures.executed == wan("50.00")
    assert figures.executed_by_source[STATE] == ZERO
    assert figures.executed_by_nature[Nature.basic] == ZERO
    assert format_percent(figures.execution_rate) == "12.50%"


def test_the_breakdowns_name_every_source_and_nature_even_when_empty():
    assert executed_by_source([]) == dict.fromkeys(FundingSource, ZERO)
    assert executed_by_nature([]) == dict.fromkeys(Nature, ZERO)


def test_the_carryover_comes_from_the_lines_unless_published():
    with_carryover = (
        BudgetLine("1", "甲", GENERAL, Nature.basic, wan("1"), wan("1"), carryover=wan("0.25")),
        BudgetLine("2", "乙", FUND, Nature.project, wan("1"), wan("1"), carryover=wan("0.50")),
    )
    assert budget_figures(lines_year(*with_carryover)).carryover == wan("0.75")
    published = PublishedTotals(carryover=wan("2,578.28"))
    assert budget_figures(lines_year(*with_carryover, totals=published)).carryover == wan(
        "2,578.28"
    )
    assert budget_figures(lines_year(line("3", "1.00", "1.00"))).carryover is None


def test_the_execution_rate_is_executed_over_the_final_budget():
    assert execution_rate(wan("3"), wan("4")) == Decimal("0.75")
    assert execution_rate(wan("3"), ZERO) is None


# Properties

cents = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n) / 100)


@st.composite
def budget_lines(draw):
    budget = draw(cents)
    executed = draw(st.none() | cents)
    return BudgetLine(
        code=str(draw(st.integers(min_value=1, max_value=999))),
        name="项目",
        funding_source=draw(st.sampled_from(FundingSource)),
        nature=draw(st.sampled_from(Nature)),
        initial_budget=budget,
        final_budget=budget,
        executed=executed,
    )


@given(st.lists(budget_lines(), max_size=30))
def test_executed_by_source_and_by_nature_both_add_up_to_executed(lines):
    figures = budget_figures(lines_year(*lines))
    by_source = sum(figures.executed_by_source.values(), ZERO)
    by_nature = sum(figures.executed_by_nature.values(), ZERO)
    assert by_source == by_nature == figures.executed
    assert figures.executed == sum((line_executed(x) for x in lines), ZERO)
