"""成本效益分析 on the 绩效自评 page: 财务科 sees every project's unit cost against its
standard, the office only its own projects'."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.interchange.rule_workbooks import write_standards_workbook
from jixiao.services.cost_standards import store_cost_standards
from jixiao.storage import models as m
from tests.cycle.test_cost_report import STANDARDS
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db
PAGE = f"/d/{FIRST}/{YEAR}/evaluation/"


@pytest.fixture
def costed(world: World) -> World:
    year = world.fiscal_year
    m.Indicator.objects.filter(goal__fiscal_year=year, level3="编制规划数量").update(
        cost_standard="GH-1"
    )
    land = m.Project.objects.get(fiscal_year=year, code="P002")
    goal = m.PerformanceGoal.objects.create(fiscal_year=year, project=land, position=9)
    m.Indicator.objects.create(
        goal=goal, position=0, level1="产出指标", level2="数量指标", level3="完成前期项目",
        kind="quantitative", target="≥2个", weight=Decimal(100), actual="2个",
        cost_standard="GH-1",
    )  # fmt: skip
    store_cost_standards(year, parse_cost_standards(STANDARDS))
    return world


def _unit_cost_rows(html: str) -> list[str]:
    table = html.split('id="unit-cost-list"', 1)[1].split("</table>", 1)[0]
    return [row.split("</tr>")[0] for row in table.split("<tr>")[2:]]


def test_finance_sees_every_projects_unit_cost_against_the_standard(costed: World) -> None:
    html = costed.client("finance").get(PAGE).content.decode()
    assert "测试区规划编制支出标准" in html
    planning, land = _unit_cost_rows(html)
    assert "P001 国土空间规划编制" in planning and "1,100,000.00" in planning
    assert "1,200,000.00" in planning and "-100,000.00" in planning and "未超过标准" in planning
    assert "P002 土地储备前期" in land and "1,051,250.00" in land


def test_the_office_sees_only_its_own_projects(costed: World) -> None:
    html = costed.client("office").get(PAGE).content.decode()
    (planning,) = _unit_cost_rows(html)
    assert "P001" in planning and "P002" not in html.split('id="unit-costs"', 1)[1]


def test_the_card_is_absent_without_cost_measures(world: World) -> None:
    html = world.client("finance").get(PAGE).content.decode()
    assert 'id="unit-costs"' not in html


def _standards_file(tmp_path: Path, amount: object = 120) -> SimpleUploadedFile:
    path = write_standards_workbook(parse_cost_standards(STANDARDS), tmp_path / "s.xlsx")
    book = load_workbook(path)
    book["支出标准"]["D2"] = amount
    book.save(path)
    return SimpleUploadedFile("标准.xlsx", path.read_bytes())


def test_finance_imports_a_standards_workbook_and_it_is_chosen(
    world: World, tmp_path: Path
) -> None:
    finance = world.client("finance")
    upload = f"{PAGE}cost-standards/import/"
    refused = finance.post(upload, {"workbook": _standards_file(tmp_path, "一百")}, follow=True)
    assert "没有导入：支出标准!D2" in refused.content.decode()
    assert not m.CostStandardTable.objects.exists()
    done = finance.post(upload, {"workbook": _standards_file(tmp_path)}, follow=True)
    assert "已导入并选用支出标准表“测试区规划编制支出标准”" in done.content.decode()
    world.fiscal_year.refresh_from_db()
    assert world.fiscal_year.cost_standards == "cost-standards-test-planning"
    download = finance.get(f"{PAGE[:-1]}/cost-standards.xlsx")
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(download.content))["支出标准"]["D2"].value == 120
    finance.post(f"{PAGE}cost-standards/", {"table": ""})
    world.fiscal_year.refresh_from_db()
    assert world.fiscal_year.cost_standards == ""


def test_only_finance_keeps_the_standards(world: World, tmp_path: Path) -> None:
    office = world.client("office")
    assert 'id="cost-standards"' not in office.get(PAGE).content.decode()
    assert 'id="cost-standards"' in world.client("finance").get(PAGE).content.decode()
    shipped = {"table": "cost-standards-central-meetings-training"}
    assert office.post(f"{PAGE}cost-standards/", shipped).status_code == 403
    upload = {"workbook": _standards_file(tmp_path)}
    assert office.post(f"{PAGE}cost-standards/import/", upload).status_code == 403
    world.fiscal_year.refresh_from_db()
    assert world.fiscal_year.cost_standards == ""


def test_a_projects_own_evaluation_page_shows_its_unit_cost(costed: World) -> None:
    page = f"/d/{FIRST}/{YEAR}/projects/P001/evaluation/"
    html = costed.client("office").get(page).content.decode()
    (planning,) = _unit_cost_rows(html)
    assert "编制规划数量" in planning and "1,100,000.00" in planning and "未超过标准" in planning
    assert "P002" not in html.split('id="unit-costs"', 1)[1]


def test_the_upload_limit_is_the_projects_import_limit(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_BYTES", "1000")
    upload = {"workbook": _standards_file(tmp_path)}
    refused = world.client("finance").post(f"{PAGE}cost-standards/import/", upload, follow=True)
    assert "超过导入上限 1000 字节" in refused.content.decode()
    assert not m.CostStandardTable.objects.exists()
