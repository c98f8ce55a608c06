"""The 责任科室 column: an imported project belongs to the office the row names."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from jixiao.storage import models as m
from tests.excel.sheets import BUDGET_ROWS, budget_sheet, store_small_year, stored_text, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(small_year_text: str) -> None:
    store_small_year(small_year_text)
    department = m.Department.objects.get(code="test-dept")
    m.Office.objects.create(department=department, code="K02", name="土地科")


def _with_offices(tmp_path: Path, offices: list[str | None], year: int = 2024) -> Path:
    sheet = budget_sheet(rows=BUDGET_ROWS)
    sheet[1][1] = year
    sheet[3] += ["项目名称", "责任科室"]
    for row, office in zip(sheet[4:], offices, strict=True):
        row += [row[1] if row[5] else None, office]
    return xlsx(tmp_path / "budget.xlsx", ("预算与执行", sheet))


@pytest.mark.usefixtures("offices")
def test_a_project_row_with_an_office_name_puts_the_project_in_that_office(
    tmp_path: Path,
) -> None:
    result = import_workbook(_with_offices(tmp_path, [None, "财务科", "K02"]))
    offices = dict(m.Project.objects.values_list("code", "office__name"))
    assert offices == {"P001": "财务科", "P002": "土地科"}
    assert "责任科室" in " ".join(str(c) for c in result.changes())
    assert not import_workbook(_with_offices(tmp_path, [None, "财务科", "土地科"])).changed


@pytest.mark.usefixtures("offices")
def test_an_unknown_office_is_a_located_problem_and_nothing_is_written(tmp_path: Path) -> None:
    before = stored_text()
    with pytest.raises(InputRejected) as refused:
        import_workbook(_with_offices(tmp_path, [None, "宣传科", None]))
    [problem] = refused.value.problems
    assert problem.where.startswith("预算与执行!")
    assert "宣传科" in problem.message and "规划科" in problem.message
    assert stored_text() == before
    assert not m.Office.objects.filter(name="宣传科").exists()


@pytest.mark.usefixtures("offices")
def test_a_basic_line_takes_no_office(tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as refused:
        import_workbook(_with_offices(tmp_path, ["规划科", None, None]))
    assert "只有项目支出" in refused.value.problems[0].message


@pytest.mark.usefixtures("offices")
def test_a_new_year_of_a_department_resolves_its_offices(tmp_path: Path) -> None:
    import_workbook(_with_offices(tmp_path, [None, "规划科", "土地科"], year=2025))
    projects = m.Project.objects.filter(fiscal_year__year=2025)
    assert dict(projects.values_list("code", "office__code")) == {"P001": "ghk", "P002": "K02"}
