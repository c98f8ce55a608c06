"""成本效益分析 on the 绩效自评 page: 财务科 sees every project's unit cost against its
standard, the office only its own projects'."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.interchange.cost_standard_files import parse_cost_standards
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
