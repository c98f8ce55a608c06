"""待办 in a real browser (Debian's Chromium through Playwright), for each role of the demo.

The demo is loaded as ``jixiao demo`` loads it, and a working day of it is set up: 规划科
(K03) has submitted the declaration of 国土空间总体规划编制 (LW23-P04) and
the paragraph of the report on 控制性详细规划调整 (LW23-P05), whose goal it has still to
declare, and a 整改 item of 规划科 with a 2024-03-31 deadline is still 整改中. Each role
then signs in and finds on its 待办 page what waits for it, with the count in the
navigation; the office downloads its 待办 and reads it back.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from jixiao.services import report_text
from jixiao.storage import models as m
from jixiao.storage.models import RectificationStatus, WorkflowStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import DEMO, DEMO_YEAR, PASSWORD
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    demo_world,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

BASE = f"/d/{DEMO}/{DEMO_YEAR}"
SUBMITTED, TO_DECLARE = "国土空间总体规划编制", "控制性详细规划调整"
DEADLINE = date(2024, 3, 31)


def _goal(fiscal_year: m.FiscalYear, code: str) -> m.PerformanceGoal:
    return m.PerformanceGoal.objects.get(project__fiscal_year=fiscal_year, project__code=code)


@pytest.fixture
def working_day(demo_world: m.FiscalYear) -> m.FiscalYear:  # noqa: F811
    fiscal_year = demo_world
    create_account("leader", Role.leader, PASSWORD, fiscal_year.department)
    goal = _goal(fiscal_year, "LW23-P04")
    goal.declaration_status = WorkflowStatus.submitted
    goal.save(bump_version=False)
    report_text.save_draft(fiscal_year, "project:LW23-P05", "控规调整按计划完成。", "office")
    report_text.submit(fiscal_year, "project:LW23-P05", "office")
    m.Rectification.objects.create(
        fiscal_year=fiscal_year,
        issue="规划成果归档不全",
        owner_office=m.Office.objects.get(department=fiscal_year.department, code="K03"),
        deadline=DEADLINE,
        status=RectificationStatus.in_progress,
    )
    return fiscal_year


def _rows(page: Any) -> list[str]:  # noqa: F811
    return [" ".join(row.inner_text().split()) for row in page.locator("#todo tbody tr").all()]


def _open_todo(page: Any, base: str, username: str) -> list[str]:  # noqa: F811
    _log_in(page, base, username)
    page.goto(f"{base}{BASE}/")
    count = page.locator("nav a", has_text="待办").locator(".nav-count")
    page.locator("nav a", has_text="待办").click()
    page.wait_for_url(f"{base}{BASE}/todo/")
    rows = _rows(page)
    if rows:
        assert count.inner_text() == str(len(rows))
    else:
        assert count.count() == 0
    _shot(page, f"todo-{username}")
    return rows


def _has(rows: list[str], *words: str) -> bool:
    return any(all(word in row for word in words) for row in rows)


def test_each_role_finds_what_waits_for_it(
    page: Any,  # noqa: F811
    live_server: Any,
    working_day: m.FiscalYear,
) -> None:
    base = live_server.url
    days = (timezone.localdate() - DEADLINE).days

    office = _open_todo(page, base, "office")
    assert "逾期" in office[0] and "规划成果归档不全" in office[0]  # overdue first
    assert f"逾期 {days} 天（期限 2024-03-31）" in office[0]
    assert _has(office, "绩效目标申报", TO_DECLARE, "填报并提交绩效目标")
    assert not _has(office, "绩效目标申报", SUBMITTED)  # submitted: waits for 财务科 now
    assert not _has(office, "部门整体")
    department = m.Project.objects.filter(fiscal_year=working_day).exclude(office__code="K03")
    assert not any(_has(office, project.name) for project in department)
    with page.expect_download() as download:
        page.click("#todo-export")
    saved = Path(download.value.path())
    name = working_day.department.name
    assert download.value.suggested_filename == f"{DEMO_YEAR}年度{name}待办.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(saved.read_bytes())).active
    assert sheet.max_row == 2 + len(office) and sheet["C3"].value == "规划成果归档不全"
    page.goto(f"{base}{BASE}/")
    assert f"逾期 {days} 天" in page.locator("#overdue").inner_text()
    page.get_by_role("button", name="退出").click()

    finance = _open_todo(page, base, "finance")
    assert _has(finance, "绩效目标申报", SUBMITTED, "审核绩效目标")
    assert _has(finance, "绩效目标申报", "部门整体", "填报并提交绩效目标")
    assert _has(finance, "整改", "规划成果归档不全", "督促逾期的整改事项")
    page.locator("#todo tbody tr", has_text=SUBMITTED).get_by_role("link").click()
    page.wait_for_url(f"{base}{BASE}/projects/LW23-P04/goal/")
    page.get_by_role("button", name="退出").click()

    leader = _open_todo(page, base, "leader")
    assert len(leader) == 1 and _has(leader, "报告文字", TO_DECLARE, "审核报告文字")
    page.get_by_role("button", name="退出").click()

    bureau = _open_todo(page, base, "bureau")
    assert len(bureau) == 1 and _has(bureau, "绩效目标申报", SUBMITTED, "查阅已提交")
