"""No N+1: the main pages run as many queries for a big year as for a small one.

Two departments hold the same year, one with 2 extra budget lines and 2 payments each,
the other with 40 extra lines and 30 payments each (and an adjustment per line, and a
change in the audit log per line). Every page is asked for both; the counts must be equal
and stay under a ceiling.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import PASSWORD, YEAR, department_text, sized_text, store_text

pytestmark = pytest.mark.django_db

SMALL, LARGE = "small-dept", "large-dept"

TODO_COUNT_QUERIES = 6
"""The 待办 count beside the link in the navigation bar (``web.views.todo.todo_count``):
the same six queries on every page of a year, whatever its size (the sixth: 整改通知)."""

CEILINGS = {  # measured (46, 21, 21, 7, 22, 20, 8, 8, 89) plus a little room
    "dashboard": 50,
    "budget": 24,
    "budget filtered": 24,
    "line": 9,
    "project": 26,  # one more for the 整改通知 linked to the project
    "audit": 34,  # one query more per audited kind: 事前绩效评估 and its scores added two,
    # 结果应用决定, 绩效信息公开事项, 财政评价得分, 整改通知 and 新增指标提议 one each; and
    # one per kind of linked object shown by its name (部门、科室、项目 …): measured 34
    "audit of lines": 10,
    "audit of one line": 10,
    "bureau": 52,  # measured 50: two departments, nothing kept (inside the test's
    # transaction): their summaries computed together, as many queries for more departments
    # (test_bureau_cold) as with the parts kept (test_bureau_warming)
    "goal": 28,  # measured 26: the goal, its checks and the 指标库 picker (one department's
    # past values in one query, the suggested targets kept)
    "library": 12,  # measured 15 with no 待办 count (a page outside any year)
}


def _pages(code: str) -> dict[str, str]:
    base = f"/d/{code}/{YEAR}"
    line = m.BudgetLine.objects.get(fiscal_year__department__code=code, code="X001")
    return {
        "dashboard": f"{base}/",
        "budget": f"{base}/budget/",
        "budget filtered": f"{base}/budget/?date_from=2024-02-01&amount_max=1000&page=2",
        "line": f"{base}/budget/lines/X001/",
        "project": f"{base}/projects/P001/",
        "audit": f"{base}/audit/",
        "audit of lines": f"{base}/audit/?kind=line",
        "audit of one line": f"{base}/audit/line/{line.pk}/",
        "bureau": f"/bureau/{YEAR}/",
        "goal": f"{base}/projects/P001/goal/",
        "library": f"/library/{YEAR}/",
    }


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def admin_client(small_year_text: str) -> Client:
    for code, lines, payments in ((SMALL, 2, 2), (LARGE, 40, 30)):
        store_text(sized_text(department_text(small_year_text, code, code), lines, payments))
        for line in m.BudgetLine.objects.filter(fiscal_year__department__code=code):
            line.name += "（已核对）"
            line.save()  # one audit-log entry per line
    client = Client()
    client.force_login(create_account("counter", Role.admin, PASSWORD).user)
    client.get("/")  # warm the session
    return client


@pytest.mark.parametrize("page", list(CEILINGS))
def test_the_page_runs_as_many_queries_for_a_big_year_as_for_a_small_one(
    admin_client: Client, page: str
) -> None:
    small = _count(admin_client, _pages(SMALL)[page])
    large = _count(admin_client, _pages(LARGE)[page])
    assert small == large, f"{page}: {small} queries for the small year, {large} for the big"
    ceiling = CEILINGS[page] + TODO_COUNT_QUERIES
    assert large <= ceiling, f"{page}: {large} queries, ceiling {ceiling}"


def test_the_dashboard_stays_under_its_ceiling_with_django_assert_max_num_queries(
    admin_client: Client, django_assert_max_num_queries: Callable[..., object]
) -> None:
    with django_assert_max_num_queries(CEILINGS["dashboard"]):  # type: ignore[attr-defined]
        assert admin_client.get(f"/d/{LARGE}/{YEAR}/").status_code == 200
