"""Monitoring rule files: the shipped ones load; a faulty one is refused in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.interchange.monitoring_rule_files import (
    SHIPPED_MONITORING_RULES,
    parse_monitoring_rules,
    read_monitoring_rules,
    shipped_monitoring_rules,
)
from jixiao.interchange.problems import InputRejected

from .builders import wan


@pytest.mark.parametrize("name", SHIPPED_MONITORING_RULES)
def test_every_shipped_rule_file_loads_and_cites_a_local_source(name):
    rules = shipped_monitoring_rules(name)
    assert rules.source
    assert rules.evidence == "L"
    assert rules.forecast_threshold == Decimal("0.9")
    assert rules.time_basis == "months"


def test_the_ratio_rules_are_60_and_80_percent_as_fractions():
    rules = shipped_monitoring_rules("monitoring-ratio")
    assert rules.lights is not None
    assert (rules.lights.red_below, rules.lights.yellow_below) == (Decimal("0.6"), Decimal("0.8"))
    assert rules.absolute_rules == rules.consequence_rules == ()


def test_the_absolute_rule_is_200_wan_in_yuan_at_the_end_of_august():
    (rule,) = shipped_monitoring_rules("monitoring-absolute").absolute_rules
    assert (rule.min_budget, rule.month, rule.min_rate) == (wan("200"), 8, Decimal("0.6"))
    assert rule.evidence == "L"


def test_the_guangzhou_rules_are_80_to_90_and_50_to_60_in_october():
    rules = shipped_monitoring_rules("monitoring-guangzhou")
    assert [(r.month, r.below_rate, r.next_year_share) for r in rules.consequence_rules] == [
        (10, Decimal("0.8"), Decimal("0.9")),
        (10, Decimal("0.5"), Decimal("0.6")),
    ]
    assert rules.lights is not None


def test_an_unknown_rule_set_name_is_refused_with_the_choices():
    with pytest.raises(InputRejected, match="monitoring-ratio"):
        shipped_monitoring_rules("monitoring-shanghai")


def test_amounts_in_yuan_stay_in_yuan():
    rules = parse_monitoring_rules(
        "format: jixiao-monitoring-rules/1\nname: 元\nunit: 元\n"
        "absolute_rules: [{min_budget: 2000000.5, month: 8, min_rate: 60.5%}]\n"
    )
    (rule,) = rules.absolute_rules
    assert rule.min_budget == Decimal("2000000.5")
    assert rule.min_rate == Decimal("0.605")


def test_every_fault_in_a_rule_file_is_named_in_chinese(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "format: jixiao-monitoring-rules/1\n"
        "name: 错误示例\n"
        "time_basis: weeks\n"
        "lights: {red_below: 80%, yellow_below: 60%}\n"
        "absolute_rules: [{min_budget: -1, month: 13, min_rate: 160%}]\n"
        "consequence_rules: [{month: 10, below_rate: 0.8, next_year_budget: 90%}]\n"
        "colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(InputRejected) as caught:
        read_monitoring_rules(path)
    problems = {p.where: p.message for p in caught.value.problems}
    assert problems["time_basis"].startswith("“weeks”不是允许的取值")
    assert problems["lights"] == "黄灯界限不能低于红灯界限"
    assert "金额不能为负数" in problems["absolute_rules[0].min_budget"]
    assert problems["absolute_rules[0].month"] == "数值过大"
    assert "百分数应在 0% 到 100% 之间" in problems["absolute_rules[0].min_rate"]
    assert problems["consequence_rules[0].below_rate"] == "“0.8”应写成百分数，如“60%”"
    assert problems["colour"].startswith("不认识的字段")


def test_a_yaml_syntax_error_gives_the_line():
    with pytest.raises(InputRejected, match="第2行"):
        parse_monitoring_rules("format: jixiao-monitoring-rules/1\nname: 甲: 乙\n")


def test_a_file_that_is_not_a_mapping_is_refused():
    with pytest.raises(InputRejected, match="键值对象"):
        parse_monitoring_rules("- 60\n- 80\n")
