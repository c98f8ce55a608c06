"""Setting up departments, offices and years, and carrying a year forward."""

from __future__ import annotations

import pytest

from jixiao.errors import UserFacingError
from jixiao.interchange.dataset_file import parse_dataset
from jixiao.services import setup
from jixiao.services.carry_forward import carry_forward
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m
from jixiao.storage.models import RectificationStatus, WorkflowStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2024(small_year_text: str) -> m.FiscalYear:
    fiscal_year = store_dataset(parse_dataset(small_year_text.encode("utf-8")))
    fiscal_year.project_rules = "regional-tiered-project"
    fiscal_year.save()
    m.ReportOutlineChoice.objects.create(fiscal_year=fiscal_year, outline="mof-2020")
    for n, status in enumerate((RectificationStatus.in_progress, RectificationStatus.done)):
        m.Rectification.objects.create(
            fiscal_year=fiscal_year, position=n, issue=f"问题{n}", status=status
        )
    return fiscal_year


def test_a_department_its_office_and_a_year_are_created_and_duplicates_refused() -> None:
    department = setup.create_department(" new-dept ", "新区新局")
    assert department.code == "new-dept"
    office = setup.create_office(department, "K01", "综合科")
    assert office.department == department
    fiscal_year = setup.create_fiscal_year(department, 2025)
    assert fiscal_year.year == 2025 and not fiscal_year.projects.exists()
    with pytest.raises(UserFacingError, match="已被使用"):
        setup.create_department("new-dept", "别的名称")
    with pytest.raises(UserFacingError, match="已有科室“综合科”"):
        setup.create_office(department, "K02", "综合科")
    with pytest.raises(UserFacingError, match="2025年度已存在"):
        setup.create_fiscal_year(department, 2025)
    with pytest.raises(UserFacingError, match="无效"):
        setup.create_department("有 空格", "某局")
    with pytest.raises(UserFacingError, match="年度"):
        setup.create_fiscal_year(department, 3000)


def test_a_new_year_keeps_the_rule_choices_of_the_year_before(year_2024: m.FiscalYear) -> None:
    created = setup.create_fiscal_year(year_2024.department, 2025)
    assert created.project_rules == "regional-tiered-project"
    assert m.ReportOutlineChoice.objects.get(fiscal_year=created).outline == "mof-2020"


def test_carrying_forward_copies_the_chosen_projects_goals_and_open_items(
    year_2024: m.FiscalYear,
) -> None:
    old_goal = m.PerformanceGoal.objects.get(project__code="P001", fiscal_year=year_2024)
    old_goal.declaration_status = WorkflowStatus.approved
    old_goal.save()
    result = carry_forward("test-dept", 2024, ["P001"])
    new = result.fiscal_year
    assert new.year == 2025 and result.projects == ["P001"]
    assert list(new.projects.values_list("code", "office__code")) == [("P001", "ghk")]
    goal = m.PerformanceGoal.objects.get(fiscal_year=new, project__code="P001")
    assert goal.declaration_status == WorkflowStatus.draft
    assert goal.expected_objective == old_goal.expected_objective
    pairs = [(i.target, i.last_year_actual, i.actual) for i in goal.indicators.all()]
    old = [(i.target, i.actual, None) for i in old_goal.indicators.all()]
    assert pairs == old and pairs
    assert m.PerformanceGoal.objects.filter(fiscal_year=new, project=None).exists()
    assert list(new.rectifications.values_list("issue", flat=True)) == ["问题0"]
    assert result.rectifications == 1
    assert new.project_rules == "regional-tiered-project"
    assert m.ReportOutlineChoice.objects.get(fiscal_year=new).outline == "mof-2020"
    assert not new.budget_lines.exists()
    assert "结转项目 1 个" in result.summary()


def test_carrying_forward_twice_is_refused_and_writes_nothing(year_2024: m.FiscalYear) -> None:
    carry_forward("test-dept", 2024)
    counts = (m.Project.objects.count(), m.Indicator.objects.count())
    with pytest.raises(UserFacingError, match="已有项目"):
        carry_forward("test-dept", 2024)
    assert (m.Project.objects.count(), m.Indicator.objects.count()) == counts


def test_carrying_forward_into_an_empty_year_set_up_before(year_2024: m.FiscalYear) -> None:
    setup.create_fiscal_year(year_2024.department, 2025)
    result = carry_forward("test-dept", 2024)
    assert set(result.projects) == {"P001", "P002"}


def test_an_unknown_project_or_year_is_a_clear_error(year_2024: m.FiscalYear) -> None:
    with pytest.raises(UserFacingError, match="P999"):
        carry_forward("test-dept", 2024, ["P999"])
    with pytest.raises(UserFacingError, match="没有2019年度"):
        carry_forward("test-dept", 2019)
    assert not m.FiscalYear.objects.filter(year=2025).exists()


def test_the_command_line_carries_a_year_forward(year_2024: m.FiscalYear, jixiao) -> None:  # type: ignore[no-untyped-def]
    code, out, err = jixiao("year", "carry-forward", "--department", "test-dept",
                            "--from", "2024", "--projects", "P002")  # fmt: skip
    assert code == 0, err
    assert "已建立2025年度：结转项目 1 个" in out
    code, out, err = jixiao("year", "carry-forward", "--department", "test-dept", "--from", "2024")
    assert code == 2 and "已有项目" in err
