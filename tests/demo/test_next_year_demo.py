"""The demo's 2024: carried forward from 2023, two new projects through 事前绩效评估 (one
supported, one not, the latter held by the budget gate), goals from the indicator library
with one output measured against a cost standard, and 2023's 结果应用 on 2024's budget."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from jixiao.cli import demo_dataset_path
from jixiao.demo.next_year import read_next_year, store_next_year
from jixiao.demo.synthetic import demo_dataset_2023, synthetic_year_2022
from jixiao.interchange.cost_standard_files import shipped_cost_standards
from jixiao.interchange.dataset_file import read_dataset
from jixiao.interchange.indicator_library_files import shipped_indicator_library
from jixiao.services import ex_ante
from jixiao.services.cost_standards import year_cost_standards
from jixiao.services.result_application import carried_into
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStatus
from tests.web.conftest import DEMO, load_demo

pytestmark = pytest.mark.django_db

SUPPORTED, REFUSED = "LW24-P16", "LW24-P17"


@pytest.fixture
def year_2024() -> m.FiscalYear:
    """The years ``jixiao demo`` stores, without writing its documents."""
    store_dataset(synthetic_year_2022())
    store_dataset(demo_dataset_2023(read_dataset(demo_dataset_path())))
    return store_next_year(read_next_year())


def test_the_demo_command_stores_2024_after_2023(tmp_path: Path) -> None:
    load_demo(tmp_path / "demo-report")
    years = m.FiscalYear.objects.filter(department__code=DEMO).order_by("year")
    assert [y.year for y in years] == [2022, 2023, 2024]
    assert years[2].projects.filter(code=SUPPORTED).exists()


def test_the_continuing_projects_are_carried_forward_with_their_goals(
    year_2024: m.FiscalYear,
) -> None:
    plan = read_next_year()
    codes = set(year_2024.projects.values_list("code", flat=True))
    assert codes == set(plan.continuing) | {SUPPORTED, REFUSED}
    registration = m.PerformanceGoal.objects.get(project__fiscal_year=year_2024,
                                                 project__code="LW23-P07")  # fmt: skip
    assert registration.declaration_status == WorkflowStatus.draft
    cases = registration.indicators.get(level3="审结不动产登记案件")
    assert cases.last_year_actual == "52186宗" and cases.actual is None
    assert not year_2024.budget_lines.exists()  # 申报: no budget lines, no ledger yet


def test_requested_funds_are_whole_cents_of_wan_and_only_new_projects_need_assessing(
    year_2024: m.FiscalYear,
) -> None:
    projects = list(year_2024.projects.all())
    for project in projects:
        assert project.initial_budget is not None and project.initial_budget % 100 == 0
    needs = ex_ante.needs_of_year(year_2024, projects)
    assert sorted(n.project.code for n in needs) == [SUPPORTED, REFUSED]
    assert all(n.reason.endswith("为新增项目，须开展事前绩效评估") for n in needs)


def test_one_assessment_supports_the_project_and_the_other_is_held_by_the_gate(
    year_2024: m.FiscalYear,
) -> None:
    supported = year_2024.projects.get(code=SUPPORTED)
    refused = year_2024.projects.get(code=REFUSED)
    first, second = ex_ante.assessment_of(supported), ex_ante.assessment_of(refused)
    assert first is not None and second is not None
    assert (first.conclusion, first.status) == ("予以支持", WorkflowStatus.submitted)
    assert (second.conclusion, second.status) == ("不予支持", WorkflowStatus.approved)
    assert first.total == Decimal(90) and second.total == Decimal(53)
    gate = ex_ante.budget_gate(refused)
    assert not gate.allowed and "不予支持" in gate.reason
    assert "尚未审核通过" in ex_ante.budget_gate(supported).reason

    reviewer = User.objects.create(username="reviewer")
    rights = ex_ante.Rights(reviewer.pk, "reviewer", "财务科", edit=False, review=True)
    ex_ante.transition(supported, WorkflowAction.approve, rights)
    assert ex_ante.budget_gate(supported).allowed


def test_the_new_goals_take_every_indicator_from_the_library(year_2024: m.FiscalYear) -> None:
    library = shipped_indicator_library("natural-resources")
    entries = {(i.level1, i.level2, i.level3): i for i in library.indicators}
    for code in (SUPPORTED, REFUSED):
        goal = m.PerformanceGoal.objects.get(project__fiscal_year=year_2024, project__code=code)
        assert goal.declaration_status == WorkflowStatus.submitted
        indicators = list(goal.indicators.all())
        assert len(indicators) >= 4
        assert all((i.level1, i.level2, i.level3) in entries for i in indicators)
        assert sum(i.weight for i in indicators) == 90  # + 10 for execution (mof-2020-project)


def test_one_output_is_measured_against_a_cost_standard(year_2024: m.FiscalYear) -> None:
    library = shipped_indicator_library("natural-resources")
    standards = shipped_cost_standards("cost-standards-central-meetings-training")
    by_name = {i.level3: i for i in library.indicators}
    goal = m.PerformanceGoal.objects.get(project__fiscal_year=year_2024, project__code=SUPPORTED)
    costed = [i for i in goal.indicators.all() if by_name[i.level3].cost_standard]
    assert [i.level3 for i in costed] == ["业务培训人天数"]
    assert costed[0].cost_standard == "PX-3"  # the library's 对应支出标准, stored on the row
    table = year_cost_standards(year_2024)  # the year's own, from two shipped tables
    assert table is not None and table.id == year_2024.cost_standards == "liwan-2024-standards"
    assert table.standard("PX-3") == standards.standard("PX-3")
    carried = m.Indicator.objects.filter(goal__fiscal_year=year_2024).exclude(cost_standard="")
    assert {i.cost_standard for i in carried} == {"PX-3", "BDC-1"}  # 2023's output keeps its own
    assert table.standard("BDC-1") is not None
    standard = standards.standard(by_name["业务培训人天数"].cost_standard)
    assert standard is not None and standard.per_unit == "人天"
    # requested 18.00万元 for ≥400人天: 450元/人天, the 三类培训 quota exactly
    project = goal.project
    assert project is not None and project.initial_budget == Decimal("180000.00")
    assert project.initial_budget / 400 == standard.amount


def test_2023s_accepted_proposal_shows_on_2024s_budget(year_2024: m.FiscalYear) -> None:
    carried = carried_into(year_2024)
    assert [(c.project_code, c.action) for c in carried] == [("LW23-P04", "压减")]
    assert "全年预算执行率低于60%" in carried[0].reason
    assert carried[0].last_year_budget == Decimal("3600000.00")


def test_storing_the_year_again_replaces_it(year_2024: m.FiscalYear) -> None:
    again = store_next_year(read_next_year())
    assert again.pk != year_2024.pk
    assert m.FiscalYear.objects.filter(department__code=DEMO, year=2024).count() == 1
    assert m.ExAnteAssessment.objects.filter(project__fiscal_year=again).count() == 2
