"""A year without budget lines whose projects carry their own 年初预算数 (the demo's 2024,
in 申报): the 预算 page lists those amounts, an office only its own projects', beside
last year's accepted 结果应用 proposal."""

from __future__ import annotations

import pytest
from django.test import Client

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import DEMO, PASSWORD

pytestmark = pytest.mark.django_db

URL = f"/d/{DEMO}/2024/budget/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_finance_sees_every_projects_requested_funds_and_their_total(
    demo: m.FiscalYear,
) -> None:
    create_account("finance", Role.finance, PASSWORD, demo.department)
    page = _client("finance").get(URL).content.decode()
    table = page.split('id="requested-budgets"')[1].split("</table>")[0]
    assert "LW24-P16</a> 国土空间规划和耕地保护业务培训" in table and "18.00" in table
    assert "LW23-P04</a> 国土空间总体规划编制" in table and "180.00" in table
    projects = m.Project.objects.filter(fiscal_year__department=demo.department,
                                        fiscal_year__year=2024)  # fmt: skip
    assert sum(p.initial_budget for p in projects) == 877530000  # 87,753.00 万元
    assert "87,753.00" in table.split("<tfoot>")[1]
    assert 'id="carried-proposals"' in page and "压减" in page


def test_an_office_sees_its_own_projects_only(demo: m.FiscalYear) -> None:
    office = m.Office.objects.get(department=demo.department, code="K03")
    create_account("office", Role.office, PASSWORD, demo.department, office)
    page = _client("office").get(URL).content.decode()
    table = page.split('id="requested-budgets"')[1].split("</table>")[0]
    assert "LW24-P16" in table and "LW23-P04" in table
    assert "LW23-P01" not in table  # 土地储备科's


def test_the_home_page_of_a_year_in_declaration_shows_the_requested_funds_not_zero(
    demo: m.FiscalYear,
) -> None:
    create_account("finance", Role.finance, PASSWORD, demo.department)
    page = _client("finance").get(f"/d/{DEMO}/2024/").content.decode()
    budget = page.split('id="kpi-budget"')[1].split('id="kpi-executed"')[0]
    assert "预算尚未批复；项目申报 87,753.00 万元" in budget
    assert "0.00" not in budget.replace("87,753.00", "")
    finished = _client("finance").get(f"/d/{DEMO}/2023/").content.decode()
    assert "103,118.19" in finished.split('id="kpi-budget"')[1].split('id="kpi-executed"')[0]


def test_the_home_page_of_a_year_in_declaration_has_no_sources_table_of_zeros(
    demo: m.FiscalYear,
) -> None:
    create_account("finance", Role.finance, PASSWORD, demo.department)
    page = _client("finance").get(f"/d/{DEMO}/2024/").content.decode()
    section = page.split("<h2>按资金来源分</h2>")[1].split("</section>")[0]
    assert 'id="sources"' not in section
    pending = section.split('id="sources-pending"')[1]
    assert "预算尚未批复" in pending and "87,753.00 万元" in pending
    assert f'href="/d/{DEMO}/2024/budget/"' in pending
    finished = _client("finance").get(f"/d/{DEMO}/2023/").content.decode()
    assert 'id="sources"' in finished and 'id="sources-pending"' not in finished
