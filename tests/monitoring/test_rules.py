"""The absolute rule (≥ 200 万元, < 60 % at the end of August) and Guangzhou's 80 %/50 % rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.vocabulary import Severity
from jixiao.interchange.monitoring_rule_files import shipped_monitoring_rules

from .builders import line, run, wan

END_OF_AUGUST = date(2024, 8, 31)
END_OF_OCTOBER = date(2024, 10, 31)


@pytest.fixture(scope="module")
def absolute():
    return shipped_monitoring_rules("monitoring-absolute")


@pytest.fixture(scope="module")
def guangzhou():
    return shipped_monitoring_rules("monitoring-guangzhou")


# 全年预算数(万元)  8月末累计执行(万元)  预警
ABSOLUTE_RULE_AT_THE_END_OF_AUGUST = [
    ("199.99", "0", False),
    ("200", "119.99", True),
    ("200", "120", False),
    ("1000", "599.99", True),
    ("1000", "600", False),
]


@pytest.mark.parametrize(("budget", "executed", "warned"), ABSOLUTE_RULE_AT_THE_END_OF_AUGUST)
def test_projects_of_200_wan_or_more_below_60_percent_at_the_end_of_august_are_warned(
    absolute, budget, executed, warned
):
    result = run(END_OF_AUGUST, [line("P01", budget, {8: executed})], rules=absolute)
    assert [f.id for f in result.findings] == (["absolute-execution-rule"] if warned else [])


def test_the_warning_names_the_project_and_its_figures_in_chinese(absolute):
    result = run(END_OF_AUGUST, [line("P01", "200", {2: "100"})], rules=absolute)
    (finding,) = result.findings
    assert finding.severity is Severity.warning
    assert finding.message == (
        "项目“P01”全年预算数200.00万元，截至8月末执行100.00万元，执行率50.00%，"
        "低于60.00%，应列为重点监控。"
    )
    assert finding.figures["执行率"] == Decimal("0.5")
    assert finding.figures["全年预算数"] == wan("200")
    assert finding.location == "projects[P01]"


def test_the_absolute_rule_is_not_checked_before_august_is_over(absolute):
    result = run(date(2024, 8, 30), [line("P01", "500", {})], rules=absolute)
    assert result.findings == ()


def test_a_later_snapshot_still_judges_the_end_of_august_amount(absolute):
    lines = [line("P01", "200", {8: "100", 9: "100"})]
    result = run(date(2024, 9, 30), lines, rules=absolute)
    (finding,) = result.findings
    assert finding.figures["8月末执行数"] == wan("100")


def test_the_absolute_rule_looks_at_projects_not_basic_spending(absolute):
    result = run(END_OF_AUGUST, [line(None, "5000", {1: "1"})], rules=absolute)
    assert result.findings == ()


def test_the_project_budget_is_the_sum_of_its_lines(absolute):
    lines = [line("P01", "150", code="L1"), line("P01", "50", code="L2")]
    result = run(END_OF_AUGUST, lines, rules=absolute)
    assert [f.id for f in result.findings] == ["absolute-execution-rule"]


# 经常性项目  全年预算数(万元)  10月末累计执行(万元)  下年预算按
GUANGZHOU_AT_THE_END_OF_OCTOBER = [
    (True, "100", "80", None),
    (True, "100", "79.99", "0.9"),
    (True, "100", "50", "0.9"),
    (True, "100", "49.99", "0.6"),
    (True, "100", "0", "0.6"),
    (False, "100", "10", None),
]


@pytest.mark.parametrize(
    ("recurrent", "budget", "executed", "share"), GUANGZHOU_AT_THE_END_OF_OCTOBER
)
def test_recurrent_projects_below_80_or_50_percent_at_the_end_of_october_get_90_or_60_percent(
    guangzhou, recurrent, budget, executed, share
):
    lines = [line("P01", budget, {10: executed}, recurrent=recurrent)]
    result = run(END_OF_OCTOBER, lines, rules=guangzhou)
    assert [c.next_year_share for c in result.consequences] == (
        [Decimal(share)] if share else []
    )


def test_the_consequence_states_next_years_budget_and_the_cut(guangzhou):
    lines = [line("P01", "300", {4: "120"}, recurrent=True)]
    (consequence,) = run(END_OF_OCTOBER, lines, rules=guangzhou).consequences
    assert consequence.project_code == "P01"
    assert consequence.month == 10
    assert consequence.rate_at_month_end == Decimal("0.4")
    assert consequence.this_year_budget == wan("300")
    assert consequence.next_year_budget == wan("180")
    assert consequence.reduction == wan("120")


def test_the_guangzhou_rule_waits_for_the_end_of_october(guangzhou):
    lines = [line("P01", "100", {}, recurrent=True)]
    assert run(date(2024, 10, 30), lines, rules=guangzhou).consequences == ()


def test_december_spending_does_not_undo_the_end_of_october_consequence(guangzhou):
    lines = [line("P01", "100", {10: "40", 12: "60"}, recurrent=True)]
    (consequence,) = run(date(2024, 12, 31), lines, rules=guangzhou).consequences
    assert consequence.next_year_share == Decimal("0.6")


def test_the_guangzhou_rules_also_light_the_projects(guangzhou):
    lines = [line("P01", "100", {10: "40"}, recurrent=True)]
    project = run(END_OF_OCTOBER, lines, rules=guangzhou).project("P01")
    assert project.light is not None
    assert project.light.label == "红"  # 40 % ÷ 10/12 = 48 %
