"""The published dataset with the synthetic ledger merged in loads, checks and round-trips."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core import year as core
from jixiao.core.consistency import run_checks
from jixiao.core.vocabulary import AmountUnit, Severity
from jixiao.demo import synthetic
from jixiao.demo.synthetic import demo_dataset_2023, illustrative_project_goals
from jixiao.interchange.dataset import Dataset, GoalEntry, Line
from jixiao.interchange.dataset_file import dump_dataset, parse_dataset, read_dataset

from .ledger import executed_by_line, yuan

DEMO = Path(synthetic.__file__).resolve().parent / "liwan-2023.yaml"


@pytest.fixture(scope="module")
def published() -> Dataset:
    return read_dataset(DEMO)


@pytest.fixture(scope="module")
def demo(published: Dataset) -> Dataset:
    return demo_dataset_2023(published)


def _core_year(dataset: Dataset) -> core.DepartmentYear:
    """The lines and totals as the core sees them (元), without a database."""
    executed = executed_by_line(dataset.budget)
    totals = dataset.budget.totals

    def line(entry: Line) -> core.BudgetLine:
        return core.BudgetLine(
            code=entry.code, name=entry.name, funding_source=entry.funding_source,
            nature=entry.nature, basic_kind=entry.basic_kind, project_code=entry.project,
            initial_budget=yuan(entry.initial_budget), final_budget=yuan(entry.final_budget),
            adjustments=tuple(
                core.Adjustment(a.date, yuan(a.amount), a.document_number, a.reason)
                for a in entry.adjustments
            ),
            executed=executed[entry.code],
        )

    return core.DepartmentYear(
        department_code=dataset.department.code,
        department_name=dataset.department.name,
        fiscal_year=dataset.year,
        lines=tuple(line(entry) for entry in dataset.budget.lines),
        totals=core.PublishedTotals(
            final_budget=yuan(totals.final_budget) if totals.final_budget else None,
            executed=yuan(totals.executed) if totals.executed else None,
            executed_by_source={k: yuan(v) for k, v in totals.executed_by_source.items()},
            executed_by_nature={k: yuan(v) for k, v in totals.executed_by_nature.items()},
        ),
    )


def test_the_merged_demo_survives_a_dump_and_a_parse(demo: Dataset) -> None:
    assert parse_dataset(dump_dataset(demo).encode()) == demo


def test_the_dump_has_no_yaml_anchors(demo: Dataset) -> None:
    assert "&id" not in dump_dataset(demo)


def test_the_demo_keeps_everything_the_report_publishes(
    published: Dataset, demo: Dataset
) -> None:
    assert demo.budget.totals == published.budget.totals
    assert demo.achievements == published.achievements
    assert demo.functions == published.functions
    assert demo.department.code == "liwan-ghzy"
    assert demo.department.name == published.department.name
    assert demo.unit is AmountUnit.wan


def test_the_demo_says_its_ledger_and_goals_are_synthetic(
    published: Dataset, demo: Dataset
) -> None:
    assert demo.source.startswith(published.source)
    added = demo.source[len(published.source):]
    assert "jixiao.demo.synthetic" in added
    assert "合成" in added and "固定随机种子" in added
    assert all(i.illustrative for goal in demo.goals for i in goal.indicators)


def test_the_core_finds_no_error_and_still_flags_the_published_one_cent_gap(
    demo: Dataset,
) -> None:
    findings = run_checks(_core_year(demo))
    assert [f for f in findings if f.severity is Severity.error] == []
    assert [f.id for f in findings] == ["natures-sum-to-total"]  # 3,734.82 + 73,526.84


def test_the_demo_brings_offices_projects_lines_payments_and_goals(demo: Dataset) -> None:
    assert len(demo.department.offices) >= 7
    assert demo.budget.projects and demo.budget.lines and demo.budget.payments
    # None: the department-wide goal the published dataset itself carries.
    assert {goal.project for goal in demo.goals} == {None, "LW23-P04", "LW23-P07", "LW23-P09"}


def test_it_keeps_goals_the_published_dataset_already_has(published: Dataset) -> None:
    department_goal = GoalEntry(name="部门整体支出", expected_objective="示例")
    own = published.model_copy(update={"goals": [department_goal]})
    goals = demo_dataset_2023(own).goals
    assert goals[0] == department_goal
    assert len(goals) == 1 + len(illustrative_project_goals())


def test_it_refuses_a_dataset_that_already_has_a_ledger(demo: Dataset) -> None:
    with pytest.raises(ValueError, match="已有预算行"):
        demo_dataset_2023(demo)


def test_the_2022_year_is_a_complete_synthetic_year_of_the_same_department() -> None:
    year = synthetic.synthetic_year_2022()
    assert parse_dataset(dump_dataset(year).encode()) == year
    assert (year.year, year.unit) == (2022, AmountUnit.wan)
    assert (year.department.code, year.department.name) == (
        "liwan-ghzy", "广州市规划和自然资源局荔湾区分局",
    )
    assert "合成" in year.source and "2022" in year.source
    assert year.budget.totals.final_budget is None and not year.goals
    assert all(payment.date.year == 2022 for payment in year.budget.payments)
    assert [f for f in run_checks(_core_year(year)) if f.severity is Severity.error] == []


def test_the_2022_year_is_somewhat_smaller_and_spent_on_a_similar_profile() -> None:
    year = synthetic.synthetic_year_2022()
    budget_2022 = sum((line.final_budget for line in year.budget.lines), Decimal(0))
    ratio = budget_2022 / Decimal("103118.19")
    assert Decimal("0.88") < ratio < Decimal("0.96")
    months = [Decimal(0)] * 12
    for payment in year.budget.payments:
        months[payment.date.month - 1] += payment.amount
    assert max(months) == months[11]
    assert sum(months[:3]) / sum(months) < Decimal("0.15")
    assert {p.name for p in year.budget.projects} == {
        p.name for p in synthetic.synthetic_budget_2023().projects
    }
