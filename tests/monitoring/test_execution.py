"""Budget execution against time: rates, ratios and lights per project, source and department."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.monitoring import Light, MonitoringError, MonitoringRules, Scope

from .builders import FUND, GENERAL, line, run, wan

END_OF_JUNE = date(2024, 6, 30)  # 序时进度 6/12 = 50 %

# 全年预算数 100 万元, monitored at the end of June (序时进度 50 %), months basis.
#   6月末执行数(万元)   执行率÷序时进度   灯
LIGHTS_AT_THE_BOUNDARIES = [
    ("29.995", "0.5999", Light.red),
    ("30", "0.6", Light.yellow),
    ("39.995", "0.7999", Light.yellow),
    ("40", "0.8", Light.green),
    ("0", "0", Light.red),
    ("55", "1.1", Light.green),
]


@pytest.mark.parametrize(("executed", "ratio", "light"), LIGHTS_AT_THE_BOUNDARIES)
def test_the_light_follows_execution_over_time_progress_at_60_and_80_percent(
    executed, ratio, light
):
    result = run(END_OF_JUNE, [line("P01", "100", {3: executed})])
    project = result.project("P01")
    assert project.progress_ratio == Decimal(ratio)
    assert project.light is light


def test_the_lights_have_chinese_labels():
    assert [light.label for light in (Light.green, Light.yellow, Light.red)] == ["绿", "黄", "红"]


def test_a_project_without_budget_gets_no_light_rather_than_a_red_one():
    project = run(END_OF_JUNE, [line("P01", "0")]).project("P01")
    assert project.execution_rate is None
    assert project.light is None


def test_before_the_first_month_ends_there_is_no_ratio_and_no_light():
    project = run(date(2024, 1, 15), [line("P01", "100", {1: "5"})]).project("P01")
    assert project.execution_rate == Decimal("0.05")
    assert project.progress_ratio is None
    assert project.light is None


def test_a_rule_set_without_lights_gives_none():
    rules = MonitoringRules(name="无灯")
    project = run(END_OF_JUNE, [line("P01", "100", {3: "10"})], rules=rules).project("P01")
    assert project.progress_ratio == Decimal("0.2")
    assert project.light is None


def test_spending_after_the_monitoring_date_is_ignored():
    project = run(END_OF_JUNE, [line("P01", "100", {6: "30", 7: "50"})]).project("P01")
    assert project.executed == wan("30")


def test_the_department_and_each_funding_source_add_up_their_lines():
    lines = [
        line(None, "300", {1: "25", 2: "25", 3: "25", 4: "25", 5: "25", 6: "25"}),
        line("P01", "100", {5: "20"}, code="L1"),
        line("P01", "50", {6: "5"}, code="L2", source=FUND),
        line("P02", "200", {2: "10"}, source=FUND),
    ]
    result = run(END_OF_JUNE, lines)
    assert result.time_progress == Decimal("0.5")
    assert result.department.scope is Scope.department
    assert result.department.final_budget == wan("650")
    assert result.department.executed == wan("185")
    assert result.department.execution_rate == Decimal(185) / Decimal(650)
    by_source = {p.code: p for p in result.sources}
    assert list(by_source) == [GENERAL.value, FUND.value]
    assert by_source[GENERAL.value].executed == wan("170")
    assert by_source[FUND.value].final_budget == wan("250")
    assert by_source[FUND.value].label == "政府性基金预算财政拨款"
    assert [p.code for p in result.projects] == ["P01", "P02"]
    assert result.project("P01").final_budget == wan("150")
    assert result.project("P01").executed == wan("25")
    assert result.project("P02").light is Light.red  # 5 % ÷ 50 % = 10 %


def test_amounts_and_rates_are_kept_unrounded():
    project = run(END_OF_JUNE, [line("P01", "3", {1: "1"})]).project("P01")
    assert project.execution_rate == Decimal(1) / Decimal(3)
    assert project.progress_ratio == Decimal(1) / Decimal(3) / Decimal("0.5")


def test_a_line_with_other_than_twelve_months_is_refused():
    from jixiao.core.monitoring import LineExecution
    from jixiao.core.vocabulary import Nature

    with pytest.raises(MonitoringError, match="应为12个月"):
        LineExecution("L1", GENERAL, Nature.basic, wan("1"), (Decimal(0),) * 11)


def test_a_line_code_given_twice_is_refused():
    lines = [line("P01", "1", code="L1"), line("P02", "1", code="L1")]
    with pytest.raises(MonitoringError, match="预算行“L1”重复出现"):
        run(END_OF_JUNE, lines)


def test_a_project_cannot_be_both_recurrent_and_not():
    lines = [line("P01", "1", code="L1", recurrent=True), line("P01", "1", code="L2")]
    with pytest.raises(MonitoringError, match="是否经常性项目的标记不一致"):
        run(END_OF_JUNE, lines)
