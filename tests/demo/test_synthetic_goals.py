"""The illustrative project goals: well formed, scored, and faithful to the published actuals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.goal_quality import check_goal_quality
from jixiao.core.goals import Funds, FundsRow, IndicatorKind
from jixiao.core.scoring import GoalEvaluation, evaluate_goal
from jixiao.core.vocabulary import Severity
from jixiao.demo import synthetic
from jixiao.demo.synthetic import illustrative_project_goals, synthetic_budget_2023
from jixiao.interchange.dataset import Dataset, GoalEntry
from jixiao.interchange.dataset_file import read_dataset
from jixiao.interchange.goal_records import core_goal
from jixiao.interchange.rule_files import load_rule_set

from .ledger import executed_by_line, yuan

DEMO = Path(synthetic.__file__).resolve().parent / "liwan-2023.yaml"
RULES = load_rule_set("mof-2020-project")


@pytest.fixture(scope="module")
def goals() -> list[GoalEntry]:
    return illustrative_project_goals()


@pytest.fixture(scope="module")
def evaluations(goals: list[GoalEntry]) -> dict[str, GoalEvaluation]:
    budget = synthetic_budget_2023()
    executed = executed_by_line(budget)
    result = {}
    for goal in goals:
        line = next(line for line in budget.lines if line.project == goal.project)
        funds = Funds(
            FundsRow(
                "年度资金总额", yuan(line.initial_budget), yuan(line.final_budget),
                executed[line.code],
            )
        )
        assert goal.project is not None
        result[goal.project] = evaluate_goal(core_goal(goal, line.name), funds, RULES)
    return result


def _indicator(goals: list[GoalEntry], level3: str) -> str | None:
    return next(i.actual for goal in goals for i in goal.indicators if i.level3 == level3)


def test_three_projects_have_goals_and_they_are_the_same_every_time(
    goals: list[GoalEntry],
) -> None:
    assert illustrative_project_goals() == goals
    projects = {project.code for project in synthetic_budget_2023().projects}
    assert [goal.project for goal in goals] == ["LW23-P07", "LW23-P09", "LW23-P04"]
    assert all(goal.project in projects for goal in goals)


def test_each_goal_has_five_to_eight_illustrative_indicators_weighted_50_30_10(
    goals: list[GoalEntry],
) -> None:
    for goal in goals:
        assert 5 <= len(goal.indicators) <= 8
        assert all(indicator.illustrative for indicator in goal.indicators)
        weights: dict[str, Decimal] = defaultdict(Decimal)
        for indicator in goal.indicators:
            weights[indicator.level1] += indicator.weight
        assert weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
        assert goal.expected_objective and goal.actual_objective


def test_the_goals_have_qualitative_indicators_with_a_state_and_a_score(
    goals: list[GoalEntry],
) -> None:
    qualitative = [
        i for goal in goals for i in goal.indicators if i.kind is IndicatorKind.qualitative
    ]
    assert qualitative
    assert all(i.state is not None and i.assessed_score is not None for i in qualitative)


def test_the_goals_pass_the_goal_quality_checks(goals: list[GoalEntry]) -> None:
    for goal in goals:
        assert check_goal_quality(core_goal(goal), RULES) == []


def test_actuals_the_report_publishes_are_used_exactly_as_published(
    goals: list[GoalEntry],
) -> None:
    published: Dataset = read_dataset(DEMO)
    metrics = {m.name: m for a in published.achievements for m in a.metrics}

    def as_published(name: str) -> str:
        return f"{metrics[name].value}{metrics[name].unit}"

    pairs = {
        "审结不动产登记案件": "审结不动产登记案件",
        "历史存量违法用地整改率": "历史存量违法用地整改率",
        "新增违法用地整改率": "新增违法用地整改率",
        "核查上级交办违法用地图斑面积": "上级交办违法用地图斑共计",
        "推动整改恢复耕地面积": "推动整改恢复耕地",
        "实现“马上办”的登记业务": "实现“马上办”的业务",
        "不动产登记环节创税": "创税",
    }
    for indicator, metric in pairs.items():
        assert _indicator(goals, indicator) == as_published(metric), indicator
    assert _indicator(goals, "审结不动产登记案件") == "52186宗"
    assert _indicator(goals, "历史存量违法用地整改率") == "86.19%"
    assert _indicator(goals, "新增违法用地整改率") == "97.5%"


def test_the_goals_are_complete_and_score_without_errors(
    evaluations: dict[str, GoalEvaluation],
) -> None:
    for evaluation in evaluations.values():
        assert evaluation.complete
        assert [f for f in evaluation.findings if f.severity is Severity.error] == []
        assert [f for f in evaluation.findings if f.severity is Severity.warning] == []


def test_the_unlawful_land_use_goal_misses_a_target_and_explains_why(
    evaluations: dict[str, GoalEvaluation],
) -> None:
    rows = evaluations["LW23-P09"].indicators
    missed = [row for row in rows if row.score is not None and row.score < row.indicator.weight]
    assert [row.indicator.level3 for row in missed] == ["历史存量违法用地整改率"]
    assert missed[0].score == Decimal("14.37")  # 86.19 ÷ 90 × 15
    assert missed[0].indicator.deviation_reason and missed[0].indicator.improvement


def test_the_lagging_planning_project_loses_execution_points(
    evaluations: dict[str, GoalEvaluation],
) -> None:
    planning = evaluations["LW23-P04"]
    assert planning.execution.rate_percent is not None
    assert planning.execution.rate_percent < 50
    registration = evaluations["LW23-P07"]
    assert planning.total is not None and registration.total is not None
    assert planning.total < registration.total
    assert planning.execution.score is not None and planning.execution.score < 5
