"""The cycle's pieces together: last year's results and the library shape next year's goal."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.cost import cost_measures, measure_unit_costs
from jixiao.core.evaluation import ProjectEvaluation
from jixiao.core.goals import Funds, FundsRow, Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.indicator_library import check_targets_against_library, suggest_indicators
from jixiao.core.result_application import BudgetAction, project_result, propose
from jixiao.core.scoring import evaluate_goal
from jixiao.interchange.cost_standard_files import shipped_cost_standards
from jixiao.interchange.dataset_file import read_dataset
from jixiao.interchange.goal_records import core_goal
from jixiao.interchange.indicator_library_files import (
    parse_indicator_library,
    shipped_indicator_library,
)
from jixiao.interchange.result_application_files import shipped_result_rules
from jixiao.interchange.rule_files import load_rule_set
from tests.conftest import DEMO
from tests.monitoring.builders import wan

NATURAL_RESOURCES = shipped_indicator_library("natural-resources")


def test_the_demo_targets_set_again_for_2024_are_below_2023s_published_actuals() -> None:
    goal = core_goal(read_dataset(DEMO).goals[0])
    findings = check_targets_against_library(goal, NATURAL_RESOURCES, 2024, "liwan-ghzy")
    too_low = [f.location.rsplit("/", 1)[1] for f in findings]
    assert too_low == [
        "审结不动产登记案件数",
        "出让土地宗数",
        "历史存量违法用地整改率",
        "新增违法用地整改率",
        "“房地一体”登记发证率",
        "区土地出让收入",
    ]
    assert all(f.message.endswith("目标值偏低。") for f in findings)
    suggested = [e.level3 for e in suggest_indicators(NATURAL_RESOURCES, "自然资源", goal)]
    assert "一般登记业务办理时限" in suggested
    assert "审结不动产登记案件数" not in suggested


def test_a_poorly_evaluated_project_becomes_a_proposal_to_cancel_next_year() -> None:
    rules = load_rule_set("mof-2020-project")
    goal = PerformanceGoal(
        "P23-09",
        "测绘成果更新",
        indicators=(
            Indicator(
                "产出指标",
                "数量指标",
                "更新图幅个数",
                IndicatorKind.quantitative,
                "≥100个",
                Decimal(90),
                actual="40个",
            ),
        ),
    )
    funds = Funds(FundsRow("年度资金总额", wan("100"), wan("100"), wan("50")))
    evaluation = ProjectEvaluation(
        "P23-09", "测绘成果更新", funds, evaluate_goal(goal, funds, rules), (), ()
    )
    result = project_result(evaluation, 2023, department="liwan-ghzy")
    assert result.grade == "差"
    assert result.execution_rate == Decimal("0.5")
    proposal = propose(result, shipped_result_rules("results-default"))
    assert proposal is not None
    assert proposal.action is BudgetAction.cancel
    assert proposal.grounds == ("评价等级为差", "全年预算执行率低于60%")
    assert proposal.budget_year == 2024


def test_a_library_output_linked_to_a_standard_is_costed_from_the_goal() -> None:
    library = parse_indicator_library("""\
format: jixiao-indicator-library/1
id: training
version: 1
name: 培训
indicators:
  - {code: T1, level1: 产出指标, level2: 数量指标, level3: 培训人天, sector: 通用, unit: 天,
     direction: higher, basis: 计划标准, definition: 参训人数 × 培训天数, cost_standard: PX-2}
""")
    entry = library.entry("T1")
    assert entry is not None
    row = entry.as_indicator("≥1000人天", Decimal(20))
    goal = PerformanceGoal("P24-03", "业务培训", indicators=(
        Indicator(row.level1, row.level2, row.level3, row.kind, row.target, row.weight,
                  actual="1000人天"),
    ))  # fmt: skip
    standard_of = {e.level3: e.cost_standard for e in library.indicators if e.cost_standard}
    measures = cost_measures(goal, Decimal(600000), standard_of)
    standards = shipped_cost_standards("cost-standards-central-meetings-training")
    results, findings = measure_unit_costs(measures, standards)
    assert results[0].unit_cost == Decimal(600)
    assert [f.id for f in findings] == ["unit-cost-above-standard"]
