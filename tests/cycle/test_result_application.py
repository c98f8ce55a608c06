"""结果应用: grades, execution and monitoring outcomes become next year's budget proposals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.monitoring import monitor
from jixiao.core.result_application import (
    BudgetAction,
    ProjectResult,
    apply_results,
    propose,
    rates_at_month_end,
    rules_from_monitoring,
    summarize,
)
from jixiao.interchange.monitoring_rule_files import shipped_monitoring_rules
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.result_application_files import (
    SHIPPED_RESULT_RULES,
    parse_result_rules,
    shipped_result_rules,
)
from tests.monitoring.builders import line, wan

DEFAULT = shipped_result_rules("results-default")
GUANGZHOU = shipped_result_rules("results-guangzhou")


def _result(code: str = "P01", **facts: object) -> ProjectResult:
    return ProjectResult(code, "耕地保护专项", 2023, wan("100"), **facts)  # type: ignore[arg-type]


def test_every_shipped_rule_set_reads() -> None:
    for name in SHIPPED_RESULT_RULES:
        assert shipped_result_rules(name).rules


def test_a_poor_grade_proposes_cancelling_with_nothing_next_year() -> None:
    proposal = propose(_result(grade="差"), DEFAULT)
    assert proposal is not None
    assert proposal.action is BudgetAction.cancel
    assert proposal.proposed_budget == 0
    assert proposal.reduction == wan("100")
    assert proposal.budget_year == 2024
    assert proposal.text == (
        "耕地保护专项：评价等级为差。建议2024年度取消或暂停，按本年全年预算数100.00万元的"
        "0.00%安排0.00万元。"
    )


def test_a_fair_grade_proposes_a_cut_whose_share_is_set_on_acceptance() -> None:
    proposal = propose(_result(grade="中"), DEFAULT)
    assert proposal is not None
    assert proposal.action is BudgetAction.reduce
    assert proposal.proposed_budget is None
    assert proposal.text == "耕地保护专项：评价等级为中。建议2024年度核减（比例待定）。"


def test_the_most_severe_matching_rule_decides_and_the_others_are_kept_as_grounds() -> None:
    proposal = propose(_result(grade="良", execution_rate=Decimal("0.55")), DEFAULT)
    assert proposal is not None
    assert proposal.action is BudgetAction.cut
    assert proposal.grounds == ("全年预算执行率低于60%", "评价等级为良")


def test_a_good_project_with_unfinished_rectification_is_reduced() -> None:
    proposal = propose(_result(grade="优", rectification_unfinished=True), DEFAULT)
    assert proposal is not None and proposal.action is BudgetAction.reduce


def test_no_rule_no_proposal() -> None:
    assert propose(_result(), DEFAULT) is None
    assert propose(_result(execution_rate=Decimal("0.6")), DEFAULT) is None  # 60 % is not below


def test_the_guangzhou_set_reproduces_the_monitoring_consequence_on_the_same_ledger() -> None:
    lines = [
        line("P01", "100", {3: "20", 9: "25"}, recurrent=True),  # 45 % by October's end
        line("P02", "100", {5: "70"}, recurrent=True),  # 70 %
        line("P03", "100", {5: "10"}),  # one-off: the rule does not apply
    ]
    monitoring = monitor(
        2023, date(2023, 10, 31), lines, [], shipped_monitoring_rules("monitoring-guangzhou")
    )
    expected = {c.project_code: c.next_year_budget for c in monitoring.consequences}
    results = [
        ProjectResult(
            code,
            code,
            2023,
            wan("100"),
            rates_at_month_end=rates_at_month_end(
                [ln for ln in lines if ln.project_code == code], 10
            ),
            recurrent=code != "P03",
        )
        for code in ("P01", "P02", "P03")
    ]
    proposals = apply_results(results, GUANGZHOU)
    assert {p.result.project_code: p.proposed_budget for p in proposals} == expected
    assert expected == {"P01": wan("60"), "P02": wan("90")}
    first = proposals[0]
    assert first.grounds == ("经常性项目10月末执行率低于50.00%", "经常性项目10月末执行率低于80.00%")


def test_a_monitoring_rule_set_converts_to_a_results_rule_set() -> None:
    converted = rules_from_monitoring(shipped_monitoring_rules("monitoring-guangzhou"), "gz")
    assert [r.next_year_share for r in converted.rules] == [Decimal("0.9"), Decimal("0.6")]
    assert all(r.recurrent_only and r.month == 10 for r in converted.rules)


def test_a_month_that_is_not_over_triggers_nothing() -> None:
    early = _result(rates_at_month_end={9: Decimal("0.1")}, recurrent=True)
    assert propose(early, GUANGZHOU) is None


VARIANT = """\
format: jixiao-results-rules/1
id: results-variant
version: 1
name: 测试地区：按执行率分档压减
rules:
  - {name: 执行率低于50%, when: {execution_below: 50%}, action: 压减, next_year_budget: 50%}
  - {name: 执行率低于80%, when: {execution_below: 80%}, action: 压减, next_year_budget: 80%}
  - {name: 评价等级为良或优, when: {grades: [优, 良]}, action: 优先保障}
"""


def test_a_variant_written_only_as_data_works() -> None:
    rules = parse_result_rules(VARIANT)
    proposals = apply_results(
        [
            _result("A", execution_rate=Decimal("0.4"), grade="良"),
            _result("B", execution_rate=Decimal("0.7")),
            _result("C", execution_rate=Decimal("0.95"), grade="优"),
            _result("D", execution_rate=Decimal("0.95"), grade="中"),
        ],
        rules,
    )
    assert [(p.result.project_code, p.action, p.proposed_budget) for p in proposals] == [
        ("A", BudgetAction.cut, wan("50")),
        ("B", BudgetAction.cut, wan("80")),
        ("C", BudgetAction.priority, None),
    ]
    assert proposals[2].text == "耕地保护专项：评价等级为良或优。建议2024年度优先保障。"


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ("{execution_below: 50%}", "rules[0].when", "至少写明一个条件"),
        ("{execution_below: 50%, month: 10}", "rules[0].when", "应同时给出"),
        ("{execution_below: 50} ", "rules[0].when.execution_below", "应写成百分数"),
    ],
)
def test_a_broken_rule_is_refused_with_a_located_chinese_problem(
    change: str, where: str, message: str
) -> None:
    replacement = {"{execution_below: 50%}": "{}"}.get(change, change)
    broken = VARIANT.replace("{execution_below: 50%}", replacement.strip(), 1)
    with pytest.raises(InputRejected) as caught:
        parse_result_rules(broken)
    assert any(p.where == where and message in p.message for p in caught.value.problems)


def test_an_unknown_monitoring_rule_set_is_refused() -> None:
    with pytest.raises(InputRejected) as caught:
        parse_result_rules(VARIANT + "from_monitoring: monitoring-nowhere\n")
    assert caught.value.problems[0].where == "from_monitoring"


def test_the_list_sums_up_by_action_most_severe_first() -> None:
    proposals = apply_results(
        [
            _result("A", grade="差"),
            _result("B", grade="中"),
            _result("C", grade="中"),
            _result("D", grade="优"),
        ],
        DEFAULT,
    )
    totals = summarize(proposals)
    assert [(t.action, t.projects, t.without_share) for t in totals] == [
        (BudgetAction.cancel, 1, 0),
        (BudgetAction.reduce, 2, 2),
        (BudgetAction.priority, 1, 1),
    ]
    assert totals[0].reduction == wan("100")
    assert totals[1].this_year_budget == wan("200")
    assert totals[1].proposed_budget == 0
