"""事前绩效评估 in a real browser (Debian's Chromium through Playwright): a 业务科室 user
opens the year's list of projects that need an assessment, fills the score sheet of a
project whose funds rise by more than the sheet's threshold, saves and submits it;
财务科 approves it, and the project may then enter the budget. The fixtures (system
Chromium, the demo world, the live server) are ``test_browser.py``'s.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from jixiao.services import ex_ante as service
from jixiao.storage import models as m
from tests.web.conftest import DEMO, DEMO_YEAR
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    demo_world,
    nav_link,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

PROJECT = "LW23-P04"


def test_the_office_fills_an_assessment_and_finance_approves_it(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    base = live_server.url
    project = m.Project.objects.get(fiscal_year=demo_world, code=PROJECT)

    _log_in(page, base, "office")
    page.get_by_role("link", name="2023年度").click()
    nav_link(page, "事前绩效评估").click()
    page.wait_for_url(re.compile(r".*/ex-ante/$"))
    listed = page.inner_text("#ex-ante-projects")
    # 国土空间总体规划编制 asks 400万元 in 2023 against 331.20万元 in the demo's 2022
    assert "较上年331.20万元增长20.77%，超过20.00%，须开展事前绩效评估" in listed
    page.locator("#ex-ante-projects").get_by_role("link", name=re.compile(PROJECT)).click()
    page.wait_for_url(re.compile(rf".*/ex-ante/{PROJECT}/$"))
    assert "不能纳入预算" in page.inner_text("#ex-ante-gate")
    for item in service.sheet_of(demo_world).items:
        page.fill(f"[id='score-{item.code}']", str(item.weight * Decimal("0.85")))
        page.fill(f"[id='comment-{item.code}']", f"{item.name}：论证充分")
    page.fill("#ex-ante-assessor", "规划科 王五")
    page.fill("#ex-ante-opinion", "建议予以支持。")
    page.click("#ex-ante-save")
    page.wait_for_selector(".message-success")
    assert "评估结论：予以支持" in page.inner_text("#ex-ante-conclusion")
    _shot(page, "40-ex-ante-filled")
    page.click("#action-submit")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#ex-ante-status") == "已提交"
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))

    _log_in(page, base, "finance")
    page.goto(f"{base}/d/{DEMO}/{DEMO_YEAR}/ex-ante/{PROJECT}/")
    page.click("#action-approve")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#ex-ante-status") == "已审核"
    assert "可纳入预算" in page.inner_text("#ex-ante-gate")
    _shot(page, "41-ex-ante-approved")
    assessment = m.ExAnteAssessment.objects.get(project=project)
    assert (assessment.status, assessment.conclusion) == ("approved", "予以支持")
