"""No N+1 on the workflow pages: as many queries for a big year as for a small one.

Two departments hold the same year; the big one has 30 more projects (each with a budget
line, payments, a goal of four indicators, workflow transitions and a rectification item),
P001's goal has 20 more indicators, and 30 generated reports are listed. Every page is
asked for both; the counts must be equal and stay under a ceiling.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import PASSWORD, YEAR, department_text, store_text

pytestmark = pytest.mark.django_db

SMALL, LARGE = "small-dept", "large-dept"

TODO_COUNT_QUERIES = 6
"""The 待办 count beside the link in the navigation bar (``web.views.todo.todo_count``):
the same six queries on every page of a year, whatever its size."""

CEILINGS = {  # measured (10, 11, 9, 26, 24, 24, 14, 16, 5, 4, 7, 6) plus a little room
    # the goal and evaluation pages grew with the 指标库 picker and its findings, the
    # 整改通知 on a project and the unit costs against the year's 支出标准
    "goals": 15,
    "project goal": 27,
    "department goal": 25,
    "evaluation": 30,
    "project evaluation": 32,
    "department evaluation": 31,
    "monitoring": 17,
    "monitoring compared": 19,
    "reports": 7,
    "import": 6,
    "rectification": 9,
    "rectification item": 8,
}


def _grow(fiscal_year: m.FiscalYear, size: int) -> None:
    """``size`` more projects with lines, payments, goals, transitions and items."""
    ghk = m.Office.objects.get(department=fiscal_year.department, code="ghk")
    user = create_account(f"grower-{fiscal_year.pk}", Role.admin, PASSWORD).user
    for n in range(size):
        project = m.Project.objects.create(
            fiscal_year=fiscal_year, code=f"Q{n:03d}", name=f"追加项目{n}", office=ghk
        )
        line = m.BudgetLine.objects.create(
            fiscal_year=fiscal_year, code=f"QL{n:03d}", name=f"追加项目{n}",
            funding_source="general_public_budget", nature="project", project=project,
            initial_budget=Decimal(100000), final_budget=Decimal(100000),
        )  # fmt: skip
        m.Payment.objects.bulk_create(
            m.Payment(budget_line=line, date=date(YEAR, 1 + k, 10), amount=Decimal(5000))
            for k in range(6)
        )
        goal = m.PerformanceGoal.objects.create(
            fiscal_year=fiscal_year, project=project, position=10 + n
        )
        for k, (level1, level2) in enumerate(
            [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"),
             ("满意度指标", "服务对象满意度指标")]
        ):  # fmt: skip
            m.Indicator.objects.create(
                goal=goal, position=k, level1=level1, level2=level2, level3=f"指标{k}",
                kind="quantitative", target="≥90%", weight=Decimal("22.5"), actual="91%",
            )  # fmt: skip
        m.WorkflowTransition.objects.create(
            goal=goal, stage="declaration", action="submit", from_status="draft",
            to_status="submitted", user=user, user_name="grower",
        )  # fmt: skip
        m.Rectification.objects.create(
            fiscal_year=fiscal_year, position=n, issue=f"问题{n}", owner_office=ghk
        )
        m.GeneratedReport.objects.create(
            fiscal_year=fiscal_year, kind="report-md", file=f"x/{n}.md", created_by=user
        )
    p001 = m.PerformanceGoal.objects.get(project__fiscal_year=fiscal_year, project__code="P001")
    for k in range(size // 2):
        m.Indicator.objects.create(
            goal=p001, position=10 + k, level1="产出指标", level2="数量指标",
            level3=f"追加指标{k}", kind="quantitative", target="≥3项", weight=Decimal(1),
            actual="2项",
        )  # fmt: skip
    m.WorkflowTransition.objects.create(
        goal=p001, stage="evaluation", action="comment", from_status="draft",
        to_status="draft", user=user, user_name="grower", comment="请核实",
    )  # fmt: skip


def _pages(code: str) -> dict[str, str]:
    base = f"/d/{code}/{YEAR}"
    fiscal_year = m.FiscalYear.objects.get(department__code=code, year=YEAR)
    item = m.Rectification.objects.filter(fiscal_year=fiscal_year).first()
    snapshots = list(fiscal_year.snapshots.values_list("id", flat=True))
    return {
        "goals": f"{base}/goals/",
        "project goal": f"{base}/projects/P001/goal/",
        "department goal": f"{base}/goals/department/",
        "evaluation": f"{base}/evaluation/",
        "project evaluation": f"{base}/projects/P001/evaluation/",
        "department evaluation": f"{base}/evaluation/department/",
        "monitoring": f"{base}/monitoring/?as_of={YEAR}-09-30",
        "monitoring compared": f"{base}/monitoring/?a={snapshots[0]}&b={snapshots[1]}",
        "reports": f"{base}/reports/",
        "import": f"{base}/import/",
        "rectification": f"{base}/rectification/",
        "rectification item": f"{base}/rectification/{item.pk if item else 0}/",
    }


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def admin_client(small_year_text: str) -> Client:
    from jixiao.services.monitoring import monitor_stored_year

    for code, size in ((SMALL, 4), (LARGE, 30)):
        fiscal_year = store_text(department_text(small_year_text, code, code))
        _grow(fiscal_year, size)
        for month in (6, 9):
            monitor_stored_year(code, YEAR, date(YEAR, month, 30), snapshot=True)
    client = Client()
    client.force_login(create_account("counter", Role.admin, PASSWORD).user)
    client.get("/")  # warm the session
    return client


@pytest.mark.parametrize("page", list(CEILINGS))
def test_the_workflow_page_runs_as_many_queries_for_a_big_year_as_for_a_small_one(
    admin_client: Client, page: str
) -> None:
    small = _count(admin_client, _pages(SMALL)[page])
    large = _count(admin_client, _pages(LARGE)[page])
    assert small == large, f"{page}: {small} queries for the small year, {large} for the big"
    ceiling = CEILINGS[page] + TODO_COUNT_QUERIES
    assert large <= ceiling, f"{page}: {large} queries, ceiling {ceiling}"
