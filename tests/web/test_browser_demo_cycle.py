"""The whole cycle on the demo, in a real browser (Debian's Chromium through Playwright).

The demo's 2024 is a budget proposal (``src/jixiao/demo/liwan-2024.yaml``): two new
projects of 规划科 went through 事前绩效评估, one supported (submitted, awaiting 财务科),
one not (reviewed: 不予支持). The walk:

1. 规划科 sees the year's projects that need an assessment and the supported one's sheet;
2. 规划科 sets a goal for a continuing project, picking its indicator in the library;
3. 财务科 approves the supported assessment, then that project's goal; the gate refuses
   the goal of the project whose assessment concluded 不予支持;
4. the supported project's cost indicator (per 人天, against the 三类培训 quota) is shown,
   and the year's 支出标准表 holds the 会议费、培训费 quotas (the unit cost itself
   needs the year's ledger and actuals, which a year in 申报 does not have yet);
5. 2023's low execution of 国土空间总体规划编制 is a proposal to 压减 in 2024; 财务科
   accepts it and it is listed on 2024's 预算 page, beside 2024's requested funds.

The demo stores 财务科's decision of step 5; the walk starts from before it. The fixtures
(system Chromium, the demo world, the live server) are ``test_browser.py``'s.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from tests.web.conftest import DEMO
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

YEAR = 2024
BASE = f"/d/{DEMO}/{YEAR}"
SUPPORTED, REFUSED = "LW24-P16", "LW24-P17"
CONTINUING = "LW23-P05"  # 控制性详细规划调整: carried forward without a goal
LOW_EXECUTION = "LW23-P04"  # 国土空间总体规划编制: 44.96% executed in 2023


def _log_out(page: Any) -> None:  # noqa: F811
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))


def _goal(code: str) -> m.PerformanceGoal:
    return m.PerformanceGoal.objects.get(project__fiscal_year__year=YEAR, project__code=code)


def test_the_demo_walks_the_cycle_from_assessment_to_next_years_budget(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    base = live_server.url
    m.ResultDecision.objects.filter(fiscal_year=demo_world).delete()

    # 1. 规划科: the projects that need an assessment, and the supported one's sheet
    _log_in(page, base, "office")
    page.get_by_role("link", name=f"{YEAR}年度").click()
    nav_link(page, "事前绩效评估").click()
    page.wait_for_url(re.compile(r".*/ex-ante/$"))
    listed = page.inner_text("#ex-ante-projects")
    assert "国土空间规划和耕地保护业务培训”为新增项目" in listed
    assert "花地湾片区控规调整专项研究" in listed and "不予支持" in listed
    assert "违法用地图斑整治" not in listed  # continuing, within the 20% rise
    _shot(page, "demo-cycle-00-ex-ante-list")
    page.locator("#ex-ante-projects").get_by_role("link", name=re.compile(SUPPORTED)).click()
    page.wait_for_url(re.compile(rf".*/ex-ante/{SUPPORTED}/$"))
    assert "评估结论：予以支持" in page.inner_text("#ex-ante-conclusion")
    assert page.inner_text("#ex-ante-status") == "已提交"
    assert "不能纳入预算" in page.inner_text("#ex-ante-gate")

    # 2. 规划科: a goal for a continuing project, its indicator picked from the library
    page.goto(f"{base}{BASE}/projects/{CONTINUING}/goal/")
    page.fill("textarea[name='goal-expected_objective']", "完成重点片区控规调整，保障项目落地。")
    suggestion = page.locator("#library-suggestions tr[data-code='ZR-GH-03']")
    assert "完成控制性详细规划调整项目数" in suggestion.inner_text()
    assert "计划标准" in suggestion.inner_text()  # its 取值依据
    suggestion.get_by_role("button", name="选用").click()
    row = page.locator("#indicator-rows tbody tr.indicator-row").last
    assert row.locator("[name$='-level3']").input_value() == "完成控制性详细规划调整项目数"
    assert row.locator("[name$='-level2']").input_value() == "数量指标"
    row.locator("[name$='-target']").fill("≥6个")
    row.locator("[name$='-weight']").fill("30")
    page.click("#save-goal")
    page.wait_for_selector(".message-success")
    indicator = _goal(CONTINUING).indicators.get()
    assert (indicator.level3, indicator.target) == ("完成控制性详细规划调整项目数", "≥6个")
    _shot(page, "demo-cycle-01-goal-from-library")
    _log_out(page)

    # 3. 财务科: approve the supported assessment and its goal; the gate holds the other
    _log_in(page, base, "finance")
    page.goto(f"{base}{BASE}/ex-ante/{SUPPORTED}/")
    page.click("#action-approve")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#ex-ante-status") == "已审核"
    assert "可纳入预算" in page.inner_text("#ex-ante-gate")
    _shot(page, "demo-cycle-02-ex-ante-approved")
    page.goto(f"{base}{BASE}/projects/{SUPPORTED}/goal/")
    page.click("#action-approve")
    page.wait_for_selector(".message-success")
    assert "已审核" in page.inner_text("#workflow-status")
    assert _goal(SUPPORTED).declaration_status == WorkflowStatus.approved

    # 4. the cost indicator: per 人天, against the 三类培训 quota of 450元 in the year's table
    rows = page.inner_text("#indicator-rows")
    assert "业务培训人天数" in rows and "≥400人天" in rows
    assert "业务培训人天均成本" in rows and "≤450元" in rows
    page.goto(f"{base}{BASE}/evaluation/")
    chosen = page.locator("#cost-standards-table option:checked").inner_text()
    assert chosen == "荔湾分局2024年度支出标准（不动产登记运行成本、会议费培训费综合定额）"
    _shot(page, "demo-cycle-03-cost-standards")

    page.goto(f"{base}{BASE}/projects/{REFUSED}/goal/")
    page.click("#action-approve")
    page.wait_for_selector(".message-error")
    refusal = page.inner_text(".message-error")
    assert "事前绩效评估结论为“不予支持”" in refusal and "不能纳入预算" in refusal
    assert "已提交" in page.inner_text("#workflow-status")
    assert _goal(REFUSED).declaration_status == WorkflowStatus.submitted
    _shot(page, "demo-cycle-04-gate-refuses")

    # 5. 财务科: 2023's result becomes a 2024 proposal, accepted onto 2024's budget
    page.goto(f"{base}/d/{DEMO}/2023/results/")
    proposal = page.locator(f"#proposal-{LOW_EXECUTION}")
    assert "压减" in proposal.inner_text() and "全年预算执行率低于60%" in proposal.inner_text()
    proposal.locator("input[value='accept']").check()
    proposal.locator("input[name='reason']").fill("规划成果待批复，同意压减")
    proposal.get_by_role("button", name="保存").click()
    page.wait_for_selector(".message-success")
    _shot(page, "demo-cycle-05-result-accepted")
    page.goto(f"{base}{BASE}/budget/")
    carried = page.inner_text("#carried-proposals")
    assert "国土空间总体规划编制" in carried and "压减" in carried and "360.00" in carried
    assert "财务科采纳：规划成果待批复，同意压减" in carried
    requested = page.locator("#requested-budgets tr", has_text=LOW_EXECUTION).inner_text()
    assert "180.00" in requested  # 2024's request for it, down from 360.00
    _shot(page, "demo-cycle-06-next-year-budget")
