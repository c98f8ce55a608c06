"""成本效益分析 stored: a year names its standards table (imported from Excel, all or
nothing, or shipped), a project's unit cost is its ledger's executed amount ÷ an output's
actual, and a unit cost above standard is a finding that reaches 整改 as 成本发现."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_workbooks import write_standards_workbook
from jixiao.services.cost_standards import (
    available_cost_standards,
    choose_cost_standards,
    import_cost_standards,
    year_cost_standards,
)
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.reading import export_dataset
from jixiao.services.rectification import items_from_findings
from jixiao.services.setup import copy_choices
from jixiao.storage import models as m
from jixiao.storage.models import RectificationSource
from tests.web.conftest import first_department_text, store_text

pytestmark = pytest.mark.django_db

PLANNING_STANDARDS = """\
format: jixiao-cost-standards/1
id: cost-standards-test-planning
version: 2024
name: 测试区规划编制支出标准
unit: 万元
standards:
  - {code: GH-1, name: 片区规划编制, kind: 支出标准, amount: 100, per_unit: 个}
"""
UNCOSTED = "target: \"=1个\", weight: 30, actual: 1个, claimed_score: 30}"
COSTED = "target: \"=1个\", weight: 30, actual: 1个, claimed_score: 30, cost_standard: GH-1}"


@pytest.fixture
def year(small_year_text: str) -> m.FiscalYear:
    text = small_year_text.replace(UNCOSTED, COSTED)
    assert COSTED in text
    return store_text(first_department_text(text))


def _workbook(tmp_path: Path, text: str = PLANNING_STANDARDS) -> Path:
    return write_standards_workbook(parse_cost_standards(text), tmp_path / "standards.xlsx")


def _evaluate(year: m.FiscalYear):  # type: ignore[no-untyped-def]
    return evaluate_stored_year(year.department.code, year.year)


def test_an_output_with_a_standard_but_no_table_chosen_is_a_finding(year: m.FiscalYear) -> None:
    result = _evaluate(year)
    (cost,) = result.unit_costs
    assert cost.measure.cost == Decimal("1100000.00")  # 40 + 70.5 − 0.5 万元 paid on L01
    assert cost.unit_cost is None
    (finding,) = result.cost_findings
    assert "本年度未选定支出标准表" in finding.message


def test_an_imported_table_is_chosen_and_a_cost_above_it_is_rectified(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    table = import_cost_standards(year, _workbook(tmp_path), "财务科")
    year.refresh_from_db()
    assert year.cost_standards == table.table_id == "cost-standards-test-planning"
    assert year_cost_standards(year) == parse_cost_standards(PLANNING_STANDARDS)
    result = _evaluate(year)
    (cost,) = result.unit_costs
    assert (cost.quantity, cost.unit_cost) == (Decimal(1), Decimal("1100000.00"))
    assert cost.above_standard
    assert [f.id for f in result.cost_findings] == ["unit-cost-above-standard"]
    created = items_from_findings(year)
    (item,) = [i for i in created if i.source == RectificationSource.cost]
    assert item.issue.startswith("P001 国土空间规划编制：“编制规划数量”单位成本1,100,000.00元/个")


def test_a_workbook_with_a_bad_cell_stores_nothing(year: m.FiscalYear, tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    book = load_workbook(path)
    book["支出标准"]["D2"] = "一百"
    book.save(path)
    with pytest.raises(InputRejected) as refused:
        import_cost_standards(year, path)
    assert refused.value.problems[0].where == "支出标准!D2"
    year.refresh_from_db()
    assert year.cost_standards == ""
    assert not m.CostStandardTable.objects.exists()


def test_a_shipped_table_may_be_chosen_and_an_unknown_one_is_refused(
    year: m.FiscalYear,
) -> None:
    shipped = "cost-standards-central-meetings-training"
    assert shipped in dict(available_cost_standards(year))
    choose_cost_standards(year, shipped)
    (finding,) = _evaluate(year).cost_findings
    assert finding.id == "unit-cost-unmeasurable" and "“GH-1”不在" in finding.message
    with pytest.raises(Exception, match="没有编号为“nowhere”的支出标准表"):
        choose_cost_standards(year, "nowhere")


def test_the_choice_travels_in_the_dataset_and_into_next_year(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    import_cost_standards(year, _workbook(tmp_path))
    exported = export_dataset(year.department.code, year.year)
    assert exported.evaluation.cost_standards == "cost-standards-test-planning"
    codes = [i.cost_standard for g in exported.goals for i in g.indicators if i.cost_standard]
    assert codes == ["GH-1"]
    following = m.FiscalYear.objects.create(department=year.department, year=year.year + 1)
    copy_choices(year, following)
    assert year_cost_standards(following) == year_cost_standards(year)


def test_the_review_notes_list_a_cost_above_standard_under_its_project(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    from jixiao.services.reporting import composed_report

    import_cost_standards(year, _workbook(tmp_path))
    findings = composed_report(year.department.code, year.year).findings
    (cost,) = [f for f in findings if f.id == "unit-cost-above-standard"]
    assert cost.subject == "P001 国土空间规划编制"


SHARED = COSTED.replace("cost_standard: GH-1}", "cost_standard: GH-1, cost_share: 60}")


def test_a_cost_share_travels_dataset_to_database_to_dataset_and_splits_the_cost(
    small_year_text: str, tmp_path: Path
) -> None:
    text = small_year_text.replace(UNCOSTED, SHARED)
    assert SHARED in text
    year = store_text(first_department_text(text))
    (row,) = m.Indicator.objects.filter(goal__fiscal_year=year, cost_standard="GH-1")
    assert row.cost_share == Decimal(60)
    exported = export_dataset(year.department.code, year.year)
    shares = [i.cost_share for g in exported.goals for i in g.indicators if i.cost_standard]
    assert shares == [Decimal(60)]
    import_cost_standards(year, _workbook(tmp_path))
    (cost,) = _evaluate(year).unit_costs
    assert (cost.measure.cost, cost.measure.share) == (Decimal("660000.00"), Decimal(60))
    assert cost.unit_cost == Decimal("660000.00")  # 1,100,000 × 60% ÷ 1个


def test_two_costed_outputs_without_shares_are_not_costed_and_a_finding_says_why(
    year: m.FiscalYear, tmp_path: Path
) -> None:
    goal = m.PerformanceGoal.objects.get(fiscal_year=year, project__code="P001")
    m.Indicator.objects.create(
        goal=goal, position=99, level1="产出指标", level2="数量指标", level3="评审会议",
        kind="quantitative", target="≥2次", weight=Decimal(0), actual="2次", cost_standard="GH-1",
    )  # fmt: skip
    import_cost_standards(year, _workbook(tmp_path))
    result = _evaluate(year)
    assert [u.unit_cost for u in result.unit_costs] == [None, None]
    (finding,) = result.cost_findings
    assert finding.id == "cost-share-incomplete"
    assert "“编制规划数量”、“评审会议”未填写" in finding.message
