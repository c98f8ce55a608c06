"""指标库 in a real browser (Debian's Chromium through Playwright): a 业务科室 user picks a
library indicator on the goal page, sees the suggested target and the spread of past
actuals, enters a lower target and sees 目标值偏低; proposes a new indicator; the 财政局
approves it and it then appears in the library. The browser fixtures are
``test_browser.py``'s; the department is the web tests' first (``world``), with last
year's P001 having reached 45000 宗.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    nav_link,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

CASES = "审结不动产登记案件数"


def _last_year(world: World) -> None:
    previous = m.FiscalYear.objects.create(department=world.fiscal_year.department, year=YEAR - 1)
    project = m.Project.objects.create(fiscal_year=previous, code="P001", name="国土空间规划编制")
    goal = m.PerformanceGoal.objects.create(fiscal_year=previous, project=project)
    m.Indicator.objects.create(
        goal=goal, position=0, level1="产出指标", level2="数量指标", level3=CASES,
        kind="quantitative", target="≥40000宗", weight=Decimal(10), actual="45000宗",
    )  # fmt: skip


def test_an_office_picks_a_library_indicator_and_proposes_one_the_bureau_approves(
    page: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    _last_year(world)
    base = live_server.url
    goal_url = f"{base}/d/{FIRST}/{YEAR}/projects/P001/goal/"

    _log_in(page, base, "office")
    page.goto(goal_url)
    suggestion = page.locator("#library-suggestions tr[data-code='ZR-DJ-01']")
    assert suggestion.is_visible()
    shown = suggestion.inner_text()
    assert "≥48593宗" in shown
    assert "本系统历年实际值：最低45000宗，中位45000宗，最高45000宗，1 个" in shown
    assert "指标库历年数值：最低52186宗，中位52186宗，最高52186宗，1 个" in shown
    assert "建议值为本系统历年实际值1个、指标库历年数值1个的中位数" in shown
    page.select_option("#library-field", "不动产登记")
    assert not page.locator("#library-suggestions tr[data-code='ZR-TD-01']").is_visible()
    suggestion.get_by_role("button", name="选用").click()

    row = page.locator("#indicator-rows tbody tr.indicator-row").last
    assert row.locator("[name$='-level3']").input_value() == CASES
    assert row.locator("[name$='-level2']").input_value() == "数量指标"
    assert row.locator("[name$='-target']").input_value() == "≥48593宗"
    assert "历年实际值：最低45000宗" in row.locator(".library-note").inner_text()
    row.locator("[name$='-weight']").fill("5")
    row.locator("[name$='-target']").fill("≥44000宗")
    page.wait_for_selector("#quality-findings li:has-text('目标值偏低')")
    findings = page.inner_text("#quality-findings")
    assert "低于上年实际完成值45000宗（本系统历年实际值），目标值偏低" in findings
    _shot(page, "50-library-picked")
    page.click("#save-goal")
    page.wait_for_selector(".message-success")
    assert "目标值偏低" in page.inner_text("#quality-findings")
    assert m.Indicator.objects.filter(goal__project__code="P001", level3=CASES).exists()

    page.click("#library-proposal summary")
    page.fill("#proposal_level1", "产出指标")
    page.fill("#proposal_level2", "质量指标")
    page.fill("#proposal_level3", "不动产登记档案数字化率")
    page.fill("#proposal_field", "不动产登记")
    page.fill("#proposal_unit", "%")
    page.fill("#proposal_definition", "已数字化档案卷数 ÷ 档案总卷数 × 100%")
    page.fill("#proposal_reason", "档案数字化是本年重点工作")
    page.click("#proposal-submit")
    page.wait_for_selector(".message-success")
    assert "已提交财政局审核" in page.inner_text(".message-success")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))

    _log_in(page, base, "bureau")
    nav_link(page, "指标库").click()
    page.wait_for_url(re.compile(r".*/library/$"))
    page.click("#library-proposals-link")
    proposal = page.locator("#proposals tr[data-status='pending']")
    assert "不动产登记档案数字化率" in proposal.inner_text()
    proposal.locator("input[value='approve']").check()
    proposal.get_by_role("button", name="保存").click()
    page.wait_for_selector(".message-success")
    assert "已审核通过" in page.inner_text(".message-success")
    _shot(page, "51-library-proposal-approved")
    page.goto(f"{base}/library/?q=档案数字化")
    entries = page.inner_text("#library-entries")
    assert "不动产登记档案数字化率" in entries and "XZ-" in entries
